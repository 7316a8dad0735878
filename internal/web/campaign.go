package web

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/store"
)

// campaignData is the view model of every page about one campaign.
type campaignData struct {
	pageData
	C   *store.Campaign
	Tab string
}

// paramID reads a numeric route parameter; a bad one is a page not found.
func paramID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
	}
	return id, nil
}

// campaign returns the campaign named by the :id parameter.
func (s *Server) campaign(c *fiber.Ctx) (*store.Campaign, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	cp, err := s.db.Campaign(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
	}
	return cp, err
}

// campaignPageData is the campaign overview's view model, with the lock form as typed.
type campaignPageData struct {
	campaignData
	Lock   lockForm
	Errors fieldErrors
}

func (s *Server) campaignPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "campaign", campaignPageData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "overview"}})
}

// lockForm is the posted lock form: the campaign code typed as confirmation.
type lockForm struct {
	Confirm string
}

// newLockForm copies the lock form out of the request and checks the code typed is the
// campaign's.
func newLockForm(c *fiber.Ctx, cp *store.Campaign) (lockForm, fieldErrors) {
	f := lockForm{Confirm: postedText(c, "confirm")}
	errs := fieldErrors{}
	if f.Confirm != cp.Code {
		errs.add("confirm", fmt.Sprintf(msgLockConfirm, cp.Code))
	}
	return f, errs
}

// lockCampaign closes the campaign at its deadline: no form is accepted after it (domain.md,
// "Closing at the deadline"). A wrong confirmation comes back on the overview, next to the field.
func (s *Server) lockCampaign(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	f, errs := newLockForm(c, cp)
	if len(errs) > 0 {
		d := campaignPageData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "overview"}, Lock: f, Errors: errs}
		return s.renderPage(c, fiber.StatusBadRequest, "campaign", d)
	}
	switch err := s.db.LockCampaign(c.UserContext(), cp.ID, currentUser(c).ID); {
	case errors.Is(err, store.ErrLocked):
		return &Error{Status: fiber.StatusConflict, Msg: msgLockAlready}
	case err != nil:
		return err
	}
	s.setFlash(c, msgLocked)
	return c.Redirect(fmt.Sprintf("/campaigns/%d", cp.ID), fiber.StatusSeeOther)
}
