package web

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// docxText is the text of a Word download's body: its paragraphs, one a line.
func docxText(t *testing.T, body string) string {
	t.Helper()
	z, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	f, err := z.Open("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	dec := xml.NewDecoder(f)
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			inText = x.Name.Local == "t"
		case xml.EndElement:
			inText = false
			if x.Name.Local == "p" {
				b.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				b.Write(x)
			}
		}
	}
	return b.String()
}

func TestYearOnYearInTheWordReport(t *testing.T) {
	t.Parallel()
	y := newYearOnYear(t)
	download := func(t *testing.T) string {
		t.Helper()
		resp, body := y.admin.get(fmt.Sprintf("/campaigns/%d/results/export.docx", y.camp.ID))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d\n%.300s", resp.StatusCode, body)
		}
		return docxText(t, body)
	}

	t.Run("without a link the report has no year-on-year part", func(t *testing.T) {
		if s := download(t); strings.Contains(s, "So sánh với năm trước") || !strings.Contains(s, "Phụ lục 1.") {
			t.Errorf("report:\n%.2000s", s)
		}
	})
	t.Run("linked by a mapping sheet, the part shows each unit with the merged one's shares", func(t *testing.T) {
		y.admin.get(y.url(""))
		if resp, body := y.admin.uploadForm(y.url(""), map[string]string{"earlier": fmt.Sprint(y.earlier.ID)}, "ghep.csv", y.mappingCSV()); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("link: %d\n%s", resp.StatusCode, body)
		}
		s := download(t)
		for _, want := range []string{"9. So sánh với năm trước", "của đợt " + y.earlier.Code, "(ghép từ " + y.split[0] + ": 75,00%; " + y.split[1] + ": 25,00%)",
			"Tỷ lệ điểm bình quân theo lĩnh vực", "Ghi chú về phương pháp và cây tiêu chí", "Câu trả lời “không biết”"} {
			if !strings.Contains(s, want) {
				t.Errorf("the report lacks %q", want)
			}
		}
		if i, j := strings.Index(s, "So sánh với năm trước"), strings.Index(s, "Nơi nhận"); i < 0 || j < i {
			t.Error("the part is not before the signature")
		}
	})
}
