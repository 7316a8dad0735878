package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/store"
)

// fieldMessage is the message shown right after the input or select with the id, tied to it by
// aria-describedby, or "" when there is none.
func fieldMessage(body, id string) string {
	q := regexp.QuoteMeta(id)
	re := regexp.MustCompile(`(?s)(?:<input[^>]*\sid="` + q + `"[^>]*>|<select[^>]*\sid="` + q + `"[^>]*>(?:\s|<option[^>]*>[^<]*</option>)*</select>)` +
		`\s*<p class="field-error" id="` + q + `-loi"[^>]*>([^<]*)</p>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	tag := regexp.MustCompile(`<(?:input|select)[^>]*\sid="` + q + `"[^>]*>`).FindString(body)
	if !regexp.MustCompile(`aria-describedby="` + q + `-loi"`).MatchString(tag) {
		return ""
	}
	return html.UnescapeString(m[1])
}

// fieldValue is what the input or select with the id shows: its value, or its selected option.
func fieldValue(body, id string) string {
	q := regexp.QuoteMeta(id)
	if m := regexp.MustCompile(`(?s)<select[^>]*\sid="` + q + `"[^>]*>(.*?)</select>`).FindStringSubmatch(body); m != nil {
		if o := regexp.MustCompile(`<option value="([^"]*)"[^>]*\sselected`).FindStringSubmatch(m[1]); o != nil {
			return html.UnescapeString(o[1])
		}
		return ""
	}
	tag := regexp.MustCompile(`<input[^>]*\sid="` + q + `"[^>]*>`).FindString(body)
	if v := regexp.MustCompile(`\svalue="([^"]*)"`).FindStringSubmatch(tag); v != nil {
		return html.UnescapeString(v[1])
	}
	return ""
}

func TestRefusedStaffFormsComeBackWithTheMessageNextToTheField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	def := e.camp.Def
	camp := fmt.Sprintf("/campaigns/%d", e.camp.ID)
	s2, snv, h01 := def.Group("S2"), def.Unit("SNV"), def.Unit("H01")
	enumerators, _ := e.db.Users(context.Background(), store.RoleEnumerator)
	dtv1 := fmt.Sprint(enumerators[0].ID)
	admin := e.client()
	admin.login("admin")
	cases := []struct {
		name   string
		page   string // the page the form is on
		post   string
		form   url.Values
		status int
		field  string // the input the message stands next to
		msg    string
		kept   map[string]string // input id → what it still shows
	}{
		{"printing before issuing says to issue first", "/forms", "/print",
			url.Values{"group": {"S2"}, "unit": {"SNV"}}, http.StatusUnprocessableEntity,
			"print-unit", "Chưa có phiếu nào được phát cho lựa chọn này: hãy phát phiếu trước khi in.",
			map[string]string{"print-group": "S2", "print-unit": "SNV"}},
		{"issuing a group for a unit it does not evaluate says why", "/forms", "/forms/issue",
			url.Values{"group": {"S2"}, "unit": {"H01"}, "reserve": {"7"}}, http.StatusUnprocessableEntity,
			"issue-unit", fmt.Sprintf("Nhóm S2 (%s) đánh giá %s; đơn vị H01 (%s) là %s.", s2.Name, def.Kind(s2.Evaluates).Name, h01.Name, def.Kind(h01.Kind).Name),
			map[string]string{"issue-group": "S2", "issue-unit": "H01", "issue-reserve": "7"}},
		{"issuing a matrix group for one unit says a matrix form has none", "/forms", "/forms/issue",
			url.Values{"group": {"S1"}, "unit": {"SNV"}, "reserve": {"10"}}, http.StatusUnprocessableEntity,
			"issue-unit", "dùng phiếu ma trận", map[string]string{"issue-group": "S1", "issue-unit": "SNV"}},
		{"a reserve that is not a whole percent is refused", "/forms", "/forms/issue",
			url.Values{"group": {"S2"}, "unit": {"SNV"}, "reserve": {"150"}}, http.StatusUnprocessableEntity,
			"issue-reserve", "Dự phòng phải là số nguyên từ 0 đến 100", map[string]string{"issue-reserve": "150", "issue-unit": "SNV"}},
		{"a wrong code typed to lock the campaign is refused", "", "/lock",
			url.Values{"confirm": {"demo-2025"}}, http.StatusBadRequest,
			"confirm", "Để khóa đợt khảo sát, hãy gõ đúng mã đợt " + e.camp.Code + " vào ô xác nhận.", map[string]string{"confirm": "demo-2025"}},
		{"assigning without an enumerator asks for one", "/forms", "/forms/assign",
			url.Values{"group": {"S2"}, "unit": {"SNV"}, "from": {"2"}, "to": {"4"}}, http.StatusUnprocessableEntity,
			"assign-enumerator", "Cần chọn điều tra viên.", map[string]string{"assign-group": "S2", "assign-unit": "SNV", "assign-from": "2", "assign-to": "4"}},
		{"assigning a range that ends before it starts is refused", "/forms", "/forms/assign",
			url.Values{"enumerator": {dtv1}, "group": {"S2"}, "unit": {"SNV"}, "from": {"5"}, "to": {"3"}}, http.StatusUnprocessableEntity,
			"assign-to", "không nhỏ hơn số bắt đầu", map[string]string{"assign-enumerator": dtv1, "assign-from": "5", "assign-to": "3"}},
		{"assigning a range with no forms issued says so", "/forms", "/forms/assign",
			url.Values{"enumerator": {dtv1}, "group": {"S2"}, "unit": {"SNV"}, "from": {"1"}, "to": {"3"}}, http.StatusUnprocessableEntity,
			"assign-from", "Không có phiếu nào trong khoảng số thứ tự này.", map[string]string{"assign-enumerator": dtv1, "assign-unit": "SNV"}},
		{"voiding a mistyped code names the mistake", "/forms", "/forms/void",
			url.Values{"code": {"S2-SNV-0001"}, "reason": {"mất phiếu"}}, http.StatusUnprocessableEntity,
			"void-code", "Mã phiếu", map[string]string{"void-code": "S2-SNV-0001", "void-reason": "mất phiếu"}},
		{"voiding a code never issued says it is unknown", "/forms", "/forms/void",
			url.Values{"code": {formcode.New("S2", snv.Code, 999)}, "reason": {"mất phiếu"}}, http.StatusUnprocessableEntity,
			"void-code", fmt.Sprintf(msgCodeUnknown, formcode.New("S2", snv.Code, 999)), map[string]string{"void-reason": "mất phiếu"}},
		{"voiding without a reason asks for one", "/forms", "/forms/void",
			url.Values{"code": {formcode.New("S2", snv.Code, 1)}, "reason": {"  "}}, http.StatusUnprocessableEntity,
			"void-reason", "Cần ghi lý do hủy phiếu.", map[string]string{"void-code": formcode.New("S2", snv.Code, 1)}},
		{"a new account without a name keeps what was typed, normalised", "/users", "/users",
			url.Values{"username": {"dtv7"}, "full_name": {" "}, "role": {"supervisor"}}, http.StatusUnprocessableEntity,
			"full_name", "Cần nhập họ và tên.", map[string]string{"username": "dtv7", "role": "supervisor"}},
		{"a new account with a taken user name says so next to it", "/users", "/users",
			url.Values{"username": {"giamsat"}, "full_name": {"Nguye\u0302\u0303n Văn An"}, "role": {"admin"}}, http.StatusConflict,
			"username", "đã có người dùng", map[string]string{"username": "giamsat", "full_name": "Nguyễn Văn An", "role": "admin"}},
		{"a wrong current password is said next to it", "/password", "/password",
			url.Values{"current": {"sai-mat-khau"}, "new": {"mat-khau-moi-dai"}, "repeat": {"mat-khau-moi-dai"}}, http.StatusUnprocessableEntity,
			"current", "Mật khẩu hiện tại không đúng.", map[string]string{"current": "", "new": ""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page, post := camp+tc.page, camp+tc.post
			if tc.page == "/users" || tc.page == "/password" {
				page, post = tc.page, tc.post
			}
			admin.get(page)
			resp, body := admin.post(post, tc.form)
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if got := fieldMessage(body, tc.field); got == "" || !strings.Contains(got, tc.msg) {
				t.Errorf("message next to %s = %q, want %q", tc.field, got, tc.msg)
			}
			for id, want := range tc.kept {
				if got := fieldValue(body, id); got != want {
					t.Errorf("%s shows %q, want %q", id, got, want)
				}
			}
		})
	}
	t.Run("nothing was issued, locked or created by the refused forms", func(t *testing.T) {
		if n := countForms(t, e, store.FormFilter{}); n != 0 {
			t.Errorf("%d forms issued", n)
		}
		if cp, _ := e.db.Campaign(context.Background(), e.camp.ID); !cp.LockedAt.IsZero() {
			t.Error("campaign locked")
		}
		users, _ := e.db.Users(context.Background(), "")
		for _, u := range users {
			if u.Username == "dtv7" {
				t.Error("account created without a name")
			}
		}
	})
}

