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

	"github.com/xuri/excelize/v2"

	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/store"
)

// answerSome submits online answers: for each single-unit form of S3 (one per unit, in order) a
// pick that varies with the unit, and the matrix form of H1 once. Every answer is the same
// option, so each unit's figures follow from its pick.
func (e *testEnv) answerSome() {
	e.t.Helper()
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	def := e.camp.Def
	c := e.client()
	seen := map[string]int{}
	for _, f := range forms["S3"] {
		if seen[f.Unit] >= 2 {
			continue
		}
		seen[f.Unit]++
		pick := 1 + (len(seen)+seen[f.Unit])%4
		q := def.Questionnaire(def.Group("S3").Form)
		resp, body := c.post("/p/"+f.Token, answers(q, nil, pick, fmt.Sprintf("s3-%d", f.ID)))
		if resp.StatusCode != 200 {
			e.t.Fatalf("submit %s: %d\n%s", f.Code, resp.StatusCode, body)
		}
	}
	h1 := forms["H1"][0]
	q := def.Questionnaire(def.Group("H1").Form)
	if resp, body := c.post("/p/"+h1.Token, answers(q, def.UnitsOfKind("huyen"), 2, "h1")); resp.StatusCode != 200 {
		e.t.Fatalf("submit matrix: %d\n%s", resp.StatusCode, body)
	}
}

