package web

import (
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/jobs"
	"github.com/parsurvey/parsurvey/internal/store"
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

// newJobs builds the server's job runner on cfg, with the kinds of job the server runs: print
// runs (print.go) and rehearsals (rehearsal_start.go). Jobs live in the database, so that a job
// started on one node is run by any node and shown and downloaded from every node.
func (s *Server) newJobs(cfg jobs.Config) (*jobs.Runner, error) {
	if cfg.Log == nil {
		cfg.Log = s.log
	}
	r, err := jobs.New(s.db, filepath.Join(s.cfg.WorkDir(), "jobs"), cfg)
	if err != nil {
		return nil, err
	}
	r.Handle(jobPrint, s.runPrint)
	r.Handle(jobRehearsal, s.runRehearsal)
	s.rehearsing.mu.Lock()
	s.rehearsing.jobs = r
	s.rehearsing.mu.Unlock()
	return r, nil
}

// usersJob is the job of the URL's id if it is the signed-in user's; another user's job is not
// found, like one that has expired.
func (s *Server) usersJob(c *fiber.Ctx) (*jobs.Job, error) {
	j, err := s.jobs.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return nil, err
	}
	if j == nil || j.UserID != currentUser(c).ID {
		lim := s.jobs.Limits()
		return nil, &Error{Status: fiber.StatusNotFound, Msg: fmt.Sprintf(msgJobNotFound, int(lim.TTL.Hours()), lim.KeptPerUser)}
	}
	return j, nil
}

// jobPage shows a print job's progress, then its download link.
func (s *Server) jobPage(c *fiber.Ctx) error {
	j, err := s.usersJob(c)
	if err != nil {
		return err
	}
	d := jobData{pageData: s.page(c), Job: j}
	d.Done, d.Total, d.Finished, d.Err = j.Progress()
	if d.Err != nil {
		d.Err = errors.New(msgJobFailed) // the detail went to the log when the job failed
	}
	return s.renderPage(c, fiber.StatusOK, "job", d)
}

// jobFile sends a finished print job's file to the user who started it, read from the database
// a chunk at a time as it is sent.
func (s *Server) jobFile(c *fiber.Ctx) error {
	j, err := s.usersJob(c)
	if err != nil {
		return err
	}
	f, err := s.jobs.File(c.UserContext(), j.ID)
	if errors.Is(err, store.ErrNotFound) {
		return &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
	}
	if err != nil {
		return err
	}
	c.Attachment(j.FileName)
	c.Response().SetBodyStream(f, int(f.Size()))
	return nil
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
	list, err := s.jobs.List(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	for _, j := range list {
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
