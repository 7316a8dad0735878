//go:build e2e

package web

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
)

// A Sở Nội vụ officer opens the campaign list, the campaign page and the results on a 390 px
// phone: wide tables scroll inside their own box and the run's long digest wraps, so the page
// itself never scrolls sideways.
func TestStaffPagesFitA390PxPhoneInChromium(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	c := e.client()
	for _, g := range e.camp.Def.Groups {
		if g.Imported() {
			continue
		}
		q := e.camp.Def.Questionnaire(g.Form)
		units := e.camp.Def.UnitsOfKind(g.Evaluates)
		for i, f := range forms[g.Code] {
			if i%4 != 0 {
				continue
			}
			if resp, body := c.post("/p/"+f.Token, answers(q, units, 1+i%4, "sid-"+f.Code)); resp.StatusCode != 200 {
				t.Fatalf("submit %s: %d\n%s", f.Code, resp.StatusCode, body)
			}
		}
	}
	base := e.serve()
	ctx := newBrowser(t, 390, 844)
	results := fmt.Sprintf("%s/campaigns/%d/results", base, e.camp.ID)
	if err := chromedp.Run(ctx,
		staffSignIn(base, "admin"),
		chromedp.Navigate(results),
		chromedp.Click(`form[action$="/results/runs"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("code.digest", chromedp.ByQuery),
	); err != nil {
		t.Fatalf("compute a run from the results page: %v", err)
	}
	pages := []struct{ name, path, table string }{
		{"staff-phone-home", "/", "main table.grid"},
		{"staff-phone-campaign", fmt.Sprintf("/campaigns/%d", e.camp.ID), "#nhom-doi-tuong + .scroll table"},
		{"staff-phone-results", fmt.Sprintf("/campaigns/%d/results", e.camp.ID), "#cac-lan-tinh + .scroll table"},
		{"staff-phone-unit", fmt.Sprintf("/campaigns/%d/results/units/%s", e.camp.ID, e.camp.Def.UnitsOfKind("so")[0].Code), "main table"},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			var width int
			var nameWidth, rowHead float64
			if err := chromedp.Run(ctx,
				chromedp.Navigate(base+p.path),
				chromedp.WaitVisible(p.table, chromedp.ByQuery),
				chromedp.Evaluate(`document.documentElement.scrollWidth`, &width),
				// The widest first-or-second column cell: a name squeezed to one word a line is
				// narrower than 140 px.
				chromedp.Evaluate(`Math.max(...[...document.querySelectorAll('td.name')].map(td => td.getBoundingClientRect().width), 0)`, &nameWidth),
				// The narrowest row heading (a unit or group name) of a staff table.
				chromedp.Evaluate(`Math.min(...[...document.querySelectorAll('table.grid tbody th[scope=row]')].map(th => th.getBoundingClientRect().width).filter(w => w > 0), 1e9)`, &rowHead),
			); err != nil {
				t.Fatal(err)
			}
			browsertest.FullScreenshot(t, ctx, p.name)
			if width > 390 {
				t.Errorf("%s is %d px wide on a 390 px phone", p.path, width)
			}
			if rowHead < 110 {
				t.Errorf("%s squeezes a row heading to %.0f px", p.path, rowHead)
			}
			if nameWidth != 0 && nameWidth < 140 {
				t.Errorf("%s squeezes its name column to %.0f px", p.path, nameWidth)
			}
		})
	}
}
