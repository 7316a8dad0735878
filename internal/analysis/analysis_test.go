package analysis

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scorerun/scoretest"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

func dec(s string) *campaign.Decimal { d := campaign.MustDecimal(s); return &d }

// fixture is a small campaign: three communes, a single-unit form P1 (group G1) with two scored
// questions, an unscored one and an open-ended one, and a matrix form M1 (group G2) over every
// commune; both ask the respondent's sex.
func fixture() *campaign.Definition {
	scale := []campaign.Option{{Label: "Tốt", Weight: dec("1")}, {Label: "Khá", Weight: dec("0.6")}, {Label: "Kém", Weight: dec("0")},
		{Label: "Không biết", DontKnow: true}}
	sex := campaign.Field{Key: "gioi_tinh", Label: "Giới tính", Options: []string{"Nam", "Nữ"}}
	d := &campaign.Definition{Code: "t", Name: "Thử", SurveyPoints: campaign.MustDecimal("10"),
		Scoring: campaign.Scoring{DontKnow: campaign.MissingExclude, Blank: campaign.MissingExclude, Combine: campaign.CombineGroupWeights, MinForms: 1},
		Kinds:   []campaign.Kind{{Code: "xa", Name: "Xã"}},
		Units:   []campaign.Unit{{Code: "X1", Kind: "xa", Name: "Xã Một"}, {Code: "X2", Kind: "xa", Name: "Xã Hai"}, {Code: "X3", Kind: "xa", Name: "Xã Ba"}},
		Areas: []campaign.Area{{Code: "1", Name: "Lĩnh vực một", Points: campaign.MustDecimal("10"), Criteria: []campaign.Criterion{{Code: "1.1", Name: "Tiêu chí", Points: campaign.MustDecimal("10"),
			Subs: []campaign.SubCriterion{{Code: "1.1.1", Name: "Thành phần một", Points: campaign.MustDecimal("6")}, {Code: "1.1.2", Name: "Thành phần hai", Points: campaign.MustDecimal("4")}}}}}},
		Questionnaires: []campaign.Questionnaire{
			{Code: "P1", Title: "Phiếu một", Shape: campaign.ShapeSingle, Fields: []campaign.Field{sex}, Sections: []campaign.Section{{Title: "I", Questions: []campaign.Question{
				{Code: "C1", Text: "Câu một", Feeds: "1.1.1", Options: scale},
				{Code: "C2", Text: "Câu hai", Feeds: "1.1.2", Options: scale},
				{Code: "C3", Text: "Câu không tính điểm", Options: scale[:3]},
			}}}},
			{Code: "M1", Title: "Phiếu ma trận", Shape: campaign.ShapeMatrix, Fields: []campaign.Field{sex}, Sections: []campaign.Section{{Title: "I", Questions: []campaign.Question{
				{Code: "C1", Text: "Câu một", Feeds: "1.1.1", Options: scale},
				{Code: "C2", Text: "Câu hai", Feeds: "1.1.2", Options: scale},
			}}}},
		},
		Groups: []campaign.Group{
			{Code: "G1", Name: "Nhóm một", Evaluates: "xa", Form: "P1", Quota: 10, Weight: dec("1"), Channels: []campaign.Channel{campaign.ChannelOnline}},
			{Code: "G2", Name: "Nhóm hai", Evaluates: "xa", Form: "M1", Quota: 10, Weight: dec("1"), Channels: []campaign.Channel{campaign.ChannelOnline}},
		},
	}
	return d
}

func person(sex string) map[string]string { return map[string]string{"gioi_tinh": sex} }

