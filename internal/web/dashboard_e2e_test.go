//go:build e2e

package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
	"github.com/parsurvey/parsurvey/internal/campaign"
)

// collectMore posts real online submissions over the first two weeks of the campaign, a few a
// day across the online groups, so that the charts have a shape to look at.
func (e *dashboardEnv) collectMore(t *testing.T) {
	t.Helper()
	def := e.camp.Def
	respondent := e.client()
	respondent.ip = "198.51.100.8"
	next := map[string]int{}
	for day := 4; day <= 14; day++ {
		for k := 0; k < day%4+1; k++ {
			at := time.Date(2026, 11, day, 8+k, 15, 0, 0, campaign.Zone)
			e.db.SetClock(func() time.Time { return at })
			g := []string{"S3", "H2", "S1", "S5"}[(day+k)%4]
			forms := e.forms[g]
			i := len(forms) - 1 - next[g] // from the end: the fixture's forms are at the start
			next[g]++
			f := forms[i]
			q := def.Questionnaire(def.Group(g).Form)
			var units []campaign.Unit
			if q.Shape == campaign.ShapeMatrix {
				units = def.UnitsOfKind(def.Group(g).Evaluates)
			}
			resp, body := respondent.post("/p/"+f.Token, answers(q, units, 1+k%3, fmt.Sprintf("more-%d-%d", day, k)))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s on %d/11: status %d\n%s", f.Code, day, resp.StatusCode, body)
			}
		}
	}
	e.db.SetClock(func() time.Time { return dashDay3 })
}

// signIn opens the dashboard as a supervisor through the real sign-in form, which sends the
// browser on to the page it came for.
func signIn(t *testing.T, ctx context.Context, base, path string) {
	t.Helper()
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+path),
		chromedp.WaitVisible("#username", chromedp.ByQuery),
		chromedp.SendKeys("#username", "giamsat", chromedp.ByQuery),
		chromedp.SendKeys("#password", testPassword, chromedp.ByQuery),
		chromedp.Click(`form[action="/login"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".dash-kpis", chromedp.ByQuery),
	); err != nil {
		t.Fatalf("sign in and open the dashboard: %v", err)
	}
}

func TestDashboardInChromium(t *testing.T) {
	t.Parallel()
	e := newDashboardEnv(t)
	e.collectMore(t)
	base := e.serve()
	path := fmt.Sprintf("/campaigns/%d/dashboard", e.camp.ID)
	// One browser for both sizes: the window is resized and the page reloaded between them.
	ctx := newBrowser(t, 1280, 900)
	signIn(t, ctx, base, path)

	for _, size := range []struct {
		name string
		w, h int
	}{{"laptop", 1280, 900}, {"phone", 360, 800}} {
		t.Run("the dashboard reads on a "+size.name, func(t *testing.T) {
			if err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(size.w), int64(size.h)),
				chromedp.Navigate(base+path), chromedp.WaitVisible(".dash-kpis", chromedp.ByQuery)); err != nil {
				t.Fatal(err)
			}
			var kpis string
			if err := chromedp.Run(ctx, chromedp.Text(".dash-kpis", &kpis, chromedp.ByQuery)); err != nil {
				t.Fatal(err)
			}
			if kpis == "" {
				t.Fatal("no key figures")
			}
			// Both charts are drawn, within the window, with some height.
			var charts []map[string]float64
			if err := chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll('.dash-chart svg')].map(s => {
				const r = s.getBoundingClientRect(); return {w: r.width, h: r.height, right: r.right} })`, &charts)); err != nil {
				t.Fatal(err)
			}
			if len(charts) != 2 {
				t.Fatalf("%d charts", len(charts))
			}
			for _, c := range charts {
				if c["h"] < 100 || c["right"] > float64(size.w) {
					t.Errorf("chart drawn %v × %v ending at %v in a %d px window", c["w"], c["h"], c["right"], size.w)
				}
			}
			browsertest.Screenshot(t, ctx, "dashboard-"+size.name)
			browsertest.FullScreenshot(t, ctx, "dashboard-"+size.name+"-full")
			if size.name != "phone" {
				return
			}
			// Nothing makes the page wider than the phone: wide tables scroll in their wrappers.
			var scrollWidth int
			if err := chromedp.Run(ctx, chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth)); err != nil {
				t.Fatal(err)
			}
			if scrollWidth > size.w {
				t.Errorf("page is %d px wide on a %d px phone", scrollWidth, size.w)
			}
			var scrollers int
			if err := chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll('.dash-scroll')].filter(d => d.scrollWidth > d.clientWidth).length`, &scrollers)); err != nil {
				t.Fatal(err)
			}
			if scrollers == 0 {
				t.Error("no table scrolls sideways on a phone: either they squeeze or the wrapper does nothing")
			}
			// Chart text stays readable after the chart shrinks to the phone's width.
			var px float64
			if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => { const t = document.querySelector('.dash-chart svg text');
				return t.getBoundingClientRect().height })()`, &px)); err != nil {
				t.Fatal(err)
			}
			if px < 9 {
				t.Errorf("chart text is %.1f px high on a phone", px)
			}
			// The group tables keep the unit name in view while scrolling sideways.
			if err := chromedp.Run(ctx, chromedp.ScrollIntoView("#nhom-S3", chromedp.ByQuery),
				chromedp.Evaluate(`document.querySelector('#nhom-S3 .dash-scroll').scrollLeft = 400`, nil)); err != nil {
				t.Fatal(err)
			}
			browsertest.Screenshot(t, ctx, "dashboard-phone-group-scrolled")
		})
	}
}
