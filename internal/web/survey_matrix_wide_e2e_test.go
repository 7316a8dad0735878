//go:build e2e

package web

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
)

// On a laptop the matrix grid of 20 units scrolls inside its own box: the page itself stays one
// screen wide, and a section's heading stays in view when the respondent scrolls to the last
// units.
func TestMatrixGridScrollsInsideItsBoxOnALaptopInChromium(t *testing.T) {
	t.Parallel()
	e, issued := newMatrixEnv(t, 20, 1)
	base := e.serve()
	ctx := newBrowser(t, 1280, 900)
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/p/"+issued[0].Token), chromedp.WaitVisible("#mx", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	if parts := evalInt(t, ctx, `document.querySelectorAll('.mx-part th > span').length`); parts == 0 {
		t.Fatal("the grid has no section heading to check")
	}
	if w := evalInt(t, ctx, `document.documentElement.scrollWidth`); w > 1280 {
		t.Errorf("the page is %d px wide on a 1280 px screen: the grid escapes its scroll box", w)
	}
	if grid := evalInt(t, ctx, `(() => { const s = document.querySelector('.mx-scroll'); return s.scrollWidth - s.clientWidth })()`); grid < 900 {
		t.Fatalf("the grid of 20 units overflows its box by only %d px: nothing to scroll", grid)
	}
	// Scroll the grid to its far side: the heading's text must still start inside the box.
	gap := evalInt(t, ctx, `(() => {
		const s = document.querySelector('.mx-scroll');
		s.scrollLeft = s.scrollWidth;
		const h = document.querySelector('.mx-part th > span').getBoundingClientRect();
		return Math.round(h.left - s.getBoundingClientRect().left);
	})()`)
	browsertest.Screenshot(t, ctx, "matrix-laptop-scrolled")
	if gap < 0 || gap > 40 {
		t.Errorf("scrolled to the last unit, the section heading starts %d px from the grid's left edge, want it in view", gap)
	}
}
