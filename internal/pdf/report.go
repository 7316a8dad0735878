package pdf

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// Report is a report of figures (the scoring report handed to the appraisal council): a title,
// lines about what it reports, then sections of paragraphs, bullet lists, horizontal bar
// charts and tables, laid out on A4 portrait pages with a footer "Trang n/N". Tables repeat
// their header row and charts their axis on every page they run onto.
type Report struct {
	// Head, when set, is the administrative heading above the title: the issuer on the left,
	// the national heading on the right.
	Head  *Heading
	Title string
	Lines []string
	// Footer is printed at the bottom left of every page.
	Footer   string
	Sections []Section
	// Sign, when set, ends the body with the recipients and the signature; Annexes follow it.
	Sign    *SignOff
	Annexes []Section
}

// Heading is the top of an administrative document (Nghị định 30/2020/NĐ-CP): the superior
// body, the issuer and the document number on the left; the national name, the motto and the
// place and date on the right.
type Heading struct {
	Superior, Issuer, Number string
	Name, Motto, PlaceDate   string
}

// SignOff is the end of the body: "Nơi nhận" and its lines on the left, the signer's title,
// room to sign and the signer's name on the right.
type SignOff struct {
	Recipients []string
	Title      string
	Signer     string
}

// Section is a heading followed by its content, in this order: paragraphs, bullets, chart,
// table, notes.
type Section struct {
	Heading    string
	Paragraphs []string
	Bullets    []string
	Chart      *BarChart
	Table      *Table
	Notes      []string
	// NewPage starts the section on a new page.
	NewPage bool
}

// Table is a table of text cells.
type Table struct {
	Columns []Column
	Rows    []TableRow
}

// Column is a table column: its heading, its share of the page width (relative to the other
// columns) and whether its cells align right (figures).
type Column struct {
	Title string
	Width float64
	Right bool
}

// TableRow is one row; Bold sets it in bold (an area's line), Shade on a light grey ground.
type TableRow struct {
	Cells []string
	Bold  bool
	Shade bool
}

// BarChart is a horizontal bar chart: one bar per label, a scale from 0 to Max, and vertical
// marks (band thresholds, say).
type BarChart struct {
	Title string
	Max   float64
	Bars  []Bar
	Marks []Mark
	// Axis names the scale ("điểm").
	Axis string
}

// Bar is one bar: its label, its length on the scale and the figure printed beside it.
type Bar struct {
	Label string
	Value float64
	Text  string
}

// Mark is a vertical line across the bars at a value of the scale, labelled at its top.
type Mark struct {
	Value float64
	Label string
}

// Report geometry, in millimetres, and type sizes, in points.
const (
	repTop       = 15.0
	repTitle     = 14
	repHeading   = 11
	repBody      = 9
	repCell      = 7.5
	repCellPad   = 1.2
	repBarH      = 4.2
	repBarGap    = 1.6
	repLabelW    = 48.0
	repValueW    = 16.0
	repChartHead = 10.0
)

// WriteReport lays the report out and writes it as a PDF.
func WriteReport(w io.Writer, r *Report) error {
	if r == nil || strings.TrimSpace(r.Title) == "" {
		return errors.New("pdf: report without a title")
	}
	d, err := newDocument(r.Title)
	if err != nil {
		return err
	}
	d.compress()
	l := &reportLayout{measure: d.width}
	l.newPage()
	if r.Head != nil {
		l.head(r.Head)
	}
	l.title(r)
	for i := range r.Sections {
		if err := l.section(&r.Sections[i]); err != nil {
			return err
		}
	}
	if r.Sign != nil {
		l.sign(r.Sign)
	}
	for i := range r.Annexes {
		if err := l.section(&r.Annexes[i]); err != nil {
			return err
		}
	}
	for n, ops := range l.pages {
		s := d.addPage()
		for _, op := range ops {
			op(s)
		}
		reportFooter(s, r.Footer, n+1, len(l.pages))
	}
	return d.output(w)
}

// reportLayout places the report's content on pages, as drawing operations per page, so that
// the footer can say how many pages there are.
type reportLayout struct {
	measure measureFunc
	pages   [][]func(s *surface)
	y       float64
}

func (l *reportLayout) newPage() {
	l.pages = append(l.pages, nil)
	l.y = repTop
}

func (l *reportLayout) draw(op func(s *surface)) {
	l.pages[len(l.pages)-1] = append(l.pages[len(l.pages)-1], op)
}

// room starts a new page unless h more millimetres fit on this one.
func (l *reportLayout) room(h float64) {
	if l.y+h > bottom && l.y > repTop {
		l.newPage()
	}
}

