// Package pdf prints questionnaires and invitation slips. A print run lays the questionnaire's
// body out once, as one template per page, and stamps on each copy only what is its own: the
// form code, the QR code of its link and the unit it is about. All use of gofpdf is in fpdf.go.
package pdf

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/qr"
)

// Copy is one printed copy of a questionnaire: its form code and the link its QR code opens.
// A copy without a link gets no QR code.
type Copy struct {
	Code string
	Link string
}

// WriteQuestionnaires writes a PDF with every copy of questionnaire q, one after the other, each
// starting on a new page. units are the rows of a matrix form; for a single-unit form they name
// the unit each copy is about (found by the unit part of its code). org is the organisation
// printed at the top left, one line per line of text. Codes must be valid form codes, of matrix
// forms (unit MT) exactly when q is a matrix form.
//
// gofpdf keeps the whole document in memory until it is written: a copy of a 3-page form takes
// about 5 KB, and 1,000 copies about 60 MB of memory while they are made, so larger runs are
// printed as several documents (issuing's ZIP puts at most 500 copies in each).
func WriteQuestionnaires(w io.Writer, q *campaign.Questionnaire, units []campaign.Unit, org string, copies []Copy) error {
	if q == nil {
		return errors.New("pdf: no questionnaire")
	}
	if len(copies) == 0 {
		return errors.New("pdf: no copies to print")
	}
	if q.Shape == campaign.ShapeMatrix && len(units) == 0 {
		return fmt.Errorf("pdf: matrix form %s without units", q.Code)
	}
	d, err := newDocument(q.Title)
	if err != nil {
		return err
	}
	stamps, err := newStamps(d.width, q, units, copies)
	if err != nil {
		return err
	}
	pages := paginate((&body{measure: d.width, q: q, units: units, org: org}).layout())
	templates := make([]*template, len(pages))
	for i := range pages {
		templates[i] = d.template(func(s *surface) { drawBodyPage(s, q, pages[i], i+1, len(pages)) })
	}
	qrs := qrModules(copies)
	for i := range copies {
		if qrs[i].err != nil {
			return qrs[i].err
		}
		for p, t := range templates {
			s := d.addPage()
			s.use(t)
			stamps[i].draw(s, p+1, qrs[i].modules)
		}
		qrs[i].modules = nil // let the QR code go once its copy is drawn
	}
	return d.output(w)
}

// drawBodyPage draws everything on a page that is the same for every copy.
func drawBodyPage(s *surface, q *campaign.Questionnaire, blocks []placed, page, pages int) {
	for _, p := range blocks {
		p.b.draw(s, p.y)
	}
	s.setGray(120)
	s.lineWidth(0.2)
	s.line(marginX, footerRule, right, footerRule)
	s.setFont(regular, sizeSmall)
	s.text(marginX, footerBase, labelFormCode+":")
	s.textCenter(pageW/2, footerBase, fmt.Sprintf("%s %s", labelForm, q.Code))
	s.setGray(0)
	s.setFont(regular, sizeBody)
	s.textRight(right, footerBase, fmt.Sprintf("%s %d/%d", labelPage, page, pages))
	if page > 1 {
		s.setGray(120)
		s.setFont(regular, sizeSmall)
		s.text(marginX, nextTop-6, fmt.Sprintf("%s %s — %s", labelForm, q.Code, labelFormCode+":"))
		s.line(marginX, nextTop-4, right, nextTop-4)
		s.setGray(0)
	}
}

// stamp is what one copy prints over the body.
type stamp struct {
	code     string
	unit     []string // wrapped name of the unit, single-unit forms only
	codeSize float64  // size of the large code on page 1, fitted to the stamp box
	link     []string // the link as a person types it, in one or two lines; none without a QR code
	linkSize float64
	// footerX and topX are where the code goes after the "MÃ PHIẾU:" labels of the templates.
	footerX, topX float64
}

