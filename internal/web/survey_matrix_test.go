package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// extraAgencies are provincial agencies added to the demo's twelve, for a council delegate's
// matrix form about twenty units.
var extraAgencies = []campaign.Unit{
	{Code: "VPUB", Kind: "so", Name: "Văn phòng Ủy ban nhân dân tỉnh"},
	{Code: "SDTTG", Kind: "so", Name: "Sở Dân tộc và Tôn giáo"},
	{Code: "SNGV", Kind: "so", Name: "Sở Ngoại vụ"},
	{Code: "BQLKKT", Kind: "so", Name: "Ban Quản lý Khu kinh tế cửa khẩu tỉnh"},
	{Code: "BQLDA", Kind: "so", Name: "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh"},
	{Code: "DPTTH", Kind: "so", Name: "Đài Phát thanh và Truyền hình tỉnh"},
	{Code: "TCT", Kind: "so", Name: "Trường Chính trị tỉnh"},
	{Code: "QPTDN", Kind: "so", Name: "Quỹ Phát triển đất tỉnh"},
}

// matrixCampaign loads into db the demo campaign with units provincial agencies (12 to 20),
// so that the council delegates' matrix form (group S1, form CH1, 22 questions) covers them
// all, and issues n online forms of S1.
func matrixCampaign(tb testing.TB, db *store.DB, units, n int) (*store.Campaign, []*store.IssuedForm) {
	tb.Helper()
	ctx := context.Background()
	def, err := campaign.Load(forms.FS, forms.Demo3Cap)
	if err != nil {
		tb.Fatal(err)
	}
	have := len(def.UnitsOfKind("so"))
	if units < have || units > have+len(extraAgencies) {
		tb.Fatalf("the demo can have %d to %d agencies, not %d", have, have+len(extraAgencies), units)
	}
	def.Units = append(def.Units, extraAgencies[:units-have]...)
	camp, _, err := db.SaveDefinition(ctx, def, 0)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.Issue(ctx, camp.ID, 0, []campaign.IssueTarget{{Group: "S1", Channel: campaign.ChannelOnline, Quota: n}}); err != nil {
		tb.Fatal(err)
	}
	var out []*store.IssuedForm
	db.Forms(ctx, camp.ID, store.FormFilter{Group: "S1"}, func(f *store.IssuedForm) error {
		out = append(out, f)
		return nil
	})
	db.SetClock(func() time.Time { return inWindow })
	return camp, out
}

// newMatrixEnv is newEnv over matrixCampaign.
func newMatrixEnv(t *testing.T, units, n int) (*testEnv, []*store.IssuedForm) {
	t.Helper()
	db := testenv.Open(t)
	camp, issued := matrixCampaign(t, db, units, n)
	return &testEnv{t: t, db: db, srv: newServer(t, db), camp: camp}, issued
}

