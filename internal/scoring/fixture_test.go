package scoring

import (
	"math/big"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
)

func dec(s string) campaign.Decimal { return campaign.MustDecimal(s) }

func decp(s string) *campaign.Decimal { d := dec(s); return &d }

// scale4 is the default 4-level scale of domain.md step 1 plus a don't-know option:
// 1 = A (1), 2 = B (0.6), 3 = C (0.2), 4 = D (0), 5 = không biết.
func scale4() []campaign.Option {
	return []campaign.Option{
		{Label: "A", Weight: decp("1")},
		{Label: "B", Weight: decp("0.6")},
		{Label: "C", Weight: decp("0.2")},
		{Label: "D", Weight: decp("0")},
		{Label: "Không biết", DontKnow: true},
	}
}

func question(code, feeds string) campaign.Question {
	return campaign.Question{Code: code, Text: "Câu " + code, Feeds: feeds, Options: scale4()}
}

// base is a small campaign: one area A (10 points) → criterion C (10) → S1 (6) and S2 (4).
// Form F1: Q1, Q2 → S1; Q3 → S2; Q4 unscored. Form F2: Q1 → S1, Q3 → S2 (the same questions).
// Form FM is a matrix form like F1. Group G1 answers F1 about districts (kind H), weight 1.
// Units H1…H4 are districts; X1 is of another kind that no group evaluates.
func base() *campaign.Definition {
	return &campaign.Definition{
		Code: "T", Name: "Thử", Year: 2025,
		Opens:        campaign.Date{Time: time.Date(2025, 1, 1, 0, 0, 0, 0, campaign.Zone)},
		Closes:       campaign.Date{Time: time.Date(2025, 1, 31, 0, 0, 0, 0, campaign.Zone)},
		SurveyPoints: dec("10"),
		Bands: []campaign.Band{
			{Code: "A", Name: "Tốt", MinPercent: dec("90")},
			{Code: "B", Name: "Khá", MinPercent: dec("80")},
			{Code: "C", Name: "Trung bình", MinPercent: dec("70")},
		},
		Scoring: campaign.Scoring{DontKnow: campaign.MissingExclude, Blank: campaign.MissingExclude, Combine: campaign.CombineGroupWeights, MinForms: 1},
		Kinds:   []campaign.Kind{{Code: "H", Name: "Huyện"}, {Code: "X", Name: "Xã"}},
		Units: []campaign.Unit{
			{Code: "H1", Kind: "H", Name: "Huyện 1"},
			{Code: "H2", Kind: "H", Name: "Huyện 2"},
			{Code: "H3", Kind: "H", Name: "Huyện 3"},
			{Code: "H4", Kind: "H", Name: "Huyện 4"},
			{Code: "X1", Kind: "X", Name: "Xã 1"},
		},
		Groups: []campaign.Group{
			{Code: "G1", Name: "Đại biểu", Evaluates: "H", Form: "F1", Quota: 5, Weight: decp("1"), Channels: []campaign.Channel{campaign.ChannelOnline}},
		},
		Areas: []campaign.Area{{Code: "A", Name: "Lĩnh vực", Points: dec("10"), Criteria: []campaign.Criterion{
			{Code: "C", Name: "Tiêu chí", Points: dec("10"), Subs: []campaign.SubCriterion{
				{Code: "S1", Name: "Thành phần 1", Points: dec("6")},
				{Code: "S2", Name: "Thành phần 2", Points: dec("4")},
			}},
		}}},
		Questionnaires: []campaign.Questionnaire{
			{Code: "F1", Title: "Phiếu 1", Shape: campaign.ShapeSingle, Sections: []campaign.Section{{Title: "I", Questions: []campaign.Question{
				question("Q1", "S1"), question("Q2", "S1"), question("Q3", "S2"), question("Q4", ""),
			}}}},
			{Code: "F2", Title: "Phiếu 2", Shape: campaign.ShapeSingle, Sections: []campaign.Section{{Title: "I", Questions: []campaign.Question{
				question("Q1", "S1"), question("Q3", "S2"),
			}}}},
			{Code: "FM", Title: "Phiếu ma trận", Shape: campaign.ShapeMatrix, Sections: []campaign.Section{{Title: "I", Questions: []campaign.Question{
				question("Q1", "S1"), question("Q2", "S1"), question("Q3", "S2"), question("Q4", ""),
			}}}},
		},
	}
}

// with applies changes to the base campaign.
func with(changes ...func(*campaign.Definition)) *campaign.Definition {
	d := base()
	for _, c := range changes {
		c(d)
	}
	return d
}