// upload posts a multipart form with one file.
func (c *client) uploadForm(path string, fields map[string]string, file string, data []byte) (*http.Response, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", c.csrf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", file)
	fw.Write(data)
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// api sends a GET to the JSON API with a bearer token (none when empty) and no cookies.
func (e *testEnv) api(path, token string, header ...string) (*http.Response, string) {
	c := e.client()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

var tokenRe = regexp.MustCompile(`<code>(pst_[A-Za-z0-9_-]+)</code>`)

func TestResultsFromOnlineAnswersToTheFeed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.answerSome()
	id := e.camp.ID
	base := fmt.Sprintf("/campaigns/%d", id)
	admin := e.client()
	admin.login("admin")

	t.Run("before any run the results page says so", func(t *testing.T) {
		resp, body := admin.get(base + "/results")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Chưa có lần tính điểm nào", "Tính điểm từ dữ liệu hiện có", `aria-current="page">Kết quả`)
	})
	t.Run("computing a run redirects to the ranking with the run stated", func(t *testing.T) {
		resp, _ := admin.post(base+"/results/runs", nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		resp, body := admin.get(base + "/results")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Đã tính điểm (lần số 1)", "Xếp hạng: Sở, ban, ngành", "Xếp hạng: Huyện, thị xã, thành phố",
			"Sở Nội vụ", "Thành phố Bình An", "Phương pháp tính điểm đã dùng", "Nhóm đối tượng thiếu phiếu", "sha256:", "<svg")
	})
	var feed export.Feed
	var token string
	t.Run("an API token is made once and reads the feed", func(t *testing.T) {
		admin.get(base + "/settings")
		resp, body := admin.post(base+"/settings/tokens", url.Values{"name": {"Hệ thống tổng hợp"}})
		m := tokenRe.FindStringSubmatch(body)
		if resp.StatusCode != 200 || m == nil {
			t.Fatalf("status %d, no token in\n%s", resp.StatusCode, body)
		}
		token = m[1]
		_, again := admin.get(base + "/settings")
		if strings.Contains(again, token) {
			t.Fatal("the token shows a second time")
		}
		resp, body = e.api(fmt.Sprintf("/api/v1/campaigns/%d/scores", id), token)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("status %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if err := json.Unmarshal([]byte(body), &feed); err != nil {
			t.Fatal(err)
		}
		if feed.Format != export.FeedFormat || feed.Run.ID != 1 || len(feed.Units) != len(e.camp.Def.Units) || feed.Run.Forms.Counted == 0 {
			t.Fatalf("feed %+v", feed.Run)
		}
		etag := resp.Header.Get("ETag")
		if resp, _ := e.api(fmt.Sprintf("/api/v1/campaigns/%d/scores", id), token, "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
			t.Fatalf("same ETag: %d", resp.StatusCode)
		}
	})
	t.Run("the workbook downloaded from the page has the feed's figures", func(t *testing.T) {
		resp, body := admin.get(base + "/results/export.xlsx")
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "ket-qua-demo-2026-lan-1.xlsx") {
			t.Fatalf("status %d %v", resp.StatusCode, resp.Header)
		}
		x, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, _ := x.GetRows(export.SheetSummary)
		var header []string
		checked := 0
		for _, r := range rows {
			if len(r) > 2 && r[2] == "Mã đơn vị" {
				header = r
				continue
			}
			if header == nil || len(r) < 8 {
				continue
			}
			for _, u := range feed.Units {
				if u.Code == r[2] {
					checked++
					if r[4] != u.Total.Value || r[5] != u.Percent.Value || r[6] != u.BandName || r[1] != fmt.Sprint(u.Rank) || r[9] != u.Total.Exact {
						t.Errorf("workbook row %v, feed %s %s %s rank %d", r, u.Total.Value, u.Percent.Value, u.BandName, u.Rank)
					}
				}
			}
		}
		if checked != len(feed.Units) {
			t.Fatalf("checked %d units of %d", checked, len(feed.Units))
		}
		answers, _ := x.GetRows(export.SheetAnswers)
		if int64(len(answers)-1) != feed.Run.Forms.Received {
			t.Fatalf("%d response rows, %d received", len(answers)-1, feed.Run.Forms.Received)
		}
	})
	t.Run("the other downloads are a PDF, JSON equal to the feed, and CSVs with a BOM", func(t *testing.T) {
		resp, body := admin.get(base + "/results/export.pdf")
		if resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("pdf: %d %q", resp.StatusCode, body[:min(len(body), 20)])
		}
		_, body = admin.get(base + "/results/export.json")
		var got export.Feed
		if err := json.Unmarshal([]byte(body), &got); err != nil || got.Run.ResultDigest != feed.Run.ResultDigest || got.Units[0].Total != feed.Units[0].Total {
			t.Fatalf("json download differs from the feed: %v", err)
		}
		for _, p := range []string{"/results/export.csv", "/results/responses.csv"} {
			resp, body := admin.get(base + p)
			if resp.StatusCode != 200 || !strings.HasPrefix(body, "\ufeff") || !strings.Contains(body, "Mã đơn vị") {
				t.Fatalf("%s: %d %q", p, resp.StatusCode, body[:min(len(body), 60)])
			}
		}
	})
	t.Run("a unit's page shows its criteria tree per group", func(t *testing.T) {
		u := feed.Units[0]
		resp, body := admin.get(base + "/results/units/" + u.Code)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		area := u.Areas[0]
		mustContain(t, body, u.Name, "Điểm theo lĩnh vực, tiêu chí và tiêu chí thành phần", area.Name, area.Children[0].Children[0].Name,
			strings.Replace(u.Total.Value, ".", ",", 1), "S3 (%)", "S4 (%)", "Câu hỏi")
		if resp, _ := admin.get(base + "/results/units/NOPE"); resp.StatusCode != 404 {
			t.Fatalf("unknown unit: %d", resp.StatusCode)
		}
	})
	t.Run("the API refuses requests without a good token and lets staff sessions in", func(t *testing.T) {
		path := fmt.Sprintf("/api/v1/campaigns/%d/scores", id)
		for _, tc := range []struct {
			name   string
			token  string
			status int
		}{{"no token", "", 401}, {"a wrong token", "pst_wrong", 401}} {
			resp, body := e.api(path, tc.token)
			if resp.StatusCode != tc.status || !strings.Contains(body, `"error"`) {
				t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
			}
		}
		if resp, _ := admin.get(path); resp.StatusCode != 200 {
			t.Errorf("admin session: %d", resp.StatusCode)
		}
		enum := e.client()
		enum.login("dtv1")
		if resp, _ := enum.get(path); resp.StatusCode != 403 {
			t.Errorf("enumerator session: %d", resp.StatusCode)
		}
		if resp, _ := e.api("/api/v1/campaigns/9999/scores", token); resp.StatusCode != 403 {
			t.Errorf("another campaign with this campaign's token: %d", resp.StatusCode)
		}
	})
	t.Run("a revoked token no longer reads the feed", func(t *testing.T) {
		_, page := admin.get(base + "/settings")
		m := regexp.MustCompile(`/settings/tokens/(\d+)/revoke`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no revoke button")
		}
		if resp, _ := admin.post(base+"/settings/tokens/"+m[1]+"/revoke", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("revoke: %d", resp.StatusCode)
		}
		if resp, _ := e.api(fmt.Sprintf("/api/v1/campaigns/%d/scores", id), token); resp.StatusCode != 401 {
			t.Fatalf("revoked token: %d", resp.StatusCode)
		}
	})
}

