package web

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// paperQueueData lists the supervisor's queue: open items first, then those decided.
type paperQueueData struct {
	paperData
	Open     []queueLine
	Resolved []queueLine
}

type queueLine struct {
	store.Conflict
	Label string
	What  string
}

func conflictKindName(kind string) string {
	switch kind {
	case store.ConflictKeyingsDiffer:
		return "Hai lần nhập khác nhau"
	case store.ConflictAlreadyAnswered:
		return "Mã phiếu đã có phiếu trả lời"
	}
	return kind
}

func resolutionName(r string) string {
	switch r {
	case "adjudicated":
		return "Đã đối chiếu với phiếu giấy"
	case "kept_first":
		return "Giữ phiếu đã nhận trước"
	}
	return r
}

func (s *Server) paperQueue(c *fiber.Ctx) error {
	base, err := s.paperBase(c, "/queue")
	if err != nil {
		return err
	}
	d := paperQueueData{paperData: base}
	for _, open := range []bool{true, false} {
		list, err := s.db.Conflicts(c.UserContext(), base.C.ID, open)
		if err != nil {
			return err
		}
		for _, item := range list {
			line := queueLine{Conflict: item, Label: unitLabel(base.Def, item.Unit, item.UnitName), What: conflictKindName(item.Kind)}
			if open {
				d.Open = append(d.Open, line)
			} else {
				line.What = resolutionName(item.Resolution)
				d.Resolved = append(d.Resolved, line)
			}
		}
	}
	return s.renderPage(c, fiber.StatusOK, "paper_queue", d)
}

// paperItemData is one queue item: the keyings side by side with a decision for each
// differing item.
type paperItemData struct {
	paperData
	Item        *store.Conflict
	KindName    string
	Label       string
	BatchLabel  string
	Keyings     []store.Keying
	Rows        []adjudicationRow
	Differing   int
	Adjudicable bool
	// KeepFirst is offered when the code already has a response from another channel.
	KeepFirst bool
	Problems  int
	Note      string
}

// adjudicationRow is one keyed item with what each keying read and, when they differ, the
// choices of the value read on the paper.
type adjudicationRow struct {
	Heading string
	Item    paper.Item
	Marks   []string
	Differs bool
	Choices []adjudicationChoice
	Error   string
}

type adjudicationChoice struct {
	Value    string
	Label    string
	Selected bool
}

// queueItem loads the queue's campaign and the queue item of the route, checking the item
// belongs to the campaign.
func (s *Server) queueItem(c *fiber.Ctx) (paperData, *store.Conflict, error) {
	base, err := s.paperBase(c, "/queue")
	if err != nil {
		return base, nil, err
	}
	id, err := paramID(c, "item")
	if err != nil {
		return base, nil, err
	}
	item, err := s.db.ConflictByID(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && item.CampaignID != base.C.ID) {
		return base, nil, &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
	}
	return base, item, err
}

func (s *Server) paperItem(c *fiber.Ctx) error {
	base, item, err := s.queueItem(c)
	if err != nil {
		return err
	}
	d, _, err := s.itemView(base, item, nil)
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "paper_item", d)
}

// itemView builds the side-by-side view; chosen holds the posted decisions by item name.
func (s *Server) itemView(base paperData, item *store.Conflict, chosen map[string]string) (paperItemData, []paper.Entry, error) {
	d := paperItemData{paperData: base, Item: item, KindName: conflictKindName(item.Kind), Keyings: item.Keyings,
		Label: unitLabel(base.Def, item.Unit, item.UnitName)}
	if item.Batch != nil {
		d.BatchLabel = fmt.Sprintf("Lô số %d, nhận ngày %s, do %s mang về", item.Batch.ID, vn.Date(item.Batch.ReceivedOn), item.Batch.ReturnedByName)
	}
	d.KeepFirst = item.Open() && item.Response != nil && item.Response.Channel != "paper"
	l, entries, err := intake.Entries(base.Def, item)
	if err != nil {
		return d, nil, err
	}
	d.Adjudicable = intake.Adjudicable(item)
	headings := sectionHeadings(l)
	for _, it := range l.Items() {
		row := adjudicationRow{Item: it}
		switch {
		case it.Field == 0:
			row.Heading = "Thông tin người trả lời"
		case it.Question >= 0:
			row.Heading = headings[it.Question]
			if l.Matrix && it.Question == 0 {
				row.Heading = l.Units[it.Unit].Name + " — " + row.Heading
			}
		}
		for _, e := range entries {
			row.Marks = append(row.Marks, it.Mark(e.At(it)))
		}
		row.Differs = len(entries) == 2 && entries[0].At(it) != entries[1].At(it)
		if row.Differs {
			d.Differing++
			if d.Adjudicable {
				row.Choices = choices(it, entries[0].At(it), entries[1].At(it), chosen[it.Name])
			}
		}
		d.Rows = append(d.Rows, row)
	}
	return d, entries, nil
}

