package pdf

// This file is the only one that knows gofpdf: the rest of the package draws on a surface and
// measures through a document. Moving to a maintained fork of gofpdf means changing this file.

import (
	"fmt"
	"io"
	"strconv"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/text/unicode/norm"

	"github.com/parsurvey/parsurvey/data"
)

// weight is a font weight; DejaVu Sans regular and bold are the only faces we embed.
type weight int

const (
	regular weight = iota
	bold
)

const family = "dejavu"

// fontFiles are the embedded faces, by weight.
var fontFiles = [...]string{regular: "fonts/DejaVuSans.ttf", bold: "fonts/DejaVuSans-Bold.ttf"}

// ptToMM converts points, the unit of font sizes, to millimetres, the unit of layout.
const ptToMM = 25.4 / 72

// document is one PDF being written: A4 portrait, millimetres, origin at the top left.
type document struct {
	f   *gofpdf.Fpdf
	err error
	// font is the font selected in f, shared by measuring and the surface of the current page so
	// that neither selects a font again needlessly nor trusts a selection the other has changed.
	font fontKey
}

type fontKey struct {
	w    weight
	size float64
}

// compress deflates the document's page streams. Questionnaires and slips are printed by the
// thousand and stay uncompressed for speed; a report of hundreds of pages is compressed, which
// keeps its pages small in memory as well as on disk.
func (d *document) compress() { d.f.SetCompression(true) }

// noFont is the font state before any font is selected.
var noFont = fontKey{size: -1}

// newDocument starts an empty A4 document with the embedded fonts loaded.
func newDocument(title string) (*document, error) {
	f := gofpdf.New("P", "mm", "A4", "")
	f.SetMargins(0, 0, 0)
	f.SetAutoPageBreak(false, 0)
	f.SetCompression(false)
	f.SetCreator("parsurvey", true)
	f.SetTitle(norm.NFC.String(title), true)
	for w, name := range fontFiles {
		b, err := data.Fonts.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("pdf: font %s: %w", name, err)
		}
		style := ""
		if weight(w) == bold {
			style = "B"
		}
		f.AddUTF8FontFromBytes(family, style, b)
	}
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("pdf: load fonts: %w", err)
	}
	return &document{f: f, font: noFont}, nil
}

// width returns how wide s is, in millimetres, set in the given weight and size (points).
func (d *document) width(w weight, size float64, s string) float64 {
	if k := (fontKey{w, size}); k != d.font {
		d.f.SetFont(family, styleOf(w), size)
		d.font = k
	}
	return d.f.GetStringWidth(norm.NFC.String(s))
}

// addPage starts a new page and returns a surface to draw on it.
func (d *document) addPage() *surface {
	d.f.AddPage()
	d.font = noFont
	return newSurface(d.f, &d.font)
}

// template is content drawn once and placed on many pages.
type template struct{ t gofpdf.Template }

// fixedTemplate wraps a gofpdf template to remember its ID: gofpdf hashes the whole content
// stream every time it asks for the ID, several times per use, which dominates large batches.
type fixedTemplate struct {
	gofpdf.Template
	id string
}

func (t fixedTemplate) ID() string { return t.id }

// template draws a full page once; use places it on the current page.
func (d *document) template(draw func(s *surface)) *template {
	var inner error
	t := d.f.CreateTemplate(func(tpl *gofpdf.Tpl) {
		font := noFont
		draw(newSurface(&tpl.Fpdf, &font))
		inner = tpl.Error()
	})
	if inner != nil && d.err == nil {
		d.err = fmt.Errorf("pdf: template: %w", inner)
	}
	return &template{fixedTemplate{Template: t, id: t.ID()}}
}

// output finishes the document and writes it out.
func (d *document) output(w io.Writer) error {
	if d.err != nil {
		return d.err
	}
	if err := d.f.Output(w); err != nil {
		return fmt.Errorf("pdf: write: %w", err)
	}
	return nil
}

// surface draws on a page or a template. All text goes through NFC normalisation here, so
// decomposed Vietnamese (a letter followed by combining marks) reaches the PDF as the precomposed
// characters the font has glyphs for.
type surface struct {
	f          *gofpdf.Fpdf
	font       *fontKey
	gray       int
	pageHeight float64
}

