package web

import (
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/jobs"
	"github.com/parsurvey/parsurvey/internal/vn"
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

// jobsData is the view model of the print history: the user's print runs still kept.
type jobsData struct {
	pageData
	Rows        []jobRow
	TTLHours    int
	KeptPerUser int
}

// jobRow is one print run of the history.
type jobRow struct {
	Job         *jobs.Job
	Done, Total int
	Finished    bool
	Failed      bool
	Size        string
	Expires     time.Time
}

// jobsPage lists the signed-in user's print runs, the newest first, with their state, their
// file and until when it is kept; nobody sees another user's runs.
func (s *Server) jobsPage(c *fiber.Ctx) error {
	lim := s.jobs.Limits()
	d := jobsData{pageData: s.page(c), TTLHours: int(lim.TTL.Hours()), KeptPerUser: lim.KeptPerUser}
	for _, j := range s.jobs.List(currentUser(c).ID) {
		r := jobRow{Job: j, Expires: s.jobs.Expires(j)}
		var err error
		r.Done, r.Total, r.Finished, err = j.Progress()
		r.Failed = err != nil
		if r.Finished && !r.Failed {
			r.Size = fileSize(j.Size())
		}
		d.Rows = append(d.Rows, r)
	}
	return s.renderPage(c, fiber.StatusOK, "jobs", d)
}

// fileSize writes a size for people: "850 KB", "12,4 MB".
func fileSize(n int64) string {
	if n < 1<<20 {
		return vn.Int((n+1023)/1024) + " KB"
	}
	return vn.Decimal(big.NewRat(n, 1<<20), 1) + " MB"
}
