package web

import (
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
		var in []store.CampaignSummary
		for _, cs := range list {
			ok, err := s.db.CampaignInScope(ctx, u, cs.ID)
			if err != nil {
				return err
			}
			if ok {
				in = append(in, cs)
			}
		}
		list = in
	}
	return s.renderPage(c, fiber.StatusOK, "home", homeData{pageData: s.page(c), Campaigns: list})
}
