//go:build e2e

package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// TestMatrixFormForAListOnAPhone issues the 2026 demo's council delegates' form (S1) for three
// agencies from the issuing page in Chromium, a mistyped code first, and opens the form on a
// 360 px phone: three agencies to rate, not twenty.
func TestMatrixFormForAListOnAPhone(t *testing.T) {
	t.Parallel()
	db := testenv.Open(t)
	camp := testenv.Demo2026(t, db)
	testenv.AddStaff(t, db)
	db.SetClock(func() time.Time { return time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) })
	e := &testEnv{t: t, db: db, srv: newServer(t, db), camp: camp}
	base := e.serve()
	ctx := newBrowser(t, 360, 800)
	if err := chromedp.Run(ctx, staffSignIn(base, "admin")); err != nil {
		t.Fatal(err)
	}
	var kept, msg string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+e.formsURL("")),
		chromedp.WaitVisible("#issue-group", chromedp.ByID),
		chromedp.SetValue("#issue-group", "S1", chromedp.ByID),
		chromedp.Click("#phat-phieu details summary", chromedp.ByQuery),
		chromedp.SendKeys("#issue-units", "SNV, STC, SNVV", chromedp.ByID),
		chromedp.Submit("#issue-units", chromedp.ByID),
		chromedp.WaitVisible("#issue-units-loi", chromedp.ByID),
		chromedp.Text("#issue-units-loi", &msg, chromedp.ByID),
		chromedp.Value("#issue-units", &kept, chromedp.ByID),
	); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, `"SNVV"`) || kept != "SNV, STC, SNVV" {
		t.Fatalf("error %q, kept %q", msg, kept)
	}
	if err := chromedp.Run(ctx, chromedp.ScrollIntoView("#issue-units", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "issue-units-error-phone")
	if err := chromedp.Run(ctx,
		chromedp.SetValue("#issue-units", "SNV, STC, VPUB", chromedp.ByID),
		chromedp.Submit("#issue-units", chromedp.ByID),
		chromedp.WaitVisible(".flash, [role=status]", chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	var f *store.IssuedForm
	db.Forms(context.Background(), camp.ID, store.FormFilter{Group: "S1"}, func(x *store.IssuedForm) error { f = x; return nil })
	if f == nil || len(f.Units) != 3 {
		t.Fatalf("issued %+v", f)
	}
	var columns, width int
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/p/"+f.Token),
		chromedp.WaitVisible("form.survey", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('th.mx-unit').length`, &columns),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &width),
	); err != nil {
		t.Fatal(err)
	}
	if columns != 3 {
		t.Errorf("%d agencies on the page, want 3", columns)
	}
	if width > 360 {
		t.Errorf("page is %d px wide on a 360 px phone", width)
	}
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.scrollTo(0, document.querySelector('form.survey').getBoundingClientRect().top + window.scrollY)`, nil)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, fmt.Sprintf("matrix-list-%d-units-phone", columns))
}
