package report

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/analysis"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// MaxDetailUnits is how many units still get their own criteria table; a larger campaign finds
// them in the workbook of the same run instead.
const MaxDetailUnits = 120

// DisagreeThreshold is the gap, in percentage points of the maximum, from which two groups'
// views of a unit are reported as disagreeing.
const DisagreeThreshold = 15

// extremes is how many strongest and weakest units an area lists.
const extremes = 3

// Input is what the report is composed from.
type Input struct {
	Run *scorerun.Run
	// Frequencies are the annex's frequency tables (internal/analysis); with HasFrequencies
	// unset the annex says where to find them instead.
	Frequencies    []analysis.FrequencyTable
	HasFrequencies bool
	// Texts are the open-ended answers of valid forms (store.DB.TextAnswers); without
	// HasTexts the report leaves the part out (the command line's report, say).
	Texts    []TextAnswer
	HasTexts bool
	// YearOnYear is the comparison with the earlier campaign the campaign is linked to
	// (internal/compare); nil, for a campaign linked to none, leaves the part out.
	YearOnYear *YearOnYear
}

// TextAnswer is one open-ended answer about a unit: its group, questionnaire (Form) and
// question codes, and what was written.
type TextAnswer struct {
	Unit, Group, Form, Question string
	Body                        string
}

// Build composes the run's report.
func Build(in Input) *Document {
	run := in.Run
	def := run.Def
	b := &builder{in: in, run: run, def: def, kinds: kindsOf(def, run.Result)}
	doc := &Document{
		Head:     b.head(),
		Title:    "BÁO CÁO",
		Subtitle: []string{"Kết quả điều tra xã hội học xác định Chỉ số cải cách hành chính", def.Name},
		Sign:     b.signOff(),
		Footer:   fmt.Sprintf("%s · lần tính điểm %d", def.Code, run.ID),
	}
	doc.Sections = append(doc.Sections, b.general()...)
	doc.Sections = append(doc.Sections, b.response()...)
	doc.Sections = append(doc.Sections, b.ranking()...)
	doc.Sections = append(doc.Sections, b.areas()...)
	doc.Sections = append(doc.Sections, b.disagreements()...)
	doc.Sections = append(doc.Sections, b.details()...)
	next := 8
	if in.HasTexts {
		doc.Sections = append(doc.Sections, b.texts(next)...)
		next++
	}
	if in.YearOnYear != nil {
		doc.Sections = append(doc.Sections, b.yearOnYear(next, in.YearOnYear)...)
	}
	doc.Annexes = append(doc.Annexes, b.frequencies()...)
	doc.Annexes = append(doc.Annexes, b.technical())
	return doc
}

type builder struct {
	in    Input
	run   *scorerun.Run
	def   *campaign.Definition
	kinds []kindUnits
}

// kindUnits are a unit kind's results, in rank order.
type kindUnits struct {
	code, name string
	units      []*scoring.UnitResult
}

// kindsOf groups the results by unit kind, kinds in definition order, units by rank (then
// definition order).
func kindsOf(def *campaign.Definition, res *scoring.Result) []kindUnits {
	var out []kindUnits
	at := map[string]int{}
	for _, k := range def.Kinds {
		at[k.Code] = len(out)
		out = append(out, kindUnits{code: k.Code, name: orCode(k.Name, k.Code)})
	}
	for i := range res.Units {
		u := &res.Units[i]
		n, ok := at[u.Kind]
		if !ok {
			n = len(out)
			at[u.Kind] = n
			out = append(out, kindUnits{code: u.Kind, name: u.Kind})
		}
		out[n].units = append(out[n].units, u)
	}
	var kept []kindUnits
	for _, k := range out {
		if len(k.units) > 0 {
			sort.SliceStable(k.units, func(a, b int) bool { return k.units[a].Rank < k.units[b].Rank })
			kept = append(kept, k)
		}
	}
	return kept
}

func orCode(name, code string) string {
	if name == "" {
		return code
	}
	return name
}

func (b *builder) unitName(code string) string {
	if u := b.def.Unit(code); u != nil {
		return orCode(u.Name, code)
	}
	return code
}

func (b *builder) groupName(code string) string {
	if g := b.def.Group(code); g != nil {
		return orCode(g.Name, code)
	}
	return code
}

// issuer is the issuing body: the report block's, else the organizer without its parenthesis
// ("(theo đặt hàng của …)").
func (b *builder) issuer() string {
	if s := strings.TrimSpace(b.def.Report.Issuer); s != "" {
		return s
	}
	o := strings.TrimSpace(b.def.Organizer)
	if i := strings.Index(o, " ("); i > 0 {
		o = o[:i]
	}
	return o
}