// choices lists every mark an item can take, naming which keying typed which.
func choices(it paper.Item, first, second response.Answer, selected string) []adjudicationChoice {
	out := []adjudicationChoice{{Value: "", Label: "— chọn theo phiếu giấy —"}}
	add := func(a response.Answer) {
		label := it.Mark(a)
		switch a {
		case first:
			label += " (lần nhập 1)"
		case second:
			label += " (lần nhập 2)"
		}
		out = append(out, adjudicationChoice{Value: string(a), Label: label, Selected: selected == string(a)})
	}
	for i := range it.Options {
		add(response.OptionAnswer(i + 1))
	}
	add(response.Blank)
	add(response.Multi)
	return out
}

// paperDecide records a supervisor's decision on a queue item.
func (s *Server) paperDecide(c *fiber.Ctx) error {
	base, item, err := s.queueItem(c)
	if err != nil {
		return err
	}
	queue := fmt.Sprintf("/campaigns/%d/paper/queue", base.C.ID)
	if !item.Open() {
		s.setFlash(c, fmt.Sprintf(msgItemResolved, item.Code))
		return c.Redirect(queue, fiber.StatusSeeOther)
	}
	user := currentUser(c).ID
	if c.FormValue("action") == "keep_first" {
		err := s.intake.KeepFirst(c.UserContext(), item, user, vn.NFC(c.FormValue("note")))
		switch {
		case errors.Is(err, store.ErrResolved):
			s.setFlash(c, fmt.Sprintf(msgItemResolved, item.Code))
		case errors.Is(err, store.ErrNothingToKeep):
			return s.nothingToKeep(c, base, item)
		case err != nil:
			return err
		default:
			s.setFlash(c, fmt.Sprintf(msgKeptFirst, item.Code))
		}
		return c.Redirect(queue, fiber.StatusSeeOther)
	}
	l, err := paper.NewLayout(base.Def, item.Group, item.Unit)
	if err != nil {
		return err
	}
	form, err := readForm(c, len(l.Items())+formFieldSlack, maxValueBytes)
	if err != nil {
		return &Error{Status: fiber.StatusRequestEntityTooLarge, Msg: err.Error()}
	}
	chosen := map[string]string{}
	for k, v := range form.values {
		if name, ok := strings.CutPrefix(k, "d_"); ok && name != "" {
			chosen[name] = v
		}
	}
	r, err := s.intake.Adjudicate(c.UserContext(), intake.Adjudication{Item: item, Def: base.Def, Chosen: chosen, UserID: user})
	if fe := fault.As(err); fe != nil && fe.Kind == fault.Invalid {
		d, _, err := s.itemView(base, item, chosen)
		if err != nil {
			return err
		}
		byName := map[string]string{}
		for _, f := range fe.Fields {
			byName[f.Name] = f.Msg
		}
		for i := range d.Rows {
			d.Rows[i].Error = byName[d.Rows[i].Item.Name]
		}
		d.Problems = len(fe.Fields)
		d.Message = fmt.Sprintf(msgAdjudicateFix, len(fe.Fields))
		return s.renderPage(c, fiber.StatusUnprocessableEntity, "paper_item", d)
	}
	switch {
	case errors.Is(err, store.ErrResolved):
		s.setFlash(c, fmt.Sprintf(msgItemResolved, item.Code))
		return c.Redirect(queue, fiber.StatusSeeOther)
	case errors.Is(err, store.ErrConflict):
		return &Error{Status: fiber.StatusConflict, Msg: fmt.Sprintf(msgAdjudicateClash, item.Code)}
	case errors.Is(err, store.ErrVoided):
		return &Error{Status: fiber.StatusConflict, Msg: fmt.Sprintf(msgAdjudicateVoided, item.Code)}
	case err != nil:
		return err
	}
	s.setFlash(c, fmt.Sprintf(msgAdjudicated, item.Code, r.Decisions, r.Receipt.Number))
	return c.Redirect(queue, fiber.StatusSeeOther)
}

// nothingToKeep shows the queue item again, still open, when "keep the first response" was
// posted for a code that has no response from another channel: with two differing keyings the
// supervisor decides each differing item from the paper instead.
func (s *Server) nothingToKeep(c *fiber.Ctx, base paperData, item *store.Conflict) error {
	d, _, err := s.itemView(base, item, nil)
	if err != nil {
		return err
	}
	d.Message = fmt.Sprintf(msgKeepFirstNone, item.Code)
	if item.Kind == store.ConflictKeyingsDiffer {
		d.Message = fmt.Sprintf(msgKeepFirstDiffers, item.Code, d.Differing)
	}
	return s.renderPage(c, fiber.StatusConflict, "paper_item", d)
}
