package pdf

import (
	"bytes"
	"strings"
	"testing"
)

func TestReportMarkLabelsTakeTheFirstFreeLine(t *testing.T) {
	marks := []Mark{{Value: 0}, {Value: 5}, {Value: 30}, {Value: 8}}
	rows, n := markRows(marks, func(m Mark) (float64, float64) { return m.Value, 10 })
	if n != 3 || rows[0] != 0 || rows[1] != 1 || rows[2] != 0 || rows[3] != 2 {
		t.Errorf("lines %v of %d", rows, n)
	}
}

func TestReportWithHeadingAndSignOff(t *testing.T) {
	r := &Report{Title: "BÁO CÁO", Head: &Heading{Issuer: "VIỆN NGHIÊN CỨU", Number: "Số: 1/BC", Name: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		Motto: "Độc lập - Tự do - Hạnh phúc", PlaceDate: "Bình An, ngày 05 tháng 12 năm 2026"},
		Sections: []Section{{Heading: "1. Thông tin chung", Paragraphs: []string{"Nội dung."}}},
		Sign:     &SignOff{Recipients: []string{"Sở Nội vụ;"}, Title: "VIỆN TRƯỞNG", Signer: "Nguyễn Văn An"},
		Annexes:  []Section{{Heading: "Phụ lục 1", NewPage: true, Paragraphs: []string{"Bảng."}}}}
	var buf bytes.Buffer
	if err := WriteReport(&buf, r); err != nil {
		t.Fatal(err)
	}
	// The annex starts a page of its own after the signature.
	if pages := strings.Count(buf.String(), "/Type /Page\n"); pages != 2 {
		t.Errorf("%d pages", pages)
	}
}
