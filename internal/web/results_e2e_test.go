//go:build e2e

package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
)

// The appraisal council's first page: staff sign in, compute a score run and read the ranking
// and one unit's criteria tree, in a real browser.
func TestResultsInChromium(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	c := e.client()
	posted := 0
	for _, g := range e.camp.Def.Groups {
		if g.Imported() {
			continue
		}
		q := e.camp.Def.Questionnaire(g.Form)
		units := e.camp.Def.UnitsOfKind(g.Evaluates)
		for i, f := range forms[g.Code] {
			if i%3 != 0 {
				continue
			}
			if resp, body := c.post("/p/"+f.Token, answers(q, units, 1+(i/3+len(f.Unit))%4, "sid-"+f.Code)); resp.StatusCode != 200 {
				t.Fatalf("submit %s: %d\n%s", f.Code, resp.StatusCode, body)
			}
			posted++
		}
	}
	base := e.serve()
	ctx := newBrowser(t, 1280, 900)
	results := fmt.Sprintf("%s/campaigns/%d/results", base, e.camp.ID)
	err := chromedp.Run(ctx,
		staffSignIn(base, "admin"),
		chromedp.Navigate(results),
		chromedp.WaitVisible("main", chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Compute a run with the page's own button.
	if err := chromedp.Run(ctx,
		chromedp.Click(`form[action$="/results/runs"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("table", chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	var text string
	if err := chromedp.Run(ctx, chromedp.Text("main", &text, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "results-ranking")
	first := e.camp.Def.UnitsOfKind("so")[0].Name
	for _, want := range []string{first, "Xếp hạng"} {
		if !strings.Contains(text, want) {
			t.Errorf("results page lacks %q", want)
		}
	}
	unit := e.camp.Def.UnitsOfKind("so")[0].Code
	if err := chromedp.Run(ctx, chromedp.Navigate(fmt.Sprintf("%s/units/%s", results, unit)), chromedp.WaitVisible("table", chromedp.ByQuery),
		chromedp.Text("main", &text, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "results-unit")
	if !strings.Contains(text, e.camp.Def.Areas[0].Name) {
		t.Errorf("unit page lacks the first area %q", e.camp.Def.Areas[0].Name)
	}
	if posted == 0 {
		t.Fatal("no form posted")
	}
}
