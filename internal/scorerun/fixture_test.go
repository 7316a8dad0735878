package scorerun

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/validation"
)

func dec(s string) campaign.Decimal { return campaign.MustDecimal(s) }

func decp(s string) *campaign.Decimal { d := dec(s); return &d }

// scale4 is domain.md's 4-level scale and a don't-know option: 1 = A (1), 2 = B (0.6),
// 3 = C (0.2), 4 = D (0), 5 = không biết.
func scale4() []campaign.Option {
	return []campaign.Option{
		{Label: "Tốt", Weight: decp("1")}, {Label: "Khá", Weight: decp("0.6")}, {Label: "Trung bình", Weight: decp("0.2")},
		{Label: "Kém", Weight: decp("0")}, {Label: "Không biết", DontKnow: true},
	}
}

// testDef is a small campaign whose figures are worked out by hand in the tests: area A
// (10 points) → criterion C (10) → S1 (6) and S2 (4). Form F1: Q1, Q2 → S1, Q3 → S2, Q4
// unscored; FM is the same as a matrix form. G1 answers F1 online about districts H1…H3, G2
// answers it on paper, GM the matrix form online; GI is imported (SIPAS) and feeds S2.
func testDef() *campaign.Definition {
	yes := true
	q := func(code, feeds string) campaign.Question {
		return campaign.Question{Code: code, Text: "Câu hỏi " + code, Feeds: feeds, Options: scale4()}
	}
	qs := []campaign.Question{q("Q1", "S1"), q("Q2", "S1"), q("Q3", "S2"), q("Q4", "")}
	return &campaign.Definition{
		Code: "thu-2026", Name: "Đợt khảo sát thử", Year: 2026, Level: "tỉnh", Organizer: "Viện thử nghiệm",
		Opens:        campaign.Date{Time: time.Date(2026, 11, 1, 0, 0, 0, 0, campaign.Zone)},
		Closes:       campaign.Date{Time: time.Date(2026, 12, 31, 0, 0, 0, 0, campaign.Zone)},
		SurveyPoints: dec("10"),
		Bands: []campaign.Band{
			{Code: "A", Name: "Tốt", MinPercent: dec("90")}, {Code: "B", Name: "Khá", MinPercent: dec("80")},
			{Code: "C", Name: "Trung bình", MinPercent: dec("50")}, {Code: "D", Name: "Yếu", MinPercent: dec("0")},
		},
		Scoring: campaign.Scoring{DontKnow: campaign.MissingExclude, Blank: campaign.MissingExclude, Combine: campaign.CombineGroupWeights, MinForms: 1},
		Rules:   campaign.Rules{MinAnsweredPercent: dec("70"), EnforceWindow: &yes, DoubleEntry: &yes},
		Kinds:   []campaign.Kind{{Code: "H", Name: "Huyện"}},
		Units: []campaign.Unit{
			{Code: "H1", Kind: "H", Name: "Huyện Ba Vì"}, {Code: "H2", Kind: "H", Name: "Huyện Sóc Sơn"}, {Code: "H3", Kind: "H", Name: "Huyện Đông Anh"},
		},
		Groups: []campaign.Group{
			{Code: "G1", Name: "Đại biểu", Evaluates: "H", Form: "F1", Quota: 4, Weight: decp("1"), Channels: []campaign.Channel{campaign.ChannelOnline}},
			{Code: "G2", Name: "Lãnh đạo phòng", Evaluates: "H", Form: "F1", Quota: 4, Weight: decp("1"), Channels: []campaign.Channel{campaign.ChannelPaper}},
			{Code: "GM", Name: "Đại biểu HĐND", Evaluates: "H", Form: "FM", Quota: 2, Weight: decp("1"), Channels: []campaign.Channel{campaign.ChannelOnline}},
			{Code: "GI", Name: "Người dân (SIPAS)", Evaluates: "H", Weight: decp("1"), Channels: []campaign.Channel{campaign.ChannelSIPAS}, Feeds: []string{"S2"}},
		},
		Areas: []campaign.Area{{Code: "A", Name: "Lĩnh vực thử", Points: dec("10"), Criteria: []campaign.Criterion{
			{Code: "C", Name: "Tiêu chí thử", Points: dec("10"), Subs: []campaign.SubCriterion{
				{Code: "S1", Name: "Thành phần một", Points: dec("6")}, {Code: "S2", Name: "Thành phần hai", Points: dec("4")},
			}},
		}}},
		Questionnaires: []campaign.Questionnaire{
			{Code: "F1", Title: "Phiếu một đơn vị", Shape: campaign.ShapeSingle, Sections: []campaign.Section{{Title: "I", Questions: qs}}},
			{Code: "FM", Title: "Phiếu ma trận", Shape: campaign.ShapeMatrix, Sections: []campaign.Section{{Title: "I", Questions: qs}}},
		},
	}
}