func (b *builder) head() Head {
	r := b.def.Report
	h := Head{Superior: strings.ToUpper(strings.TrimSpace(r.Superior)), Issuer: strings.ToUpper(b.issuer()), Number: strings.TrimSpace(r.Number)}
	if h.Number == "" {
		h.Number = "Số:        /BC"
	}
	h.PlaceDate = DateLine(r.Place, b.run.CreatedAt)
	return h
}

// DateLine is the place and date line of an administrative document: "Bình An, ngày 05 tháng
// 12 năm 2026" (day and month below 10 with a leading zero), in Asia/Ho_Chi_Minh.
func DateLine(place string, t time.Time) string {
	t = t.In(campaign.Zone)
	d := fmt.Sprintf("ngày %02d tháng %02d năm %d", t.Day(), int(t.Month()), t.Year())
	if p := strings.TrimSpace(place); p != "" {
		return p + ", " + d
	}
	return vn.Capitalize(d)
}

func (b *builder) signOff() SignOff {
	r := b.def.Report
	s := SignOff{Title: strings.ToUpper(strings.TrimSpace(r.SignerTitle)), Signer: strings.TrimSpace(r.Signer)}
	if s.Title == "" {
		s.Title = "THỦ TRƯỞNG ĐƠN VỊ"
	}
	for _, x := range r.Recipients {
		if x = strings.TrimSpace(x); x != "" {
			s.Recipients = append(s.Recipients, x)
		}
	}
	if len(s.Recipients) == 0 {
		s.Recipients = []string{"Hội đồng thẩm định Chỉ số cải cách hành chính;", "Lưu: " + b.issuer() + "."}
	}
	return s
}

func (b *builder) general() []Section {
	def, run := b.def, b.run
	tot := run.Totals()
	share := fmt.Sprintf("Phần điều tra xã hội học có %s điểm trong thang 100 điểm của Chỉ số cải cách hành chính", vn.Decimal(def.SurveyPoints.Rat(), 2))
	var own []string
	for _, k := range b.kinds {
		if p := def.SurveyPointsFor(k.code); p != def.SurveyPoints {
			own = append(own, fmt.Sprintf("%s: %s điểm", k.name, vn.Decimal(p.Rat(), 2)))
		}
	}
	if len(own) > 0 {
		share += " (" + strings.Join(own, "; ") + ")"
	}
	var counts []string
	for _, k := range b.kinds {
		counts = append(counts, fmt.Sprintf("%s %s", vn.Int(int64(len(k.units))), strings.ToLower(k.name)))
	}
	paras := []Block{
		text(fmt.Sprintf("%s do %s thực hiện đánh giá %s. %s.", def.Name, def.Organizer, strings.Join(counts, " và "), share)),
		text(fmt.Sprintf("Phiếu thu về: %s; hợp lệ: %s; không hợp lệ: %s; chưa xét: %s. Phiếu dạng ma trận được tính một lần cho mỗi đơn vị mà nó đánh giá. Phiếu không hợp lệ được lưu giữ cùng lý do và không được tính điểm.",
			vn.Int(tot.Forms), vn.Int(tot.Valid), vn.Int(tot.Invalid), vn.Int(tot.Pending))),
		text(fmt.Sprintf("Số liệu trong báo cáo là kết quả của lần tính điểm số %d, ngày %s, theo định nghĩa đợt khảo sát phiên bản %d.",
			run.ID, vn.Date(run.CreatedAt), run.CampaignVersion)),
	}
	return []Section{
		{Heading: "1. Thông tin chung", Level: 1, Blocks: paras},
		{Heading: "2. Phương pháp tính điểm", Level: 1, Blocks: []Block{
			text("Điểm được tính theo phương pháp và các lựa chọn sau của đợt khảo sát:"), bullets(run.Method.Statement)}},
	}
}

