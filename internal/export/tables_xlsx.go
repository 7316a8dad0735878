package export

import (
	"fmt"
	"io"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/parsurvey/parsurvey/internal/analysis"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/scoring"
)

// The analysis tables workbook's sheets.
const (
	SheetFrequencies = "Tần suất"
	SheetCrossTabs   = "Theo đặc điểm"
	SheetPrecision   = "Độ chính xác"
)

// Tables are the analysis tables of a campaign, as WriteTablesXLSX writes them; CrossTabs and
// Precision may be nil.
type Tables struct {
	Frequencies []analysis.FrequencyTable
	CrossTabs   []analysis.CrossTab
	Precision   *analysis.Precision
}

// WriteTablesXLSX writes the analysis tables as a workbook: the frequency tables (one block per
// questionnaire × question, a row per unit × group with the count and share of each option,
// don't-know, blank and multi-marked), the mean ratings by respondent characteristic with small
// columns suppressed, and each unit's total with its 95% interval, the method stated.
func WriteTablesXLSX(w io.Writer, def *campaign.Definition, t Tables) error {
	f := excelize.NewFile()
	defer f.Close()
	b, err := newTableBook(f)
	if err != nil {
		return err
	}
	return writeStreamed(w, f, []streamedSheet{
		{SheetFrequencies, func(sw *excelize.StreamWriter) error { return b.frequencies(sw, def, t.Frequencies) }},
		{SheetCrossTabs, func(sw *excelize.StreamWriter) error { return b.crossTabs(sw, def, t.CrossTabs) }},
		{SheetPrecision, func(sw *excelize.StreamWriter) error { return b.precision(sw, def, t.Precision) }},
	})
}

// tableBook holds the styles of the tables workbook and the next row of the sheet being written.
type tableBook struct {
	title, head, pct, num, note int
	row                         int
}

func newTableBook(f *excelize.File) (*tableBook, error) {
	b := &tableBook{}
	for _, s := range []struct {
		dst   *int
		style *excelize.Style
	}{
		{&b.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}}},
		{&b.head, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6EE"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}},
		{&b.pct, &excelize.Style{NumFmt: 10}}, // 0.00%
		{&b.num, &excelize.Style{NumFmt: 2}},  // 0.00
		{&b.note, &excelize.Style{Font: &excelize.Font{Italic: true, Color: "555555"}}},
	} {
		id, err := f.NewStyle(s.style)
		if err != nil {
			return nil, fmt.Errorf("export: style: %w", err)
		}
		*s.dst = id
	}
	return b, nil
}

// put writes the next row.
func (b *tableBook) put(sw *excelize.StreamWriter, cells ...any) error {
	b.row++
	return sw.SetRow(cell(1, b.row), cells)
}

// styled wraps every cell in a style.
func styled(style int, cells ...string) []any {
	out := make([]any, len(cells))
	for i, c := range cells {
		out[i] = excelize.Cell{StyleID: style, Value: c}
	}
	return out
}

// share is n out of of as a number for a percent cell; nil when of is 0. Excel shows it rounded
// half up as the pages do.
func share(n, of int64) any {
	if of == 0 {
		return nil
	}
	v, _ := big.NewRat(n, of).Float64()
	return v
}

func (b *tableBook) frequencies(sw *excelize.StreamWriter, def *campaign.Definition, tables []analysis.FrequencyTable) error {
	b.row = 0
	if err := sw.SetColWidth(1, 1, 34); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 2, 26); err != nil {
		return err
	}
	if err := b.put(sw, excelize.Cell{StyleID: b.title, Value: "Bảng tần suất: số phiếu hợp lệ và tỷ lệ chọn từng phương án, theo câu hỏi × đơn vị × nhóm đối tượng"}); err != nil {
		return err
	}
	if err := b.put(sw, excelize.Cell{StyleID: b.note, Value: "Chỉ tính phiếu hợp lệ; phiếu ma trận tính một lần cho mỗi đơn vị mà nó đánh giá. Tỷ lệ tính trên số phiếu hợp lệ của dòng."}); err != nil {
		return err
	}
	prev := ""
	for _, t := range tables {
		key := t.Form + "\x00" + t.Question
		if key != prev {
			prev = key
			b.row++ // a blank line between questions
			if err := b.put(sw, excelize.Cell{StyleID: b.title, Value: fmt.Sprintf("Mẫu %s · Câu %s. %s", t.Form, t.Question, t.Text)}); err != nil {
				return err
			}
			head := []string{"Đơn vị", "Nhóm đối tượng", "Số phiếu hợp lệ"}
			for i, o := range t.Options {
				head = append(head, fmt.Sprintf("%d. %s", i+1, o.Label), "%")
			}
			head = append(head, "Bỏ trống", "%", "Đánh nhiều ô", "%")
			if err := b.put(sw, styled(b.head, head...)...); err != nil {
				return err
			}
		}
		for _, r := range t.Rows {
			group := "Tất cả các nhóm"
			if r.Group != "" {
				group = r.Group + " · " + GroupName(def, r.Group)
			}
			cells := []any{UnitName(def, t.Unit), group, r.Forms}
			for _, n := range r.Counts {
				cells = append(cells, n, excelize.Cell{StyleID: b.pct, Value: share(n, r.Forms)})
			}
			cells = append(cells, r.Blank, excelize.Cell{StyleID: b.pct, Value: share(r.Blank, r.Forms)},
				r.Multi, excelize.Cell{StyleID: b.pct, Value: share(r.Multi, r.Forms)})
			if err := b.put(sw, cells...); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *tableBook) crossTabs(sw *excelize.StreamWriter, def *campaign.Definition, tabs []analysis.CrossTab) error {
	b.row = 0
	if err := sw.SetColWidth(1, 1, 10); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 2, 50); err != nil {
		return err
	}
	if err := b.put(sw, excelize.Cell{StyleID: b.title, Value: "Mức đánh giá trung bình theo đặc điểm người trả lời (% mức tối đa)"}); err != nil {
		return err
	}
	for _, line := range CrossTabMethod() {
		if err := b.put(sw, excelize.Cell{StyleID: b.note, Value: line}); err != nil {
			return err
		}
	}
	for _, ct := range tabs {
		b.row++
		if err := b.put(sw, excelize.Cell{StyleID: b.title, Value: KindName(def, ct.Kind) + " · " + ct.Label}); err != nil {
			return err
		}
		head := []string{"Mã", "Lĩnh vực / tiêu chí thành phần"}
		for _, v := range ct.Values {
			head = append(head, fmt.Sprintf("%s (%s người)", v.Label, strconv.FormatInt(v.Respondents, 10)))
		}
		if err := b.put(sw, styled(b.head, head...)...); err != nil {
			return err
		}
		for _, r := range ct.Rows {
			name := r.Name
			if !r.Area {
				name = "   " + name
			}
			cells := []any{r.Code, name}
			for i, m := range r.Means {
				switch {
				case ct.Values[i].Suppressed:
					cells = append(cells, fmt.Sprintf("< %d người", analysis.MinCell))
				case m == nil:
					cells = append(cells, nil)
				default:
					v, _ := m.Float64()
					cells = append(cells, excelize.Cell{StyleID: b.pct, Value: v})
				}
			}
			if err := b.put(sw, cells...); err != nil {
				return err
			}
		}
	}
	return nil
}

