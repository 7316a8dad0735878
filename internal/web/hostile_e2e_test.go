//go:build e2e

package web

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
)

// Pages of a campaign named with hostile text, opened in Chromium at phone size: no script of
// it runs (no dialog opens, no element of it is in the page), and the text reads as text.
func TestHostileNamesRunNoScriptInChromium(t *testing.T) {
	t.Parallel()
	e := newHostileEnv(t)
	base := e.testEnv.serve()
	ctx := newBrowser(t, 390, 844)
	dialogs := 0
	chromedp.ListenTarget(ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs++
			go chromedp.Run(ctx, page.HandleJavaScriptDialog(false))
			t.Errorf("a dialog opened: %q", d.Message)
		}
	})
	signedIn := false
	const injected = `document.querySelectorAll('img[src="x"], svg[onload], script:not([src])').length`
	for _, p := range []struct{ name, path string }{
		{"respondent", "/p/" + e.online[1].Token},
		{"campaign", fmt.Sprintf("/campaigns/%d", e.camp.ID)},
		{"forms", fmt.Sprintf("/campaigns/%d/forms", e.camp.ID)},
		{"results", fmt.Sprintf("/campaigns/%d/results", e.camp.ID)},
		{"paper", fmt.Sprintf("/campaigns/%d/paper", e.camp.ID)},
	} {
		var n int
		var text string
		tasks := chromedp.Tasks{}
		if p.name != "respondent" && !signedIn {
			tasks, signedIn = append(tasks, staffSignIn(base, "admin")), true
		}
		tasks = append(tasks, chromedp.Navigate(base+p.path), chromedp.WaitVisible("body", chromedp.ByQuery),
			chromedp.Evaluate(injected, &n), chromedp.Evaluate(`document.body.innerText`, &text))
		if err := chromedp.Run(ctx, tasks); err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		browsertest.Screenshot(t, ctx, "hostile-"+p.name+"-390")
		if n != 0 {
			t.Errorf("%s: %d elements of hostile markup in the page", p.name, n)
		}
		if !strings.Contains(text, `<script>alert("xss")</script>`) && !strings.Contains(text, `onerror=alert(1)>`) {
			t.Errorf("%s: the hostile text is not shown as text:\n%.600s", p.name, text)
		}
	}
}

// The results report of a campaign named with hostile text prints that text as text: the PDF
// reads back through pdftotext with the markup, quotes and formula characters as they were
// written, and renders to an image.
func TestHostileNamesPrintAsTextInThePDF(t *testing.T) {
	t.Parallel()
	e := newHostileEnv(t)
	resp, body := e.admin.get(fmt.Sprintf("/campaigns/%d/results/export.pdf", e.camp.ID))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "%PDF") {
		t.Fatalf("status %d, %.100q", resp.StatusCode, body)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "ket-qua.pdf")
	if err := os.WriteFile(pdf, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", pdf, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{`<script>alert("xss")</script>`, `=HYPERLINK("http://ke-xau.test","bấm")`, `' OR 1=1; DROP TABLE responses; --`} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not print %q as text:\n%.1500s", want, text)
		}
	}
	if b, err := exec.Command("pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", pdf, filepath.Join(dir, "trang")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, b)
	}
	if pages, _ := filepath.Glob(filepath.Join(dir, "trang*.png")); len(pages) != 1 {
		t.Fatalf("rendered %v", pages)
	}
}
