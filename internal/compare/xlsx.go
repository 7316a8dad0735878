package compare

import (
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/sheet"
)

// The comparison workbook's sheets, in order.
const (
	SheetUnits = "Đơn vị"
	SheetAreas = "Lĩnh vực"
	SheetKinds = "Theo loại đơn vị"
	SheetNotes = "Ghi chú"
)

// UnitHeader is the head of the units sheet; AreaHeader of the areas sheet (one row per unit
// and area, a long format fit for analysis).
var (
	UnitHeader = []string{"Loại đơn vị", "Mã đơn vị", "Tên đơn vị", "Cách ghép", "Ghép với (mã cũ: tỷ trọng)",
		"Điểm năm trước", "Điểm tối đa năm trước", "Tỷ lệ năm trước (%)", "Điểm năm nay", "Điểm tối đa năm nay", "Tỷ lệ năm nay (%)",
		"Thay đổi (điểm)", "Thay đổi tỷ lệ (điểm %)", "Hạng năm trước", "Hạng năm nay", "Xếp loại năm trước", "Xếp loại năm nay"}
	AreaHeader = []string{"Loại đơn vị", "Mã đơn vị", "Tên đơn vị", "Mã lĩnh vực", "Tên lĩnh vực",
		"Điểm năm trước", "Điểm tối đa năm trước", "Tỷ lệ năm trước (%)", "Điểm năm nay", "Điểm tối đa năm nay", "Tỷ lệ năm nay (%)",
		"Thay đổi (điểm)", "Thay đổi tỷ lệ (điểm %)", "Ghi chú"}
	KindHeader = []string{"Loại đơn vị", "Mã lĩnh vực", "Tên lĩnh vực", "Số đơn vị so sánh được",
		"Tỷ lệ bình quân năm trước (%)", "Tỷ lệ bình quân năm nay (%)", "Thay đổi (điểm %)"}
)

