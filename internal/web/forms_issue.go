package web

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// issueForm is the posted "issue by quota" form: a group and a unit (empty for all) and the
// reserve in percent of each quota, as typed; or, for a matrix group, a list of unit codes and
// how many forms to issue for exactly that list (issue 12, item 6).
type issueForm struct {
	Group, Unit, Reserve string
	Units, Count         string
	reserve, count       int
	units                []string
}

// newIssueForm copies the issuing form out of the request and checks it against the definition.
func newIssueForm(c *fiber.Ctx, def *campaign.Definition) (issueForm, fieldErrors) {
	f := issueForm{Group: postedText(c, "group"), Unit: postedText(c, "unit"), Reserve: postedText(c, "reserve"),
		Units: postedText(c, "units"), Count: postedText(c, "count")}
	errs := fieldErrors{}
	checkGroupUnit(def, "issue", f.Group, f.Unit, errs)
	if f.Units != "" {
		f.checkSubset(def, errs)
		return f, errs
	}
	reserve := f.Reserve
	if reserve == "" {
		reserve = "0"
	}
	n, err := strconv.Atoi(reserve)
	if err != nil || n < 0 || n > 100 {
		errs.add("issue-reserve", msgReserveInvalid)
	}
	f.reserve = n
	return f, errs
}

// checkSubset checks the unit list of a matrix form and its count: a matrix group is chosen,
// no single unit, and the list names units the group evaluates (campaign.UnitSubset).
func (f *issueForm) checkSubset(def *campaign.Definition, errs fieldErrors) {
	count := f.Count
	if count == "" {
		count = "1"
	}
	n, err := strconv.Atoi(count)
	if err != nil || n < 1 || n > formcode.MaxSerial {
		errs.add("issue-count", fmt.Sprintf(msgSubsetCount, formcode.MaxSerial))
	}
	f.count = n
	g := def.Group(f.Group)
	switch {
	case f.Group == "":
		errs.add("issue-group", msgSubsetNoGroup)
		return
	case g == nil || g.Imported():
		return // checkGroupUnit said why
	case f.Unit != "":
		errs.add("issue-unit", msgSubsetAndUnit)
		return
	}
	units, err := def.UnitSubset(g, campaign.SplitUnitList(f.Units))
	if err != nil {
		errs.add("issue-units", vn.Capitalize(err.Error())+".") // UnitSubset's messages are written for staff
		return
	}
	f.units = units
}

// issueForms issues what the selection still lacks of its quotas, or the matrix forms a list of
// units still lacks; a refused selection comes back on the issuing page with the reason next to
// the field and what was typed kept.
func (s *Server) issueForms(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	f, errs := newIssueForm(c, cp.Def)
	if len(errs) > 0 {
		return s.refuseForms(c, cp, fiber.StatusUnprocessableEntity, errs, msgIssueRefused, "phat-phieu", func(d *formsData) { d.Issue = f })
	}
	var n int
	if f.units != nil {
		n, err = s.issuingService().IssueUnits(c.UserContext(), cp, f.Group, f.units, f.count, currentUser(c).ID)
	} else {
		n, err = s.issuingService().Issue(c.UserContext(), cp, f.Group, f.Unit, f.reserve, currentUser(c).ID)
	}
	if fe := fault.As(err); fe != nil && fe.Msg != "" {
		field := "issue-group"
		if f.units != nil {
			field = "issue-units"
		}
		errs.add(field, fe.Msg)
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
