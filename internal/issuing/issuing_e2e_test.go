//go:build e2e

package issuing

// These tests print forms the way the service does and read them back the way people and
// phones will: rendered by pdftoppm, photographed (as ImageMagick's convert distorts them) and
// decoded by zbarimg, and extracted by pdftotext (poppler-utils, imagemagick, zbar-tools). Run
// them with go test -tags e2e ./internal/issuing/.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

func need(t *testing.T, programs ...string) {
	t.Helper()
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("%s is not installed: %v", p, err)
		}
	}
	if out, err := exec.Command("convert", "-version").Output(); err != nil || !bytes.Contains(out, []byte("ImageMagick")) || bytes.Contains(out, []byte("not installed")) {
		t.Fatalf("convert is not ImageMagick's (apt-get install imagemagick): %v", err)
	}
}

// render turns every page of a PDF into a 150 dpi image and returns their paths in page order.
// The images are PPM, not PNG: the pixels are the same, and pdftoppm spends nine tenths of its
// time compressing PNG.
func render(t *testing.T, pdfPath string) []string {
	t.Helper()
	prefix := filepath.Join(filepath.Dir(pdfPath), strings.TrimSuffix(filepath.Base(pdfPath), ".pdf"))
	if out, err := exec.Command("pdftoppm", "-r", "150", pdfPath, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, err := filepath.Glob(prefix + "-*.ppm")
	if err != nil || len(pages) == 0 {
		t.Fatalf("pdftoppm made no pages: %v", err)
	}
	slices.Sort(pages) // pdftoppm pads page numbers to the same width
	return pages
}

// photograph distorts a rendered page the way a phone camera held over a desk would: turned by
// 4°, out of focus (Gaussian blur, σ 1.2 px at 150 dpi, by ImageMagick's -blur: the Gaussian
// of -gaussian-blur in two one-dimensional passes, quicker), grainy (Gaussian noise, a seed per page
// so that a failure can be repeated), and taken from further away (shrunk to 70%, about 105 dpi).
func photograph(img string, seed int) (string, error) {
	out := strings.TrimSuffix(img, ".ppm") + "-photo.ppm"
	cmd := exec.Command("convert", img, "-background", "white", "-rotate", "4", "-blur", "0x1.2",
		"-seed", fmt.Sprint(seed), "-attenuate", "1", "+noise", "Gaussian", "-resize", "70%", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("convert %s: %v\n%s", img, err, b)
	}
	return out, nil
}

// cutSlips cuts a rendered slip sheet along its lines into its eight slips, in reading order,
// as the office does with scissors before the slips are handed out.
func cutSlips(img string) ([]string, error) {
	prefix := strings.TrimSuffix(img, ".ppm") + "-slip"
	cmd := exec.Command("convert", img, "-crop", "2x4@", "+repage", prefix+"-%d.ppm")
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("convert %s: %v\n%s", img, err, b)
	}
	out := make([]string, 8)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%d.ppm", prefix, i)
	}
	return out, nil
}

// decode returns the sorted texts of all QR codes zbarimg finds on an image.
func decode(img string) ([]string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", img)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 4 {
		return nil, nil // no symbol found
	}
	if err != nil {
		return nil, fmt.Errorf("zbarimg %s: %v\n%s", img, err, stderr.String())
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		if line != "" {
			out = append(out, line)
		}
	}
	slices.Sort(out)
	return out, nil
}

// shot is one photograph to take: an image, the seed of its noise, and where its QR texts go.
type shot struct {
	img  string
	seed int
	out  *[]string
}

