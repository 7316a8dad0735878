package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/report"
)

func TestReportLaysOutEverySection(t *testing.T) {
	f := newFixture(t)
	rep := ReportOf(report.Build(report.Input{Run: f.run}))
	var heads []string
	for _, s := range append(rep.Sections, rep.Annexes...) {
		if s.Heading != "" {
			heads = append(heads, s.Heading)
		}
	}
	got := strings.Join(heads, "|")
	for _, want := range []string{"1. Thông tin chung", "2. Phương pháp tính điểm", "3. Tỷ lệ phản hồi", "3.1. Phiếu theo nhóm đối tượng",
		"4.1. Xếp hạng: Xã, phường, thị trấn", "5.1. Điểm theo lĩnh vực", "6. Khác biệt giữa các nhóm đối tượng", "7.1. Xã Thử Nghiệm 0 — ",
		"Phụ lục 1. Bảng tần suất trả lời", "Phụ lục 2. Thông tin kỹ thuật"} {
		if !strings.Contains(got, want) {
			t.Errorf("no section %q in %s", want, got)
		}
	}
	var ranking *struct{ rows [][]string }
	for _, s := range rep.Sections {
		if s.Table != nil && len(s.Table.Columns) > 0 && s.Table.Columns[0].Title == "Hạng" {
			ranking = &struct{ rows [][]string }{}
			for _, r := range s.Table.Rows {
				ranking.rows = append(ranking.rows, r.Cells)
			}
		}
	}
	if ranking == nil || len(ranking.rows) != 6 {
		t.Fatalf("ranking table %+v", ranking)
	}
	feed := f.feed(t)
	for _, row := range ranking.rows {
		for _, u := range feed.Units {
			if u.Code == row[1] && row[3] != strings.Replace(u.Total.Value, ".", ",", 1) {
				t.Errorf("report shows %s for %s, feed %s", row[3], u.Code, u.Total.Value)
			}
		}
	}
	var buf bytes.Buffer
	if err := WriteReportPDF(&buf, f.run); err != nil {
		t.Fatal(err)
	}
	pages := len(regexp.MustCompile(`/Type /Page\n`).FindAll(buf.Bytes(), -1))
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) || pages < 4 {
		t.Fatalf("%d pages", pages)
	}
}

func TestReportDOCXIsWellFormed(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	if err := WriteReport(&buf, "docx", report.Input{Run: f.run}); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	images := 0
	var doc string
	for _, zf := range z.File {
		r, _ := zf.Open()
		b, _ := io.ReadAll(r)
		if strings.HasPrefix(zf.Name, "word/media/") {
			images++
			continue
		}
		dec := xml.NewDecoder(bytes.NewReader(b))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", zf.Name, err)
			}
		}
		if zf.Name == "word/document.xml" {
			doc = string(b)
		}
	}
	// One chart for the ranking, and per area one of its units and one of its criteria.
	if want := 1 + 2*len(f.run.Def.Areas); images != want {
		t.Errorf("%d charts, want %d", images, want)
	}
	for _, want := range []string{report.NationalName, report.NationalMotto, "Xã Thử Nghiệm 0", "Nơi nhận:"} {
		if !strings.Contains(doc, want) {
			t.Errorf("document lacks %q", want)
		}
	}
	if strings.Contains(doc, "người thực hiện") {
		t.Error("the body names who ran the scores")
	}
	if err := WriteReport(io.Discard, "odt", report.Input{Run: f.run}); err == nil {
		t.Error("an unknown format is not refused")
	}
}