// response is part 3: forms per group, then valid forms against quota per unit and group, then
// the warnings.
func (b *builder) response() []Section {
	def, run := b.def, b.run
	out := []Section{{Heading: "3. Tỷ lệ phản hồi", Level: 1, NewPage: true, Blocks: []Block{
		text("Tỷ lệ phản hồi là số phiếu hợp lệ so với chỉ tiêu của từng nhóm đối tượng cho từng đơn vị; nhóm có chỉ tiêu 0 phiếu cho một đơn vị không đánh giá đơn vị đó (“—”)."),
	}}}
	groups := &Table{Columns: []Column{{Title: "Nhóm", Width: 9}, {Title: "Tên nhóm", Width: 31}, {Title: "Trọng số", Width: 10, Right: true},
		{Title: "Chỉ tiêu", Width: 10, Right: true}, {Title: "Thu về", Width: 10, Right: true}, {Title: "Hợp lệ", Width: 10, Right: true},
		{Title: "Không hợp lệ", Width: 11, Right: true}, {Title: "Tỷ lệ (%)", Width: 10, Right: true}}}
	for _, g := range def.Groups {
		weight := "1"
		for _, mg := range run.Method.Groups {
			if mg.Code == g.Code {
				weight = strings.Replace(mg.Weight, ".", ",", 1)
			}
		}
		if g.Imported() {
			groups.Rows = append(groups.Rows, Row{Cells: []string{g.Code, g.Name + " (tỷ lệ nhập từ nguồn ngoài)", weight, "—", "—", "—", "—", "—"}})
			continue
		}
		var quota, forms, valid, invalid int64
		for _, u := range def.UnitsOfKind(g.Evaluates) {
			quota += int64(g.QuotaFor(u.Code))
		}
		for _, x := range run.Tally {
			if x.Group == g.Code {
				forms, valid, invalid = forms+x.Forms, valid+x.Valid, invalid+x.Invalid
			}
		}
		groups.Rows = append(groups.Rows, Row{Cells: []string{g.Code, g.Name, weight, vn.Int(quota), vn.Int(forms), vn.Int(valid), vn.Int(invalid), ratePercent(valid, quota)}})
	}
	out = append(out, Section{Heading: "3.1. Phiếu theo nhóm đối tượng", Level: 2, Blocks: []Block{tableBlock(groups)}})

	for _, k := range b.kinds {
		var gs []campaign.Group
		for _, g := range def.Groups {
			if g.Evaluates == k.code && !g.Imported() {
				gs = append(gs, g)
			}
		}
		if len(gs) == 0 {
			continue
		}
		cols := []Column{{Title: "Đơn vị", Width: 34}}
		w := 66.0 / float64(len(gs)+1)
		for _, g := range gs {
			cols = append(cols, Column{Title: g.Code, Width: w, Right: true})
		}
		cols = append(cols, Column{Title: "Cộng", Width: w, Right: true})
		t := &Table{Columns: cols}
		for _, u := range def.UnitsOfKind(k.code) {
			row := []string{orCode(u.Name, u.Code)}
			var quota, valid int64
			for _, g := range gs {
				q := int64(g.QuotaFor(u.Code))
				x := run.TallyFor(g.Code, u.Code)
				if q == 0 {
					row = append(row, "—")
					continue
				}
				quota, valid = quota+q, valid+min(x.Valid, q)
				row = append(row, fmt.Sprintf("%s/%s (%s%%)", vn.Int(x.Valid), vn.Int(q), ratePercent(x.Valid, q)))
			}
			row = append(row, fmt.Sprintf("%s/%s (%s%%)", vn.Int(valid), vn.Int(quota), ratePercent(valid, quota)))
			t.Rows = append(t.Rows, Row{Cells: row})
		}
		out = append(out, Section{Heading: fmt.Sprintf("3.%d. Tỷ lệ phản hồi: %s", len(out), k.name), Level: 2, Blocks: []Block{tableBlock(t),
			note("Mỗi ô: phiếu hợp lệ/chỉ tiêu (tỷ lệ). Cột “Cộng” tính phiếu vượt chỉ tiêu của một nhóm không bù cho nhóm khác thiếu phiếu.")}})
	}

	warn := &Table{Columns: []Column{{Title: "Đơn vị", Width: 28}, {Title: "Cảnh báo", Width: 16}, {Title: "Nội dung", Width: 56}}}
	for i := range run.Result.Units {
		u := &run.Result.Units[i]
		// A unit's sub-criteria without data make one row, not one each.
		var noData []string
		for _, f := range u.Flags {
			if f.Code == scoring.FlagNoData {
				noData = append(noData, f.Sub)
				continue
			}
			warn.Rows = append(warn.Rows, Row{Cells: []string{b.unitName(u.Unit), f.Code.Label(), f.Message}})
		}
		switch len(noData) {
		case 0:
		case 1:
			warn.Rows = append(warn.Rows, Row{Cells: []string{b.unitName(u.Unit), scoring.FlagNoData.Label(), fmt.Sprintf("Tiêu chí thành phần %s không có dữ liệu: tính 0 điểm", noData[0])}})
		default:
			warn.Rows = append(warn.Rows, Row{Cells: []string{b.unitName(u.Unit), scoring.FlagNoData.Label(),
				fmt.Sprintf("%d tiêu chí thành phần không có dữ liệu, mỗi tiêu chí tính 0 điểm: %s", len(noData), strings.Join(noData, ", "))}})
		}
	}
	sec := Section{Heading: fmt.Sprintf("3.%d. Cảnh báo", len(out)), Level: 2}
	if len(warn.Rows) == 0 {
		sec.Blocks = []Block{text("Không có cảnh báo: mọi nhóm đủ số phiếu hợp lệ tối thiểu và mọi tiêu chí thành phần đều có dữ liệu.")}
	} else {
		sec.Blocks = []Block{text(fmt.Sprintf("Nhóm có ít hơn %d phiếu hợp lệ cho một đơn vị không được tính cho đơn vị đó (thiếu phiếu); tiêu chí thành phần không có dữ liệu được 0 điểm.", run.Method.MinForms)), tableBlock(warn)}
	}
	return append(out, sec)
}

