package web

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/jobs"
	"github.com/parsurvey/parsurvey/internal/store"
)

// Rehearsals makes, fills, opens and deletes the rehearsal copies of campaigns (issue 15): a
// database of its own per campaign, holding the campaign's definition and simulated responses,
// never the live data. internal/simulate does the work and internal/app hands it to the server
// (SetRehearsals): simulate drives the server's own HTTP paths, so web cannot import it.
type Rehearsals interface {
	// Path is where the rehearsal copy of the campaign of code goes.
	Path(code string) string
	// Run makes the rehearsal copy of camp at path and fills it as o asks, writing its progress
	// to out; it returns a sentence of what the simulation did.
	Run(ctx context.Context, camp *store.Campaign, path string, o RehearsalOptions, out io.Writer) (string, error)
	// Open opens the rehearsal copy at path, refusing a database not marked as one.
	Open(ctx context.Context, path string) (*store.DB, error)
	// Delete removes the rehearsal copy at path whole.
	Delete(ctx context.Context, path string) error
}

// RehearsalOptions size a rehearsal started from the web.
type RehearsalOptions struct {
	Responses int
	Seed      uint64
}

// SetRehearsals gives the server what runs rehearsals; without it the rehearsal page says the
// function is off.
func (s *Server) SetRehearsals(r Rehearsals) { s.rehearsals = r }

// rehearsalRuns are the rehearsals started from this node, one per campaign at most: which job
// runs each. The jobs themselves are in the database (internal/jobs), so that their state and
// result read the same whichever node ran them; after a restart a campaign's rehearsal is known
// by its file alone.
type rehearsalRuns struct {
	mu   sync.Mutex
	runs map[int64]*rehearsalRun
	jobs *jobs.Runner // the server's, set by newJobs
}

// rehearsalRun is one rehearsal's background job and the options it was started with; job is
// the job as get read it, nil once it is gone.
type rehearsalRun struct {
	jobID string
	opts  RehearsalOptions
	job   *jobs.Job
}

// rehearsalReadTimeout bounds the read of a rehearsal's job.
const rehearsalReadTimeout = 10 * time.Second

// get is a copy of the campaign's run with its job read from the database, or nil.
func (r *rehearsalRuns) get(campaignID int64) *rehearsalRun {
	r.mu.Lock()
	run := r.runs[campaignID]
	r.mu.Unlock()
	if run == nil {
		return nil
	}
	cp := *run
	cp.job = r.read(cp.jobID)
	return &cp
}

// running reports whether run's job is queued or running; the caller may hold r.mu.
func (r *rehearsalRuns) running(run *rehearsalRun) bool {
	if run == nil {
		return false
	}
	cp := *run
	cp.job = r.read(cp.jobID)
	return cp.running()
}

// read is the job of id, nil when it is gone or cannot be read.
func (r *rehearsalRuns) read(id string) *jobs.Job {
	ctx, cancel := context.WithTimeout(context.Background(), rehearsalReadTimeout)
	defer cancel()
	j, err := r.jobs.Get(ctx, id)
	if err != nil {
		return nil
	}
	return j
}

func (r *rehearsalRuns) forget(campaignID int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.runs, campaignID)
}

// running reports whether the run's job, as get read it, has not finished yet.
func (run *rehearsalRun) running() bool {
	if run == nil || run.job == nil {
		return false
	}
	_, _, finished, _ := run.job.Progress()
	return !finished
}

// rehearsalForm is the form that starts a rehearsal, as typed.
type rehearsalForm struct {
	Responses, Seed string
}

