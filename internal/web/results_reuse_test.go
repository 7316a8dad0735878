package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/parsurvey/parsurvey/internal/store"
)

// postRunsAtOnce sends n score-run posts of one signed-in client at the same time and returns
// the flash message each one set.
func (c *client) postRunsAtOnce(path string, n int) ([]string, error) {
	form := url.Values{"_csrf": {c.csrf}}.Encode()
	flashes := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", c.ip)
		for k, v := range c.cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := c.e.srv.App().Test(req, -1)
			if err != nil {
				errs[i] = err
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				errs[i] = fmt.Errorf("post %d: status %d", i, resp.StatusCode)
				return
			}
			for _, ck := range resp.Cookies() {
				if ck.Name == flashCookie {
					flashes[i], _ = url.QueryUnescape(ck.Value)
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return flashes, nil
}

func TestComputingAgainWithoutNewDataReusesTheRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.answerSome()
	// answer submits one more S3 form, one not answered yet.
	answer := func(sid string) {
		t.Helper()
		var token string
		e.db.Forms(context.Background(), e.camp.ID, store.FormFilter{Group: "S3"}, func(f *store.IssuedForm) error {
			if !f.Answered && token == "" {
				token = f.Token
			}
			return nil
		})
		q := e.camp.Def.Questionnaire(e.camp.Def.Group("S3").Form)
		if resp, body := e.client().post("/p/"+token, answers(q, nil, 1, sid)); resp.StatusCode != 200 {
			t.Fatalf("submit: %d\n%s", resp.StatusCode, body)
		}
	}
	base := fmt.Sprintf("/campaigns/%d", e.camp.ID)
	admin := e.client()
	admin.login("admin")
	runs := func() (n int, newest int64) {
		t.Helper()
		if err := e.db.ReadRow(context.Background(), `SELECT count(*), ifnull(max(id), 0) FROM score_runs WHERE campaign_id = ?`,
			[]any{e.camp.ID}, &n, &newest); err != nil {
			t.Fatal(err)
		}
		return n, newest
	}
	compute := func() string {
		t.Helper()
		admin.get(base + "/results")
		if resp, body := admin.post(base+"/results/runs", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		_, page := admin.get(base + "/results")
		return page
	}

	compute()
	n, first := runs()
	if n != 1 {
		t.Fatalf("%d runs after the first post", n)
	}
	t.Run("a second post with the same data keeps the run and says nothing changed since it", func(t *testing.T) {
		page := compute()
		mustContain(t, page, fmt.Sprintf("Dữ liệu không thay đổi kể từ lần tính điểm số %d", first), "không tạo lần tính mới",
			fmt.Sprintf("kết quả dưới đây là của lần số %d", first), "Xếp hạng: Sở, ban, ngành")
		if strings.Contains(page, "Đã tính điểm (lần số 2)") {
			t.Fatal("the page announces a new run")
		}
		if n, newest := runs(); n != 1 || newest != first {
			t.Fatalf("%d runs, newest %d", n, newest)
		}
	})
	t.Run("posts at the same moment store one run between them", func(t *testing.T) {
		admin.get(base + "/results")
		flashes, err := admin.postRunsAtOnce(base+"/results/runs", 4)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range flashes {
			if !strings.Contains(f, fmt.Sprintf("kể từ lần tính điểm số %d", first)) {
				t.Errorf("flash %q", f)
			}
		}
		if n, newest := runs(); n != 1 || newest != first {
			t.Fatalf("%d runs, newest %d", n, newest)
		}
	})
	t.Run("a new response in between makes a new run", func(t *testing.T) {
		answer("reuse-new")
		page := compute()
		n, newest := runs()
		if n != 2 || newest == first {
			t.Fatalf("%d runs, newest %d", n, newest)
		}
		mustContain(t, page, fmt.Sprintf("Đã tính điểm (lần số %d)", newest))
		if strings.Contains(page, "không tạo lần tính mới") {
			t.Fatal("a run with new data says nothing changed")
		}
	})
	t.Run("concurrent posts after new data store one new run, and the others reuse it", func(t *testing.T) {
		_, before := runs()
		answer("reuse-new-2")
		admin.get(base + "/results")
		flashes, err := admin.postRunsAtOnce(base+"/results/runs", 4)
		if err != nil {
			t.Fatal(err)
		}
		n, newest := runs()
		if n != 3 || newest == before {
			t.Fatalf("%d runs, newest %d", n, newest)
		}
		fresh := 0
		for _, f := range flashes {
			switch {
			case strings.Contains(f, fmt.Sprintf("Đã tính điểm (lần số %d)", newest)):
				fresh++
			case !strings.Contains(f, fmt.Sprintf("kể từ lần tính điểm số %d", newest)):
				t.Errorf("flash %q", f)
			}
		}
		if fresh != 1 {
			t.Fatalf("%d posts announce a new run: %q", fresh, flashes)
		}
	})
}