// newSurface starts drawing in black, whatever colour gofpdf carried over from the previous page;
// font is the record of the font selected in f, shared with whoever else selects fonts in it.
func newSurface(f *gofpdf.Fpdf, font *fontKey) *surface {
	_, h := f.GetPageSize()
	f.SetTextColor(0, 0, 0)
	f.SetDrawColor(0, 0, 0)
	f.SetFillColor(0, 0, 0)
	return &surface{f: f, font: font, pageHeight: h}
}

func styleOf(w weight) string {
	if w == bold {
		return "B"
	}
	return ""
}

// setFont selects the font for the following text.
func (s *surface) setFont(w weight, size float64) {
	if k := (fontKey{w, size}); k != *s.font {
		s.f.SetFont(family, styleOf(w), size)
		*s.font = k
	}
}

// setGray sets the colour of text, lines and fills: 0 black, 255 white.
func (s *surface) setGray(level int) {
	if level != s.gray {
		s.f.SetTextColor(level, level, level)
		s.f.SetDrawColor(level, level, level)
		s.f.SetFillColor(level, level, level)
		s.gray = level
	}
}

// width returns how wide str is in the current font, in millimetres.
func (s *surface) width(str string) float64 {
	return s.f.GetStringWidth(norm.NFC.String(str))
}

// text writes str with its baseline at y, starting at x.
func (s *surface) text(x, y float64, str string) {
	s.f.Text(x, y, norm.NFC.String(str))
}

// textRight writes str with its baseline at y, ending at x.
func (s *surface) textRight(x, y float64, str string) {
	str = norm.NFC.String(str)
	s.f.Text(x-s.f.GetStringWidth(str), y, str)
}

// textCenter writes str with its baseline at y, centred on x.
func (s *surface) textCenter(x, y float64, str string) {
	str = norm.NFC.String(str)
	s.f.Text(x-s.f.GetStringWidth(str)/2, y, str)
}

// lineWidth sets the width of lines and box borders, in millimetres.
func (s *surface) lineWidth(w float64) { s.f.SetLineWidth(w) }

// dashed switches lines between dashed (for cut marks) and solid.
func (s *surface) dashed(on bool) {
	if on {
		s.f.SetDashPattern([]float64{1.5, 1.2}, 0)
	} else {
		s.f.SetDashPattern(nil, 0)
	}
}

// line draws a straight line.
func (s *surface) line(x1, y1, x2, y2 float64) { s.f.Line(x1, y1, x2, y2) }

// box draws a rectangle's border.
func (s *surface) box(x, y, w, h float64) { s.f.Rect(x, y, w, h, "D") }

// fill paints a rectangle without a border.
func (s *surface) fill(x, y, w, h float64) { s.f.Rect(x, y, w, h, "F") }

// use places a template, drawn for a whole page, on this page.
func (s *surface) use(t *template) { s.f.UseTemplate(t.t) }

// qr paints a QR code, given as rows of dark modules without border, in black inside the square
// at (x, y) of the given side, leaving the four-module quiet zone inside the square white. The
// dark modules are one path of rectangles, one per run of dark modules in a row, in a coordinate
// system of one unit per module; a single fill of the whole path leaves no seams between rows.
func (s *surface) qr(x, y, side float64, modules [][]bool) {
	n := len(modules)
	if n == 0 {
		return
	}
	m := side / float64(n+8)
	k := s.f.GetConversionRatio()
	buf := make([]byte, 0, 64+n*n*3)
	buf = append(buf, "q 0 g "...)
	buf = appendNum(buf, m*k)
	buf = append(buf, " 0 0 "...)
	buf = appendNum(buf, -m*k)
	buf = append(buf, ' ')
	buf = appendNum(buf, (x+4*m)*k)
	buf = append(buf, ' ')
	buf = appendNum(buf, (s.pageHeight-y-4*m)*k)
	buf = append(buf, " cm\n"...)
	for row, line := range modules {
		for col := 0; col < len(line); {
			if !line[col] {
				col++
				continue
			}
			start := col
			for col < len(line) && line[col] {
				col++
			}
			buf = strconv.AppendInt(buf, int64(start), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(row), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(col-start), 10)
			buf = append(buf, " 1 re\n"...)
		}
	}
	buf = append(buf, "f Q"...)
	s.f.RawWriteStr(string(buf))
}

func appendNum(b []byte, v float64) []byte { return strconv.AppendFloat(b, v, 'f', 4, 64) }
