package web

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/jobs"
)

// jobData is the view model of a print job's page.
type jobData struct {
	pageData
	Job         *jobs.Job
	Done, Total int
	Finished    bool
	Err         error
}

// jobPage shows a print job's progress, then its download link. Another user's job is not
// found, like one that has expired.
func (s *Server) jobPage(c *fiber.Ctx) error {
	j := s.jobs.Get(c.Params("id"))
	if j == nil || j.UserID != currentUser(c).ID {
		lim := s.jobs.Limits()
		return &Error{Status: fiber.StatusNotFound, Msg: fmt.Sprintf(msgJobNotFound, int(lim.TTL.Hours()), lim.KeptPerUser)}
	}
	d := jobData{pageData: s.page(c), Job: j}
	d.Done, d.Total, d.Finished, d.Err = j.Progress()
	if d.Err != nil {
		d.Err = errors.New(msgJobFailed) // the detail went to the log when the job failed
	}
	return s.renderPage(c, fiber.StatusOK, "job", d)
}

// jobFile sends a finished print job's file to the user who started it.
func (s *Server) jobFile(c *fiber.Ctx) error {
	j := s.jobs.Get(c.Params("id"))
	if j == nil || j.UserID != currentUser(c).ID {
		lim := s.jobs.Limits()
		return &Error{Status: fiber.StatusNotFound, Msg: fmt.Sprintf(msgJobNotFound, int(lim.TTL.Hours()), lim.KeptPerUser)}
	}
	path := j.Path()
	if path == "" {
		return &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
	}
	c.Attachment(j.FileName)
	return c.SendFile(path)
}
