//go:build e2e

package web

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
)

// The account page's actions were white on white: every button reads against its background.
func TestAccountActionsAreVisibleInChromium(t *testing.T) {
	e := newEnv(t)
	base := e.serve()
	ctx := browsertest.New(t, 360, 800)
	var colors []string
	err := chromedp.Run(ctx,
		staffSignIn(base, "admin"),
		chromedp.Navigate(base+"/users"),
		chromedp.WaitVisible("main h1", chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll("main button.link")].map(b => getComputedStyle(b).color)`, &colors),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.FullScreenshot(t, ctx, "users-360")
	if len(colors) < 4 {
		t.Fatalf("only %d account actions on the page", len(colors))
	}
	for _, c := range colors {
		if c == "rgb(255, 255, 255)" {
			t.Fatalf("an account action is white on the white card: %v", colors)
		}
	}
}
