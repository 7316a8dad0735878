package export

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestReportLaysOutEverySection(t *testing.T) {
	f := newFixture(t)
	rep := ReportOf(f.run)
	var heads []string
	for _, s := range rep.Sections {
		heads = append(heads, s.Heading)
	}
	got := strings.Join(heads, "|")
	for _, want := range []string{"1. Thông tin chung", "2. Phương pháp tính điểm", "3.1. Xếp hạng: Xã, phường, thị trấn", "4. Điểm theo lĩnh vực",
		"5. Cảnh báo", "6. Phiếu theo nhóm đối tượng", "7.1. Xã Thử Nghiệm 0 — "} {
		if !strings.Contains(got, want) {
			t.Errorf("no section %q in %s", want, got)
		}
	}
	ranking := rep.Sections[2]
	if ranking.Chart == nil || len(ranking.Chart.Bars) != 6 || len(ranking.Table.Rows) != 6 || len(ranking.Chart.Marks) != 3 {
		t.Fatalf("ranking section %+v", ranking)
	}
	feed := f.feed(t)
	for _, row := range ranking.Table.Rows {
		for _, u := range feed.Units {
			if u.Code == row.Cells[1] && row.Cells[3] != strings.Replace(u.Total.Value, ".", ",", 1) {
				t.Errorf("report shows %s for %s, feed %s", row.Cells[3], u.Code, u.Total.Value)
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
