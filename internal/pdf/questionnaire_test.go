package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
)

// pageCount counts the page objects of a PDF written by gofpdf.
func pageCount(pdf []byte) int {
	return len(regexp.MustCompile(`/Type /Page\n`).FindAll(pdf, -1))
}

// streams returns the content of every stream of a PDF (page contents, templates, fonts),
// inflating those that are compressed.
func streams(t *testing.T, pdf []byte) []byte {
	t.Helper()
	var out []byte
	rest := pdf
	for {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			return out
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("\nendstream"))
		if j < 0 {
			t.Fatal("stream without end")
		}
		if r, err := zlib.NewReader(bytes.NewReader(rest[:j])); err == nil {
			b, _ := io.ReadAll(r)
			out = append(out, b...)
		} else {
			out = append(out, rest[:j]...)
		}
		rest = rest[j+len("\nendstream"):]
	}
}

// shown is how gofpdf writes text in a content stream: UTF-16BE inside a literal string.
func shown(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		for _, c := range []byte{byte(u >> 8), byte(u)} {
			switch c {
			case '\\', '(', ')':
				b = append(b, '\\', c)
			case '\r':
				b = append(b, '\\', 'r')
			default:
				b = append(b, c)
			}
		}
	}
	return b
}

func write(t *testing.T, q *campaign.Questionnaire, units []campaign.Unit, copies []Copy) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteQuestionnaires(&buf, q, units, testOrg, copies); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("output is not a PDF")
	}
	return buf.Bytes()
}

func TestTestQuestionnaireHasThirtyQuestionsOnThreePages(t *testing.T) {
	q := testQuestionnaire()
	if n := len(q.Questions()); n != 30 {
		t.Fatalf("%d questions", n)
	}
	d, err := newDocument("")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(paginate((&body{measure: d.width, q: q, units: testUnits, org: testOrg}).layout())); n != 3 {
		t.Fatalf("body is %d pages, want 3", n)
	}
}

func TestEveryCopyGetsEveryPage(t *testing.T) {
	pdf := write(t, testQuestionnaire(), testUnits, testCopies(5))
	if n := pageCount(pdf); n != 15 {
		t.Fatalf("%d pages for 5 copies of 3 pages", n)
	}
}

func TestBodyIsLaidOutOnceAsTemplates(t *testing.T) {
	one := write(t, testQuestionnaire(), testUnits, testCopies(1))
	many := write(t, testQuestionnaire(), testUnits, testCopies(50))
	// The body's templates are in both; each further copy adds only its stamps and QR code.
	perCopy := (len(many) - len(one)) / 49
	if perCopy > len(one)/4 {
		t.Fatalf("each copy adds %d bytes to a first copy of %d: the body is repeated", perCopy, len(one))
	}
	if n := bytes.Count(many, []byte("/Subtype /Form")); n != 3 {
		t.Fatalf("%d templates, want one per body page", n)
	}
}

func TestTextReachesThePDFInNFC(t *testing.T) {
	q := testQuestionnaire()
	decomposed := norm.NFD.String(testQuestion)
	if decomposed == testQuestion {
		t.Fatal("test question has nothing to decompose")
	}
	q.Sections[0].Questions[0].Text = decomposed
	q.Title = norm.NFD.String(q.Title)
	content := streams(t, write(t, q, testUnits, testCopies(1)))
	for _, want := range []string{testQuestion, "PHIẾU KHẢO SÁT Ý KIẾN ĐÁNH GIÁ", "Trang 1/3", "Sở Nội vụ"} {
		if !bytes.Contains(content, shown(want)) {
			t.Errorf("content has no %q in NFC", want)
		}
	}
	if bytes.Contains(content, shown(decomposed)) {
		t.Error("content holds the decomposed question")
	}
}

func TestEveryPageCarriesItsCopysCode(t *testing.T) {
	copies := testCopies(3)
	content := streams(t, write(t, testQuestionnaire(), testUnits, copies))
	for _, c := range copies {
		// Footer on every page, top line on pages 2 and 3, the large code on page 1.
		if n := bytes.Count(content, shown(c.Code)); n != 6 {
			t.Errorf("code %s printed %d times, want 6", c.Code, n)
		}
	}
}