func dontKnowZero(d *campaign.Definition) { d.Scoring.DontKnow = campaign.MissingZero }
func blankZero(d *campaign.Definition)    { d.Scoring.Blank = campaign.MissingZero }
func pooled(d *campaign.Definition)       { d.Scoring.Combine = campaign.CombinePooled }

func minForms(k int) func(*campaign.Definition) {
	return func(d *campaign.Definition) { d.Scoring.MinForms = k }
}

// group adds a collected group on a form about districts.
func group(code, form, weight string) func(*campaign.Definition) {
	return func(d *campaign.Definition) {
		d.Groups = append(d.Groups, campaign.Group{Code: code, Name: "Nhóm " + code, Evaluates: "H", Form: form, Quota: 5,
			Weight: decp(weight), Channels: []campaign.Channel{campaign.ChannelOnline}})
	}
}

// imported adds an imported group (SIPAS) mapped to the sub-criteria given, or to all.
func imported(code, weight string, feeds ...string) func(*campaign.Definition) {
	return func(d *campaign.Definition) {
		d.Groups = append(d.Groups, campaign.Group{Code: code, Name: "Người dân", Evaluates: "H", Weight: decp(weight),
			Channels: []campaign.Channel{campaign.ChannelSIPAS}, Feeds: feeds})
	}
}

func questionWeight(form, code, w string) func(*campaign.Definition) {
	return func(d *campaign.Definition) {
		qs := d.Questionnaire(form).Sections[0].Questions
		for i := range qs {
			if qs[i].Code == code {
				qs[i].Weight = decp(w)
			}
		}
	}
}

// extraArea adds area A2 (5 points) → C2 → S3 (5) that no question feeds; survey points 15.
func extraArea(d *campaign.Definition) {
	d.Areas = append(d.Areas, campaign.Area{Code: "A2", Name: "Lĩnh vực 2", Points: dec("5"), Criteria: []campaign.Criterion{
		{Code: "C2", Name: "Tiêu chí 2", Points: dec("5"), Subs: []campaign.SubCriterion{{Code: "S3", Name: "Hài lòng", Points: dec("5")}}},
	}})
	d.SurveyPoints = dec("15")
}

// onlyImported replaces the groups by one imported group feeding everything.
func onlyImported(d *campaign.Definition) {
	d.Groups = nil
	imported("GI", "1")(d)
}

// forms makes forms of one group about one unit from answer strings.
func forms(group, unit string, answers ...string) []Form {
	out := make([]Form, len(answers))
	for i, a := range answers {
		out[i] = Form{Group: group, Unit: unit, Answers: response.Answers(a)}
	}
	return out
}

func join(lists ...[]Form) []Form {
	var out []Form
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func ratio(group, unit, sub, value string) Ratio {
	r, ok := new(big.Rat).SetString(value)
	if !ok {
		panic(value)
	}
	return Ratio{Group: group, Unit: unit, Sub: sub, Value: r}
}

// dump writes every figure of a result, exactly, for comparing whole results.
func dump(r *Result) string {
	var b strings.Builder
	rs := func(x *big.Rat) string {
		if x == nil {
			return "nil"
		}
		return x.RatString()
	}
	b.WriteString(strings.Join(r.Options, "\n"))
	for _, u := range r.Units {
		b.WriteString("\n" + u.Unit + " " + u.Kind + " " + rs(u.Total) + " " + rs(u.Percent) + " " + u.Band)
		b.WriteString(" rank " + big.NewInt(int64(u.Rank)).String())
		for _, a := range u.Areas {
			b.WriteString(" " + a.Code + "=" + rs(a.Points))
			for _, c := range a.Criteria {
				b.WriteString(" " + c.Code + "=" + rs(c.Points))
				for _, s := range c.Subs {
					b.WriteString(" " + s.Code + "=" + rs(s.Points) + "/" + rs(s.Mean))
					for _, q := range s.Questions {
						b.WriteString(" " + q.Code + ":" + rs(q.Mean))
					}
				}
			}
		}
		for _, g := range u.Groups {
			b.WriteString(" " + g.Group + big.NewInt(g.Forms).String())
			for _, s := range g.Subs {
				b.WriteString(" " + s.Sub + "=" + rs(s.Points) + "/" + rs(s.Mean))
				for _, q := range s.Questions {
					b.WriteString(" " + q.Code + ":" + rs(q.Mean))
				}
			}
		}
		for _, f := range u.Flags {
			b.WriteString(" [" + string(f.Code) + " " + f.Group + f.Sub + " " + f.Message + "]")
		}
	}
	return b.String()
}
