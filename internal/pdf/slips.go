package pdf

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// Slip is an invitation to answer online, handed to one respondent of an online group: the form
// code and link of the copy, and whom and what it is for.
type Slip struct {
	Code string
	Link string
	// Group is the respondent group's name; Unit the name of the unit evaluated (or a word for
	// the units of a matrix form).
	Group string
	Unit  string
}

// SlipSheet is what every slip of a print run says alike: the campaign's name, the last day
// answers are taken and whom to ask.
type SlipSheet struct {
	Title string
	// Closes is the campaign's last day; the zero time prints no deadline.
	Closes  time.Time
	Contact campaign.Contact
}

// Slip sheet geometry: 2 columns by 4 rows on A4, in millimetres.
const (
	slipCols = 2
	slipRows = 4
	slipW    = pageW / slipCols
	slipH    = pageH / slipRows
	slipPad  = 5.0
	// slipQR is the QR code's square, quiet zone included: the size of the questionnaire's.
	slipQR    = qrSide
	slipTextX = slipPad - 1 + slipQR + 1.5
	slipTextW = slipW - slipTextX - slipPad
	slipFullW = slipW - 2*slipPad
)

// Type sizes on a slip, in points: the largest and smallest a title may take, and the text.
const (
	slipTitleMax   = 8.5
	slipTitleMin   = 6.5
	slipLabel      = 6.5
	slipGroup      = 7.5
	slipUnit       = 8.5
	slipSize       = 7.0
	slipContactMax = 6.5
	slipContactMin = 6.0
)

// WriteSlips writes invitation slips, eight to an A4 page with dashed lines to cut along. Each
// carries the campaign's name in full, the QR code of its link, its form code, group and unit,
// the deadline, a short instruction, the link written out for those who type it, and whom to
// ask.
func WriteSlips(w io.Writer, sheet SlipSheet, slips []Slip) error {
	if len(slips) == 0 {
		return errors.New("pdf: no slips to print")
	}
	d, err := newDocument(sheet.Title)
	if err != nil {
		return err
	}
	m := d.width
	common := layoutSheet(m, sheet)

	copies := make([]Copy, len(slips))
	laid := make([]slipText, len(slips))
	for i, sl := range slips {
		code, err := formcode.Parse(sl.Code)
		if err != nil {
			return fmt.Errorf("pdf: slip %d: code %q: %w", i+1, sl.Code, err)
		}
		if strings.TrimSpace(sl.Link) == "" {
			return fmt.Errorf("pdf: slip %s has no link", code)
		}
		copies[i] = Copy{Code: code.String(), Link: sl.Link}
		laid[i] = layoutSlip(m, code.String(), sl)
	}
	qrs := qrModules(copies)

	var s *surface
	for i := range slips {
		if qrs[i].err != nil {
			return qrs[i].err
		}
		cell := i % (slipCols * slipRows)
		if cell == 0 {
			s = d.addPage()
			drawCutLines(s)
		}
		x := float64(cell%slipCols) * slipW
		y := float64(cell/slipCols) * slipH
		drawSlip(s, x, y, &common, &laid[i], qrs[i].modules)
		qrs[i].modules = nil
	}
	return d.output(w)
}

// sheetText is the text every slip of a run shares, measured and wrapped once.
type sheetText struct {
	title       []string
	titleSize   float64
	deadline    string
	instruction []string
	contact     []string
	contactSize float64
}

func layoutSheet(m measureFunc, sheet SlipSheet) sheetText {
	t := sheetText{instruction: wrap(m, regular, slipSize, slipInstruction, slipFullW)}
	t.title, t.titleSize = fitLines(m, bold, sheet.Title, slipFullW, slipTitleMax, slipTitleMin, 2, 3)
	if !sheet.Closes.IsZero() {
		t.deadline = fmt.Sprintf(slipDeadline, vn.Date(sheet.Closes))
	}
	if line := contactLine(sheet.Contact); line != "" {
		t.contact, t.contactSize = fitLines(m, regular, line, slipFullW, slipContactMax, slipContactMin, 2, 3)
	}
	return t
}

// contactLine writes the campaign's contact as one sentence: "Liên hệ: office, person; ĐT …;
// e-mail".
func contactLine(c campaign.Contact) string {
	if c.IsZero() {
		return ""
	}
	var who, reach []string
	for _, s := range []string{c.Office, c.Person} {
		if s = strings.TrimSpace(s); s != "" {
			who = append(who, s)
		}
	}
	if p := strings.TrimSpace(c.Phone); p != "" {
		reach = append(reach, labelPhone+" "+p)
	}
	if e := strings.TrimSpace(c.Email); e != "" {
		reach = append(reach, labelEmail+" "+e)
	}
	parts := []string{}
	if len(who) > 0 {
		parts = append(parts, strings.Join(who, " – "))
	}
	parts = append(parts, reach...)
	return labelContact + " " + strings.Join(parts, "; ")
}