// inWindow is a day inside the test campaign's window.
var inWindow = time.Date(2026, 11, 15, 9, 0, 0, 0, campaign.Zone)

// env is a real database with the test campaign loaded, its forms issued and an admin.
type env struct {
	t     *testing.T
	db    *store.DB
	camp  *store.Campaign
	forms map[string][]*store.IssuedForm // by group, then unit ("" for matrix), serial order
	used  map[int64]bool
	units map[string]int64
	admin int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "scores.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetClock(func() time.Time { return inWindow })
	camp, _, err := db.SaveDefinition(ctx, testDef(), 0)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := camp.Def.IssuePlan("", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Issue(ctx, camp.ID, 0, plan); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, camp: camp, forms: map[string][]*store.IssuedForm{}, used: map[int64]bool{}}
	db.Forms(ctx, camp.ID, store.FormFilter{}, func(f *store.IssuedForm) error {
		e.forms[f.Group] = append(e.forms[f.Group], f)
		return nil
	})
	if e.units, err = db.UnitIDs(ctx, camp.ID); err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword("mat-khau-thu-nghiem")
	u := &store.User{Username: "admin", FullName: "Quản trị", Role: store.RoleAdmin, PasswordHash: hash}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	e.admin = u.ID
	return e
}

// submit stores a response of the group about the unit ("" and several answers for the matrix
// form: unit=answers pairs) as the collection paths do: judged by the definition's rules.
func (e *env) submit(group, unit, channel string, at time.Time, answers ...string) int64 {
	e.t.Helper()
	var form *store.IssuedForm
	for _, f := range e.forms[group] {
		if !e.used[f.ID] && (f.Unit == unit || f.Unit == "") {
			form = f
			break
		}
	}
	if form == nil {
		e.t.Fatalf("no form left for %s/%s", group, unit)
	}
	e.used[form.ID] = true
	sub := &store.Submission{FormID: form.ID, CampaignID: e.camp.ID, Channel: channel, ReceivedAt: at, Respondent: `{"gioi_tinh":"Nữ"}`}
	facts := validation.Facts{Issued: true, IssuedGroup: group, Group: group, Channel: campaign.Channel(channel), ReceivedAt: at, FirstForCode: true, Keyings: 2, Verified: true}
	if form.Unit != "" {
		facts.IssuedUnits = []string{form.Unit}
	}
	h := sha256.New()
	for i, a := range answers {
		u := unit
		if form.Unit == "" {
			u = e.camp.Def.UnitsOfKind("H")[i].Code
		}
		facts.Answers = append(facts.Answers, validation.UnitAnswers{Unit: u, Answers: response.Answers(a)})
		sub.Answers = append(sub.Answers, store.UnitAnswers{UnitID: e.units[u], Answers: a})
		fmt.Fprintf(h, "%s=%s;", u, a)
	}
	sub.Digest = hex.EncodeToString(h.Sum(nil))
	v := validation.Check(e.camp.Def, facts)
	sub.Valid, sub.Reasons = v.Valid, "[]"
	if len(v.Reasons) > 0 {
		b, _ := json.Marshal(v.Reasons)
		sub.Reasons = string(b)
	}
	ok := map[string]bool{}
	for _, u := range v.ValidUnits() {
		ok[u] = true
	}
	for i := range sub.Answers {
		sub.Answers[i].Valid = ok[facts.Answers[i].Unit]
	}
	r, err := e.db.SaveSubmission(context.Background(), sub)
	if err != nil {
		e.t.Fatal(err)
	}
	return r.ResponseID
}

// standard stores the responses the figures in the tests are worked out from:
//
//	H1: G1 "1114" (A,A,A) and "2224" (B,B,B); G2 on paper "3334" (C,C,C) → m(Q1)=m(Q2)=(0.8+0.2)/2=0.5,
//	    m(Q3) with GI's 0.9: (0.8+0.2+0.9)/3 = 19/30 → S1 = 6·0.5 = 3, S2 = 4·19/30 = 38/15; total 83/15.
//	H2: G1 "1111" → 1 everywhere; GI 0.5 → S1 = 6, S2 = 4·(1+0.5)/2 = 3; total 9.
//	H3: G1 "4444" → 0; G1 "1000" has 1 of 3 scored answered: invalid (too few answers).
//
// The ratios of GI (0.9 for H1, 0.5 for H2) are imported by the tests that need them.
func (e *env) standard() {
	e.submit("G1", "H1", "online", inWindow, "1114")
	e.submit("G1", "H1", "online", inWindow, "2224")
	e.submit("G2", "H1", "paper", inWindow, "3334")
	e.submit("G1", "H2", "online", inWindow, "1111")
	e.submit("G1", "H3", "online", inWindow, "4444")
	e.submit("G1", "H3", "online", inWindow, "1000")
}
