package web

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/store"
)

// voidCodeForm is the posted form that voids a lost or spoiled form, as typed.
type voidCodeForm struct {
	Code, Reason string
	Replace      bool
	code         formcode.Code
}

// newVoidCodeForm copies the voiding form out of the request and checks the code's check
// character and that a reason is given.
func newVoidCodeForm(c *fiber.Ctx) (voidCodeForm, fieldErrors) {
	f := voidCodeForm{Code: postedText(c, "code"), Reason: postedText(c, "reason"), Replace: c.FormValue("replace") == "1"}
	errs := fieldErrors{}
	var err error
	if f.code, err = formcode.Parse(f.Code); err != nil {
		errs.add("void-code", err.Error()) // formcode's errors are written for the person typing
	}
	if f.Reason == "" {
		errs.add("void-reason", msgVoidReason)
	}
	return f, errs
}

// voidForm voids an issued form, and issues its replacement when asked; a refused code comes
// back on the issuing page with the reason next to it.
func (s *Server) voidForm(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	f, errs := newVoidCodeForm(c)
	refuse := func(status int) error {
		return s.refuseForms(c, cp, status, errs, msgVoidRefused, "huy-phieu", func(d *formsData) { d.Void = f })
	}
	if len(errs) > 0 {
		return refuse(fiber.StatusUnprocessableEntity)
	}
	code := f.code.String()
	if form, err := s.db.FormByCode(c.UserContext(), code); err != nil || form.CampaignID != cp.ID {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		errs.add("void-code", fmt.Sprintf(msgCodeUnknown, code))
		return refuse(fiber.StatusUnprocessableEntity)
	}
	rep, err := s.db.VoidForm(c.UserContext(), code, f.Reason, f.Replace, currentUser(c).ID)
	switch {
	case errors.Is(err, store.ErrAlreadyVoided):
		errs.add("void-code", fmt.Sprintf(msgVoidAlready, code))
		return refuse(fiber.StatusConflict)
	case errors.Is(err, store.ErrAnswered):
		errs.add("void-code", fmt.Sprintf(msgVoidAnswered, code))
		return refuse(fiber.StatusConflict)
	case err != nil:
		return err
	}
	msg := fmt.Sprintf(msgVoided, code)
	if rep != nil {
		msg += fmt.Sprintf(msgVoidReplaced, rep.Code)
	}
	s.setFlash(c, msg)
	return c.Redirect(fmt.Sprintf("/campaigns/%d/forms?code=%s", cp.ID, code), fiber.StatusSeeOther)
}
