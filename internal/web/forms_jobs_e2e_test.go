//go:build e2e

package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
)

// The print history as an analyst sees it after two print runs: one group × unit as a PDF,
// a whole group as a ZIP, each with its file and until when it is kept.
func TestPrintHistoryInChromium(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.login("phantich") // printing is the analyst's (routes.go)
	g := e.camp.Def.Groups[1]
	unit := e.camp.Def.UnitsOfKind(g.Evaluates)[0].Code
	c.post(e.formsURL("/issue"), url.Values{"group": {g.Code}, "unit": {""}, "reserve": {"0"}})
	base := e.serve()
	ctx := newBrowser(t, 1280, 700)
	var text string
	err := chromedp.Run(ctx,
		staffSignIn(base, "phantich"),
		chromedp.Navigate(fmt.Sprintf("%s/campaigns/%d/forms", base, e.camp.ID)),
		chromedp.SetValue(`form[action$="/print"] select[name=group]`, g.Code, chromedp.ByQuery),
		chromedp.SetValue(`form[action$="/print"] select[name=unit]`, unit, chromedp.ByQuery),
		chromedp.Click(`form[action$="/print"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`a.button[href$="/file"]`, chromedp.ByQuery),
		chromedp.Navigate(fmt.Sprintf("%s/campaigns/%d/forms", base, e.camp.ID)),
		chromedp.SetValue(`form[action$="/print"] select[name=group]`, g.Code, chromedp.ByQuery),
		chromedp.Click(`form[action$="/print"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`a.button[href$="/file"]`, chromedp.ByQuery),
		chromedp.Click(`a[href="/jobs"]`, chromedp.ByQuery),
		chromedp.WaitVisible("main table", chromedp.ByQuery),
		chromedp.Text("main", &text, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "print-history")
	for _, want := range []string{"Các lượt in của bạn", fmt.Sprintf("phieu-%s-%s-%s.pdf", e.camp.Code, g.Code, unit),
		fmt.Sprintf("phieu-%s-%s.zip", e.camp.Code, g.Code), "Đã xong"} {
		if !strings.Contains(text, want) {
			t.Errorf("history lacks %q:\n%s", want, text)
		}
	}
}
