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

func (s *Server) campaignPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "campaign", campaignData{pageData: s.page(c), C: cp, Tab: "overview"})
}

// lockCampaign closes the campaign at its deadline: no form is accepted after it (domain.md,
// "Closing at the deadline").
func (s *Server) lockCampaign(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != cp.Code {
		return &Error{Status: fiber.StatusBadRequest, Msg: "Để khóa đợt khảo sát, hãy gõ đúng mã đợt " + cp.Code + " vào ô xác nhận."}
	}
	switch err := s.db.LockCampaign(c.UserContext(), cp.ID, currentUser(c).ID); {
	case errors.Is(err, store.ErrLocked):
		return &Error{Status: fiber.StatusConflict, Msg: "Đợt khảo sát đã được khóa trước đó."}
	case err != nil:
		return err
	}
	s.setFlash(c, "Đã khóa đợt khảo sát: từ nay không nhận thêm phiếu, trực tuyến hay phiếu giấy.")
	return c.Redirect(fmt.Sprintf("/campaigns/%d", cp.ID), fiber.StatusSeeOther)
}

// auditData is the audit log page's view model.
type auditData struct {
	campaignData
	Entries []store.AuditEntry
}

// auditPage lists the campaign's latest audited actions: loads, issues, voids, keyings decided,
// rule changes, score runs, the lock.
func (s *Server) auditPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	entries, err := s.db.AuditLog(c.UserContext(), cp.ID, 500)
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "audit", auditData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "audit"}, Entries: entries})
}