// rehearsalData is the view model of a campaign's rehearsal page.
type rehearsalData struct {
	campaignData
	Enabled, Running, Failed, Exists bool
	// File is the rehearsal database's file name; Summary what the last run did.
	File, Summary string
	Job           *jobs.Job
	// Problem says why an existing rehearsal cannot be read.
	Problem string
	// Total and Groups are the rehearsal's figures, counted as the progress page counts them.
	Total  dashRow
	Groups []dashGroup
	Form   rehearsalForm
	Errors fieldErrors
	Max    int
	// Banner says on the rehearsal's figures that they are not the live data.
	Banner string
	// Off says the service runs no rehearsals.
	Off string
}

// maxRehearsalResponses bounds one rehearsal, a background job on the live service's machine.
const maxRehearsalResponses = 20000

// rehearsalPath is where the campaign's rehearsal goes, and whether a file is there.
func (s *Server) rehearsalPath(cp *store.Campaign) (string, bool) {
	path := s.rehearsals.Path(cp.Def.Code)
	_, err := os.Stat(path)
	return path, err == nil
}

// rehearsalView builds the rehearsal page of cp: the run in progress, or the rehearsal's
// figures read from its own database, or the form to start one.
func (s *Server) rehearsalView(c *fiber.Ctx, cp *store.Campaign) (rehearsalData, error) {
	d := rehearsalData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "rehearsal"}, Enabled: s.rehearsals != nil,
		Form: rehearsalForm{Responses: "500", Seed: "1"}, Errors: fieldErrors{}, Max: maxRehearsalResponses, Banner: msgRehearsalBanner, Off: msgRehearsalOff}
	d.Title = "Diễn tập"
	if !d.Enabled {
		return d, nil
	}
	path, exists := s.rehearsalPath(cp)
	d.File = filepath.Base(path)
	run := s.rehearsing.get(cp.ID)
	if run != nil && run.job != nil {
		d.Job, d.Summary = run.job, run.job.Result()
		d.Form = rehearsalForm{Responses: strconv.Itoa(run.opts.Responses), Seed: strconv.FormatUint(run.opts.Seed, 10)}
		if run.running() {
			d.Running = true
			return d, nil
		}
		if _, _, _, err := run.job.Progress(); err != nil {
			d.Failed = true
		}
	}
	d.Exists = exists
	if !exists {
		return d, nil
	}
	rdb, rc, err := s.openRehearsal(c, cp)
	if err != nil {
		s.log.Error("rehearsal: open", "campaign", cp.ID, "path", path, "err", err)
		d.Problem = msgRehearsalUnreadable
		return d, nil
	}
	defer rdb.Close()
	p, err := rdb.Progress(c.UserContext(), rc.ID, populationFields(rc.Def)...)
	if err != nil {
		return d, err
	}
	dash := buildDashboard(rc.Def, p, rdb.Now())
	d.Total, d.Groups = dash.Total, dash.Groups
	return d, nil
}

// openRehearsal opens cp's rehearsal database and finds its copy of the campaign there. The
// caller closes the database.
func (s *Server) openRehearsal(c *fiber.Ctx, cp *store.Campaign) (*store.DB, *store.Campaign, error) {
	rdb, err := s.rehearsals.Open(c.UserContext(), s.rehearsals.Path(cp.Def.Code))
	if err != nil {
		return nil, nil, err
	}
	rc, err := rdb.CampaignByCode(c.UserContext(), cp.Def.Code)
	if err != nil {
		rdb.Close()
		return nil, nil, err
	}
	return rdb, rc, nil
}

// rehearsalPage shows a campaign's rehearsal: the form to start one, its progress while it
// runs (the page reloads itself), then its figures, the link to its progress page and the
// button that deletes it.
func (s *Server) rehearsalPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	d, err := s.rehearsalView(c, cp)
	if err != nil {
		return err
	}
	if d.Failed {
		d.Problem = msgRehearsalFailed
	}
	return s.renderPage(c, fiber.StatusOK, "rehearsal", d)
}

// errRehearsalOff answers a rehearsal action on a service that has no Rehearsals.
var errRehearsalOff = &Error{Status: fiber.StatusConflict, Msg: msgRehearsalOff}
