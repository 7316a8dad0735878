//go:build e2e

package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parsurvey/parsurvey/internal/browsertest"
)

func TestAnalysisPageInChromium(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fx := e.answerForAnalysis()
	base := e.serve()
	path := fmt.Sprintf("/campaigns/%d/results/analysis?form=%s&unit=%s", e.camp.ID, e.camp.Def.Group(fx.single.Code).Form, fx.unit.Code)
	ctx := newBrowser(t, 360, 800)
	if err := chromedp.Run(ctx, staffSignIn(base, "admin")); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	for _, size := range []struct {
		name string
		w, h int
	}{{"phone", 360, 800}, {"laptop", 1280, 900}} {
		t.Run("the analysis page reads on a "+size.name, func(t *testing.T) {
			var overflow bool
			var heading, freq string
			if err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(size.w), int64(size.h)),
				chromedp.Navigate(base+path), chromedp.WaitVisible("#tan-suat", chromedp.ByID),
				chromedp.Text("h1", &heading, chromedp.ByQuery),
				chromedp.Text("#tan-suat ~ .scroll table", &freq, chromedp.ByQuery),
				// The page itself never scrolls sideways: wide tables scroll inside their region.
				chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow),
			); err != nil {
				t.Fatal(err)
			}
			if heading != "Phân tích số liệu" || !strings.Contains(freq, "Phiếu hợp lệ") {
				t.Errorf("heading %q, first frequency table %q", heading, freq)
			}
			if overflow {
				t.Errorf("the page is wider than a %d px window", size.w)
			}
			browsertest.FullScreenshot(t, ctx, "analysis-"+size.name)
			if err := chromedp.Run(ctx, chromedp.Navigate(fmt.Sprintf("%s/campaigns/%d/results/analysis/precision", base, e.camp.ID)),
				chromedp.WaitVisible("#phuong-phap", chromedp.ByID),
				chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow)); err != nil {
				t.Fatal(err)
			}
			if overflow {
				t.Errorf("the precision page is wider than a %d px window", size.w)
			}
			browsertest.FullScreenshot(t, ctx, "analysis-precision-"+size.name)
		})
	}
}
