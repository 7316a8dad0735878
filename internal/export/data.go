package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/parsurvey/parsurvey/internal/analysis"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/csvcell"
	"github.com/parsurvey/parsurvey/internal/store"
)

// DataRows streams the stored rows of some respondent groups, one per form and unit, the rows
// of one form together (store.DB.DataRows bound to a campaign).
type DataRows func(groups []string, fn func(*store.ResponseRow) error) error

// DataTexts returns the open-ended answers of one questionnaire's forms (store.DB.TextAnswers
// bound to a campaign); nil when there are none to add.
type DataTexts func(form string) (map[analysis.TextKey]string, error)

// textsOf reads a questionnaire's open-ended answers when it has open-ended questions.
func textsOf(l *analysis.Layout, texts DataTexts) (map[analysis.TextKey]string, error) {
	if texts == nil {
		return nil, nil
	}
	for _, q := range l.Form.Questions() {
		if q.IsText() {
			return texts(l.Form.Code)
		}
	}
	return nil, nil
}

// Dialect is a CSV flavour: the default is comma-separated with a decimal point and ISO dates;
// the Vietnamese one is semicolon-separated with a decimal comma and dd/mm/yyyy dates, as
// Excel set to the Vietnamese locale reads it on a double click.
type Dialect struct {
	Comma      rune
	Vietnamese bool
}

// The two CSV dialects.
var (
	DialectDefault    = Dialect{Comma: ','}
	DialectVietnamese = Dialect{Comma: ';', Vietnamese: true}
)

// csvWriter writes neutralised cells (csvcell.Neutralise) in a dialect, after a BOM.
type csvWriter struct {
	bw  *bufio.Writer
	cw  *csv.Writer
	d   Dialect
	rec []string
}

func newCSVWriter(w io.Writer, d Dialect) (*csvWriter, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(bom); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(bw)
	cw.Comma = d.Comma
	return &csvWriter{bw: bw, cw: cw, d: d}, nil
}

// write writes one row of cells as analysis.Layout gives them: nil, string, int or time.Time.
func (w *csvWriter) write(cells []any) error {
	w.rec = w.rec[:0]
	for _, c := range cells {
		switch v := c.(type) {
		case nil:
			w.rec = append(w.rec, "")
		case string:
			w.rec = append(w.rec, csvcell.Neutralise(v))
		case int:
			w.rec = append(w.rec, strconv.Itoa(v))
		case time.Time:
			w.rec = append(w.rec, analysis.ReceivedAt(v, w.d.Vietnamese))
		default:
			w.rec = append(w.rec, csvcell.Neutralise(fmt.Sprint(v)))
		}
	}
	return w.cw.Write(w.rec)
}

func (w *csvWriter) strings(cells []string) error {
	w.rec = w.rec[:0]
	for _, c := range cells {
		w.rec = append(w.rec, csvcell.Neutralise(c))
	}
	return w.cw.Write(w.rec)
}

func (w *csvWriter) flush() error {
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return err
	}
	return w.bw.Flush()
}

// groupCodes are the codes of the groups answering a layout's questionnaire.
func groupCodes(l *analysis.Layout) []string {
	var out []string
	for _, g := range l.Groups {
		out = append(out, g.Code)
	}
	return out
}

// eachForm calls fn with the stored rows of each form of the layout's questionnaire: one row for
// a single-unit form, one per unit covered for a matrix form.
func eachForm(l *analysis.Layout, rows DataRows, fn func([]*store.ResponseRow) error) error {
	var cur []*store.ResponseRow
	var spare []store.ResponseRow
	flush := func() error {
		if len(cur) == 0 {
			return nil
		}
		err := fn(cur)
		cur = cur[:0]
		spare = spare[:0]
		return err
	}
	return errorsJoin(rows(groupCodes(l), func(r *store.ResponseRow) error {
		if len(cur) > 0 && (cur[0].ResponseID != r.ResponseID || !l.Matrix) {
			if err := flush(); err != nil {
				return err
			}
		}
		// The store reuses r: keep a copy while the form's rows are gathered.
		if len(spare) == cap(spare) {
			spare = make([]store.ResponseRow, 0, max(8, 2*cap(spare)))
		}
		spare = append(spare, *r)
		cur = append(cur, &spare[len(spare)-1])
		return nil
	}), flush)
}

// errorsJoin runs last after a stream that ended well.
func errorsJoin(err error, last func() error) error {
	if err != nil {
		return err
	}
	return last()
}

// WriteDataCSV writes one questionnaire's answers as CSV in a dialect, UTF-8 with a BOM: row 1
// the variable codes, row 2 their Vietnamese labels, then one row per form (wide, a matrix
// form's answers in a column per question × unit) or, with long, one row per answer. Open-ended
// questions carry their text, from texts (nil: none).
func WriteDataCSV(w io.Writer, def *campaign.Definition, form string, long bool, d Dialect, rows DataRows, texts DataTexts) error {
	q := def.Questionnaire(form)
	if q == nil {
		return fmt.Errorf("export: data CSV: no questionnaire %s", form)
	}
	l := analysis.NewLayout(def, q)
	open, err := textsOf(l, texts)
	if err != nil {
		return fmt.Errorf("export: data CSV %s: %w", form, err)
	}
	cw, err := newCSVWriter(w, d)
	if err != nil {
		return fmt.Errorf("export: data CSV %s: %w", form, err)
	}
	var codes, labels []string
	if long {
		codes, labels = analysis.LongHeaders()
	} else {
		codes, labels = l.Headers()
	}
	if err := cw.strings(codes); err != nil {
		return fmt.Errorf("export: data CSV %s: %w", form, err)
	}
	if err := cw.strings(labels); err != nil {
		return fmt.Errorf("export: data CSV %s: %w", form, err)
	}
	people := map[string]map[string]string{}
	err = eachForm(l, rows, func(rs []*store.ResponseRow) error {
		if !long {
			return cw.write(l.Row(rs, people, open))
		}
		for _, r := range rs {
			if err := l.LongRows(r, open, cw.write); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = cw.flush()
	}
	if err != nil {
		return fmt.Errorf("export: data CSV %s: %w", form, err)
	}
	return nil
}
