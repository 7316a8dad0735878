package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/jobs"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// newRehearsalForm copies the rehearsal form out of the request and checks its numbers.
func newRehearsalForm(c *fiber.Ctx) (rehearsalForm, RehearsalOptions, fieldErrors) {
	f := rehearsalForm{Responses: postedText(c, "responses"), Seed: postedText(c, "seed")}
	errs := fieldErrors{}
	var o RehearsalOptions
	n, err := strconv.Atoi(f.Responses)
	if err != nil || n < 1 || n > maxRehearsalResponses {
		errs.add("rehearsal-responses", fmt.Sprintf(msgRehearsalResponses, vn.Int(maxRehearsalResponses)))
	}
	o.Responses = n
	if f.Seed == "" {
		f.Seed = "1"
	}
	if o.Seed, err = strconv.ParseUint(f.Seed, 10, 64); err != nil {
		errs.add("rehearsal-seed", msgRehearsalSeed)
	}
	return f, o, errs
}

// startRehearsal starts a rehearsal of the campaign as a background job of the user's (with
// the print runs' limits): a copy of the campaign's definition in a database of its own,
// filled with simulated responses. The live campaign is only read.
func (s *Server) startRehearsal(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	if s.rehearsals == nil {
		return errRehearsalOff
	}
	f, o, errs := newRehearsalForm(c)
	problem := ""
	path, exists := s.rehearsalPath(cp)
	switch {
	case len(errs) > 0:
		problem = msgRehearsalRefused
	case s.rehearsing.get(cp.ID).running():
		problem = msgRehearsalRunning
	case exists:
		problem = msgRehearsalExists
	}
	if problem != "" {
		d, err := s.rehearsalView(c, cp)
		if err != nil {
			return err
		}
		d.Form, d.Errors, d.Problem = f, errs, problem
		status := fiber.StatusUnprocessableEntity
		if len(errs) == 0 {
			status = fiber.StatusConflict
		}
		return s.renderPage(c, status, "rehearsal", d)
	}
	user := currentUser(c).ID
	title := fmt.Sprintf("Diễn tập %s phiếu (%s)", vn.Int(int64(o.Responses)), cp.Def.Code)
	// Checked again and started under the lock, so that two requests to this node never start
	// two runs.
	s.rehearsing.mu.Lock()
	if r := s.rehearsing.runs[cp.ID]; s.rehearsing.running(r) {
		s.rehearsing.mu.Unlock()
		return &Error{Status: fiber.StatusConflict, Msg: msgRehearsalRunning}
	}
	params := rehearsalParams{Campaign: cp.ID, Responses: o.Responses, Seed: o.Seed}
	j, err := s.jobs.Start(c.UserContext(), jobRehearsal, title, "dien-tap-"+cp.Def.Code+".txt", user, params)
	if err == nil {
		if s.rehearsing.runs == nil {
			s.rehearsing.runs = map[int64]*rehearsalRun{}
		}
		s.rehearsing.runs[cp.ID] = &rehearsalRun{jobID: j.ID, opts: o}
	}
	s.rehearsing.mu.Unlock()
	switch {
	case errors.Is(err, jobs.ErrUserBusy):
		return &Error{Status: fiber.StatusTooManyRequests, Msg: fmt.Sprintf(msgJobUserBusy, s.jobs.Limits().Running)}
	case errors.Is(err, jobs.ErrBusy):
		return &Error{Status: fiber.StatusTooManyRequests, Msg: msgJobBusy}
	case err != nil:
		return err
	}
	if err := s.db.Audit(c.UserContext(), user, "rehearsal.start", cp.ID, cp.Def.Code,
		map[string]any{"responses": o.Responses, "seed": o.Seed, "file": path}); err != nil {
		return err
	}
	s.setFlash(c, fmt.Sprintf(msgRehearsalStarted, vn.Int(int64(o.Responses))))
	return c.Redirect(fmt.Sprintf("/campaigns/%d/rehearsal", cp.ID), fiber.StatusSeeOther)
}

// jobRehearsal is the kind of job that fills a campaign's rehearsal copy (runRehearsal).
const jobRehearsal = "rehearsal"

// rehearsalParams are what a rehearsal job rehearses: the campaign and the options typed.
type rehearsalParams struct {
	Campaign  int64  `json:"campaign"`
	Responses int    `json:"responses"`
	Seed      uint64 `json:"seed"`
}

// runRehearsal runs a rehearsal job: the rehearsal copy goes where the claiming node keeps the
// campaign's rehearsal, its progress into the job's file, and the sentence of what it did into
// the job's result.
func (s *Server) runRehearsal(ctx context.Context, raw []byte, out *os.File, j *jobs.Job) error {
	if s.rehearsals == nil {
		return fmt.Errorf("rehearsal job %s: this node runs no rehearsals", j.ID)
	}
	var p rehearsalParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return fmt.Errorf("rehearsal job %s: params: %w", j.ID, err)
	}
	cp, err := s.db.Campaign(ctx, p.Campaign)
	if err != nil {
		return fmt.Errorf("rehearsal job %s: campaign %d: %w", j.ID, p.Campaign, err)
	}
	j.Set(0, 1)
	path := s.rehearsals.Path(cp.Def.Code)
	summary, err := s.rehearsals.Run(ctx, cp, path, RehearsalOptions{Responses: p.Responses, Seed: p.Seed}, out)
	if err != nil {
		return fmt.Errorf("rehearsal job %s, campaign %d, %s: %w", j.ID, cp.ID, path, err)
	}
	j.SetResult(summary)
	j.Set(1, 1)
	return nil
}
