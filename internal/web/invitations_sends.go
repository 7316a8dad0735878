package web

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/store"
)

// sendData is the view model of an e-mail send's progress.
type sendData struct {
	campaignData
	Send    *store.Send
	Sending bool
	Percent int
}

// sendPage shows how far an e-mail send is, every failure with the server's answer, and a way
// to resume when the sender stopped (a restart) with e-mails still queued.
func (s *Server) sendPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	id, err := paramID(c, "send")
	if err != nil {
		return err
	}
	send, err := s.db.SendProgress(c.UserContext(), cp.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return &Error{Status: fiber.StatusNotFound, Msg: msgSendNotFound}
	}
	if err != nil {
		return err
	}
	d := sendData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "respondents"}, Send: send, Sending: s.outreach.Sending()}
	if t := send.Total(); t > 0 {
		d.Percent = send.Done() * 100 / t
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.renderPage(c, fiber.StatusOK, "invitations_send", d)
}

// resumeSending starts the sender again on what is still queued.
func (s *Server) resumeSending(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	id, err := paramID(c, "send")
	if err != nil {
		return err
	}
	s.outreach.Resume()
	s.setFlash(c, msgInviteResumed)
	return c.Redirect(fmt.Sprintf("/campaigns/%d/invitations/sends/%d", cp.ID, id), fiber.StatusSeeOther)
}