// lines writes wrapped text at x, width wide, and moves down.
func (l *reportLayout) lines(text string, w weight, size, x, width, after float64) {
	lh := lineHeight(size)
	for _, line := range wrap(l.measure, w, size, text, width) {
		l.room(lh)
		y, line := l.y+capHeight(size), line
		l.draw(func(s *surface) { s.setFont(w, size); s.text(x, y, line) })
		l.y += lh
	}
	l.y += after
}

func (l *reportLayout) title(r *Report) {
	for _, line := range wrap(l.measure, bold, repTitle, r.Title, contentW) {
		y, line := l.y+capHeight(repTitle), line
		l.draw(func(s *surface) { s.setFont(bold, repTitle); s.textCenter(pageW/2, y, line) })
		l.y += lineHeight(repTitle)
	}
	l.y += 2
	for _, t := range r.Lines {
		for _, line := range wrap(l.measure, regular, repBody, t, contentW) {
			y, line := l.y+capHeight(repBody), line
			l.draw(func(s *surface) { s.setFont(regular, repBody); s.textCenter(pageW/2, y, line) })
			l.y += lineHeight(repBody)
		}
	}
	y := l.y + 2
	l.draw(func(s *surface) { s.lineWidth(0.3); s.line(marginX, y, right, y) })
	l.y += 6
}

// Heading geometry: the left column (issuer) and the right one (national heading), by their
// centres, in millimetres.
const (
	headLeftW  = 72.0
	headLeftX  = marginX + headLeftW/2
	headRightX = marginX + headLeftW + (contentW-headLeftW)/2
	headSize   = 9.5
	signRoom   = 22.0
)

// centred writes lines centred on x from y down, and returns the y below them.
func (l *reportLayout) centred(x, y, width float64, w weight, size float64, text string) float64 {
	for _, line := range wrap(l.measure, w, size, text, width) {
		base, line := y+capHeight(size), line
		l.draw(func(s *surface) { s.setFont(w, size); s.textCenter(x, base, line) })
		y += lineHeight(size)
	}
	return y
}

// rule draws a short centred line under a heading's name, as wide as the given text.
func (l *reportLayout) rule(x, y float64, w weight, size float64, text string) {
	half := l.measure(w, size, text) / 2
	l.draw(func(s *surface) { s.setGray(0); s.lineWidth(0.3); s.line(x-half, y, x+half, y) })
}

func (l *reportLayout) head(h *Heading) {
	top := l.y
	y := top
	if h.Superior != "" {
		y = l.centred(headLeftX, y, headLeftW-2, regular, headSize, h.Superior)
	}
	if h.Issuer != "" {
		y = l.centred(headLeftX, y, headLeftW-2, bold, headSize, h.Issuer)
		l.rule(headLeftX, y+0.8, regular, headSize, "————")
		y += 3
	}
	if h.Number != "" {
		y = l.centred(headLeftX, y, headLeftW-2, regular, headSize, h.Number)
	}
	ry := l.centred(headRightX, top, contentW-headLeftW, bold, headSize, h.Name)
	ry = l.centred(headRightX, ry, contentW-headLeftW, bold, headSize+0.5, h.Motto)
	l.rule(headRightX, ry+0.8, bold, headSize+0.5, h.Motto)
	ry += 3
	if h.PlaceDate != "" {
		ry = l.centred(headRightX, ry, contentW-headLeftW, regular, headSize, h.PlaceDate)
	}
	l.y = max(y, ry) + 8
}

// sign ends the body: the recipients on the left, the signature on the right, on one page.
func (l *reportLayout) sign(so *SignOff) {
	lh := lineHeight(repCell)
	h := max(float64(len(so.Recipients)+1)*lh, lineHeight(repBody)*2+signRoom) + 4
	l.room(h)
	top := l.y + 2
	l.draw(func(s *surface) {
		s.setGray(0)
		s.setFont(bold, repCell+0.5)
		s.text(marginX, top+capHeight(repCell), "Nơi nhận:")
	})
	y := top + lh
	for _, r := range so.Recipients {
		for _, line := range wrap(l.measure, regular, repCell, "- "+r, headLeftW-4) {
			base, line := y+capHeight(repCell), line
			l.draw(func(s *surface) { s.setFont(regular, repCell); s.text(marginX, base, line) })
			y += lh
		}
	}
	ry := l.centred(headRightX, top, contentW-headLeftW, bold, repBody+1, so.Title)
	ry += signRoom
	if so.Signer != "" {
		ry = l.centred(headRightX, ry, contentW-headLeftW, bold, repBody+1, so.Signer)
	}
	l.y = max(y, ry) + 6
}

