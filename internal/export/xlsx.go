package export

import (
	"archive/zip"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// The workbook's sheets, in order.
const (
	SheetSummary  = "Tổng hợp"
	SheetSubs     = "Tiêu chí thành phần"
	SheetGroups   = "Theo nhóm"
	SheetFlags    = "Cảnh báo"
	SheetInvalid  = "Phiếu không hợp lệ"
	SheetAnswers  = "Phiếu"
	rankingHeader = "Mã đơn vị" // the first header cell no title line starts with
)

// WriteXLSX writes the run as a workbook: summary and ranking with the method stated, the
// points of every area, criterion and sub-criterion per unit, each group's own result, the
// warnings, the invalid forms with their reasons, and every form (one row per form and unit
// it answers for). Every sheet is streamed row by row: excelize keeps at most about 16 MB of a
// sheet in memory and spills the rest to a temporary file, and the archive goes straight to w,
// so memory stays bounded however many forms there are.
func WriteXLSX(w io.Writer, run *scorerun.Run, rows Rows) error {
	f := excelize.NewFile()
	defer f.Close()
	b, err := newBook(f, run)
	if err != nil {
		return err
	}
	return writeStreamed(w, f, []streamedSheet{
		{SheetSummary, b.summary},
		{SheetSubs, b.subs},
		{SheetGroups, b.groups},
		{SheetFlags, b.flags},
		{SheetInvalid, func(sw *excelize.StreamWriter) error { return b.invalid(sw, rows) }},
		{SheetAnswers, func(sw *excelize.StreamWriter) error { return b.answers(sw, rows) }},
	})
}

// streamedSheet is one sheet of a workbook that writeStreamed writes, and what writes its rows.
type streamedSheet struct {
	name  string
	write func(*excelize.StreamWriter) error
}

// writeStreamed gives f its sheets in order (the first renames f's default sheet), streams
// each one's rows, then writes the archive straight to w. Memory stays bounded: excelize keeps
// at most about 16 MB of a streamed sheet in memory and spills the rest to a temporary file.
func writeStreamed(w io.Writer, f *excelize.File, sheets []streamedSheet) error {
	for i, s := range sheets {
		var err error
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), s.name)
		} else {
			_, err = f.NewSheet(s.name)
		}
		if err != nil {
			return fmt.Errorf("export: add sheet %s: %w", s.name, err)
		}
	}
	for _, s := range sheets {
		sw, err := f.NewStreamWriter(s.name)
		if err != nil {
			return fmt.Errorf("export: stream %s: %w", s.name, err)
		}
		if err := s.write(sw); err != nil {
			return fmt.Errorf("export: sheet %s: %w", s.name, err)
		}
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("export: sheet %s: %w", s.name, err)
		}
	}
	// No SetActiveSheet here: it would parse the streamed sheets back into memory. The first
	// sheet is active from the start.
	//
	// excelize builds the whole archive in a bytes.Buffer before writing it out; its zip writer
	// hook lets the archive go straight to w instead. The buffer it then hands back is empty
	// (it would only carry zip64 headers, for parts over 4 GB).
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	buf, err := f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("export: write workbook: %w", err)
	}
	if buf.Len() > 0 {
		return fmt.Errorf("export: workbook part over 4 GB")
	}
	return nil
}

// book holds the workbook's styles and the run.
type book struct {
	run                        *scorerun.Run
	title, head, num, int, bad int
}

func newBook(f *excelize.File, run *scorerun.Run) (*book, error) {
	b := &book{run: run}
	for _, s := range []struct {
		dst   *int
		style *excelize.Style
	}{
		{&b.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&b.head, &excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6EE"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
			Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}}},
		{&b.num, &excelize.Style{NumFmt: 2}}, // 0.00
		{&b.int, &excelize.Style{NumFmt: 1}}, // 0
		{&b.bad, &excelize.Style{Font: &excelize.Font{Color: "A4121B"}}},
	} {
		id, err := f.NewStyle(s.style)
		if err != nil {
			return nil, fmt.Errorf("export: style: %w", err)
		}
		*s.dst = id
	}
	return b, nil
}

// number is an exact value rounded half up to 2 decimals as a numeric cell shown "0.00"; a nil
// value is an empty cell.
func (b *book) number(r *big.Rat) any {
	if r == nil {
		return ""
	}
	v, _ := strconv.ParseFloat(scoring.Round2(r), 64)
	return excelize.Cell{StyleID: b.num, Value: v}
}

