package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"testing"
)

// sample builds a document with one of everything the package writes.
func sample(t *testing.T, w io.Writer) *Document {
	t.Helper()
	d := New(w, "Báo cáo thử")
	if err := d.Layout(
		Cell{Width: 36, Paragraphs: []Paragraph{{Align: Center, Runs: []Run{{Text: "UBND TỈNH BÌNH AN"}}}, {Align: Center, Runs: []Run{{Text: "VIỆN NGHIÊN CỨU", Bold: true}}}}},
		Cell{Width: 64, Paragraphs: []Paragraph{{Align: Center, Runs: []Run{{Text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Bold: true, Size: 12}}}}},
	); err != nil {
		t.Fatal(err)
	}
	d.Paragraph(Paragraph{Style: "Title", Runs: []Run{{Text: "BÁO CÁO PHÂN TÍCH"}}, Before: -1, After: -1})
	d.Heading(1, "1. Phương pháp")
	d.Text("Điểm & hạng <chính xác> \"đúng\" — bỏ ký tự điều khiển:\x01\x07 hết.")
	d.Bullets([]string{"Trọng số A = 1", "Không biết: không tính"})
	if err := d.Table(Table{Columns: []Column{{Title: "Hạng", Width: 1, Right: true}, {Title: "Đơn vị", Width: 4}},
		Rows: []Row{{Cells: []string{"1", "Sở Nội vụ"}}, {Cells: []string{"2", "Sở Tư pháp"}, Bold: true, Shade: true}}}); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for x := 0; x < 200; x++ {
		img.Set(x, 50, color.Black)
	}
	var pb bytes.Buffer
	if err := png.Encode(&pb, img); err != nil {
		t.Fatal(err)
	}
	if err := d.Image(pb.Bytes(), 120, "Biểu đồ \"thử\""); err != nil {
		t.Fatal(err)
	}
	d.PageBreak()
	d.Heading(2, "Phụ lục")
	d.Text("Trang sau.")
	return d
}

func parts(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	return out
}

// wellFormed reads an XML part to its end.
func wellFormed(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestDocumentIsAWellFormedPackage(t *testing.T) {
	var buf bytes.Buffer
	if err := sample(t, &buf).Close(); err != nil {
		t.Fatal(err)
	}
	p := parts(t, buf.Bytes())
	t.Run("every part a Word package needs is there and every XML part is well-formed", func(t *testing.T) {
		for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/settings.xml",
			"word/_rels/document.xml.rels", "word/header1.xml", "word/header2.xml", "docProps/core.xml", "word/media/image1.png"} {
			if _, ok := p[name]; !ok {
				t.Errorf("no part %s", name)
			}
		}
		for name, b := range p {
			if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
				if err := wellFormed(b); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
		}
	})
	doc := string(p["word/document.xml"])
	t.Run("text is escaped and control characters are dropped", func(t *testing.T) {
		if !strings.Contains(doc, "Điểm &amp; hạng &lt;chính xác&gt;") || strings.ContainsAny(doc, "\x01\x07") {
			t.Errorf("body text: %s", doc[strings.Index(doc, "Điểm"):][:80])
		}
	})
	t.Run("the page is A4 portrait with the administrative margins and numbers after the first page", func(t *testing.T) {
		for _, want := range []string{`<w:pgSz w:w="11906" w:h="16838"/>`, `w:top="1134"`, `w:left="1701"`, `w:right="851"`, `<w:titlePg/>`} {
			if !strings.Contains(doc, want) {
				t.Errorf("no %s", want)
			}
		}
		if !strings.Contains(string(p["word/header1.xml"]), " PAGE ") {
			t.Error("the header has no page number field")
		}
		if !strings.Contains(string(p["word/styles.xml"]), `w:ascii="Times New Roman"`) {
			t.Error("the text is not set in Times New Roman")
		}
	})
	t.Run("a table's header row repeats and the image is linked", func(t *testing.T) {
		if strings.Count(doc, "<w:tblHeader/>") != 1 || !strings.Contains(doc, `r:embed="rIdImage1"`) ||
			!strings.Contains(string(p["word/_rels/document.xml.rels"]), `Target="media/image1.png"`) {
			t.Error("table header or image link missing")
		}
		if !strings.Contains(doc, `descr="Biểu đồ &quot;thử&quot;"`) {
			t.Error("image description not escaped")
		}
	})
}

func TestBadInputIsRefused(t *testing.T) {
	d := New(io.Discard, "x")
	cases := []struct {
		name string
		err  error
	}{
		{"a row with more cells than columns", d.Table(Table{Columns: []Column{{Title: "A", Width: 1}}, Rows: []Row{{Cells: []string{"1", "2"}}}})},
		{"a table without columns", d.Table(Table{})},
		{"columns without width", d.Table(Table{Columns: []Column{{Title: "A"}}})},
		{"an image that is not a PNG", d.Image([]byte("GIF89a"), 100, "x")},
		{"a layout without cells", d.Layout()},
	}
	for _, c := range cases {
		t.Run(c.name+" is an error", func(t *testing.T) {
			if c.err == nil {
				t.Error("no error")
			}
		})
	}
	t.Run("closing twice is an error", func(t *testing.T) {
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		if d.Close() == nil {
			t.Error("no error")
		}
	})
}
