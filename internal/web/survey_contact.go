package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
)

// Every page a respondent reads (the questionnaire, the receipt, each notice and error) says
// whom to ask for help: the contact in the campaign's definition. A link that matches no form
// has no campaign; its page shows the contact of the campaign taking forms now (the only
// campaign stored, or the only one open, or several open ones sharing one contact) and a
// generic line otherwise. A voided link gets that same page, so that it tells a prober nothing.

// contactKey is the request local holding the contact of the form's campaign.
const contactKey = "parsurvey.contact"

// contactOf is a definition's contact, nil when it gives none.
func contactOf(def *campaign.Definition) *campaign.Contact {
	if def == nil || def.Contact.IsZero() {
		return nil
	}
	c := def.Contact
	return &c
}

// requestContact is the contact for this request's page: its form's campaign's when the form
// is known, otherwise the fallback.
func (s *Server) requestContact(c *fiber.Ctx) *campaign.Contact {
	if ct, ok := c.Locals(contactKey).(*campaign.Contact); ok {
		return ct
	}
	return s.fallbackContact(c)
}

// fallbackTTL is how long the fallback contact is reused: unknown links are frequent when
// someone guesses, and the campaigns change rarely.
const fallbackTTL = time.Minute

// fallbackContact is the contact shown where no campaign is known (see above), cached briefly.
func (s *Server) fallbackContact(c *fiber.Ctx) *campaign.Contact {
	s.surveys.mu.Lock()
	fb := s.surveys.fallback
	s.surveys.mu.Unlock()
	if fb != nil && time.Since(fb.at) < fallbackTTL {
		return fb.contact
	}
	ct, err := s.openCampaignsContact(c)
	if err != nil {
		s.log.Warn("fallback contact", "err", err)
		return nil
	}
	s.surveys.mu.Lock()
	s.surveys.fallback = &fallbackContact{contact: ct, at: time.Now()}
	s.surveys.mu.Unlock()
	return ct
}

// fallbackContact is a cached fallback contact (nil: the generic line) and when it was found.
type fallbackContact struct {
	contact *campaign.Contact
	at      time.Time
}

func (s *Server) openCampaignsContact(c *fiber.Ctx) (*campaign.Contact, error) {
	ctx := c.UserContext()
	list, err := s.db.Campaigns(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.Now()
	var open []*campaign.Contact
	for _, sum := range list {
		camp, err := s.db.Campaign(ctx, sum.ID)
		if err != nil {
			return nil, err
		}
		if len(list) == 1 {
			return contactOf(camp.Def), nil
		}
		if camp.LockedAt.IsZero() && camp.Def.InWindow(now) {
			open = append(open, contactOf(camp.Def))
		}
	}
	if len(open) == 0 {
		return nil, nil
	}
	for _, ct := range open[1:] {
		if ct == nil || open[0] == nil || *ct != *open[0] {
			return nil, nil
		}
	}
	return open[0], nil
}
