package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
)

// lastAudit is the newest audit entry of an action, or nil.
func (e *testEnv) lastAudit(action string) *store.AuditEntry {
	e.t.Helper()
	log, err := e.db.AuditEntries(e.t.Context(), store.AuditFilter{Actions: []string{action}, Limit: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, l := range log {
		if l.Action == action {
			return &l
		}
	}
	return nil
}

func TestWhatTheIssueFoundMissingIsAudited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	base := fmt.Sprintf("/campaigns/%d", e.camp.ID)
	admin := e.client()
	admin.login("admin")
	admin.post(base+"/forms/issue", url.Values{"group": {"S3"}, "unit": {"SNV"}, "reserve": {"0"}})

	t.Run("a refused sign-in, with the name typed and the address", func(t *testing.T) {
		c := e.client()
		c.get("/login")
		c.post("/login", url.Values{"username": {"giamsat"}, "password": {"sai-mat-khau-roi"}})
		a := e.lastAudit("user.login_failed")
		if a == nil || a.Subject != "giamsat" || a.UserID != e.userID("giamsat") || !strings.Contains(a.Detail, `"reason":"password"`) ||
			!strings.Contains(a.Detail, c.ip) {
			t.Fatalf("entry = %+v", a)
		}
	})
	t.Run("a sign-in under an unknown, overlong name keeps a bounded, whole-character name", func(t *testing.T) {
		c := e.client()
		c.get("/login")
		c.post("/login", url.Values{"username": {strings.Repeat("ệ", 100)}, "password": {"x"}})
		a := e.lastAudit("user.login_failed")
		if a == nil || len(a.Subject) > 64 || a.Subject != strings.Repeat("ệ", 21) || a.UserID != 0 {
			t.Fatalf("entry = %+v", a)
		}
	})
	t.Run("a sign-out", func(t *testing.T) {
		c := e.client()
		c.login("giamsat")
		c.post("/logout", nil)
		if a := e.lastAudit("user.logout"); a == nil || a.UserID != e.userID("giamsat") {
			t.Fatalf("entry = %+v", a)
		}
	})
	t.Run("a distribution list download, with who, the campaign, the selection and the request id", func(t *testing.T) {
		sup := e.client()
		sup.login("giamsat")
		resp, _ := sup.get(base + "/forms/list.xlsx?group=S3&unit=SNV")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		a := e.lastAudit("download.distribution_list")
		if a == nil || a.UserID != e.userID("giamsat") || a.CampaignID != e.camp.ID || a.RequestID == "" || a.RequestID != resp.Header.Get("X-Request-ID") {
			t.Fatalf("entry = %+v (request %s)", a, resp.Header.Get("X-Request-ID"))
		}
		got := auditSentence(*a, auditNames{def: e.camp.Def})
		if got != "Tải xuống danh sách phát phiếu (có đường dẫn của từng phiếu) (XLSX), nhóm S3, đơn vị Sở Nội vụ" {
			t.Fatalf("sentence %q", got)
		}
	})
	t.Run("a refused download is not recorded as one", func(t *testing.T) {
		viewer := e.client()
		e.addUser("xem", store.RoleViewer)
		viewer.login("xem")
		before := e.lastAudit("download.distribution_list")
		if resp, _ := viewer.get(base + "/forms/list.csv"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if after := e.lastAudit("download.distribution_list"); after.ID != before.ID {
			t.Fatalf("a refused download was audited: %+v", after)
		}
	})
	t.Run("a result export and an API read", func(t *testing.T) {
		e.run(admin)
		if resp, _ := admin.get(base + "/results/export.json"); resp.StatusCode != http.StatusOK {
			t.Fatalf("export: %d", resp.StatusCode)
		}
		if a := e.lastAudit("download.results"); a == nil || !strings.Contains(a.Detail, `"format":"json"`) {
			t.Fatalf("entry = %+v", a)
		}
		if resp, _ := admin.get(fmt.Sprintf("/api/v1/campaigns/%d/scores", e.camp.ID)); resp.StatusCode != http.StatusOK {
			t.Fatalf("api: %d", resp.StatusCode)
		}
		if a := e.lastAudit("api.read"); a == nil || a.UserID != e.userID("admin") || a.CampaignID != e.camp.ID {
			t.Fatalf("entry = %+v", a)
		}
	})
	t.Run("every stored response is sealed in the log", func(t *testing.T) {
		f := e.unitForm("S3", "SNV")
		q := e.camp.Def.Questionnaire(e.camp.Def.Group("S3").Form)
		r := e.client()
		r.get("/p/" + f.Token)
		if resp, body := r.post("/p/"+f.Token, answers(q, nil, 1, "sid-sealed")); resp.StatusCode != http.StatusOK {
			t.Fatalf("submit: %d\n%s", resp.StatusCode, text(body))
		}
		if a := e.lastAudit("response.store"); a == nil || a.Subject != f.Code || a.CampaignID != e.camp.ID {
			t.Fatalf("entry = %+v", a)
		}
		var responses, seals int
		e.db.ReadRow(t.Context(), `SELECT count(*) FROM responses`, nil, &responses)
		e.db.ReadRow(t.Context(), `SELECT count(*) FROM audit_log WHERE action = 'response.store'`, nil, &seals)
		if responses == 0 || responses != seals {
			t.Fatalf("%d responses, %d seals", responses, seals)
		}
		if rep, err := e.db.Verify(t.Context()); err != nil || !rep.OK() {
			t.Fatalf("verify = %+v, %v", rep, err)
		}
	})
}

// addUser adds a test account with the test password.
func (e *testEnv) addUser(name string, role store.Role) {
	e.t.Helper()
	if _, err := e.db.UserByName(e.t.Context(), name); err == nil {
		return
	}
	u := &store.User{Username: name, FullName: "Cán bộ " + name, Role: role, PasswordHash: e.passwordHash()}
	if err := e.db.CreateUser(e.t.Context(), u); err != nil {
		e.t.Fatal(err)
	}
}

// passwordHash is the stored hash of the test accounts' password.
func (e *testEnv) passwordHash() string {
	e.t.Helper()
	u, err := e.db.UserByName(e.t.Context(), "admin")
	if err != nil {
		e.t.Fatal(err)
	}
	return u.PasswordHash
}

func TestTheAuditPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.client()
	admin.login("admin")
	admin.get("/users")
	dtv2 := itoa(e.userID("dtv2"))
	if resp, _ := admin.post("/users/"+dtv2+"/toggle", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("toggle: %d", resp.StatusCode)
	}
	base := fmt.Sprintf("/campaigns/%d", e.camp.ID)

	t.Run("account events are on the accounts page", func(t *testing.T) {
		body := admin.page("/users")
		mustContain(t, body, "Thay đổi tài khoản và đăng nhập gần đây", "Khóa tài khoản Cán bộ dtv2", "Đăng nhập")
	})
	t.Run("the whole log, with the account events, filtered by what and who", func(t *testing.T) {
		body := text(admin.page("/audit?what=tai-khoan&who=" + itoa(e.userID("admin"))))
		mustContain(t, body, "Khóa tài khoản Cán bộ dtv2", "Đăng nhập")
		if strings.Contains(body, "Nạp định nghĩa") {
			t.Fatal("a campaign load shows under account events")
		}
	})
	t.Run("a filter by dates", func(t *testing.T) {
		today := time.Now().In(campaign.Zone).Format(time.DateOnly)
		mustContain(t, text(admin.page("/audit?from="+today+"&to="+today)), "Khóa tài khoản")
		past := time.Now().AddDate(-1, 0, 0).Format(time.DateOnly)
		mustContain(t, text(admin.page("/audit?to="+past)), "Không có thao tác nào khớp bộ lọc")
	})
	t.Run("a bad filter is told on the page, with what was typed", func(t *testing.T) {
		resp, body := admin.get("/audit?from=31/12/2026&what=tai-khoan")
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Ngày “31/12/2026” không đúng dạng", `value="31/12/2026"`, `<option value="tai-khoan" selected>`)
	})
	t.Run("the whole log is the administrator's", func(t *testing.T) {
		sup := e.client()
		sup.login("giamsat")
		if resp, _ := sup.get("/audit"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", resp.StatusCode)
		}
		// A supervisor reads the campaign's log, without the account events.
		body := text(sup.page(base + "/audit"))
		mustContain(t, body, "Nạp định nghĩa đợt khảo sát")
		if strings.Contains(body, "Khóa tài khoản") {
			t.Fatal("account events in a campaign's log")
		}
	})
	t.Run("the XLSX export holds the filtered entries as sentences", func(t *testing.T) {
		resp, body := admin.get("/audit.xlsx?what=tai-khoan")
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "nhat-ky.xlsx") {
			t.Fatalf("status %d, %s", resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		x, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows("Nhật ký")
		if err != nil || len(rows) < 3 {
			t.Fatalf("rows %v, %v", rows, err)
		}
		if rows[0][3] != "Thao tác" || !strings.Contains(strings.Join(flatten(rows), "\n"), "Khóa tài khoản Cán bộ dtv2") {
			t.Fatalf("rows %v", rows)
		}
		for _, r := range rows[1:] {
			if !strings.HasPrefix(r[4], "user.") {
				t.Fatalf("an entry outside the filter: %v", r)
			}
		}
	})
	t.Run("the CSV export of a campaign's log reads back, cells neutralised", func(t *testing.T) {
		resp, body := admin.get(base + "/audit.csv")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil || len(recs) < 2 || recs[0][0] != "Thời điểm (giờ Việt Nam)" {
			t.Fatalf("records %v, %v", recs, err)
		}
		mustContain(t, body, "Nạp định nghĩa đợt khảo sát")
		if a := e.lastAudit("download.audit"); a == nil || a.CampaignID != e.camp.ID {
			t.Fatalf("the export of the log is not itself audited: %+v", a)
		}
	})
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func TestRolesAndScopeOnTheAccountsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.client()
	admin.login("admin")
	body := admin.page("/users")
	for _, r := range store.Roles {
		mustContain(t, body, ">"+r.Label()+"</option>")
	}
	sup := e.client()
	sup.login("giamsat")
	id := itoa(e.userID("giamsat"))

	t.Run("a new role ends the account's sessions and is audited", func(t *testing.T) {
		if resp, _ := admin.post("/users/"+id+"/role", url.Values{"role": {"analyst"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if resp, _ := sup.get("/"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the old session goes on: %d", resp.StatusCode)
		}
		if u, _ := e.db.UserByName(t.Context(), "giamsat"); u.Role != store.RoleAnalyst {
			t.Fatalf("role %s", u.Role)
		}
		mustContain(t, admin.page("/users"), "Đổi vai trò của Cán bộ giamsat từ “Giám sát viên” thành “Chuyên viên phân tích (Viện)”")
	})
	t.Run("a role outside the five is refused", func(t *testing.T) {
		if resp, _ := admin.post("/users/"+id+"/role", url.Values{"role": {"owner"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("nobody changes their own role", func(t *testing.T) {
		if resp, _ := admin.post("/users/"+itoa(e.userID("admin"))+"/role", url.Values{"role": {"viewer"}}); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("a scope limits the home page, and lifting it shows all again", func(t *testing.T) {
		if resp, _ := admin.post("/users/"+id+"/scope", url.Values{"organisation": {"Sở Nội vụ tỉnh khác"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		c := e.client()
		c.login("giamsat")
		if body := c.page("/"); strings.Contains(body, e.camp.Name) {
			t.Fatal("a campaign out of scope on the home page")
		}
		mustContain(t, admin.page("/users"), "Giới hạn: Sở Nội vụ tỉnh khác", "Giới hạn Cán bộ giamsat vào các đợt khảo sát do Sở Nội vụ tỉnh khác tổ chức")
		admin.post("/users/"+id+"/scope", url.Values{"campaign": {itoa(e.camp.ID)}})
		mustContain(t, c.page("/"), e.camp.Name)
		admin.post("/users/"+id+"/scope", nil)
		if u, _ := e.db.UserByName(t.Context(), "giamsat"); u.Scoped() {
			t.Fatalf("scope not lifted: %+v", u)
		}
	})
	t.Run("a scope naming a campaign that does not exist comes back as typed", func(t *testing.T) {
		resp, body := admin.post("/users/"+id+"/scope", url.Values{"organisation": {"Viện X"}, "campaign": {"999"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Chưa đổi được phạm vi của tài khoản giamsat", `value="Viện X"`, "không còn tồn tại")
	})
}

func TestTheCSRFTokenIsBoundToTheSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.client()
	a.login("admin")
	stolen := a.csrf
	t.Run("a token of one session does not post in another of the same browser", func(t *testing.T) {
		b := e.client()
		b.login("admin")
		b.cookies[csrfCookie] = a.cookies[csrfCookie] // the same nonce: only the session differs
		b.get("/users")
		if resp, _ := b.post("/users/"+itoa(e.userID("dtv2"))+"/toggle", url.Values{"_csrf": {stolen}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if resp, _ := b.post("/users/"+itoa(e.userID("dtv2"))+"/toggle", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("its own token: status %d", resp.StatusCode)
		}
	})
	t.Run("a token read before sign-in does not post after it", func(t *testing.T) {
		c := e.client()
		c.get("/login")
		before := c.csrf
		c.post("/login", url.Values{"username": {"admin"}, "password": {testPassword}})
		if resp, _ := c.post("/logout", url.Values{"_csrf": {before}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
}
