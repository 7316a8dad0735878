//go:build e2e

package web

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
)

// buttonLook is a button's text and its computed colours, as the browser paints them.
type buttonLook struct {
	Text, Color, Background string
	Width                   float64
}

const buttonLooks = `[...document.querySelectorAll("table.accounts td.actions button, table.accounts form button")].map(b => {
	const s = getComputedStyle(b); return {Text: b.textContent.trim(), Color: s.color, Background: s.backgroundColor, Width: b.getBoundingClientRect().width};
})`

// The account page's actions were white on white: every button reads against its own
// background, at phone and at desktop size.
func TestAccountActionsAreVisibleInChromium(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := e.serve()
	for _, size := range []struct{ w, h int }{{360, 800}, {1280, 900}} {
		t.Run(fmt.Sprintf("%dpx", size.w), func(t *testing.T) {
			ctx := newBrowser(t, size.w, size.h)
			var looks []buttonLook
			err := chromedp.Run(ctx,
				staffSignIn(base, "admin"),
				chromedp.Navigate(base+"/users"),
				chromedp.WaitVisible("main h1", chromedp.ByQuery),
				chromedp.Evaluate(buttonLooks, &looks),
			)
			if err != nil {
				t.Fatal(err)
			}
			browsertest.FullScreenshot(t, ctx, fmt.Sprintf("users-%d", size.w))
			if len(looks) < 8 {
				t.Fatalf("only %d account actions on the page: %+v", len(looks), looks)
			}
			for _, l := range looks {
				if l.Color == l.Background || l.Width < 20 || (l.Color == "rgb(255, 255, 255)" && l.Background == "rgba(0, 0, 0, 0)") {
					t.Errorf("the button %q does not read: %+v", l.Text, l)
				}
			}
		})
	}
}

// The audit page at phone and desktop size: the filters and the log, in Vietnamese sentences.
func TestTheAuditPageInChromium(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := e.serve()
	for _, size := range []struct{ w, h int }{{360, 800}, {1280, 900}} {
		t.Run(fmt.Sprintf("%dpx", size.w), func(t *testing.T) {
			ctx := newBrowser(t, size.w, size.h)
			var sentences []string
			var overflow bool
			err := chromedp.Run(ctx,
				staffSignIn(base, "admin"),
				chromedp.Navigate(base+"/audit?what=tai-khoan"),
				chromedp.WaitVisible("table.audit", chromedp.ByQuery),
				chromedp.Evaluate(`[...document.querySelectorAll("table.audit tbody tr td:nth-child(4)")].map(td => td.textContent)`, &sentences),
				chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow),
			)
			if err != nil {
				t.Fatal(err)
			}
			browsertest.FullScreenshot(t, ctx, fmt.Sprintf("audit-%d", size.w))
			if len(sentences) == 0 || sentences[0] != "Đăng nhập" {
				t.Fatalf("sentences %q", sentences)
			}
			if overflow {
				t.Error("the page is wider than the screen (the table scrolls in its own region)")
			}
		})
	}
}
