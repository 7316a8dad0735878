package web

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
)

// assignForm is the posted form that hands a range of serial numbers of one group and unit to
// an enumerator, as typed.
type assignForm struct {
	Enumerator, Group, Unit, From, To string
	enumerator                        int64
	from, to                          int
}

// newAssignForm copies the assigning form out of the request and checks it against the
// definition. A single-unit group needs its unit; a matrix form has none.
func newAssignForm(c *fiber.Ctx, def *campaign.Definition) (assignForm, fieldErrors) {
	f := assignForm{Enumerator: postedText(c, "enumerator"), Group: postedText(c, "group"), Unit: postedText(c, "unit"),
		From: postedText(c, "from"), To: postedText(c, "to")}
	errs := fieldErrors{}
	var err error
	if f.enumerator, err = strconv.ParseInt(f.Enumerator, 10, 64); err != nil || f.enumerator <= 0 {
		errs.add("assign-enumerator", msgAssignEnumerator)
	}
	switch {
	case f.Group == "":
		errs.add("assign-group", msgGroupRequired)
	case f.Unit == "" && !matrixGroup(def, f.Group) && def.Group(f.Group) != nil:
		errs.add("assign-unit", msgUnitRequired)
	}
	checkGroupUnit(def, "assign", f.Group, f.Unit, errs)
	if f.from, err = strconv.Atoi(f.From); err != nil || f.from < 1 {
		errs.add("assign-from", msgAssignFrom)
	} else if f.to, err = strconv.Atoi(f.To); err != nil || f.to < f.from {
		errs.add("assign-to", msgAssignTo)
	}
	return f, errs
}

// assignForms hands a range of forms to an enumerator; a refused range comes back on the
// issuing page with the reason next to the field.
func (s *Server) assignForms(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	f, errs := newAssignForm(c, cp.Def)
	if _, bad := errs["assign-enumerator"]; !bad {
		if u, err := s.db.UserByID(c.UserContext(), f.enumerator); err != nil || u.Role != store.RoleEnumerator {
			errs.add("assign-enumerator", msgAssignNotEnumerator)
		}
	}
	var codes []string
	if len(errs) == 0 {
		err = s.db.Forms(c.UserContext(), cp.ID, store.FormFilter{Group: f.Group, Unit: f.Unit}, func(form *store.IssuedForm) error {
			if form.Serial >= f.from && form.Serial <= f.to {
				codes = append(codes, form.Code)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(codes) == 0 {
			errs.add("assign-from", msgAssignNone)
		}
	}
	if len(errs) > 0 {
		return s.refuseForms(c, cp, fiber.StatusUnprocessableEntity, errs, msgAssignRefused, "giao-phieu", func(d *formsData) { d.Assign = f })
	}
	n, err := s.db.Assign(c.UserContext(), cp.ID, codes, f.enumerator, currentUser(c).ID)
	if err != nil {
		return err
	}
	s.setFlash(c, fmt.Sprintf(msgAssigned, n, codes[0], codes[len(codes)-1]))
	return c.Redirect(fmt.Sprintf("/campaigns/%d/forms", cp.ID), fiber.StatusSeeOther)
}
