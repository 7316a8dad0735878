package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/store"
)

// inWindow is a day inside the demo campaign's window.
var inWindow = time.Date(2026, 11, 15, 9, 0, 0, 0, campaign.Zone)

// issueAll issues every form of the demo campaign and returns them by group.
func (e *testEnv) issueAll() map[string][]*store.IssuedForm {
	e.t.Helper()
	ctx := context.Background()
	plan, err := e.camp.Def.IssuePlan("", "", 0)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.Issue(ctx, e.camp.ID, 0, plan); err != nil {
		e.t.Fatal(err)
	}
	out := map[string][]*store.IssuedForm{}
	e.db.Forms(ctx, e.camp.ID, store.FormFilter{}, func(f *store.IssuedForm) error {
		out[f.Group] = append(out[f.Group], f)
		return nil
	})
	return out
}

// formFor returns an issued form of the first group whose questionnaire has the shape.
func (e *testEnv) formFor(forms map[string][]*store.IssuedForm, shape campaign.Shape) (*store.IssuedForm, *campaign.Questionnaire) {
	for _, g := range e.camp.Def.Groups {
		if g.Imported() {
			continue
		}
		q := e.camp.Def.Questionnaire(g.Form)
		if q.Shape == shape && len(forms[g.Code]) > 1 {
			return forms[g.Code][0], q
		}
	}
	e.t.Fatalf("no group with a %s form", shape)
	return nil, nil
}

// answers builds a complete submission: option pick for every question (per unit for a matrix).
func answers(q *campaign.Questionnaire, units []campaign.Unit, pick int, sid string) url.Values {
	v := url.Values{"sid": {sid}}
	for _, f := range q.Fields {
		v.Set("r_"+f.Key, "1")
	}
	for _, qu := range q.Questions() {
		p := pick
		if p > len(qu.Options) {
			p = len(qu.Options)
		}
		if q.Shape == campaign.ShapeMatrix {
			for _, u := range units {
				v.Set("q_"+qu.Code+"_"+u.Code, fmt.Sprint(p))
			}
		} else {
			v.Set("q_"+qu.Code, fmt.Sprint(p))
		}
	}
	return v
}

var receiptRe = regexp.MustCompile(`Số biên nhận: <strong>([A-Z0-9-]+)</strong>`)

