package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// kindsEnv is the server over a temp database holding the question-kinds campaign
// (internal/campaign/testdata/kinds): K1 asks C1 (unscored, yes/no), C2 only after "Có"
// (scored), C3 (scored) and C4, an open question of 500 characters, with a respondent field of
// twelve options. Every form of group CB is issued (on paper, each with its link); the clock
// stands inside the window.
func kindsEnv(t *testing.T) (*testEnv, []*store.IssuedForm) {
	t.Helper()
	def, err := campaign.Load(os.DirFS("../campaign/testdata"), "kinds")
	if err != nil {
		t.Fatal(err)
	}
	db := testenv.Open(t)
	camp, _, err := db.SaveDefinition(context.Background(), def, 0)
	if err != nil {
		t.Fatal(err)
	}
	db.SetClock(func() time.Time { return time.Date(2026, 6, 15, 9, 0, 0, 0, campaign.Zone) })
	e := &testEnv{t: t, db: db, srv: newServer(t, db), camp: camp}
	testenv.AddStaff(t, db)
	var forms []*store.IssuedForm
	for _, fs := range e.issueAll() {
		forms = append(forms, fs...)
	}
	if len(forms) < 3 {
		t.Fatalf("%d forms issued", len(forms))
	}
	return e, forms
}

// formAnswers is the answers string stored for a form.
func formAnswers(t *testing.T, e *testEnv, formID int64) string {
	t.Helper()
	var a string
	if err := e.db.ReadRow(context.Background(), `SELECT a.answers FROM response_answers a JOIN responses r ON r.id = a.response_id WHERE r.form_id = ?`,
		[]any{formID}, &a); err != nil {
		t.Fatalf("answers of form %d: %v", formID, err)
	}
	return a
}

