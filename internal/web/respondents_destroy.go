package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// destroyLists deletes every list of a campaign that is over, with what was sent, once the
// campaign code is typed as confirmation; the audit log records it.
func (s *Server) destroyLists(c *fiber.Ctx) error {
	d, err := s.listsBase(c)
	if err != nil {
		return err
	}
	d.Confirm = postedText(c, "confirm")
	if d.Confirm != d.C.Code {
		d.Errors.add("destroy-confirm", fmt.Sprintf(msgListDestroyConfirm, d.C.Code))
		d.Message = fmt.Sprintf(msgListDestroyConfirm, d.C.Code)
		return s.renderPage(c, fiber.StatusUnprocessableEntity, "respondents", d)
	}
	gone, err := s.outreach.Destroy(c.UserContext(), d.C, currentUser(c).ID)
	if err != nil {
		return s.refuseList(c, d, err)
	}
	s.setFlash(c, fmt.Sprintf(msgListDestroyed, vn.Int(int64(gone.People)), vn.Int(int64(gone.Messages))))
	return c.Redirect(fmt.Sprintf("/campaigns/%d/respondents", d.C.ID), fiber.StatusSeeOther)
}
