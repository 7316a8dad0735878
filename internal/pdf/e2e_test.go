//go:build e2e

package pdf

// These tests read generated PDFs back the way people and scanners will: rendered by pdftoppm,
// decoded by zbarimg and extracted by pdftotext (poppler-utils and zbar-tools). Run them with
// go test -tags e2e ./internal/pdf/.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
)

func need(t *testing.T, programs ...string) {
	t.Helper()
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("%s is not installed: %v", p, err)
		}
	}
}

// save writes a PDF into the test's temporary directory.
func save(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// render turns every page into a 150 dpi PNG and returns their paths in page order.
func render(t *testing.T, pdf string) []string {
	t.Helper()
	prefix := filepath.Join(filepath.Dir(pdf), "page")
	if out, err := exec.Command("pdftoppm", "-r", "150", "-png", pdf, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, err := filepath.Glob(prefix + "-*.png")
	if err != nil || len(pages) == 0 {
		t.Fatalf("pdftoppm made no pages: %v", err)
	}
	slices.Sort(pages) // pdftoppm pads page numbers to the same width
	return pages
}

// decode returns the sorted texts of all QR codes zbarimg finds on an image.
func decode(t *testing.T, png string) []string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", png)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 4 {
		return nil // no symbol found
	}
	if err != nil {
		t.Fatalf("zbarimg %s: %v\n%s", png, err, stderr.String())
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		if line != "" {
			out = append(out, line)
		}
	}
	slices.Sort(out)
	return out
}

// pageTexts extracts each page's text with whitespace runs made single spaces, so text that the
// layout wrapped is found whole.
func pageTexts(t *testing.T, pdf string) []string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	for i, p := range pages {
		pages[i] = strings.Join(strings.Fields(p), " ")
	}
	return pages
}

func writeFile(t *testing.T, q *campaign.Questionnaire, units []campaign.Unit, copies []Copy) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteQuestionnaires(&buf, q, units, testOrg, copies); err != nil {
		t.Fatal(err)
	}
	return save(t, buf.Bytes())
}

func TestE2EEachCopysQRCodeOpensItsLink(t *testing.T) {
	need(t, "pdftoppm", "zbarimg")
	copies := testCopies(4)
	pages := render(t, writeFile(t, testQuestionnaire(), testUnits, copies))
	if len(pages) != 3*len(copies) {
		t.Fatalf("%d pages for %d copies", len(pages), len(copies))
	}
	for i, png := range pages {
		got := decode(t, png)
		c := copies[i/3]
		switch {
		case i%3 == 0 && !slices.Equal(got, []string{c.Link}):
			t.Errorf("page 1 of %s: QR codes %q, want %q", c.Code, got, c.Link)
		case i%3 != 0 && len(got) > 0:
			t.Errorf("page %d of %s has QR codes %q", i%3+1, c.Code, got)
		}
	}
}

func TestE2EEveryPageReadsBackWithCodeAndPageNumber(t *testing.T) {
	need(t, "pdftotext")
	copies := testCopies(3)
	pages := pageTexts(t, writeFile(t, testQuestionnaire(), testUnits, copies))
	if len(pages) != 9 {
		t.Fatalf("%d pages of text", len(pages))
	}
	for i, text := range pages {
		c := copies[i/3]
		for _, want := range []string{c.Code, fmt.Sprintf("Trang %d/3", i%3+1)} {
			if !strings.Contains(text, want) {
				t.Errorf("page %d of %s lacks %q", i%3+1, c.Code, want)
			}
		}
		if !norm.NFC.IsNormalString(text) {
			t.Errorf("page %d of %s is not NFC", i%3+1, c.Code)
		}
	}
	first := pages[0]
	for _, want := range []string{
		testTitle, "UBND THÀNH PHỐ HÀ NỘI", "SỞ NỘI VỤ", "Mẫu phiếu: CH2", "Sở Nội vụ",
		"THÔNG TIN VỀ NGƯỜI TRẢ LỜI", "Từ 30 đến 40 tuổi", "Câu 1.", "Rất không hài lòng",
		"Trực tuyến trên Cổng dịch vụ công",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("page 1 lacks %q", want)
		}
	}
	all := strings.Join(pages[:3], " ")
	for _, want := range []string{testQuestion, "Câu 30.", "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà!", "IV. ĐÁNH GIÁ CHUNG"} {
		if !strings.Contains(all, want) {
			t.Errorf("copy 1 lacks %q", want)
		}
	}
	// The second copy is about another unit, and says so.
	if !strings.Contains(pages[3], "Sở Tài chính") {
		t.Error("copy 2 does not name its unit")
	}
}

