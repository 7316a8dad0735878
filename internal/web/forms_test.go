package web

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/xuri/excelize/v2"
)

func (e *testEnv) formsURL(suffix string) string {
	return fmt.Sprintf("/campaigns/%d/forms%s", e.camp.ID, suffix)
}

func countForms(t *testing.T, e *testEnv, flt store.FormFilter) int {
	n := 0
	e.db.Forms(context.Background(), e.camp.ID, flt, func(*store.IssuedForm) error { n++; return nil })
	return n
}

func TestIssuingFromTheStaffPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.login("admin")
	g := e.camp.Def.Groups[1]
	unit := e.camp.Def.UnitsOfKind(g.Evaluates)[0].Code
	t.Run("the page renders with every tool", func(t *testing.T) {
		resp, body := c.get(e.formsURL(""))
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Phát phiếu theo chỉ tiêu", "In phiếu và thư mời", "Giao phiếu cho điều tra viên", "Hủy phiếu", "Chưa phát phiếu nào")
	})
	t.Run("issuing twice creates only what is missing", func(t *testing.T) {
		form := url.Values{"group": {g.Code}, "unit": {unit}, "reserve": {"10"}}
		resp, _ := c.post(e.formsURL("/issue"), form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("issue = %d", resp.StatusCode)
		}
		want := g.Quota + (g.Quota*10+99)/100
		if n := countForms(t, e, store.FormFilter{Group: g.Code, Unit: unit}); n != want {
			t.Fatalf("%d forms issued, want %d", n, want)
		}
		_, page := c.get(e.formsURL(""))
		mustContain(t, page, fmt.Sprintf("Đã phát thêm %d phiếu.", want))
		c.post(e.formsURL("/issue"), form)
		if n := countForms(t, e, store.FormFilter{Group: g.Code, Unit: unit}); n != want {
			t.Fatalf("re-issue changed the count to %d", n)
		}
		_, page = c.get(e.formsURL(""))
		mustContain(t, page, "không phát thêm phiếu nào")
	})
	var first *store.IssuedForm
	e.db.Forms(context.Background(), e.camp.ID, store.FormFilter{Group: g.Code, Unit: unit}, func(f *store.IssuedForm) error {
		if first == nil {
			first = f
		}
		return nil
	})
	t.Run("a voided form is replaced and looks voided when looked up", func(t *testing.T) {
		resp, _ := c.post(e.formsURL("/void"), url.Values{"code": {strings.ToLower(first.Code)}, "reason": {"phiếu bị rách"}, "replace": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("void = %d", resp.StatusCode)
		}
		_, page := c.get(e.formsURL("?code=" + first.Code))
		mustContain(t, page, "Đã hủy (phiếu bị rách)", "Phiếu thay thế:")
		if n := countForms(t, e, store.FormFilter{Group: g.Code, Unit: unit}); n != g.Quota+(g.Quota*10+99)/100 {
			t.Fatalf("replacement missing: %d live forms", n)
		}
		resp, body := c.post(e.formsURL("/void"), url.Values{"code": {first.Code}, "reason": {"lần hai"}})
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("second void = %d", resp.StatusCode)
		}
		mustContain(t, body, "đã bị hủy trước đó")
	})
	t.Run("a mistyped code is caught by its check character", func(t *testing.T) {
		bad := []byte(first.Code)
		last := len(bad) - 1
		if bad[last] == 'A' {
			bad[last] = 'B'
		} else {
			bad[last] = 'A'
		}
		_, page := c.get(e.formsURL("?code=" + string(bad)))
		mustContain(t, page, "ký tự kiểm tra")
	})
	t.Run("a range of forms is assigned to an enumerator and shows in the distribution list", func(t *testing.T) {
		enumerators, _ := e.db.Users(context.Background(), store.RoleEnumerator)
		resp, _ := c.post(e.formsURL("/assign"), url.Values{"enumerator": {fmt.Sprint(enumerators[0].ID)}, "group": {g.Code}, "unit": {unit}, "from": {"2"}, "to": {"4"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("assign = %d", resp.StatusCode)
		}
		resp, body := c.get(e.formsURL("/list.xlsx"))
		if resp.StatusCode != 200 {
			t.Fatalf("xlsx = %d", resp.StatusCode)
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("Danh sách phát phiếu")
		assigned, voided := 0, 0
		for _, r := range rows[1:] {
			if len(r) > 7 && r[7] == enumerators[0].FullName {
				assigned++
			}
			if len(r) > 9 && strings.HasPrefix(r[9], "Đã hủy") {
				voided++
			}
			if short, ok := strings.CutPrefix(r[6], "http://khaosat.test/"); !ok || len(short) != formcode.ShortLen {
				t.Fatalf("link column %q is not a short link", r[6])
			}
		}
		if assigned != 3 || voided != 1 || rows[0][0] != "Mã phiếu" {
			t.Fatalf("assigned %d, voided %d, header %v", assigned, voided, rows[0])
		}
		_, csvBody := c.get(e.formsURL("/list.csv"))
		if !strings.HasPrefix(csvBody, "\ufeffMã phiếu,") || strings.Count(csvBody, "\n") != len(rows) {
			t.Fatalf("csv has %d lines for %d rows; starts %q", strings.Count(csvBody, "\n"), len(rows), csvBody[:20])
		}
	})
}

// printJob starts a print run of a selection and waits for it; it returns the job's page.
func printJob(t *testing.T, e *testEnv, c *client, sel url.Values) string {
	t.Helper()
	resp, _ := c.post(fmt.Sprintf("/campaigns/%d/print", e.camp.ID), sel)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("print = %d", resp.StatusCode)
	}
	jobURL := resp.Header.Get("Location")
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, page := c.get(jobURL)
		if strings.Contains(page, "Tải về") {
			return jobURL
		}
		if strings.Contains(page, "Không hoàn thành") || time.Now().After(deadline) {
			t.Fatalf("job did not finish:\n%s", page)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestPrintJobProducesADownload(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.login("admin")
	g := e.camp.Def.Groups[1]
	unit := e.camp.Def.UnitsOfKind(g.Evaluates)[0].Code
	c.post(e.formsURL("/issue"), url.Values{"group": {g.Code}, "unit": {""}, "reserve": {"0"}})

	t.Run("one group and unit downloads as one PDF", func(t *testing.T) {
		jobURL := printJob(t, e, c, url.Values{"group": {g.Code}, "unit": {unit}})
		resp, body := c.get(jobURL + "/file")
		if resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
			t.Fatalf("download = %d, starts %q", resp.StatusCode, body[:min(8, len(body))])
		}
		want := fmt.Sprintf("phieu-%s-%s-%s.pdf", e.camp.Code, g.Code, unit)
		if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, want) {
			t.Errorf("Content-Disposition %q, want %s", cd, want)
		}
		other := e.client()
		other.login("giamsat")
		if resp, _ := other.get(jobURL); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("another user sees the job: %d", resp.StatusCode)
		}
	})
	t.Run("a group over several units downloads as a ZIP of a PDF per unit", func(t *testing.T) {
		jobURL := printJob(t, e, c, url.Values{"group": {g.Code}})
		resp, body := c.get(jobURL + "/file")
		if resp.StatusCode != 200 {
			t.Fatalf("download = %d", resp.StatusCode)
		}
		z, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, f := range z.File {
			names[f.Name] = true
		}
		for _, u := range e.camp.Def.UnitsOfKind(g.Evaluates) {
			if !names[g.Code+"_"+u.Code+".pdf"] {
				t.Errorf("zip lacks %s_%s.pdf", g.Code, u.Code)
			}
		}
	})
	t.Run("the print history lists the user's runs with their files, and nobody else's", func(t *testing.T) {
		resp, page := c.get("/jobs")
		if resp.StatusCode != 200 {
			t.Fatalf("/jobs = %d", resp.StatusCode)
		}
		for _, want := range []string{"Các lượt in của bạn", fmt.Sprintf("phieu-%s-%s-%s.pdf", e.camp.Code, g.Code, unit),
			fmt.Sprintf("phieu-%s-%s.zip", e.camp.Code, g.Code), "Đã xong", "/file"} {
			if !strings.Contains(page, want) {
				t.Errorf("history lacks %q", want)
			}
		}
		other := e.client()
		other.login("giamsat")
		if _, page := other.get("/jobs"); strings.Contains(page, "phieu-") || !strings.Contains(page, "Bạn chưa có lượt in nào") {
			t.Errorf("another user's history shows runs")
		}
	})
}
