package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/store"
)

// auditLimit is how many of the latest entries the audit log page lists.
const auditLimit = 500

// auditData is the audit log page's view model.
type auditData struct {
	campaignData
	Limit   int
	Entries []auditRow
}

// auditRow is one line of the audit log as staff read it: a Vietnamese sentence, with the
// stored action, subject and detail kept for whoever needs them.
type auditRow struct {
	At                      time.Time
	By                      string
	Sentence                string
	Action, Subject, Detail string
}

// auditPage lists the campaign's latest audited actions: loads, issues, voids, keyings decided,
// rule changes, score runs, the lock.
func (s *Server) auditPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	entries, err := s.db.AuditLog(ctx, cp.ID, auditLimit)
	if err != nil {
		return err
	}
	users, err := s.db.Users(ctx, "")
	if err != nil {
		return err
	}
	names := auditNames{def: cp.Def, users: map[int64]store.User{}}
	for _, u := range users {
		names.users[u.ID] = u
	}
	d := auditData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "audit"}, Limit: auditLimit}
	for _, e := range entries {
		row := auditRow{At: e.At, By: e.Username, Sentence: auditSentence(e, names), Action: e.Action, Subject: e.Subject}
		if e.Detail != "null" {
			row.Detail = e.Detail
		}
		d.Entries = append(d.Entries, row)
	}
	return s.renderPage(c, fiber.StatusOK, "audit", d)
}
