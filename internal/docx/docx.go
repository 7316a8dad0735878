// Package docx writes Word documents (WordprocessingML, ECMA-376) for reports: styled headings
// and paragraphs, bordered tables whose header row repeats on every page, borderless layout
// tables (a national heading, a signature block), page breaks, PNG images and page numbers, on
// A4 portrait pages with the margins of Vietnamese administrative documents (Nghị định
// 30/2020/NĐ-CP: top and bottom 20 mm, left 30 mm, right 15 mm), set in Times New Roman.
//
// It writes only what it needs, by hand, with the standard library: a document is a handful of
// small XML parts in a ZIP file, and every part is written here so that the output opens in
// Word and LibreOffice alike.
package docx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Page geometry in twentieths of a point (twips): A4 portrait and its margins.
const (
	pageW        = 11906
	pageH        = 16838
	marginTop    = 1134 // 20 mm
	marginBottom = 1134 // 20 mm
	marginLeft   = 1701 // 30 mm
	marginRight  = 851  // 15 mm
	headerDist   = 567  // 10 mm
	// TextWidth is the width between the margins, in twips.
	TextWidth = pageW - marginLeft - marginRight
	// emuPerMM converts millimetres to the English Metric Units of DrawingML.
	emuPerMM = 36000
	// twipsPerMM converts millimetres to twips.
	twipsPerMM = 1440 / 25.4
)

// Align is a paragraph's horizontal alignment.
type Align string

// The alignments; the zero value takes the style's (justified body text).
const (
	Left    Align = "left"
	Center  Align = "center"
	Right   Align = "right"
	Justify Align = "both"
)

// Run is a stretch of text in one format. A "\n" in Text breaks the line.
type Run struct {
	Text      string
	Bold      bool
	Italic    bool
	Underline bool
	// Size is the font size in points; 0 takes the paragraph style's.
	Size float64
}

// Paragraph is a paragraph of runs.
type Paragraph struct {
	Runs  []Run
	Align Align
	// Style is a paragraph style id of styles.xml ("Normal", "Heading1", "TableText" …); ""
	// is Normal.
	Style string
	// Indent is a left indent in millimetres; Hanging outdents the first line by as much.
	Indent  float64
	Hanging float64
	// Before and After are spacing in points; negative keeps the style's.
	Before, After float64
	// KeepNext keeps the paragraph on the page of the next one.
	KeepNext bool
}

// P is a paragraph of one plain run in the given style.
func P(style, text string) Paragraph {
	return Paragraph{Style: style, Runs: []Run{{Text: text}}, Before: -1, After: -1}
}

// Document is a Word document being written: its body streams into the ZIP file as it is
// added, so that a long report is never held in memory whole; Close writes the other parts.
type Document struct {
	title string
	z     *zip.Writer
	// part is the document.xml entry; body collects XML until flush passes it on.
	part   io.Writer
	body   bytes.Buffer
	err    error
	images [][]byte
	// shapes numbers drawing objects, which Word wants unique within the document.
	shapes int
	closed bool
	// Created is the document's creation time in its properties; zero writes none.
	Created time.Time
}

// flushAt is how much body XML is gathered before it is compressed into the file.
const flushAt = 64 << 10

// New starts a document with a title (its document property), written to w.
func New(w io.Writer, title string) *Document {
	d := &Document{title: norm.NFC.String(title), z: zip.NewWriter(w)}
	d.part, d.err = d.z.Create("word/document.xml")
	d.body.WriteString(xmlHead + documentOpen + "<w:body>")
	return d
}

// flush passes the gathered body XML on to the file once there is enough of it (or always).
func (d *Document) flush(always bool) {
	if d.err != nil || (!always && d.body.Len() < flushAt) {
		return
	}
	if _, err := d.part.Write(d.body.Bytes()); err != nil {
		d.err = fmt.Errorf("docx: write document: %w", err)
	}
	d.body.Reset()
}

// Heading adds a heading of level 1 to 3 (styles Heading1…Heading3, which Word and LibreOffice
// list in their navigation panes).
func (d *Document) Heading(level int, text string) {
	level = max(1, min(level, 3))
	d.Paragraph(Paragraph{Style: "Heading" + strconv.Itoa(level), Runs: []Run{{Text: text}}, Before: -1, After: -1})
}

