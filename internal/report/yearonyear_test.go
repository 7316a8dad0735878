package report

import (
	"math/big"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/compare"
	"github.com/parsurvey/parsurvey/internal/scoring"
)

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

// earlierUnit is a unit's result on the earlier tree: area 1 of 8 points and area 2 of 2.
func earlierUnit(code string, rank int, area1, area2 string) scoring.UnitResult {
	a1, a2 := rat(area1), rat(area2)
	return scoring.UnitResult{Unit: code, Kind: "xa", Rank: rank, Total: new(big.Rat).Add(a1, a2),
		Areas: []scoring.AreaScore{{Code: "1", Max: dec("8"), Points: a1}, {Code: "2", Max: dec("2"), Points: a2}}}
}

// sampleComparison sets sampleRun beside an earlier year in which Xã Một was two communes
// (X1A and X1B, mapped 3 to 1), Xã Hai had the same code, Xã Ba is marked not comparable and
// X4 is drawn on by nothing; the earlier tree gave area 1 eight points and had an area 2, and
// counted don't-know answers as 0.
func sampleComparison() *compare.Comparison {
	run := sampleRun()
	now := compare.Side{CampaignID: 2, Code: run.Def.Code, Name: run.Def.Name, Year: 2026, RunID: run.ID, Def: run.Def, Result: run.Result}
	bd := *run.Def
	bd.Code, bd.Name = "thu-2025", "Khảo sát thử năm 2025"
	bd.Scoring.DontKnow = campaign.MissingZero
	bd.Units = []campaign.Unit{{Code: "X1A", Kind: "xa", Name: "Xã Một A"}, {Code: "X1B", Kind: "xa", Name: "Xã Một B"},
		{Code: "X2", Kind: "xa", Name: "Xã Hai"}, {Code: "X4", Kind: "xa", Name: "Xã Bốn"}}
	bd.Areas = []campaign.Area{
		{Code: "1", Name: "Công tác chỉ đạo", Points: dec("8"), Criteria: []campaign.Criterion{{Code: "1.1", Name: "Kế hoạch", Points: dec("8"),
			Subs: []campaign.SubCriterion{{Code: "1.1.1", Name: "Ban hành kế hoạch", Points: dec("8")}}}}},
		{Code: "2", Name: "Tuyên truyền", Points: dec("2"), Criteria: []campaign.Criterion{{Code: "2.1", Name: "Tuyên truyền", Points: dec("2"),
			Subs: []campaign.SubCriterion{{Code: "2.1.1", Name: "Kế hoạch tuyên truyền", Points: dec("2")}}}}},
	}
	res := &scoring.Result{Units: []scoring.UnitResult{earlierUnit("X2", 1, "7.5", "1.5"), earlierUnit("X1A", 2, "7", "1"),
		earlierUnit("X1B", 3, "3", "1"), earlierUnit("X4", 4, "2", "0")}}
	before := compare.Side{CampaignID: 1, Code: bd.Code, Name: bd.Name, Year: 2025, RunID: 7, Def: &bd, Result: res}
	m := compare.Mapping{Source: "ghep.xlsx", Units: []compare.UnitMap{
		{Unit: "X1", Row: 2, From: []compare.Weighted{{Unit: "X1A", Weight: big.NewRat(3, 1), Row: 2}, {Unit: "X1B", Weight: big.NewRat(1, 1), Row: 3}}},
		{Unit: "X3", Row: 4, NotComparable: true}}}
	return compare.Compare(now, before, m)
}

