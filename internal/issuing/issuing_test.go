package issuing

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

const testBaseURL = "https://khaosat.binhan.gov.vn"

// newService saves the demo campaign, with every group's quota replaced by quota and no
// overrides, into a temp database. Small quotas keep the PDF rendering quick.
func newService(t *testing.T, quota int) (*Service, *store.Campaign) {
	t.Helper()
	db := testenv.Open(t)
	def, err := campaign.Load(forms.FS, forms.Demo3Cap)
	if err != nil {
		t.Fatal(err)
	}
	for i := range def.Groups {
		def.Groups[i].Quota, def.Groups[i].QuotaOverrides = quota, nil
	}
	c, _, err := db.SaveDefinition(context.Background(), def, 0)
	if err != nil {
		t.Fatal(err)
	}
	return &Service{DB: db, BaseURL: testBaseURL + "/"}, c
}

// issuedService is newService with the forms of sel (all groups and units by default) issued,
// without reserve.
func issuedService(t *testing.T, quota int, sel Selection) (*Service, *store.Campaign) {
	t.Helper()
	s, c := newService(t, quota)
	if _, err := s.Issue(context.Background(), c, sel.Group, sel.Unit, 0, 0); err != nil {
		t.Fatal(err)
	}
	return s, c
}

// listForms lists the live forms of a selection, and the voided ones too with WithVoided.
func listForms(t *testing.T, s *Service, c *store.Campaign, flt store.FormFilter) []*store.IssuedForm {
	t.Helper()
	var out []*store.IssuedForm
	if err := s.DB.Forms(context.Background(), c.ID, flt, func(f *store.IssuedForm) error {
		out = append(out, f)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestIssue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name        string
		quota       int
		group, unit string
		reserve     int
		want        int // forms created
		wantReserve int // of which reserve
	}{
		{"one unit of a paper group gets its quota", 15, "S2", "SNV", 0, 15, 0},
		{"a 10 percent reserve of 15 rounds 1.5 up to 2", 15, "S2", "SNV", 10, 17, 2},
		{"a 1 percent reserve of 15 rounds 0.15 up to 1", 15, "S2", "SNV", 1, 16, 1},
		{"a 20 percent reserve of 15 is exactly 3", 15, "S2", "SNV", 20, 18, 3},
		{"a 100 percent reserve doubles the quota", 15, "S2", "SNV", 100, 30, 15},
		{"a matrix group gets its quota once, not once per unit", 15, "S1", "", 0, 15, 0},
		{"a whole group gets its quota for each of its 12 units", 2, "S2", "", 0, 24, 0},
		{"the whole campaign gets every issued group but not the imported ones", 1, "", "", 0,
			1 + 12 + 12 + 12 + 1 + 8 + 8 + 8, 0},
		{"one unit across the campaign gets every group that evaluates it", 3, "", "H03", 0, 3 * 3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each case has its own database
			s, c := newService(t, tt.quota)
			n, err := s.Issue(ctx, c, tt.group, tt.unit, tt.reserve, 0)
			if err != nil {
				t.Fatal(err)
			}
			if n != tt.want {
				t.Errorf("created %d, want %d", n, tt.want)
			}
			reserve := 0
			for _, f := range listForms(t, s, c, store.FormFilter{}) {
				if f.Reserve {
					reserve++
				}
			}
			if reserve != tt.wantReserve {
				t.Errorf("%d reserve forms, want %d", reserve, tt.wantReserve)
			}
			again, err := s.Issue(ctx, c, tt.group, tt.unit, tt.reserve, 0)
			if err != nil || again != 0 {
				t.Errorf("issuing the same again created %d (%v), want 0", again, err)
			}
		})
	}
}

func TestIssueTopsUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newService(t, 10)
	steps := []struct {
		name    string
		unit    string
		reserve int
		want    int
	}{
		{"the first call creates the quota", "SNV", 0, 10},
		{"asking again with a reserve adds only the reserve", "SNV", 20, 2},
		{"asking again with a smaller reserve adds nothing and removes nothing", "SNV", 10, 0},
		{"another unit is issued on its own", "STP", 0, 10},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			n, err := s.Issue(ctx, c, "S2", st.unit, st.reserve, 0)
			if err != nil || n != st.want {
				t.Fatalf("Issue = %d, %v; want %d", n, err, st.want)
			}
		})
	}
	t.Run("the serials of a unit run from 1 without gaps", func(t *testing.T) {
		var serials []int
		for _, f := range listForms(t, s, c, store.FormFilter{Group: "S2", Unit: "SNV"}) {
			serials = append(serials, f.Serial)
		}
		want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
		if !slices.Equal(serials, want) {
			t.Errorf("serials = %v, want %v", serials, want)
		}
	})
	t.Run("a voided form is replaced by the next call with a new serial", func(t *testing.T) {
		f := listForms(t, s, c, store.FormFilter{Group: "S2", Unit: "SNV"})[0]
		if _, err := s.DB.VoidForm(ctx, f.Code, "rách", false, 0); err != nil {
			t.Fatal(err)
		}
		n, err := s.Issue(ctx, c, "S2", "SNV", 20, 0)
		if err != nil || n != 1 {
			t.Fatalf("Issue after a void = %d, %v; want 1", n, err)
		}
		live := listForms(t, s, c, store.FormFilter{Group: "S2", Unit: "SNV"})
		if len(live) != 12 || live[len(live)-1].Serial != 13 {
			t.Errorf("%d live forms, last serial %d; want 12 and 13", len(live), live[len(live)-1].Serial)
		}
	})
}

func TestIssueRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name        string
		quota       int
		group, unit string
		reserve     int
		wantErr     string
	}{
		{"a quota above the serials a code can carry", formcode.MaxSerial + 1, "S2", "SNV", 0, "vượt quá 9999"},
		{"a quota that the reserve pushes above the serials a code can carry", formcode.MaxSerial, "S2", "SNV", 1, "vượt quá 9999"},
		{"a reserve above 100 percent", 10, "S2", "SNV", 101, "0–100"},
		{"a negative reserve", 10, "S2", "SNV", -1, "0–100"},
		{"a group the campaign does not have", 10, "X9", "", 0, "không có nhóm"},
		{"a unit the campaign does not have", 10, "S2", "NOPE", 0, "không có đơn vị"},
		{"an imported group, which has no forms", 10, "S4", "", 0, "không có phiếu nào cần phát"},
		{"a unit that the chosen group does not evaluate", 10, "S2", "H01", 0, "không có phiếu nào cần phát"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each case has its own database
			s, c := newService(t, tt.quota)
			n, err := s.Issue(ctx, c, tt.group, tt.unit, tt.reserve, 0)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Issue = %d, %v; want an error containing %q", n, err, tt.wantErr)
			}
			if got, _ := s.Count(ctx, c, Selection{}); got != 0 || n != 0 {
				t.Errorf("a refused issue left %d forms and reported %d", got, n)
			}
		})
	}
	t.Run("a campaign-wide issue is refused whole when one group is too large", func(t *testing.T) {
		s, c := newService(t, 1)
		c.Def.Group("H3").Quota = formcode.MaxSerial + 1
		if _, err := s.Issue(ctx, c, "", "", 0, 0); err == nil || !strings.Contains(err.Error(), "nhóm H3") {
			t.Fatalf("Issue = %v, want the group H3 named", err)
		}
		if got, _ := s.Count(ctx, c, Selection{}); got != 0 {
			t.Errorf("%d forms issued for the other groups", got)
		}
	})
}

func TestIssueWhenSerialsAreUsedUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newService(t, formcode.MaxSerial)
	if n, err := s.Issue(ctx, c, "S2", "SNV", 0, 0); err != nil || n != formcode.MaxSerial {
		t.Fatalf("Issue = %d, %v", n, err)
	}
	f := listForms(t, s, c, store.FormFilter{Group: "S2", Unit: "SNV"})[0]
	if _, err := s.DB.VoidForm(ctx, f.Code, "rách", false, 0); err != nil {
		t.Fatal(err)
	}
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
				t.Errorf("Issue panicked: %v", p)
			}
		}()
		_, err = s.Issue(ctx, c, "S2", "SNV", 0, 0)
	}()
	if err == nil {
		t.Error("Issue past the last serial succeeded")
	}
	// A panic inside store.Write leaves its transaction open on the single write connection;
	// the timeout turns the resulting hang into a failure.
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := s.Issue(wctx, c, "S2", "STP", 0, 0); err != nil {
		t.Errorf("the database no longer takes writes after the refused issue: %v", err)
	}
}