func countResponses(t *testing.T, e *testEnv) int {
	n, err := e.db.CountResponses(context.Background(), e.camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOnlineAnswering(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	f, q := e.formFor(forms, campaign.ShapeSingle)
	unit := *e.camp.Def.Unit(f.Unit)
	c := e.client()

	t.Run("the link opens the questionnaire with its code, unit and every question", func(t *testing.T) {
		resp, body := c.get("/p/" + f.Token)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, q.Title, f.Code, unit.Name, `action="/p/`+f.Token+`"`, q.Questions()[0].Text, "Gửi phiếu")
		if strings.Contains(body, "ps9") {
			t.Fatal("a placeholder leaked into the page")
		}
		_, again := c.get("/p/" + f.Token)
		sid := regexp.MustCompile(`name="sid" value="([^"]+)"`)
		if sid.FindStringSubmatch(body)[1] == sid.FindStringSubmatch(again)[1] {
			t.Fatal("two page loads share a submission id")
		}
	})
	t.Run("too few answers bring the page back with every answer kept and the problem explained", func(t *testing.T) {
		v := answers(q, nil, 1, "sid-partial")
		for _, qu := range q.Questions()[:len(q.Questions())/2] {
			v.Del("q_" + qu.Code)
		}
		v.Del("r_" + q.Fields[0].Key)
		resp, body := c.post("/p/"+f.Token, v)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Phiếu chưa gửi được", "Vui lòng chọn «"+q.Fields[0].Label+"»", "để phiếu hợp lệ")
		last := q.Questions()[len(q.Questions())-1]
		if !regexp.MustCompile(`name="q_` + last.Code + `" value="1" checked`).MatchString(body) {
			t.Fatal("an answer given was not kept")
		}
		if countResponses(t, e) != 0 {
			t.Fatal("an invalid submission was stored")
		}
	})
	var receipt string
	t.Run("a complete form is stored and acknowledged with a receipt", func(t *testing.T) {
		resp, body := c.post("/p/"+f.Token, answers(q, nil, 2, "sid-1"))
		if resp.StatusCode != 200 {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		m := receiptRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no receipt in\n%s", body)
		}
		receipt = m[1]
		if countResponses(t, e) != 1 {
			t.Fatal("response not stored")
		}
		got, _ := e.db.FormByCode(context.Background(), f.Code)
		if got.TokenUsedAt.IsZero() {
			t.Fatal("token not consumed with the response")
		}
	})
	t.Run("a replay of the same submission returns the same receipt and stores nothing more", func(t *testing.T) {
		resp, body := c.post("/p/"+f.Token, answers(q, nil, 2, "sid-1"))
		if resp.StatusCode != 200 || receiptRe.FindStringSubmatch(body)[1] != receipt {
			t.Fatalf("replay: %d %s", resp.StatusCode, body)
		}
		if countResponses(t, e) != 1 {
			t.Fatal("replay stored twice")
		}
	})
	t.Run("different answers for an answered code are refused with 409", func(t *testing.T) {
		resp, body := c.post("/p/"+f.Token, answers(q, nil, 1, "sid-2"))
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "đã được dùng để gửi một bản trả lời khác")
		if countResponses(t, e) != 1 {
			t.Fatal("conflicting body stored")
		}
	})
	t.Run("opening the link again says it was received and shows no answers", func(t *testing.T) {
		resp, body := c.get("/p/" + f.Token)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Phiếu đã được gửi")
		if strings.Contains(body, "checked") || strings.Contains(body, q.Questions()[0].Text) {
			t.Fatal("answers or questions shown after submission")
		}
	})
	t.Run("unknown and voided tokens get the same 404 page", func(t *testing.T) {
		v := forms[f.Group][1]
		if _, err := e.db.VoidForm(context.Background(), v.Code, "mất phiếu", false, 0); err != nil {
			t.Fatal(err)
		}
		r1, b1 := c.get("/p/" + v.Token)
		r2, b2 := c.get("/p/AAAAAAAAAAAAAAAAAAAAAAAAAA")
		if r1.StatusCode != 404 || r2.StatusCode != 404 || b1 != b2 {
			t.Fatalf("voided %d, unknown %d, same body %v", r1.StatusCode, r2.StatusCode, b1 == b2)
		}
		mustContain(t, b1, "Không tìm thấy phiếu khảo sát")
	})
	t.Run("the stored response holds the answers and no address", func(t *testing.T) {
		var respondent, answersText, reasons string
		var valid, unitValid int
		err := e.db.ReadRow(context.Background(), `SELECT r.respondent, a.answers, r.valid, r.reasons, a.valid FROM responses r JOIN response_answers a ON a.response_id = r.id`,
			nil, &respondent, &answersText, &valid, &reasons, &unitValid)
		if err != nil {
			t.Fatal(err)
		}
		if len(answersText) != len(q.Questions()) || strings.Contains(respondent, "192.0.2") {
			t.Fatalf("respondent %s answers %s", respondent, answersText)
		}
		if valid != 1 || unitValid != 1 || reasons != "[]" {
			t.Fatalf("a complete online form judged valid=%d unit=%d reasons=%s", valid, unitValid, reasons)
		}
	})
}

func TestMatrixFormStoresOneAnswerSetPerUnit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	f, q := e.formFor(e.issueAll(), campaign.ShapeMatrix)
	g := e.camp.Def.Group(f.Group)
	units := e.camp.Def.UnitsOfKind(g.Evaluates)
	c := e.client()
	_, page := c.get("/p/" + f.Token)
	mustContain(t, page, units[0].Name, units[len(units)-1].Name)
	resp, body := c.post("/p/"+f.Token, answers(q, units, 1, "m-1"))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d\n%s", resp.StatusCode, body)
	}
	var n int
	e.db.ReadRow(context.Background(), `SELECT count(*) FROM response_answers`, nil, &n)
	if n != len(units) {
		t.Fatalf("%d answer rows, want %d", n, len(units))
	}
}

