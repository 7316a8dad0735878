package web

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// paperPageData is the supervisor's paper page: recording returned batches, the reconciliation
// per group × unit, the batches and who keys.
type paperPageData struct {
	paperData
	Groups      []campaign.Group
	Enumerators []store.User
	Keyers      []store.User
	Rows        []store.PaperRow
	Total       store.PaperRow
	Batches     []paperBatchLine
	Form        batchForm
	FormErrors  fieldErrors
	Today       string
}

type paperBatchLine struct {
	store.Batch
	Label   string
	Outside bool
}

// batchForm is the posted batch, its values kept for the page when it has problems.
type batchForm struct {
	Group, Unit, ReturnedBy, Count, ReceivedOn, Note string
}

// maxBatchNote is the longest note kept with a batch, in characters.
const maxBatchNote = 500

// newBatchForm copies a returned batch out of the request and checks it fits the campaign: a
// paper group, a unit it evaluates (none for a matrix form), a count, a bearer and a date.
func newBatchForm(c *fiber.Ctx, campaignID int64, def *campaign.Definition) (batchForm, store.Batch, fieldErrors) {
	f := batchForm{Group: postedText(c, "group"), Unit: postedText(c, "unit"), ReturnedBy: postedText(c, "returned_by"),
		Count: postedText(c, "count"), ReceivedOn: postedText(c, "received_on"), Note: postedText(c, "note")}
	b := store.Batch{CampaignID: campaignID, Group: f.Group, Unit: f.Unit, Note: f.Note}
	errs := fieldErrors{}
	// A note too long, not UTF-8 or with a NUL is refused with the reason, never cut or stored.
	errs.checkText("note", f.Note, maxBatchNote)
	g := def.Group(f.Group)
	switch {
	case g == nil || !g.Has(campaign.ChannelPaper) || g.Imported():
		errs.add("group", msgBatchGroup)
	default:
		q := def.Questionnaire(g.Form)
		matrix := q != nil && q.Shape == campaign.ShapeMatrix
		u := def.Unit(f.Unit)
		switch {
		case matrix && f.Unit != "":
			errs.add("unit", fmt.Sprintf(msgBatchMatrixUnit, g.Code))
		case !matrix && (u == nil || u.Kind != g.Evaluates):
			errs.add("unit", fmt.Sprintf(msgBatchUnit, g.Code))
		}
	}
	n, err := strconv.Atoi(f.Count)
	if err != nil || n < 1 || n > 10000 {
		errs.add("count", msgBatchCount)
	}
	b.Count = n
	if b.ReturnedBy, err = strconv.ParseInt(f.ReturnedBy, 10, 64); err != nil || b.ReturnedBy <= 0 {
		errs.add("returned_by", msgBatchBearer)
	}
	if b.ReceivedOn, err = paper.ParseDate(f.ReceivedOn); err != nil {
		errs.add("received_on", fmt.Sprintf(msgBatchDate, err.Error()))
	}
	return f, b, errs
}

func (s *Server) paperPage(c *fiber.Ctx) error {
	d, err := s.paperPageData(c)
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "paper", d)
}