// fitLines sets text at the largest size from max down to min, in half points, at which it
// takes at most want lines; failing that, at the largest at which it takes at most most lines;
// failing that, at min in most lines with the cut marked. Text is only cut when it is far
// longer than anything a campaign writes.
func fitLines(m measureFunc, w weight, text string, width, max, min float64, want, most int) ([]string, float64) {
	for _, n := range []int{want, most} {
		for size := max; size >= min; size -= 0.5 {
			if lines := wrap(m, w, size, text, width); len(lines) <= n {
				return lines, size
			}
		}
	}
	return limit(wrap(m, w, min, text, width), most), min
}

// slipText is the text of one slip, measured and wrapped.
type slipText struct {
	code        string
	codeSize    float64
	group, unit []string
	link        []string
	linkSize    float64
}

func layoutSlip(m measureFunc, code string, sl Slip) slipText {
	link := shortLink(sl.Link)
	t := slipText{
		code:     code,
		codeSize: fitSize(m, bold, code, slipTextW, 15, 8),
		group:    limit(wrap(m, regular, slipGroup, sl.Group, slipTextW), 2),
		unit:     limit(wrap(m, bold, slipUnit, sl.Unit, slipTextW), 2),
	}
	t.link, t.linkSize = fitLink(m, link, slipFullW, 10, 7)
	return t
}

func drawCutLines(s *surface) {
	s.setGray(150)
	s.lineWidth(0.2)
	s.dashed(true)
	for c := 1; c < slipCols; c++ {
		s.line(float64(c)*slipW, 0, float64(c)*slipW, pageH)
	}
	for r := 1; r < slipRows; r++ {
		s.line(0, float64(r)*slipH, pageW, float64(r)*slipH)
	}
	s.dashed(false)
	s.setGray(0)
}

// drawSlip draws one slip in the cell whose top left corner is (x, y): the title across the
// top, the QR code with the code, group, unit and deadline beside it, then the instruction, the
// link and the contact across the foot.
func drawSlip(s *surface, x, y float64, sh *sheetText, t *slipText, modules [][]bool) {
	s.setGray(0)
	s.setFont(bold, sh.titleSize)
	tl := lineHeight(sh.titleSize)
	base := y + slipPad + capHeight(sh.titleSize)
	for _, line := range sh.title {
		s.textCenter(x+slipW/2, base, line)
		base += tl
	}
	top := y + slipPad + float64(len(sh.title))*tl
	s.qr(x+slipPad-1, top, slipQR, modules)

	// Beside the QR code, from its top: the code, whom it is for, the deadline.
	tx := x + slipTextX
	s.setGray(90)
	s.setFont(bold, slipLabel)
	s.text(tx, top+4.5, labelFormCode)
	s.setGray(0)
	s.setFont(bold, t.codeSize)
	base = top + 6 + capHeight(t.codeSize)
	s.text(tx, base, t.code)
	base += 5.5
	s.setFont(regular, slipGroup)
	for _, line := range t.group {
		s.text(tx, base, line)
		base += lineHeight(slipGroup)
	}
	base += 0.8
	s.setFont(bold, slipUnit)
	for _, line := range t.unit {
		s.text(tx, base, line)
		base += lineHeight(slipUnit)
	}
	if sh.deadline != "" {
		s.setFont(bold, slipGroup)
		s.text(tx, math.Max(base+1.5, top+slipQR-4.5), sh.deadline)
	}

	// Across the foot: how to answer, the link, whom to ask.
	base = top + slipQR + 0.6 + capHeight(slipSize)
	s.setFont(regular, slipSize)
	for _, line := range sh.instruction {
		s.text(x+slipPad, base, line)
		base += lineHeight(slipSize)
	}
	s.setFont(bold, t.linkSize)
	base += capHeight(t.linkSize) - capHeight(slipSize) + 0.3
	for _, line := range t.link {
		s.text(x+slipPad, base, line)
		base += lineHeight(t.linkSize)
	}
	if len(sh.contact) > 0 {
		s.setGray(60)
		s.setFont(regular, sh.contactSize)
		base += 0.4 + capHeight(sh.contactSize) - capHeight(t.linkSize)
		for _, line := range sh.contact {
			s.text(x+slipPad, base, line)
			base += lineHeight(sh.contactSize)
		}
		s.setGray(0)
	}
}

// limit keeps at most n lines, marking a cut with an ellipsis.
func limit(lines []string, n int) []string {
	if len(lines) > n {
		lines = lines[:n]
		lines[n-1] += "…"
	}
	return lines
}
