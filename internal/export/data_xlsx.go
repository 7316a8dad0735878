package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/parsurvey/parsurvey/internal/analysis"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
)

// SheetCodebook is the data workbook's sheet of variables and value labels.
const SheetCodebook = "Từ điển biến"

// maxSheetRows is the most rows an Excel sheet holds.
const maxSheetRows = 1 << 20

// DataSheetName is the sheet of a questionnaire in the data workbook: its code, cut to what
// Excel allows in a sheet name.
func DataSheetName(form string) string {
	s := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, form)
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	return s
}

// WriteDataXLSX writes the analysis-ready workbook: one sheet per questionnaire, one row per form
// and one column per variable (each respondent field, each question; a matrix form a column per
// question × unit), row 1 the codes and row 2 the Vietnamese labels, frozen; answers as option
// numbers, open-ended answers as their text (from texts, nil: none), the arrival as a real date;
// then the codebook sheet with every value's label. Every sheet is streamed and the archive
// goes straight to w, so memory stays bounded.
func WriteDataXLSX(w io.Writer, def *campaign.Definition, rows DataRows, texts DataTexts) error {
	f := excelize.NewFile()
	defer f.Close()
	var layouts []*analysis.Layout
	for i := range def.Questionnaires {
		q := &def.Questionnaires[i]
		if l := analysis.NewLayout(def, q); len(l.Groups) > 0 {
			layouts = append(layouts, l)
		}
	}
	st, err := newDataStyles(f)
	if err != nil {
		return err
	}
	var sheets []streamedSheet
	for _, l := range layouts {
		sheets = append(sheets, streamedSheet{DataSheetName(l.Form.Code), func(sw *excelize.StreamWriter) error {
			open, err := textsOf(l, texts)
			if err != nil {
				return err
			}
			return writeDataSheet(sw, l, st, rows, open)
		}})
	}
	sheets = append(sheets, streamedSheet{SheetCodebook, func(sw *excelize.StreamWriter) error { return writeCodebook(sw, layouts, st) }})
	return writeStreamed(w, f, sheets)
}

// dataStyles are the data workbook's cell styles.
type dataStyles struct{ code, label, date int }

func newDataStyles(f *excelize.File) (*dataStyles, error) {
	st := &dataStyles{}
	dateFmt := "dd/mm/yyyy hh:mm"
	for _, s := range []struct {
		dst   *int
		style *excelize.Style
	}{
		{&st.code, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6EE"}}}},
		{&st.label, &excelize.Style{Font: &excelize.Font{Italic: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
			Border: []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}}},
		{&st.date, &excelize.Style{CustomNumFmt: &dateFmt}},
	} {
		id, err := f.NewStyle(s.style)
		if err != nil {
			return nil, fmt.Errorf("export: style: %w", err)
		}
		*s.dst = id
	}
	return st, nil
}

// headerRows writes the codes and labels as rows 1 and 2 and freezes them with the first column.
func headerRows(sw *excelize.StreamWriter, st *dataStyles, codes, labels []string, freezeCol bool) error {
	panes := &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}
	if freezeCol {
		panes = &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 2, TopLeftCell: "B3", ActivePane: "bottomRight"}
	}
	if err := sw.SetPanes(panes); err != nil {
		return err
	}
	for _, h := range []struct {
		cells []string
		style int
	}{{codes, st.code}, {labels, st.label}} {
		row := make([]any, len(h.cells))
		for i, c := range h.cells {
			row[i] = excelize.Cell{StyleID: h.style, Value: c}
		}
		axis := "A1"
		if h.style == st.label {
			axis = "A2"
		}
		if err := sw.SetRow(axis, row); err != nil {
			return err
		}
	}
	return nil
}

func writeDataSheet(sw *excelize.StreamWriter, l *analysis.Layout, st *dataStyles, rows DataRows, texts map[analysis.TextKey]string) error {
	codes, labels := l.Headers()
	if err := sw.SetColWidth(1, 1, 20); err != nil {
		return err
	}
	if err := sw.SetColWidth(5, 5, 17); err != nil {
		return err
	}
	if len(codes) > 5 {
		if err := sw.SetColWidth(6, len(codes), 11); err != nil {
			return err
		}
	}
	if err := headerRows(sw, st, codes, labels, true); err != nil {
		return err
	}
	people := map[string]map[string]string{}
	n := 2
	return eachForm(l, rows, func(rs []*store.ResponseRow) error {
		n++
		if n > maxSheetRows {
			return fmt.Errorf("questionnaire %s has more forms than an Excel sheet holds; use the CSV", l.Form.Code)
		}
		cells := l.Row(rs, people, texts)
		for i, c := range cells {
			if t, ok := c.(time.Time); ok {
				cells[i] = excelize.Cell{StyleID: st.date, Value: t}
			}
		}
		return sw.SetRow(cell(1, n), cells)
	})
}

func writeCodebook(sw *excelize.StreamWriter, layouts []*analysis.Layout, st *dataStyles) error {
	for i, wd := range []float64{10, 22, 60, 8, 50} {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := headerRows(sw, st, []string{"mau_phieu", "bien", "nhan_bien", "gia_tri", "nhan_gia_tri"},
		[]string{"Mẫu phiếu", "Biến", "Nhãn biến", "Giá trị", "Nhãn giá trị"}, false); err != nil {
		return err
	}
	n := 2
	return analysis.Codebook(layouts, func(form, code, label, value, valueLabel string) error {
		n++
		var v any
		if value != "" {
			v = value
		}
		return sw.SetRow(cell(1, n), []any{form, code, label, v, valueLabel})
	})
}
