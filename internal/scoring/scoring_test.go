package scoring

import (
	"math/big"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// Every figure below is worked by hand in the case's comment. Answers are F1's Q1 Q2 Q3 Q4 with
// 1 = A (1), 2 = B (0.6), 3 = C (0.2), 4 = D (0), 5 = don't know, 0 = blank, * = multi-marked;
// S1 (6 points) takes Q1 and Q2, S2 (4 points) takes Q3.
func TestScoreFollowsTheDefaultMethod(t *testing.T) {
	cases := []struct {
		name   string
		def    *campaign.Definition
		forms  []Form
		ratios []Ratio
		totals map[string]string   // unit → exact total
		subs   map[string]string   // "unit/sub" → exact points
		flags  map[string][]string // unit → every flag, "code group-or-sub"
	}{
		{
			// Q1: 1, dk, .2 → 0.6; Q2 the same; Q3: 1, .6, dk → 0.8. S1 = 6×0.6, S2 = 4×0.8.
			name:   "don't-know answers are left out of both sides of the mean by default",
			def:    base(),
			forms:  forms("G1", "H1", "1111", "5521", "3350"),
			totals: map[string]string{"H1": "34/5"},
			subs:   map[string]string{"H1/S1": "18/5", "H1/S2": "16/5"},
			flags:  map[string][]string{"H1": nil},
		},
		{
			// Q1: (1+0+.2)/3 = 0.4; Q2 0.4; Q3: 1.6/3. S1 = 2.4, S2 = 32/15.
			name:   "don't-know answers count as zero when the campaign says so",
			def:    with(dontKnowZero),
			forms:  forms("G1", "H1", "1111", "5521", "3350"),
			totals: map[string]string{"H1": "68/15"},
			subs:   map[string]string{"H1/S1": "12/5", "H1/S2": "32/15"},
		},
		{
			// Q1: 1 (blank and multi-marked left out); Q2: (1+.6+.2)/3 = 0.6; Q3: 1.
			name:   "blank and multi-marked answers are left out of the mean by default",
			def:    base(),
			forms:  forms("G1", "H1", "1111", "0211", "*311"),
			totals: map[string]string{"H1": "44/5"},
			subs:   map[string]string{"H1/S1": "24/5", "H1/S2": "4"},
		},
		{
			// Q1: 1/3; Q2: 0.6. S1 = 6 × (1/3 + 3/5)/2 = 14/5; S2 = 4.
			name:   "blank and multi-marked answers count as zero when the campaign says so",
			def:    with(blankZero),
			forms:  forms("G1", "H1", "1111", "0211", "*311"),
			totals: map[string]string{"H1": "34/5"},
			subs:   map[string]string{"H1/S1": "14/5"},
		},
		{
			// Every question: G1 (w 1) 1, G2 (w 3) 0 → (1×1 + 3×0)/4 = 1/4. Total 10/4.
			name:   "groups combine per question by their unequal weights",
			def:    with(group("G2", "F1", "3")),
			forms:  join(forms("G1", "H1", "1111", "1111", "1111"), forms("G2", "H1", "4444")),
			totals: map[string]string{"H1": "5/2"},
			subs:   map[string]string{"H1/S1": "3/2", "H1/S2": "1"},
			flags:  map[string][]string{"H1": nil},
		},
		{
			// Every question: three answers 1 and one answer 0 pooled → 3/4. Total 7.5.
			name:   "pooled mode takes one mean over every answer, whatever the group weights",
			def:    with(group("G2", "F1", "3"), pooled),
			forms:  join(forms("G1", "H1", "1111", "1111", "1111"), forms("G2", "H1", "4444")),
			totals: map[string]string{"H1": "15/2"},
		},
		{
			// Q1: (1+0)/2; Q2: G1 alone, 1; Q3: (1+0)/2. S1 = 6×3/4, S2 = 4×1/2.
			name:   "groups on different forms combine on the questions they share",
			def:    with(group("G2", "F2", "1")),
			forms:  join(forms("G1", "H1", "1111"), forms("G2", "H1", "44")),
			totals: map[string]string{"H1": "13/2"},
			subs:   map[string]string{"H1/S1": "9/2", "H1/S2": "2"},
		},
		{
			name:   "a group with no forms is left out of the weighted mean and flagged",
			def:    with(group("G2", "F1", "3")),
			forms:  forms("G1", "H1", "1111"),
			totals: map[string]string{"H1": "10"},
			flags:  map[string][]string{"H1": {"few_forms G2"}},
		},
		{
			name:   "a group below the minimum forms is left out and flagged thiếu phiếu",
			def:    with(group("G2", "F1", "1"), minForms(2)),
			forms:  join(forms("G1", "H1", "1111", "1111"), forms("G2", "H1", "4444")),
			totals: map[string]string{"H1": "10"},
			flags:  map[string][]string{"H1": {"few_forms G2"}},
		},
		{
			name:   "a group with exactly the minimum forms counts",
			def:    with(group("G2", "F1", "1"), minForms(2)),
			forms:  join(forms("G1", "H1", "1111", "1111"), forms("G2", "H1", "4444", "4444")),
			totals: map[string]string{"H1": "5"},
			flags:  map[string][]string{"H1": nil},
		},
		{
			name:   "a group of weight zero is left out without a flag",
			def:    with(group("G2", "F1", "0")),
			forms:  join(forms("G1", "H1", "1111"), forms("G2", "H1", "4444")),
			totals: map[string]string{"H1": "10"},
			flags:  map[string][]string{"H1": nil},
		},
		{
			// Q3 blank on every form: S2 has no usable question. Q1 = Q2 = 0.8 → S1 = 24/5.
			name:   "a sub-criterion with no usable question scores 0 and is flagged không có dữ liệu",
			def:    base(),
			forms:  forms("G1", "H1", "1101", "2201"),
			totals: map[string]string{"H1": "24/5", "X1": "0"},
			subs:   map[string]string{"H1/S2": "0"},
			flags:  map[string][]string{"H1": {"no_data S2"}, "X1": {"no_data S1", "no_data S2"}},
		},
		{
			// Q1 (weight 3) = 1, Q2 (weight 1) = 0: S1 = 6 × 3/4.
			name:   "question weights weigh the sub-criterion's mean",
			def:    with(questionWeight("F1", "Q1", "3")),
			forms:  forms("G1", "H1", "1411"),
			totals: map[string]string{"H1": "17/2"},
			subs:   map[string]string{"H1/S1": "9/2"},
		},
		{
			name:   "questions weigh equally unless they carry a weight",
			def:    base(),
			forms:  forms("G1", "H1", "1411"),
			totals: map[string]string{"H1": "7"},
		},
		{
			// One delegate's matrix form, given once for each unit it covers.
			name:   "a matrix form counts as one form for each unit it covers",
			def:    with(func(d *campaign.Definition) { d.Groups[0].Form = "FM" }),
			forms:  []Form{{Group: "G1", Unit: "H1", Answers: "1111"}, {Group: "G1", Unit: "H2", Answers: "4444"}},
			totals: map[string]string{"H1": "10", "H2": "0", "H3": "0"},
			flags:  map[string][]string{"H1": nil, "H2": nil, "H3": {"few_forms G1", "no_data S1", "no_data S2"}},
		},
		{
			// Every question: (1×1 + 1×1/2)/2 = 3/4.
			name:   "an imported group's ratio per unit enters every sub-criterion it is mapped to",
			def:    with(imported("GI", "1")),
			forms:  forms("G1", "H1", "1111"),
			ratios: []Ratio{ratio("GI", "H1", "", "1/2")},
			totals: map[string]string{"H1": "15/2"},
			subs:   map[string]string{"H1/S1": "9/2", "H1/S2": "3"},
			flags:  map[string][]string{"H1": nil, "H2": {"few_forms G1", "no_ratio GI", "no_data S1", "no_data S2"}},
		},
		{
			// S1: (1 + 0)/2 → 3; S2 not mapped: G1 alone → 4.
			name:   "an imported group's ratio for one sub-criterion applies there only",
			def:    with(imported("GI", "1", "S1")),
			forms:  forms("G1", "H1", "1111"),
			ratios: []Ratio{ratio("GI", "H1", "S1", "0")},
			totals: map[string]string{"H1": "7"},
			subs:   map[string]string{"H1/S1": "3", "H1/S2": "4"},
		},
		{
			// S1 takes the sub ratio 0 → (1+0)/2; S2 the unit ratio 1/2 → 3/4.
			name:   "a sub-criterion ratio overrides the unit ratio there",
			def:    with(imported("GI", "1")),
			forms:  forms("G1", "H1", "1111"),
			ratios: []Ratio{ratio("GI", "H1", "", "1/2"), ratio("GI", "H1", "S1", "0")},
			totals: map[string]string{"H1": "6"},
			subs:   map[string]string{"H1/S1": "3", "H1/S2": "3"},
		},
		{
			// Pooled collected mean 3/4 weighs 1+3 = 4 against GI (weight 2, ratio 0):
			// (4×3/4 + 2×0)/6 = 1/2 → 5.
			name:   "in pooled mode the pooled groups weigh the sum of their weights against an imported group",
			def:    with(group("G2", "F1", "3"), imported("GI", "2"), pooled),
			forms:  join(forms("G1", "H1", "1111", "1111", "1111"), forms("G2", "H1", "4444")),
			ratios: []Ratio{ratio("GI", "H1", "", "0")},
			totals: map[string]string{"H1": "5"},
		},
		{
			// (1×1 + 3×0 + 2×0)/6 = 1/6 → 10/6.
			name:   "with group weights the same data weighs each group on its own",
			def:    with(group("G2", "F1", "3"), imported("GI", "2")),
			forms:  join(forms("G1", "H1", "1111", "1111", "1111"), forms("G2", "H1", "4444")),
			ratios: []Ratio{ratio("GI", "H1", "", "0")},
			totals: map[string]string{"H1": "5/3"},
		},
		{
			// S3 has no question: the ratio scores it alone, 5 × 4/5.
			name:   "a sub-criterion fed only by an imported group scores its ratio",
			def:    with(extraArea, imported("GI", "1", "S3")),
			forms:  forms("G1", "H1", "1111"),
			ratios: []Ratio{ratio("GI", "H1", "", "4/5")},
			totals: map[string]string{"H1": "14"},
			subs:   map[string]string{"H1/S3": "4"},
			flags:  map[string][]string{"H1": nil, "H2": {"few_forms G1", "no_ratio GI", "no_data S1", "no_data S2", "no_data S3"}},
		},
		{
			name:   "an imported group without a ratio for the unit is left out and flagged",
			def:    with(imported("GI", "1")),
			forms:  forms("G1", "H1", "1111"),
			totals: map[string]string{"H1": "10"},
			flags:  map[string][]string{"H1": {"no_ratio GI"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Score(tc.def, tc.forms, tc.ratios)
			if err != nil {
				t.Fatal(err)
			}
			for unit, want := range tc.totals {
				if got := res.Unit(unit).Total.RatString(); got != want {
					t.Errorf("%s total = %s, want %s", unit, got, want)
				}
			}
			for key, want := range tc.subs {
				unit, sub, _ := strings.Cut(key, "/")
				if got := res.Unit(unit).Sub(sub).Points.RatString(); got != want {
					t.Errorf("%s %s = %s, want %s", unit, sub, got, want)
				}
			}
			for unit, want := range tc.flags {
				var got []string
				for _, f := range res.Unit(unit).Flags {
					got = append(got, string(f.Code)+" "+f.Group+f.Sub)
					if f.Message == "" {
						t.Errorf("%s flag %s has no message", unit, f.Code)
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s flags = %q, want %q", unit, got, want)
				}
			}
		})
	}
}

func TestScoreReportsEachGroupOnItsOwn(t *testing.T) {
	def := with(group("G2", "F2", "3"), imported("GI", "1"), minForms(2))
	fs := join(forms("G1", "H1", "1111", "2511"), forms("G2", "H1", "44"))
	res, err := Score(def, fs, []Ratio{ratio("GI", "H1", "", "3/4")})
	if err != nil {
		t.Fatal(err)
	}
	u := res.Unit("H1")

	t.Run("a collected group shows its means per question and its points alone", func(t *testing.T) {
		g := u.Group("G1")
		if g.Forms != 2 || !g.Counted || g.Imported {
			t.Fatalf("G1 = %+v", g)
		}
		// Q1: (1 + .6)/2 = 4/5; Q2: 1 (don't-know left out); S1 alone = 6 × (4/5 + 1)/2.
		s1 := g.Subs[0]
		if s1.Sub != "S1" || s1.Questions[0].Mean.RatString() != "4/5" || s1.Questions[1].Mean.RatString() != "1" ||
			s1.Questions[1].Answers != 1 || s1.Points.RatString() != "27/5" {
			t.Errorf("G1 S1 = %+v", s1)
		}
	})
	t.Run("a group below the minimum still shows its means but is not counted", func(t *testing.T) {
		g := u.Group("G2")
		if g.Forms != 1 || g.Counted || len(g.Subs) != 2 || g.Subs[0].Points.RatString() != "0" {
			t.Errorf("G2 = %+v", g)
		}
		if !u.Has(FlagFewForms, "G2", "") {
			t.Errorf("flags = %+v", u.Flags)
		}
	})
	t.Run("an imported group shows its ratio as its mean", func(t *testing.T) {
		g := u.Group("GI")
		if !g.Imported || !g.Counted || g.Subs[0].Mean.RatString() != "3/4" || g.Subs[0].Points.RatString() != "9/2" {
			t.Errorf("GI = %+v", g)
		}
	})
	t.Run("the combined question means leave the uncounted group out", func(t *testing.T) {
		// Q1: (1×4/5 + 1×3/4)/2 = 31/40.
		if got := u.Sub("S1").Questions[0].Mean.RatString(); got != "31/40" {
			t.Errorf("m(H1,Q1) = %s", got)
		}
	})
}

func TestRanksShareTiesAndSkipTheNext(t *testing.T) {
	t.Run("equal totals share a rank and the next rank is skipped, within each kind", func(t *testing.T) {
		// H1 10; H2 all 0.6 → 6; H3 S1 full, S2 blank → 6; H4 0. X1 is alone in its kind.
		fs := join(forms("G1", "H1", "1111"), forms("G1", "H2", "2222"), forms("G1", "H3", "1140"), forms("G1", "H4", "4444"))
		res, err := Score(base(), fs, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{"H1": 1, "H2": 2, "H3": 2, "H4": 4, "X1": 1}
		for unit, rank := range want {
			if got := res.Unit(unit).Rank; got != rank {
				t.Errorf("%s rank %d, want %d", unit, got, rank)
			}
		}
	})
	t.Run("ranks use exact values even when the shown figures are equal", func(t *testing.T) {
		ratios := []Ratio{ratio("GI", "H1", "", "2/3"), ratio("GI", "H2", "", "0.6667"), ratio("GI", "H3", "", "2/3"), ratio("GI", "H4", "", "0")}
		res, err := Score(with(onlyImported), nil, ratios)
		if err != nil {
			t.Fatal(err)
		}
		if Round2(res.Unit("H1").Total) != Round2(res.Unit("H2").Total) {
			t.Fatalf("the case needs equal shown figures: %s, %s", Round2(res.Unit("H1").Total), Round2(res.Unit("H2").Total))
		}
		want := map[string]int{"H2": 1, "H1": 2, "H3": 2, "H4": 4}
		for unit, rank := range want {
			if got := res.Unit(unit).Rank; got != rank {
				t.Errorf("%s rank %d, want %d", unit, got, rank)
			}
		}
	})
}

func TestBandsAreDecidedOnExactPercent(t *testing.T) {
	cases := []struct {
		name, ratio, band string
	}{
		{"a unit at exactly 90 percent gets the top band", "0.9", "A"},
		{"a unit a hair below 90 percent gets the next band", "8999999999/10000000000", "B"},
		{"a unit at exactly 80 percent gets band B", "4/5", "B"},
		{"a unit at exactly 70 percent gets band C", "7/10", "C"},
		{"a unit below every band gets none", "69999/100000", ""},
		{"a unit at full points gets the top band", "1", "A"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Score(with(onlyImported), nil, []Ratio{ratio("GI", "H1", "", tc.ratio)})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Unit("H1").Band; got != tc.band {
				t.Errorf("band %q at %s%%, want %q", got, res.Unit("H1").Percent.FloatString(8), tc.band)
			}
		})
	}
}

func TestTotalsRoundHalfUpOnlyWhenShown(t *testing.T) {
	t.Run("a total of exactly 2.675 shows as 2.68, where float64 would show 2.67", func(t *testing.T) {
		res, err := Score(with(onlyImported), nil, []Ratio{ratio("GI", "H1", "", "0.2675")})
		if err != nil {
			t.Fatal(err)
		}
		total := res.Unit("H1").Total
		if total.RatString() != "107/40" {
			t.Fatalf("total = %s", total.RatString())
		}
		if got := Round2(total); got != "2.68" {
			t.Errorf("Round2 = %s", got)
		}
		if got := FormatVN(total); got != "2,68" {
			t.Errorf("FormatVN = %s", got)
		}
		if f := strconv.FormatFloat(2.675, 'f', 2, 64); f != "2.67" {
			t.Logf("float64 shows %s", f)
		}
	})
}

func TestResultsAreTheSameOnEveryRun(t *testing.T) {
	def := with(group("G2", "F2", "2"), imported("GI", "1", "S2"), extraArea, pooled, func(d *campaign.Definition) {
		d.Groups = append(d.Groups, campaign.Group{Code: "GM", Name: "Ma trận", Evaluates: "H", Form: "FM", Quota: 1,
			Channels: []campaign.Channel{campaign.ChannelPaper}})
	})
	fs := join(forms("G1", "H1", "1231", "5*20"), forms("G2", "H2", "13", "24"), forms("GM", "H1", "3333"), forms("GM", "H2", "2222"))
	ratios := []Ratio{ratio("GI", "H1", "", "0.81"), ratio("GI", "H2", "S2", "0.5")}
	first, err := Score(def, fs, ratios)
	if err != nil {
		t.Fatal(err)
	}
	want := dump(first)
	t.Run("scoring the same input again gives the same result", func(t *testing.T) {
		for i := 0; i < 20; i++ {
			again, err := Score(def, fs, ratios)
			if err != nil {
				t.Fatal(err)
			}
			if got := dump(again); got != want {
				t.Fatalf("run %d differs:\n%s\nwant\n%s", i, got, want)
			}
		}
	})
	t.Run("asking a scorer for its result twice gives the same result", func(t *testing.T) {
		s, err := New(def)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if err := s.Add(f); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range ratios {
			if err := s.Import(r); err != nil {
				t.Fatal(err)
			}
		}
		// Result is asked twice: building a result must not change the next one.
		if once, twice := dump(s.Result()), dump(s.Result()); once != want || twice != want {
			t.Error("Result differs from Score")
		}
	})
	t.Run("changing a returned figure does not change the next result", func(t *testing.T) {
		first.Unit("H1").Total.SetInt64(99)
		first.Unit("H1").Group("GI").Subs[0].Mean.SetInt64(99)
		again, _ := Score(def, fs, ratios)
		if dump(again) != want {
			t.Error("results share numbers")
		}
	})
}

func TestScoreRefusesInputItCannotScore(t *testing.T) {
	def := with(imported("GI", "1", "S1"))
	cases := []struct {
		name  string
		form  *Form
		ratio *Ratio
		want  string
	}{
		{name: "a form of an unknown group", form: &Form{Group: "GX", Unit: "H1", Answers: "1111"}, want: "unknown group"},
		{name: "a form of an imported group", form: &Form{Group: "GI", Unit: "H1", Answers: "1111"}, want: "imported"},
		{name: "a form for an unknown unit", form: &Form{Group: "G1", Unit: "HX", Answers: "1111"}, want: "unknown unit"},
		{name: "a form for a unit of another kind", form: &Form{Group: "G1", Unit: "X1", Answers: "1111"}, want: "evaluates"},
		{name: "answers of the wrong length", form: &Form{Group: "G1", Unit: "H1", Answers: "111"}, want: "3 answers for 4"},
		{name: "an option the question does not have", form: &Form{Group: "G1", Unit: "H1", Answers: "1161"}, want: "no option 6"},
		{name: "a character that is no answer", form: &Form{Group: "G1", Unit: "H1", Answers: "11x1"}, want: "answer 3"},
		{name: "a ratio above 1", ratio: &Ratio{Group: "GI", Unit: "H1", Value: big.NewRat(3, 2)}, want: "[0, 1]"},
		{name: "a ratio below 0", ratio: &Ratio{Group: "GI", Unit: "H1", Value: big.NewRat(-1, 2)}, want: "[0, 1]"},
		{name: "a missing ratio value", ratio: &Ratio{Group: "GI", Unit: "H1"}, want: "[0, 1]"},
		{name: "a ratio for a collected group", ratio: &Ratio{Group: "G1", Unit: "H1", Value: big.NewRat(1, 2)}, want: "collects forms"},
		{name: "a ratio for a sub-criterion the group is not mapped to", ratio: &Ratio{Group: "GI", Unit: "H1", Sub: "S2", Value: big.NewRat(1, 2)}, want: "not mapped"},
		{name: "a ratio for an unknown sub-criterion", ratio: &Ratio{Group: "GI", Unit: "H1", Sub: "SX", Value: big.NewRat(1, 2)}, want: "unknown sub"},
	}
	for _, tc := range cases {
		t.Run("scoring refuses "+tc.name, func(t *testing.T) {
			s, err := New(def)
			if err != nil {
				t.Fatal(err)
			}
			if tc.form != nil {
				err = s.Add(*tc.form)
			} else {
				err = s.Import(*tc.ratio)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one about %q", err, tc.want)
			}
		})
	}
	t.Run("scoring refuses a ratio given twice", func(t *testing.T) {
		_, err := Score(def, nil, []Ratio{ratio("GI", "H1", "", "1"), ratio("GI", "H1", "", "0")})
		if err == nil || !strings.Contains(err.Error(), "twice") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a refused form leaves no trace in the sums", func(t *testing.T) {
		s, _ := New(base())
		if err := s.Add(Form{Group: "G1", Unit: "H1", Answers: "1161"}); err == nil {
			t.Fatal("bad form accepted")
		}
		if err := s.Add(Form{Group: "G1", Unit: "H1", Answers: "4444"}); err != nil {
			t.Fatal(err)
		}
		u := s.Result().Unit("H1")
		if u.Total.Sign() != 0 || u.Group("G1").Forms != 1 || u.Group("G1").Subs[0].Questions[0].Answers != 1 {
			t.Errorf("H1 = %s with %d forms", u.Total.RatString(), u.Group("G1").Forms)
		}
	})
	t.Run("scoring refuses a question weighted differently on two forms", func(t *testing.T) {
		_, err := New(with(group("G2", "F2", "1"), questionWeight("F2", "Q1", "2")))
		if err == nil || !strings.Contains(err.Error(), "weight") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestDefaultsApplyToDefinitionsBuiltInGo(t *testing.T) {
	t.Run("empty scoring options score like the documented defaults", func(t *testing.T) {
		def := base()
		def.Scoring = campaign.Scoring{}
		def.Groups[0].Weight = nil
		got, err := Score(def, forms("G1", "H1", "1111", "5521", "3350"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Unit("H1").Total.RatString() != "34/5" {
			t.Errorf("total = %s", got.Unit("H1").Total.RatString())
		}
	})
	t.Run("questions may name a scale instead of listing options", func(t *testing.T) {
		def := base()
		def.Scales = []campaign.Scale{{Code: "L4", Options: scale4()}}
		qs := def.Questionnaire("F1").Sections[0].Questions
		for i := range qs {
			qs[i].Options, qs[i].Scale = nil, "L4"
		}
		got, err := Score(def, forms("G1", "H1", "2222"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Unit("H1").Total.RatString() != "6" {
			t.Errorf("total = %s", got.Unit("H1").Total.RatString())
		}
	})
}

func TestOptionsStateTheMethod(t *testing.T) {
	cases := []struct {
		name string
		def  *campaign.Definition
		want []string
	}{
		{"the default options are stated", with(imported("GI", "2", "S2")), []string{
			"“Không biết / không có ý kiến” không được tính",
			"Câu bỏ trống (kể cả câu đánh nhiều phương án) không được tính",
			"theo trọng số nhóm (G1: 1; GI: 2)",
			"Nhóm không có phiếu hợp lệ nào cho một đơn vị không được tính",
			"Nhóm GI (Người dân) dùng tỷ lệ hài lòng nhập từ nguồn ngoài cho từng đơn vị, áp dụng cho các tiêu chí thành phần S2.",
			"các câu hỏi có trọng số bằng nhau",
			"Tốt từ 90%; Khá từ 80%; Trung bình từ 70%",
		}},
		{"the configured options are stated", with(dontKnowZero, blankZero, pooled, minForms(3), questionWeight("F1", "Q1", "0.5")), []string{
			"“Không biết / không có ý kiến” được tính là 0 điểm",
			"được tính là 0 điểm",
			"gộp chung",
			"ít hơn 3 phiếu hợp lệ",
			"theo trọng số riêng của từng câu hỏi",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(Options(tc.def), "\n")
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("options lack %q:\n%s", w, got)
				}
			}
			if again := strings.Join(Options(tc.def), "\n"); again != got {
				t.Error("options differ between calls")
			}
		})
	}
}

// noQuota sets a group's quota for some units to 0: the group does not evaluate them.
func noQuota(group string, units ...string) func(*campaign.Definition) {
	return func(d *campaign.Definition) {
		g := d.Group(group)
		g.QuotaOverrides = map[string]int{}
		for _, u := range units {
			g.QuotaOverrides[u] = 0
		}
	}
}

func TestAGroupWithNoQuotaForAUnitDoesNotEvaluateIt(t *testing.T) {
	// G1 has a quota of 0 for H2 and H3; G2 answers F2 about every district.
	def := with(group("G2", "F2", "1"), noQuota("G1", "H2", "H3"))
	fs := join(forms("G1", "H1", "1111"), forms("G1", "H2", "1111", "1111"), forms("G2", "H1", "22"), forms("G2", "H2", "22"), forms("G2", "H3", "22"))
	res, err := Score(def, fs, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("it is not flagged short of forms on a unit it has no quota for", func(t *testing.T) {
		for _, unit := range []string{"H2", "H3"} {
			if u := res.Unit(unit); u.Has(FlagFewForms, "G1", "") {
				t.Errorf("%s flags G1: %+v", unit, u.Flags)
			}
		}
	})
	t.Run("it is left out of that unit's score, even with forms", func(t *testing.T) {
		u := res.Unit("H2")
		g := u.Group("G1")
		if g == nil || g.Counted || !g.NotEvaluating || g.Forms != 2 {
			t.Fatalf("G1 on H2 = %+v", g)
		}
		// Only G2 counts: B = 0.6 on Q1 and Q3, so S1 = 6 × 0.6 and S2 = 4 × 0.6.
		if got := u.Total.RatString(); got != "6" {
			t.Errorf("H2 total = %s, want 6 (G2 alone)", got)
		}
	})
	t.Run("it still evaluates and is flagged on the units it has a quota for", func(t *testing.T) {
		if g := res.Unit("H1").Group("G1"); !g.Counted || g.NotEvaluating {
			t.Errorf("G1 on H1 = %+v", g)
		}
		if !res.Unit("H4").Has(FlagFewForms, "G1", "") {
			t.Errorf("H4 flags = %+v", res.Unit("H4").Flags)
		}
	})
	t.Run("the method statement names the groups and units without a quota", func(t *testing.T) {
		if got := strings.Join(res.Options, "\n"); !strings.Contains(got, "chỉ tiêu 0 phiếu cho một đơn vị không đánh giá đơn vị đó") || !strings.Contains(got, "(nhóm G1 không đánh giá Huyện 2, Huyện 3)") {
			t.Errorf("options:\n%s", got)
		}
	})
}
