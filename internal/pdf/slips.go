package pdf

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/parsurvey/parsurvey/internal/formcode"
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

// Slip sheet geometry: 2 columns by 4 rows on A4, in millimetres.
const (
	slipCols  = 2
	slipRows  = 4
	slipW     = pageW / slipCols
	slipH     = pageH / slipRows
	slipPad   = 6.0
	slipQR    = 34.0 // quiet zone included
	slipTextX = slipPad - 1 + slipQR + 1.5
	slipTextW = slipW - slipTextX - slipPad
	slipFullW = slipW - 2*slipPad
)

// WriteSlips writes invitation slips, eight to an A4 page with dashed lines to cut along. Each
// carries the title, the QR code of its link, its form code, group and unit, a short instruction
// and the link written out for those who type it.
func WriteSlips(w io.Writer, title string, slips []Slip) error {
	if len(slips) == 0 {
		return errors.New("pdf: no slips to print")
	}
	d, err := newDocument(title)
	if err != nil {
		return err
	}
	m := d.width
	titleLines := limit(wrap(m, bold, 8.5, title, slipFullW), 2)
	instruction := wrap(m, regular, 7, slipInstruction, slipFullW)

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
		drawSlip(s, x, y, titleLines, instruction, &laid[i], qrs[i].modules)
		qrs[i].modules = nil
	}
	return d.output(w)
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
		group:    limit(wrap(m, regular, 7.5, sl.Group, slipTextW), 2),
		unit:     limit(wrap(m, bold, 8.5, sl.Unit, slipTextW), 3),
		linkSize: fitSize(m, bold, link, slipFullW, 9, 6),
	}
	t.link = limit(wrap(m, bold, t.linkSize, link, slipFullW), 2)
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

// drawSlip draws one slip in the cell whose top left corner is (x, y).
func drawSlip(s *surface, x, y float64, title, instruction []string, t *slipText, modules [][]bool) {
	s.setGray(0)
	s.setFont(bold, 8.5)
	base := y + slipPad + capHeight(8.5)
	for _, line := range title {
		s.textCenter(x+slipW/2, base, line)
		base += lineHeight(8.5)
	}
	top := y + slipPad + 2*lineHeight(8.5) + 0.5
	s.qr(x+slipPad-1, top, slipQR, modules)

	tx := x + slipTextX
	s.setGray(90)
	s.setFont(bold, 6.5)
	s.text(tx, top+4.5, labelFormCode)
	s.setGray(0)
	s.setFont(bold, t.codeSize)
	base = top + 6 + capHeight(t.codeSize)
	s.text(tx, base, t.code)
	base += 5.5
	s.setFont(regular, 7.5)
	for _, line := range t.group {
		s.text(tx, base, line)
		base += lineHeight(7.5)
	}
	base += 0.8
	s.setFont(bold, 8.5)
	for _, line := range t.unit {
		s.text(tx, base, line)
		base += lineHeight(8.5)
	}

	base = top + slipQR + 1 + capHeight(7)
	s.setFont(regular, 7)
	for _, line := range instruction {
		s.text(x+slipPad, base, line)
		base += lineHeight(7)
	}
	s.setFont(bold, t.linkSize)
	for _, line := range t.link {
		base += 0.6
		s.text(x+slipPad, base+capHeight(t.linkSize)-capHeight(7), line)
		base += lineHeight(t.linkSize)
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