func TestCampaignWindow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f, _ := e.formFor(e.issueAll(), campaign.ShapeSingle)
	c := e.client()
	e.db.SetClock(func() time.Time { return time.Date(2026, 10, 20, 9, 0, 0, 0, campaign.Zone) })
	resp, body := c.get("/p/" + f.Token)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("before opening: %d", resp.StatusCode)
	}
	mustContain(t, body, "chưa bắt đầu", "01/11/2026")
	e.db.SetClock(func() time.Time { return time.Date(2027, 1, 1, 0, 0, 1, 0, campaign.Zone) })
	resp, body = c.get("/p/" + f.Token)
	if resp.StatusCode != http.StatusGone {
		t.Fatalf("after closing: %d", resp.StatusCode)
	}
	mustContain(t, body, "đã kết thúc", "31/12/2026")
}

func TestConcurrentDoubleSubmitStoresExactlyOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	f, q := e.formFor(e.issueAll(), campaign.ShapeSingle)
	const n = 16
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			body := answers(q, nil, 1+i%2, fmt.Sprintf("sid-%d", i%2)).Encode()
			req := httptest.NewRequest(http.MethodPost, "/p/"+f.Token, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := e.srv.App().Test(req, -1)
			if err != nil {
				t.Error(err)
				return
			}
			codes[i] = resp.StatusCode
		}(i)
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, code := range codes {
		switch code {
		case 200:
			ok++
		case 409:
			conflict++
		default:
			t.Errorf("unexpected status %d", code)
		}
	}
	if countResponses(t, e) != 1 || ok != n/2 || conflict != n/2 {
		t.Fatalf("stored %d, ok %d, conflicts %d", countResponses(t, e), ok, conflict)
	}
}

func TestGuessingTokensIsLimitedPerAddressOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	f, _ := e.formFor(e.issueAll(), campaign.ShapeSingle)
	prober := e.client()
	prober.ip = "203.0.113.5"
	for i := 0; i < missLimit; i++ {
		prober.get(fmt.Sprintf("/p/guess%020d", i))
	}
	if resp, _ := prober.get("/p/guess-once-more-0000000"); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("prober not limited: %d", resp.StatusCode)
	}
	// Only misses are refused: a real link from the same address (a commune office behind one
	// NAT address) still opens.
	if resp, _ := prober.get("/p/" + f.Token); resp.StatusCode != http.StatusOK {
		t.Fatalf("a real link from a limited address got %d", resp.StatusCode)
	}
	crowd := e.client()
	crowd.ip = "203.0.113.6"
	for i := 0; i < 3*missLimit; i++ {
		if resp, _ := crowd.get("/p/" + f.Token); resp.StatusCode != 200 {
			t.Fatalf("a respondent opening a real form was limited after %d loads: %d", i, resp.StatusCode)
		}
	}
}

func TestOnlineFormsFollowRulesChangedAfterLoading(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	f, q := e.formFor(e.issueAll(), campaign.ShapeSingle)
	next := campaign.EffectiveOf(e.camp.Def)
	next.MinAnsweredPercent = campaign.MustDecimal("50")
	if _, err := intake.ChangeSettings(context.Background(), e.db, e.camp.ID, 0, next); err != nil {
		t.Fatal(err)
	}
	v := answers(q, nil, 1, "sid-rules")
	qs := q.Questions()
	for _, qu := range qs[:len(qs)*4/10] { // 60 % answered: below the definition's 70 %, above the new 50 %
		v.Del("q_" + qu.Code)
	}
	resp, body := e.client().post("/p/"+f.Token, v)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d under the lowered rule\n%s", resp.StatusCode, body)
	}
	var valid int
	e.db.ReadRow(context.Background(), `SELECT valid FROM responses`, nil, &valid)
	if valid != 1 {
		t.Fatal("the form was judged by the definition's rule, not the one in force")
	}
}