func TestCount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := issuedService(t, 2, Selection{})
	voided := listForms(t, s, c, store.FormFilter{Group: "S2", Unit: "SNV"})[0]
	if _, err := s.DB.VoidForm(ctx, voided.Code, "mất", false, 0); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		sel  Selection
		want int
	}{
		{"the whole campaign counts every live form", Selection{}, 2*(1+12+12+12+1+8+8+8) - 1},
		{"a group counts its forms for every unit", Selection{Group: "S3"}, 24},
		{"a group with a voided form counts it no more", Selection{Group: "S2"}, 23},
		{"a group and unit count that unit's forms", Selection{Group: "S2", Unit: "STP"}, 2},
		{"a unit across groups counts every group evaluating it", Selection{Unit: "H01"}, 2 * 3},
		{"MT selects the matrix forms", Selection{Unit: formcode.Matrix}, 2 * 2},
		{"a unit with no forms counts zero", Selection{Group: "S2", Unit: "H01"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := s.Count(ctx, c, tt.sel)
			if err != nil || n != tt.want {
				t.Errorf("Count(%+v) = %d, %v; want %d", tt.sel, n, err, tt.want)
			}
		})
	}
}

func TestPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := issuedService(t, 2, Selection{})
	for _, tt := range []struct {
		name         string
		sel          Selection
		copies, runs int
		pdf          bool
	}{
		{"one group and unit is one PDF", Selection{Group: "S2", Unit: "STP"}, 2, 1, true},
		{"a matrix group is one PDF", Selection{Group: "S1"}, 2, 1, true},
		{"a group over its twelve units is a ZIP", Selection{Group: "S3"}, 24, 12, false},
		{"a unit across three groups is a ZIP", Selection{Unit: "H01"}, 6, 3, false},
		{"the whole campaign is a ZIP", Selection{}, 2 * (1 + 12 + 12 + 12 + 1 + 8 + 8 + 8), 2 + 12*3 + 8*3, false},
		{"nothing issued is no file", Selection{Group: "S2", Unit: "H01"}, 0, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.Plan(ctx, c, tt.sel)
			if err != nil || p.Copies != tt.copies || p.Runs != tt.runs || p.PDF() != tt.pdf {
				t.Errorf("Plan(%+v) = %+v (PDF %v), %v; want %d copies in %d runs, PDF %v", tt.sel, p, p.PDF(), err, tt.copies, tt.runs, tt.pdf)
			}
		})
	}
	t.Run("one group and unit of more copies than a PDF holds is a ZIP", func(t *testing.T) {
		if p := (Plan{Copies: pdfLimit + 1, Runs: 1}); p.PDF() {
			t.Error("PDF")
		}
	})
	t.Run("a PDF plan prints a PDF, a ZIP plan a ZIP", func(t *testing.T) {
		for _, sel := range []Selection{{Group: "S2", Unit: "STP"}, {Group: "S3"}} {
			p, _ := s.Plan(ctx, c, sel)
			var buf bytes.Buffer
			var last [2]int
			if err := s.Print(ctx, c, sel, p, &buf, func(done, total int) { last = [2]int{done, total} }); err != nil {
				t.Fatal(err)
			}
			if isPDF(buf.Bytes()) != p.PDF() || last != [2]int{p.Copies, p.Copies} {
				t.Errorf("%+v: PDF %v, last progress %v", sel, isPDF(buf.Bytes()), last)
			}
		}
	})
}

