package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/paper"
)

// TestKeepFirstOnDifferingKeyings posts "keep the first response" on a queue item about two
// differing keyings, where there is no response from another channel to keep.
func TestKeepFirstOnDifferingKeyings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	var s2 []string
	for _, f := range e.issueAll()["S2"] {
		if f.Unit == "SNV" {
			s2 = append(s2, f.Code)
		}
	}
	l, err := paper.NewLayout(e.camp.Def, "S2", "SNV")
	if err != nil {
		t.Fatal(err)
	}
	sup, k1, k2 := e.client(), e.client(), e.client()
	sup.login("giamsat")
	k1.login("dtv1")
	k2.login("dtv2")
	batch := e.recordBatch(sup, "S2", "SNV", 5, paperDay)
	e.addKeyer(sup, "dtv1")
	e.addKeyer(sup, "dtv2")
	keyURL := fmt.Sprintf("/keying/batches/%d", batch)
	qa := len(l.Fields) + 2
	differing := func(code string) int64 {
		t.Helper()
		k1.get(keyURL)
		k1.postJSON(keyURL, keyed(l, code, ones))
		k2.get(keyURL)
		status, res := k2.postJSON(keyURL, keyed(l, code, func(i int, it paper.Item) string {
			if i == qa {
				return "2"
			}
			return "1"
		}))
		if status != 200 || res.Kind != "differs" {
			t.Fatalf("second keying of %s: %d %+v", code, status, res)
		}
		var id int64
		e.db.ReadRow(context.Background(), `SELECT c.id FROM paper_conflicts c JOIN issued_forms f ON f.id = c.form_id WHERE f.code = ?`, []any{code}, &id)
		return id
	}
	itemState := func(id int64) (resolution string, open int) {
		t.Helper()
		e.db.ReadRow(context.Background(), `SELECT resolution, CASE WHEN resolved_at IS NULL THEN 1 ELSE 0 END FROM paper_conflicts WHERE id = ?`, []any{id}, &resolution, &open)
		return resolution, open
	}

	item := differing(s2[0])
	itemURL := e.paperURL(fmt.Sprintf("/queue/%d", item))
	t.Run("keeping the first response is refused with the item shown again, and the item stays open", func(t *testing.T) {
		sup.get(itemURL)
		resp, body := sup.post(itemURL, url.Values{"action": {"keep_first"}, "note": {"bấm nhầm"}})
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		mustContain(t, body, fmt.Sprintf(msgKeepFirstDiffers, s2[0], 1), `name="d_`+l.Items()[qa].Name+`"`, "Ghi nhận quyết định")
		if res, open := itemState(item); open != 1 || res != "" {
			t.Fatalf("item resolution %q, open %d", res, open)
		}
		if countResponses(t, e) != 0 || countWhere(t, e, `SELECT count(*) FROM audit_log WHERE action = 'paper.keep_first'`) != 0 {
			t.Fatal("a refused keep-first stored something")
		}
		_, queue := sup.get(e.paperURL("/queue"))
		mustContain(t, queue, s2[0], "Hai lần nhập khác nhau")
	})
	t.Run("the item can still be decided item by item afterwards", func(t *testing.T) {
		sup.get(itemURL)
		resp, body := sup.post(itemURL, url.Values{"action": {"adjudicate"}, "d_" + l.Items()[qa].Name: {"2"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		if res, open := itemState(item); open != 0 || res != "adjudicated" || countResponses(t, e) != 1 {
			t.Fatalf("item resolution %q, open %d, %d responses", res, open, countResponses(t, e))
		}
	})
	t.Run("keeping the first response still closes a differing item whose code was answered online meanwhile", func(t *testing.T) {
		late := differing(s2[1])
		f, err := e.db.FormByCode(context.Background(), s2[1])
		if err != nil {
			t.Fatal(err)
		}
		q := e.camp.Def.Questionnaire(e.camp.Def.Group("S2").Form)
		if resp, _ := e.client().post("/p/"+f.Token, answers(q, nil, 2, "sid-late")); resp.StatusCode != 200 {
			t.Fatalf("online answer: %d", resp.StatusCode)
		}
		lateURL := e.paperURL(fmt.Sprintf("/queue/%d", late))
		_, page := sup.get(lateURL)
		mustContain(t, page, "Giữ phiếu đã nhận trước")
		resp, body := sup.post(lateURL, url.Values{"action": {"keep_first"}, "note": {"đã gửi trực tuyến"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		if res, open := itemState(late); open != 0 || res != "kept_first" {
			t.Fatalf("item resolution %q, open %d", res, open)
		}
		_, queue := sup.get(e.paperURL("/queue"))
		mustContain(t, queue, "Đã xử lý phiếu "+s2[1]+": giữ phiếu trả lời đã nhận trước")
	})
	t.Run("posting to an item already decided says so and changes nothing", func(t *testing.T) {
		sup.get(itemURL)
		resp, _ := sup.post(itemURL, url.Values{"action": {"keep_first"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if res, _ := itemState(item); res != "adjudicated" {
			t.Fatalf("resolution %q", res)
		}
		_, queue := sup.get(e.paperURL("/queue"))
		if !strings.Contains(queue, fmt.Sprintf(msgItemResolved, s2[0])) {
			t.Fatal("no notice that the item was decided before")
		}
	})
}
