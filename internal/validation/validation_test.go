package validation

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
)

func decp(s string) *campaign.Decimal { d := campaign.MustDecimal(s); return &d }

func scale() []campaign.Option {
	return []campaign.Option{
		{Label: "A", Weight: decp("1")}, {Label: "B", Weight: decp("0.6")}, {Label: "C", Weight: decp("0.2")},
		{Label: "D", Weight: decp("0")}, {Label: "Không biết", DontKnow: true},
	}
}

// questions are ten scored questions and one unscored, the last.
func questions() []campaign.Question {
	var qs []campaign.Question
	for i := 1; i <= 10; i++ {
		qs = append(qs, campaign.Question{Code: "Q" + string(rune('0'+i%10)), Text: "Câu", Feeds: "S1", Options: scale()})
	}
	return append(qs, campaign.Question{Code: "N", Text: "Giới tính?", Options: []campaign.Option{{Label: "Nam", Weight: decp("0")}, {Label: "Nữ", Weight: decp("0")}}})
}

// def is a campaign open 01/01/2025–31/01/2025 with a 70% answered share: G1 answers single
// form F1 about districts online, GM the matrix form FM, GP F1 on paper; GI is imported.
func def() *campaign.Definition {
	return &campaign.Definition{
		Code: "T", Name: "Thử", Year: 2025,
		Opens:  campaign.Date{Time: time.Date(2025, 1, 1, 0, 0, 0, 0, campaign.Zone)},
		Closes: campaign.Date{Time: time.Date(2025, 1, 31, 0, 0, 0, 0, campaign.Zone)},
		Rules:  campaign.Rules{MinAnsweredPercent: campaign.MustDecimal("70")},
		Kinds:  []campaign.Kind{{Code: "H", Name: "Huyện"}, {Code: "X", Name: "Xã"}},
		Units: []campaign.Unit{
			{Code: "H1", Kind: "H", Name: "Ba Vì"}, {Code: "H2", Kind: "H", Name: "Sóc Sơn"},
			{Code: "H3", Kind: "H", Name: "Đông Anh"}, {Code: "X1", Kind: "X", Name: "Xã 1"},
		},
		Groups: []campaign.Group{
			{Code: "G1", Evaluates: "H", Form: "F1", Quota: 5, Channels: []campaign.Channel{campaign.ChannelOnline}},
			{Code: "G2", Evaluates: "H", Form: "F1", Quota: 5, Channels: []campaign.Channel{campaign.ChannelOnline}},
			{Code: "GM", Evaluates: "H", Form: "FM", Quota: 5, Channels: []campaign.Channel{campaign.ChannelOnline}},
			{Code: "GP", Evaluates: "H", Form: "F1", Quota: 5, Channels: []campaign.Channel{campaign.ChannelPaper}},
			{Code: "GI", Evaluates: "H", Channels: []campaign.Channel{campaign.ChannelSIPAS}},
		},
		Questionnaires: []campaign.Questionnaire{
			{Code: "F1", Shape: campaign.ShapeSingle, Sections: []campaign.Section{{Questions: questions()}}},
			{Code: "FM", Shape: campaign.ShapeMatrix, Sections: []campaign.Section{{Questions: questions()}}},
		},
	}
}

var (
	full     = response.Answers("11111111111")
	inWindow = time.Date(2025, 1, 15, 10, 0, 0, 0, campaign.Zone)
)

// ok are the facts of a valid online form of G1 about H1.
func ok() Facts {
	return Facts{
		Issued: true, IssuedGroup: "G1", IssuedUnits: []string{"H1"}, Group: "G1",
		Channel: campaign.ChannelOnline, ReceivedAt: inWindow, FirstForCode: true,
		Answers: []UnitAnswers{{Unit: "H1", Answers: full}},
	}
}

// paper are the facts of a valid paper form of GP, keyed twice and verified.
func paper() Facts {
	f := ok()
	f.Group, f.IssuedGroup, f.Channel = "GP", "GP", campaign.ChannelPaper
	f.ReceivedAt = time.Date(2025, 1, 20, 0, 0, 0, 0, campaign.Zone)
	f.Keyings, f.Verified = 2, true
	return f
}

func matrix(answers ...UnitAnswers) Facts {
	f := ok()
	f.Group, f.IssuedGroup, f.IssuedUnits = "GM", "GM", nil
	f.Answers = answers
	return f
}

func answers(unit, a string) []UnitAnswers {
	return []UnitAnswers{{Unit: unit, Answers: response.Answers(a)}}
}

func off() *bool { b := false; return &b }

