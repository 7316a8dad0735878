package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/xuri/excelize/v2"
)

// listPeople are the people of the test lists: names, numbers and addresses that appear nowhere
// else, so that a search for them finds only the lists.
var listPeople = [][]string{
	{"Họ và tên", "Chức vụ", "Đơn vị công tác", "Số điện thoại", "Thư điện tử"},
	{"Nguyễn Thị Thanh Hương", "Phó Chủ tịch UBND", "UBND huyện Tân Phú", "0912 345 671", "huong.ntt@tanphu.binhan.gov.vn"},
	{"Trần Quốc Vượng", "Chủ tịch UBND", "UBND huyện Đông Hòa", "0912345672", ""},
	{"Lê Hoàng Yến Nhi", "Phó Chủ tịch UBND", "UBND thị xã Phú Lâm", "", "nhi.lhy@phulam.binhan.gov.vn"},
}

// listXLSX is a list as an institute's workbook: the rows on the first sheet.
func listXLSX(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = v
		}
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &cells); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// uploadList posts a list file for a group and unit with the page's CSRF token.
func (c *client) uploadList(group, unit, name string, data []byte) (*http.Response, string) {
	c.e.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", c.csrf)
	w.WriteField("group", group)
	w.WriteField("unit", unit)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/campaigns/%d/respondents/import", c.e.camp.ID), &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func (e *testEnv) listsURL(suffix string) string {
	return fmt.Sprintf("/campaigns/%d/respondents%s", e.camp.ID, suffix)
}

func (e *testEnv) invitationsURL(suffix string) string {
	return fmt.Sprintf("/campaigns/%d/invitations%s", e.camp.ID, suffix)
}

func (e *testEnv) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.ReadRow(context.Background(), query, args, &n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// listedPeople returns the people of one list by name.
func (e *testEnv) listedPeople(group, unit string) map[string]*store.Respondent {
	e.t.Helper()
	people, err := e.db.Respondents(context.Background(), e.camp.ID, store.ListFilter{Group: group, Unit: unit})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]*store.Respondent{}
	for _, p := range people {
		out[p.Name] = p
	}
	return out
}

