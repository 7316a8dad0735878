package web

import (
	"context"
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
	user := currentUser(c).ID
	j, err := s.jobs.Start(title, "phieu-"+name+ext, user, func(ctx context.Context, out *os.File, j *jobs.Job) error {
		err := svc.Print(ctx, cp, sel, plan, out, j.Set)
		if err != nil {
			s.log.Error("print job failed", "job", j.ID, "campaign", cp.ID, "user", user, "err", err)
		}
		return err
	})
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
