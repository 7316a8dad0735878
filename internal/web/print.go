package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/issuing"
	"github.com/parsurvey/parsurvey/internal/jobs"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// printForm is the posted print form: a group and a unit, empty for all.
type printForm struct {
	Group, Unit string
}

// newPrintForm copies the print form out of the request and checks it against the definition.
func newPrintForm(c *fiber.Ctx, def *campaign.Definition) (printForm, fieldErrors) {
	f := printForm{Group: postedText(c, "group"), Unit: postedText(c, "unit")}
	errs := fieldErrors{}
	checkGroupUnit(def, "print", f.Group, f.Unit, errs)
	return f, errs
}

// startPrint starts a print run as a background job and sends the user to its progress page:
// one PDF for one group × unit, a ZIP for more. A selection with nothing issued comes back on
// the issuing page, saying to issue first.
func (s *Server) startPrint(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	f, errs := newPrintForm(c, cp.Def)
	sel := issuing.Selection{Group: f.Group, Unit: f.Unit}
	svc := s.issuingService()
	var plan issuing.Plan
	if len(errs) == 0 {
		if plan, err = svc.Plan(c.UserContext(), cp, sel); err != nil {
			return err
		}
		if plan.Copies == 0 {
			// Said next to the narrowest of the two selects.
			field := "print-group"
			if f.Unit != "" {
				field = "print-unit"
			}
			errs.add(field, msgPrintNothingIssued)
		}
	}
	if len(errs) > 0 {
		return s.refuseForms(c, cp, fiber.StatusUnprocessableEntity, errs, msgPrintRefused, "in-phieu", func(d *formsData) { d.Print = f })
	}
	name := cp.Code
	if sel.Group != "" {
		name += "-" + sel.Group
	}
	if sel.Unit != "" {
		name += "-" + sel.Unit
	}
	// One group × unit is one PDF, ready to print; more is a ZIP of a PDF per group × unit.
	ext := ".zip"
	if plan.PDF() {
		ext = ".pdf"
	}
	title := fmt.Sprintf("In %s bản phiếu (%s)", vn.Int(int64(plan.Copies)), name)
	params := printParams{Campaign: cp.ID, Group: sel.Group, Unit: sel.Unit, Copies: plan.Copies, Runs: plan.Runs}
	j, err := s.jobs.Start(c.UserContext(), jobPrint, title, "phieu-"+name+ext, currentUser(c).ID, params)
	switch {
	case errors.Is(err, jobs.ErrUserBusy):
		return &Error{Status: fiber.StatusTooManyRequests, Msg: fmt.Sprintf(msgJobUserBusy, s.jobs.Limits().Running)}
	case errors.Is(err, jobs.ErrBusy):
		return &Error{Status: fiber.StatusTooManyRequests, Msg: msgJobBusy}
	case err != nil:
		return err
	}
	return c.Redirect("/jobs/"+j.ID, fiber.StatusSeeOther)
}

// jobPrint is the kind of job that prints a selection's forms (runPrint).
const jobPrint = "print"

// printParams are what a print job prints: the campaign, the selection, and the plan counted
// when it was started, which chose its file's format (a PDF or a ZIP) and name.
type printParams struct {
	Campaign int64  `json:"campaign"`
	Group    string `json:"group"`
	Unit     string `json:"unit"`
	Copies   int    `json:"copies"`
	Runs     int    `json:"runs"`
}

// runPrint runs a print job, on whichever node claimed it.
func (s *Server) runPrint(ctx context.Context, raw []byte, out *os.File, j *jobs.Job) error {
	var p printParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return fmt.Errorf("print job %s: params: %w", j.ID, err)
	}
	cp, err := s.db.Campaign(ctx, p.Campaign)
	if err != nil {
		return fmt.Errorf("print job %s: campaign %d: %w", j.ID, p.Campaign, err)
	}
	sel := issuing.Selection{Group: p.Group, Unit: p.Unit}
	if err := s.issuingService().Print(ctx, cp, sel, issuing.Plan{Copies: p.Copies, Runs: p.Runs}, out, j.Set); err != nil {
		return fmt.Errorf("print job %s, campaign %d: %w", j.ID, cp.ID, err)
	}
	return nil
}