func (l *reportLayout) section(sec *Section) error {
	if sec.NewPage && l.y > repTop {
		l.newPage()
	}
	if sec.Heading != "" {
		// Keep a heading with the first lines of what follows it.
		l.room(lineHeight(repHeading) + 4*lineHeight(repBody))
		l.lines(sec.Heading, bold, repHeading, marginX, contentW, 1.5)
	}
	for _, p := range sec.Paragraphs {
		l.lines(p, regular, repBody, marginX, contentW, 1.5)
	}
	for _, b := range sec.Bullets {
		l.room(lineHeight(repBody))
		by := l.y + capHeight(repBody)
		l.draw(func(s *surface) { s.setFont(regular, repBody); s.text(marginX+1, by, "•") })
		l.lines(b, regular, repBody, marginX+5, contentW-5, 0.8)
	}
	if len(sec.Bullets) > 0 {
		l.y += 1.5
	}
	if sec.Chart != nil {
		if err := l.chart(sec.Chart); err != nil {
			return err
		}
	}
	if sec.Table != nil {
		if err := l.table(sec.Table); err != nil {
			return err
		}
	}
	for _, n := range sec.Notes {
		l.lines(n, regular, repCell, marginX, contentW, 0.8)
	}
	l.y += 4
	return nil
}

// table draws a table, wrapping cell text within its column and repeating the header row on
// every page it runs onto.
func (l *reportLayout) table(t *Table) error {
	if len(t.Columns) == 0 {
		return errors.New("pdf: table without columns")
	}
	total := 0.0
	for _, c := range t.Columns {
		total += c.Width
	}
	if total <= 0 {
		return errors.New("pdf: table columns without width")
	}
	xs := make([]float64, len(t.Columns)+1)
	xs[0] = marginX
	for i, c := range t.Columns {
		xs[i+1] = xs[i] + contentW*c.Width/total
	}
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Title
	}
	header := l.tableRow(t.Columns, xs, TableRow{Cells: head, Bold: true, Shade: true})
	for i := range t.Rows {
		if len(t.Rows[i].Cells) > len(t.Columns) {
			return fmt.Errorf("pdf: table row %d has %d cells for %d columns", i+1, len(t.Rows[i].Cells), len(t.Columns))
		}
		row := l.tableRow(t.Columns, xs, t.Rows[i])
		switch {
		case i == 0:
			l.room(header.h + row.h)
			l.place(header)
		case l.y+row.h > bottom:
			l.newPage()
			l.place(header)
		}
		l.place(row)
	}
	if len(t.Rows) == 0 {
		l.room(header.h)
		l.place(header)
	}
	l.y += 2
	return nil
}

// laidRow is a table row broken into lines, ready to be placed.
type laidRow struct {
	h    float64
	draw func(s *surface, y float64)
}

func (l *reportLayout) tableRow(cols []Column, xs []float64, r TableRow) laidRow {
	w := regular
	if r.Bold {
		w = bold
	}
	lh := lineHeight(repCell)
	cells := make([][]string, len(cols))
	n := 1
	for i := range cols {
		text := ""
		if i < len(r.Cells) {
			text = r.Cells[i]
		}
		cells[i] = wrap(l.measure, w, repCell, text, xs[i+1]-xs[i]-2*repCellPad)
		n = max(n, len(cells[i]))
	}
	h := float64(n)*lh + 2*repCellPad
	return laidRow{h: h, draw: func(s *surface, y float64) {
		if r.Shade {
			s.setGray(232)
			s.fill(xs[0], y, xs[len(xs)-1]-xs[0], h)
		}
		s.setGray(0)
		s.lineWidth(0.15)
		s.box(xs[0], y, xs[len(xs)-1]-xs[0], h)
		for i := 1; i < len(xs)-1; i++ {
			s.line(xs[i], y, xs[i], y+h)
		}
		s.setFont(w, repCell)
		for i, lines := range cells {
			for k, line := range lines {
				base := y + repCellPad + float64(k)*lh + capHeight(repCell) + (lh-capHeight(repCell))/3
				if cols[i].Right {
					s.textRight(xs[i+1]-repCellPad, base, line)
				} else {
					s.text(xs[i]+repCellPad, base, line)
				}
			}
		}
	}}
}

func (l *reportLayout) place(r laidRow) {
	y := l.y
	l.draw(func(s *surface) { r.draw(s, y) })
	l.y += r.h
}

