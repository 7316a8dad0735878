package web

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// issueForm is the posted "issue by quota" form: a group and a unit (empty for all) and the
// reserve in percent of each quota, as typed.
type issueForm struct {
	Group, Unit, Reserve string
	reserve              int
}

// newIssueForm copies the issuing form out of the request and checks it against the definition.
func newIssueForm(c *fiber.Ctx, def *campaign.Definition) (issueForm, fieldErrors) {
	f := issueForm{Group: postedText(c, "group"), Unit: postedText(c, "unit"), Reserve: postedText(c, "reserve")}
	errs := fieldErrors{}
	reserve := f.Reserve
	if reserve == "" {
		reserve = "0"
	}
	n, err := strconv.Atoi(reserve)
	if err != nil || n < 0 || n > 100 {
		errs.add("issue-reserve", msgReserveInvalid)
	}
	f.reserve = n
	checkGroupUnit(def, "issue", f.Group, f.Unit, errs)
	return f, errs
}

// issueForms issues what the selection still lacks of its quotas; a refused selection comes
// back on the issuing page with the reason next to the field.
func (s *Server) issueForms(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	f, errs := newIssueForm(c, cp.Def)
	if len(errs) > 0 {
		return s.refuseForms(c, cp, fiber.StatusUnprocessableEntity, errs, msgIssueRefused, "phat-phieu", func(d *formsData) { d.Issue = f })
	}
	n, err := s.issuingService().Issue(c.UserContext(), cp, f.Group, f.Unit, f.reserve, currentUser(c).ID)
	if fe := fault.As(err); fe != nil && fe.Msg != "" {
		errs.add("issue-group", fe.Msg)
		return s.refuseForms(c, cp, kindStatus[fe.Kind], errs, msgIssueRefused, "phat-phieu", func(d *formsData) { d.Issue = f })
	}
	if err != nil {
		return err
	}
	if n == 0 {
		s.setFlash(c, msgIssuedNone)
	} else {
		s.setFlash(c, fmt.Sprintf(msgIssued, vn.Int(int64(n))))
	}
	return c.Redirect(fmt.Sprintf("/campaigns/%d/forms", cp.ID), fiber.StatusSeeOther)
}