// percent is a ratio in [0, 1] as a percentage cell.
func (b *book) percent(r *big.Rat) any {
	if r == nil {
		return ""
	}
	return b.number(new(big.Rat).Mul(r, hundred))
}

func (b *book) decimal(d interface{ Rat() *big.Rat }) any { return b.number(d.Rat()) }

func (b *book) header(sw *excelize.StreamWriter, row int, cells ...string) error {
	vals := make([]any, len(cells))
	for i, c := range cells {
		vals[i] = excelize.Cell{StyleID: b.head, Value: c}
	}
	return sw.SetRow(cell(1, row), vals, excelize.RowOpts{Height: 32})
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

func widths(sw *excelize.StreamWriter, ws ...float64) error {
	for i, w := range ws {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	return nil
}

// summary is the title, the run, the forms, the method and the ranking of units per kind.
func (b *book) summary(sw *excelize.StreamWriter) error {
	run, def := b.run, b.run.Def
	if err := widths(sw, 22, 7, 12, 40, 14, 14, 12, 10, 50, 18); err != nil {
		return err
	}
	tot := run.Totals()
	lines := []any{
		excelize.Cell{StyleID: b.title, Value: "KẾT QUẢ ĐIỀU TRA XÃ HỘI HỌC XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"},
		def.Name,
		fmt.Sprintf("Đơn vị thực hiện: %s", def.Organizer),
		fmt.Sprintf("Lần tính điểm số %d, lúc %s, người thực hiện: %s; định nghĩa đợt khảo sát phiên bản %d.", run.ID, vn.DateTime(run.CreatedAt), run.CreatedBy, run.CampaignVersion),
		fmt.Sprintf("Mã đối chiếu dữ liệu đầu vào: %s; mã đối chiếu kết quả: %s.", run.InputDigest, run.ResultDigest),
		fmt.Sprintf("Phiếu thu về: %s; hợp lệ: %s; không hợp lệ: %s; chưa xét: %s (phiếu ma trận tính một lần cho mỗi đơn vị); số phiếu được tính điểm: %s.",
			vn.Int(tot.Forms), vn.Int(tot.Valid), vn.Int(tot.Invalid), vn.Int(tot.Pending), vn.Int(run.Result.Forms)),
		fmt.Sprintf("Điểm tối đa phần điều tra xã hội học: %s. Điểm làm tròn nửa lên đến 2 chữ số thập phân; xếp hạng theo giá trị chính xác.", maxPointsLine(def)),
		excelize.Cell{StyleID: b.head, Value: "Phương pháp tính điểm"},
	}
	row := 1
	for _, l := range lines {
		if err := sw.SetRow(cell(1, row), []any{l}); err != nil {
			return err
		}
		row++
	}
	for _, s := range run.Method.Statement {
		if err := sw.SetRow(cell(1, row), []any{"• " + s}); err != nil {
			return err
		}
		row++
	}
	row++
	if err := b.header(sw, row, "Loại đơn vị", "Hạng", rankingHeader, "Tên đơn vị", "Tổng điểm ĐTXHH", "Tỷ lệ so với điểm tối đa (%)",
		"Xếp loại", "Phiếu hợp lệ", "Ghi chú", "Tổng điểm (giá trị chính xác)"); err != nil {
		return err
	}
	row++
	for _, u := range Ranking(run.Result, def) {
		fu := feedUnit(run, u)
		var notes []string
		for _, fl := range u.Flags {
			notes = append(notes, fl.Message)
		}
		vals := []any{KindName(def, u.Kind), excelize.Cell{StyleID: b.int, Value: u.Rank}, u.Unit, fu.Name, b.number(u.Total), b.number(u.Percent),
			u.BandName, excelize.Cell{StyleID: b.int, Value: fu.ValidForms}, strings.Join(notes, "; "), u.Total.RatString()}
		if err := sw.SetRow(cell(1, row), vals); err != nil {
			return err
		}
		row++
	}
	return nil
}

// Ranking orders a result's units by kind (definition order), then rank, then definition order.
func Ranking(res *scoring.Result, def *campaign.Definition) []*scoring.UnitResult {
	order := map[string]int{}
	for _, k := range def.Kinds {
		if _, ok := order[k.Code]; !ok {
			order[k.Code] = len(order)
		}
	}
	for _, u := range res.Units {
		if _, ok := order[u.Kind]; !ok {
			order[u.Kind] = len(order)
		}
	}
	out := make([]*scoring.UnitResult, len(res.Units))
	for i := range res.Units {
		out[i] = &res.Units[i]
	}
	slices.SortStableFunc(out, func(a, b *scoring.UnitResult) int {
		if order[a.Kind] != order[b.Kind] {
			return order[a.Kind] - order[b.Kind]
		}
		return a.Rank - b.Rank
	})
	return out
}

// subs is one row per unit and node of the criteria tree: areas, criteria, sub-criteria.
func (b *book) subs(sw *excelize.StreamWriter) error {
	def := b.run.Def
	if err := widths(sw, 12, 30, 18, 10, 60, 12, 12, 14, 30, 18); err != nil {
		return err
	}
	if err := b.header(sw, 1, rankingHeader, "Tên đơn vị", "Cấp", "Mã tiêu chí", "Tên lĩnh vực / tiêu chí", "Điểm tối đa", "Điểm đạt",
		"Tỷ lệ đạt (%)", "Ghi chú", "Điểm (giá trị chính xác)"); err != nil {
		return err
	}
	row := 2
	put := func(u *scoring.UnitResult, level, code, name string, max interface{ Rat() *big.Rat }, points, mean *big.Rat, note string) error {
		err := sw.SetRow(cell(1, row), []any{u.Unit, UnitName(def, u.Unit), level, code, name, b.decimal(max), b.number(points), b.percent(mean), note, points.RatString()})
		row++
		return err
	}
	for i := range b.run.Result.Units {
		u := &b.run.Result.Units[i]
		for ai, a := range u.Areas {
			da := def.TreeFor(u.Kind)[ai]
			if err := put(u, "Lĩnh vực", a.Code, da.Name, a.Max, a.Points, ratio(a.Points, a.Max.Rat()), ""); err != nil {
				return err
			}
			for ci, c := range a.Criteria {
				dc := da.Criteria[ci]
				if err := put(u, "Tiêu chí", c.Code, dc.Name, c.Max, c.Points, ratio(c.Points, c.Max.Rat()), ""); err != nil {
					return err
				}
				for si, s := range c.Subs {
					note := ""
					if s.NoData {
						note = scoring.FlagNoData.Label()
					}
					if err := put(u, "Tiêu chí thành phần", s.Code, dc.Subs[si].Name, s.Max, s.Points, s.Mean, note); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// ratio is points over max, nil when max is 0.
func ratio(points, max *big.Rat) *big.Rat {
	if max.Sign() == 0 {
		return nil
	}
	return new(big.Rat).Quo(points, max)
}

// groups is one row per unit, group and sub-criterion: the group's own mean and the points it
// alone would give, with its forms and whether it was counted.
func (b *book) groups(sw *excelize.StreamWriter) error {
	run, def := b.run, b.run.Def
	if err := widths(sw, 12, 30, 8, 40, 10, 10, 12, 10, 14, 12, 16, 50); err != nil {
		return err
	}
	if err := b.header(sw, 1, rankingHeader, "Tên đơn vị", "Mã nhóm", "Nhóm đối tượng", "Trọng số", "Phiếu hợp lệ", "Phiếu không hợp lệ",
		"Được tính", "Tiêu chí thành phần", "Tỷ lệ (%)", "Điểm nếu chỉ tính nhóm này", "Ghi chú"); err != nil {
		return err
	}
	row := 2
	for i := range run.Result.Units {
		u := &run.Result.Units[i]
		for _, g := range u.Groups {
			counted := "Có"
			if !g.Counted {
				counted = "Không"
			}
			note := ""
			for _, fl := range u.Flags {
				if fl.Group == g.Group {
					note = fl.Message
				}
			}
			if g.NotEvaluating {
				note = "Không tính vào điểm vì " + scoring.NotEvaluatingLabel
			}
			t := run.TallyFor(g.Group, u.Unit)
			invalid := any(excelize.Cell{StyleID: b.int, Value: t.Invalid})
			if g.Imported {
				invalid = ""
			}
			base := []any{u.Unit, UnitName(def, u.Unit), g.Group, GroupName(def, g.Group), b.decimal(g.Weight),
				excelize.Cell{StyleID: b.int, Value: g.Forms}, invalid, counted}
			subs := g.Subs
			if len(subs) == 0 {
				subs = []scoring.GroupSub{{}}
			}
			for _, s := range subs {
				vals := append(slices.Clone(base), s.Sub, b.percent(s.Mean), b.number(s.Points), note)
				if err := sw.SetRow(cell(1, row), vals); err != nil {
					return err
				}
				row++
			}
		}
	}
	return nil
}

// flags lists every warning of every unit.
func (b *book) flags(sw *excelize.StreamWriter) error {
	def := b.run.Def
	if err := widths(sw, 12, 30, 18, 8, 12, 80); err != nil {
		return err
	}
	if err := b.header(sw, 1, rankingHeader, "Tên đơn vị", "Cảnh báo", "Nhóm", "Tiêu chí thành phần", "Nội dung"); err != nil {
		return err
	}
	row := 2
	for _, u := range b.run.Result.Units {
		for _, fl := range u.Flags {
			if err := sw.SetRow(cell(1, row), []any{u.Unit, UnitName(def, u.Unit), fl.Code.Label(), fl.Group, fl.Sub, fl.Message}); err != nil {
				return err
			}
			row++
		}
	}
	return nil
}

// invalid lists the forms (per unit) that do not count, with every reason.
func (b *book) invalid(sw *excelize.StreamWriter, rows Rows) error {
	def := b.run.Def
	if err := widths(sw, 7, 20, 12, 8, 12, 30, 12, 17, 22, 80); err != nil {
		return err
	}
	if err := b.header(sw, 1, "STT", "Mã phiếu", "Số biên nhận", "Nhóm", "Mã đơn vị", "Đơn vị được đánh giá", "Kênh", "Thời điểm nhận",
		"Mã lý do", "Lý do không hợp lệ"); err != nil {
		return err
	}
	n := 0
	return rows(true, func(r *store.ResponseRow) error {
		n++
		codes, msgs := reasonsFor(r.Reasons, r.Unit)
		return sw.SetRow(cell(1, n+1), []any{n, r.Code, r.Receipt, r.Group, r.Unit, UnitName(def, r.Unit), campaign.Channel(r.Channel).Title(),
			vn.DateTime(r.ReceivedAt), codes, excelize.Cell{StyleID: b.bad, Value: msgs}})
	})
}

// answers lists every form, one row per form and unit, with each answer's option number.
func (b *book) answers(sw *excelize.StreamWriter, rows Rows) error {
	l := newResponseLayout(b.run.Def)
	ws := []float64{7, 20, 12, 8, 10, 12, 30, 12, 17, 8, 18, 50, 40}
	for range l.questions {
		ws = append(ws, 7)
	}
	if err := widths(sw, ws...); err != nil {
		return err
	}
	if err := b.header(sw, 1, l.header()...); err != nil {
		return err
	}
	n := 0
	vals := make([]any, 0, 13+l.questions)
	return rows(false, func(r *store.ResponseRow) error {
		n++
		vals = append(vals[:0], n)
		for _, s := range l.fixed(r) {
			if s == "" {
				vals = append(vals, nil) // no cell: less to write, less garbage
			} else {
				vals = append(vals, s)
			}
		}
		for i := 0; i < len(r.Answers); i++ {
			vals = append(vals, answerCell(r.Answers[i]))
		}
		return sw.SetRow(cell(1, n+1), vals)
	})
}

// maxPointsLine says what the survey part is worth: "32,00 điểm" when every kind with units is
// worth the same, else each kind's own ("Sở, ban, ngành 32,00 điểm; Xã, phường, đặc khu 30,00 điểm"),
// since each level may have its own index set (Definition.SurveyPointsFor).
func maxPointsLine(def *campaign.Definition) string {
	var parts []string
	points := map[campaign.Decimal]bool{}
	for _, k := range def.Kinds {
		if len(def.UnitsOfKind(k.Code)) == 0 {
			continue
		}
		p := def.SurveyPointsFor(k.Code)
		points[p] = true
		parts = append(parts, fmt.Sprintf("%s %s điểm", KindName(def, k.Code), vn.Decimal(p.Rat(), 2)))
	}
	if len(points) > 1 {
		return strings.Join(parts, "; ")
	}
	for p := range points {
		return vn.Decimal(p.Rat(), 2) + " điểm"
	}
	return vn.Decimal(def.SurveyPoints.Rat(), 2) + " điểm"
}
