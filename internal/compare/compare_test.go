package compare

import (
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/store"
)

// A small province: three communes this year (A, B, C), four the year before (A, B1, B2, C);
// B was made from B1 and B2. Each form answers two questions, one per area.

func d(s string) campaign.Decimal { return campaign.MustDecimal(s) }

func dp(s string) *campaign.Decimal { v := d(s); return &v }

// definition builds a campaign of one kind of unit, one group and one two-question form. area2
// is the second area's points (its criterion and first sub-criterion take them, less extra,
// which goes to a second sub-criterion "2.1.2" when above 0).
func definition(code string, year int, units []string, area2, extra string, minForms int) *campaign.Definition {
	opts := []campaign.Option{{Label: "A", Weight: dp("1")}, {Label: "B", Weight: dp("0.6")}, {Label: "C", Weight: dp("0.2")},
		{Label: "D", Weight: dp("0")}, {Label: "Không biết", DontKnow: true}}
	subs := []campaign.SubCriterion{{Code: "2.1.1", Name: "Văn bản kịp thời", Points: d(area2) - d(extra)}}
	if d(extra) > 0 {
		subs = append(subs, campaign.SubCriterion{Code: "2.1.2", Name: "Văn bản dễ hiểu", Points: d(extra)})
	}
	def := &campaign.Definition{
		Code: code, Name: "Đợt " + code, Year: year, SurveyPoints: d("2") + d(area2),
		Bands:   []campaign.Band{{Code: "A", Name: "Tốt", MinPercent: d("90")}, {Code: "D", Name: "Yếu", MinPercent: 0}},
		Scoring: campaign.Scoring{DontKnow: campaign.MissingExclude, Blank: campaign.MissingExclude, Combine: campaign.CombineGroupWeights, MinForms: minForms},
		Rules:   campaign.Rules{MinAnsweredPercent: d("70")},
		Kinds:   []campaign.Kind{{Code: "xa", Name: "Xã, phường"}},
		Groups:  []campaign.Group{{Code: "G", Name: "Lãnh đạo sở", Evaluates: "xa", Form: "Q", Quota: 2, Weight: dp("1"), Channels: []campaign.Channel{campaign.ChannelOnline}}},
		Areas: []campaign.Area{
			{Code: "1", Name: "Chỉ đạo, điều hành", Points: d("2"), Criteria: []campaign.Criterion{
				{Code: "1.1", Name: "Kế hoạch", Points: d("2"), Subs: []campaign.SubCriterion{{Code: "1.1.1", Name: "Kế hoạch khả thi", Points: d("2")}}}}},
			{Code: "2", Name: "Thể chế", Points: d(area2), Criteria: []campaign.Criterion{
				{Code: "2.1", Name: "Văn bản", Points: d(area2), Subs: subs}}},
		},
		Questionnaires: []campaign.Questionnaire{{Code: "Q", Title: "Phiếu", Shape: campaign.ShapeSingle, Sections: []campaign.Section{{Title: "Câu hỏi",
			Questions: []campaign.Question{{Code: "C1", Text: "Kế hoạch?", Feeds: "1.1.1", Options: opts}, {Code: "C2", Text: "Văn bản?", Feeds: "2.1.1", Options: opts}}}}}},
	}
	for _, u := range units {
		def.Units = append(def.Units, campaign.Unit{Code: u, Kind: "xa", Name: "Xã " + u})
	}
	return def
}