// WriteXLSX writes the comparison as a workbook: one row per unit, one per unit and area, the
// mean per kind and area, and the notes (the two runs, the mapping, every change of method or
// tree, the criteria only one year has, the earlier units nothing draws on). Figures are
// numbers rounded half up to 2 decimals; the exact values are in the JSON.
func WriteXLSX(w io.Writer, c *Comparison) error {
	f := excelize.NewFile()
	defer f.Close()
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6EE"}}})
	if err != nil {
		return fmt.Errorf("compare: style: %w", err)
	}
	num, err := f.NewStyle(&excelize.Style{NumFmt: 2})
	if err != nil {
		return fmt.Errorf("compare: style: %w", err)
	}
	n := func(r *big.Rat) any {
		if r == nil {
			return ""
		}
		v, _ := strconv.ParseFloat(scoring.Round2(r), 64)
		return excelize.Cell{StyleID: num, Value: v}
	}
	rank := func(r int) any {
		if r == 0 {
			return ""
		}
		return r
	}
	if err := f.SetSheetName(f.GetSheetName(0), SheetUnits); err != nil {
		return fmt.Errorf("compare: name sheet: %w", err)
	}
	for _, s := range []string{SheetAreas, SheetKinds, SheetNotes} {
		if _, err := f.NewSheet(s); err != nil {
			return fmt.Errorf("compare: add sheet %s: %w", s, err)
		}
	}
	put := func(name string, header []string, widths []float64, rows [][]any) error {
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		for i, wd := range widths {
			if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
				return err
			}
		}
		hs := make([]any, len(header))
		for i, h := range header {
			hs[i] = excelize.Cell{StyleID: head, Value: h}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		if err := sw.SetRow("A1", hs, excelize.RowOpts{Height: 32}); err != nil {
			return err
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(cell, r); err != nil {
				return err
			}
		}
		return sw.Flush()
	}
	score := func(s *Score) []any {
		if s == nil {
			return []any{"", "", ""}
		}
		return []any{n(s.Points), n(s.Max), n(s.Percent)}
	}

	var units, areas [][]any
	for _, u := range c.Units {
		row := []any{u.KindName, u.Unit, u.Name, u.Match.Label(), Sources(u.From)}
		row = append(row, score(u.Before)...)
		row = append(row, score(&u.Now)...)
		row = append(row, n(u.Change), n(u.PercentChange), rank(u.RankBefore), rank(u.Rank), u.BandBefore, u.Band)
		units = append(units, row)
		for _, a := range u.Areas {
			r := []any{u.KindName, u.Unit, u.Name, a.Code, a.Name}
			r = append(r, score(a.Before)...)
			r = append(r, score(&a.Now)...)
			note := ""
			switch {
			case !u.Comparable():
				note = u.Match.Label()
			case a.Before == nil:
				note = "lĩnh vực không có trong cây tiêu chí năm " + c.Before.Label
			case a.Before.Max.Cmp(a.Now.Max) != 0:
				note = fmt.Sprintf("điểm tối đa năm %s là %s, năm %s là %s: so sánh theo tỷ lệ", c.Before.Label,
					strings.Replace(scoring.FormatVN(a.Before.Max), ",00", "", 1), c.Now.Label, strings.Replace(scoring.FormatVN(a.Now.Max), ",00", "", 1))
			}
			r = append(r, n(a.Change), n(a.PercentChange), note)
			areas = append(areas, r)
		}
	}
	var kinds [][]any
	for _, k := range c.Kinds {
		kinds = append(kinds, []any{k.Name, "", "Tổng điểm ĐTXHH", k.Comparable, n(k.Before), n(k.Now), n(k.Change)})
		for _, a := range k.Areas {
			kinds = append(kinds, []any{k.Name, a.Code, a.Name, a.Units, n(a.Before), n(a.Now), n(a.Change)})
		}
	}
	var notes [][]any
	for _, line := range c.NoteLines() {
		notes = append(notes, []any{line[0], line[1]})
	}
	steps := []struct {
		name   string
		header []string
		widths []float64
		rows   [][]any
	}{
		{SheetUnits, UnitHeader, []float64{18, 10, 32, 22, 26, 10, 10, 10, 10, 10, 10, 10, 12, 9, 9, 12, 12}, units},
		{SheetAreas, AreaHeader, []float64{18, 10, 32, 8, 40, 10, 10, 10, 10, 10, 10, 10, 12, 36}, areas},
		{SheetKinds, KindHeader, []float64{22, 8, 40, 12, 14, 14, 12}, kinds},
		{SheetNotes, []string{"Mục", "Nội dung"}, []float64{28, 110}, notes},
	}
	for _, s := range steps {
		if err := put(s.name, s.header, s.widths, s.rows); err != nil {
			return fmt.Errorf("compare: sheet %s: %w", s.name, err)
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// Sources writes a unit's earlier units with their normalised shares: "H01: 60%; H02: 40%".
func Sources(from []Share) string {
	var parts []string
	for _, s := range from {
		parts = append(parts, fmt.Sprintf("%s: %s%%", s.Unit, strings.Replace(scoring.Round2(new(big.Rat).Mul(s.Share, hundred)), ".", ",", 1)))
	}
	return strings.Join(parts, "; ")
}

// NoteLines are the comparison's notes as (heading, text) pairs, in the order the workbook and
// the report print them: the two runs, the mapping, the method's changes, the trees' changes,
// the earlier units nothing draws on.
func (c *Comparison) NoteLines() [][2]string {
	out := [][2]string{
		{"Năm nay", fmt.Sprintf("%s (%s), lần tính điểm số %d", c.Now.Name, c.Now.Code, c.Now.RunID)},
		{"Năm trước", fmt.Sprintf("%s (%s), lần tính điểm số %d", c.Before.Name, c.Before.Code, c.Before.RunID)},
	}
	if c.MappingSource != "" {
		out = append(out, [2]string{"Ghép đơn vị", "Theo bảng ghép đơn vị " + c.MappingSource + "; đơn vị không có trong bảng được ghép theo mã. Điểm năm trước của đơn vị ghép với nhiều đơn vị cũ là bình quân theo tỷ trọng (trọng số đã chuẩn hóa về tổng 100%)."})
	} else {
		out = append(out, [2]string{"Ghép đơn vị", "Theo mã đơn vị."})
	}
	out = append(out, [2]string{"Cách so sánh", "Thay đổi tỷ lệ là chênh lệch tỷ lệ % điểm đạt được so với điểm tối đa của từng năm (điểm phần trăm), dùng được cả khi điểm tối đa thay đổi giữa hai năm."})
	if len(c.Method) == 0 {
		out = append(out, [2]string{"Phương pháp", "Phương pháp tính điểm và quy tắc phiếu hợp lệ của hai năm như nhau."})
	}
	for _, m := range c.Method {
		out = append(out, [2]string{"Phương pháp thay đổi", m})
	}
	for _, t := range c.Trees {
		head := "Cây tiêu chí (" + strings.Join(t.Kinds, ", ")
		if len(t.BeforeKinds) > 0 {
			head += ", so với " + strings.Join(t.BeforeKinds, ", ") + " năm " + c.Before.Label
		}
		head += ")"
		if !t.Differs() {
			out = append(out, [2]string{head, fmt.Sprintf("Như nhau giữa hai năm (%d mục ghép theo mã).", t.Matched)})
			continue
		}
		out = append(out, [2]string{head, fmt.Sprintf("%d mục ghép theo mã; %d mục chỉ có năm %s; %d mục chỉ có năm %s; %d mục đổi điểm hoặc vị trí.",
			t.Matched, len(t.OnlyNow), c.Now.Label, len(t.OnlyBefore), c.Before.Label, len(t.Changed))})
		for _, n := range t.Notes {
			out = append(out, [2]string{head, n})
		}
	}
	for _, u := range c.Unused {
		out = append(out, [2]string{"Đơn vị cũ không được ghép", fmt.Sprintf("%s (%s)", u.Name, u.Code)})
	}
	return out
}

// TemplateHeader is the head of the mapping sheet's template.
var TemplateHeader = []string{ColumnNew, ColumnNewName, ColumnOld, ColumnOldName, ColumnWeight, ColumnNotComparable}

// WriteTemplate writes the mapping sheet's template: one row per unit of now, its old code
// filled in where before has a unit of the same code, left empty for staff to fill in (or to
// mark "x" in the last column) where it has none. A unit that draws on several old units takes
// one row per old unit.
func WriteTemplate(w io.Writer, now, before *campaign.Definition) error {
	return sheet.Write(w, "Ghép đơn vị", TemplateHeader, []float64{16, 36, 16, 36, 10, 14}, func(emit func([]string) error) error {
		for _, u := range now.Units {
			row := []string{u.Code, u.Name, "", "", "", ""}
			if b := before.Unit(u.Code); b != nil {
				row[2], row[3], row[4] = b.Code, b.Name, "1"
			}
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	})
}
