package web

import (
	"fmt"
	"log/slog"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/config"
	"github.com/parsurvey/parsurvey/internal/outreach"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// newOutreach builds the outreach service, with an SMTP mailer when a server is configured.
func newOutreach(db *store.DB, cfg config.Config, log *slog.Logger) (*outreach.Service, error) {
	var mailer outreach.Mailer
	if cfg.SMTP.Addr != "" {
		m, err := outreach.NewSMTP(outreach.SMTPConfig{Addr: cfg.SMTP.Addr, User: cfg.SMTP.User, Password: cfg.SMTP.Password,
			From: cfg.SMTP.From, TLS: cfg.SMTP.TLS, CAFile: cfg.SMTP.CAFile})
		if err != nil {
			return nil, err
		}
		mailer = m
	}
	return outreach.New(db, cfg.BaseURL, mailer, outreach.Options{Rate: cfg.SMTP.Rate, Log: log}), nil
}

// sendEmails queues an e-mail for every person of the selection due one and sends the user to
// the send's progress; sending goes on in the background.
func (s *Server) sendEmails(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	errs := fieldErrors{}
	sel, kind := selection(c, cp.Def, errs)
	if len(errs) > 0 {
		return &Error{Status: fiber.StatusUnprocessableEntity, Msg: msgKindInvalid}
	}
	id, n, err := s.outreach.SendEmails(c.UserContext(), cp, sel, kind, currentUser(c).ID)
	if err != nil {
		return err
	}
	s.setFlash(c, fmt.Sprintf(msgInviteQueued, vn.Int(int64(n))))
	return c.Redirect(fmt.Sprintf("/campaigns/%d/invitations/sends/%d", cp.ID, id), fiber.StatusSeeOther)
}