func TestFrequenciesCountEachOptionDontKnowBlankAndMultiOfValidFormsOnly(t *testing.T) {
	def := fixture()
	data := &Data{}
	add := func(id int64, group, unit, answers string, valid bool) {
		data.Add(Form{Response: id, Group: group, Unit: unit, Judged: true, Valid: valid, Answers: response.Answers(answers)}, person("Nam"))
	}
	add(1, "G1", "X1", "110", true)
	add(2, "G1", "X1", "240", true)
	add(3, "G1", "X1", "4*1", true)
	add(4, "G1", "X1", "111", false) // invalid: not counted
	add(5, "G2", "X1", "12", true)   // a matrix form: X1 and X2
	add(5, "G2", "X2", "33", true)
	data.Add(Form{Response: 6, Group: "G1", Unit: "X2", Answers: "111"}, nil) // not judged yet
	tables := Frequencies(def, data)

	find := func(form, q, unit string) *FrequencyTable {
		for i := range tables {
			if tables[i].Form == form && tables[i].Question == q && tables[i].Unit == unit {
				return &tables[i]
			}
		}
		return nil
	}
	t.Run("an option's count is the valid forms that chose it", func(t *testing.T) {
		c1 := find("P1", "C1", "X1")
		if c1 == nil || len(c1.Rows) != 1 {
			t.Fatalf("table P1 C1 X1: %+v", c1)
		}
		r := c1.Rows[0]
		if r.Group != "G1" || r.Forms != 3 || fmt.Sprint(r.Counts) != "[1 1 0 1]" || r.Blank != 0 || r.Multi != 0 {
			t.Errorf("row %+v", r)
		}
		if got := r.Percent(1); got != "33,3" {
			t.Errorf("1 of 3 is %q, want 33,3", got)
		}
	})
	t.Run("blank and multi-marked answers have their own counts", func(t *testing.T) {
		r := find("P1", "C2", "X1").Rows[0]
		if fmt.Sprint(r.Counts) != "[1 0 0 1]" || r.Blank != 0 || r.Multi != 1 {
			t.Errorf("C2: %+v", r)
		}
		r = find("P1", "C3", "X1").Rows[0]
		if fmt.Sprint(r.Counts) != "[1 0 0]" || r.Blank != 2 {
			t.Errorf("C3: %+v", r)
		}
	})
	t.Run("a matrix form counts once for each unit it covers", func(t *testing.T) {
		for _, unit := range []string{"X1", "X2"} {
			tb := find("M1", "C1", unit)
			if tb == nil || tb.Rows[0].Forms != 1 {
				t.Errorf("M1 C1 %s: %+v", unit, tb)
			}
		}
	})
	t.Run("a unit with no valid form has no table", func(t *testing.T) {
		if tb := find("P1", "C1", "X2"); tb != nil {
			t.Errorf("X2 has only a form awaiting its verdict, yet a table: %+v", tb)
		}
		if tb := find("P1", "C1", "X3"); tb != nil {
			t.Errorf("X3 has no form, yet a table: %+v", tb)
		}
	})
}

func TestPercentRoundsHalfUp(t *testing.T) {
	for _, c := range []struct {
		n, of int64
		want  string
	}{{1, 8, "12,5"}, {1, 16, "6,3"}, {1, 3, "33,3"}, {2, 3, "66,7"}, {0, 5, "0,0"}, {1, 0, ""}, {1, 1, "100,0"}} {
		if got := Percent(c.n, c.of); got != c.want {
			t.Errorf("Percent(%d, %d) = %q, want %q", c.n, c.of, got, c.want)
		}
	}
}