func TestLink(t *testing.T) {
	t.Parallel()
	s := &Service{BaseURL: "https://khaosat.binhan.gov.vn//"}
	if got := s.Link("abc_-1"); got != "https://khaosat.binhan.gov.vn/p/abc_-1" {
		t.Errorf("Link = %q", got)
	}
	if got := s.ShortLink("x7k2m9p4q8rt"); got != "https://khaosat.binhan.gov.vn/x7k2m9p4q8rt" {
		t.Errorf("ShortLink = %q", got)
	}
	if got := s.FormLink(&store.IssuedForm{Token: "tok", Short: "x7k2m9p4q8rt"}); got != "https://khaosat.binhan.gov.vn/x7k2m9p4q8rt" {
		t.Errorf("FormLink = %q", got)
	}
	if got := s.FormLink(&store.IssuedForm{Token: "tok"}); got != "https://khaosat.binhan.gov.vn/p/tok" {
		t.Errorf("FormLink without a short code = %q", got)
	}
}

// unzip returns the names and contents of the files in a ZIP.
func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
		out[f.Name] = buf.Bytes()
	}
	return out
}

func isPDF(b []byte) bool {
	return bytes.HasPrefix(b, []byte("%PDF-")) && bytes.Contains(b[max(0, len(b)-32):], []byte("%%EOF"))
}

func TestPrintZIP(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := issuedService(t, 1, Selection{})
	tests := []struct {
		name      string
		sel       Selection
		wantFiles []string
	}{
		{"a paper group prints one questionnaire file per unit", Selection{Group: "H3"},
			[]string{"H3_H01.pdf", "H3_H02.pdf", "H3_H03.pdf", "H3_H04.pdf", "H3_H05.pdf", "H3_H06.pdf", "H3_H07.pdf", "H3_H08.pdf"}},
		{"a matrix group prints one file named MT", Selection{Group: "H1"}, []string{"H1_MT.pdf"}},
		{"one unit prints one file per group evaluating it, slips and questionnaires alike", Selection{Unit: "H05"},
			[]string{"H2_H05.pdf", "H3_H05.pdf", "H4_H05.pdf"}},
		{"one group and one unit print one file", Selection{Group: "S3", Unit: "SYT"}, []string{"S3_SYT.pdf"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			total, err := s.Count(ctx, c, tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			var calls [][2]int
			if err := s.PrintZIP(ctx, c, tt.sel, &buf, func(done, total int) { calls = append(calls, [2]int{done, total}) }); err != nil {
				t.Fatal(err)
			}
			files := unzip(t, buf.Bytes())
			var names []string
			for name, b := range files {
				names = append(names, name)
				if !isPDF(b) {
					t.Errorf("%s is not a whole PDF (%d bytes)", name, len(b))
				}
			}
			slices.Sort(names)
			if !slices.Equal(names, tt.wantFiles) {
				t.Errorf("files = %v\nwant    %v", names, tt.wantFiles)
			}
			if len(calls) != len(tt.wantFiles) {
				t.Errorf("progress called %d times, want once per file (%d)", len(calls), len(tt.wantFiles))
			}
			for i, call := range calls {
				if call[1] != total || (i > 0 && call[0] <= calls[i-1][0]) {
					t.Errorf("progress calls %v do not rise towards %d", calls, total)
					break
				}
			}
			if len(calls) > 0 && calls[len(calls)-1][0] != total {
				t.Errorf("last progress %v, want %d done", calls[len(calls)-1], total)
			}
		})
	}
	t.Run("an empty selection is refused before writing anything", func(t *testing.T) {
		var buf bytes.Buffer
		err := s.PrintZIP(ctx, c, Selection{Group: "S2", Unit: "H01"}, &buf, nil)
		if err == nil || !strings.Contains(err.Error(), "chưa có phiếu nào") {
			t.Fatalf("PrintZIP = %v", err)
		}
		if buf.Len() != 0 {
			t.Errorf("wrote %d bytes", buf.Len())
		}
	})
	t.Run("a cancelled context stops the print after the current file", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		calls := 0
		err := s.PrintZIP(ctx, c, Selection{Group: "H3"}, &bytes.Buffer{}, func(done, total int) {
			calls++
			cancel()
		})
		if !errors.Is(err, context.Canceled) || calls != 1 {
			t.Errorf("PrintZIP = %v after %d files, want context.Canceled after 1", err, calls)
		}
	})
}

