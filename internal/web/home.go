package web

import (
	"slices"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/store"
)

type homeData struct {
	pageData
	Campaigns []store.CampaignSummary
}

// home lists the campaigns in the signed-in user's scope; enumerators go on to their keying.
func (s *Server) home(c *fiber.Ctx) error {
	u := currentUser(c)
	if u.Role == store.RoleEnumerator {
		return c.Redirect("/keying", fiber.StatusSeeOther)
	}
	ctx := c.UserContext()
	list, err := s.db.Campaigns(ctx)
	if err != nil {
		return err
	}
	if u.Scoped() {
		ids, err := s.db.CampaignsInScope(ctx, u)
		if err != nil {
			return err
		}
		list = slices.DeleteFunc(list, func(cs store.CampaignSummary) bool { return !slices.Contains(ids, cs.ID) })
	}
	return s.renderPage(c, fiber.StatusOK, "home", homeData{pageData: s.page(c), Campaigns: list})
}