// brief writes a maximum of points without trailing zeros: 4, 3,5, 2,25.
func brief(d campaign.Decimal) string {
	s := strings.TrimRight(strings.TrimRight(vn.Decimal(d.Rat(), 2), "0"), ",")
	return s
}

// ratePercent is n of quota in percent, rounded half up to a whole number; "—" without quota.
func ratePercent(n, quota int64) string {
	if quota <= 0 {
		return "—"
	}
	return vn.Decimal(big.NewRat(100*n, quota), 0)
}

// bandMarks are the band thresholds of a kind as marks on its scale of points.
func (b *builder) bandMarks(kind string) []Mark {
	var marks []Mark
	sp := b.def.SurveyPointsFor(kind).Rat()
	for _, band := range b.def.Bands {
		if band.MinPercent > 0 {
			v, _ := new(big.Rat).Mul(sp, new(big.Rat).Quo(band.MinPercent.Rat(), big.NewRat(100, 1))).Float64()
			marks = append(marks, Mark{Value: v, Label: fmt.Sprintf("%s %s%%", band.Name, vn.Decimal(band.MinPercent.Rat(), 0))})
		}
	}
	return marks
}

func (b *builder) ranking() []Section {
	out := []Section{{Heading: "4. Xếp hạng", Level: 1, NewPage: true, Blocks: []Block{
		text("Đơn vị được xếp hạng trong từng loại đơn vị theo giá trị chính xác của tổng điểm điều tra xã hội học; xếp loại theo tỷ lệ tổng điểm so với điểm tối đa."),
	}}}
	for i, k := range b.kinds {
		var blocks []Block
		if maxPoints, _ := b.def.SurveyPointsFor(k.code).Rat().Float64(); maxPoints > 0 {
			c := &Chart{Title: "Tổng điểm điều tra xã hội học: " + k.name, Max: maxPoints, Marks: b.bandMarks(k.code), Axis: "điểm"}
			for _, u := range k.units {
				v, _ := u.Total.Float64()
				c.Bars = append(c.Bars, Bar{Label: b.unitName(u.Unit), Value: v, Text: scoring.FormatVN(u.Total)})
			}
			blocks = append(blocks, chartBlock(c))
		}
		t := &Table{Columns: []Column{{Title: "Hạng", Width: 9, Right: true}, {Title: "Mã", Width: 12}, {Title: "Đơn vị", Width: 34},
			{Title: "Tổng điểm", Width: 12, Right: true}, {Title: "Tỷ lệ (%)", Width: 11, Right: true}, {Title: "Xếp loại", Width: 12},
			{Title: "Phiếu hợp lệ", Width: 10, Right: true}}}
		for _, u := range k.units {
			var forms int64
			for _, g := range u.Groups {
				forms += g.Forms
			}
			pct := ""
			if u.Percent != nil {
				pct = scoring.FormatVN(u.Percent)
			}
			t.Rows = append(t.Rows, Row{Cells: []string{strconv.Itoa(u.Rank), u.Unit, b.unitName(u.Unit), scoring.FormatVN(u.Total), pct, u.BandName, vn.Int(forms)}})
		}
		blocks = append(blocks, tableBlock(t), note("Đơn vị bằng điểm đồng hạng và hạng kế tiếp bị bỏ qua (1, 2, 2, 4). Điểm làm tròn nửa lên đến 2 chữ số thập phân khi in; xếp hạng theo giá trị chưa làm tròn."))
		var bands []string
		for _, band := range b.def.Bands {
			n := 0
			for _, u := range k.units {
				if u.Band == band.Code {
					n++
				}
			}
			bands = append(bands, fmt.Sprintf("%s (từ %s%%): %d đơn vị", band.Name, vn.Decimal(band.MinPercent.Rat(), 0), n))
		}
		if len(bands) > 0 {
			blocks = append(blocks, text("Xếp loại: "+strings.Join(bands, "; ")+"."))
		}
		out = append(out, Section{Heading: fmt.Sprintf("4.%d. Xếp hạng: %s", i+1, k.name), Level: 2, Blocks: blocks})
	}
	return out
}