func TestYearOnYear(t *testing.T) {
	run := sampleRun()
	d := Build(Input{Run: run, HasTexts: true, YearOnYear: &YearOnYear{Comparison: sampleComparison()}})
	part := section(t, d.Sections, "9. So sánh với năm trước")
	units := section(t, d.Sections, "9.1. Xã, phường")
	notes := section(t, d.Sections, "9.2. Ghi chú về phương pháp và cây tiêu chí")

	t.Run("the part follows the open-ended answers and names both runs and the mapping", func(t *testing.T) {
		s := all([]Section{part})
		for _, want := range []string{"lần tính điểm số 4 (năm 2026)", "lần tính điểm số 7 của đợt thu-2025 — Khảo sát thử năm 2025 (năm 2025)", "bảng ghép đơn vị ghep.xlsx"} {
			if !strings.Contains(s, want) {
				t.Errorf("lead lacks %q:\n%s", want, s)
			}
		}
		if !strings.Contains(s, "Lưu ý: phương pháp tính điểm (1 nội dung khác) và cây tiêu chí của năm 2026 khác năm 2025 (chi tiết ở mục 9.2)") {
			t.Errorf("the lead does not say the method and the tree changed:\n%s", s)
		}
	})
	t.Run("the kind's mean change is over the comparable units only", func(t *testing.T) {
		// Xã Một 90% against 0,75·80% + 0,25·40% = 70%; Xã Hai 80% against 90%: means 85% and 80%.
		s := all([]Section{units})
		if !strings.Contains(s, "2 trong 3 đơn vị so sánh được với năm trước. Tỷ lệ điểm bình quân của các đơn vị này là 85,00% (năm 2026) so với 80,00% (năm 2025): tăng 5,00 điểm %. Tỷ lệ tăng ở 1 đơn vị, giảm ở 1 đơn vị, không đổi ở 0 đơn vị.") {
			t.Errorf("summary:\n%s", s)
		}
	})
	t.Run("each unit has this year's and last year's points, percent, change and rank; merged units show their shares", func(t *testing.T) {
		tab := units.Blocks[1].Table
		if tab == nil || len(tab.Rows) != 3 || tab.Columns[2].Title != "Điểm 2026" || tab.Columns[8].Title != "Hạng 2025" {
			t.Fatalf("table %+v", tab)
		}
		want := [][]string{
			{"1", "Xã Một (ghép từ X1A: 75,00%; X1B: 25,00%)", "9,00", "90,00", "7,00", "70,00", "+2,00", "+20,00", "—"},
			{"2", "Xã Hai", "8,00", "80,00", "9,00", "90,00", "-1,00", "-10,00", "1"},
			{"3", "Xã Ba — không so sánh được (theo bảng ghép đơn vị)", "5,00", "50,00", "—", "—", "—", "—", "—"},
		}
		for i, w := range want {
			if got := strings.Join(tab.Rows[i].Cells, " | "); got != strings.Join(w, " | ") {
				t.Errorf("row %d:\n got %s\nwant %s", i, got, strings.Join(w, " | "))
			}
		}
		if !tab.Rows[2].Shade {
			t.Error("the unit that does not compare is not set apart")
		}
		if s := all([]Section{units}); !strings.Contains(s, "không có hạng năm 2025") {
			t.Errorf("no word on the merged unit's rank:\n%s", s)
		}
	})
	t.Run("areas compare by percentage, the mean over the kind and each unit's change, under headings of their own", func(t *testing.T) {
		s := all([]Section{section(t, d.Sections, "9.1.1. Tỷ lệ điểm bình quân theo lĩnh vực"), section(t, d.Sections, "9.1.2. Thay đổi tỷ lệ điểm của từng đơn vị theo lĩnh vực")})
		// Area 1: Xã Một 90% against 0,75·87,5% + 0,25·37,5% = 75%; Xã Hai 80% against 93,75%:
		// means 85% against 84,375%.
		for _, want := range []string{"1 | Công tác chỉ đạo | 2 | 84,38 | 85,00 | +0,63", "Xã Một | +15,00", "Xã Hai | -13,75"} {
			if !strings.Contains(s, want) {
				t.Errorf("areas lack %q:\n%s", want, s)
			}
		}
	})
	t.Run("the notes state the method's and the tree's changes and the unused earlier units", func(t *testing.T) {
		s := all([]Section{notes})
		for _, want := range []string{"Phương pháp tính điểm của năm 2026 khác năm 2025 ở 1 nội dung sau", "Câu trả lời “không biết”: năm 2025 tính là 0 điểm",
			"Cây tiêu chí (Xã, phường) thay đổi:", "chỉ có năm 2025", "điểm tối đa 8 năm 2025, 10 năm 2026", "Đơn vị năm 2025 không được ghép với đơn vị nào năm 2026: Xã Bốn (X4)."} {
			if !strings.Contains(s, want) {
				t.Errorf("notes lack %q:\n%s", want, s)
			}
		}
	})
	t.Run("without texts the part takes number 8", func(t *testing.T) {
		d := Build(Input{Run: run, YearOnYear: &YearOnYear{Comparison: sampleComparison()}})
		section(t, d.Sections, "8. So sánh với năm trước")
		section(t, d.Sections, "8.2. Ghi chú")
	})
	t.Run("when the earlier campaign has no run, one sentence says so", func(t *testing.T) {
		d := Build(Input{Run: run, YearOnYear: &YearOnYear{NoRun: "thu-2025"}})
		s := section(t, d.Sections, "8. So sánh với năm trước")
		if len(s.Blocks) != 1 || !strings.Contains(s.Blocks[0].Text, "đợt thu-2025 chưa có lần tính điểm nào") {
			t.Errorf("part %+v", s)
		}
		if strings.Contains(all(d.Sections), "8.1.") {
			t.Error("sub-parts without a comparison")
		}
	})
	t.Run("an area the earlier tree lacks is marked, not compared", func(t *testing.T) {
		r := sampleRun()
		bd := *r.Def
		bd.Code = "thu-2025"
		bd.Areas = []campaign.Area{{Code: "2", Name: "Tuyên truyền", Points: dec("10"), Criteria: []campaign.Criterion{{Code: "2.1", Name: "Tuyên truyền", Points: dec("10"),
			Subs: []campaign.SubCriterion{{Code: "2.1.1", Name: "Kế hoạch tuyên truyền", Points: dec("10")}}}}}}
		res := &scoring.Result{}
		for _, u := range []string{"X1", "X2", "X3"} {
			res.Units = append(res.Units, scoring.UnitResult{Unit: u, Kind: "xa", Rank: 1, Total: big.NewRat(6, 1),
				Areas: []scoring.AreaScore{{Code: "2", Max: dec("10"), Points: big.NewRat(6, 1)}}})
		}
		c := compare.Compare(compare.Side{Code: r.Def.Code, Year: 2026, RunID: r.ID, Def: r.Def, Result: r.Result},
			compare.Side{Code: bd.Code, Year: 2025, RunID: 1, Def: &bd, Result: res}, compare.Mapping{})
		d := Build(Input{Run: r, YearOnYear: &YearOnYear{Comparison: c}})
		s := all([]Section{section(t, d.Sections, "8.1.1."), section(t, d.Sections, "8.1.2.")})
		for _, want := range []string{"1 | Công tác chỉ đạo — không có trong cây tiêu chí năm 2025 | 0 | — | — | —", "Xã Một | —", "Xã Ba | —"} {
			if !strings.Contains(s, want) {
				t.Errorf("lacks %q:\n%s", want, s)
			}
		}
	})
	t.Run("with the same method and tree the lead says so and no change is announced", func(t *testing.T) {
		r := sampleRun()
		bd := *r.Def
		bd.Code = "thu-2025"
		before := compare.Side{Code: bd.Code, Name: "Năm trước", Year: 2025, RunID: 1, Def: &bd, Result: sampleRun().Result}
		c := compare.Compare(compare.Side{Code: r.Def.Code, Year: 2026, RunID: r.ID, Def: r.Def, Result: r.Result}, before, compare.Mapping{})
		s := all(Build(Input{Run: r, YearOnYear: &YearOnYear{Comparison: c}}).Sections)
		for _, want := range []string{"Phương pháp tính điểm và cây tiêu chí của năm 2026 và năm 2025 như nhau.", "Đơn vị được ghép theo mã đơn vị.",
			"3 trong 3 đơn vị", "không đổi ở 3 đơn vị", "Xã Một | 9,00 | 90,00 | 9,00 | 90,00 | 0,00 | 0,00 | 1"} {
			if !strings.Contains(s, want) {
				t.Errorf("lacks %q:\n%s", want, s)
			}
		}
		if strings.Contains(s, "Lưu ý:") {
			t.Error("a change is announced")
		}
	})
}