func TestSettingsJudgeFormsAgain(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.answerSome()
	// One more S3 form with its first question blank: valid at 70%, not at 100%.
	var partial string
	e.db.Forms(context.Background(), e.camp.ID, store.FormFilter{Group: "S3"}, func(f *store.IssuedForm) error {
		if !f.Answered && partial == "" {
			partial = f.Token
		}
		return nil
	})
	q := e.camp.Def.Questionnaire("CH3")
	v := answers(q, nil, 1, "partial")
	v.Del("q_" + q.Questions()[0].Code)
	if resp, body := e.client().post("/p/"+partial, v); resp.StatusCode != 200 {
		t.Fatalf("partial form: %d\n%s", resp.StatusCode, body)
	}
	base := fmt.Sprintf("/campaigns/%d", e.camp.ID)
	admin := e.client()
	admin.login("admin")
	form := func(minAnswered, weightS3 string) url.Values {
		v := url.Values{"dont_know": {"exclude"}, "blank": {"exclude"}, "combine": {"group_weights"}, "min_forms": {"1"},
			"min_answered": {minAnswered}, "enforce_window": {"1"}, "double_entry": {"1"}}
		for _, g := range e.camp.Def.Groups {
			v.Set("weight_"+g.Code, "1")
		}
		v.Set("weight_S3", weightS3)
		return v
	}
	t.Run("the page shows the definition's settings", func(t *testing.T) {
		resp, body := admin.get(base + "/settings")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Phương pháp tính điểm và quy tắc phiếu hợp lệ", `name="min_answered" inputmode="decimal" value="70"`, "Lưu và xét lại phiếu", "Khóa truy cập JSON API")
	})
	t.Run("an answered share of 100% judges every form again, keeps the partial one as invalid, and is audited", func(t *testing.T) {
		n := countResponses(t, e)
		resp, _ := admin.post(base+"/settings", form("100", "2"))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		_, body := admin.get(base + "/settings")
		mustContain(t, body, "Đã lưu phương pháp tính điểm", fmt.Sprintf("Đã xét lại %d phiếu", n), "1 phiếu thay đổi kết quả xét",
			fmt.Sprintf("từ %d thành %d", n, n-1), `value="100"`, `name="weight_S3" inputmode="decimal" value="2"`, "Đang dùng lựa chọn khác")
		log, _ := e.db.AuditLog(context.Background(), e.camp.ID, 5)
		if len(log) == 0 || log[0].Action != "settings.update" || log[0].Username != "admin" {
			t.Fatalf("audit %+v", log)
		}
	})
	t.Run("nonsense is refused with the reasons and nothing changes", func(t *testing.T) {
		resp, body := admin.post(base+"/settings", form("abc", "-1"))
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Chưa lưu được", "Tỷ lệ câu phải trả lời phải là một số")
		cs, _ := e.db.CampaignSettings(context.Background(), e.camp.ID)
		if !strings.Contains(cs.JSON, `"min_answered_percent":1000000`) {
			t.Fatalf("settings %s", cs.JSON)
		}
	})
	t.Run("a supervisor neither sees nor changes the settings, the analyst's (routes.go)", func(t *testing.T) {
		sup := e.client()
		sup.login("giamsat")
		if resp, _ := sup.get(base + "/settings"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("supervisor get: %d", resp.StatusCode)
		}
		if resp, _ := sup.post(base+"/settings", form("50", "1")); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("supervisor post: %d", resp.StatusCode)
		}
	})
	t.Run("the next run states the new options", func(t *testing.T) {
		admin.post(base+"/results/runs", nil)
		_, body := admin.get(base + "/results")
		mustContain(t, body, "trả lời ít nhất 100% số câu hỏi", "S3: 2")
	})
}

func TestImportingRatios(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := fmt.Sprintf("/campaigns/%d", e.camp.ID)
	admin := e.client()
	admin.login("admin")
	resp, body := admin.get(base + "/results/imports")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	mustContain(t, body, "S4 · Người dân, doanh nghiệp", "H5 · Người dân", "Chưa có tỷ lệ cho 12 đơn vị")
	t.Run("a file with wrong rows is refused row by row", func(t *testing.T) {
		resp, body := admin.uploadForm(base+"/results/imports", map[string]string{"group": "S4"}, "sipas.csv",
			[]byte("Mã đơn vị;Tỷ lệ\nSNV;0,9\nH01;0,8\nSTP;120%\n"))
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Dòng 3: đơn vị H01", "Dòng 4: tỷ lệ", "chưa được nhập")
		if list, _ := e.db.Ratios(context.Background(), e.camp.ID); len(list) != 0 {
			t.Fatal("rows kept from a refused file")
		}
	})
	t.Run("a good file replaces the group's ratios and is listed", func(t *testing.T) {
		resp, _ := admin.uploadForm(base+"/results/imports", map[string]string{"group": "S4"}, "SIPAS 2026.csv",
			[]byte("\ufeffMã đơn vị,Tên đơn vị,Tỷ lệ\nSNV,Sở Nội vụ,0.9\nSTP,Sở Tư pháp,87.5%\n"))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		_, body := admin.get(base + "/results/imports")
		mustContain(t, body, "Đã nhập 2 tỷ lệ hài lòng cho nhóm S4", "SIPAS 2026.csv, dòng 2", "90,00", "87,50", "Chưa có tỷ lệ cho 10 đơn vị")
	})
	t.Run("an upload without a file says what to do", func(t *testing.T) {
		resp, body := admin.uploadForm(base+"/results/imports", map[string]string{"group": "S4"}, "", nil)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Vui lòng chọn tệp")
	})
}

func TestResultsPagesNeedStaff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := fmt.Sprintf("/campaigns/%d", e.camp.ID)
	enum := e.client()
	enum.login("dtv1")
	for _, p := range []string{"/results", "/settings", "/results/imports", "/results/export.xlsx"} {
		if resp, _ := enum.get(base + p); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s for an enumerator: %d", p, resp.StatusCode)
		}
	}
	anon := e.client()
	if resp, _ := anon.get(base + "/results"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("results without signing in: %d", resp.StatusCode)
	}
	admin := e.client()
	admin.login("admin")
	if resp, _ := admin.get(base + "/results/export.xlsx"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("export without a run: %d", resp.StatusCode)
	}
	if resp, _ := admin.get(base + "/results?run=42"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown run: %d", resp.StatusCode)
	}
}
