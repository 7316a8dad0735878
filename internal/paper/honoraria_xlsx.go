package paper

import (
	"fmt"
	"io"
	"strings"

	"github.com/parsurvey/parsurvey/internal/vn"
	"github.com/xuri/excelize/v2"
)

// The sheets of the honoraria workbook.
const (
	SheetByEnumerator = "Theo điều tra viên"
	SheetByUnit       = "Theo đơn vị"
	SheetDetail       = "Chi tiết mã phiếu"
	SheetRespondents  = "Người trả lời"
)

// honorariaHeaderRow is the row of column titles in every sheet; above it are the title and rates.
const honorariaHeaderRow = 4

// WriteXLSX writes the honoraria as a workbook: one sheet per enumerator line, one per unit line,
// and one with every form code behind the amounts, each amount a number (đồng).
func (p Pay) WriteXLSX(w io.Writer, campaignName string) error {
	f := excelize.NewFile()
	defer f.Close()
	money, err := f.NewStyle(&excelize.Style{NumFmt: 3})
	if err != nil {
		return fmt.Errorf("paper: honoraria style: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF2F6"}}})
	if err != nil {
		return fmt.Errorf("paper: honoraria style: %w", err)
	}
	rates := fmt.Sprintf("Định mức: %s đồng/phiếu; %s đồng/đơn vị. Chỉ tính phiếu giấy đã được xác nhận (hai lần nhập khớp hoặc giám sát viên đã xử lý).",
		vn.Int(p.Rates.PerForm), vn.Int(p.Rates.PerUnit))
	if len(p.RateLines) > 0 {
		rates = "Định mức: " + strings.Join(p.RateLines, " ") + " Điều tra viên: chỉ tính phiếu giấy đã được xác nhận (hai lần nhập khớp hoặc giám sát viên đã xử lý)."
	}
	sheets := []struct {
		name   string
		header []any
		widths []float64
		money  []int // 1-based columns holding amounts
		rows   [][]any
	}{
		{name: SheetByEnumerator,
			header: []any{"STT", "Điều tra viên", "Số phiếu", "Số đơn vị", "Tiền theo phiếu", "Tiền theo đơn vị", "Tổng cộng", "Đơn vị", "Mã phiếu"},
			widths: []float64{6, 28, 10, 10, 16, 16, 16, 24, 60}, money: []int{5, 6, 7}},
		{name: SheetByUnit,
			header: []any{"STT", "Mã đơn vị", "Đơn vị", "Số phiếu", "Điều tra viên", "Tiền theo phiếu", "Tiền theo đơn vị", "Tổng cộng", "Mã phiếu"},
			widths: []float64{6, 12, 34, 10, 34, 16, 16, 16, 60}, money: []int{6, 7, 8}},
		{name: SheetDetail,
			header: []any{"STT", "Điều tra viên", "Nhóm", "Mã đơn vị", "Đơn vị", "Mã phiếu", "Ngày nhận", "Hợp lệ", "Tiền theo phiếu"},
			widths: []float64{6, 28, 8, 12, 34, 18, 12, 8, 16}, money: []int{9}},
		{name: SheetRespondents,
			header: []any{"STT", "Mã nhóm", "Nhóm đối tượng", "Loại đơn vị", "Mức (đồng/phiếu)", "Phiếu giấy", "Phiếu trực tuyến", "Số phiếu được tính", "Thành tiền"},
			widths: []float64{6, 10, 44, 22, 16, 12, 14, 16, 16}, money: []int{5, 9}},
	}
	for i, e := range p.ByEnumerator {
		sheets[0].rows = append(sheets[0].rows, []any{i + 1, e.Name, e.Forms, len(e.Units), e.FormAmount, e.UnitAmount, e.Total,
			strings.Join(e.Units, ", "), strings.Join(e.Codes, ", ")})
	}
	sheets[0].rows = append(sheets[0].rows, []any{"", "Tổng cộng", p.Forms, "", sum(p.ByEnumerator, func(e EnumeratorPay) int64 { return e.FormAmount }),
		sum(p.ByEnumerator, func(e EnumeratorPay) int64 { return e.UnitAmount }), p.Total})
	for i, u := range p.ByUnit {
		sheets[1].rows = append(sheets[1].rows, []any{i + 1, u.Unit, u.Name, u.Forms, strings.Join(u.Enumerators, ", "), u.FormAmount, u.UnitAmount, u.Total,
			strings.Join(u.Codes, ", ")})
	}
	sheets[1].rows = append(sheets[1].rows, []any{"", "", "Tổng cộng", p.Forms, "", sum(p.ByUnit, func(u UnitPay) int64 { return u.FormAmount }),
		sum(p.ByUnit, func(u UnitPay) int64 { return u.UnitAmount }), p.Total})
	for i, r := range p.Returns {
		valid := "có"
		if !r.Valid {
			valid = "không"
		}
		sheets[2].rows = append(sheets[2].rows, []any{i + 1, r.Enumerator, r.Group, r.Unit, r.UnitName, r.Code, vn.Date(r.ReceivedOn), valid, p.Rates.PerForm})
	}
	for i, r := range p.Respondents {
		online := any(r.Online)
		if !r.OnlineCounted && r.Online > 0 {
			online = fmt.Sprintf("%d (không tính)", r.Online)
		}
		sheets[3].rows = append(sheets[3].rows, []any{i + 1, r.Group, r.Name, r.KindName, r.Rate, r.Paper, online, r.Forms, r.Amount})
	}
	sheets[3].rows = append(sheets[3].rows, []any{"", "", "Tổng cộng", "", "", "", "", sum(p.Respondents, func(r RespondentPay) int64 { return int64(r.Forms) }), p.RespondentTotal})
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return fmt.Errorf("paper: honoraria sheet: %w", err)
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return fmt.Errorf("paper: honoraria sheet: %w", err)
		}
		if err := writeSheet(f, sh.name, "Thù lao điều tra viên — "+campaignName, rates, sh.header, sh.rows); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh.name, cell(1, honorariaHeaderRow), cell(len(sh.header), honorariaHeaderRow), bold); err != nil {
			return fmt.Errorf("paper: honoraria style: %w", err)
		}
		for _, col := range sh.money {
			if len(sh.rows) > 0 {
				if err := f.SetCellStyle(sh.name, cell(col, honorariaHeaderRow+1), cell(col, honorariaHeaderRow+len(sh.rows)), money); err != nil {
					return fmt.Errorf("paper: honoraria style: %w", err)
				}
			}
		}
		for c, wd := range sh.widths {
			name, _ := excelize.ColumnNumberToName(c + 1)
			if err := f.SetColWidth(sh.name, name, name, wd); err != nil {
				return fmt.Errorf("paper: honoraria widths: %w", err)
			}
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("paper: write honoraria workbook: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, sheet, title, note string, header []any, rows [][]any) error {
	if err := f.SetCellValue(sheet, "A1", title); err != nil {
		return fmt.Errorf("paper: sheet %s: %w", sheet, err)
	}
	if err := f.SetCellValue(sheet, "A2", note); err != nil {
		return fmt.Errorf("paper: sheet %s: %w", sheet, err)
	}
	if err := f.SetSheetRow(sheet, cell(1, honorariaHeaderRow), &header); err != nil {
		return fmt.Errorf("paper: sheet %s: %w", sheet, err)
	}
	for i, r := range rows {
		if err := f.SetSheetRow(sheet, cell(1, honorariaHeaderRow+1+i), &r); err != nil {
			return fmt.Errorf("paper: sheet %s row %d: %w", sheet, i+1, err)
		}
	}
	return nil
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

func sum[T any](list []T, amount func(T) int64) int64 {
	var n int64
	for _, x := range list {
		n += amount(x)
	}
	return n
}