// photographAll photographs and decodes the shots on all processors.
func photographAll(t *testing.T, shots []shot) {
	t.Helper()
	errs := make([]error, len(shots))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				photo, err := photograph(shots[i].img, shots[i].seed)
				if err == nil {
					*shots[i].out, err = decode(photo)
				}
				errs[i] = err
			}
		}()
	}
	for i := range shots {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// printBatch is a campaign's print run for the first unit of each group (or its matrix forms):
// one copy of every questionnaire of the demo, S1 put on paper too so that a matrix
// questionnaire is printed, and a full sheet of eight slips of each online-only group, S3
// (single) and H1 (matrix).
type printBatch struct {
	svc *Service
	c   *store.Campaign
	dir string
}

func newBatch(t *testing.T, baseURL string) *printBatch {
	t.Helper()
	db := testenv.Open(t)
	def, err := campaign.Load(forms.FS, forms.Demo3Cap)
	if err != nil {
		t.Fatal(err)
	}
	for i := range def.Groups {
		g := &def.Groups[i]
		if g.Code == "S1" {
			g.Channels = []campaign.Channel{campaign.ChannelOnline, campaign.ChannelPaper}
		}
		g.Quota, g.QuotaOverrides = 1, nil
		if !g.Has(campaign.ChannelPaper) {
			g.Quota = 8
		}
	}
	c, _, err := db.SaveDefinition(context.Background(), def, 0)
	if err != nil {
		t.Fatal(err)
	}
	return &printBatch{svc: &Service{DB: db, BaseURL: baseURL}, c: c, dir: t.TempDir()}
}

// printed is one printed file of the batch: a group × unit and the forms on it, in print order.
type printed struct {
	group *campaign.Group
	sel   Selection
	path  string
	forms []*store.IssuedForm
	slips bool
}

// print issues and prints a group's copies for its first unit (MT for a matrix form).
func (b *printBatch) print(t *testing.T, g *campaign.Group) printed {
	t.Helper()
	ctx := context.Background()
	unit := formcode.Matrix
	if b.c.Def.Questionnaire(g.Form).Shape == campaign.ShapeSingle {
		unit = b.c.Def.UnitsOfKind(g.Evaluates)[0].Code
	}
	issueUnit := unit
	if unit == formcode.Matrix {
		issueUnit = ""
	}
	if _, err := b.svc.Issue(ctx, b.c, g.Code, issueUnit, 0, 0); err != nil {
		t.Fatal(err)
	}
	p := printed{group: g, sel: Selection{Group: g.Code, Unit: unit}, slips: !g.Has(campaign.ChannelPaper),
		path: filepath.Join(b.dir, g.Code+"_"+unit+".pdf")}
	if err := b.svc.DB.Forms(ctx, b.c.ID, store.FormFilter{Group: g.Code, Unit: unit}, func(f *store.IssuedForm) error {
		p.forms = append(p.forms, f)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	plan, err := b.svc.Plan(ctx, b.c, p.sel)
	if err != nil || !plan.PDF() {
		t.Fatalf("plan %+v, %v: want one PDF", plan, err)
	}
	f, err := os.Create(p.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.svc.Print(ctx, b.c, p.sel, plan, f, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// wantQRs is what each page of a printed file must decode to: a questionnaire's first page its
// copy's short link and its other pages nothing; a slip sheet the links of its eight slips.
func (b *printBatch) wantQRs(t *testing.T, p printed, pages int) [][]string {
	t.Helper()
	want := make([][]string, pages)
	if p.slips {
		for i, f := range p.forms {
			want[i/8] = append(want[i/8], b.svc.ShortLink(f.Short))
		}
		for i := range want {
			slices.Sort(want[i])
		}
		return want
	}
	per := pages / len(p.forms)
	if per*len(p.forms) != pages {
		t.Fatalf("%d pages for %d copies", pages, len(p.forms))
	}
	for i, f := range p.forms {
		want[i*per] = []string{b.svc.ShortLink(f.Short)}
	}
	return want
}

// TestEveryPrintedQRScansFromAPhotoOfThePage prints a batch with every questionnaire shape of
// the demo and invitation slips, photographs every page and checks that every QR code decodes
// to its own form's short link, and that nothing else does. A respondent's phone sees one slip,
// cut from its sheet: each slip is photographed on its own, and the photograph of the whole
// sheet must show no QR code of another sheet. (zbarimg reading eight symbols in one picture
// misses one in about two hundred, whatever their size; cut out, none in 320 photographs.) On
// a longer site address, whose links take a larger QR version, the pages and slips that carry
// QR codes are photographed.
func TestEveryPrintedQRScansFromAPhotoOfThePage(t *testing.T) {
	t.Parallel()
	need(t, "pdftoppm", "zbarimg", "convert")
	for _, base := range []struct {
		name, url string
		every     bool
	}{
		{"every page, on the demo's address", testBaseURL, true},
		{"the pages with QR codes, on a longer provincial address", "https://khaosat.sonoivu.binhan.gov.vn", false},
	} {
		t.Run(base.name, func(t *testing.T) {
			t.Parallel() // a batch of its own
			b := newBatch(t, base.url)
			type check struct {
				what      string
				got, want []string
				subset    bool // a whole slip sheet: what it shows must be its own
			}
			var checks []*check
			var shots []shot
			shapes := map[string]bool{}
			for i := range b.c.Def.Groups {
				g := &b.c.Def.Groups[i]
				if g.Imported() {
					continue
				}
				p := b.print(t, g)
				shape := string(b.c.Def.Questionnaire(g.Form).Shape)
				pages := render(t, p.path)
				want := b.wantQRs(t, p, len(pages))
				for page, img := range pages {
					if p.slips {
						shapes["thư mời "+shape] = true
						slips, err := cutSlips(img)
						if err != nil {
							t.Fatal(err)
						}
						for k, slip := range slips {
							if n := page*8 + k; n < len(p.forms) {
								c := &check{what: fmt.Sprintf("%s slip %s", g.Code, p.forms[n].Code), want: []string{b.svc.ShortLink(p.forms[n].Short)}}
								checks = append(checks, c)
								shots = append(shots, shot{slip, len(shots) + 1, &c.got})
							}
						}
						c := &check{what: fmt.Sprintf("%s slip sheet %d", g.Code, page+1), want: want[page], subset: true}
						checks = append(checks, c)
						shots = append(shots, shot{img, len(shots) + 1, &c.got})
						continue
					}
					shapes["phiếu "+shape] = true
					if !base.every && len(want[page]) == 0 {
						continue
					}
					c := &check{what: fmt.Sprintf("%s (phiếu %s) page %d", g.Code, shape, page+1), want: want[page]}
					checks = append(checks, c)
					shots = append(shots, shot{img, len(shots) + 1, &c.got})
				}
			}
			photographAll(t, shots)
			decoded := 0
			for _, c := range checks {
				ok := slices.Equal(c.got, c.want)
				if c.subset {
					ok = !slices.ContainsFunc(c.got, func(s string) bool { return !slices.Contains(c.want, s) })
				} else {
					decoded += len(c.got)
				}
				if !ok {
					t.Errorf("%s: decoded %q, want %q", c.what, c.got, c.want)
				}
			}
			for _, k := range []string{"phiếu single", "phiếu matrix", "thư mời single", "thư mời matrix"} {
				if !shapes[k] {
					t.Errorf("the batch printed no %s", k)
				}
			}
			t.Logf("%d QR codes decoded from %d photographs", decoded, len(shots))
		})
	}
}

func TestPrintedFormsCarryTheirShortLinkAndVietnameseText(t *testing.T) {
	t.Parallel()
	need(t, "pdftotext")
	b := newBatch(t, testBaseURL)
	for i := range b.c.Def.Groups {
		g := &b.c.Def.Groups[i]
		if g.Imported() {
			continue
		}
		t.Run(g.Code+" prints each form's code and short link", func(t *testing.T) {
			p := b.print(t, g)
			out, err := exec.Command("pdftotext", "-enc", "UTF-8", p.path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(string(out)), " ")
			for _, f := range p.forms {
				link := strings.TrimPrefix(b.svc.ShortLink(f.Short), "https://")
				if !strings.Contains(text, f.Code) || !strings.Contains(text, link) {
					t.Errorf("form %s: code or link %s not printed", f.Code, link)
				}
			}
			def := b.c.Def
			if p.slips {
				unit := "Các " + lowerFirst(def.Kind(g.Evaluates).Name) // a matrix form's
				if u := def.Unit(p.sel.Unit); u != nil {
					unit = u.Name
				}
				for _, want := range []string{def.Name, unit, "Hạn trả lời: hết ngày 31/12/2026", def.Contact.Phone, def.Contact.Email} {
					if !strings.Contains(text, want) {
						t.Errorf("slips lack %q", want)
					}
				}
				return
			}
			q := def.Questionnaire(g.Form)
			if !strings.Contains(text, strings.Join(strings.Fields(q.Title), " ")) || !strings.Contains(text, "Trang 1/") {
				t.Errorf("questionnaire text missing")
			}
		})
	}
}