// areas is part 5: per kind, the points of each unit per area, then for each area a chart of
// the units, the mean share of each criterion, and the strongest and weakest units.
func (b *builder) areas() []Section {
	out := []Section{{Heading: "5. Kết quả theo lĩnh vực và tiêu chí", Level: 1, NewPage: true}}
	for ki, k := range b.kinds {
		tree := b.def.TreeFor(k.code)
		cols := []Column{{Title: "Đơn vị", Width: 30}}
		for _, a := range tree {
			cols = append(cols, Column{Title: fmt.Sprintf("%s (%s)", a.Code, brief(a.Points)), Width: 9, Right: true})
		}
		cols = append(cols, Column{Title: "Tổng", Width: 10, Right: true})
		t := &Table{Columns: cols}
		for _, u := range k.units {
			row := []string{b.unitName(u.Unit)}
			for _, a := range u.Areas {
				row = append(row, scoring.FormatVN(a.Points))
			}
			t.Rows = append(t.Rows, Row{Cells: append(row, scoring.FormatVN(u.Total))})
		}
		var legend []string
		for _, a := range tree {
			legend = append(legend, fmt.Sprintf("%s: %s (tối đa %s điểm).", a.Code, a.Name, vn.Decimal(a.Points.Rat(), 2)))
		}
		blocks := []Block{tableBlock(t), note("Lĩnh vực " + strings.Join(legend, " "))}
		out = append(out, Section{Heading: fmt.Sprintf("5.%d. Điểm theo lĩnh vực: %s", ki+1, k.name), Level: 2, Blocks: blocks})

		for ai, a := range tree {
			var blocks []Block
			maxA, _ := a.Points.Rat().Float64()
			order := make([]*scoring.UnitResult, len(k.units))
			copy(order, k.units)
			sort.SliceStable(order, func(x, y int) bool { return order[x].Areas[ai].Points.Cmp(order[y].Areas[ai].Points) > 0 })
			if maxA > 0 {
				c := &Chart{Title: fmt.Sprintf("Điểm lĩnh vực %s của từng đơn vị", a.Code), Max: maxA, Axis: "điểm"}
				for _, u := range order {
					v, _ := u.Areas[ai].Points.Float64()
					c.Bars = append(c.Bars, Bar{Label: b.unitName(u.Unit), Value: v, Text: scoring.FormatVN(u.Areas[ai].Points)})
				}
				blocks = append(blocks, chartBlock(c))
			}
			// The criteria: each one's points over all units of the kind as a share of its
			// maximum over them.
			crit := &Chart{Title: fmt.Sprintf("Tỷ lệ điểm đạt được của từng tiêu chí thuộc lĩnh vực %s", a.Code), Max: 100, Axis: "%"}
			for ci, c := range a.Criteria {
				sum, most := new(big.Rat), new(big.Rat)
				for _, u := range k.units {
					sum.Add(sum, u.Areas[ai].Criteria[ci].Points)
					most.Add(most, c.Points.Rat())
				}
				if most.Sign() == 0 {
					continue
				}
				p := new(big.Rat).Mul(new(big.Rat).Quo(sum, most), big.NewRat(100, 1))
				v, _ := p.Float64()
				crit.Bars = append(crit.Bars, Bar{Label: c.Code + " " + c.Name, Value: v, Text: scoring.FormatVN(p) + "%"})
			}
			if len(crit.Bars) > 0 {
				blocks = append(blocks, chartBlock(crit))
			}
			if n := min(extremes, len(order)/2); n > 0 {
				name := func(u *scoring.UnitResult) string {
					return fmt.Sprintf("%s (%s điểm)", b.unitName(u.Unit), scoring.FormatVN(u.Areas[ai].Points))
				}
				var top, bottom []string
				for _, u := range order[:n] {
					top = append(top, name(u))
				}
				for i := len(order) - 1; i >= len(order)-n; i-- {
					bottom = append(bottom, name(order[i]))
				}
				blocks = append(blocks, bullets([]string{"Cao nhất: " + strings.Join(top, "; ") + ".", "Thấp nhất: " + strings.Join(bottom, "; ") + "."}))
			}
			out = append(out, Section{Heading: fmt.Sprintf("5.%d.%d. Lĩnh vực %s: %s", ki+1, ai+1, a.Code, a.Name), Level: 3, Blocks: blocks})
		}
	}
	return out
}