// Text adds a body paragraph of plain text.
func (d *Document) Text(text string) { d.Paragraph(P("", text)) }

// Bullets adds a list, each item a paragraph led by a dash with a hanging indent, as
// administrative documents list.
func (d *Document) Bullets(items []string) {
	for _, it := range items {
		d.Paragraph(Paragraph{Runs: []Run{{Text: "–\t" + it}}, Indent: 8, Hanging: 6, Before: -1, After: 3})
	}
}

// Paragraph adds a paragraph.
func (d *Document) Paragraph(p Paragraph) {
	writeParagraph(&d.body, p)
	d.flush(false)
}

// PageBreak starts a new page.
func (d *Document) PageBreak() {
	d.body.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
}

func writeParagraph(b *bytes.Buffer, p Paragraph) {
	b.WriteString("<w:p>")
	var ppr strings.Builder
	if p.Style != "" && p.Style != "Normal" {
		fmt.Fprintf(&ppr, `<w:pStyle w:val="%s"/>`, attr(p.Style))
	}
	if p.KeepNext {
		ppr.WriteString(`<w:keepNext/>`)
	}
	if p.Before >= 0 || p.After >= 0 {
		ppr.WriteString("<w:spacing")
		if p.Before >= 0 {
			fmt.Fprintf(&ppr, ` w:before="%d"`, int(p.Before*20))
		}
		if p.After >= 0 {
			fmt.Fprintf(&ppr, ` w:after="%d"`, int(p.After*20))
		}
		ppr.WriteString("/>")
	}
	if p.Indent > 0 || p.Hanging > 0 {
		fmt.Fprintf(&ppr, `<w:ind w:left="%d"`, int(p.Indent*twipsPerMM))
		if p.Hanging > 0 {
			fmt.Fprintf(&ppr, ` w:hanging="%d"`, int(p.Hanging*twipsPerMM))
		}
		ppr.WriteString("/>")
	}
	if p.Align != "" {
		fmt.Fprintf(&ppr, `<w:jc w:val="%s"/>`, p.Align)
	}
	if ppr.Len() > 0 {
		b.WriteString("<w:pPr>" + ppr.String() + "</w:pPr>")
	}
	for _, r := range p.Runs {
		writeRun(b, r)
	}
	b.WriteString("</w:p>")
}

func writeRun(b *bytes.Buffer, r Run) {
	b.WriteString("<w:r>")
	if r.Bold || r.Italic || r.Underline || r.Size > 0 {
		b.WriteString("<w:rPr>")
		if r.Bold {
			b.WriteString("<w:b/><w:bCs/>")
		}
		if r.Italic {
			b.WriteString("<w:i/><w:iCs/>")
		}
		if r.Underline {
			b.WriteString(`<w:u w:val="single"/>`)
		}
		if r.Size > 0 {
			hp := int(r.Size*2 + 0.5)
			fmt.Fprintf(b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, hp, hp)
		}
		b.WriteString("</w:rPr>")
	}
	for i, line := range strings.Split(norm.NFC.String(r.Text), "\n") {
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteString("<w:tab/>")
			}
			if part != "" {
				b.WriteString(`<w:t xml:space="preserve">`)
				escape(b, part)
				b.WriteString("</w:t>")
			}
		}
	}
	b.WriteString("</w:r>")
}