func TestIssuingPageRefusesASecondVoidAndAssignsMatrixForms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.client()
	admin.login("admin")
	admin.get(e.formsURL(""))
	admin.post(e.formsURL("/issue"), url.Values{"group": {"S2"}, "unit": {"SNV"}, "reserve": {"0"}})
	code := formcode.New("S2", "SNV", 1)
	t.Run("a form voided twice comes back the second time with the reason next to the code", func(t *testing.T) {
		admin.get(e.formsURL(""))
		if resp, _ := admin.post(e.formsURL("/void"), url.Values{"code": {code}, "reason": {"rách"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("void = %d", resp.StatusCode)
		}
		admin.get(e.formsURL(""))
		resp, body := admin.post(e.formsURL("/void"), url.Values{"code": {code}, "reason": {"lần hai"}})
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("second void = %d", resp.StatusCode)
		}
		if got := fieldMessage(body, "void-code"); got != fmt.Sprintf(msgVoidAlready, code) {
			t.Errorf("message next to the code = %q", got)
		}
		if fieldValue(body, "void-reason") != "lần hai" {
			t.Error("the reason typed is lost")
		}
	})
	t.Run("a matrix group's forms are assigned without a unit", func(t *testing.T) {
		admin.get(e.formsURL(""))
		admin.post(e.formsURL("/issue"), url.Values{"group": {"S1"}, "reserve": {"0"}})
		enumerators, _ := e.db.Users(context.Background(), store.RoleEnumerator)
		admin.get(e.formsURL(""))
		resp, body := admin.post(e.formsURL("/assign"), url.Values{"enumerator": {fmt.Sprint(enumerators[0].ID)}, "group": {"S1"}, "from": {"1"}, "to": {"2"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("assign = %d\n%s", resp.StatusCode, body)
		}
	})
}