func TestCrossTabsGiveTheMeanRatingPerValueAndSuppressSmallColumns(t *testing.T) {
	def := fixture()
	data := &Data{}
	// Six men answer C1 "Tốt" (1) and C2 "Kém" (0); four women answer C1 "Khá" (0.6), C2 don't know.
	for i := range 6 {
		data.Add(Form{Response: int64(i + 1), Group: "G1", Unit: "X1", Judged: true, Valid: true, Answers: "131"}, person("Nam"))
	}
	for i := range 4 {
		data.Add(Form{Response: int64(i + 10), Group: "G1", Unit: "X2", Judged: true, Valid: true, Answers: "241"}, person("Nữ"))
	}
	// One matrix respondent covering three units: three forms but one person.
	for _, u := range []string{"X1", "X2", "X3"} {
		data.Add(Form{Response: 99, Group: "G2", Unit: u, Judged: true, Valid: true, Answers: "11"}, person("Nữ"))
	}
	tabs := CrossTabs(def, data)
	if len(tabs) != 1 || tabs[0].Field != "gioi_tinh" {
		t.Fatalf("cross-tabs: %+v", tabs)
	}
	ct := tabs[0]
	t.Run("each value's respondents are people, a matrix form once", func(t *testing.T) {
		if ct.Values[0].Label != "Nam" || ct.Values[0].Respondents != 6 || ct.Values[0].Suppressed {
			t.Errorf("men: %+v", ct.Values[0])
		}
		if ct.Values[1].Label != "Nữ" || ct.Values[1].Respondents != 5 || ct.Values[1].Forms != 7 || ct.Values[1].Suppressed {
			t.Errorf("women: %+v", ct.Values[1])
		}
	})
	t.Run("the means follow the option weights", func(t *testing.T) {
		// Women: C1 is 0.6 on four forms and 1 on the three matrix forms, (4×0.6 + 3×1)/7 = 27/35;
		// C2 is don't-know (left out) on four and 1 on three. The area weighs 1.1.1 by 6 points
		// and 1.1.2 by 4: men (6×1 + 4×0)/10 = 3/5, women (6×27/35 + 4×1)/10 = 151/175.
		want := map[string][2]string{"1": {"3/5", "151/175"}, "1.1.1": {"1", "27/35"}, "1.1.2": {"0", "1"}}
		for _, r := range ct.Rows {
			w, ok := want[r.Code]
			if !ok {
				t.Fatalf("unexpected row %s", r.Code)
			}
			for v := range 2 {
				if r.Means[v] == nil || r.Means[v].RatString() != w[v] {
					t.Errorf("%s, %s: %v, want %s", r.Code, ct.Values[v].Label, r.Means[v], w[v])
				}
			}
		}
	})
	t.Run("a value with fewer than five respondents shows no figure", func(t *testing.T) {
		small := &Data{}
		for i := range 4 {
			small.Add(Form{Response: int64(i + 1), Group: "G1", Unit: "X1", Judged: true, Valid: true, Answers: "111"}, person("Nam"))
		}
		ct := CrossTabs(def, small)[0]
		if !ct.Values[0].Suppressed {
			t.Fatalf("4 men not suppressed: %+v", ct.Values[0])
		}
		for _, r := range ct.Rows {
			if r.Means[0] != nil {
				t.Errorf("%s shows %v for 4 men", r.Code, r.Means[0])
			}
		}
	})
}

func TestBootstrapIsReproducibleAndBracketsTheTotal(t *testing.T) {
	def := fixture()
	data := &Data{}
	id := int64(0)
	// X1 answers vary, X2 always "Tốt", X3 mostly "Kém".
	picks := map[string]string{"X1": "1234", "X2": "1", "X3": "3331"}
	for _, u := range []string{"X1", "X2", "X3"} {
		for i := range 12 {
			id++
			p := picks[u][i%len(picks[u])]
			data.Add(Form{Response: id, Group: "G1", Unit: u, Judged: true, Valid: true, Answers: response.Answers([]byte{p, p, '1'})}, nil)
		}
	}
	p, err := Bootstrap(context.Background(), def, data, 200, Seed)
	if err != nil {
		t.Fatal(err)
	}
	res, err := scoring.Score(def, forms(data), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the totals are scoring's", func(t *testing.T) {
		for _, u := range p.Units {
			if want := res.Unit(u.Unit); u.Total.Cmp(want.Total) != 0 || u.Rank != want.Rank || u.Forms != 12 {
				t.Errorf("%s: total %v rank %d forms %d, scoring says %v rank %d", u.Unit, u.Total, u.Rank, u.Forms, want.Total, want.Rank)
			}
		}
	})
	t.Run("each interval contains the total, and a unit whose forms all agree has none", func(t *testing.T) {
		for _, u := range p.Units {
			if u.Low.Cmp(u.Total) > 0 || u.High.Cmp(u.Total) < 0 {
				t.Errorf("%s: total %v outside [%v, %v]", u.Unit, u.Total, u.Low, u.High)
			}
		}
		x2 := p.Units[1]
		if x2.Low.Cmp(x2.Total) != 0 || x2.High.Cmp(x2.Total) != 0 || x2.Total.RatString() != "10" || x2.RankLow != 1 || x2.RankHigh != 1 {
			t.Errorf("X2 always answers Tốt: %+v", x2)
		}
		if x1 := p.Units[0]; new(big.Rat).Sub(x1.High, x1.Low).Cmp(big.NewRat(1, 2)) < 0 {
			t.Errorf("X1's answers vary, yet its interval is [%v, %v]", x1.Low, x1.High)
		}
	})
	t.Run("the same seed gives the same intervals, another seed others", func(t *testing.T) {
		again, err := Bootstrap(context.Background(), def, data, 200, Seed)
		if err != nil {
			t.Fatal(err)
		}
		other, err := Bootstrap(context.Background(), def, data, 200, Seed+1)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(again.Units) != fmt.Sprint(p.Units) {
			t.Errorf("same seed, different intervals:\n%v\n%v", again.Units, p.Units)
		}
		if fmt.Sprint(other.Units) == fmt.Sprint(p.Units) {
			t.Errorf("another seed gave the very same intervals")
		}
	})
	t.Run("units whose intervals overlap cannot be told apart", func(t *testing.T) {
		for _, u := range p.Units {
			for _, o := range u.Overlaps {
				var ou UnitPrecision
				for _, x := range p.Units {
					if x.Unit == o {
						ou = x
					}
				}
				if ou.Low.Cmp(u.High) > 0 || u.Low.Cmp(ou.High) > 0 {
					t.Errorf("%s listed as overlapping %s: [%v, %v] and [%v, %v]", o, u.Unit, ou.Low, ou.High, u.Low, u.High)
				}
			}
		}
		if len(p.Units[1].Overlaps) != 0 {
			t.Errorf("X2 (always 10) overlaps %v", p.Units[1].Overlaps)
		}
	})
	t.Run("a request that ends stops the resampling", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Bootstrap(ctx, def, data, 200, Seed); !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	})
	if len(PrecisionMethod(p)) == 0 || !strings.Contains(strings.Join(PrecisionMethod(p), " "), "200 lần") {
		t.Errorf("the method does not state the replicates: %v", PrecisionMethod(p))
	}
}