// disagreements is part 6: for each unit, each pair of groups that both counted, their points
// as a share of the maximum over the sub-criteria both have answers for; a gap of
// DisagreeThreshold points or more is listed.
func (b *builder) disagreements() []Section {
	out := []Section{{Heading: "6. Khác biệt giữa các nhóm đối tượng", Level: 1, Blocks: []Block{text(fmt.Sprintf(
		"Với mỗi đơn vị và mỗi cặp nhóm đối tượng cùng được tính điểm, tỷ lệ điểm của từng nhóm được tính trên các tiêu chí thành phần mà cả hai nhóm đều có câu trả lời (điểm theo riêng nhóm đó so với điểm tối đa). Bảng dưới liệt kê các trường hợp hai nhóm chênh nhau từ %d điểm phần trăm trở lên.",
		DisagreeThreshold))}}}
	maxOf := map[string]*big.Rat{}
	threshold := big.NewRat(DisagreeThreshold, 1)
	for ki, k := range b.kinds {
		for _, a := range b.def.TreeFor(k.code) {
			for _, c := range a.Criteria {
				for _, s := range c.Subs {
					maxOf[s.Code] = s.Points.Rat()
				}
			}
		}
		type gap struct {
			unit, a, b string
			pa, pb, d  *big.Rat
		}
		var gaps []gap
		pairs := 0
		for _, u := range k.units {
			for i := range u.Groups {
				for j := i + 1; j < len(u.Groups); j++ {
					ga, gb := &u.Groups[i], &u.Groups[j]
					if !ga.Counted || !gb.Counted {
						continue
					}
					pa, pb, ok := sharedPercent(ga, gb, maxOf)
					if !ok {
						continue
					}
					pairs++
					d := new(big.Rat).Sub(pa, pb)
					if d.Abs(d).Cmp(threshold) >= 0 {
						gaps = append(gaps, gap{u.Unit, ga.Group, gb.Group, pa, pb, d})
					}
				}
			}
		}
		sort.SliceStable(gaps, func(x, y int) bool { return gaps[x].d.Cmp(gaps[y].d) > 0 })
		sec := Section{Heading: fmt.Sprintf("6.%d. %s", ki+1, k.name), Level: 2}
		switch {
		case pairs == 0:
			sec.Blocks = []Block{text("Không có đơn vị nào được hai nhóm đối tượng trở lên cùng đánh giá đủ số phiếu, nên chưa so sánh được giữa các nhóm.")}
		case len(gaps) == 0:
			sec.Blocks = []Block{text(fmt.Sprintf("Trong %s cặp nhóm được so sánh, không có cặp nào chênh nhau từ %d điểm phần trăm trở lên.", vn.Int(int64(pairs)), DisagreeThreshold))}
		default:
			t := &Table{Columns: []Column{{Title: "Đơn vị", Width: 30}, {Title: "Nhóm", Width: 26}, {Title: "Tỷ lệ (%)", Width: 11, Right: true},
				{Title: "Nhóm", Width: 22}, {Title: "Tỷ lệ (%)", Width: 11, Right: true}, {Title: "Chênh lệch", Width: 11, Right: true}}}
			for _, g := range gaps {
				t.Rows = append(t.Rows, Row{Cells: []string{b.unitName(g.unit), g.a + " " + b.groupName(g.a), scoring.FormatVN(g.pa),
					g.b + " " + b.groupName(g.b), scoring.FormatVN(g.pb), scoring.FormatVN(g.d)}})
			}
			sec.Blocks = []Block{text(fmt.Sprintf("%s trong %s cặp nhóm được so sánh chênh nhau từ %d điểm phần trăm trở lên.", vn.Int(int64(len(gaps))), vn.Int(int64(pairs)), DisagreeThreshold)), tableBlock(t)}
		}
		out = append(out, sec)
	}
	return out
}

// sharedPercent is each group's points as a percentage of the maximum over the sub-criteria
// both groups have a mean for; false when they share none.
func sharedPercent(a, b *scoring.GroupScore, maxOf map[string]*big.Rat) (pa, pb *big.Rat, ok bool) {
	bs := map[string]*scoring.GroupSub{}
	for i := range b.Subs {
		if b.Subs[i].Points != nil {
			bs[b.Subs[i].Sub] = &b.Subs[i]
		}
	}
	sa, sb, most := new(big.Rat), new(big.Rat), new(big.Rat)
	for i := range a.Subs {
		s := &a.Subs[i]
		o := bs[s.Sub]
		m := maxOf[s.Sub]
		if s.Points == nil || o == nil || m == nil {
			continue
		}
		sa.Add(sa, s.Points)
		sb.Add(sb, o.Points)
		most.Add(most, m)
	}
	if most.Sign() == 0 {
		return nil, nil, false
	}
	hundred := big.NewRat(100, 1)
	return sa.Mul(sa.Quo(sa, most), hundred), sb.Mul(sb.Quo(sb, most), hundred), true
}

