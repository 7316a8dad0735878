//go:build e2e

package web

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
)

func TestDashboardPopulationsOnAPhone(t *testing.T) {
	t.Parallel()
	e, path := newPopulationsEnv(t)
	base := e.serve()
	ctx := newBrowser(t, 360, 800)
	signIn(t, ctx, base, path)
	if err := chromedp.Run(ctx, chromedp.ScrollIntoView("#nhom-S3-dt", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('#nhom-S3 .dash-populations tbody tr').length`, &rows)); err != nil {
		t.Fatal(err)
	}
	if rows != 3 {
		t.Errorf("S3 shows %d population rows, want 3", rows)
	}
	var scrollWidth int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth)); err != nil {
		t.Fatal(err)
	}
	if scrollWidth > 360 {
		t.Errorf("page is %d px wide on a 360 px phone", scrollWidth)
	}
	browsertest.Screenshot(t, ctx, "dashboard-populations-phone")
}
