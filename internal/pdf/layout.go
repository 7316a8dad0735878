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
	// skips are the skip-logic lines of the questions (skipLines), by question index.
	skips map[int]skipLine
}

func (l *body) add(b *block) { l.blocks = append(l.blocks, b) }

// layout builds the blocks of the whole body in reading order.
func (l *body) layout() []*block {
	l.header()
	l.title()
	l.intro()
	l.fields()
	l.skips = skipLines(l.q)
	n := 0
	for _, sec := range l.q.Sections {
		if strings.TrimSpace(sec.Title) != "" {
			l.heading(sec.Title)
		}
		tracks := l.optionTracks(sec)
		for i := range sec.Questions {
			n++
			if l.q.Shape == campaign.ShapeMatrix {
				l.matrixQuestion(n, &sec.Questions[i])
			} else {
				l.question(n, &sec.Questions[i], tracks)
			}
		}
	}
	l.thanks()
	return l.blocks
}

// Page 1 header: the organisation on the left, the copy's stamp box on the right: its code,
// its unit, its QR code and the short link written out.
const (
	stampX = 95.0
	stampY = firstTop
	stampW = right - stampX
	// qrSide is the QR code's square, quiet zone included: at least 35 mm, so that a phone reads
	// it off a skewed, blurred photo of the page (the e2e tests distort pages that way).
	qrSide    = 38.0
	stampH    = qrSide + 2
	qrX       = right - qrSide - 1
	qrY       = stampY + 1
	stampPad  = 3.0
	stampText = qrX - stampX - stampPad // width of the text beside the QR code
	// Baselines inside the stamp: the unit's label and first line, the (last) line of the link.
	stampUnitLabel = stampY + 19
	stampUnitTop   = stampY + 23.5
	stampLinkBase  = stampY + stampH - 3
	orgCenter      = (marginX + stampX - 3) / 2
	orgWidth       = stampX - 3 - marginX
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
			s.text(stampX+stampPad, stampUnitLabel, labelMatrixUnits)
		} else {
			s.text(stampX+stampPad, stampUnitLabel, labelUnit)
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

// Respondent fields: the labels in a column of their own, the options in equal columns to its
// right, the same columns for every field.
const (
	fieldGap      = 2.5  // between the label column and the options
	fieldLabelMax = 0.34 // of the content width; a longer label wraps inside its column
)

func (l *body) fields() {
	if len(l.q.Fields) == 0 {
		return
	}
	l.heading(labelRespondent)
	labels := make([]string, len(l.q.Fields))
	labelW := 0.0
	for i, f := range l.q.Fields {
		label := nfc(strings.TrimSpace(f.Label))
		if !strings.HasSuffix(label, ":") {
			label += ":"
		}
		labelW = math.Max(labelW, l.measure(regular, sizeBody, label))
		if f.Optional {
			label += " " + labelOptional
		}
		labels[i] = label
	}
	labelW = math.Min(labelW, contentW*fieldLabelMax)
	width := contentW - labelW - fieldGap + numberW
	all := make([][]item, len(l.q.Fields))
	for i, f := range l.q.Fields {
		for _, o := range f.Options {
			all[i] = append(all[i], l.newItem(0, o))
		}
	}
	tracks := commonTracks(all, width)
	lh := lineHeight(sizeBody)
	for i := range l.q.Fields {
		lines := wrap(l.measure, regular, sizeBody, labels[i], labelW)
		items := all[i]
		xs, rows := l.grid(items, width, tracks)
		cols := len(xs)
		rowY := l.rowOffsets(items, cols, rows)
		h := math.Max(rowY[rows], float64(len(lines)-1)*lh+boxSide)
		l.add(&block{h: h + 1.6, draw: func(s *surface, y float64) {
			s.setGray(0)
			s.setFont(regular, sizeBody)
			for j, line := range lines {
				s.text(marginX, y+boxSide-0.3+float64(j)*lh, line)
			}
			for j, it := range items {
				drawItem(s, it, marginX+labelW+fieldGap-numberW+xs[j%cols], y+rowY[j/cols])
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

// maxTracks is the most option columns a question gets.
const maxTracks = 6

// fits reports whether items go into cols equal columns across width, filled row by row: each
// item inside its column with room before the next, except the last item of a row, which may
// run on to the right edge (the long "Không biết / không có ý kiến" closing a scale).
func fits(items []item, cols int, width float64) bool {
	share := width / float64(cols)
	for i, it := range items {
		col := i % cols
		room := share - optionGap
		if col == cols-1 || i == len(items)-1 {
			room = float64(cols-col) * share
		}
		if it.w > room {
			return false
		}
	}
	return true
}

// commonTracks chooses the number of equal columns for a list of option lists: the one that
// lays them out in the fewest rows in all, then the one that the most lists fit, then the
// larger. The lists that fit it have their boxes on the same vertical lines; the others take
// columns of their own (see grid).
func commonTracks(lists [][]item, width float64) int {
	best, fewest, most := 0, math.MaxInt, -1
	for c := maxTracks; c >= 2; c-- {
		rows, fit := 0, 0
		for _, items := range lists {
			rows += layoutRows(items, c, width)
			if len(items) > 0 && fits(items, c, width) {
				fit++
			}
		}
		if rows < fewest || (rows == fewest && fit > most) {
			best, fewest, most = c, rows, fit
		}
	}
	return best
}

// layoutRows is how many rows grid gives items with tracks columns shared.
func layoutRows(items []item, tracks int, width float64) int {
	if cols := gridCols(items, tracks, width); cols > 0 {
		return (len(items) + cols - 1) / cols
	}
	return len(items)
}

// gridCols is the number of columns grid lays items out in: tracks when they fit; else the
// most of its divisors that fit, whose columns start on every second or third track; else the
// most that fit; else 0, one per line.
func gridCols(items []item, tracks int, width float64) int {
	if tracks >= 2 && fits(items, tracks, width) {
		return tracks
	}
	for d := tracks - 1; d >= 2; d-- {
		if tracks%d == 0 && fits(items, d, width) {
			return d
		}
	}
	for c := min(len(items), maxTracks); c >= 2; c-- {
		if fits(items, c, width) {
			return c
		}
	}
	return 0
}

// optionTracks is commonTracks over the questions of a section: the boxes of the questions
// of one section, which mostly share a scale, line up down the page.
func (l *body) optionTracks(sec campaign.Section) int {
	lists := make([][]item, len(sec.Questions))
	for i := range sec.Questions {
		lists[i] = l.optionItems(&sec.Questions[i])
	}
	return commonTracks(lists, l.optionWidth())
}

// optionWidth is the width the options of a question are laid out in.
func (l *body) optionWidth() float64 { return contentW - l.questionIndent() + numberW }

// optionItems measures the numbered options of a question.
func (l *body) optionItems(q *campaign.Question) []item {
	items := make([]item, len(q.Options))
	for i, o := range q.Options {
		items[i] = l.newItem(i+1, o.Label)
	}
	return items
}

// grid chooses how to lay options out: in tracks equal columns when they fit, which lines the
// boxes up with those of the other questions; else in the most equal columns that fit; else one
// per line, a label too wide for the line wrapped. It returns the columns' offsets and the
// number of rows.
func (l *body) grid(items []item, width float64, tracks int) (xs []float64, rows int) {
	n := len(items)
	cols := gridCols(items, tracks, width)
	if cols == 0 {
		for i := range items {
			if items[i].w > width {
				items[i].label = wrap(l.measure, regular, sizeOption, strings.Join(items[i].label, " "), width-numberW-boxSide-boxGap)
			}
		}
		return []float64{0}, n
	}
	xs = make([]float64, cols)
	for c := range xs {
		xs[c] = float64(c) * width / float64(cols)
	}
	return xs, (n + cols - 1) / cols
}

// rowOffsets returns the top of each row of options laid out in cols columns, and their end.
func (l *body) rowOffsets(items []item, cols, rows int) []float64 {
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
	return rowY
}

func (l *body) question(n int, q *campaign.Question, tracks int) {
	drawText, textH := l.questionText(n, q, contentW)
	indent := l.questionIndent()
	sk := l.skips[n-1]
	// A question asked only after some answers says so under its text.
	width := contentW - indent
	var only, jump []string
	if sk.only != "" {
		only = wrap(l.measure, regular, sizeOption, sk.only, width)
	}
	if sk.jump != "" {
		jump = wrap(l.measure, bold, sizeOption, sk.jump, width)
	}
	lh := lineHeight(sizeOption)
	onlyH := float64(len(only)) * lh
	drawOnly := func(s *surface, y float64) {
		s.setGray(70)
		s.setFont(regular, sizeOption)
		for i, line := range only {
			s.text(marginX+indent, y+capHeight(sizeOption)+0.4+float64(i)*lh, line)
		}
		s.setGray(0)
	}
	if q.IsText() || len(q.Options) == 0 {
		// An open question: lines to write on, as many as its length allows for.
		lines := writingLines(q)
		l.add(&block{h: textH + onlyH + float64(lines)*writingLineGap + 2.5, draw: func(s *surface, y float64) {
			drawText(s, y)
			drawOnly(s, y+textH)
			s.setGray(150)
			s.lineWidth(0.2)
			s.dashed(true)
			for i := 1; i <= lines; i++ {
				yy := y + textH + onlyH + float64(i)*writingLineGap
				s.line(marginX+indent, yy, right, yy)
			}
			s.dashed(false)
			s.setGray(0)
		}})
		return
	}
	items := l.optionItems(q)
	xs, rows := l.grid(items, l.optionWidth(), tracks)
	cols := len(xs)
	rowY := l.rowOffsets(items, cols, rows)
	optTop := textH + onlyH + 0.6
	// A question that others depend on says where to go after the answers that skip them.
	jumpTop := optTop + rowY[rows]
	if len(jump) > 0 {
		jumpTop += 0.4
	}
	l.add(&block{h: jumpTop + float64(len(jump))*lh + 1.8, draw: func(s *surface, y float64) {
		drawText(s, y)
		drawOnly(s, y+textH)
		for i, it := range items {
			drawItem(s, it, marginX+indent-numberW+xs[i%cols], y+optTop+rowY[i/cols])
		}
		s.setFont(bold, sizeOption)
		for i, line := range jump {
			s.text(marginX+indent, y+jumpTop+capHeight(sizeOption)+float64(i)*lh, line)
		}
	}})
}

// writingLineGap is the space between the lines an open answer is written on, in millimetres.
const writingLineGap = 7.0

// writingLines is how many lines an open question gets: about 90 characters of handwriting a
// line, from 3 to 10 lines.
func writingLines(q *campaign.Question) int {
	return min(10, max(3, (q.TextLimit()+89)/90))
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