// scored scores def with forms forms per unit, every answer the unit's option pick.
func scored(t *testing.T, def *campaign.Definition, forms int, picks map[string]int) *scoring.Result {
	t.Helper()
	sc, err := scoring.New(def)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range def.Units {
		a := strings.Repeat(string(rune('0'+picks[u.Code])), 2)
		for range forms {
			if err := sc.Add(scoring.Form{Group: "G", Unit: u.Code, Answers: response.Answers(a)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return sc.Result()
}

func sides(t *testing.T) (now, before Side) {
	nd := definition("bt-2026", 2026, []string{"A", "B", "C"}, "1", "0", 1)
	bd := definition("bt-2025", 2025, []string{"A", "B1", "B2", "C"}, "2", "0.5", 2)
	now = Side{CampaignID: 2, Code: nd.Code, Name: nd.Name, Year: 2026, RunID: 7, Def: nd,
		Result: scored(t, nd, 1, map[string]int{"A": 1, "B": 2, "C": 3})}
	before = Side{CampaignID: 1, Code: bd.Code, Name: bd.Name, Year: 2025, RunID: 3, Def: bd,
		Result: scored(t, bd, 2, map[string]int{"A": 2, "B1": 1, "B2": 4, "C": 1})}
	return now, before
}

func r(s string) *big.Rat {
	v, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return v
}

func eq(t *testing.T, what string, got, want *big.Rat) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil || got.Cmp(want) != 0:
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestChangePerUnitAndArea(t *testing.T) {
	now, before := sides(t)
	m := Mapping{Source: "ghep.xlsx", Units: []UnitMap{
		{Unit: "B", From: []Weighted{{Unit: "B1", Weight: r("3")}, {Unit: "B2", Weight: r("1")}}},
		{Unit: "C", NotComparable: true},
	}}
	c := Compare(now, before, m)

	t.Run("a unit with the same code is matched by code and its change is the difference of the two runs", func(t *testing.T) {
		a := c.Unit("A")
		if a.Match != MatchCode || len(a.From) != 1 || a.From[0].Share.Cmp(r("1")) != 0 {
			t.Fatalf("A matched %s from %+v", a.Match, a.From)
		}
		was := before.Result.Unit("A")
		eq(t, "A before", a.Before.Points, was.Total)
		eq(t, "A change", a.Change, new(big.Rat).Sub(now.Result.Unit("A").Total, was.Total))
		// 3 of 3 points now, 2.1 of 4 before: +0.9 points, 100% − 52.5% = +47.5 points of percent.
		eq(t, "A change", a.Change, r("9/10"))
		eq(t, "A percent change", a.PercentChange, r("95/2"))
		if a.RankBefore != was.Rank || a.BandBefore != was.BandName {
			t.Errorf("A rank before %d %q, want %d %q", a.RankBefore, a.BandBefore, was.Rank, was.BandName)
		}
	})
	t.Run("a merged unit draws on its old units by normalised weight", func(t *testing.T) {
		b := c.Unit("B")
		if b.Match != MatchSheet || len(b.From) != 2 {
			t.Fatalf("B matched %s from %+v", b.Match, b.From)
		}
		eq(t, "B1 share", b.From[0].Share, r("3/4"))
		eq(t, "B2 share", b.From[1].Share, r("1/4"))
		b1, b2 := before.Result.Unit("B1").Total, before.Result.Unit("B2").Total
		want := new(big.Rat).Add(new(big.Rat).Mul(r("3/4"), b1), new(big.Rat).Mul(r("1/4"), b2))
		eq(t, "B before", b.Before.Points, want)
		eq(t, "B before", b.Before.Points, r("21/8")) // ¾ × 3.5 + ¼ × 0
		eq(t, "B change", b.Change, new(big.Rat).Sub(now.Result.Unit("B").Total, want))
		eq(t, "B before percent", b.Before.Percent, r("525/8")) // ¾ × 87.5%
		eq(t, "B percent change", b.PercentChange, r("-45/8"))  // 60% − 65.625%
		if b.RankBefore != 0 {
			t.Errorf("B drawn from two units has rank before %d", b.RankBefore)
		}
		if got := Sources(b.From); got != "B1: 75,00%; B2: 25,00%" {
			t.Errorf("sources %q", got)
		}
	})
	t.Run("areas change in points and in percent of each year's maximum", func(t *testing.T) {
		b := c.Unit("B")
		a2 := b.Areas[1]
		if a2.Code != "2" || a2.Before == nil {
			t.Fatalf("area %+v", a2)
		}
		eq(t, "area 2 max before", a2.Before.Max, r("2"))
		eq(t, "area 2 max now", a2.Now.Max, r("1"))
		eq(t, "area 2 before", a2.Before.Points, r("9/8"))            // ¾ × 1.5
		eq(t, "area 2 percent before", a2.Before.Percent, r("225/4")) // ¾ × 75%
		eq(t, "area 2 percent change", a2.PercentChange, r("15/4"))   // 60% − 56.25%
		eq(t, "area 2 change", a2.Change, r("-21/40"))                // 0.6 − 1.125
	})
	t.Run("a unit marked not comparable has no earlier score", func(t *testing.T) {
		u := c.Unit("C")
		if u.Match != MatchNotComparable || u.Comparable() || u.Change != nil || u.Areas[0].Before != nil {
			t.Fatalf("C %+v", u)
		}
	})
	t.Run("an earlier unit nothing draws on is listed", func(t *testing.T) {
		if len(c.Unused) != 1 || c.Unused[0].Code != "C" {
			t.Fatalf("unused %+v", c.Unused)
		}
	})
	t.Run("the kind's mean change is over the comparable units only", func(t *testing.T) {
		k := c.Kinds[0]
		if k.Units != 3 || k.Comparable != 2 {
			t.Fatalf("kind %+v", k)
		}
		eq(t, "mean now", k.Now, r("80"))
		eq(t, "mean before", k.Before, new(big.Rat).Quo(new(big.Rat).Add(r("105/2"), r("525/8")), r("2")))
	})
	t.Run("the tree's changes are listed by code", func(t *testing.T) {
		if len(c.Trees) != 1 || !c.TreeChanged() {
			t.Fatalf("trees %+v", c.Trees)
		}
		tr := c.Trees[0]
		if len(tr.OnlyBefore) != 1 || tr.OnlyBefore[0].Code != "2.1.2" || len(tr.OnlyNow) != 0 {
			t.Errorf("only before %+v, only now %+v", tr.OnlyBefore, tr.OnlyNow)
		}
		changed := map[string]bool{}
		for _, ch := range tr.Changed {
			changed[ch.Code] = ch.PointsDiffer
		}
		if !changed["2"] || !changed["2.1"] || !changed["2.1.1"] || len(changed) != 3 {
			t.Errorf("changed %v", changed)
		}
		notes := strings.Join(tr.Notes, "\n")
		for _, want := range []string{"Mã tiêu chí thành phần 2.1.2 (Văn bản dễ hiểu, 0,5 điểm) chỉ có năm 2025.",
			"Lĩnh vực 2 (Thể chế): điểm tối đa 2 năm 2025, 1 năm 2026."} {
			if !strings.Contains(notes, want) {
				t.Errorf("notes lack %q:\n%s", want, notes)
			}
		}
	})
	t.Run("a method change is noted", func(t *testing.T) {
		all := strings.Join(c.Method, "\n")
		for _, want := range []string{"Số phiếu hợp lệ tối thiểu của một nhóm cho một đơn vị: năm 2025 2; năm 2026 1.",
			"Điểm tối đa phần điều tra xã hội học (Xã, phường): năm 2025 4 điểm; năm 2026 3 điểm."} {
			if !strings.Contains(all, want) {
				t.Errorf("method notes lack %q:\n%s", want, all)
			}
		}
	})
	t.Run("a sub-criterion fed by other questions is noted", func(t *testing.T) {
		other := *before.Def
		other.Questionnaires = []campaign.Questionnaire{before.Def.Questionnaires[0]}
		other.Questionnaires[0].Sections = []campaign.Section{{Title: "Câu hỏi", Questions: slices.Clone(before.Def.Questionnaires[0].Sections[0].Questions)}}
		other.Questionnaires[0].Sections[0].Questions[1].Code = "C2B"
		notes := strings.Join(methodNotes(now.Def, &other, map[string]string{"xa": "xa"}, "2026", "2025"), "\n")
		if !strings.Contains(notes, "Câu hỏi tính điểm của 1 tiêu chí thành phần (Xã, phường) khác giữa năm 2025 và năm 2026: 2.1.1.") {
			t.Errorf("notes:\n%s", notes)
		}
		if strings.Contains(strings.Join(c.Method, "\n"), "Câu hỏi tính điểm") {
			t.Errorf("the same questions were noted as changed: %v", c.Method)
		}
	})
	t.Run("the same campaign against itself has no notes and no change", func(t *testing.T) {
		same := Compare(now, now, Mapping{})
		if len(same.Method) != 0 || same.TreeChanged() || len(same.Unused) != 0 {
			t.Fatalf("method %v trees %+v unused %v", same.Method, same.Trees, same.Unused)
		}
		for _, u := range same.Units {
			if u.Change == nil || u.Change.Sign() != 0 || u.PercentChange.Sign() != 0 {
				t.Errorf("%s changed by %v", u.Unit, u.Change)
			}
		}
	})
}

func TestUnitsWithoutCounterpart(t *testing.T) {
	now, before := sides(t)
	c := Compare(now, before, Mapping{})
	if u := c.Unit("B"); u.Match != MatchNone || u.Comparable() {
		t.Fatalf("B without a sheet: %+v", u)
	}
	if u := c.Unit("C"); u.Match != MatchCode || !u.Comparable() {
		t.Fatalf("C by code: %+v", u)
	}
	if len(c.Unused) != 2 {
		t.Fatalf("unused %+v", c.Unused)
	}
}

func TestMappingSheet(t *testing.T) {
	now, before := sides(t)
	parse := func(csv string) (Mapping, []RowError) {
		return ParseMapping(now.Def, before.Def, "2025", "ghep.csv", []byte(csv))
	}
	t.Run("a good sheet reads weights exactly and keeps the sheet's order", func(t *testing.T) {
		m, errs := parse("Mã đơn vị mới;Tên đơn vị mới (để đối chiếu);Mã đơn vị cũ;Trọng số;Không so sánh\n" +
			"B;Xã B;B1;0,6;\nB;Xã B;B2;40%;\nC;;;;x\nA;;A;;\n")
		if errs != nil {
			t.Fatal(errs)
		}
		if len(m.Units) != 3 || m.Units[0].Unit != "B" || !m.Units[1].NotComparable || m.Units[2].From[0].Weight.Cmp(r("1")) != 0 {
			t.Fatalf("mapping %+v", m)
		}
		eq(t, "B1 weight", m.Units[0].From[0].Weight, r("3/5"))
		eq(t, "B2 weight", m.Units[0].From[1].Weight, r("2/5"))
		back, err := MappingOf(storeLink(m))
		if err != nil || len(back.Units) != 3 || back.Units[0].From[1].Weight.Cmp(r("2/5")) != 0 || !back.Units[1].NotComparable {
			t.Fatalf("read back %+v %v", back, err)
		}
	})
	cases := []struct {
		name, csv string
		want      []string
	}{
		{"an old code the earlier campaign lacks names the row, the code and the year",
			"Mã đơn vị mới,Mã đơn vị cũ,Trọng số\nA,A,1\nB,B1,1\nB,H09,1\n",
			[]string{"Dòng 4: mã đơn vị cũ 'H09' không có trong đợt 2025."}},
		{"a new code this campaign lacks is refused",
			"Mã đơn vị mới,Mã đơn vị cũ\nZ9,A\n", []string{"Dòng 2: mã đơn vị mới 'Z9' không có trong đợt này (bt-2026)."}},
		{"a weight must be a positive number",
			"Mã đơn vị mới,Mã đơn vị cũ,Trọng số\nB,B1,0\nB,B2,abc\nA,A,-1\n",
			[]string{"Dòng 2: trọng số '0' phải lớn hơn 0", "Dòng 3: trọng số 'abc' không phải là số", "Dòng 4: trọng số '-1'"}},
		{"a unit both mapped and marked not comparable is refused",
			"Mã đơn vị mới,Mã đơn vị cũ,Không so sánh\nB,B1,\nB,,x\n",
			[]string{"Dòng 3: đơn vị B đã được ghép với đơn vị cũ ở dòng 2, không thể đánh dấu không so sánh."}},
		{"a missing old code says how to mark a unit not comparable",
			"Mã đơn vị mới,Mã đơn vị cũ\nB,\n", []string{"Dòng 2: thiếu mã đơn vị cũ (nếu đơn vị B không so sánh được với năm trước, để trống mã cũ và ghi x ở cột “Không so sánh”)."}},
		{"a pair given twice is refused",
			"Mã đơn vị mới,Mã đơn vị cũ\nB,B1\nB,B1\n", []string{"Dòng 3: cặp đơn vị mới B – đơn vị cũ B1 đã có ở dòng 2."}},
		{"a header without the code columns is refused",
			"Đơn vị,Trọng số\nB,1\n", []string{"Dòng 1: dòng tiêu đề phải có cột “Mã đơn vị mới” và cột “Mã đơn vị cũ”"}},
		{"a file of another type is refused", "", []string{"Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var m Mapping
			var errs []RowError
			if tc.csv == "" {
				m, errs = ParseMapping(now.Def, before.Def, "2025", "ghep.pdf", []byte("%PDF"))
			} else {
				m, errs = parse(tc.csv)
			}
			if len(m.Units) != 0 {
				t.Errorf("a refused sheet still gave %d units", len(m.Units))
			}
			var all []string
			for _, e := range errs {
				all = append(all, e.Error())
			}
			text := strings.Join(all, "\n")
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("errors lack %q:\n%s", w, text)
				}
			}
		})
	}
}

func storeLink(m Mapping) *store.ComparisonLink {
	return &store.ComparisonLink{Source: m.Source, Mappings: m.Rows()}
}

func TestCommunesComparedWithDistrictsOfAnotherKind(t *testing.T) {
	now, _ := sides(t)
	bd := definition("bt-2024", 2024, []string{"H1", "H2"}, "2", "0.5", 1)
	bd.Kinds[0] = campaign.Kind{Code: "huyen", Name: "Huyện", SurveyPoints: dp("5"), Areas: bd.Areas}
	for i := range bd.Units {
		bd.Units[i].Kind = "huyen"
	}
	bd.Groups[0].Evaluates = "huyen"
	before := Side{CampaignID: 1, Code: bd.Code, Year: 2024, Def: bd, Result: scored(t, bd, 1, map[string]int{"H1": 1, "H2": 3})}
	c := Compare(now, before, Mapping{Units: []UnitMap{
		{Unit: "A", From: []Weighted{{Unit: "H1", Weight: r("1")}}},
		{Unit: "B", From: []Weighted{{Unit: "H1", Weight: r("1")}, {Unit: "H2", Weight: r("1")}}},
	}})
	if len(c.Trees) != 1 || strings.Join(c.Trees[0].BeforeKinds, ",") != "Huyện" || !c.Trees[0].Differs() {
		t.Fatalf("trees %+v", c.Trees)
	}
	// The districts' own survey points (5) are the maximum the year before, not the campaign's (4).
	eq(t, "A before max", c.Unit("A").Before.Max, r("5"))
	eq(t, "A before percent", c.Unit("A").Before.Percent, new(big.Rat).Quo(new(big.Rat).Mul(before.Result.Unit("H1").Total, r("100")), r("5")))
	if !strings.Contains(strings.Join(c.Method, "\n"), "năm 2024 5 điểm; năm 2026 3 điểm") {
		t.Errorf("method notes %v", c.Method)
	}
	if c.Unit("C").Match != MatchNone {
		t.Errorf("C matched %s", c.Unit("C").Match)
	}
}
