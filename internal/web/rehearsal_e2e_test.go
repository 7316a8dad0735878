//go:build e2e

package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"github.com/parsurvey/parsurvey/internal/web"
)

// The rehearsal page at phone size, in Chromium: an analyst starts a rehearsal with the form,
// the page reloads itself until the run is done, then shows the rehearsal's figures under its
// banner, without spilling sideways; its progress page says the same.
func TestTheRehearsalPageInChromium(t *testing.T) {
	t.Parallel()
	e := newRehearsalEnv(t)
	ctx := web.NewBrowser(t, 390, 844)
	err := chromedp.Run(ctx,
		chromedp.Navigate(e.base+"/login"),
		chromedp.WaitVisible("#username", chromedp.ByID),
		chromedp.SendKeys("#username", "phantich", chromedp.ByID),
		chromedp.SendKeys("#password", testenv.Password, chromedp.ByID),
		chromedp.Submit("#password", chromedp.ByID),
		chromedp.WaitVisible(`form[action="/logout"]`, chromedp.ByQuery),
		chromedp.Navigate(e.page()),
		chromedp.WaitVisible("#rehearsal-responses", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.FullScreenshot(t, ctx, "rehearsal-form-390")
	wait, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	var text string
	var width int
	err = chromedp.Run(wait,
		chromedp.SetValue("#rehearsal-responses", "60", chromedp.ByID),
		chromedp.Submit("#rehearsal-responses", chromedp.ByID),
		chromedp.WaitVisible(`form[action$="/rehearsal/delete"] button`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("main").innerText`, &text),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &width),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.FullScreenshot(t, ctx, "rehearsal-390")
	for _, want := range []string{"Đây là bản diễn tập, không phải số liệu thật.", "Đã nhận", "Xem tiến độ của bản diễn tập"} {
		if !strings.Contains(text, want) {
			t.Errorf("the rehearsal page does not say %q:\n%s", want, text)
		}
	}
	if width > 390 {
		t.Errorf("the rehearsal page is %d px wide at 390 px", width)
	}
	err = chromedp.Run(ctx,
		chromedp.Click(`a[href$="/rehearsal/dashboard"]`, chromedp.ByQuery),
		chromedp.WaitVisible("main h2", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("main").innerText`, &text),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &width),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.FullScreenshot(t, ctx, "rehearsal-dashboard-390")
	if !strings.Contains(text, "Đây là bản diễn tập, không phải số liệu thật.") || !strings.Contains(text, "[Diễn tập]") {
		t.Errorf("the rehearsal's progress page:\n%s", text)
	}
	if width > 390 {
		t.Errorf("the rehearsal's progress page is %d px wide at 390 px", width)
	}
}
