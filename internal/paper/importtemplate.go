package paper

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/parsurvey/parsurvey/internal/csvcell"
)

// SheetData and SheetGuide are the sheets of an import template.
const (
	SheetData  = "Phiếu"
	SheetGuide = "Hướng dẫn"
)

// guide lists every column of the layout with what it holds and the values it takes.
func (l *Layout) guide() [][]any {
	rows := [][]any{
		{ColumnCode, "Mã phiếu in trên phiếu, kể cả hai chữ kiểm tra, ví dụ S2-SNV-0012-DX", "bắt buộc; mỗi mã một dòng"},
		{ColumnDate, "Ngày nhận phiếu giấy về", "bắt buộc; dd/mm/yyyy, ví dụ 20/11/2026"},
	}
	for _, it := range l.items {
		var opts []string
		for i, o := range it.Options {
			opts = append(opts, fmt.Sprintf("%d = %s", i+1, o))
		}
		text := it.Text
		if it.Field < 0 {
			text = it.Label + ". " + it.Text
		}
		rows = append(rows, []any{it.Name, text, strings.Join(opts, "; ") + "; 0 hoặc để trống = bỏ trống; * = đánh nhiều phương án"})
		if l.KeysText && l.IsText(it) {
			rows = append(rows, []any{TextName(it), "Nội dung ý kiến ở " + it.Label, fmt.Sprintf("không bắt buộc; tối đa %d ký tự; có nội dung thì cột %s ghi 1 hoặc để trống", l.textLimit(it), it.Name)})
		}
	}
	return rows
}

// WriteTemplateXLSX writes an empty import workbook for the layout: a sheet with the header row
// to fill in, one row per form, and a sheet explaining each column.
func (l *Layout) WriteTemplateXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetData); err != nil {
		return fmt.Errorf("paper: template: %w", err)
	}
	header := []any{}
	for _, c := range l.Columns() {
		header = append(header, c)
	}
	if err := f.SetSheetRow(SheetData, "A1", &header); err != nil {
		return fmt.Errorf("paper: template: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return fmt.Errorf("paper: template: %w", err)
	}
	// Codes and marks are text: a spreadsheet must not turn "0" or "*" into something else.
	lastCol, _ := excelize.ColumnNumberToName(len(header))
	if err := f.SetColStyle(SheetData, "A:"+lastCol, text); err != nil {
		return fmt.Errorf("paper: template: %w", err)
	}
	if err := f.SetColWidth(SheetData, "A", "B", 16); err != nil {
		return fmt.Errorf("paper: template: %w", err)
	}
	if err := f.SetPanes(SheetData, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("paper: template: %w", err)
	}
	if _, err := f.NewSheet(SheetGuide); err != nil {
		return fmt.Errorf("paper: template: %w", err)
	}
	title := []any{"Cột", "Nội dung", "Giá trị nhập"}
	if err := f.SetSheetRow(SheetGuide, "A1", &title); err != nil {
		return fmt.Errorf("paper: template: %w", err)
	}
	for i, r := range l.guide() {
		if err := f.SetSheetRow(SheetGuide, cell(1, i+2), &r); err != nil {
			return fmt.Errorf("paper: template: %w", err)
		}
	}
	for col, wd := range map[string]float64{"A": 16, "B": 90, "C": 90} {
		if err := f.SetColWidth(SheetGuide, col, col, wd); err != nil {
			return fmt.Errorf("paper: template: %w", err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("paper: write template: %w", err)
	}
	return nil
}

// WriteTemplateCSV writes the header row of the layout as CSV in UTF-8 with a byte order mark,
// which spreadsheet programs need to read Vietnamese text correctly. It goes through the
// neutralising writer like every CSV the service writes, though its column names never start
// like a formula.
func (l *Layout) WriteTemplateCSV(w io.Writer) error {
	if _, err := w.Write([]byte{0xEF, 0xBB, 0xBF}); err != nil {
		return fmt.Errorf("paper: template: %w", err)
	}
	cw := csvcell.NewWriter(w)
	if err := cw.Write(l.Columns()); err != nil {
		return fmt.Errorf("paper: template: %w", err)
	}
	cw.Flush()
	return cw.Error()
}