func TestE2EDecomposedInputPrintsAsNFC(t *testing.T) {
	need(t, "pdftotext")
	q := testQuestionnaire()
	q.Title = norm.NFD.String(q.Title)
	q.Sections[0].Questions[0].Text = norm.NFD.String(testQuestion)
	pages := pageTexts(t, writeFile(t, q, testUnits, testCopies(1)))
	if !strings.Contains(pages[0], testTitle) || !strings.Contains(pages[0], testQuestion) {
		t.Fatalf("NFD title or question not found in NFC on page 1: %q", pages[0])
	}
}

func TestE2EMatrixFormReadsBack(t *testing.T) {
	need(t, "pdftoppm", "zbarimg", "pdftotext")
	copies := []Copy{
		{Code: formcode.New("S1", formcode.Matrix, 1), Link: "https://khaosat.hanoi.gov.vn/p/m000000000000000000000000001"},
		{Code: formcode.New("S1", formcode.Matrix, 2), Link: "https://khaosat.hanoi.gov.vn/p/m000000000000000000000000002"},
	}
	path := writeFile(t, testMatrix(), testUnits, copies)
	pages := pageTexts(t, path)
	per := len(pages) / len(copies)
	if per*len(copies) != len(pages) || per < 2 {
		t.Fatalf("%d pages for %d copies", len(pages), len(copies))
	}
	for i, text := range pages {
		c := copies[i/per]
		if !strings.Contains(text, c.Code) || !strings.Contains(text, fmt.Sprintf("Trang %d/%d", i%per+1, per)) {
			t.Errorf("page %d of %s lacks its code or number", i%per+1, c.Code)
		}
	}
	for _, u := range testUnits {
		if !strings.Contains(pages[0], u.Name) {
			t.Errorf("page 1 has no row for %s", u.Name)
		}
	}
	for i, png := range render(t, path) {
		if i%per != 0 {
			continue
		}
		if got := decode(t, png); !slices.Equal(got, []string{copies[i/per].Link}) {
			t.Errorf("copy %d: QR codes %q", i/per+1, got)
		}
	}
}

func TestE2ESlipsScanAndRead(t *testing.T) {
	need(t, "pdftoppm", "zbarimg", "pdftotext")
	copies := testCopies(11)
	slips := make([]Slip, len(copies))
	for i, c := range copies {
		slips[i] = Slip{Code: c.Code, Link: c.Link, Group: "Nhóm 2: Trưởng phòng và tương đương thuộc Sở", Unit: testUnits[i%len(testUnits)].Name}
	}
	var buf bytes.Buffer
	if err := WriteSlips(&buf, testSheet, slips); err != nil {
		t.Fatal(err)
	}
	path := save(t, buf.Bytes())
	pngs := render(t, path)
	if len(pngs) != 2 {
		t.Fatalf("%d pages for 11 slips", len(pngs))
	}
	texts := pageTexts(t, path)
	for p, png := range pngs {
		on := slips[p*8 : min(p*8+8, len(slips))]
		var want []string
		for _, s := range on {
			want = append(want, s.Link)
			for _, text := range []string{s.Code, shortLink(s.Link), s.Unit} {
				if !strings.Contains(texts[p], text) {
					t.Errorf("page %d lacks %q", p+1, text)
				}
			}
		}
		slices.Sort(want)
		if got := decode(t, png); !slices.Equal(got, want) {
			t.Errorf("page %d: QR codes\n%q\nwant\n%q", p+1, got, want)
		}
		for _, want := range []string{slipInstruction, "Hạn trả lời: hết ngày 31/12/2026", "ĐT 0200 3812 345", testSheet.Title} {
			if !strings.Contains(texts[p], want) {
				t.Errorf("page %d lacks %q", p+1, want)
			}
		}
	}
}
