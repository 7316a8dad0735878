package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/xuri/excelize/v2"
)

// paperDay is the receipt day of the test batches, inside the demo campaign's window.
var paperDay = time.Date(2026, 11, 20, 0, 0, 0, 0, campaign.Zone)

func (e *testEnv) paperURL(suffix string) string {
	return fmt.Sprintf("/campaigns/%d/paper%s", e.camp.ID, suffix)
}

func (e *testEnv) userID(name string) int64 {
	e.t.Helper()
	u, err := e.db.UserByName(context.Background(), name)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}

// recordBatch records a batch through the supervisor's page and returns its id.
func (e *testEnv) recordBatch(sup *client, group, unit string, count int, day time.Time) int64 {
	e.t.Helper()
	sup.get(e.paperURL(""))
	resp, body := sup.post(e.paperURL("/batches"), url.Values{"group": {group}, "unit": {unit}, "count": {fmt.Sprint(count)},
		"returned_by": {fmt.Sprint(e.userID("dtv1"))}, "received_on": {day.Format("2006-01-02")}, "note": {"Túi số 1"}})
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("record batch: %d\n%s", resp.StatusCode, body)
	}
	var id int64
	e.db.ReadRow(context.Background(), `SELECT max(id) FROM paper_batches`, nil, &id)
	_, page := sup.get(e.paperURL(""))
	mustContain(e.t, page, fmt.Sprintf("Đã ghi nhận lô số %d: %d phiếu nhóm %s", id, count, group))
	return id
}

func (e *testEnv) addKeyer(sup *client, name string) {
	e.t.Helper()
	sup.get(e.paperURL(""))
	if resp, body := sup.post(e.paperURL("/keyers"), url.Values{"user": {fmt.Sprint(e.userID(name))}}); resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("add keyer: %d\n%s", resp.StatusCode, body)
	}
}

// keyed fills every item of a form with pick(i) and the code.
func keyed(l *paper.Layout, code string, pick func(i int, it paper.Item) string) url.Values {
	v := url.Values{"code": {code}}
	for i, it := range l.Items() {
		v.Set(it.Name, pick(i, it))
	}
	return v
}

func ones(int, paper.Item) string { return "1" }

// postJSON posts a form as the keying script does and decodes its answer.
func (c *client) postJSON(path string, form url.Values) (int, checkResult) {
	c.e.t.Helper()
	form.Set("_csrf", c.csrf)
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, body := c.do(req)
	var res checkResult
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		c.e.t.Fatalf("not JSON (%d): %s", resp.StatusCode, body)
	}
	return resp.StatusCode, res
}

func (c *client) check(batch int64, code string) checkResult {
	c.e.t.Helper()
	req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/keying/batches/%d/check?code=%s", batch, url.QueryEscape(code)), nil)
	req.Header.Set("Accept", "application/json")
	_, body := c.do(req)
	var res checkResult
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		c.e.t.Fatalf("not JSON: %s", body)
	}
	return res
}

