//go:build e2e

package issuing

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
)

// decodeAll renders a PDF and returns every QR payload zbarimg finds, sorted.
func decodeAll(t *testing.T, pdfPath string) []string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("pdftoppm", "-r", "110", "-png", pdfPath, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	var got []string
	for _, p := range pages {
		out, _ := exec.Command("zbarimg", "--raw", "-q", p).Output()
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if l != "" {
				got = append(got, l)
			}
		}
	}
	sort.Strings(got)
	return got
}

func TestPrintedFormsCarryTheirOwnLinkAndVietnameseText(t *testing.T) {
	// Two copies per group and unit keep the rendering quick; the layout is the same.
	svc, c := newService(t, 2)
	ctx := context.Background()
	for _, g := range c.Def.Groups {
		if g.Imported() {
			continue
		}
		q := c.Def.Questionnaire(g.Form)
		unit := ""
		if q.Shape == campaign.ShapeSingle {
			unit = c.Def.UnitsOfKind(g.Evaluates)[0].Code
		}
		t.Run(g.Code+" prints with every QR equal to its form's link", func(t *testing.T) {
			if _, err := svc.Issue(ctx, c, g.Code, unit, 0, 0); err != nil {
				t.Fatal(err)
			}
			sel := Selection{Group: g.Code, Unit: unit}
			if unit == "" {
				sel.Unit = "MT"
			}
			var want []string
			var codes []string
			svc.DB.Forms(ctx, c.ID, store.FormFilter{Group: sel.Group, Unit: sel.Unit}, func(f *store.IssuedForm) error {
				want = append(want, svc.Link(f.Token))
				codes = append(codes, f.Code)
				return nil
			})
			sort.Strings(want)
			path := filepath.Join(t.TempDir(), "out.pdf")
			f, _ := os.Create(path)
			if err := svc.PrintPDF(ctx, c, sel, f); err != nil {
				t.Fatal(err)
			}
			f.Close()
			got := decodeAll(t, path)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("decoded %d QR codes, want %d distinct links\n got %v\nwant %v", len(got), len(want), got, want)
			}
			text, err := exec.Command("pdftotext", "-layout", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			for _, code := range codes {
				if !strings.Contains(string(text), code) {
					t.Errorf("code %s not printed", code)
				}
			}
			if g.Has(campaign.ChannelPaper) {
				if !strings.Contains(string(text), strings.Fields(q.Title)[0]) || !strings.Contains(string(text), "Trang 1/") {
					t.Errorf("questionnaire text missing")
				}
			} else if !strings.Contains(string(text), "Quét mã QR") {
				t.Errorf("slip instruction missing:\n%s", text)
			}
		})
	}
}
