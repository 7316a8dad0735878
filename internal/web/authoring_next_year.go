package web

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/workbook"
)

// nextYear makes a draft of next year's campaign from a loaded one: its year, dates and the
// year in its names, titles and introductions move forward one year, and its unit list is
// replaced by the 'Đơn vị' sheet of a workbook when one is uploaded. The draft's page shows
// every change from the campaign it was copied from.
func (s *Server) nextYear(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.FormValue("campaign"), 10, 64)
	fail := func(status int, msgs []string) error {
		d, err := s.authoringView(c)
		if err != nil {
			return err
		}
		d.NextErrors, d.NextFrom = msgs, id
		return s.renderPage(c, status, "authoring", d)
	}
	src, err := s.db.Campaign(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) || id <= 0 {
		return fail(fiber.StatusUnprocessableEntity, []string{msgAuthoringNoCampaign})
	}
	if err != nil {
		return err
	}
	def := workbook.NextYear(src.Def, 1)
	if fh, ferr := c.FormFile("units"); ferr == nil && fh != nil && fh.Size > 0 {
		up, problem, err := readUpload(c, "units")
		if err != nil {
			return err
		}
		if problem == "" && up.format != "xlsx" {
			problem = fmt.Sprintf(msgAuthoringFileType, up.name)
		}
		if problem != "" {
			return fail(fiber.StatusUnprocessableEntity, []string{problem})
		}
		replaced, err := workbook.ReplaceUnits(def, up.data)
		var ps workbook.Problems
		if errors.As(err, &ps) {
			msgs := make([]string, len(ps))
			for i, p := range ps {
				msgs[i] = p.String()
			}
			return fail(fiber.StatusUnprocessableEntity, msgs)
		}
		if err != nil {
			return err
		}
		def = replaced
	}
	data, err := workbook.Bytes(def)
	if err != nil {
		return err
	}
	dr := &store.DefinitionDraft{FileName: fmt.Sprintf("%s.xlsx", def.Code), Format: "xlsx", Content: data,
		Code: def.Code, Name: def.Name, SourceID: src.ID, CreatedBy: currentUser(c).ID}
	if err := s.db.CreateDefinitionDraft(c.UserContext(), dr); err != nil {
		return err
	}
	s.setFlash(c, fmt.Sprintf(msgAuthoringSaved, dr.FileName))
	return c.Redirect(fmt.Sprintf("/authoring/drafts/%d", dr.ID), fiber.StatusSeeOther)
}
