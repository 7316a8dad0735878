//go:build e2e

package web

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parsurvey/parsurvey/internal/browsertest"
)

// The year-on-year page as staff use it, on a phone and on a desktop: the administrator links the
// two campaigns through the page's form, a wrong mapping sheet first (refused on its row), then
// the right one (the merged unit from two old units); the page shows the method and tree
// changes, the mean change per area and each unit's change.
func TestYearOnYearInChromium(t *testing.T) {
	t.Parallel()
	y := newYearOnYear(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "ghep-sai.csv")
	good := filepath.Join(dir, "ghep.csv")
	if err := os.WriteFile(bad, y.mappingCSV(y.camp.Def.Units[1].Code+";H09;1;"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, y.mappingCSV(), 0o644); err != nil {
		t.Fatal(err)
	}
	base := y.serve()
	page := base + y.url("")
	upload := func(file string) chromedp.Tasks {
		return chromedp.Tasks{
			chromedp.Navigate(page),
			chromedp.WaitVisible("#earlier", chromedp.ByID),
			chromedp.SetValue("#earlier", fmt.Sprint(y.earlier.ID), chromedp.ByID),
			chromedp.SetUploadFiles("#file", []string{file}, chromedp.ByID),
			chromedp.Click(`form[enctype="multipart/form-data"] button[type=submit]`, chromedp.ByQuery),
		}
	}
	for _, size := range []struct {
		name          string
		width, height int
	}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
		t.Run("the comparison reads on a "+size.name, func(t *testing.T) {
			ctx := newBrowser(t, size.width, size.height)
			if err := chromedp.Run(ctx, staffSignIn(base, "admin")); err != nil {
				t.Fatal(err)
			}
			if size.name == "phone" {
				// Linking through the page's own form: a wrong sheet first, then the right one.
				var alert string
				if err := chromedp.Run(ctx, upload(bad), chromedp.WaitVisible(".error", chromedp.ByQuery),
					chromedp.Text(".error", &alert, chromedp.ByQuery)); err != nil {
					t.Fatal(err)
				}
				browsertest.Screenshot(t, ctx, "results-compare-phone-error")
				if want := fmt.Sprintf("Dòng 4: mã đơn vị cũ 'H09' không có trong đợt %d.", y.earlier.Year); !strings.Contains(alert, want) {
					t.Errorf("the error says %q, want %q", alert, want)
				}
				if err := chromedp.Run(ctx, upload(good), chromedp.WaitVisible(".flash", chromedp.ByQuery)); err != nil {
					t.Fatal(err)
				}
			}
			var text string
			var overflow bool
			err := chromedp.Run(ctx,
				chromedp.Navigate(page),
				chromedp.WaitVisible("table.grid", chromedp.ByQuery),
				chromedp.Text("main", &text, chromedp.ByQuery),
				// Wide tables scroll inside their region; the page itself must not.
				chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow),
			)
			if err != nil {
				t.Fatal(err)
			}
			browsertest.Screenshot(t, ctx, "results-compare-"+size.name)
			browsertest.FullScreenshot(t, ctx, "results-compare-"+size.name+"-full")
			for _, want := range []string{"So sánh với năm trước", "ghep.csv", "Phương pháp tính điểm khác giữa hai năm", "Bình quân theo lĩnh vực",
				"ghép từ " + y.split[0] + ": 75,00%", y.camp.Def.Units[len(y.camp.Def.Units)-1].Name} {
				if !strings.Contains(text, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if overflow {
				t.Errorf("the page scrolls sideways at %d px", size.width)
			}
		})
	}
}
