//go:build e2e

package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
)

// A refused staff form, as a person sees it in a browser: printing before issuing and a wrong
// lock code come back on the same page, the message next to the field, the choices kept.
func TestStaffFormRefusalsInChromium(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := e.serve()
	ctx := newBrowser(t, 1280, 900)
	var msg, group, unit string
	err := chromedp.Run(ctx,
		staffSignIn(base, "admin"),
		chromedp.Navigate(fmt.Sprintf("%s/campaigns/%d/forms", base, e.camp.ID)),
		chromedp.WaitVisible(`#print-group`, chromedp.ByQuery),
		chromedp.SetValue(`#print-group`, "S2", chromedp.ByQuery),
		chromedp.SetValue(`#print-unit`, "SNV", chromedp.ByQuery),
		chromedp.Click(`form[action$="/print"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#print-unit-loi`, chromedp.ByQuery),
		chromedp.Text(`#print-unit-loi`, &msg, chromedp.ByQuery),
		chromedp.Value(`#print-group`, &group, chromedp.ByQuery),
		chromedp.Value(`#print-unit`, &unit, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "print-before-issuing")
	if !strings.Contains(msg, "hãy phát phiếu trước khi in") || group != "S2" || unit != "SNV" {
		t.Fatalf("print refused: message %q, group %q, unit %q", msg, group, unit)
	}
	var typed string
	err = chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/campaigns/%d", base, e.camp.ID)),
		chromedp.WaitVisible(`#confirm`, chromedp.ByQuery),
		chromedp.SendKeys(`#confirm`, "demo", chromedp.ByQuery),
		chromedp.Submit(`#confirm`, chromedp.ByQuery),
		chromedp.WaitVisible(`#confirm-loi`, chromedp.ByQuery),
		chromedp.Text(`#confirm-loi`, &msg, chromedp.ByQuery),
		chromedp.Value(`#confirm`, &typed, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "lock-wrong-code")
	if !strings.Contains(msg, e.camp.Code) || typed != "demo" {
		t.Fatalf("lock refused: message %q, typed %q", msg, typed)
	}
}
