package web

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

func TestLockingACampaignRefusesLateForms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	f, q := e.formFor(forms, campaign.ShapeSingle)
	respondent := e.client()
	_, page := respondent.get("/p/" + f.Token) // the page was open before the lock
	mustContain(t, page, "Gửi phiếu")

	lockURL := fmt.Sprintf("/campaigns/%d/lock", e.camp.ID)
	t.Run("a supervisor may not lock", func(t *testing.T) {
		sup := e.client()
		sup.login("giamsat")
		sup.get(fmt.Sprintf("/campaigns/%d", e.camp.ID))
		if resp, _ := sup.post(lockURL, url.Values{"confirm": {e.camp.Code}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("supervisor lock = %d", resp.StatusCode)
		}
	})
	admin := e.client()
	admin.login("admin")
	admin.get(fmt.Sprintf("/campaigns/%d", e.camp.ID))
	t.Run("locking needs the campaign code typed as confirmation", func(t *testing.T) {
		if resp, _ := admin.post(lockURL, url.Values{"confirm": {"sai"}}); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("unconfirmed lock = %d", resp.StatusCode)
		}
	})
	t.Run("the admin locks and the overview says so", func(t *testing.T) {
		if resp, _ := admin.post(lockURL, url.Values{"confirm": {e.camp.Code}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("lock = %d", resp.StatusCode)
		}
		_, body := admin.get(fmt.Sprintf("/campaigns/%d", e.camp.ID))
		mustContain(t, body, "Đợt khảo sát đã khóa lúc")
		if resp, _ := admin.post(lockURL, url.Values{"confirm": {e.camp.Code}}); resp.StatusCode != http.StatusConflict {
			t.Fatalf("second lock = %d", resp.StatusCode)
		}
		log, _ := e.db.AuditLog(t.Context(), e.camp.ID, 5)
		if len(log) == 0 || log[0].Action != "campaign.lock" || log[0].Username != "admin" {
			t.Fatalf("lock not audited: %+v", log)
		}
		resp, page := admin.get(fmt.Sprintf("/campaigns/%d/audit", e.camp.ID))
		if resp.StatusCode != 200 {
			t.Fatalf("audit page = %d", resp.StatusCode)
		}
		mustContain(t, page, "Nhật ký thao tác", "campaign.lock", "campaign.create")
	})
	t.Run("a form opened before the lock is refused when sent, and nothing is stored", func(t *testing.T) {
		resp, body := respondent.post("/p/"+f.Token, answers(q, nil, 1, "late"))
		if resp.StatusCode != http.StatusGone {
			t.Fatalf("late submit = %d", resp.StatusCode)
		}
		mustContain(t, body, "Đợt khảo sát đã kết thúc")
		if countResponses(t, e) != 0 {
			t.Fatal("a late form was stored")
		}
		other := forms[f.Group][1]
		if resp, _ := e.client().get("/p/" + other.Token); resp.StatusCode != http.StatusGone {
			t.Fatalf("page after the lock = %d", resp.StatusCode)
		}
	})
}
