package web

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/store"
)

// publishDefDraft makes a draft that checks the campaign of its code: a new campaign, or a new
// version of one that has no responses yet. A refused change is shown on the draft's page with
// the differences listed.
func (s *Server) publishDefDraft(c *fiber.Ctx) error {
	dr, err := s.defDraft(c)
	if err != nil {
		return err
	}
	d, err := s.defDraftView(c, dr)
	if err != nil {
		return err
	}
	refuse := func(msg string) error {
		d.Errors = []string{msg}
		return s.renderPage(c, fiber.StatusConflict, "authoring_draft", d)
	}
	switch {
	case dr.Published():
		return refuse(msgAuthoringPublishedAl)
	case d.Def == nil:
		return refuse(msgAuthoringHasErrors)
	case d.Refused != "":
		return refuse(d.Refused)
	}
	user := currentUser(c)
	camp, res, err := s.db.SaveDefinition(c.UserContext(), d.Def, user.ID)
	if errors.Is(err, store.ErrDefinitionLocked) {
		// Responses came in since the page was shown.
		if d, err = s.defDraftView(c, dr); err != nil {
			return err
		}
		msg := d.Refused
		if msg == "" {
			msg = fmt.Sprintf(msgAuthoringLocked, d.Def.Code, 1)
		}
		d.Errors = []string{msg}
		return s.renderPage(c, fiber.StatusConflict, "authoring_draft", d)
	}
	if err != nil {
		return err
	}
	if err := s.db.MarkDefinitionDraftPublished(c.UserContext(), dr.ID, camp.ID, user.ID); err != nil {
		return err
	}
	if res == store.Unchanged {
		s.setFlash(c, fmt.Sprintf(msgAuthoringUnchanged, camp.Code))
	} else {
		s.setFlash(c, fmt.Sprintf(msgAuthoringPublished, camp.Code, camp.Version))
	}
	return c.Redirect(fmt.Sprintf("/campaigns/%d", camp.ID), fiber.StatusSeeOther)
}
