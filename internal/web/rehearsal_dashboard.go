package web

import "github.com/gofiber/fiber/v2"

// rehearsalDashboard shows the rehearsal's progress page, figures read from the rehearsal's
// own database, per group and unit, under the banner that says it is not the live data
// (msgRehearsalBanner); nothing on it writes, and it links to no
// page of the live data but the campaign's tabs.
func (s *Server) rehearsalDashboard(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	// With no rehearsal to show, the rehearsal page says so (and offers to start one).
	if s.rehearsals == nil {
		return s.rehearsalPage(c)
	}
	if _, exists := s.rehearsalPath(cp); !exists || s.rehearsing.get(cp.ID).running() {
		d, err := s.rehearsalView(c, cp)
		if err != nil {
			return err
		}
		if !d.Running {
			d.Problem = msgRehearsalNone
		}
		return s.renderPage(c, fiber.StatusOK, "rehearsal", d)
	}
	rdb, rc, err := s.openRehearsal(c, cp)
	if err != nil {
		s.log.Error("rehearsal: open", "campaign", cp.ID, "err", err)
		return &Error{Status: fiber.StatusConflict, Msg: msgRehearsalUnreadable}
	}
	defer rdb.Close()
	p, err := rdb.Progress(c.UserContext(), rc.ID, populationFields(rc.Def)...)
	if err != nil {
		return err
	}
	data := buildDashboard(rc.Def, p, rdb.Now())
	// The rehearsal's campaign under the live campaign's number, so that the tabs stay on the
	// live campaign's pages; its name says "[Diễn tập]".
	view := *rc
	view.ID = cp.ID
	data.campaignData = campaignData{pageData: s.page(c), C: &view, Tab: "rehearsal"}
	return s.renderPage(c, fiber.StatusOK, "rehearsal_dashboard", rehearsalDashData{dashboardData: data, Banner: msgRehearsalBanner})
}

// rehearsalDashData is the view model of a rehearsal's progress page: the progress page's
// figures, read from the rehearsal, and the banner that says so.
type rehearsalDashData struct {
	dashboardData
	Banner string
}