// chart draws a horizontal bar chart, as many bars per page as fit, each page part with its
// title, scale and marks.
func (l *reportLayout) chart(c *BarChart) error {
	if c.Max <= 0 || math.IsNaN(c.Max) || math.IsInf(c.Max, 0) {
		return errors.New("pdf: chart without a scale")
	}
	step := repBarH + repBarGap
	x0 := marginX + repLabelW
	plotW := contentW - repLabelW - repValueW
	scale := func(v float64) float64 { return x0 + plotW*math.Max(0, math.Min(v, c.Max))/c.Max }
	rows, nrows := markRows(c.Marks, func(m Mark) (float64, float64) {
		w := l.measure(regular, repCell-1, m.Label)
		return scale(m.Value) - w/2, w
	})
	marksH := 2.8*float64(max(nrows, 2)) + 2.4
	for start := 0; start < len(c.Bars) || start == 0; {
		l.room(repChartHead + 3*step + marksH)
		fits := int((bottom - l.y - repChartHead - marksH) / step)
		end := min(len(c.Bars), start+max(fits, 1))
		bars := c.Bars[start:end]
		top := l.y
		plotTop := top + repChartHead
		plotBottom := plotTop + float64(len(bars))*step
		title := c.Title
		if start > 0 {
			title += " (tiếp)"
		}
		l.draw(func(s *surface) {
			s.setGray(0)
			s.setFont(bold, repBody)
			s.text(marginX, top+capHeight(repBody), title)
			// Scale: five ticks from 0 to Max, with light vertical guides.
			s.setFont(regular, repCell-1)
			s.lineWidth(0.1)
			for k := 0; k <= 4; k++ {
				v := c.Max * float64(k) / 4
				x := scale(v)
				s.setGray(200)
				s.line(x, plotTop-1, x, plotBottom)
				s.setGray(80)
				s.textCenter(x, plotTop-1.8, trimFloat(v))
			}
			if c.Axis != "" {
				s.textRight(right, plotTop-1.8, c.Axis)
			}
			s.setGray(0)
			s.lineWidth(0.25)
			s.line(x0, plotTop-1, x0, plotBottom)
			s.dashed(true)
			s.lineWidth(0.3)
			for _, m := range c.Marks {
				x := scale(m.Value)
				s.line(x, plotTop-0.5, x, plotBottom)
			}
			s.dashed(false)
			// Bars and their figures come after every line, each figure on a white ground, so
			// that no band mark or guide crosses a figure.
			for i, b := range bars {
				y := plotTop + float64(i)*step + repBarGap/2
				s.setGray(0)
				s.setFont(regular, repCell)
				s.textRight(x0-1.5, y+repBarH*0.78, fitLabel(s, b.Label, repLabelW-2))
				s.setGray(110)
				if w := scale(b.Value) - x0; w > 0 {
					s.fill(x0, y, w, repBarH)
				}
				x := scale(b.Value) + 1.2
				s.setGray(255)
				s.fill(x-0.4, y, s.width(b.Text)+0.8, repBarH)
				s.setGray(0)
				s.text(x, y+repBarH*0.78, b.Text)
			}
			s.setFont(regular, repCell-1)
			for i, m := range c.Marks {
				// Each label on the first line where it overlaps no other (markRows).
				s.textCenter(scale(m.Value), plotBottom+3+float64(rows[i])*2.8, m.Label)
			}
		})
		l.y = plotBottom + marksH
		if end >= len(c.Bars) {
			break
		}
		start = end
		l.newPage()
	}
	return nil
}

// markRows puts each mark's label on the first line under the bars where it overlaps no other
// label, given its left edge and width; it returns each mark's line and the lines used.
func markRows(marks []Mark, span func(Mark) (left, width float64)) ([]int, int) {
	const gap = 1.2
	rows := make([]int, len(marks))
	var taken [][][2]float64 // per line, the spans taken
	for i, m := range marks {
		l, w := span(m)
		r := 0
		for ; r < len(taken); r++ {
			free := true
			for _, t := range taken[r] {
				if l < t[1]+gap && t[0] < l+w+gap {
					free = false
					break
				}
			}
			if free {
				break
			}
		}
		if r == len(taken) {
			taken = append(taken, nil)
		}
		taken[r] = append(taken[r], [2]float64{l, l + w})
		rows[i] = r
	}
	return rows, len(taken)
}

// fitLabel shortens a label with an ellipsis until it fits the width in the current font.
func fitLabel(s *surface, label string, width float64) string {
	if s.width(label) <= width {
		return label
	}
	r := []rune(nfc(label))
	for len(r) > 1 && s.width(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// trimFloat writes a scale value briefly with a decimal comma: 8, 2,5, 0,25.
func trimFloat(v float64) string {
	s := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
	return strings.Replace(s, ".", ",", 1)
}

func reportFooter(s *surface, text string, page, pages int) {
	s.setGray(0)
	s.lineWidth(0.2)
	s.line(marginX, footerRule, right, footerRule)
	s.setFont(regular, sizeSmall)
	if text != "" {
		s.text(marginX, footerBase, text)
	}
	s.textRight(right, footerBase, fmt.Sprintf("%s %d/%d", labelPage, page, pages))
}