func TestMatrixFormListsTheUnits(t *testing.T) {
	copies := []Copy{{Code: formcode.New("S1", formcode.Matrix, 1), Link: "https://khaosat.hanoi.gov.vn/p/abc"}}
	content := streams(t, write(t, testMatrix(), testUnits, copies))
	for _, u := range testUnits {
		if !bytes.Contains(content, shown(u.Name)) {
			t.Errorf("matrix form has no row for %s", u.Name)
		}
	}
}

func TestWriteQuestionnairesRefuses(t *testing.T) {
	q := testQuestionnaire()
	tests := []struct {
		name   string
		q      *campaign.Questionnaire
		units  []campaign.Unit
		copies []Copy
		want   error
	}{
		{"a missing questionnaire", nil, testUnits, testCopies(1), nil},
		{"an empty print run", q, testUnits, nil, nil},
		{"a matrix form without units", testMatrix(), nil, testCopies(1), nil},
		{"a copy with a mistyped code", q, testUnits, []Copy{{Code: "S2-SNV-0001Q", Link: "x"}}, formcode.ErrCheck},
		{"a matrix code on a single-unit form", q, testUnits, []Copy{{Code: formcode.New("S2", formcode.Matrix, 1)}}, nil},
		{"a single-unit code on a matrix form", testMatrix(), testUnits, testCopies(1), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteQuestionnaires(io.Discard, tt.q, tt.units, testOrg, tt.copies)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestCopyWithoutLinkHasNoQRCode(t *testing.T) {
	with := streams(t, write(t, testQuestionnaire(), testUnits, testCopies(1)))
	without := streams(t, write(t, testQuestionnaire(), testUnits, []Copy{{Code: testCopies(1)[0].Code}}))
	if !bytes.Contains(with, []byte(" 1 re\n")) || bytes.Contains(without, []byte(" 1 re\n")) {
		t.Fatal("QR modules drawn for a copy without link, or not drawn with one")
	}
}

func TestSlipsFitEightToAPage(t *testing.T) {
	copies := testCopies(11)
	slips := make([]Slip, len(copies))
	for i, c := range copies {
		slips[i] = Slip{Code: c.Code, Link: c.Link, Group: "Trưởng phòng thuộc Sở", Unit: testUnits[i%len(testUnits)].Name}
	}
	var buf bytes.Buffer
	if err := WriteSlips(&buf, testSheet, slips); err != nil {
		t.Fatal(err)
	}
	if n := pageCount(buf.Bytes()); n != 2 {
		t.Fatalf("%d pages for 11 slips", n)
	}
	content := streams(t, buf.Bytes())
	for _, want := range []string{copies[10].Code, shortLink(copies[10].Link), "Quét mã QR", "Hạn trả lời: hết ngày 31/12/2026", "Liên hệ:"} {
		if !bytes.Contains(content, shown(want)) {
			t.Errorf("slips lack %q", want)
		}
	}
}

func TestSlipTitlesAndContactsAreNotCut(t *testing.T) {
	d, err := newDocument("")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		sheet SlipSheet
	}{
		{"a provincial campaign's long name", testSheet},
		{"a name of four lines at the largest size", SlipSheet{Title: strings.Repeat("Điều tra xã hội học xác định Chỉ số cải cách hành chính ", 3)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sh := layoutSheet(d.width, tt.sheet)
			for _, part := range []struct {
				lines []string
				w     weight
				size  float64
			}{{sh.title, bold, sh.titleSize}, {sh.contact, regular, sh.contactSize}} {
				if strings.Contains(strings.Join(part.lines, " "), "…") {
					t.Errorf("cut: %q", part.lines)
				}
				for _, l := range part.lines {
					if w := d.width(part.w, part.size, l); w > slipFullW+0.01 {
						t.Errorf("line %q is %.1f mm wide", l, w)
					}
				}
			}
			if got := strings.Join(strings.Fields(strings.Join(sh.title, " ")), " "); got != strings.Join(strings.Fields(tt.sheet.Title), " ") {
				t.Errorf("title reads %q", got)
			}
			if len(sh.title) > 3 || sh.titleSize < slipTitleMin {
				t.Errorf("title in %d lines at %.1f pt", len(sh.title), sh.titleSize)
			}
		})
	}
}

func TestSlipsRefuseBadInput(t *testing.T) {
	for name, slips := range map[string][]Slip{
		"none":          nil,
		"mistyped code": {{Code: "S2-SNV-0001Q", Link: "https://x.vn/p/1"}},
		"missing link":  {{Code: formcode.New("S2", "SNV", 1)}},
	} {
		if err := WriteSlips(io.Discard, SlipSheet{Title: "t"}, slips); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestWrapKeepsLinesWithinWidth(t *testing.T) {
	d, err := newDocument("")
	if err != nil {
		t.Fatal(err)
	}
	text := testQuestion + " " + strings.Repeat("x", 200)
	lines := wrap(d.width, regular, 10, text, 60)
	for _, l := range lines {
		if w := d.width(regular, 10, l); w > 60 {
			t.Errorf("line %q is %.1f mm wide", l, w)
		}
	}
	if strings.ReplaceAll(strings.Join(lines, ""), " ", "") != strings.ReplaceAll(text, " ", "") {
		t.Errorf("wrapping lost text: %q", lines)
	}
}

func TestShortLinkDropsSchemeAndSlash(t *testing.T) {
	for in, want := range map[string]string{
		"https://khaosat.vn/p/abc/": "khaosat.vn/p/abc",
		"HTTP://khaosat.vn/p/abc":   "khaosat.vn/p/abc",
		"khaosat.vn/p/abc":          "khaosat.vn/p/abc",
	} {
		if got := shortLink(in); got != want {
			t.Errorf("shortLink(%q) = %q", in, got)
		}
	}
}

// BenchmarkQuestionnaires1000 prints 1,000 copies of the 3-page test questionnaire into one PDF
// and reports copies per second and the peak heap and memory taken from the system.
func BenchmarkQuestionnaires1000(b *testing.B) {
	q := testQuestionnaire()
	copies := testCopies(1000)
	var peakHeap, peakSys uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			peakHeap = max(peakHeap, m.HeapInuse)
			peakSys = max(peakSys, m.Sys)
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	var size countingWriter
	b.ResetTimer()
	for b.Loop() {
		size = 0
		if err := WriteQuestionnaires(&size, q, testUnits, testOrg, copies); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(len(copies)*b.N)/b.Elapsed().Seconds(), "copies/s")
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(peakSys)/(1<<20), "peak-sys-MB")
	b.ReportMetric(float64(size)/(1<<20), "pdf-MB")
}

// countingWriter counts what is written to it, as a file or a network connection would take it.
type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

func TestOptionColumnsLineUpWithinASection(t *testing.T) {
	d, err := newDocument("")
	if err != nil {
		t.Fatal(err)
	}
	l := &body{measure: d.width, q: testQuestionnaire(), units: testUnits}
	width := l.optionWidth()
	onTracks, withOptions := 0, 0
	for _, sec := range l.q.Sections {
		tracks := l.optionTracks(sec)
		var common []float64
		for i := range sec.Questions {
			q := &sec.Questions[i]
			if len(q.Options) == 0 {
				continue
			}
			withOptions++
			items := l.optionItems(q)
			xs, rows := l.grid(items, width, tracks)
			if len(xs)*rows < len(items) {
				t.Fatalf("%s: %d columns × %d rows for %d options", q.Code, len(xs), rows, len(items))
			}
			// No option runs into the next one, nor past the right edge.
			for j, it := range items {
				c := j % len(xs)
				end := width
				if c+1 < len(xs) && j+1 < len(items) {
					end = xs[c+1] - optionGap
				}
				if len(it.label) == 1 && xs[c]+it.w > end+0.01 {
					t.Errorf("%s option %d ends at %.1f, past %.1f", q.Code, j+1, xs[c]+it.w, end)
				}
			}
			if len(xs) != tracks {
				continue
			}
			onTracks++
			if common == nil {
				common = xs
			} else if !slices.Equal(common, xs) {
				t.Errorf("%s: columns at %v, the section's others at %v", q.Code, xs, common)
			}
		}
	}
	if onTracks*10 < withOptions*9 {
		t.Fatalf("%d of %d questions on their section's common columns", onTracks, withOptions)
	}
}
