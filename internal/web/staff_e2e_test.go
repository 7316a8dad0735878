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

// Staff pages as an analyst sees them: the campaign overview and the issuing page, where a
// whole campaign is issued with one click and a printing job runs to its download link.
func TestIssuingPagesInChromium(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := e.serve()
	ctx := newBrowser(t, 1280, 900)
	forms := fmt.Sprintf("%s/campaigns/%d/forms", base, e.camp.ID)
	var text string
	err := chromedp.Run(ctx,
		staffSignIn(base, "phantich"), // issuing and printing are the analyst's (routes.go)
		chromedp.Navigate(fmt.Sprintf("%s/campaigns/%d", base, e.camp.ID)),
		chromedp.WaitVisible("main h1", chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "campaign-overview")
	err = chromedp.Run(ctx,
		chromedp.Navigate(forms),
		chromedp.WaitVisible(`form[action$="/forms/issue"] button`, chromedp.ByQuery),
		chromedp.Click(`form[action$="/forms/issue"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(".flash", chromedp.ByQuery),
		chromedp.Text(".flash", &text, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, "Đã phát thêm") {
		t.Fatalf("flash after issuing: %q", text)
	}
	browsertest.Screenshot(t, ctx, "forms-issued")
	// Print one group and unit; the job page refreshes itself until the download appears.
	err = chromedp.Run(ctx,
		chromedp.SetValue(`form[action$="/print"] select[name=group]`, "S2", chromedp.ByQuery),
		chromedp.SetValue(`form[action$="/print"] select[name=unit]`, "SNV", chromedp.ByQuery),
		chromedp.Click(`form[action$="/print"] button`, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		chromedp.Run(ctx, chromedp.Text("main", &text, chromedp.ByQuery))
		if strings.Contains(text, "Tải về") || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	browsertest.Screenshot(t, ctx, "print-job")
	if !strings.Contains(text, "Tải về phieu-demo-2026-S2-SNV.pdf") {
		t.Fatalf("job page: %s", text)
	}
}