// personalValues are every personal value of listPeople, for searches that must find none.
func personalValues() []string {
	var out []string
	for _, r := range listPeople[1:] {
		for _, v := range []string{r[0], r[4], strings.ReplaceAll(r[3], " ", "")} {
			if v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

func mustNotContain(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("%s contains %q", what, u)
		}
	}
}

func TestRespondentListsImportExportInviteRemindAndDestroy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	sup := e.client()
	sup.login("phantich") // the lists and invitations are the analyst's (routes.go)
	sup.get(e.listsURL(""))
	formsBefore := e.count(`SELECT count(*) FROM issued_forms`)

	t.Run("a list with a wrong row stores nobody, issues no form and reports every wrong row", func(t *testing.T) {
		bad := "\ufeffho_ten;dien_thoai;email\nVõ Văn Một;0912 000 001;\n;0912 000 002;\nVõ Văn Ba;0222 3812 345;ba@\nVõ Văn Bốn;0912 000 001;\n"
		resp, body := sup.uploadList("S3", "STP", "sai.csv", []byte(bad))
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Dòng 3, cột ho_ten: thiếu họ và tên", "Dòng 4, cột dien_thoai:", "Dòng 4, cột email:", "Dòng 5, cột dien_thoai: số 0912000001 đã có ở dòng 2",
			"Không người nào được lưu")
		if n := e.count(`SELECT count(*) FROM respondents`); n != 0 {
			t.Errorf("%d people stored", n)
		}
		if n := e.count(`SELECT count(*) FROM issued_forms`); n != formsBefore {
			t.Errorf("%d forms, want %d", n, formsBefore)
		}
	})

	t.Run("a list for a paper group or without its unit is refused next to the field", func(t *testing.T) {
		resp, body := sup.uploadList("S2", "SNV", "ds.xlsx", listXLSX(t, listPeople))
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldMessage(body, "list-group") == "" {
			t.Errorf("paper group: status %d, message %q", resp.StatusCode, fieldMessage(body, "list-group"))
		}
		resp, body = sup.uploadList("S3", "", "ds.xlsx", listXLSX(t, listPeople))
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldMessage(body, "list-unit") == "" {
			t.Errorf("no unit: status %d, message %q", resp.StatusCode, fieldMessage(body, "list-unit"))
		}
	})

	t.Run("a good XLSX list stores every person with a form of their own", func(t *testing.T) {
		resp, _ := sup.uploadList("S3", "STP", "danh-sach.xlsx", listXLSX(t, listPeople))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		_, body := sup.get(resp.Header.Get("Location"))
		mustContain(t, body, "Đã nhập 3 người", "Nguyễn Thị Thanh Hương", "0912345672", "nhi.lhy@phulam.binhan.gov.vn", "S3-STP-")
		if n := e.count(`SELECT count(*) FROM issued_forms`); n != formsBefore+3 {
			t.Errorf("%d forms, want %d", n, formsBefore+3)
		}
		if n := e.count(`SELECT count(DISTINCT form_id) FROM respondents`); n != 3 {
			t.Errorf("%d distinct forms for 3 people", n)
		}
	})

	t.Run("a CSV list with semicolons and a byte order mark fills a matrix group's list", func(t *testing.T) {
		csvList := "\ufeffho_ten;chuc_vu;email\nĐinh Công Tráng;Đại biểu HĐND tỉnh;trang.dc@hdnd.binhan.gov.vn\n"
		sup.get(e.listsURL(""))
		if resp, body := sup.uploadList("S1", "", "hdnd.csv", []byte(csvList)); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		if p := e.listedPeople("S1", "")["Đinh Công Tráng"]; p == nil || !strings.HasPrefix(p.Code, "S1-") {
			t.Errorf("matrix list: %+v", p)
		}
	})

	t.Run("the lists export as XLSX and CSV, with whether each person answered and nothing of their answers", func(t *testing.T) {
		resp, body := sup.get(e.listsURL("/list.xlsx?group=S3&unit=STP"))
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetList()[0])
		if len(rows) != 4 || rows[0][4] != "Họ và tên" || rows[1][4] != "Nguyễn Thị Thanh Hương" || rows[1][7] != "0912345671" || rows[1][14] != "Chưa" {
			t.Errorf("rows %q", rows)
		}
		resp, body = sup.get(e.listsURL("/list.csv"))
		if resp.StatusCode != 200 || !strings.HasPrefix(body, "\ufeff") {
			t.Fatalf("status %d", resp.StatusCode)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil || len(recs) != 5 {
			t.Fatalf("%d records, err %v", len(recs), err)
		}
	})

	people := e.listedPeople("S3", "STP")
	huong, vuong, nhi := people["Nguyễn Thị Thanh Hương"], people["Trần Quốc Vượng"], people["Lê Hoàng Yến Nhi"]

	t.Run("the Zalo texts are on the page for each person and for a group chat, readable without JavaScript", func(t *testing.T) {
		_, body := sup.get(e.invitationsURL("?group=S3&unit=STP"))
		mustContain(t, body, `<textarea id="zalo-nhom"`, `data-copy="zalo-nhom" hidden`, `src="/static/outreach.js"`,
			"Kính gửi Ông/Bà Trần Quốc Vượng (Chủ tịch UBND)", "http://khaosat.test/"+vuong.Short, "31/12/2026", "0200 3812 345",
			"Chưa cấu hình máy chủ thư", "2 người có số di động")
		group := body[strings.Index(body, `id="zalo-nhom"`):]
		group = group[:strings.Index(group, "</textarea>")]
		mustNotContain(t, "the group chat text", group, "http", "Trần Quốc Vượng")
	})

	t.Run("marking a Zalo message sent records the invitation in the person's history", func(t *testing.T) {
		resp, _ := sup.post(e.invitationsURL("/zalo"), url.Values{"group": {"S3"}, "unit": {"STP"}, "kind": {"invitation"}, "id": {fmt.Sprint(vuong.ID)}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		_, body := sup.get(e.listsURL("?group=S3&unit=STP"))
		mustContain(t, body, "Zalo 15/11/2026")
		_, body = sup.get(e.invitationsURL("?group=S3&unit=STP"))
		mustNotContain(t, "the Zalo invitations after one was sent", body, "Kính gửi Ông/Bà Trần Quốc Vượng")
	})

	t.Run("the SMS file holds the due people with a mobile number and records them as invited", func(t *testing.T) {
		sup.get(e.invitationsURL("?group=S3&unit=STP"))
		resp, body := sup.post(e.invitationsURL("/sms.csv"), url.Values{"group": {"S3"}, "unit": {"STP"}, "kind": {"invitation"}})
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		recs, _ := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if len(recs) != 3 || recs[0][0] != "Số điện thoại" {
			t.Fatalf("records %q", recs)
		}
		got := map[string]string{}
		for _, r := range recs[1:] {
			got[r[0]] = r[1]
		}
		if !strings.Contains(got["0912345671"], "Nguyễn Thị Thanh Hương") || !strings.Contains(got["0912345672"], "Trần Quốc Vượng") {
			t.Errorf("SMS %q", got)
		}
		if n := e.count(`SELECT count(*) FROM outreach_messages WHERE channel = 'sms' AND status = 'sent'`); n != 2 {
			t.Errorf("%d SMS recorded", n)
		}
	})

	t.Run("opening a link is recorded, the first time only, without the page waiting for it", func(t *testing.T) {
		anon := e.client()
		if resp, _ := anon.get("/p/" + nhi.Token); resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
			if e.count(`SELECT count(*) FROM respondents WHERE opened_at IS NOT NULL`) == 1 {
				return
			}
		}
		t.Error("the opened link was not recorded")
	})

	t.Run("reminders go only to those invited who have not answered", func(t *testing.T) {
		// Hương answers online with her own link.
		q := e.camp.Def.Questionnaire(e.camp.Def.Group("S3").Form)
		resp, body := e.client().post("/p/"+huong.Token, answers(q, nil, 1, "sid-huong"))
		if resp.StatusCode != 200 {
			t.Fatalf("answer: %d\n%s", resp.StatusCode, body)
		}
		_, body = sup.get(e.invitationsURL("?group=S3&unit=STP&kind=reminder"))
		mustContain(t, body, "Kính gửi Ông/Bà Trần Quốc Vượng", "Hệ thống chưa ghi nhận phiếu trả lời")
		mustNotContain(t, "the reminders", body, "Kính gửi Ông/Bà Nguyễn Thị Thanh Hương", "Kính gửi Ông/Bà Lê Hoàng Yến Nhi")
		resp, body = sup.post(e.invitationsURL("/sms.csv"), url.Values{"group": {"S3"}, "unit": {"STP"}, "kind": {"reminder"}})
		if resp.StatusCode != 200 {
			t.Fatalf("reminder SMS: %d %s", resp.StatusCode, body)
		}
		recs, _ := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if len(recs) != 2 || recs[1][0] != "0912345672" || !strings.Contains(recs[1][1], "Kính nhắc") {
			t.Errorf("reminder SMS %q: only Vượng, who was invited and has not answered", recs)
		}
		_, body = sup.get(e.listsURL("?group=S3&unit=STP"))
		mustContain(t, body, "Tin nhắn SMS 15/11/2026")
	})

	t.Run("the dashboard shows each list's invited, opened and answered", func(t *testing.T) {
		_, body := sup.get(fmt.Sprintf("/campaigns/%d/dashboard", e.camp.ID))
		mustContain(t, body, "Người được mời theo danh sách", "S3 (")
		mustNotContain(t, "the dashboard", body, personalValues()...)
	})

	t.Run("no export of responses carries a name, a phone or an e-mail", func(t *testing.T) {
		resp, body := sup.get(fmt.Sprintf("/campaigns/%d/results/responses.csv", e.camp.ID))
		if resp.StatusCode != 200 || !strings.Contains(body, huong.Code) {
			t.Fatalf("status %d; the export should hold Hương's response by its code", resp.StatusCode)
		}
		mustNotContain(t, "the responses export", body, personalValues()...)
	})

	t.Run("an enumerator sees no list, no name and no message", func(t *testing.T) {
		dtv := e.client()
		dtv.login("dtv1")
		for _, path := range []string{e.listsURL(""), e.listsURL("?group=S3&unit=STP"), e.listsURL("/list.csv"), e.listsURL("/list.xlsx"),
			e.invitationsURL("?group=S3&unit=STP"), fmt.Sprintf("/campaigns/%d/dashboard", e.camp.ID)} {
			resp, body := dtv.get(path)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("GET %s: status %d", path, resp.StatusCode)
			}
			mustNotContain(t, path, body, personalValues()...)
		}
		dtv.get("/keying")
		for _, path := range []string{e.invitationsURL("/zalo"), e.invitationsURL("/sms.csv"), e.invitationsURL("/email"), e.listsURL("/destroy")} {
			if resp, _ := dtv.post(path, url.Values{"group": {"S3"}, "unit": {"STP"}, "all": {"1"}}); resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s: status %d", path, resp.StatusCode)
			}
		}
	})

	t.Run("the lists cannot be destroyed while the campaign is open, nor by a supervisor", func(t *testing.T) {
		if resp, _ := sup.post(e.listsURL("/destroy"), url.Values{"confirm": {e.camp.Code}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("supervisor: status %d", resp.StatusCode)
		}
		admin := e.client()
		admin.login("admin")
		admin.get(e.listsURL(""))
		resp, body := admin.post(e.listsURL("/destroy"), url.Values{"confirm": {e.camp.Code}})
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "đã kết thúc") {
			t.Errorf("open campaign: status %d", resp.StatusCode)
		}
		if n := e.count(`SELECT count(*) FROM respondents`); n != 4 {
			t.Errorf("%d people left, want 4", n)
		}
	})

	t.Run("destroying the lists of a closed campaign is audited and leaves no name anywhere", func(t *testing.T) {
		if err := e.db.LockCampaign(context.Background(), e.camp.ID, 0); err != nil {
			t.Fatal(err)
		}
		admin := e.client()
		admin.login("admin")
		admin.get(e.listsURL(""))
		if resp, body := admin.post(e.listsURL("/destroy"), url.Values{"confirm": {"sai-ma"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
			fieldMessage(body, "destroy-confirm") == "" {
			t.Fatalf("wrong confirmation: status %d", resp.StatusCode)
		}
		resp, _ := admin.post(e.listsURL("/destroy"), url.Values{"confirm": {e.camp.Code}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		_, body := admin.get(e.listsURL("?group=S3&unit=STP"))
		mustContain(t, body, "Đã hủy danh sách người được mời: 4 người", "đã được hủy lúc")
		mustNotContain(t, "the lists page", body, personalValues()...)
		for _, table := range []string{"respondents", "outreach_messages", "outreach_sends"} {
			if n := e.count(`SELECT count(*) FROM ` + table); n != 0 {
				t.Errorf("%d rows left in %s", n, table)
			}
		}
		if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'respondents.destroy' AND detail LIKE '%"people":4%'`); n != 1 {
			t.Errorf("%d audit entries of the destruction", n)
		}
		_, audit := admin.get(fmt.Sprintf("/campaigns/%d/audit", e.camp.ID))
		_, lists := admin.get(e.listsURL("/list.csv"))
		_, dash := admin.get(fmt.Sprintf("/campaigns/%d/dashboard", e.camp.ID))
		_, responses := admin.get(fmt.Sprintf("/campaigns/%d/results/responses.csv", e.camp.ID))
		for what, b := range map[string]string{"the audit log": audit, "the list export": lists, "the dashboard": dash, "the responses export": responses} {
			mustNotContain(t, what, b, personalValues()...)
		}
		// Nor in the database files: deleted content is overwritten and the log emptied.
		for _, path := range []string{e.db.Path(), e.db.Path() + "-wal"} {
			raw, err := os.ReadFile(path)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			mustNotContain(t, path, string(raw), personalValues()...)
		}
		if n := e.count(`SELECT count(*) FROM responses r JOIN issued_forms f ON f.id = r.form_id WHERE f.code = ?`, huong.Code); n != 1 {
			t.Errorf("Hương's response is gone (%d): it must stay, now anonymous", n)
		}
	})
}

func TestASendStoppedByARestartShowsItsProgressAndCanBeResumed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	sup := e.client()
	sup.login("phantich")
	sup.get(e.listsURL(""))
	if resp, _ := sup.uploadList("S3", "STP", "ds.xlsx", listXLSX(t, listPeople)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d", resp.StatusCode)
	}
	// E-mails queued by an earlier process (this one has no mail server, so nothing sends them).
	var ids []int64
	for _, p := range e.listedPeople("S3", "STP") {
		ids = append(ids, p.ID)
	}
	id, n, err := e.db.QueueEmails(context.Background(), e.camp.ID, 0, "invitation", "S3/STP", ids)
	if err != nil || n != 2 {
		t.Fatalf("queued %d, err %v: only the two with an address", n, err)
	}
	path := e.invitationsURL(fmt.Sprintf("/sends/%d", id))
	_, body := sup.get(path)
	mustContain(t, body, "Đã gửi 0/2 thư", "2 thư đang chờ", "Tiếp tục gửi", "</html>")
	if resp, _ := sup.post(path+"/resume", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("resume: %d", resp.StatusCode)
	}
	_, body = sup.get(e.invitationsURL("?group=S3&unit=STP"))
	mustContain(t, body, fmt.Sprintf("/sends/%d", id), "Chưa cấu hình máy chủ thư")
	if resp, _ := sup.get(e.invitationsURL("/sends/999")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown send: %d", resp.StatusCode)
	}
	if resp, _ := sup.post(e.invitationsURL("/email"), url.Values{"group": {"S3"}, "unit": {"STP"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("e-mail without a mail server: %d, want 409", resp.StatusCode)
	}
}