// Image adds a PNG image as its own centred paragraph, widthMM wide (its height keeps the
// image's proportions), described by alt for screen readers.
func (d *Document) Image(pngData []byte, widthMM float64, alt string) error {
	cfg, err := png.DecodeConfig(bytes.NewReader(pngData))
	if err != nil {
		return fmt.Errorf("docx: image %q: %w", alt, err)
	}
	if cfg.Width == 0 || cfg.Height == 0 || widthMM <= 0 {
		return fmt.Errorf("docx: image %q has no size", alt)
	}
	d.images = append(d.images, pngData)
	n := len(d.images)
	d.shapes++
	cx := int64(widthMM * emuPerMM)
	cy := cx * int64(cfg.Height) / int64(cfg.Width)
	b := &d.body
	b.WriteString(`<w:p><w:pPr><w:spacing w:before="120" w:after="120"/><w:jc w:val="center"/></w:pPr><w:r><w:drawing>`)
	fmt.Fprintf(b, `<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/><wp:effectExtent l="0" t="0" r="0" b="0"/>`, cx, cy)
	fmt.Fprintf(b, `<wp:docPr id="%d" name="Hình %d" descr="`, d.shapes, n)
	escapeAttr(b, alt)
	b.WriteString(`"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`)
	b.WriteString(`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>`)
	fmt.Fprintf(b, `<pic:nvPicPr><pic:cNvPr id="%d" name="image%d.png"/><pic:cNvPicPr/></pic:nvPicPr>`, d.shapes, n)
	fmt.Fprintf(b, `<pic:blipFill><a:blip r:embed="rIdImage%d"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`, n)
	fmt.Fprintf(b, `<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`, cx, cy)
	b.WriteString(`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`)
	d.flush(false)
	return nil
}

// Close ends the body and writes the document's other parts and images; the first error met
// while writing is returned here.
func (d *Document) Close() error {
	if d.closed {
		return errors.New("docx: document closed twice")
	}
	d.closed = true
	d.body.WriteString(sectionProperties + "</w:body></w:document>")
	d.flush(true)
	if d.err != nil {
		return d.err
	}
	part := func(name, content string) error {
		f, err := d.z.Create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(f, content)
		return err
	}
	var rels strings.Builder
	rels.WriteString(xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	rels.WriteString(`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`)
	rels.WriteString(`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>`)
	rels.WriteString(`<Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>`)
	rels.WriteString(`<Relationship Id="rIdHeaderFirst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>`)
	for i := range d.images {
		fmt.Fprintf(&rels, `<Relationship Id="rIdImage%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image%d.png"/>`, i+1, i+1)
	}
	rels.WriteString(`</Relationships>`)

	parts := []struct{ name, content string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", packageRels},
		{"docProps/core.xml", d.core()},
		{"docProps/app.xml", appProps},
		{"word/_rels/document.xml.rels", rels.String()},
		{"word/styles.xml", styles},
		{"word/settings.xml", settings},
		{"word/header1.xml", pageNumberHeader},
		{"word/header2.xml", emptyHeader},
	}
	for _, p := range parts {
		if err := part(p.name, p.content); err != nil {
			return fmt.Errorf("docx: write %s: %w", p.name, err)
		}
	}
	for i, img := range d.images {
		// PNG is compressed already: store it as it is.
		f, err := d.z.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("word/media/image%d.png", i+1), Method: zip.Store})
		if err != nil {
			return fmt.Errorf("docx: write image %d: %w", i+1, err)
		}
		if _, err := f.Write(img); err != nil {
			return fmt.Errorf("docx: write image %d: %w", i+1, err)
		}
	}
	if err := d.z.Close(); err != nil {
		return fmt.Errorf("docx: close: %w", err)
	}
	return nil
}

func (d *Document) core() string {
	var b bytes.Buffer
	b.WriteString(xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>`)
	escape(&b, d.title)
	b.WriteString(`</dc:title><dc:creator>parsurvey</dc:creator><dc:language>vi-VN</dc:language>`)
	if !d.Created.IsZero() {
		fmt.Fprintf(&b, `<dcterms:created xsi:type="dcterms:W3CDTF">%s</dcterms:created>`, d.Created.UTC().Format(time.RFC3339))
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.String()
}

// escape writes s as XML character data, dropping characters XML 1.0 does not allow (control
// characters an open-ended answer may carry) and invalid UTF-8.
func escape(b *bytes.Buffer, s string) {
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch {
		case r == utf8.RuneError && size == 1:
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 0x20 || (r >= 0xD800 && r <= 0xDFFF) || r == 0xFFFE || r == 0xFFFF:
		default:
			b.WriteRune(r)
		}
	}
}

// escapeAttr writes s for an attribute value in double quotes.
func escapeAttr(b *bytes.Buffer, s string) {
	var t bytes.Buffer
	escape(&t, norm.NFC.String(s))
	b.WriteString(strings.ReplaceAll(t.String(), `"`, "&quot;"))
}

func attr(s string) string {
	var b bytes.Buffer
	escapeAttr(&b, s)
	return b.String()
}
