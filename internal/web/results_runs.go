package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// computeRun scores the campaign now and keeps the run, or shows the newest run when the data
// have not changed since it.
func (s *Server) computeRun(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	run, err := scorerun.ComputeAndSave(c.UserContext(), s.db, cp.ID, currentUser(c).ID)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf(msgRunDone, run.ID, vn.Int(run.Result.Forms), shortDigest(run.InputDigest))
	if run.Reused {
		msg = fmt.Sprintf(msgRunReused, run.ID, vn.DateTime(run.CreatedAt), shortDigest(run.InputDigest), run.ID)
	}
	s.setFlash(c, msg)
	return c.Redirect(fmt.Sprintf("/campaigns/%d/results", cp.ID), fiber.StatusSeeOther)
}