func (s *Server) paperPageData(c *fiber.Ctx) (paperPageData, error) {
	base, err := s.paperBase(c, "")
	if err != nil {
		return paperPageData{}, err
	}
	ctx := c.UserContext()
	d := paperPageData{paperData: base, Groups: paperGroups(base.Def), FormErrors: fieldErrors{},
		Today: time.Now().In(campaign.Zone).Format("2006-01-02")}
	d.Form.ReceivedOn = d.Today
	if d.Enumerators, err = s.db.Users(ctx, store.RoleEnumerator); err != nil {
		return d, err
	}
	if d.Keyers, err = s.db.Keyers(ctx, base.C.ID); err != nil {
		return d, err
	}
	rows, err := s.db.PaperReconciliation(ctx, base.C.ID)
	if err != nil {
		return d, err
	}
	for _, r := range rows {
		if g := base.Def.Group(r.Group); g == nil || !g.Has(campaign.ChannelPaper) {
			continue
		}
		r.UnitName = unitLabel(base.Def, r.Unit, r.UnitName)
		d.Rows = append(d.Rows, r)
		t := &d.Total
		t.Issued += r.Issued
		t.HandedOut += r.HandedOut
		t.Returned += r.Returned
		t.Keyed += r.Keyed
		t.Verified += r.Verified
		t.Imported += r.Imported
		t.Valid += r.Valid
		t.Invalid += r.Invalid
		t.Missing += r.Missing
	}
	batches, err := s.db.Batches(ctx, base.C.ID)
	if err != nil {
		return d, err
	}
	enforce := base.Def.Rules.EnforceWindow == nil || *base.Def.Rules.EnforceWindow
	for _, b := range batches {
		d.Batches = append(d.Batches, paperBatchLine{Batch: b, Label: unitLabel(base.Def, b.Unit, b.UnitName),
			Outside: enforce && !base.Def.InWindow(b.ReceivedOn)})
	}
	return d, nil
}

// paperRecordBatch records a returned batch after checking it fits the campaign.
func (s *Server) paperRecordBatch(c *fiber.Ctx) error {
	d, err := s.paperPageData(c)
	if err != nil {
		return err
	}
	def := d.Def
	f, b, errs := newBatchForm(c, d.C.ID, def)
	d.FormErrors = errs
	if len(d.FormErrors) == 0 {
		err = s.db.RecordBatch(c.UserContext(), &b, currentUser(c).ID)
		switch {
		case errors.Is(err, store.ErrBadBatch):
			d.FormErrors.add("returned_by", msgBatchBearer)
		case err != nil:
			return err
		}
	}
	if len(d.FormErrors) > 0 {
		d.Form = f
		d.Message = msgBatchFix
		return s.renderPage(c, fiber.StatusUnprocessableEntity, "paper", d)
	}
	msg := fmt.Sprintf(msgBatchRecorded, b.ID, b.Count, b.Group, unitLabel(def, b.Unit, ""), vn.Date(b.ReceivedOn))
	enforce := def.Rules.EnforceWindow == nil || *def.Rules.EnforceWindow
	if enforce && !def.InWindow(b.ReceivedOn) {
		msg += msgBatchOutside
	}
	s.setFlash(c, msg)
	return c.Redirect(fmt.Sprintf("/campaigns/%d/paper", d.C.ID), fiber.StatusSeeOther)
}

// paperAddKeyer lets an account key the campaign's paper forms.
func (s *Server) paperAddKeyer(c *fiber.Ctx) error {
	return s.changeKeyer(c, c.FormValue("user"), true)
}

// paperRemoveKeyer stops an account keying the campaign.
func (s *Server) paperRemoveKeyer(c *fiber.Ctx) error {
	return s.changeKeyer(c, c.Params("user"), false)
}

func (s *Server) changeKeyer(c *fiber.Ctx, raw string, add bool) error {
	campID, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, _, err := s.paperCampaign(c.UserContext(), campID); err != nil {
		return err
	}
	back := fmt.Sprintf("/campaigns/%d/paper#nguoi-nhap", campID)
	id, _ := strconv.ParseInt(raw, 10, 64)
	u, err := s.db.UserByID(c.UserContext(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.setFlash(c, msgKeyerUnknown)
		return c.Redirect(back, fiber.StatusSeeOther)
	case err != nil:
		return err
	case add && u.Role != store.RoleEnumerator:
		// Keying screens are for enumerator accounts only; supervisors decide, they do not key.
		s.setFlash(c, msgKeyerUnknown)
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	if add {
		err = s.db.AddKeyer(c.UserContext(), campID, u.ID, currentUser(c).ID)
		s.setFlash(c, fmt.Sprintf(msgKeyerAdded, u.FullName))
	} else {
		err = s.db.RemoveKeyer(c.UserContext(), campID, u.ID, currentUser(c).ID)
		s.setFlash(c, fmt.Sprintf(msgKeyerRemoved, u.FullName))
	}
	if err != nil {
		return err
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}
