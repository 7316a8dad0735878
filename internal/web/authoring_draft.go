package web

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
	"github.com/parsurvey/parsurvey/internal/workbook"
)

// maxChanges is how many differences the draft page lists before it counts the rest.
const maxChanges = 300

// defDraftData is the view model of a draft's page: its check, its questionnaires to preview,
// what publishing it would change, and the form to upload a fixed version.
type defDraftData struct {
	pageData
	D        *store.DefinitionDraft
	Updated  string
	Problems []problemRow
	Workbook bool
	Def      *campaign.Definition
	Counts   string
	Forms    []previewForm
	// Against is the campaign publishing would change (same code), or the one the draft was
	// copied from; Same tells which.
	Against    *store.CampaignSummary
	Same       bool
	Changes    []string
	More       int
	Refused    string
	CanPublish bool
	Errors     []string
	// Warnings are what the check reports without refusing the definition.
	Warnings []string
}

// previewForm is a questionnaire of the draft with what its preview links need.
type previewForm struct {
	Code, Title, Shape string
	Groups             string
	Questions          int
	Previewable        bool
}

// defDraft returns the draft named by the :draft parameter.
func (s *Server) defDraft(c *fiber.Ctx) (*store.DefinitionDraft, error) {
	id, err := paramID(c, "draft")
	if err != nil {
		return nil, err
	}
	d, err := s.db.DefinitionDraft(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
	}
	return d, err
}

// campaignSummary finds the summary (counts included) of a campaign by code or id.
func (s *Server) campaignSummary(c *fiber.Ctx, code string, id int64) (*store.CampaignSummary, error) {
	list, err := s.db.Campaigns(c.UserContext())
	if err != nil {
		return nil, err
	}
	for i := range list {
		if (code != "" && list[i].Code == code) || (id != 0 && list[i].ID == id) {
			return &list[i], nil
		}
	}
	return nil, nil
}

func (s *Server) defDraftView(c *fiber.Ctx, dr *store.DefinitionDraft) (defDraftData, error) {
	d := defDraftData{pageData: s.page(c), D: dr, Updated: vn.DateTime(dr.UpdatedAt), Workbook: dr.Format == "xlsx"}
	d.Title = "Bản nháp " + dr.FileName
	def, problems, err := readDefinition(dr.Format, dr.Content)
	if err != nil {
		return d, err
	}
	d.Problems = problems
	if def == nil {
		return d, nil
	}
	d.Def = def
	for _, w := range def.Warnings {
		d.Warnings = append(d.Warnings, w.String())
	}
	qs := 0
	for _, q := range def.Questionnaires {
		n := len(q.Questions())
		qs += n
		pf := previewForm{Code: q.Code, Title: q.Title, Shape: "phiếu về một đơn vị", Questions: n}
		if q.Shape == campaign.ShapeMatrix {
			pf.Shape = "phiếu ma trận"
		}
		for _, g := range def.Groups {
			if g.Form == q.Code {
				if pf.Groups != "" {
					pf.Groups += ", "
				}
				pf.Groups += g.Code
				pf.Previewable = true
			}
		}
		d.Forms = append(d.Forms, pf)
	}
	d.Counts = fmt.Sprintf("%s đơn vị, %s nhóm đối tượng, %s mẫu phiếu, %s câu hỏi", vn.Int(int64(len(def.Units))),
		vn.Int(int64(len(def.Groups))), vn.Int(int64(len(def.Questionnaires))), vn.Int(int64(qs)))
	if d.Against, err = s.campaignSummary(c, def.Code, 0); err != nil {
		return d, err
	}
	d.Same = d.Against != nil
	if d.Against == nil && dr.SourceID != 0 {
		if d.Against, err = s.campaignSummary(c, "", dr.SourceID); err != nil {
			return d, err
		}
	}
	d.CanPublish = !dr.Published()
	if d.Against != nil {
		cur, err := s.db.Campaign(c.UserContext(), d.Against.ID)
		if err != nil {
			return d, err
		}
		changes := workbook.Diff(cur.Def, def)
		for i, ch := range changes {
			if i == maxChanges {
				d.More = len(changes) - maxChanges
				break
			}
			d.Changes = append(d.Changes, ch.String())
		}
		if d.Same {
			d.Refused = refusal(d.Against, cur.Def, def, len(changes))
			d.CanPublish = d.CanPublish && len(changes) > 0 && d.Refused == ""
		}
	}
	return d, nil
}

// refusal says why a changed definition cannot replace a campaign's: it has responses, or it
// drops units or groups while forms are issued (store.SaveDefinition refuses both).
func refusal(camp *store.CampaignSummary, old, new *campaign.Definition, changes int) string {
	if changes == 0 {
		return ""
	}
	if camp.Responses > 0 {
		return fmt.Sprintf(msgAuthoringLocked, camp.Code, camp.Responses)
	}
	if camp.Issued == 0 {
		return ""
	}
	var gone []string
	for _, u := range old.Units {
		if new.Unit(u.Code) == nil {
			gone = append(gone, "đơn vị "+u.Code)
		}
	}
	for _, g := range old.Groups {
		if new.Group(g.Code) == nil {
			gone = append(gone, "nhóm "+g.Code)
		}
	}
	if len(gone) == 0 {
		return ""
	}
	list := gone[0]
	for _, g := range gone[1:] {
		list += ", " + g
	}
	return fmt.Sprintf(msgAuthoringIssuedGone, camp.Code, camp.Issued, list)
}

func (s *Server) defDraftPage(c *fiber.Ctx) error {
	dr, err := s.defDraft(c)
	if err != nil {
		return err
	}
	d, err := s.defDraftView(c, dr)
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "authoring_draft", d)
}

// replaceDefDraft puts a fixed upload in place of the draft's and shows its check again.
func (s *Server) replaceDefDraft(c *fiber.Ctx) error {
	dr, err := s.defDraft(c)
	if err != nil {
		return err
	}
	up, problem, err := readUpload(c, "file")
	if err != nil {
		return err
	}
	if problem == "" && dr.Published() {
		problem = msgAuthoringPublishedAl
	}
	if problem != "" {
		d, err := s.defDraftView(c, dr)
		if err != nil {
			return err
		}
		d.Errors = []string{problem}
		return s.renderPage(c, fiber.StatusUnprocessableEntity, "authoring_draft", d)
	}
	def, _, err := readDefinition(up.format, up.data)
	if err != nil {
		return err
	}
	dr.FileName, dr.Format, dr.Content, dr.Code, dr.Name = up.name, up.format, up.data, "", ""
	if def != nil {
		dr.Code, dr.Name = def.Code, def.Name
	}
	if err := s.db.ReplaceDefinitionDraft(c.UserContext(), dr, currentUser(c).ID); err != nil {
		return err
	}
	s.setFlash(c, fmt.Sprintf(msgAuthoringReplaced, up.name))
	return c.Redirect(fmt.Sprintf("/authoring/drafts/%d", dr.ID), fiber.StatusSeeOther)
}

// defDraftFile sends the draft's upload back as it came, to be fixed and uploaded again.
func (s *Server) defDraftFile(c *fiber.Ctx) error {
	dr, err := s.defDraft(c)
	if err != nil {
		return err
	}
	kind := "application/zip"
	if dr.Format == "xlsx" {
		kind = workbookType
	}
	attachment(c, kind, fmt.Sprintf("ban-nhap-%d.%s", dr.ID, dr.Format))
	return c.Send(dr.Content)
}