func TestPrintZIPOfTheWholeCampaign(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newService(t, 2)
	// A few runs across kinds, shapes and channels: rendering all 62 would only cost time.
	for _, sel := range []Selection{{Group: "S1"}, {Group: "S2", Unit: "SNV"}, {Group: "S3", Unit: "STP"}, {Group: "H3", Unit: "H08"}} {
		if _, err := s.Issue(ctx, c, sel.Group, sel.Unit, 0, 0); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	var last [2]int
	if err := s.PrintZIP(ctx, c, Selection{}, &buf, func(done, total int) { last = [2]int{done, total} }); err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range unzip(t, buf.Bytes()) {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := []string{"H3_H08.pdf", "S1_MT.pdf", "S2_SNV.pdf", "S3_STP.pdf"}; !slices.Equal(names, want) {
		t.Errorf("files = %v, want %v", names, want)
	}
	if last != [2]int{8, 8} {
		t.Errorf("last progress = %v, want 8 of 8", last)
	}
}

func TestPrintZIPSplitsLargeRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := issuedService(t, zipBatch+1, Selection{Group: "S3", Unit: "SNV"})
	var buf bytes.Buffer
	var calls [][2]int
	if err := s.PrintZIP(ctx, c, Selection{Group: "S3"}, &buf, func(done, total int) { calls = append(calls, [2]int{done, total}) }); err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range unzip(t, buf.Bytes()) {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := []string{"S3_SNV_001.pdf", "S3_SNV_002.pdf"}; !slices.Equal(names, want) {
		t.Errorf("files = %v, want %v", names, want)
	}
	if want := [][2]int{{zipBatch, zipBatch + 1}, {zipBatch + 1, zipBatch + 1}}; !slices.Equal(calls, want) {
		t.Errorf("progress = %v, want %v", calls, want)
	}
}

func TestPrintPDF(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := issuedService(t, 1, Selection{})
	ok := []struct {
		name string
		sel  Selection
	}{
		{"one group and unit of questionnaires prints a PDF", Selection{Group: "S2", Unit: "SNV"}},
		{"a whole paper group prints in one PDF", Selection{Group: "H4"}},
		{"an online group prints its slips", Selection{Group: "S3"}},
		{"a matrix group prints by its MT unit", Selection{Group: "S1", Unit: formcode.Matrix}},
	}
	for _, tt := range ok {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := s.PrintPDF(ctx, c, tt.sel, &buf); err != nil {
				t.Fatal(err)
			}
			if !isPDF(buf.Bytes()) {
				t.Errorf("output is not a whole PDF (%d bytes)", buf.Len())
			}
		})
	}
	refused := []struct {
		name    string
		sel     Selection
		wantErr string
	}{
		{"a selection without a group is refused, pointing to the ZIP", Selection{}, "cần chọn một nhóm"},
		{"a unit without a group is refused", Selection{Unit: "SNV"}, "cần chọn một nhóm"},
		{"a selection with no forms is refused", Selection{Group: "S2", Unit: "H01"}, "chưa có phiếu nào"},
		{"an imported group has no forms to print", Selection{Group: "S4"}, "chưa có phiếu nào"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := s.PrintPDF(ctx, c, tt.sel, &buf)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("PrintPDF = %v, want an error containing %q", err, tt.wantErr)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes", buf.Len())
			}
		})
	}
}

func TestPrintPDFRefusesMoreThanItsLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// 12 units × 167 = 2004 copies, just past the 2000 a PDF may hold; no page is rendered.
	s, c := issuedService(t, 167, Selection{Group: "S2"})
	var buf bytes.Buffer
	err := s.PrintPDF(ctx, c, Selection{Group: "S2"}, &buf)
	if err == nil || !strings.Contains(err.Error(), "2004 bản là quá nhiều") {
		t.Fatalf("PrintPDF = %v, want the 2004 copies refused", err)
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes", buf.Len())
	}
}

