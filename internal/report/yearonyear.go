package report

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/parsurvey/parsurvey/internal/compare"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// YearOnYear is what the report says about the year before (issue 14): the comparison of its
// run with the earlier campaign the campaign is linked to, or, when that campaign has no score
// run yet, its code.
type YearOnYear struct {
	Comparison *compare.Comparison
	// NoRun is the earlier campaign's code when it has no score run (Comparison is then nil).
	NoRun string
}

// yearOnYear is the part comparing the run with the earlier campaign: a lead saying what is
// compared with what and whether the method or the tree changed, per kind the mean change, a
// table per unit and the change per area, then the notes of the comparison.
func (b *builder) yearOnYear(n int, y *YearOnYear) []Section {
	head := Section{Heading: fmt.Sprintf("%d. So sánh với năm trước", n), Level: 1, NewPage: true}
	c := y.Comparison
	if c == nil {
		head.Blocks = []Block{text(fmt.Sprintf("Đợt khảo sát này được liên kết với đợt %s để so sánh với năm trước, nhưng đợt %s chưa có lần tính điểm nào nên báo cáo chưa so sánh được.", y.NoRun, y.NoRun))}
		return []Section{head}
	}
	now, before := sideName(c.Now.Label), sideName(c.Before.Label)
	match := "Đơn vị được ghép theo mã đơn vị."
	if c.MappingSource != "" {
		match = fmt.Sprintf("Đơn vị được ghép theo bảng ghép đơn vị %s (đơn vị không có trong bảng được ghép theo mã); điểm năm trước của đơn vị ghép từ nhiều đơn vị cũ là bình quân theo tỷ trọng.", c.MappingSource)
	}
	head.Blocks = []Block{
		text(fmt.Sprintf("Kết quả lần tính điểm số %d (%s) được so sánh với lần tính điểm số %d của đợt %s — %s (%s). %s Thay đổi tỷ lệ là chênh lệch giữa tỷ lệ điểm đạt được so với điểm tối đa của từng năm, tính bằng điểm phần trăm, nên so sánh được cả khi điểm tối đa thay đổi.",
			c.Now.RunID, now, c.Before.RunID, c.Before.Code, c.Before.Name, before, match)),
	}
	notes := fmt.Sprintf("%d.%d", n, len(c.Kinds)+1)
	var changed []string
	if len(c.Method) > 0 {
		changed = append(changed, fmt.Sprintf("phương pháp tính điểm (%d nội dung khác)", len(c.Method)))
	}
	if c.TreeChanged() {
		changed = append(changed, "cây tiêu chí")
	}
	if len(changed) > 0 {
		head.Blocks = append(head.Blocks, text(fmt.Sprintf("Lưu ý: %s của %s khác %s (chi tiết ở mục %s). Vì vậy thay đổi điểm giữa hai năm không hoàn toàn do đánh giá của người trả lời thay đổi.",
			strings.Join(changed, " và "), now, before, notes)))
	} else {
		head.Blocks = append(head.Blocks, text(fmt.Sprintf("Phương pháp tính điểm và cây tiêu chí của %s và %s như nhau.", now, before)))
	}
	out := []Section{head}
	for i, k := range c.Kinds {
		out = append(out, yearOnYearKind(c, k, fmt.Sprintf("%d.%d", n, i+1))...)
	}
	return append(out, Section{Heading: notes + ". Ghi chú về phương pháp và cây tiêu chí", Level: 2, Blocks: yearOnYearNotes(c)})
}