func TestEachRuleAlone(t *testing.T) {
	cases := []struct {
		name  string
		def   func(*campaign.Definition)
		facts func(*Facts)
		want  []Code
		msg   string // part of the message, when it matters
	}{
		{name: "a form meeting every rule is valid"},
		{name: "a form whose code was never issued is invalid", facts: func(f *Facts) { f.Issued, f.IssuedGroup, f.IssuedUnits = false, "", nil },
			want: []Code{NotIssued}, msg: "chưa được phát hành"},
		{name: "a form whose code was voided is invalid", facts: func(f *Facts) { f.Voided = true }, want: []Code{Voided}},
		{name: "a form answered as another group than its code's is invalid", facts: func(f *Facts) { f.IssuedGroup = "G2" },
			want: []Code{WrongGroup}, msg: "phát cho nhóm G2, không phải nhóm G1"},
		{name: "a form of an unknown group is invalid", facts: func(f *Facts) { f.Group, f.IssuedGroup = "GZ", "GZ" }, want: []Code{WrongGroup}},
		{name: "a form for an imported group is invalid", facts: func(f *Facts) { f.Group, f.IssuedGroup = "GI", "GI" }, want: []Code{WrongGroup}},
		{name: "a form about a unit its code was not issued for is invalid", facts: func(f *Facts) { f.IssuedUnits = []string{"H2"} },
			want: []Code{WrongUnit}, msg: "Đơn vị H1 (Ba Vì): mã phiếu không được phát cho đơn vị này"},
		{name: "a form about a unit of a kind the group does not evaluate is invalid", facts: func(f *Facts) {
			f.IssuedUnits = []string{"X1"}
			f.Answers = answers("X1", string(full))
		}, want: []Code{WrongUnit}},
		{name: "a form about an unknown unit is invalid", facts: func(f *Facts) { f.IssuedUnits, f.Answers = nil, answers("H9", string(full)) }, want: []Code{WrongUnit}},
		{name: "a code issued without units covers every unit of the group's kind", facts: func(f *Facts) { f.IssuedUnits = nil }},
		{name: "a form arriving the moment the campaign opens is valid", facts: func(f *Facts) { f.ReceivedAt = time.Date(2025, 1, 1, 0, 0, 0, 0, campaign.Zone) }},
		{name: "a form arriving in the last second of the closing day is valid", facts: func(f *Facts) { f.ReceivedAt = time.Date(2025, 1, 31, 23, 59, 59, 0, campaign.Zone) }},
		{name: "a form arriving after the closing day is invalid", facts: func(f *Facts) { f.ReceivedAt = time.Date(2025, 2, 1, 0, 0, 0, 0, campaign.Zone) },
			want: []Code{OutsideWindow}, msg: "Phiếu nhận lúc 00:00 01/02/2025, ngoài thời gian khảo sát 01/01/2025–31/01/2025"},
		{name: "a form arriving before the opening day is invalid", facts: func(f *Facts) { f.ReceivedAt = time.Date(2024, 12, 31, 23, 59, 0, 0, campaign.Zone) },
			want: []Code{OutsideWindow}},
		{name: "the window is judged in Vietnam's time zone", facts: func(f *Facts) { f.ReceivedAt = time.Date(2025, 1, 31, 17, 30, 0, 0, time.UTC) },
			want: []Code{OutsideWindow}},
		{name: "a form with no arrival time is invalid", facts: func(f *Facts) { f.ReceivedAt = time.Time{} }, want: []Code{OutsideWindow}},
		{name: "a late form is valid when the campaign does not enforce its window", def: func(d *campaign.Definition) { d.Rules.EnforceWindow = off() },
			facts: func(f *Facts) { f.ReceivedAt = time.Date(2025, 3, 1, 0, 0, 0, 0, campaign.Zone) }},
		{name: "a second response for a code is invalid", facts: func(f *Facts) { f.FirstForCode = false }, want: []Code{Duplicate}},
		{name: "a form with exactly the minimum share answered is valid", facts: func(f *Facts) { f.Answers = answers("H1", "11111110001") }},
		{name: "a form below the minimum share answered is invalid", facts: func(f *Facts) { f.Answers = answers("H1", "11111100001") },
			want: []Code{TooFewAnswers}, msg: "Chỉ trả lời 6/10 câu (60%), dưới mức 70%"},
		{name: "don't-know counts as answered", facts: func(f *Facts) { f.Answers = answers("H1", "55555550000") }},
		{name: "a multi-marked item counts as unanswered", facts: func(f *Facts) { f.Answers = answers("H1", "11111**0001") },
			want: []Code{TooFewAnswers}, msg: "Chỉ trả lời 5/10 câu (50%), dưới mức 70%; 2 câu đánh nhiều phương án được tính là chưa trả lời"},
		{name: "the share counts scored questions only", facts: func(f *Facts) { f.Answers = answers("H1", "11111100002") }, want: []Code{TooFewAnswers}},
		{name: "a fractional minimum share is shown with a decimal comma", def: func(d *campaign.Definition) { d.Rules.MinAnsweredPercent = campaign.MustDecimal("66.7") },
			facts: func(f *Facts) { f.Answers = answers("H1", "11111100000") }, want: []Code{TooFewAnswers}, msg: "(60%), dưới mức 66,7%"},
		{name: "a minimum share of 0 turns the rule off", def: func(d *campaign.Definition) { d.Rules.MinAnsweredPercent = 0 },
			facts: func(f *Facts) { f.Answers = answers("H1", "00000000000") }},
		{name: "answers of the wrong length are invalid", facts: func(f *Facts) { f.Answers = answers("H1", "1111") },
			want: []Code{BadAnswers}, msg: "có 4 câu trả lời cho 11 câu hỏi"},
		{name: "an option the question does not have is invalid", facts: func(f *Facts) { f.Answers = answers("H1", "11111111113") }, want: []Code{BadAnswers}},
		{name: "a form with no answers for any unit is invalid", facts: func(f *Facts) { f.Answers = nil }, want: []Code{BadAnswers}},
		{name: "a single-unit form answering for two units is invalid", facts: func(f *Facts) {
			f.IssuedUnits = nil
			f.Answers = append(answers("H1", string(full)), answers("H2", string(full))...)
		}, want: []Code{BadAnswers}},
		{name: "a paper form keyed once is not yet valid under double entry", facts: func(f *Facts) { *f = paper(); f.Keyings, f.Verified = 1, false },
			want: []Code{NotVerified}, msg: "mới nhập 1 lần"},
		{name: "a paper form whose two keyings differ is invalid", facts: func(f *Facts) { *f = paper(); f.Verified = false },
			want: []Code{NotVerified}, msg: "chưa khớp"},
		{name: "a paper form whose two keyings agree is valid", facts: func(f *Facts) { *f = paper() }},
		{name: "a paper form a supervisor resolved is valid", facts: func(f *Facts) { *f = paper(); f.Verified, f.Adjudicated = false, true }},
		{name: "a paper form keyed once is valid without double entry", def: func(d *campaign.Definition) { d.Rules.DoubleEntry = off() },
			facts: func(f *Facts) { *f = paper(); f.Keyings, f.Verified = 1, false }},
		{name: "a paper form from a late batch is invalid", facts: func(f *Facts) { *f = paper(); f.ReceivedAt = time.Date(2025, 2, 3, 0, 0, 0, 0, campaign.Zone) },
			want: []Code{OutsideWindow}, msg: "Lô phiếu giấy nhận ngày 03/02/2025"},
		{name: "an online form needs no second keying", facts: func(f *Facts) { f.Keyings = 0 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, f := def(), ok()
			if tc.def != nil {
				tc.def(d)
			}
			if tc.facts != nil {
				tc.facts(&f)
			}
			v := Check(d, f)
			var got []Code
			for _, r := range v.Reasons {
				got = append(got, r.Code)
				if r.Message == "" {
					t.Errorf("reason %s has no message", r.Code)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("reasons = %v, want %v (%s)", got, tc.want, v.Message())
			}
			if v.Valid != (len(tc.want) == 0) {
				t.Errorf("valid = %v with reasons %v", v.Valid, got)
			}
			if tc.msg != "" && !strings.Contains(v.Message(), tc.msg) {
				t.Errorf("message %q lacks %q", v.Message(), tc.msg)
			}
			for _, u := range v.Units {
				if u.Valid != v.Valid {
					t.Errorf("a single-unit form's unit %s valid = %v, form valid = %v", u.Unit, u.Valid, v.Valid)
				}
			}
		})
	}
}

// codes lists the distinct codes of a verdict's reasons, in order.
func codes(v Verdict) []string {
	var out []string
	for _, r := range v.Reasons {
		if !slices.Contains(out, string(r.Code)) {
			out = append(out, string(r.Code))
		}
	}
	return out
}

func TestEveryFailedRuleIsRecorded(t *testing.T) {
	t.Run("a form failing many rules carries every reason, in the order of domain.md", func(t *testing.T) {
		f := paper()
		f.Issued, f.IssuedGroup, f.IssuedUnits = false, "", nil
		f.ReceivedAt = time.Date(2025, 2, 3, 0, 0, 0, 0, campaign.Zone)
		f.FirstForCode = false
		f.Keyings, f.Verified = 1, false
		f.Answers = answers("H1", "1*000000000")
		v := Check(def(), f)
		want := []string{"not_issued", "outside_window", "duplicate", "too_few_answers", "not_verified"}
		if v.Valid || !slices.Equal(codes(v), want) {
			t.Fatalf("codes = %v, want %v", codes(v), want)
		}
		if got := strings.Count(v.Message(), "; "); got < len(want)-1 {
			t.Errorf("message joins %d parts: %s", got+1, v.Message())
		}
	})
	t.Run("a voided code issued to another group and unit carries all three", func(t *testing.T) {
		f := ok()
		f.Voided, f.IssuedGroup, f.IssuedUnits = true, "G2", []string{"H3"}
		v := Check(def(), f)
		if want := []string{"voided", "wrong_group", "wrong_unit"}; !slices.Equal(codes(v), want) {
			t.Fatalf("codes = %v, want %v", codes(v), want)
		}
		if !v.Has(WrongUnit) || v.Has(Duplicate) {
			t.Error("Has disagrees with the reasons")
		}
	})
}

func TestMatrixFormsAreJudgedPerUnit(t *testing.T) {
	t.Run("a matrix form counts for the units whose answers pass and not for the others", func(t *testing.T) {
		v := Check(def(), matrix(UnitAnswers{"H1", full}, UnitAnswers{"H2", "11100000000"}, UnitAnswers{"H3", "11111110000"}))
		if v.Valid {
			t.Error("a partly valid form is reported valid")
		}
		if got := v.ValidUnits(); !slices.Equal(got, []string{"H1", "H3"}) {
			t.Errorf("valid units = %v", got)
		}
		if len(v.Reasons) != 1 || v.Reasons[0].Code != TooFewAnswers || v.Reasons[0].Unit != "H2" ||
			v.Reasons[0].Message != "Đơn vị H2 (Sóc Sơn): chỉ trả lời 3/10 câu (30%), dưới mức 70%" {
			t.Errorf("reasons = %+v", v.Reasons)
		}
		h2 := v.Units[1]
		if h2.Scored != 10 || h2.Answered != 3 || h2.Valid {
			t.Errorf("H2 = %+v", h2)
		}
	})
	t.Run("a matrix form valid for every unit is valid", func(t *testing.T) {
		v := Check(def(), matrix(UnitAnswers{"H1", full}, UnitAnswers{"H2", full}))
		if !v.Valid || len(v.ValidUnits()) != 2 {
			t.Errorf("verdict = %+v", v)
		}
	})
	t.Run("a reason about the whole form makes it count for no unit", func(t *testing.T) {
		f := matrix(UnitAnswers{"H1", full}, UnitAnswers{"H2", full})
		f.FirstForCode = false
		v := Check(def(), f)
		if v.Valid || len(v.ValidUnits()) != 0 || v.Reasons[0].Unit != "" {
			t.Errorf("verdict = %+v", v)
		}
	})
	t.Run("a unit the matrix code was not issued for is left out alone", func(t *testing.T) {
		f := matrix(UnitAnswers{"H1", full}, UnitAnswers{"H2", full})
		f.IssuedUnits = []string{"H1", "H3"}
		v := Check(def(), f)
		if got := v.ValidUnits(); !slices.Equal(got, []string{"H1"}) || !v.Has(WrongUnit) {
			t.Errorf("valid units = %v, reasons %+v", got, v.Reasons)
		}
	})
	t.Run("a matrix form answering a unit twice is invalid", func(t *testing.T) {
		v := Check(def(), matrix(UnitAnswers{"H1", full}, UnitAnswers{"H1", full}))
		if v.Valid || !v.Has(BadAnswers) || len(v.ValidUnits()) != 0 {
			t.Errorf("verdict = %+v", v)
		}
	})
}

func TestSharesAreShownCutToOneDecimal(t *testing.T) {
	cases := []struct {
		name string
		n, d int
		want string
	}{
		{"a share with a fraction shows one decimal", 20, 35, "57,1"},
		{"a share just under the minimum is not rounded up to it", 699, 1000, "69,9"},
		{"a whole share shows no decimal", 1, 2, "50"},
		{"nothing answered shows zero", 0, 7, "0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentVN(tc.n, tc.d); got != tc.want {
				t.Errorf("percentVN(%d, %d) = %s, want %s", tc.n, tc.d, got, tc.want)
			}
		})
	}
}

func TestQuestionsMayUseAScale(t *testing.T) {
	t.Run("a question naming a scale takes the scale's options", func(t *testing.T) {
		d := def()
		d.Scales = []campaign.Scale{{Code: "L", Options: scale()}}
		qs := d.Questionnaire("F1").Sections[0].Questions
		for i := 0; i < 10; i++ {
			qs[i].Options, qs[i].Scale = nil, "L"
		}
		f := ok()
		f.Answers = answers("H1", "55555551111")
		if v := Check(d, f); !v.Valid {
			t.Errorf("reasons = %s", v.Message())
		}
	})
}
