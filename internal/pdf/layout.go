package pdf

import (
	"fmt"
	"math"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// A4 page geometry, in millimetres.
const (
	pageW    = 210.0
	pageH    = 297.0
	marginX  = 15.0
	contentW = pageW - 2*marginX
	right    = pageW - marginX
	// firstTop is where page 1 starts; later pages start below the line carrying the form code.
	firstTop = 12.0
	nextTop  = 20.0
	// bottom is where the body must end, above the footer.
	bottom     = 280.0
	footerRule = 283.5
	footerBase = 288.5
)

// Type sizes, in points.
const (
	sizeTitle   = 13
	sizeHeading = 10
	sizeBody    = 10
	sizeOption  = 9.5
	sizeNumber  = 6.5
	sizeTable   = 7.5
	sizeSmall   = 7.5
)

// Tick boxes, in millimetres.
const (
	boxSide   = 3.5
	boxGap    = 1.4 // between a box and its label
	numberW   = 2.6 // room for the grey option number before a box
	optionGap = 4.0 // least space between options on a line
)

// block is a piece of the questionnaire body laid out once: its height (space after included)
// and how to draw it with its top at y.
type block struct {
	h    float64
	draw func(s *surface, y float64)
	// keep keeps the block on the same page as the next one (a heading and its first question).
	keep bool
	// header is drawn again at the top of a page that this block starts (a table's header row).
	header *block
}

// placed is a block at its place on a page.
type placed struct {
	b *block
	y float64
}

// paginate places blocks on pages: page 1 from firstTop, the others from nextTop, all ending
// above bottom.
func paginate(blocks []*block) [][]placed {
	pages := [][]placed{nil}
	y := firstTop
	top := firstTop
	for i, b := range blocks {
		need := b.h
		for j := i; j+1 < len(blocks) && blocks[j].keep; j++ {
			need += blocks[j+1].h
		}
		if need > bottom-nextTop {
			need = b.h // a group taller than a page cannot be kept together
		}
		if y+need > bottom && y > top {
			pages = append(pages, nil)
			y, top = nextTop, nextTop
			if b.header != nil {
				pages[len(pages)-1] = append(pages[len(pages)-1], placed{b.header, y})
				y += b.header.h
			}
		}
		pages[len(pages)-1] = append(pages[len(pages)-1], placed{b, y})
		y += b.h
	}
	return pages
}

// body lays out a questionnaire's body: everything that is the same on every copy.
type body struct {
	measure measureFunc
	q       *campaign.Questionnaire
	units   []campaign.Unit
	org     string
	blocks  []*block
}

func (l *body) add(b *block) { l.blocks = append(l.blocks, b) }

// layout builds the blocks of the whole body in reading order.
func (l *body) layout() []*block {
	l.header()
	l.title()
	l.intro()
	l.fields()
	n := 0
	for _, sec := range l.q.Sections {
		if strings.TrimSpace(sec.Title) != "" {
			l.heading(sec.Title)
		}
		for i := range sec.Questions {
			n++
			if l.q.Shape == campaign.ShapeMatrix {
				l.matrixQuestion(n, &sec.Questions[i])
			} else {
				l.question(n, &sec.Questions[i])
			}
		}
	}
	l.thanks()
	return l.blocks
}

// Page 1 header: the organisation on the left, the copy's stamp box on the right.
const (
	stampX    = 105.0
	stampY    = firstTop
	stampW    = right - stampX
	stampH    = 38.0
	qrSide    = 31.0 // quiet zone included
	qrX       = right - qrSide - 0.5
	qrY       = stampY + 3.5
	stampPad  = 3.0
	stampText = qrX - stampX - stampPad // width of the text beside the QR code
	orgCenter = (marginX + stampX - 3) / 2
	orgWidth  = stampX - 3 - marginX
)

func (l *body) header() {
	var lines []string
	for _, part := range strings.Split(nfc(l.org), "\n") {
		if part = strings.TrimSpace(part); part != "" {
			lines = append(lines, wrap(l.measure, bold, sizeHeading, strings.ToUpper(part), orgWidth)...)
		}
	}
	matrix := l.q.Shape == campaign.ShapeMatrix
	l.add(&block{h: stampH + 5, draw: func(s *surface, y float64) {
		s.setGray(0)
		s.setFont(bold, sizeHeading)
		base := y + 1 + capHeight(sizeHeading)
		for _, line := range lines {
			s.textCenter(orgCenter, base, line)
			base += lineHeight(sizeHeading)
		}
		if len(lines) > 0 {
			s.lineWidth(0.3)
			s.line(orgCenter-12, base-2, orgCenter+12, base-2)
			base += 3
		}
		s.setFont(regular, sizeBody)
		s.textCenter(orgCenter, base+1, fmt.Sprintf("%s: %s", labelForm, l.q.Code))

		s.lineWidth(0.35)
		s.box(stampX, stampY, stampW, stampH)
		s.setGray(90)
		s.setFont(bold, sizeSmall)
		s.text(stampX+stampPad, stampY+5.5, labelFormCode)
		s.setFont(regular, sizeSmall)
		if matrix {
			s.text(stampX+stampPad, stampY+21, labelMatrixUnits)
		} else {
			s.text(stampX+stampPad, stampY+21, labelUnit)
		}
		s.setGray(0)
	}})
}

func (l *body) title() {
	lines := wrap(l.measure, bold, sizeTitle, l.q.Title, contentW-10)
	lh := lineHeight(sizeTitle)
	l.add(&block{h: float64(len(lines))*lh + 3, draw: func(s *surface, y float64) {
		s.setFont(bold, sizeTitle)
		for i, line := range lines {
			s.textCenter(pageW/2, y+capHeight(sizeTitle)+float64(i)*lh, line)
		}
	}})
}

// paragraph adds wrapped text as one block per paragraph, so pages may break between them.
func (l *body) paragraph(text string, w weight, size, x, width, after float64) {
	for _, para := range strings.Split(strings.TrimSpace(text), "\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		lines := wrap(l.measure, w, size, para, width)
		lh := lineHeight(size)
		l.add(&block{h: float64(len(lines))*lh + after, draw: func(s *surface, y float64) {
			s.setFont(w, size)
			for i, line := range lines {
				s.text(x, y+capHeight(size)+float64(i)*lh, line)
			}
		}})
	}
}

func (l *body) intro() {
	l.paragraph(l.q.Intro, regular, sizeBody, marginX, contentW, 1.2)
	if n := len(l.blocks); n > 0 {
		l.blocks[n-1].h += 1.5
	}
}

func (l *body) heading(title string) {
	lines := wrap(l.measure, bold, sizeHeading, title, contentW)
	lh := lineHeight(sizeHeading)
	l.add(&block{h: 2 + float64(len(lines))*lh + 1.2, keep: true, draw: func(s *surface, y float64) {
		s.setFont(bold, sizeHeading)
		for i, line := range lines {
			s.text(marginX, y+2+capHeight(sizeHeading)+float64(i)*lh, line)
		}
	}})
}

// item is a tick box with its label, measured.
type item struct {
	number int // printed small before the box; 0 for none
	label  []string
	w      float64 // natural width on one line
}

// drawItem draws a box with its number and label, the box's top at y.
func drawItem(s *surface, it item, x, y float64) {
	if it.number > 0 {
		s.setGray(110)
		s.setFont(regular, sizeNumber)
		s.textRight(x+numberW-0.5, y+boxSide-0.4, fmt.Sprint(it.number))
	}
	s.setGray(0)
	s.lineWidth(0.25)
	s.box(x+numberW, y, boxSide, boxSide)
	s.setFont(regular, sizeOption)
	for i, line := range it.label {
		s.text(x+numberW+boxSide+boxGap, y+boxSide-0.3+float64(i)*lineHeight(sizeOption), line)
	}
}

func (l *body) newItem(number int, label string) item {
	label = nfc(strings.TrimSpace(label))
	return item{number: number, label: []string{label}, w: numberW + boxSide + boxGap + l.measure(regular, sizeOption, label)}
}

// flow places items left to right from x0, wrapping at width; it returns each item's offset
// from (x0, top) and the total height.
func flow(items []item, first, width float64) (pos [][2]float64, h float64) {
	x, y := first, 0.0
	rowH := math.Max(boxSide, lineHeight(sizeOption))
	for _, it := range items {
		if x > 0 && x+it.w > width {
			x, y = 0, y+rowH+1
		}
		pos = append(pos, [2]float64{x, y})
		x += it.w + optionGap + 1
	}
	return pos, y + rowH
}

func (l *body) fields() {
	if len(l.q.Fields) == 0 {
		return
	}
	l.heading(labelRespondent)
	for _, f := range l.q.Fields {
		label := nfc(strings.TrimSpace(f.Label))
		if !strings.HasSuffix(label, ":") {
			label += ":"
		}
		if f.Optional {
			label += " " + labelOptional
		}
		labelW := l.measure(regular, sizeBody, label) + 2.5
		var items []item
		for _, o := range f.Options {
			items = append(items, l.newItem(0, o))
		}
		first := labelW
		if first > contentW/2 {
			first = contentW // options start on the next line
		}
		pos, h := flow(items, first, contentW-6)
		l.add(&block{h: h + 1.6, draw: func(s *surface, y float64) {
			s.setFont(regular, sizeBody)
			s.text(marginX, y+boxSide-0.3, label)
			for i, it := range items {
				x := marginX + pos[i][0]
				if pos[i][1] > 0 || pos[i][0] >= contentW {
					x = marginX + 6 + pos[i][0]
				}
				drawItem(s, it, x-numberW, y+pos[i][1])
			}
		}})
	}
	l.blocks[len(l.blocks)-1].h += 1.5
}

// questionIndent is where question text and options start, right of "Câu 30."
func (l *body) questionIndent() float64 {
	return l.measure(bold, sizeBody, labelQuestion+" 00.") + 1.5
}

// questionText lays out the number and text of a question; it returns the draw function and
// the height of the text.
func (l *body) questionText(n int, q *campaign.Question, width float64) (func(s *surface, y float64), float64) {
	indent := l.questionIndent()
	lines := wrap(l.measure, regular, sizeBody, q.Text, width-indent)
	lh := lineHeight(sizeBody)
	number := fmt.Sprintf("%s %d.", labelQuestion, n)
	return func(s *surface, y float64) {
		s.setGray(0)
		s.setFont(bold, sizeBody)
		s.text(marginX, y+capHeight(sizeBody), number)
		s.setFont(regular, sizeBody)
		for i, line := range lines {
			s.text(marginX+indent, y+capHeight(sizeBody)+float64(i)*lh, line)
		}
	}, float64(len(lines)) * lh
}

// grid chooses how to lay options out: the fewest rows whose columns fit the width. Columns are
// equal when every option fits an equal share, which lines up the boxes of questions sharing a
// scale; otherwise each column is as wide as its widest option. A single option too wide for
// the line is wrapped.
func (l *body) grid(items []item, width float64) (xs []float64, rows int) {
	n := len(items)
	for rows = 1; rows <= n; rows++ {
		cols := (n + rows - 1) / rows
		widest := 0.0
		colW := make([]float64, cols)
		for i, it := range items {
			colW[i%cols] = math.Max(colW[i%cols], it.w)
			widest = math.Max(widest, it.w)
		}
		if widest+optionGap <= width/float64(cols) || (cols == 1 && widest <= width) {
			xs = make([]float64, cols)
			for c := range xs {
				xs[c] = float64(c) * width / float64(cols)
			}
			return xs, rows
		}
		total := 0.0
		for _, w := range colW {
			total += w
		}
		if total+optionGap*float64(cols-1) <= width {
			gap := (width - total) / float64(cols-1)
			xs = make([]float64, cols)
			for c := 1; c < cols; c++ {
				xs[c] = xs[c-1] + colW[c-1] + gap
			}
			return xs, rows
		}
	}
	// One per line, and some too wide: wrap their labels.
	for i := range items {
		if items[i].w > width {
			items[i].label = wrap(l.measure, regular, sizeOption, strings.Join(items[i].label, " "), width-numberW-boxSide-boxGap)
		}
	}
	return []float64{0}, n
}

func (l *body) question(n int, q *campaign.Question) {
	drawText, textH := l.questionText(n, q, contentW)
	indent := l.questionIndent()
	if len(q.Options) == 0 {
		// An open question: lines to write on.
		l.add(&block{h: textH + 3*6.5 + 2.5, draw: func(s *surface, y float64) {
			drawText(s, y)
			s.setGray(150)
			s.lineWidth(0.2)
			s.dashed(true)
			for i := 1; i <= 3; i++ {
				yy := y + textH + float64(i)*6.5
				s.line(marginX+indent, yy, right, yy)
			}
			s.dashed(false)
			s.setGray(0)
		}})
		return
	}
	items := make([]item, len(q.Options))
	for i, o := range q.Options {
		items[i] = l.newItem(i+1, o.Label)
	}
	width := contentW - indent + numberW
	xs, rows := l.grid(items, width)
	cols := len(xs)
	rowY := make([]float64, rows+1)
	for r := 0; r < rows; r++ {
		lines := 1
		for c := 0; c < cols; c++ {
			if i := r*cols + c; i < len(items) && len(items[i].label) > lines {
				lines = len(items[i].label)
			}
		}
		rowY[r+1] = rowY[r] + math.Max(boxSide, float64(lines)*lineHeight(sizeOption)) + 1.2
	}
	optTop := textH + 0.6
	l.add(&block{h: optTop + rowY[rows] + 1.8, draw: func(s *surface, y float64) {
		drawText(s, y)
		for i, it := range items {
			drawItem(s, it, marginX+indent-numberW+xs[i%cols], y+optTop+rowY[i/cols])
		}
	}})
}

// Matrix tables: one per question, a row per unit and a column per option.
const (
	rowMinH   = 6.0
	cellPad   = 1.5
	unitColLo = 45.0
	unitColHi = 72.0
)

func (l *body) matrixQuestion(n int, q *campaign.Question) {
	drawText, textH := l.questionText(n, q, contentW)
	opts := q.Options
	unitW := unitColLo
	for i, u := range l.units {
		unitW = math.Max(unitW, l.measure(regular, sizeOption, fmt.Sprintf("%d. %s", i+1, u.Name))+2*cellPad+0.5)
	}
	unitW = math.Min(unitW, unitColHi)
	optW := (contentW - unitW) / float64(max(len(opts), 1))

	// Header row: option numbers and labels, wrapped into their columns.
	heads := make([][]string, len(opts))
	headLines := 1
	for i, o := range opts {
		heads[i] = wrap(l.measure, regular, sizeTable, fmt.Sprintf("%d. %s", i+1, strings.TrimSpace(o.Label)), optW-2*cellPad)
		headLines = max(headLines, len(heads[i]))
	}
	headH := float64(headLines)*lineHeight(sizeTable) + 2*cellPad
	drawHead := func(s *surface, y float64) {
		s.setGray(232)
		s.fill(marginX, y, contentW, headH)
		s.setGray(0)
		s.setFont(bold, sizeTable)
		s.text(marginX+cellPad, y+cellPad+capHeight(sizeTable), labelUnitColumn)
		s.setFont(regular, sizeTable)
		for i, lines := range heads {
			cx := marginX + unitW + (float64(i)+0.5)*optW
			for j, line := range lines {
				s.textCenter(cx, y+cellPad+capHeight(sizeTable)+float64(j)*lineHeight(sizeTable), line)
			}
		}
		l.gridLines(s, y, headH, unitW, optW, len(opts))
	}
	header := &block{h: headH, draw: drawHead}

	rows := make([]*block, len(l.units))
	for i, u := range l.units {
		lines := wrap(l.measure, regular, sizeOption, fmt.Sprintf("%d. %s", i+1, u.Name), unitW-2*cellPad)
		h := math.Max(rowMinH, float64(len(lines))*lineHeight(sizeOption)+2*cellPad-0.6)
		shade := i%2 == 1
		rows[i] = &block{h: h, header: header, draw: func(s *surface, y float64) {
			if shade {
				s.setGray(246)
				s.fill(marginX, y, contentW, h)
				s.setGray(0)
			}
			s.setFont(regular, sizeOption)
			// Centre the name's lines on the row, as the boxes are.
			base := y + h/2 + capHeight(sizeOption)/2 - float64(len(lines)-1)*lineHeight(sizeOption)/2
			for j, line := range lines {
				s.text(marginX+cellPad, base+float64(j)*lineHeight(sizeOption), line)
			}
			s.lineWidth(0.25)
			for k := range opts {
				cx := marginX + unitW + (float64(k)+0.5)*optW
				s.box(cx-boxSide/2, y+(h-boxSide)/2, boxSide, boxSide)
			}
			l.gridLines(s, y, h, unitW, optW, len(opts))
		}}
	}
	if len(rows) > 0 {
		rows[len(rows)-1].h += 3
	}
	// The question, its header and its first row go together; the other rows may move to the next
	// page, which repeats the header.
	top := textH + 1.2
	first := &block{h: top + headH, draw: func(s *surface, y float64) {
		drawText(s, y)
		drawHead(s, y+top)
	}}
	if len(rows) > 0 {
		first.h += rows[0].h
		row := rows[0]
		first.draw = func(s *surface, y float64) {
			drawText(s, y)
			drawHead(s, y+top)
			row.draw(s, y+top+headH)
		}
		rows = rows[1:]
	}
	l.add(first)
	for _, r := range rows {
		l.add(r)
	}
}

// gridLines draws the borders of one table row.
func (l *body) gridLines(s *surface, y, h, unitW, optW float64, n int) {
	s.setGray(140)
	s.lineWidth(0.15)
	s.box(marginX, y, contentW, h)
	x := marginX + unitW
	for i := 0; i < n; i++ {
		s.line(x, y, x, y+h)
		x += optW
	}
	s.setGray(0)
}

func (l *body) thanks() {
	text := strings.TrimSpace(l.q.Thanks)
	if text == "" {
		text = labelThanks
	}
	lines := wrap(l.measure, bold, sizeHeading, text, contentW)
	lh := lineHeight(sizeHeading)
	l.add(&block{h: 4 + float64(len(lines))*lh, draw: func(s *surface, y float64) {
		s.setGray(0)
		s.setFont(bold, sizeHeading)
		for i, line := range lines {
			s.textCenter(pageW/2, y+4+capHeight(sizeHeading)+float64(i)*lh, line)
		}
	}})
}