// forms are the valid forms of data, for scoring.Score.
func forms(data *Data) []scoring.Form {
	var out []scoring.Form
	for _, f := range data.Forms {
		if f.Counts() {
			out = append(out, scoring.Form{Group: f.Group, Unit: f.Unit, Answers: f.Answers})
		}
	}
	return out
}

func TestLoadReadsStoredFormsVerdictsAndRespondents(t *testing.T) {
	db := testenv.Open(t)
	ctx := context.Background()
	camp, err := scoretest.Populate(ctx, db, 4, 5) // 4 units × 4 groups × 5 forms
	if err != nil {
		t.Fatal(err)
	}
	data, err := Load(ctx, db, camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(data.Forms) != 80 {
		t.Fatalf("%d forms, want 80", len(data.Forms))
	}
	tally, err := db.AnswerTally(ctx, camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	var valid int64
	for _, x := range tally {
		valid += x.Valid
	}
	var counted, sexes int64
	for i := range data.Forms {
		f := &data.Forms[i]
		if f.Counts() {
			counted++
		}
		if s := data.Respondent(f)["gioi_tinh"]; s == "Nam" || s == "Nữ" {
			sexes++
		}
	}
	if counted != valid || sexes != 80 {
		t.Errorf("%d counted (store says %d valid), %d with a sex", counted, valid, sexes)
	}
	if len(data.Ratios) != 2 {
		t.Errorf("%d ratios, want 2 (every other unit)", len(data.Ratios))
	}
	t.Run("every frequency row adds up to its forms", func(t *testing.T) {
		var forms int64
		for _, tb := range Frequencies(camp.Def, data) {
			for _, r := range tb.Rows {
				sum := r.Blank + r.Multi + r.Skipped
				for _, n := range r.Counts {
					sum += n
				}
				if sum != r.Forms {
					t.Errorf("%s %s %s %s: %d answers for %d forms", tb.Form, tb.Question, tb.Unit, r.Group, sum, r.Forms)
				}
				if r.Group == "" && tb.Question == "C01" {
					forms += r.Forms
				}
			}
		}
		if forms != valid {
			t.Errorf("question C01's tables count %d forms, the store %d valid", forms, valid)
		}
	})
	t.Run("the bootstrap totals are the score run's", func(t *testing.T) {
		p, err := Bootstrap(context.Background(), camp.Def, data, 20, Seed)
		if err != nil {
			t.Fatal(err)
		}
		db.SetClock(func() time.Time { return scoretest.InWindow })
		run, err := scorerun.Score(ctx, db, camp.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range p.Units {
			if want := run.Result.Unit(u.Unit).Total; u.Total.Cmp(want) != 0 {
				t.Errorf("%s: %v, the run says %v", u.Unit, u.Total, want)
			}
		}
	})
}