func TestWriteDistributionCSV(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := newService(t, 2)
	for _, sel := range []Selection{{Group: "S1"}, {Group: "S2", Unit: "SNV"}, {Group: "S3", Unit: "SNV"}} {
		if _, err := s.Issue(ctx, c, sel.Group, sel.Unit, 50, 0); err != nil {
			t.Fatal(err)
		}
	}
	voided := listForms(t, s, c, store.FormFilter{Group: "S2", Unit: "SNV"})[0]
	if _, err := s.DB.VoidForm(ctx, voided.Code, "phiếu bị rách", false, 0); err != nil {
		t.Fatal(err)
	}
	all := listForms(t, s, c, store.FormFilter{WithVoided: true})
	if len(all) != 9 {
		t.Fatalf("setup issued %d forms, want 9", len(all))
	}

	var buf bytes.Buffer
	if err := s.WriteDistributionCSV(ctx, c, Selection{}, &buf); err != nil {
		t.Fatal(err)
	}
	t.Run("the file starts with the UTF-8 byte order mark", func(t *testing.T) {
		if !bytes.HasPrefix(buf.Bytes(), []byte{0xEF, 0xBB, 0xBF}) {
			t.Errorf("starts with % x", buf.Bytes()[:min(3, buf.Len())])
		}
	})
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the first line is the Vietnamese header", func(t *testing.T) {
		if !slices.Equal(rows[0], distributionHeader) {
			t.Errorf("header = %q", rows[0])
		}
	})
	t.Run("there is one line per form, voided ones included", func(t *testing.T) {
		if len(rows)-1 != len(all) {
			t.Fatalf("%d lines, want %d", len(rows)-1, len(all))
		}
		for i, f := range all {
			if rows[i+1][0] != f.Code {
				t.Errorf("line %d is %s, want %s", i+1, rows[i+1][0], f.Code)
			}
		}
	})
	byCode := map[string][]string{}
	for _, r := range rows[1:] {
		byCode[r[0]] = r
	}
	t.Run("each line gives its own form's short link", func(t *testing.T) {
		for _, f := range all {
			if got := byCode[f.Code][6]; got != testBaseURL+"/"+f.Short || len(f.Short) != 12 {
				t.Errorf("%s links to %q", f.Code, got)
			}
			if got := byCode[f.Code][10]; got != testBaseURL+"/p/"+f.Token {
				t.Errorf("%s has the full link %q", f.Code, got)
			}
		}
	})
	t.Run("a voided form shows its reason, a reserve form says so", func(t *testing.T) {
		if got := byCode[voided.Code][9]; got != "Đã hủy: phiếu bị rách" {
			t.Errorf("voided form status %q", got)
		}
		for _, f := range all {
			if f.Reserve && !f.Voided() && byCode[f.Code][9] != "Dự phòng" {
				t.Errorf("reserve form %s status %q", f.Code, byCode[f.Code][9])
			}
			if !f.Reserve && !f.Voided() && byCode[f.Code][9] != "Đã phát" {
				t.Errorf("issued form %s status %q", f.Code, byCode[f.Code][9])
			}
		}
	})
	t.Run("a matrix form names the kind of unit it covers", func(t *testing.T) {
		for _, f := range all {
			if f.Group == "S1" {
				r := byCode[f.Code]
				if r[3] != "MT" || r[4] != "Các Sở, ban, ngành" || r[5] != "Trực tuyến" {
					t.Errorf("matrix line %q", r)
				}
			}
		}
	})
	t.Run("a paper form names its unit and channel in Vietnamese", func(t *testing.T) {
		r := byCode[all[slices.IndexFunc(all, func(f *store.IssuedForm) bool { return f.Group == "S2" })].Code]
		if r[1] != "S2" || r[3] != "SNV" || r[4] != "Sở Nội vụ" || r[5] != "Phiếu giấy" {
			t.Errorf("paper line %q", r)
		}
	})
	t.Run("a selection lists only its forms", func(t *testing.T) {
		var buf bytes.Buffer
		if err := s.WriteDistributionCSV(ctx, c, Selection{Group: "S3"}, &buf); err != nil {
			t.Fatal(err)
		}
		if lines := strings.Count(buf.String(), "\n"); lines != 1+3 {
			t.Errorf("%d lines, want a header and the 3 forms of S3 (quota 2, reserve 1)", lines)
		}
	})
}