// yearOnYearKind is one kind's sub-part, numbered num: the mean change and the table of units
// in this year's rank order, then the mean change per area and each unit's change per area
// under headings of their own (a heading keeps with its table on the page).
func yearOnYearKind(c *compare.Comparison, k compare.KindSummary, num string) []Section {
	now, before := c.Now.Label, c.Before.Label
	var units []*compare.UnitChange
	for i := range c.Units {
		if c.Units[i].Kind == k.Kind {
			units = append(units, &c.Units[i])
		}
	}
	sort.SliceStable(units, func(x, y int) bool { return units[x].Rank < units[y].Rank })

	var blocks []Block
	if k.Comparable == 0 || k.Change == nil {
		blocks = append(blocks, text(fmt.Sprintf("Không đơn vị nào trong %d đơn vị so sánh được với năm trước.", k.Units)))
	} else {
		up, down := 0, 0
		for _, u := range units {
			switch sign(u.PercentChange) {
			case 1:
				up++
			case -1:
				down++
			}
		}
		blocks = append(blocks, text(fmt.Sprintf("%d trong %d đơn vị so sánh được với năm trước. Tỷ lệ điểm bình quân của các đơn vị này là %s%% (%s) so với %s%% (%s): %s. Tỷ lệ tăng ở %d đơn vị, giảm ở %d đơn vị, không đổi ở %d đơn vị.",
			k.Comparable, k.Units, vn.Decimal(k.Now, 2), sideName(now), vn.Decimal(k.Before, 2), sideName(before), changeWords(k.Change),
			up, down, k.Comparable-up-down)))
	}

	t := &Table{Compact: true, Columns: []Column{{Title: "Hạng " + now, Width: 7, Right: true}, {Title: "Đơn vị", Width: 35},
		{Title: "Điểm " + now, Width: 8, Right: true}, {Title: "Tỷ lệ " + now + " (%)", Width: 8, Right: true},
		{Title: "Điểm " + before, Width: 8, Right: true}, {Title: "Tỷ lệ " + before + " (%)", Width: 8, Right: true},
		{Title: "Thay đổi (điểm)", Width: 9, Right: true}, {Title: "Thay đổi (điểm %)", Width: 9, Right: true},
		{Title: "Hạng " + before, Width: 8, Right: true}}}
	merged := false
	for _, u := range units {
		name := orCode(u.Name, u.Unit)
		row := Row{Cells: []string{strconv.Itoa(u.Rank), name, scoring.FormatVN(u.Now.Points), pct(u.Now.Percent)}}
		if !u.Comparable() {
			row.Cells[1] = name + " — " + u.Match.Label()
			row.Cells = append(row.Cells, "—", "—", "—", "—", "—")
			row.Shade = true
			t.Rows = append(t.Rows, row)
			continue
		}
		if u.Match == compare.MatchSheet {
			row.Cells[1] = name + " (ghép từ " + compare.Sources(u.From) + ")"
			merged = merged || len(u.From) > 1
		}
		rankBefore := "—"
		if u.RankBefore > 0 {
			rankBefore = strconv.Itoa(u.RankBefore)
		}
		row.Cells = append(row.Cells, scoring.FormatVN(u.Before.Points), pct(u.Before.Percent), signed(u.Change), signed(u.PercentChange), rankBefore)
		t.Rows = append(t.Rows, row)
	}
	blocks = append(blocks, tableBlock(t))
	remark := fmt.Sprintf("Thay đổi (điểm %%) là tỷ lệ %s trừ tỷ lệ %s, bằng điểm phần trăm; dấu + là tăng, dấu - là giảm. Điểm và tỷ lệ làm tròn nửa lên đến 2 chữ số thập phân khi in.", sideName(now), sideName(before))
	if merged {
		remark += fmt.Sprintf(" Đơn vị ghép từ nhiều đơn vị cũ lấy điểm, điểm tối đa và tỷ lệ %s là bình quân theo tỷ trọng ghi trong ngoặc, và không có hạng %s.", sideName(before), sideName(before))
	}
	blocks = append(blocks, note(remark))
	out := []Section{{Heading: num + ". " + k.Name, Level: 2, Blocks: blocks}}

	if len(k.Areas) == 0 {
		return out
	}
	at := &Table{Columns: []Column{{Title: "Mã", Width: 8}, {Title: "Lĩnh vực", Width: 44}, {Title: "Số đơn vị so sánh", Width: 12, Right: true},
		{Title: "Tỷ lệ " + before + " (%)", Width: 12, Right: true}, {Title: "Tỷ lệ " + now + " (%)", Width: 12, Right: true}, {Title: "Thay đổi (điểm %)", Width: 12, Right: true}}}
	for _, a := range k.Areas {
		if a.Units == 0 || a.Change == nil {
			at.Rows = append(at.Rows, Row{Cells: []string{a.Code, a.Name + " — không có trong cây tiêu chí " + sideName(before), "0", "—", "—", "—"}, Shade: true})
			continue
		}
		at.Rows = append(at.Rows, Row{Cells: []string{a.Code, a.Name, strconv.Itoa(a.Units), pct(a.Before), pct(a.Now), signed(a.Change)}})
	}
	// No paragraph between a heading and its table, which keeps the table with the heading.
	out = append(out, Section{Heading: num + ".1. Tỷ lệ điểm bình quân theo lĩnh vực của các đơn vị so sánh được", Level: 3, Blocks: []Block{tableBlock(at)}})

	if k.Comparable == 0 {
		return out
	}
	cols := []Column{{Title: "Đơn vị", Width: 34}}
	w := 66.0 / float64(len(k.Areas))
	for _, a := range k.Areas {
		cols = append(cols, Column{Title: a.Code, Width: w, Right: true})
	}
	ut := &Table{Columns: cols, Compact: true}
	for _, u := range units {
		if !u.Comparable() {
			continue
		}
		byCode := map[string]*compare.AreaChange{}
		for i := range u.Areas {
			byCode[u.Areas[i].Code] = &u.Areas[i]
		}
		row := []string{orCode(u.Name, u.Unit)}
		for _, a := range k.Areas {
			if ac := byCode[a.Code]; ac != nil && ac.PercentChange != nil {
				row = append(row, signed(ac.PercentChange))
			} else {
				row = append(row, "—")
			}
		}
		ut.Rows = append(ut.Rows, Row{Cells: row})
	}
	var legend []string
	for _, a := range k.Areas {
		legend = append(legend, a.Code+": "+a.Name+".")
	}
	return append(out, Section{Heading: num + ".2. Thay đổi tỷ lệ điểm của từng đơn vị theo lĩnh vực (điểm %)", Level: 3, Blocks: []Block{tableBlock(ut),
		note("Lĩnh vực " + strings.Join(legend, " ") + " “—”: lĩnh vực không có trong cây tiêu chí " + sideName(before) + ".")}})
}

