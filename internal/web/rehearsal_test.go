package web_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/app"
	"github.com/parsurvey/parsurvey/internal/simulate"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// rehearsalEnv is the whole service as `parsurvey serve` builds it (internal/app wires the
// rehearsals in), on a real listener, over a live database holding the demo campaign and an
// account per role.
type rehearsalEnv struct {
	t    *testing.T
	a    *app.App
	base string
	camp *store.Campaign
	live string
}

func newRehearsalEnv(t *testing.T) *rehearsalEnv {
	t.Helper()
	path := filepath.Join(t.TempDir(), "parsurvey.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	camp := testenv.Demo(t, db)
	// Live forms issued, so that the live data is more than a definition.
	plan, err := camp.Def.IssuePlan("", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Issue(t.Context(), camp.ID, 0, plan); err != nil {
		t.Fatal(err)
	}
	testenv.AddStaff(t, db)
	testenv.AddUser(t, db, "xem", store.RoleViewer)
	db.Close()
	a, err := app.New(t.Context(), testenv.Config(t, path), io.Discard, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		<-done
		a.Close()
	})
	return &rehearsalEnv{t: t, a: a, base: "http://" + ln.Addr().String(), camp: camp, live: path}
}

// counts are what the live database holds: forms, responses, accounts, paper batches.
func (e *rehearsalEnv) counts() map[string]int {
	e.t.Helper()
	out := map[string]int{}
	for _, table := range []string{"issued_forms", "responses", "response_answers", "users", "paper_batches", "keyings", "imported_ratios"} {
		var n int
		if err := e.a.DB.ReadRow(context.Background(), "SELECT count(*) FROM "+table, nil, &n); err != nil {
			e.t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func (e *rehearsalEnv) page() string {
	return fmt.Sprintf("%s/campaigns/%d/rehearsal", e.base, e.camp.ID)
}

// post sends a form with the CSRF token of the page at from.
func post(t *testing.T, c *http.Client, from, to string, v url.Values) (*http.Response, string) {
	t.Helper()
	_, page := testenv.Get(t, c, from)
	if v == nil {
		v = url.Values{}
	}
	v.Set("_csrf", testenv.CSRFToken(page))
	resp, err := c.PostForm(to, v)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// waitRehearsal reloads the rehearsal page until the run is no longer in progress.
func (e *rehearsalEnv) waitRehearsal(c *http.Client) string {
	e.t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		resp, body := testenv.Get(e.t, c, e.page())
		if resp.StatusCode != http.StatusOK {
			e.t.Fatalf("rehearsal page: %d", resp.StatusCode)
		}
		if !strings.Contains(body, "Đang diễn tập") {
			return body
		}
		if time.Now().After(deadline) {
			e.t.Fatal("the rehearsal is still running after 3 minutes")
		}
		time.Sleep(500 * time.Millisecond)
	}
}

var kpi = regexp.MustCompile(`<dt>Đã nhận</dt><dd>([0-9.]+)</dd>`)

// A rehearsal started on the web runs in the background in a database of its own, shows its
// figures, opens read-only under its banner and is deleted whole; the live campaign's data
// does not change, and no role but the administrator's and the analyst's reaches it.
func TestARehearsalFromTheWebLeavesTheLiveDataAlone(t *testing.T) {
	t.Parallel()
	e := newRehearsalEnv(t)
	before := e.counts()
	analyst := testenv.SignIn(t, e.base, "phantich", testenv.Password)
	rehearsal := simulate.RehearsalPath(e.live, e.camp.Def.Code)

	t.Run("a bad number comes back on the page with what was typed", func(t *testing.T) {
		resp, body := post(t, analyst, e.page(), e.page(), url.Values{"responses": {"ba trăm"}, "seed": {"-1"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="ba trăm"`) ||
			!strings.Contains(body, "Số phiếu phải là số nguyên từ 1 đến 20.000") || !strings.Contains(body, "Hạt giống phải là số nguyên không âm") {
			t.Fatalf("status %d:\n%.2000s", resp.StatusCode, body)
		}
		if _, err := os.Stat(rehearsal); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("a refused form made the rehearsal file: %v", err)
		}
	})

	resp, _ := post(t, analyst, e.page(), e.page(), url.Values{"responses": {"80"}, "seed": {"7"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start: status %d", resp.StatusCode)
	}
	body := e.waitRehearsal(analyst)

	t.Run("when done, the page shows the rehearsal's figures, counted in its own database", func(t *testing.T) {
		rdb, err := store.OpenScratch(rehearsal)
		if err != nil {
			t.Fatal(err)
		}
		defer rdb.Close()
		var n int
		if err := rdb.ReadRow(context.Background(), "SELECT count(*) FROM responses", nil, &n); err != nil {
			t.Fatal(err)
		}
		m := kpi.FindStringSubmatch(body)
		if n == 0 || m == nil || m[1] != vn.Int(int64(n)) {
			t.Fatalf("the rehearsal holds %d responses; the page says %v:\n%.3000s", n, m, body)
		}
		for _, want := range []string{"Đây là bản diễn tập, không phải số liệu thật.", "Lượt diễn tập vừa chạy: Trực tuyến", "Xóa toàn bộ bản diễn tập"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page does not say %q:\n%.3000s", want, body)
			}
		}
	})

	t.Run("its progress page opens in the same service, under the banner, with the rehearsal's name", func(t *testing.T) {
		resp, page := testenv.Get(t, analyst, e.page()+"/dashboard")
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Đây là bản diễn tập, không phải số liệu thật.") ||
			!strings.Contains(page, simulate.RehearsalPrefix+e.camp.Def.Name) || !strings.Contains(page, "Tiến độ thu phiếu của bản diễn tập") {
			t.Fatalf("status %d:\n%.3000s", resp.StatusCode, page)
		}
	})

	t.Run("a second rehearsal over the first is refused until it is deleted", func(t *testing.T) {
		resp, page := post(t, analyst, e.page(), e.page(), url.Values{"responses": {"10"}})
		if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "Đợt này đã có một bản diễn tập") {
			t.Fatalf("status %d:\n%.2000s", resp.StatusCode, page)
		}
	})

	t.Run("viewers, supervisors and enumerators are refused every rehearsal route", func(t *testing.T) {
		for _, name := range []string{"xem", "giamsat", "dtv1"} {
			c := testenv.SignIn(t, e.base, name, testenv.Password)
			for _, u := range []string{e.page(), e.page() + "/dashboard"} {
				if resp, _ := testenv.Get(t, c, u); resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s GET %s: status %d", name, u, resp.StatusCode)
				}
			}
			for _, u := range []string{e.page(), e.page() + "/delete"} {
				if resp, _ := post(t, c, e.base+"/password", u, url.Values{"responses": {"10"}}); resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s POST %s: status %d", name, u, resp.StatusCode)
				}
			}
		}
		if _, err := os.Stat(rehearsal); err != nil {
			t.Fatalf("a refused delete removed the rehearsal: %v", err)
		}
	})

	t.Run("the live campaign's forms, responses, accounts and batches are as they were", func(t *testing.T) {
		if after := e.counts(); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Fatalf("live data before %v, after %v", before, after)
		}
	})

	t.Run("deleting removes the rehearsal whole, and the page offers a new one", func(t *testing.T) {
		resp, _ := post(t, analyst, e.page(), e.page()+"/delete", nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: status %d", resp.StatusCode)
		}
		for _, p := range []string{rehearsal, rehearsal + "-wal", rehearsal + "-shm", rehearsal + ".lock"} {
			if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s is still there: %v", p, err)
			}
		}
		_, page := testenv.Get(t, analyst, e.page())
		if !strings.Contains(page, "Đã xóa toàn bộ bản diễn tập") || !strings.Contains(page, "Bắt đầu diễn tập") {
			t.Fatalf("after the delete:\n%.2000s", page)
		}
		if resp, page := testenv.Get(t, analyst, e.page()+"/dashboard"); resp.StatusCode != http.StatusOK ||
			!strings.Contains(page, "Đợt này chưa có bản diễn tập nào") || strings.Contains(page, "Tiến độ thu phiếu của bản diễn tập") {
			t.Errorf("the deleted rehearsal's progress page: status %d:\n%.2000s", resp.StatusCode, page)
		}
	})

	t.Run("the live audit log says who started and deleted the rehearsal", func(t *testing.T) {
		entries, err := e.a.DB.AuditLog(context.Background(), e.camp.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, en := range entries {
			seen[en.Action] = true
		}
		if !seen["rehearsal.start"] || !seen["rehearsal.delete"] {
			t.Fatalf("audit actions %v", seen)
		}
		if after := e.counts(); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Fatalf("live data before %v, after %v", before, after)
		}
	})
}