// newStamps checks every copy's code and measures what each copy prints.
func newStamps(measure measureFunc, q *campaign.Questionnaire, units []campaign.Unit, copies []Copy) ([]stamp, error) {
	names := make(map[string]string, len(units))
	for _, u := range units {
		names[formcode.Fold(u.Code)] = u.Name
	}
	footerX := marginX + measure(regular, sizeSmall, labelFormCode+":") + 1.2
	topX := marginX + measure(regular, sizeSmall, fmt.Sprintf("%s %s — %s", labelForm, q.Code, labelFormCode+":")) + 1.2
	out := make([]stamp, len(copies))
	for i, c := range copies {
		code, err := formcode.Parse(c.Code)
		if err != nil {
			return nil, fmt.Errorf("pdf: copy %d: code %q: %w", i+1, c.Code, err)
		}
		if code.IsMatrix() != (q.Shape == campaign.ShapeMatrix) {
			return nil, fmt.Errorf("pdf: copy %s does not fit form %s of shape %s", code, q.Code, q.Shape)
		}
		st := stamp{code: code.String(), footerX: footerX, topX: topX}
		st.codeSize = fitSize(measure, bold, st.code, stampText, 17, 9)
		unitLines := 3
		if link := strings.TrimSpace(c.Link); link != "" {
			st.link, st.linkSize = fitLink(measure, shortLink(link), stampText, 8, 6)
			unitLines = 3 - len(st.link)
		}
		if q.Shape != campaign.ShapeMatrix {
			name := names[code.Unit]
			if name == "" {
				name = code.Unit
			}
			st.unit = limit(wrap(measure, bold, sizeOption, name, stampText), unitLines)
		}
		out[i] = st
	}
	return out, nil
}

// fitLink sets a link in bold on one line, at the largest size from max down to min that fits
// width; a link too long for that is broken after its last slash (the host on the first line,
// the code on the second), or wherever wrap breaks it.
func fitLink(measure measureFunc, link string, width, max, min float64) ([]string, float64) {
	size := fitSize(measure, bold, link, width, max, min)
	if measure(bold, size, link) <= width {
		return []string{link}, size
	}
	if i := strings.LastIndexByte(link, '/'); i > 0 {
		head, tail := link[:i+1], link[i+1:]
		if measure(bold, min, head) <= width && measure(bold, min, tail) <= width {
			return []string{head, tail}, min
		}
	}
	return limit(wrap(measure, bold, min, link, width), 2), min
}

// draw stamps the copy on page p of its questionnaire.
func (st *stamp) draw(s *surface, p int, modules [][]bool) {
	s.setGray(0)
	s.setFont(bold, sizeBody)
	s.text(st.footerX, footerBase, st.code)
	if p > 1 {
		s.setFont(bold, sizeBody)
		s.text(st.topX, nextTop-6, st.code)
		return
	}
	s.setFont(bold, st.codeSize)
	s.text(stampX+stampPad, stampY+7.5+capHeight(st.codeSize), st.code)
	s.setFont(bold, sizeOption)
	for i, line := range st.unit {
		s.text(stampX+stampPad, stampUnitTop+float64(i)*lineHeight(sizeOption), line)
	}
	if len(st.link) == 0 {
		return
	}
	s.qr(qrX, qrY, qrSide, modules)
	lh := lineHeight(st.linkSize)
	top := stampLinkBase - float64(len(st.link)-1)*lh
	s.setGray(90)
	s.setFont(regular, sizeNumber)
	s.text(stampX+stampPad, top-lh-0.6, labelScanToAnswer)
	s.setGray(0)
	s.setFont(bold, st.linkSize)
	for i, line := range st.link {
		s.text(stampX+stampPad, top+float64(i)*lh, line)
	}
}

type qrResult struct {
	modules [][]bool
	err     error
}

// qrModules encodes the links of all copies, on all processors: encoding is the costliest part
// of a copy.
func qrModules(copies []Copy) []qrResult {
	out := make([]qrResult, len(copies))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if link := strings.TrimSpace(copies[i].Link); link != "" {
					m, err := qr.Modules(link)
					if err != nil {
						err = fmt.Errorf("pdf: copy %s: %w", copies[i].Code, err)
					}
					out[i] = qrResult{m, err}
				}
			}
		}()
	}
	for i := range copies {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