// yearOnYearNotes states plainly every change of method and of the criteria trees, and the
// earlier units nothing draws on.
func yearOnYearNotes(c *compare.Comparison) []Block {
	now, before := sideName(c.Now.Label), sideName(c.Before.Label)
	var blocks []Block
	if len(c.Method) > 0 {
		blocks = append(blocks, text(fmt.Sprintf("Phương pháp tính điểm của %s khác %s ở %d nội dung sau; điểm của hai năm được tính theo phương pháp của từng năm:", now, before, len(c.Method))),
			bullets(c.Method))
	} else {
		blocks = append(blocks, text("Phương pháp tính điểm và quy tắc phiếu hợp lệ của hai năm như nhau."))
	}
	for _, t := range c.Trees {
		// Kind names hold commas ("Huyện, thị xã, thành phố"): semicolons keep them apart.
		kinds := strings.Join(t.Kinds, "; ")
		if len(t.BeforeKinds) > 0 {
			kinds += "; so với " + strings.Join(t.BeforeKinds, "; ") + " " + before
		}
		if !t.Differs() {
			blocks = append(blocks, text(fmt.Sprintf("Cây tiêu chí (%s) như nhau giữa hai năm: %d mục ghép theo mã.", kinds, t.Matched)))
			continue
		}
		blocks = append(blocks, text(fmt.Sprintf("Cây tiêu chí (%s) thay đổi: %d mục ghép theo mã; %d mục chỉ có %s; %d mục chỉ có %s; %d mục đổi điểm tối đa hoặc vị trí. Lĩnh vực đổi điểm tối đa được so sánh theo tỷ lệ; lĩnh vực chỉ có một năm không được so sánh.",
			kinds, t.Matched, len(t.OnlyNow), now, len(t.OnlyBefore), before, len(t.Changed))), bullets(t.Notes))
	}
	if len(c.Unused) > 0 {
		var names []string
		for _, u := range c.Unused {
			names = append(names, fmt.Sprintf("%s (%s)", orCode(u.Name, u.Code), u.Code))
		}
		blocks = append(blocks, text(fmt.Sprintf("Đơn vị %s không được ghép với đơn vị nào %s: %s.", before, now, strings.Join(names, "; "))))
	}
	return blocks
}

// sideName names a side of the comparison in a sentence: "năm 2025", or "đợt thu-2026" when
// both campaigns are of the same year and the label is a campaign code.
func sideName(label string) string {
	if _, err := strconv.Atoi(label); err == nil {
		return "năm " + label
	}
	return "đợt " + label
}

// sign is the sign of a change as printed (rounded half up to 2 decimals): 0 when it prints
// as 0,00.
func sign(r *big.Rat) int {
	if r == nil || strings.Trim(vn.RoundHalfUp(r, 2), "-0.") == "" {
		return 0
	}
	return r.Sign()
}

// signed writes a change with its sign: "+1,25", "-0,50", "0,00"; "—" for none.
func signed(r *big.Rat) string {
	if r == nil {
		return "—"
	}
	s := vn.Decimal(r, 2)
	if sign(r) > 0 {
		s = "+" + s
	}
	return s
}

// changeWords says a change of percentage points in words: "tăng 2,50 điểm %".
func changeWords(r *big.Rat) string {
	switch sign(r) {
	case 1:
		return "tăng " + vn.Decimal(r, 2) + " điểm %"
	case -1:
		return "giảm " + vn.Decimal(new(big.Rat).Neg(r), 2) + " điểm %"
	}
	return "không đổi"
}

// pct is a percentage (already × 100) with 2 decimals; "—" for none.
func pct(r *big.Rat) string {
	if r == nil {
		return "—"
	}
	return vn.Decimal(r, 2)
}