// CrossTabMethod states how the cross-tabs are made, for the page and the workbook.
func CrossTabMethod() []string {
	return []string{
		"Mức đánh giá của một tiêu chí thành phần là trung bình trọng số phương án của các câu trả lời thuộc các câu hỏi của nó, trên các phiếu hợp lệ; " +
			"câu “không biết” và câu bỏ trống được xử lý như khi tính điểm. Mức của lĩnh vực là trung bình các tiêu chí thành phần theo điểm tối đa của chúng.",
		"Các nhóm đối tượng được gộp chung: bảng mô tả ý kiến người trả lời, không phải điểm của đơn vị.",
		fmt.Sprintf("Cột có dưới %d người trả lời không hiển thị số liệu, để không ai bị nhận ra qua câu trả lời; vì vậy bảng không có cột tổng.", analysis.MinCell),
	}
}

func (b *tableBook) precision(sw *excelize.StreamWriter, def *campaign.Definition, p *analysis.Precision) error {
	b.row = 0
	if p == nil {
		return b.put(sw, "Chưa tính khoảng tin cậy.")
	}
	for i, wd := range []float64{22, 7, 10, 36, 11, 10, 11, 11, 12, 40} {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := b.put(sw, excelize.Cell{StyleID: b.title, Value: "Độ chính xác của tổng điểm: khoảng tin cậy 95% và khoảng hạng"}); err != nil {
		return err
	}
	for _, line := range analysis.PrecisionMethod(p) {
		if err := b.put(sw, excelize.Cell{StyleID: b.note, Value: line}); err != nil {
			return err
		}
	}
	b.row++
	if err := b.put(sw, styled(b.head, "Loại đơn vị", "Hạng", "Mã đơn vị", "Đơn vị", "Tổng điểm", "Phiếu hợp lệ", "Cận dưới 95%", "Cận trên 95%",
		"Khoảng hạng", "Không phân biệt được thứ hạng với")...); err != nil {
		return err
	}
	units := slices.Clone(p.Units)
	slices.SortStableFunc(units, func(a, c analysis.UnitPrecision) int {
		if a.Kind != c.Kind {
			return kindOrder(def, a.Kind) - kindOrder(def, c.Kind)
		}
		return a.Rank - c.Rank
	})
	for _, u := range units {
		// The figures as the pages round them (half up), so that Excel shows the same.
		total, _ := strconv.ParseFloat(scoring.Round2(u.Total), 64)
		low, _ := strconv.ParseFloat(scoring.Round2(u.Low), 64)
		high, _ := strconv.ParseFloat(scoring.Round2(u.High), 64)
		ranks := strconv.Itoa(u.RankLow)
		if u.RankHigh != u.RankLow {
			ranks += "–" + strconv.Itoa(u.RankHigh)
		}
		if err := b.put(sw, KindName(def, u.Kind), u.Rank, u.Unit, UnitName(def, u.Unit), excelize.Cell{StyleID: b.num, Value: total}, u.Forms,
			excelize.Cell{StyleID: b.num, Value: low}, excelize.Cell{StyleID: b.num, Value: high}, ranks, strings.Join(u.Overlaps, ", ")); err != nil {
			return err
		}
	}
	return nil
}

// kindOrder is a kind's position in the definition.
func kindOrder(def *campaign.Definition, kind string) int {
	for i, k := range def.Kinds {
		if k.Code == kind {
			return i
		}
	}
	return len(def.Kinds)
}