// storedAnswers are the stored answers of the only response, by unit code.
func storedAnswers(t *testing.T, e *testEnv) map[string]string {
	t.Helper()
	ids, err := e.db.UnitIDs(context.Background(), e.camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for code, id := range ids {
		var a string
		if e.db.ReadRow(context.Background(), `SELECT answers FROM response_answers WHERE unit_id = ?`, []any{id}, &a) == nil {
			out[code] = a
		}
	}
	return out
}

// dontKnowAnswers is what a unit marked "not enough information" stores: every question's
// don't-know option.
func dontKnowAnswers(q *campaign.Questionnaire) string {
	var b strings.Builder
	for _, qu := range q.Questions() {
		b.WriteString(fmt.Sprint(dontKnowOption(&qu)))
	}
	return b.String()
}

func TestMatrixFormIsOneGridOfQuestionsByUnits(t *testing.T) {
	t.Parallel()
	e, issued := newMatrixEnv(t, 20, 2)
	q := e.camp.Def.Questionnaire("CH1")
	units := e.camp.Def.UnitsOfKind("so")
	_, page := e.client().get("/p/" + issued[0].Token)

	t.Run("the page holds one table: a row per question, a column per unit", func(t *testing.T) {
		if strings.Count(page, `<table class="mx"`) != 1 {
			t.Fatal("no grid")
		}
		if got := strings.Count(page, `<th scope="col" class="mx-unit"`); got != len(units) {
			t.Errorf("%d unit columns, want %d", got, len(units))
		}
		if got := strings.Count(page, `<th scope="row" class="mx-q">`); got != len(q.Questions()) {
			t.Errorf("%d question rows, want %d", got, len(q.Questions()))
		}
		radios := 0
		for _, qu := range q.Questions() {
			radios += len(qu.Options) * len(units)
		}
		if got := strings.Count(page, `type="radio" name="q_`); got != radios {
			t.Errorf("%d answer buttons, want %d", got, radios)
		}
	})
	t.Run("every unit has one box to say there is not enough information to rate it", func(t *testing.T) {
		for _, u := range units {
			if strings.Count(page, `name="s_`+u.Code+`"`) != 1 {
				t.Errorf("unit %s has no skip box", u.Code)
			}
		}
		mustContain(t, page, "Tôi không đủ thông tin để đánh giá đơn vị này", "Đơn vị tiếp theo →", "Danh sách đơn vị", "Xem lại trước khi gửi")
	})
	t.Run("the grid names each question's keys, don't-know as ?", func(t *testing.T) {
		mustContain(t, page, `<span class="mx-legend">1 Tốt · 2 Khá · 3 Trung bình · 4 Kém · ? Không biết / không có ý kiến</span>`)
	})
	t.Run("the page still posts without its script: a plain form with a submit and a save button", func(t *testing.T) {
		mustContain(t, page, `<form method="post" action="/p/`+issued[0].Token+`"`, `formaction="/p/`+issued[0].Token+`/draft"`, `<button type="submit">Gửi phiếu</button>`)
	})
}

func TestSkippingAUnitMarksItDontKnow(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		build func(v url.Values, q *campaign.Questionnaire, skipped campaign.Unit)
	}{
		{"the box alone, its unit unanswered", func(v url.Values, q *campaign.Questionnaire, u campaign.Unit) {
			for _, qu := range q.Questions() {
				v.Del("q_" + qu.Code + "_" + u.Code)
			}
		}},
		{"the box over answers given before it was ticked", func(v url.Values, q *campaign.Questionnaire, u campaign.Unit) {}},
		{"the box over a double mark", func(v url.Values, q *campaign.Questionnaire, u campaign.Unit) {
			v.Add("q_"+q.Questions()[0].Code+"_"+u.Code, "2")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name+": every question of the unit is stored don't-know and the form is valid", func(t *testing.T) {
			e, issued := newMatrixEnv(t, 20, 1)
			q := e.camp.Def.Questionnaire("CH1")
			units := e.camp.Def.UnitsOfKind("so")
			skipped := units[4]
			v := answers(q, units, 1, "skip-1")
			tc.build(v, q, skipped)
			v.Set(skipField(skipped), "1")
			resp, body := e.client().post("/p/"+issued[0].Token, v)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d\n%s", resp.StatusCode, body)
			}
			got := storedAnswers(t, e)
			if len(got) != len(units) {
				t.Fatalf("%d units stored, want %d", len(got), len(units))
			}
			if got[skipped.Code] != dontKnowAnswers(q) {
				t.Fatalf("skipped unit stored %s, want %s", got[skipped.Code], dontKnowAnswers(q))
			}
			if got[units[0].Code] != strings.Repeat("1", len(q.Questions())) {
				t.Fatalf("an answered unit stored %s", got[units[0].Code])
			}
			var valid int
			e.db.ReadRow(context.Background(), `SELECT valid FROM responses`, nil, &valid)
			if valid != 1 {
				t.Fatal("a form with one unit marked don't-know is not valid")
			}
		})
	}
	t.Run("a unit left half answered without its box is refused per unit, as before", func(t *testing.T) {
		e, issued := newMatrixEnv(t, 20, 1)
		q := e.camp.Def.Questionnaire("CH1")
		units := e.camp.Def.UnitsOfKind("so")
		v := answers(q, units, 1, "half-1")
		for _, qu := range q.Questions()[:12] {
			v.Del("q_" + qu.Code + "_" + units[7].Code)
		}
		resp, body := e.client().post("/p/"+issued[0].Token, v)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, units[7].Name+": Ông/Bà mới trả lời 10/22 câu hỏi", `href="#q_`+q.Questions()[0].Code+`_`+units[7].Code+`"`)
		if countResponses(t, e) != 0 {
			t.Fatal("stored")
		}
		// The page comes back with the answers given, and the boxes as they were.
		if !regexp.MustCompile(`name="q_` + q.Questions()[21].Code + `_` + units[7].Code + `" value="1" checked`).MatchString(body) {
			t.Fatal("an answer given was not kept")
		}
	})
	t.Run("a post may carry one box per unit beyond its answers, and no more", func(t *testing.T) {
		e, issued := newMatrixEnv(t, 20, 1)
		q := e.camp.Def.Questionnaire("CH1")
		units := e.camp.Def.UnitsOfKind("so")
		v := answers(q, units, 1, "boxes-1")
		for _, u := range units {
			v.Set(skipField(u), "1")
		}
		if resp, body := e.client().post("/p/"+issued[0].Token, v); resp.StatusCode != http.StatusOK {
			t.Fatalf("every box ticked: status %d\n%s", resp.StatusCode, body)
		}
		e2, issued2 := newMatrixEnv(t, 20, 1)
		for i := 0; i < len(units)+formFieldSlack; i++ {
			v.Set(fmt.Sprintf("x%d", i), "1")
		}
		if resp, _ := e2.client().post("/p/"+issued2[0].Token, v); resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("too many fields: status %d", resp.StatusCode)
		}
	})
}
