package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
)

// deleteRehearsal removes the campaign's rehearsal whole: its database and the files beside it.
// A rehearsal still running is refused, and so is a file not marked as a rehearsal.
func (s *Server) deleteRehearsal(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	if s.rehearsals == nil {
		return errRehearsalOff
	}
	if s.rehearsing.get(cp.ID).running() {
		return &Error{Status: fiber.StatusConflict, Msg: msgRehearsalRunning}
	}
	path, exists := s.rehearsalPath(cp)
	if !exists {
		return &Error{Status: fiber.StatusNotFound, Msg: msgRehearsalNone}
	}
	if err := s.rehearsals.Delete(c.UserContext(), path); err != nil {
		s.log.Error("rehearsal: delete", "campaign", cp.ID, "path", path, "err", err)
		return &Error{Status: fiber.StatusConflict, Msg: msgRehearsalUnreadable}
	}
	s.rehearsing.forget(cp.ID)
	if err := s.db.Audit(c.UserContext(), currentUser(c).ID, "rehearsal.delete", cp.ID, cp.Def.Code, map[string]any{"file": path}); err != nil {
		return err
	}
	s.setFlash(c, fmt.Sprintf(msgRehearsalDeleted, cp.Def.Code))
	return c.Redirect(fmt.Sprintf("/campaigns/%d/rehearsal", cp.ID), fiber.StatusSeeOther)
}