// details is part 7: each unit's criteria tree, in definition order, where a reader looks a
// unit up.
func (b *builder) details() []Section {
	res := b.run.Result
	if len(res.Units) > MaxDetailUnits {
		return []Section{{Heading: "7. Điểm chi tiết từng đơn vị", Level: 1, NewPage: true, Blocks: []Block{text(fmt.Sprintf(
			"Đợt khảo sát có %s đơn vị; điểm từng lĩnh vực, tiêu chí và tiêu chí thành phần của mỗi đơn vị có trong tệp Excel của cùng lần tính điểm.", vn.Int(int64(len(res.Units)))))}}}
	}
	out := []Section{{Heading: "7. Điểm chi tiết từng đơn vị", Level: 1, NewPage: true}}
	for i := range res.Units {
		u := &res.Units[i]
		tree := b.def.TreeFor(u.Kind)
		t := &Table{Columns: []Column{{Title: "Mã", Width: 9}, {Title: "Lĩnh vực / tiêu chí / tiêu chí thành phần", Width: 61},
			{Title: "Tối đa", Width: 10, Right: true}, {Title: "Điểm", Width: 10, Right: true}, {Title: "Tỷ lệ (%)", Width: 10, Right: true}}}
		for ai, a := range u.Areas {
			da := tree[ai]
			t.Rows = append(t.Rows, Row{Bold: true, Shade: true, Cells: []string{a.Code, da.Name, vn.Decimal(a.Max.Rat(), 2), scoring.FormatVN(a.Points), percentOf(a.Points, a.Max.Rat())}})
			for ci, c := range a.Criteria {
				dc := da.Criteria[ci]
				t.Rows = append(t.Rows, Row{Bold: true, Cells: []string{c.Code, dc.Name, vn.Decimal(c.Max.Rat(), 2), scoring.FormatVN(c.Points), percentOf(c.Points, c.Max.Rat())}})
				for si, sc := range c.Subs {
					name := dc.Subs[si].Name
					if sc.NoData {
						name += " (không có dữ liệu)"
					}
					t.Rows = append(t.Rows, Row{Cells: []string{sc.Code, name, vn.Decimal(sc.Max.Rat(), 2), scoring.FormatVN(sc.Points), percentOf(sc.Points, sc.Max.Rat())}})
				}
			}
		}
		head := fmt.Sprintf("7.%d. %s — %s điểm, hạng %d", i+1, b.unitName(u.Unit), scoring.FormatVN(u.Total), u.Rank)
		if u.BandName != "" {
			head += ", xếp loại " + u.BandName
		}
		blocks := []Block{tableBlock(t)}
		var noData []string
		for _, f := range u.Flags {
			if f.Code == scoring.FlagNoData {
				noData = append(noData, f.Sub)
				continue
			}
			blocks = append(blocks, note("Ghi chú: "+f.Message))
		}
		if len(noData) > 0 {
			blocks = append(blocks, note(fmt.Sprintf("Ghi chú: tiêu chí thành phần không có dữ liệu, tính 0 điểm: %s.", strings.Join(noData, ", "))))
		}
		for _, g := range u.Groups {
			if g.NotEvaluating {
				blocks = append(blocks, note(fmt.Sprintf("Ghi chú: %s — %s.", g.Group, scoring.NotEvaluatingLabel)))
			}
		}
		out = append(out, Section{Heading: head, Level: 2, Blocks: blocks})
	}
	return out
}

// percentOf is points over max as a Vietnamese percentage; "" when max is 0.
func percentOf(points, max *big.Rat) string {
	if max.Sign() == 0 {
		return ""
	}
	return scoring.FormatVN(new(big.Rat).Mul(new(big.Rat).Quo(points, max), big.NewRat(100, 1)))
}

// texts is the part of open-ended answers, by unit in definition order.
func (b *builder) texts(n int) []Section {
	out := []Section{{Heading: fmt.Sprintf("%d. Ý kiến, kiến nghị của người trả lời", n), Level: 1, NewPage: true}}
	byUnit := map[string][]TextAnswer{}
	for _, t := range b.in.Texts {
		byUnit[t.Unit] = append(byUnit[t.Unit], t)
	}
	if len(b.in.Texts) == 0 {
		out[0].Blocks = []Block{text("Không có ý kiến nào được ghi ở các câu hỏi mở.")}
		return out
	}
	out[0].Blocks = []Block{text(fmt.Sprintf("Phiếu hợp lệ có %s ý kiến ở các câu hỏi mở, liệt kê theo đơn vị, nguyên văn như người trả lời đã ghi.", vn.Int(int64(len(b.in.Texts)))))}
	if qs := b.textQuestions(); len(qs) > 0 {
		out[0].Blocks = append(out[0].Blocks, bullets(qs))
	}
	k := 0
	for _, u := range b.def.Units {
		answers := byUnit[u.Code]
		if len(answers) == 0 {
			continue
		}
		k++
		t := &Table{Columns: []Column{{Title: "Nhóm", Width: 10}, {Title: "Phiếu, câu", Width: 16}, {Title: "Ý kiến", Width: 74}}}
		for _, a := range answers {
			t.Rows = append(t.Rows, Row{Cells: []string{a.Group, a.Form + ", " + a.Question, a.Body}})
		}
		out = append(out, Section{Heading: fmt.Sprintf("%d.%d. %s", n, k, orCode(u.Name, u.Code)), Level: 2, Blocks: []Block{tableBlock(t)}})
	}
	return out
}

