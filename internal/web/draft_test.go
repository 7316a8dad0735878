package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/store"
)

// saveDraft posts a form to the draft route as the page's script does; the reply is read when
// it is JSON (a link that matches no form gets the unknown-link page).
func (c *client) saveDraft(token string, form url.Values) (int, draftReply) {
	c.e.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/p/"+token+"/draft", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, body := c.do(req)
	var r draftReply
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			c.e.t.Fatalf("draft answer %d: %v\n%s", resp.StatusCode, err, body)
		}
	}
	return resp.StatusCode, r
}

var (
	revAttr = regexp.MustCompile(`data-rev="(\d+)"`)
	sidAttr = regexp.MustCompile(`name="sid" value="([^"]+)"`)
)

func checked(page, name, value string) bool {
	return strings.Contains(page, `name="`+name+`" value="`+value+`" checked`)
}

func TestDrafts(t *testing.T) {
	t.Parallel()
	e, issued := newMatrixEnv(t, 20, 3)
	q := e.camp.Def.Questionnaire("CH1")
	units := e.camp.Def.UnitsOfKind("so")
	f := issued[0]
	phone, laptop := e.client(), e.client()
	laptop.ip = "192.0.2.77"
	c1 := "q_" + q.Questions()[0].Code + "_" + units[0].Code
	c2 := "q_" + q.Questions()[1].Code + "_" + units[2].Code

	t.Run("a form never saved opens empty, at revision 0", func(t *testing.T) {
		_, page := phone.get("/p/" + f.Token)
		if m := revAttr.FindStringSubmatch(page); m == nil || m[1] != "0" || strings.Contains(page, " checked") {
			t.Fatalf("fresh page: rev %v", m)
		}
	})
	t.Run("the script's first save is revision 1", func(t *testing.T) {
		status, r := phone.saveDraft(f.Token, url.Values{"sid": {"sid-phone"}, "_rev": {"0"}, c1: {"2"}, "r_gioi_tinh": {"1"}, "s_" + units[5].Code: {"1"}})
		if status != http.StatusOK || r.Revision != 1 || !strings.Contains(r.SavedAt, " ngày 15/11/2026") {
			t.Fatalf("save: %d %+v", status, r)
		}
	})
	t.Run("the same link on another device opens with the draft's answers, revision and submission id", func(t *testing.T) {
		resp, page := laptop.get("/p/" + f.Token)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if !checked(page, c1, "2") || !checked(page, "r_gioi_tinh", "1") || !checked(page, "s_"+units[5].Code, "1") {
			t.Fatal("the draft's answers are not restored")
		}
		if revAttr.FindStringSubmatch(page)[1] != "1" || sidAttr.FindStringSubmatch(page)[1] != "sid-phone" {
			t.Fatalf("rev %s sid %s", revAttr.FindStringSubmatch(page)[1], sidAttr.FindStringSubmatch(page)[1])
		}
		mustContain(t, page, "Phiếu được mở tiếp từ bản lưu tạm lúc 09:00 ngày 15/11/2026")
	})
	t.Run("a save from the revision the device has seen goes through", func(t *testing.T) {
		status, r := laptop.saveDraft(f.Token, url.Values{"sid": {"sid-phone"}, "_rev": {"1"}, c1: {"2"}, c2: {"3"}})
		if status != http.StatusOK || r.Revision != 2 {
			t.Fatalf("save: %d %+v", status, r)
		}
	})
	t.Run("a device saving over answers it has not seen is refused and told them", func(t *testing.T) {
		status, r := phone.saveDraft(f.Token, url.Values{"sid": {"sid-phone"}, "_rev": {"1"}, c1: {"4"}})
		if status != http.StatusConflict || r.Revision != 2 || r.Values[c2] != "3" || r.SID != "sid-phone" {
			t.Fatalf("stale save: %d %+v", status, r)
		}
		d, _ := e.db.Draft(context.Background(), f.ID)
		if d.Values[c1] != "2" {
			t.Fatal("the refused save changed the draft")
		}
	})
	t.Run("a draft keeps only the form's own fields, each with a value it can take", func(t *testing.T) {
		status, r := phone.saveDraft(f.Token, url.Values{"_rev": {"2"}, c1: {"9"}, c2: {"1"}, "q_NOPE_SNV": {"1"}, "r_gioi_tinh": {"01"},
			"s_" + units[1].Code: {"2"}, "extra": {"x"}})
		if status != http.StatusOK {
			t.Fatalf("save: %d %+v", status, r)
		}
		d, _ := e.db.Draft(context.Background(), f.ID)
		if len(d.Values) != 1 || d.Values[c2] != "1" {
			t.Fatalf("draft kept %v", d.Values)
		}
	})
	t.Run("without the script, the save button stores the form and comes back to it", func(t *testing.T) {
		v := url.Values{"sid": {"sid-plain"}, c1: {"1"}}
		resp, _ := phone.post("/p/"+f.Token+"/draft", v)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/p/"+f.Token+"?luu=") {
			t.Fatalf("status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, page := phone.get(resp.Header.Get("Location"))
		mustContain(t, page, "Đã lưu tạm các câu trả lời lúc 09:00 ngày 15/11/2026")
		if !checked(page, c1, "1") || checked(page, c2, "1") {
			t.Fatal("the page does not show what was saved")
		}
	})
	t.Run("the draft is held to a respondent's limits", func(t *testing.T) {
		v := url.Values{"_rev": {"0"}}
		for i := 0; i < 600; i++ {
			v.Set(fmt.Sprintf("q_X%d", i), "1")
		}
		if status, _ := phone.saveDraft(issued[1].Token, v); status != http.StatusRequestEntityTooLarge {
			t.Fatalf("too many fields: %d", status)
		}
		big := url.Values{"x": {strings.Repeat("a", publicBodyLimit)}}
		req := httptest.NewRequest(http.MethodPost, "/p/"+issued[1].Token+"/draft", strings.NewReader(big.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if resp, _ := phone.do(req); resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("a body over %d bytes: %d", publicBodyLimit, resp.StatusCode)
		}
		if _, err := e.db.Draft(context.Background(), issued[1].ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatal("a refused save stored a draft")
		}
	})
	t.Run("an unknown link saves nothing and gets the unknown-link answer", func(t *testing.T) {
		if status, _ := phone.saveDraft("AAAAAAAAAAAAAAAAAAAAAAAA", url.Values{c1: {"1"}}); status != http.StatusNotFound {
			t.Fatalf("status %d", status)
		}
	})
	t.Run("submitting ends the draft; a later save is told the form was sent", func(t *testing.T) {
		resp, body := phone.post("/p/"+f.Token, answers(q, units, 1, "sid-phone"))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("submit: %d\n%s", resp.StatusCode, body)
		}
		if _, err := e.db.Draft(context.Background(), f.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("draft after submission: %v", err)
		}
		status, r := laptop.saveDraft(f.Token, url.Values{"_rev": {"3"}, c1: {"1"}})
		if status != http.StatusGone || !r.Answered {
			t.Fatalf("save after submission: %d %+v", status, r)
		}
		if _, err := e.db.Draft(context.Background(), f.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatal("a save after submission stored a draft")
		}
	})
	t.Run("saves are limited per form, apart from submissions", func(t *testing.T) {
		g := issued[2]
		for i := 0; i < draftSaveLimit; i++ {
			if status, r := phone.saveDraft(g.Token, url.Values{"_rev": {fmt.Sprint(i)}, c1: {"1"}}); status != http.StatusOK {
				t.Fatalf("save %d: %d %+v", i+1, status, r)
			}
		}
		if status, r := phone.saveDraft(g.Token, url.Values{"_rev": {fmt.Sprint(draftSaveLimit)}, c1: {"1"}}); status != http.StatusTooManyRequests || r.Error != msgTooManyDrafts {
			t.Fatalf("save %d: %d %+v", draftSaveLimit+1, status, r)
		}
		if resp, body := phone.post("/p/"+g.Token, answers(q, units, 1, "sid-g")); resp.StatusCode != http.StatusOK {
			t.Fatalf("a submission after many saves: %d\n%s", resp.StatusCode, body)
		}
	})
}
