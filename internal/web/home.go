package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/store"
)

type homeData struct {
	pageData
	Campaigns []store.CampaignSummary
}

func (s *Server) home(c *fiber.Ctx) error {
	if currentUser(c).Role == store.RoleEnumerator {
		return c.Redirect("/keying", fiber.StatusSeeOther)
	}
	list, err := s.db.Campaigns(c.UserContext())
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "home", homeData{pageData: s.page(c), Campaigns: list})
}