// textQuestions names the open-ended questions the answers reply to: "Phiếu M1, câu C10: …".
func (b *builder) textQuestions() []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range b.in.Texts {
		k := t.Form + "\x00" + t.Question
		if seen[k] {
			continue
		}
		seen[k] = true
		line := fmt.Sprintf("Phiếu %s, câu %s", t.Form, t.Question)
		if q := b.def.Questionnaire(t.Form); q != nil {
			for _, qq := range q.Questions() {
				if qq.Code == t.Question {
					line += ": " + qq.Text
				}
			}
		}
		out = append(out, line)
	}
	sort.Strings(out)
	return out
}

// frequencies is annex 1: one table per question, a row per unit (and per group where several
// answer it), the count and share of each option, don't-know among them, and blanks.
func (b *builder) frequencies() []Section {
	head := Section{Heading: "Phụ lục 1. Bảng tần suất trả lời", Level: 1, NewPage: true}
	if !b.in.HasFrequencies {
		head.Blocks = []Block{text("Bảng tần suất trả lời của từng câu hỏi theo đơn vị và nhóm đối tượng có trong tệp Excel phân tích của đợt khảo sát; bản báo cáo này không kèm theo.")}
		return []Section{head}
	}
	head.Blocks = []Block{text("Mỗi bảng là một câu hỏi: mỗi dòng một đơn vị (và từng nhóm đối tượng khi nhiều nhóm cùng trả lời), số phiếu hợp lệ, số phiếu và tỷ lệ (%) chọn từng phương án, kể cả “không biết”, và số phiếu để trống (gồm phiếu giấy đánh dấu nhiều hơn một ô). Tỷ lệ tính trên số phiếu hợp lệ, làm tròn nửa lên đến một chữ số thập phân.")}
	out := []Section{head}
	var t *Table
	key := ""
	n := 0
	for i := range b.in.Frequencies {
		f := &b.in.Frequencies[i]
		if k := f.Form + "\x00" + f.Question; k != key {
			key = k
			n++
			cols := []Column{{Title: "Đơn vị", Width: 20}, {Title: "Nhóm", Width: 7}, {Title: "Số phiếu", Width: 7, Right: true}}
			w := 66.0 / float64(len(f.Options)+1)
			for oi, o := range f.Options {
				cols = append(cols, Column{Title: fmt.Sprintf("%d. %s", oi+1, o.Label), Width: w, Right: true})
			}
			cols = append(cols, Column{Title: "Để trống", Width: w, Right: true})
			t = &Table{Columns: cols, Compact: true}
			out = append(out, Section{Heading: fmt.Sprintf("PL1.%d. Phiếu %s, câu %s: %s", n, f.Form, f.Question, f.Text), Level: 3, Blocks: []Block{tableBlock(t)}})
		}
		for ri, r := range f.Rows {
			name, group := "", r.Group
			if ri == 0 {
				name = b.unitName(f.Unit)
			}
			if group == "" {
				group = "Chung"
			}
			cells := []string{name, group, vn.Int(r.Forms)}
			for _, c := range r.Counts {
				cells = append(cells, countShare(c, r.Forms))
			}
			cells = append(cells, countShare(r.Blank+r.Multi, r.Forms))
			t.Rows = append(t.Rows, Row{Cells: cells, Bold: r.Group == "" && len(f.Rows) > 1})
		}
	}
	return out
}

// countShare is "12 (40,0)": a count and its share of the forms in percent.
func countShare(n, forms int64) string {
	if forms == 0 {
		return vn.Int(n)
	}
	return fmt.Sprintf("%s (%s)", vn.Int(n), analysis.Percent(n, forms))
}

// technical is the last annex: what identifies the run and its inputs, for checking.
func (b *builder) technical() Section {
	run := b.run
	t := &Table{Columns: []Column{{Title: "Mục", Width: 30}, {Title: "Giá trị", Width: 70}}, Rows: []Row{
		{Cells: []string{"Đợt khảo sát", fmt.Sprintf("%s, định nghĩa phiên bản %d", b.def.Code, run.CampaignVersion)}},
		{Cells: []string{"Lần tính điểm", fmt.Sprintf("Số %d, lúc %s", run.ID, vn.DateTime(run.CreatedAt))}},
		{Cells: []string{"Mã đối chiếu dữ liệu đầu vào", run.InputDigest}},
		{Cells: []string{"Mã đối chiếu kết quả", run.ResultDigest}},
	}}
	return Section{Heading: "Phụ lục 2. Thông tin kỹ thuật", Level: 1, NewPage: !b.in.HasFrequencies, Blocks: []Block{
		tableBlock(t),
		note("Tính lại với cùng dữ liệu đầu vào cho cùng kết quả và cùng mã đối chiếu."),
	}}
}