func TestQuestionKindsOnline(t *testing.T) {
	t.Parallel()
	e, forms := kindsEnv(t)
	c := e.client()

	t.Run("the page shows the open question's box and the follow-up's condition", func(t *testing.T) {
		resp, body := c.get("/p/" + forms[0].Token)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body,
			`<textarea name="q_C4" id="q_C4-t" rows="5" data-max="500"`,
			"Ý kiến của Ông/Bà (không bắt buộc, tối đa 500 ký tự):",
			`id="q_C2" data-after="q_C1" data-when="1"`,
			"Chỉ trả lời nếu ở câu 1 Ông/Bà chọn «Có».",
			`name="r_linh_vuc" value="12"`)
	})

	t.Run("a follow-up answered after 'Không' is ignored, and the open answer is stored in NFC", func(t *testing.T) {
		f := forms[0]
		nfd := "Cần rút ngắn thời gian giải quyết hồ sơ đất đai.\r\nNiêm yết công khai phí." // typed decomposed below
		v := url.Values{"sid": {"kinds-1"}, "r_gioi_tinh": {"2"}, "r_linh_vuc": {"12"},
			"q_C1": {"2"}, "q_C2": {"1"}, "q_C3": {"2"}, "q_C4": {"  " + decompose(nfd) + "  "}}
		resp, body := c.post("/p/"+f.Token, v)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Số biên nhận") {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		if got := formAnswers(t, e, f.ID); got != "2-21" {
			t.Errorf("answers stored %q, want %q (C2 skipped, C4 có ý kiến)", got, "2-21")
		}
		var respondent string
		e.db.ReadRow(context.Background(), `SELECT respondent FROM responses WHERE form_id = ?`, []any{f.ID}, &respondent)
		if !strings.Contains(respondent, `"linh_vuc":"Khác"`) {
			t.Errorf("respondent %s lacks the twelfth option", respondent)
		}
		rows, err := e.db.TextAnswers(context.Background(), e.camp.ID, store.TextFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := "Cần rút ngắn thời gian giải quyết hồ sơ đất đai.\nNiêm yết công khai phí."
		if len(rows) != 1 || rows[0].Body != want || rows[0].Question != "C4" || rows[0].Unit != f.Unit || rows[0].FormCode != f.Code ||
			rows[0].Group != "CB" || rows[0].Questionnaire != "K1" || !rows[0].Valid || rows[0].Channel != "online" {
			t.Fatalf("open answers %+v, want one valid C4 of %s reading %q", rows, f.Code, want)
		}
	})

	t.Run("a skipped scored question does not count as unanswered", func(t *testing.T) {
		// C3 alone of the scored questions is asked: 1/1 answered.
		f := forms[1]
		resp, body := c.post("/p/"+f.Token, url.Values{"sid": {"kinds-2"}, "r_gioi_tinh": {"1"}, "r_linh_vuc": {"3"}, "q_C1": {"2"}, "q_C3": {"1"}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		if got := formAnswers(t, e, f.ID); got != "2-10" {
			t.Errorf("answers stored %q, want %q", got, "2-10")
		}
	})

	t.Run("a follow-up that is asked and left blank counts as unanswered", func(t *testing.T) {
		f := forms[2]
		resp, body := c.post("/p/"+f.Token, url.Values{"sid": {"kinds-3"}, "r_gioi_tinh": {"1"}, "r_linh_vuc": {"3"}, "q_C1": {"1"}, "q_C3": {"1"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422\n%s", resp.StatusCode, body)
		}
		mustContain(t, body, "1/2", `href="#q_C2"`)
	})

	t.Run("the error summary points at the first unanswered question that is asked", func(t *testing.T) {
		f := forms[2]
		resp, body := c.post("/p/"+f.Token, url.Values{"sid": {"kinds-3"}, "r_gioi_tinh": {"1"}, "r_linh_vuc": {"3"}, "q_C1": {"2"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422\n%s", resp.StatusCode, body)
		}
		mustContain(t, body, "0/1", `href="#q_C3"`)
		if strings.Contains(body, `href="#q_C2"`) {
			t.Error("the summary points at the skipped follow-up")
		}
	})

	t.Run("an open answer over its limit is refused in Vietnamese with the text kept", func(t *testing.T) {
		f := forms[2]
		long := strings.Repeat("Ý kiến rất dài. ", 40) // 640 characters
		resp, body := c.post("/p/"+f.Token, url.Values{"sid": {"kinds-3"}, "r_gioi_tinh": {"1"}, "r_linh_vuc": {"3"},
			"q_C1": {"2"}, "q_C3": {"1"}, "q_C4": {long}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422\n%s", resp.StatusCode, body)
		}
		mustContain(t, body, "Ý kiến dài 639 ký tự, vượt quá 500 ký tự cho phép: vui lòng rút gọn", `href="#q_C4"`,
			`data-max="500" aria-describedby="q_C4-dem">Ý kiến rất dài. Ý kiến rất dài.`)
		var n int
		e.db.ReadRow(context.Background(), `SELECT count(*) FROM responses WHERE form_id = ?`, []any{f.ID}, &n)
		if n != 0 {
			t.Fatal("a refused form was stored")
		}
	})

	t.Run("a draft keeps the open answer and the page restores it", func(t *testing.T) {
		f := forms[2]
		resp, _ := c.post("/p/"+f.Token+"/draft", url.Values{"sid": {"kinds-3"}, "q_C1": {"1"}, "q_C4": {"Nên có <b>thêm</b> quầy & ghế"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		_, body := c.get("/p/" + f.Token)
		mustContain(t, body, `aria-describedby="q_C4-dem">Nên có &lt;b&gt;thêm&lt;/b&gt; quầy &amp; ghế</textarea>`,
			`name="q_C1" value="1" checked`)
	})
}

// decompose writes Vietnamese letters as a base letter and combining marks (NFD), as some
// phone keyboards send them.
func decompose(s string) string {
	return strings.NewReplacer("ầ", "a\u0302\u0300", "ú", "u\u0301", "ắ", "a\u0306\u0301", "ả", "a\u0309", "ế", "e\u0302\u0301",
		"ồ", "o\u0302\u0300", "ơ", "o\u031b", "ấ", "a\u0302\u0301", "đ", "đ", "ê", "e\u0302", "ô", "o\u0302", "í", "i\u0301").Replace(s)
}

func TestQuestionKindsKeying(t *testing.T) {
	t.Parallel()
	e, forms := kindsEnv(t)
	var codes []string
	for _, f := range forms {
		if f.Unit == "X01" {
			codes = append(codes, f.Code)
		}
	}
	sup, k1, k2 := e.client(), e.client(), e.client()
	sup.login("giamsat")
	k1.login("dtv1")
	k2.login("dtv2")
	batch := e.recordBatch(sup, "CB", "X01", 5, time.Date(2026, 6, 10, 0, 0, 0, 0, campaign.Zone))
	e.addKeyer(sup, "dtv1")
	e.addKeyer(sup, "dtv2")
	keyURL := "/keying/batches/" + strconv.FormatInt(batch, 10)
	text := "Đề nghị bố trí thêm ghế chờ tại bộ phận một cửa."

	t.Run("the keying screen takes two digits, passes the follow-up by and has the open answer's box", func(t *testing.T) {
		resp, body := k1.get(keyURL)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body,
			`name="r_linh_vuc" class="k-key" value="" maxlength="2"`,
			`name="r_gioi_tinh" class="k-key" value="" maxlength="1"`,
			`id="i-q_C2" data-after="q_C1" data-when="1"`,
			`<textarea id="t_q_C4" name="t_q_C4"`,
			`<b>1</b> Có ý kiến`, `<b>0</b> Không có ý kiến`, `<b>12</b> Khác`)
	})

	t.Run("a twelfth option keyed as two digits, a skipped follow-up left unkeyed and a typed opinion save", func(t *testing.T) {
		v := url.Values{"code": {codes[0]}, "r_gioi_tinh": {"2"}, "r_linh_vuc": {"12"}, "q_C1": {"2"}, "q_C2": {""}, "q_C3": {"1"},
			"q_C4": {""}, "t_q_C4": {text}}
		if status, res := k1.postJSON(keyURL, v); status != http.StatusOK || res.Kind != "first" {
			t.Fatalf("first keying: %d %+v", status, res)
		}
		// The second keyer keys the follow-up anyway: it is dropped, as online.
		v.Set("q_C2", "3")
		v.Set("q_C4", "1")
		v.Set("r_linh_vuc", "12")
		if status, res := k2.postJSON(keyURL, v); status != http.StatusOK || res.Kind != "verified" {
			t.Fatalf("second keying: %d %+v", status, res)
		}
		f := forms[0]
		for _, x := range forms {
			if x.Code == codes[0] {
				f = x
			}
		}
		if got := formAnswers(t, e, f.ID); got != "2-11" {
			t.Errorf("answers stored %q, want %q", got, "2-11")
		}
		rows, err := e.db.TextAnswers(context.Background(), e.camp.ID, store.TextFilter{Unit: "X01", Group: "CB", Questionnaire: "K1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Body != text || rows[0].Channel != "paper" || rows[0].FormCode != codes[0] {
			t.Fatalf("open answers %+v", rows)
		}
		if rows, _ := e.db.TextAnswers(context.Background(), e.camp.ID, store.TextFilter{Unit: "X02"}); len(rows) != 0 {
			t.Errorf("the filter by unit lets through %d answers of another unit", len(rows))
		}
	})

	t.Run("a key beyond twelve options and an opinion keyed 0 with a text are refused with the text kept", func(t *testing.T) {
		v := url.Values{"code": {codes[1]}, "r_gioi_tinh": {"1"}, "r_linh_vuc": {"13"}, "q_C1": {"1"}, "q_C2": {"6"}, "q_C3": {"1"},
			"q_C4": {"0"}, "t_q_C4": {text}}
		status, res := k1.postJSON(keyURL, v)
		if status != http.StatusUnprocessableEntity || len(res.Errors) != 3 {
			t.Fatalf("status %d, %+v", status, res)
		}
		msgs := fmt.Sprint(res.Errors)
		for _, want := range []string{"“13” không phải lựa chọn: nhập 1–12", "“6” không phải lựa chọn: nhập 1–5", "có nội dung ý kiến nhưng lại nhập 0"} {
			if !strings.Contains(msgs, want) {
				t.Errorf("problems %s lack %q", msgs, want)
			}
		}
		resp, body := k1.post(keyURL, v)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("plain post: %d", resp.StatusCode)
		}
		mustContain(t, body, `name="t_q_C4" class="k-text-in" rows="2">`+text+`</textarea>`, `name="r_linh_vuc" class="k-key" value="13"`)
	})

	t.Run("two keyings that differ on the question before a follow-up are decided without it, the opinion kept", func(t *testing.T) {
		v := url.Values{"code": {codes[2]}, "r_gioi_tinh": {"1"}, "r_linh_vuc": {"05"}, "q_C1": {"1"}, "q_C2": {"2"}, "q_C3": {"1"},
			"q_C4": {"1"}, "t_q_C4": {text}}
		if _, res := k1.postJSON(keyURL, v); res.Kind != "first" {
			t.Fatalf("first keying: %+v", res)
		}
		v.Set("q_C1", "2")
		v.Del("q_C2")
		v.Set("t_q_C4", "Đề nghị bố trí thêm ghế chờ.")
		if _, res := k2.postJSON(keyURL, v); res.Kind != "differs" || !strings.Contains(res.Message, "2 mục") {
			t.Fatalf("second keying: %+v", res)
		}
		var item int64
		e.db.ReadRow(context.Background(), `SELECT c.id FROM paper_conflicts c JOIN issued_forms f ON f.id = c.form_id WHERE f.code = ?`, []any{codes[2]}, &item)
		queue := e.paperURL(fmt.Sprintf("/queue/%d", item))
		_, page := sup.get(queue)
		mustContain(t, page, "– · không hỏi (bỏ qua theo câu trước)")
		resp, body := sup.post(queue, url.Values{"action": {"adjudicate"}, "d_q_C1": {"2"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("adjudication: %d\n%s", resp.StatusCode, body)
		}
		var f *store.IssuedForm
		for _, x := range forms {
			if x.Code == codes[2] {
				f = x
			}
		}
		if got := formAnswers(t, e, f.ID); got != "2-11" {
			t.Errorf("adjudicated answers %q, want 2-11", got)
		}
		rows, _ := e.db.TextAnswers(context.Background(), e.camp.ID, store.TextFilter{})
		found := false
		for _, r := range rows {
			found = found || (r.FormCode == codes[2] && r.Body == text)
		}
		if !found {
			t.Errorf("the first keying's opinion is not stored: %+v", rows)
		}
	})

	t.Run("a campaign that keys only 'có ý kiến' keeps no text", func(t *testing.T) {
		def := *e.camp.Def
		def.Rules.TextKeying = campaign.TextKeyingFlag
		l, err := paper.NewLayout(&def, "CB", "X01")
		if err != nil {
			t.Fatal(err)
		}
		entry, probs := l.Read(func(name string) string {
			return map[string]string{"r_gioi_tinh": "1", "r_linh_vuc": "03", "q_C1": "1", "q_C2": "4", "q_C3": "2", "q_C4": "1", "t_q_C4": text}[name]
		}, false)
		if len(probs) != 0 || entry.Fields != "13" || entry.Units[0].Answers != "1421" || len(entry.Texts) != 0 {
			t.Fatalf("entry %+v, problems %v", entry, probs)
		}
	})
}
