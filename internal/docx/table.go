package docx

import (
	"bytes"
	"fmt"
)

// Table is a table of figures: a header row repeated on every page the table runs onto, and
// rows of text cells, with single borders.
type Table struct {
	// Columns give each column's heading, share of the text width and alignment.
	Columns []Column
	Rows    []Row
	// Size is the cell text size in points; 0 is the TableText style's, 10.
	Size float64
	// Compact sets the table in 8 points with narrow cell margins, for many columns.
	Compact bool
}

// Column is a table column.
type Column struct {
	Title string
	// Width is the column's share of the table width, relative to the other columns.
	Width float64
	// Right aligns the column's cells to the right (figures).
	Right bool
}

// Row is one table row; Bold sets it in bold (an area's line), Shade on a light grey ground.
type Row struct {
	Cells []string
	Bold  bool
	Shade bool
}

// Cell is one cell of a layout table: its paragraphs.
type Cell struct {
	// Width is the cell's share of the text width, relative to the other cells.
	Width      float64
	Paragraphs []Paragraph
}

// Table adds a bordered table. A row with more cells than columns is an error.
func (d *Document) Table(t Table) error {
	if len(t.Columns) == 0 {
		return fmt.Errorf("docx: table without columns")
	}
	widths := make([]float64, len(t.Columns))
	for i, c := range t.Columns {
		widths[i] = c.Width
	}
	tw, err := twips(widths)
	if err != nil {
		return err
	}
	for i, r := range t.Rows {
		if len(r.Cells) > len(t.Columns) {
			return fmt.Errorf("docx: table row %d has %d cells for %d columns", i+1, len(r.Cells), len(t.Columns))
		}
	}
	size := t.Size
	margin := 85 // 1.5 mm
	if t.Compact {
		size, margin = 8, 28
	}
	b := &d.body
	tableOpen(b, tw, true, margin)
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Title
	}
	row(b, t.Columns, tw, Row{Cells: head, Bold: true, Shade: true}, size, true)
	for _, r := range t.Rows {
		row(b, t.Columns, tw, r, size, false)
		d.flush(false)
	}
	b.WriteString("</w:tbl>")
	// A table followed directly by another would merge with it: a small paragraph parts them.
	b.WriteString(`<w:p><w:pPr><w:spacing w:before="0" w:after="60"/><w:rPr><w:sz w:val="8"/></w:rPr></w:pPr></w:p>`)
	d.flush(false)
	return nil
}

// Layout adds a one-row table without borders that places paragraphs side by side: the
// national heading beside the issuer, the recipients beside the signature.
func (d *Document) Layout(cells ...Cell) error {
	if len(cells) == 0 {
		return fmt.Errorf("docx: layout without cells")
	}
	widths := make([]float64, len(cells))
	for i, c := range cells {
		widths[i] = c.Width
	}
	tw, err := twips(widths)
	if err != nil {
		return err
	}
	b := &d.body
	tableOpen(b, tw, false, 85)
	b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
	for i, c := range cells {
		fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, tw[i])
		if len(c.Paragraphs) == 0 {
			b.WriteString("<w:p/>")
		}
		for _, p := range c.Paragraphs {
			writeParagraph(b, p)
		}
		b.WriteString("</w:tc>")
	}
	b.WriteString("</w:tr></w:tbl>")
	b.WriteString(`<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:p>`)
	d.flush(false)
	return nil
}

// twips shares the text width out among relative widths.
func twips(widths []float64) ([]int, error) {
	total := 0.0
	for _, w := range widths {
		if w < 0 {
			return nil, fmt.Errorf("docx: negative column width")
		}
		total += w
	}
	if total <= 0 {
		return nil, fmt.Errorf("docx: table columns without width")
	}
	out := make([]int, len(widths))
	used := 0
	for i, w := range widths {
		out[i] = int(float64(TextWidth) * w / total)
		used += out[i]
	}
	out[len(out)-1] += TextWidth - used
	return out, nil
}

func tableOpen(b *bytes.Buffer, tw []int, borders bool, margin int) {
	b.WriteString(`<w:tbl><w:tblPr>`)
	fmt.Fprintf(b, `<w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/>`, TextWidth)
	if borders {
		b.WriteString(`<w:tblBorders>`)
		for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
			fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
		}
		b.WriteString(`</w:tblBorders>`)
	} else {
		b.WriteString(`<w:tblBorders>`)
		for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
			fmt.Fprintf(b, `<w:%s w:val="nil"/>`, side)
		}
		b.WriteString(`</w:tblBorders>`)
	}
	fmt.Fprintf(b, `<w:tblCellMar><w:left w:w="%d" w:type="dxa"/><w:right w:w="%d" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>`, margin, margin)
	for _, w := range tw {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
}

func row(b *bytes.Buffer, cols []Column, tw []int, r Row, size float64, header bool) {
	b.WriteString(`<w:tr><w:trPr><w:cantSplit/>`)
	if header {
		b.WriteString(`<w:tblHeader/>`)
	}
	b.WriteString(`</w:trPr>`)
	for i := range cols {
		text := ""
		if i < len(r.Cells) {
			text = r.Cells[i]
		}
		fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, tw[i])
		if r.Shade {
			b.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="E8E8E8"/>`)
		}
		b.WriteString(`</w:tcPr>`)
		align := Left
		switch {
		case header:
			align = Center
		case cols[i].Right:
			align = Right
		}
		sz := size
		if header {
			// Headings of narrow columns would break inside words at the cells' size.
			sz = 9
			if size > 0 {
				sz = size - 0.5
			}
		}
		writeParagraph(b, Paragraph{Style: "TableText", Align: align, Before: -1, After: -1,
			KeepNext: header, Runs: []Run{{Text: text, Bold: r.Bold, Size: sz}}})
		b.WriteString(`</w:tc>`)
	}
	b.WriteString(`</w:tr>`)
}
