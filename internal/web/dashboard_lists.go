package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/store"
)

// dashboardLists is the dashboard's view of the respondent lists: per group × unit, how many
// people are listed, were invited, opened their link and answered (no names).
func (s *Server) dashboardLists(c *fiber.Ctx, cp *store.Campaign) ([]listRow, error) {
	counts, err := s.db.ListCounts(c.UserContext(), cp.ID)
	if err != nil {
		return nil, err
	}
	rows := make([]listRow, len(counts))
	for i, lc := range counts {
		rows[i] = listRow{ListCount: lc, Name: listName(cp.Def, lc.Group, lc.Unit), Query: listQuery(lc.Group, lc.Unit)}
	}
	return rows, nil
}