func countWhere(t *testing.T, e *testEnv, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.ReadRow(context.Background(), query, args, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPaperKeyingAndDoubleEntry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	codes := map[string][]string{}
	for g, list := range forms {
		for _, f := range list {
			if f.Unit == "SNV" || f.Unit == "" || g == "H3" {
				codes[g+"/"+f.Unit] = append(codes[g+"/"+f.Unit], f.Code)
			}
		}
	}
	s2 := codes["S2/SNV"]
	l, err := paper.NewLayout(e.camp.Def, "S2", "SNV")
	if err != nil {
		t.Fatal(err)
	}
	sup, k1, k2 := e.client(), e.client(), e.client()
	sup.login("giamsat")
	k1.login("dtv1")
	k2.login("dtv2")
	batch := e.recordBatch(sup, "S2", "SNV", 10, paperDay)
	e.addKeyer(sup, "dtv1")
	keyURL := fmt.Sprintf("/keying/batches/%d", batch)

	t.Run("the paper page shows the recorded batch and the reconciliation", func(t *testing.T) {
		resp, body := sup.get(e.paperURL(""))
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Ghi nhận lô phiếu thu về", "Đối chiếu phiếu giấy", "Sở Nội vụ", "Cán bộ dtv1", "Túi số 1", "Cán bộ dtv1 (dtv1)")
	})
	t.Run("an enumerator reaches the keying screens and nothing of the office", func(t *testing.T) {
		if resp, _ := k1.get(fmt.Sprintf("/campaigns/%d", e.camp.ID)); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("campaign page: %d", resp.StatusCode)
		}
		if resp, _ := k1.get(e.paperURL("")); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("paper page: %d", resp.StatusCode)
		}
		resp, body := k1.get("/keying")
		if resp.StatusCode != 200 {
			t.Fatalf("keying home: %d", resp.StatusCode)
		}
		mustContain(t, body, e.camp.Def.Name, fmt.Sprintf("Nhập lô số %d", batch), "Sở Nội vụ")
	})
	t.Run("an enumerator not among the campaign's keyers sees no batch and cannot open one", func(t *testing.T) {
		_, body := k2.get("/keying")
		mustContain(t, body, "chưa được phân công nhập phiếu")
		if resp, _ := k2.get(keyURL); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("batch opened by a stranger: %d", resp.StatusCode)
		}
		e.addKeyer(sup, "dtv2")
	})
	t.Run("the keying screen renders every item with its options", func(t *testing.T) {
		resp, body := k1.get(keyURL)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		last := l.Items()[len(l.Items())-1]
		mustContain(t, body, `id="code"`, `autofocus`, `name="`+last.Name+`"`, last.Options[0], "/static/keying.js", "Lưu phiếu (Enter)", "Nhóm <strong>S2</strong>")
	})
	for _, c := range []struct {
		name, code, want string
	}{
		{"a mistyped code is caught at once by its check character", s2[0][:len(s2[0])-1] + flip(s2[0][len(s2[0])-1]), "sai ký tự kiểm tra"},
		{"a code that was never issued is refused", formcode.New("S2", "SNV", 9876), "chưa được phát hành"},
		{"a code of an online-only group is refused", codes["S1/"][0], "chỉ trả lời trực tuyến"},
		{"a code of another unit than the batch's is refused", formcode.New("S2", "STP", 1), "không thuộc lô đang nhập"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := k1.check(batch, c.code)
			if res.OK || !strings.Contains(res.Message, c.want) {
				t.Fatalf("check %s: %+v", c.code, res)
			}
		})
	}
	t.Run("a voided code is refused", func(t *testing.T) {
		if _, err := e.db.VoidForm(context.Background(), s2[9], "rách", false, 0); err != nil {
			t.Fatal(err)
		}
		if res := k1.check(batch, s2[9]); res.OK || !strings.Contains(res.Message, "đã bị hủy") {
			t.Fatalf("%+v", res)
		}
	})
	t.Run("a good code typed loosely is accepted and written in full", func(t *testing.T) {
		loose := strings.ToLower(strings.ReplaceAll(s2[0], "-", " "))
		res := k1.check(batch, loose)
		if !res.OK || res.Code != s2[0] || !strings.Contains(res.Message, "Sở Nội vụ") {
			t.Fatalf("%+v", res)
		}
	})

	t.Run("both keyings agreeing verify the form: one paper response dated by the batch", func(t *testing.T) {
		k1.get(keyURL)
		status, res := k1.postJSON(keyURL, keyed(l, s2[0], ones))
		if status != 200 || res.Kind != "first" {
			t.Fatalf("first keying: %d %+v", status, res)
		}
		if countResponses(t, e) != 0 {
			t.Fatal("a response was stored after one keying under double entry")
		}
		if r := k1.check(batch, s2[0]); r.OK || !strings.Contains(r.Message, "Bạn đã nhập phiếu này") {
			t.Fatalf("same keyer again: %+v", r)
		}
		k2.get(keyURL)
		status, res = k2.postJSON(keyURL, keyed(l, s2[0], ones))
		if status != 200 || res.Kind != "verified" || !strings.Contains(res.Message, "khớp") {
			t.Fatalf("second keying: %d %+v", status, res)
		}
		var channel, received string
		var valid int
		e.db.ReadRow(context.Background(), `SELECT channel, received_at, valid FROM responses`, nil, &channel, &received, &valid)
		if countResponses(t, e) != 1 || channel != "paper" || valid != 1 || !strings.HasPrefix(received, "2026-11-19T17:00:00") {
			t.Fatalf("response %s %s valid=%d", channel, received, valid)
		}
		if r := k1.check(batch, s2[0]); r.OK || !strings.Contains(r.Message, "đã được nhập và xác nhận") {
			t.Fatalf("verified form keyed again: %+v", r)
		}
	})

	// Two question items the second keyer reads differently.
	qa, qb := len(l.Fields)+2, len(l.Fields)+9
	var item int64
	t.Run("disagreeing keyings are stored but not counted, and go to the supervisor", func(t *testing.T) {
		k1.postJSON(keyURL, keyed(l, s2[1], ones))
		twos := func(i int, it paper.Item) string {
			if i == qa || i == qb {
				return "2"
			}
			return "1"
		}
		status, res := k2.postJSON(keyURL, keyed(l, s2[1], twos))
		if status != 200 || res.Kind != "differs" || !strings.Contains(res.Message, "khác lần nhập trước ở 2 mục") {
			t.Fatalf("%d %+v", status, res)
		}
		if countResponses(t, e) != 1 || countWhere(t, e, `SELECT count(*) FROM keyings`) != 4 {
			t.Fatal("a differing pair was counted")
		}
		e.db.ReadRow(context.Background(), `SELECT id FROM paper_conflicts WHERE kind = 'keyings_differ'`, nil, &item)
		if r := k1.check(batch, s2[1]); r.OK || !strings.Contains(r.Message, "chờ giám sát viên") {
			t.Fatalf("form in review keyed again: %+v", r)
		}
	})
	t.Run("the supervisor sees both keyings side by side with the paper code", func(t *testing.T) {
		resp, body := sup.get(e.paperURL("/queue"))
		if resp.StatusCode != 200 {
			t.Fatalf("queue: %d", resp.StatusCode)
		}
		mustContain(t, body, s2[1], "Hai lần nhập khác nhau")
		resp, body = sup.get(e.paperURL(fmt.Sprintf("/queue/%d", item)))
		if resp.StatusCode != 200 {
			t.Fatalf("item: %d", resp.StatusCode)
		}
		mustContain(t, body, s2[1], "Cán bộ dtv1", "Cán bộ dtv2", "khác nhau ở <strong>2</strong> mục", `name="d_`+l.Items()[qa].Name+`"`, "(lần nhập 2)")
		if strings.Count(body, "<select name=\"d_") != 2 {
			t.Fatal("a decision asked for an item the keyings agree on")
		}
	})
	t.Run("an adjudication missing an item is refused and stores nothing", func(t *testing.T) {
		resp, body := sup.post(e.paperURL(fmt.Sprintf("/queue/%d", item)), url.Values{"action": {"adjudicate"}, "d_" + l.Items()[qa].Name: {"2"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "chọn giá trị đúng theo phiếu giấy cho 1 mục")
		if countResponses(t, e) != 1 {
			t.Fatal("a half decision was stored")
		}
	})
	t.Run("the supervisor's decision stores the response and goes to the audit log with who decided", func(t *testing.T) {
		resp, body := sup.post(e.paperURL(fmt.Sprintf("/queue/%d", item)), url.Values{"action": {"adjudicate"},
			"d_" + l.Items()[qa].Name: {"2"}, "d_" + l.Items()[qb].Name: {"0"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		if countResponses(t, e) != 2 {
			t.Fatal("adjudicated response not stored")
		}
		var answers string
		e.db.ReadRow(context.Background(), `SELECT a.answers FROM responses r JOIN response_answers a ON a.response_id = r.id
			JOIN issued_forms f ON f.id = r.form_id WHERE f.code = ?`, []any{s2[1]}, &answers)
		q3, q10 := l.Items()[qa], l.Items()[qb]
		if answers[q3.Question] != '2' || answers[q10.Question] != '0' {
			t.Fatalf("answers %s", answers)
		}
		log, _ := e.db.AuditLog(context.Background(), e.camp.ID, 5)
		if log[0].Action != "paper.adjudicate" || log[0].Username != "giamsat" || log[0].Subject != s2[1] || !strings.Contains(log[0].Detail, `"chosen":"0"`) {
			t.Fatalf("audit %+v", log[0])
		}
		_, page := sup.get(e.paperURL("/queue"))
		mustContain(t, page, "Không có phiếu nào đang chờ xử lý", "Đã đối chiếu với phiếu giấy")
	})

	t.Run("a code already answered online goes to the conflict queue and is never counted twice", func(t *testing.T) {
		f, err := e.db.FormByCode(context.Background(), s2[2])
		if err != nil {
			t.Fatal(err)
		}
		q := e.camp.Def.Questionnaire("CH2")
		if resp, _ := e.client().post("/p/"+f.Token, answers(q, nil, 2, "sid-paper")); resp.StatusCode != 200 {
			t.Fatalf("online answer: %d", resp.StatusCode)
		}
		res := k1.check(batch, s2[2])
		if !res.OK || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "hàng chờ xung đột") {
			t.Fatalf("check: %+v", res)
		}
		status, saved := k1.postJSON(keyURL, keyed(l, s2[2], ones))
		if status != 200 || saved.Kind != "conflict" || !strings.Contains(saved.Message, "trực tuyến") {
			t.Fatalf("%d %+v", status, saved)
		}
		if countResponses(t, e) != 3 || countWhere(t, e, `SELECT count(*) FROM responses r JOIN issued_forms f ON f.id = r.form_id WHERE f.code = ?`, s2[2]) != 1 {
			t.Fatal("the code is counted twice")
		}
		if r := k2.check(batch, s2[2]); r.OK || !strings.Contains(r.Message, "chờ giám sát viên") {
			t.Fatalf("second keyer: %+v", r)
		}
		var id int64
		e.db.ReadRow(context.Background(), `SELECT id FROM paper_conflicts WHERE kind = 'already_answered'`, nil, &id)
		_, page := sup.get(e.paperURL(fmt.Sprintf("/queue/%d", id)))
		mustContain(t, page, "Giữ phiếu đã nhận trước", "trực tuyến")
		resp, _ := sup.post(e.paperURL(fmt.Sprintf("/queue/%d", id)), url.Values{"action": {"keep_first"}, "note": {"Người trả lời đã gửi trực tuyến"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("keep first: %d", resp.StatusCode)
		}
		if r := k2.check(batch, s2[2]); r.OK || !strings.Contains(r.Message, "giữ phiếu đó") {
			t.Fatalf("after the decision: %+v", r)
		}
		if countResponses(t, e) != 3 {
			t.Fatal("keeping the first changed the responses")
		}
	})

	t.Run("without script: a post with only the code checks it and puts the cursor on the first item", func(t *testing.T) {
		k2.get(keyURL)
		resp, body := k2.post(keyURL, url.Values{"code": {strings.ToLower(s2[3])}})
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		first := l.Items()[0].Name
		mustContain(t, body, "Mã phiếu "+s2[3]+" đúng", `value="`+s2[3]+`"`)
		if !regexp.MustCompile(`name="` + first + `"[^>]*autofocus`).MatchString(body) {
			t.Fatal("the cursor does not start on the first item")
		}
	})
	t.Run("without script: an item left unkeyed brings the form back with every value kept", func(t *testing.T) {
		v := keyed(l, s2[3], ones)
		missing := l.Items()[5].Name
		v.Set(missing, "")
		v.Set(l.Items()[6].Name, "3")
		resp, body := k2.post(keyURL, v)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Phiếu chưa lưu được", "bỏ trống thì nhập 0", `name="`+l.Items()[6].Name+`" class="k-key" value="3"`)
		if !regexp.MustCompile(`name="` + missing + `"[^>]*autofocus`).MatchString(body) {
			t.Fatal("the cursor is not on the missing item")
		}
		if countWhere(t, e, `SELECT count(*) FROM keyings k JOIN issued_forms f ON f.id = k.form_id WHERE f.code = ?`, s2[3]) != 0 {
			t.Fatal("an incomplete keying was stored")
		}
	})
	t.Run("without script: a complete form is saved and the screen comes back empty with the result", func(t *testing.T) {
		resp, _ := k2.post(keyURL, keyed(l, s2[3], ones))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		_, body := k2.get(keyURL)
		mustContain(t, body, "Đã lưu lần nhập thứ nhất của phiếu "+s2[3])
	})
	t.Run("a batch takes no more keyed forms than it was recorded with", func(t *testing.T) {
		small := e.recordBatch(sup, "S2", "SNV", 1, paperDay)
		k1.get(fmt.Sprintf("/keying/batches/%d", small))
		if _, res := k1.postJSON(fmt.Sprintf("/keying/batches/%d", small), keyed(l, s2[4], ones)); res.Kind != "first" {
			t.Fatalf("first form: %+v", res)
		}
		if r := k1.check(small, s2[5]); r.OK || !strings.Contains(r.Message, "đã nhập đủ 1 phiếu") {
			t.Fatalf("%+v", r)
		}
		if r := k2.check(batch, s2[4]); r.OK || !strings.Contains(r.Message, fmt.Sprintf("lô số %d", small)) {
			t.Fatalf("form of another batch: %+v", r)
		}
	})

	t.Run("the reconciliation counts keyed, verified and valid forms and lists the missing codes", func(t *testing.T) {
		if _, err := e.db.Assign(context.Background(), e.camp.ID, s2[:8], e.userID("dtv1"), e.userID("giamsat")); err != nil {
			t.Fatal(err)
		}
		rows, _ := e.db.PaperReconciliation(context.Background(), e.camp.ID)
		var r store.PaperRow
		for _, x := range rows {
			if x.Group == "S2" && x.Unit == "SNV" {
				r = x
			}
		}
		// s2[0] verified, s2[1] adjudicated, s2[2] online + paper conflict, s2[3] and s2[4] keyed once.
		if r.HandedOut != 8 || r.Returned != 11 || r.Keyed != 5 || r.Verified != 2 || r.Valid != 3 || r.Missing != 3 {
			t.Fatalf("row %+v", r)
		}
		_, body := sup.get(e.paperURL(""))
		mustContain(t, body, s2[5], s2[7])
	})
	t.Run("honoraria pay the bearer of each verified form, on the page and in the workbook", func(t *testing.T) {
		resp, body := sup.get(e.paperURL("/honoraria"))
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		// Two verified forms of one unit: 2 × 10.000 + 200.000.
		mustContain(t, body, "Cán bộ dtv1", "220.000", s2[0], s2[1])
		resp, xlsx := sup.get(e.paperURL("/honoraria.xlsx"))
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("download %d", resp.StatusCode)
		}
		f, err := excelize.OpenReader(strings.NewReader(xlsx))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(paper.SheetByEnumerator, excelize.Options{RawCellValue: true})
		if len(rows) < 5 || rows[4][1] != "Cán bộ dtv1" || rows[4][6] != "220000" || !strings.Contains(rows[4][8], s2[1]) {
			t.Fatalf("workbook rows %q", rows)
		}
	})
	t.Run("keyer statistics show forms per hour and the discrepancy rate per keyer and day", func(t *testing.T) {
		resp, body := sup.get(e.paperURL("/stats"))
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Cán bộ dtv1", "Cán bộ dtv2", "Phiếu/giờ", "Tỷ lệ sai lệch", "50,0%")
	})
}

// flip returns another character of the code alphabet, for a mistyped check character.
func flip(c byte) string {
	if c == '1' {
		return "2"
	}
	return "1"
}

func TestKeyingOutsideTheWindowAndWithoutDoubleEntry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	var h3 []string
	for _, f := range forms["H3"] {
		if f.Unit == "H01" {
			h3 = append(h3, f.Code)
		}
	}
	l, _ := paper.NewLayout(e.camp.Def, "H3", "H01")
	sup, k1 := e.client(), e.client()
	sup.login("admin")
	k1.login("dtv1")
	e.addKeyer(sup, "dtv1")
	eff := campaign.EffectiveOf(e.camp.Def)
	eff.DoubleEntry = false
	if _, err := intake.ChangeSettings(context.Background(), e.db, e.camp.ID, 0, eff); err != nil {
		t.Fatal(err)
	}
	t.Run("a late batch is recorded with a warning", func(t *testing.T) {
		late := e.recordBatch(sup, "H3", "H01", 5, time.Date(2027, 1, 4, 0, 0, 0, 0, campaign.Zone))
		_, page := sup.get(e.paperURL(""))
		mustContain(t, page, "ngoài thời gian khảo sát")
		res := k1.check(late, h3[0])
		if !res.OK || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "04/01/2027") {
			t.Fatalf("%+v", res)
		}
		k1.get(fmt.Sprintf("/keying/batches/%d", late))
		_, saved := k1.postJSON(fmt.Sprintf("/keying/batches/%d", late), keyed(l, h3[0], ones))
		if saved.Kind != "invalid" || !strings.Contains(saved.Message, "ngoài thời gian khảo sát") {
			t.Fatalf("%+v", saved)
		}
		var valid int
		var reasons string
		e.db.ReadRow(context.Background(), `SELECT valid, reasons FROM responses`, nil, &valid, &reasons)
		if valid != 0 || !strings.Contains(reasons, "outside_window") {
			t.Fatalf("valid=%d reasons=%s", valid, reasons)
		}
	})
	t.Run("without double entry the first keying is the response", func(t *testing.T) {
		b := e.recordBatch(sup, "H3", "H01", 5, paperDay)
		k1.get(fmt.Sprintf("/keying/batches/%d", b))
		_, saved := k1.postJSON(fmt.Sprintf("/keying/batches/%d", b), keyed(l, h3[1], ones))
		if saved.Kind != "saved" || countResponses(t, e) != 2 {
			t.Fatalf("%+v, %d responses", saved, countResponses(t, e))
		}
	})
}

// upload posts a file as multipart form data with the page's CSRF token.
func (c *client) upload(path, name string, data []byte) (*http.Response, string) {
	c.e.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", c.csrf)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// importFile builds an XLSX import of n forms of group H3 about H01 from the template.
func importFile(t *testing.T, e *testEnv, sup *client, codes []string, edit func(row int, cells []any) []any) []byte {
	t.Helper()
	resp, tpl := sup.get(e.paperURL("/import/template/H3"))
	if resp.StatusCode != 200 {
		t.Fatalf("template: %d", resp.StatusCode)
	}
	f, err := excelize.OpenReader(strings.NewReader(tpl))
	if err != nil {
		t.Fatal(err)
	}
	header, _ := f.GetRows(paper.SheetData)
	for i, code := range codes {
		cells := []any{code, "21/11/2026"}
		for range header[0][2:] {
			cells = append(cells, "2")
		}
		if edit != nil {
			cells = edit(i+2, cells)
		}
		if err := f.SetSheetRow(paper.SheetData, fmt.Sprintf("A%d", i+2), &cells); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	f.Write(&out)
	return out.Bytes()
}

func TestPaperImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	var h3 []*store.IssuedForm
	for _, f := range forms["H3"] {
		if f.Unit == "H01" {
			h3 = append(h3, f)
		}
	}
	codes := make([]string, 6)
	for i := range codes {
		codes[i] = h3[i].Code
	}
	sup := e.client()
	sup.login("giamsat")

	t.Run("the import page documents the layout and offers a template per paper group", func(t *testing.T) {
		resp, body := sup.get(e.paperURL("/import"))
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "ma_phieu", "ngay_nhan", "/paper/import/template/H3?format=csv", "không dòng nào được lưu")
		resp, csv := sup.get(e.paperURL("/import/template/S2?format=csv"))
		if resp.StatusCode != 200 || !strings.HasPrefix(csv, "\ufeffma_phieu,ngay_nhan,r_") {
			t.Fatalf("csv template %d %q", resp.StatusCode, csv[:min(40, len(csv))])
		}
		if resp, _ := sup.get(e.paperURL("/import/template/S1")); resp.StatusCode != 404 {
			t.Fatalf("template of an online group: %d", resp.StatusCode)
		}
	})
	t.Run("a bad file is refused whole, with every bad row named and why", func(t *testing.T) {
		data := importFile(t, e, sup, codes, func(row int, cells []any) []any {
			switch row {
			case 3:
				s := cells[0].(string)
				cells[0] = s[:len(s)-1] + flip(s[len(s)-1])
			case 5:
				cells[4] = "7"
			case 6:
				cells[1] = "hôm qua"
			case 7:
				cells[0] = codes[0]
			}
			return cells
		})
		sup.get(e.paperURL("/import"))
		resp, body := sup.upload(e.paperURL("/import"), "vien.xlsx", data)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Tệp chưa được nhập: 4 lỗi ở 4 dòng", "Dòng 3, cột ma_phieu: Mã phiếu sai ký tự kiểm tra",
			"Dòng 5, cột", "“7” không phải lựa chọn", "Dòng 6, cột ngay_nhan", "Dòng 7, cột ma_phieu: mã phiếu "+codes[0]+" trùng với dòng 2")
		if countResponses(t, e) != 0 {
			t.Fatal("rows of a refused file were stored")
		}
	})
	good := importFile(t, e, sup, codes, nil)
	t.Run("a good file is stored whole on the import channel", func(t *testing.T) {
		sup.get(e.paperURL("/import"))
		resp, body := sup.upload(e.paperURL("/import"), "vien.xlsx", good)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		mustContain(t, body, "lưu mới 6 phiếu, 0 phiếu đã có")
		if countWhere(t, e, `SELECT count(*) FROM responses WHERE channel = 'import' AND valid = 1`) != 6 {
			t.Fatal("imported responses missing or invalid")
		}
	})
	t.Run("uploading the same file again stores nothing twice", func(t *testing.T) {
		sup.get(e.paperURL("/import"))
		resp, body := sup.upload(e.paperURL("/import"), "vien.xlsx", good)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "lưu mới 0 phiếu, 6 phiếu đã có")
		if countResponses(t, e) != 6 {
			t.Fatalf("%d responses after a re-upload", countResponses(t, e))
		}
	})
	t.Run("a fixed file re-uploaded with one changed row is refused for that row only", func(t *testing.T) {
		changed := importFile(t, e, sup, codes, func(row int, cells []any) []any {
			if row == 4 {
				cells[5] = "1"
			}
			return cells
		})
		sup.get(e.paperURL("/import"))
		resp, body := sup.upload(e.paperURL("/import"), "vien.xlsx", changed)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Dòng 4, cột ma_phieu: mã phiếu "+codes[2]+" đã được nhập từ tệp trước đây với nội dung khác")
	})
	t.Run("a CSV with the same rows is recognised as already stored", func(t *testing.T) {
		l, _ := paper.TemplateLayout(e.camp.Def, "H3")
		var b strings.Builder
		b.WriteString(strings.Join(l.Columns(), ";") + "\n")
		b.WriteString(codes[0] + ";21/11/2026" + strings.Repeat(";2", len(l.Items())) + "\n")
		sup.get(e.paperURL("/import"))
		resp, body := sup.upload(e.paperURL("/import"), "vien.csv", []byte(b.String()))
		if resp.StatusCode != 200 {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		mustContain(t, body, "lưu mới 0 phiếu, 1 phiếu đã có")
	})
	t.Run("a file of another kind is refused with a reason", func(t *testing.T) {
		sup.get(e.paperURL("/import"))
		resp, body := sup.upload(e.paperURL("/import"), "vien.pdf", []byte("%PDF"))
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Tệp phải là Excel (.xlsx) hoặc CSV (.csv)")
	})
}
