package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/store/pgtest"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// node is one parsurvey service on a shared PostgreSQL database, serving on loopback.
type node struct {
	app  *App
	base string
}

// startNodes starts n services on one PostgreSQL database at once, as a data centre starts its
// nodes: they migrate, load the demo and make the first administrator without a second of each.
func startNodes(t *testing.T, addr string, n int) []node {
	t.Helper()
	nodes := make([]node, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cfg := testenv.Config(t, addr)
			cfg.Work = filepath.Join(t.TempDir(), fmt.Sprint("node-", i))
			a, err := New(context.Background(), cfg, io.Discard, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				errs[i] = err
				return
			}
			nodes[i].app = a
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	for i := range nodes {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { defer close(done); nodes[i].app.Serve(ctx, ln) }()
		nodes[i].base = "http://" + ln.Addr().String()
		t.Cleanup(func() {
			cancel()
			<-done
			nodes[i].app.Close()
		})
	}
	return nodes
}

// issueMore issues k more online forms of group × unit and returns them.
func issueMore(t *testing.T, db *store.DB, campaignID int64, group, unit string, k int) []*store.IssuedForm {
	t.Helper()
	ctx := context.Background()
	var have []*store.IssuedForm
	list := func() {
		have = have[:0]
		db.Forms(ctx, campaignID, store.FormFilter{Group: group, Unit: unit}, func(f *store.IssuedForm) error {
			have = append(have, f)
			return nil
		})
	}
	list()
	before := len(have)
	if _, err := db.Issue(ctx, campaignID, 0, []campaign.IssueTarget{{Group: group, Unit: unit, Channel: campaign.ChannelOnline, Quota: before + k}}); err != nil {
		t.Fatal(err)
	}
	list()
	if len(have) != before+k {
		t.Fatalf("%d forms after issuing %d more than %d", len(have), k, before)
	}
	return have[before:]
}

var numberCell = regexp.MustCompile(`<td[^>]*>\s*([0-9][0-9.,%]*)\s*</td>`)

func TestTwoNodesOnOnePostgresDatabase(t *testing.T) {
	addr := pgtest.Schema(t)
	nodes := startNodes(t, addr, 2)
	a, b := nodes[0].app.DB, nodes[1].app.DB
	ctx := context.Background()

	t.Run("both nodes came up on one schema with one demo campaign and one administrator", func(t *testing.T) {
		list, err := b.Campaigns(ctx)
		if err != nil || len(list) != 1 {
			t.Fatalf("campaigns %v, %v", list, err)
		}
		if n, err := a.CountUsers(ctx); err != nil || n != 1 {
			t.Fatalf("%d users, %v", n, err)
		}
	})
	list, _ := a.Campaigns(ctx)
	camp, err := a.Campaign(ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	def := camp.Def
	// Inside the collection window, on both nodes' clocks.
	opens, _ := def.Window()
	for _, n := range nodes {
		n.app.DB.SetClock(func() time.Time { return opens.Add(36 * time.Hour) })
	}
	var group *campaign.Group
	for i := range def.Groups {
		g := &def.Groups[i]
		if !g.Imported() && def.Questionnaire(g.Form).Shape == campaign.ShapeSingle {
			group = g
			break
		}
	}
	unit := def.UnitsOfKind(group.Evaluates)[0]
	const n = 40
	if _, err := a.Issue(ctx, camp.ID, 0, []campaign.IssueTarget{{Group: group.Code, Unit: unit.Code, Channel: campaign.ChannelOnline, Quota: n}}); err != nil {
		t.Fatal(err)
	}
	var forms []*store.IssuedForm
	a.Forms(ctx, camp.ID, store.FormFilter{Group: group.Code, Unit: unit.Code}, func(f *store.IssuedForm) error {
		forms = append(forms, f)
		return nil
	})
	if len(forms) != n {
		t.Fatalf("%d forms issued", len(forms))
	}
	q := def.Questionnaire(group.Form)
	body := func(sid string, answer int) string {
		v := url.Values{"sid": {sid}}
		for _, fl := range q.Fields {
			v.Set("r_"+fl.Key, "1")
		}
		for _, qq := range q.Questions() {
			v.Set("q_"+qq.Code, strconv.Itoa(1+answer%len(qq.Options)))
		}
		return v.Encode()
	}
	client := &http.Client{Timeout: 30 * time.Second}
	post := func(base, token, b string) (int, string) {
		resp, err := client.Post(base+"/p/"+token, "application/x-www-form-urlencoded", strings.NewReader(b))
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(page)
	}

	t.Run("the same code posted to both nodes at once is stored once", func(t *testing.T) {
		type result struct {
			status int
			page   string
		}
		results := make([][2]result, n)
		var wg sync.WaitGroup
		for i, f := range forms {
			// Even codes: one submission sent to both nodes (a retry through the other node).
			// Odd codes: two devices with one code, different answers.
			ba, bb := body("sid-"+f.Code, 0), body("sid-"+f.Code, 0)
			if i%2 == 1 {
				ba, bb = body("sid-a-"+f.Code, 0), body("sid-b-"+f.Code, 1)
			}
			wg.Add(2)
			go func() { defer wg.Done(); s, p := post(nodes[0].base, f.Token, ba); results[i][0] = result{s, p} }()
			go func() { defer wg.Done(); s, p := post(nodes[1].base, f.Token, bb); results[i][1] = result{s, p} }()
		}
		wg.Wait()
		for i, f := range forms {
			x, y := results[i][0], results[i][1]
			if i%2 == 0 {
				if x.status != http.StatusOK || y.status != http.StatusOK {
					t.Errorf("%s, one submission through two nodes: %d / %d", f.Code, x.status, y.status)
				}
				continue
			}
			statuses := []int{x.status, y.status}
			slices.Sort(statuses)
			if statuses[0] != http.StatusOK || statuses[1] != http.StatusConflict {
				t.Errorf("%s, two answers through two nodes: %d / %d", f.Code, x.status, y.status)
			}
		}
		var stored, codes int
		if err := b.ReadRow(ctx, `SELECT count(*), count(DISTINCT form_id) FROM responses WHERE campaign_id = ?`, []any{camp.ID}, &stored, &codes); err != nil {
			t.Fatal(err)
		}
		if stored != n || codes != n {
			t.Fatalf("%d responses for %d codes, want %d each", stored, codes, n)
		}
		rep, err := a.Verify(ctx)
		if err != nil || len(rep.Problems) != 0 {
			t.Fatalf("verify: %+v, %v", rep, err)
		}
	})

	t.Run("both nodes' dashboards show the same figures", func(t *testing.T) {
		admin := testenv.AddUser(t, a, "ql", store.RoleAdmin)
		var cells [2][]string
		for i, nd := range nodes {
			c := testenv.SignIn(t, nd.base, admin.Username, testenv.Password)
			resp, page := testenv.Get(t, c, fmt.Sprintf("%s/campaigns/%d/dashboard", nd.base, camp.ID))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("node %d dashboard: %d", i, resp.StatusCode)
			}
			for _, m := range numberCell.FindAllStringSubmatch(page, -1) {
				cells[i] = append(cells[i], m[1])
			}
		}
		if len(cells[0]) == 0 || !slices.Equal(cells[0], cells[1]) {
			t.Fatalf("dashboards differ:\n%v\n%v", cells[0], cells[1])
		}
		if !slices.Contains(cells[0], strconv.Itoa(n)) {
			t.Fatalf("no cell says %d responses: %v", n, cells[0])
		}
	})

	t.Run("a rule changed on one node judges the next response on the other as soon as it hears", func(t *testing.T) {
		// 80% of the questions answered: valid under the demo's 70%, not under 90%.
		partial := func(sid string) string {
			v, _ := url.ParseQuery(body(sid, 0))
			qs := q.Questions()
			for _, qq := range qs[len(qs)*8/10:] {
				v.Del("q_" + qq.Code)
			}
			return v.Encode()
		}
		fresh := issueMore(t, a, camp.ID, group.Code, unit.Code, 2)
		valid := func(f *store.IssuedForm) int {
			var v int
			if err := b.ReadRow(ctx, `SELECT valid FROM responses WHERE form_id = ?`, []any{f.ID}, &v); err != nil {
				t.Fatalf("form %s: %v", f.Code, err)
			}
			return v
		}
		// Node b judges one, so it holds the rules in force.
		status, page := post(nodes[1].base, fresh[0].Token, partial("sid-r0"))
		if status != http.StatusOK || !strings.Contains(page, "Số biên nhận") {
			t.Fatalf("under 70%%: %d\n%s", status, page)
		}
		if status != http.StatusOK || valid(fresh[0]) != 1 {
			t.Fatalf("under 70%%: %d, valid %d\n%s", status, valid(fresh[0]), page)
		}
		admin, err := a.UserByName(ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		// Node b hears of the change asynchronously, a few milliseconds after the commit; its
		// server forgets first (it subscribed first), then this test is told.
		heard := make(chan struct{}, 8)
		b.OnChange(func(c store.Change) {
			if c.CampaignID == camp.ID {
				heard <- struct{}{}
			}
		})
		e := campaign.EffectiveOf(def)
		e.MinAnsweredPercent = campaign.Decimal(90 * campaign.DecimalScale)
		if _, err := intake.ChangeSettings(ctx, a, camp.ID, admin.ID, e); err != nil {
			t.Fatal(err)
		}
		select {
		case <-heard:
		case <-time.After(10 * time.Second):
			t.Fatal("node b never heard of the change")
		}
		// The online questionnaire refuses, on the page, an answer the rules in force would
		// judge invalid: node b must know the rule node a set a moment ago.
		status, page = post(nodes[1].base, fresh[1].Token, partial("sid-r1"))
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "cần trả lời ít nhất 22 câu") {
			t.Fatalf("under 90%% set on the other node: %d\n%s", status, page)
		}
	})

	t.Run("a lock made on one node closes the questionnaire on the other at once", func(t *testing.T) {
		// Node b has the page of a fresh code cached from a visit before the lock.
		fresh := issueMore(t, a, camp.ID, group.Code, unit.Code, 1)[0]
		if resp, err := client.Get(nodes[1].base + "/p/" + fresh.Token); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("fresh page: %v %v", resp, err)
		}
		if err := a.LockCampaign(ctx, camp.ID, 0); err != nil {
			t.Fatal(err)
		}
		status, page := post(nodes[1].base, fresh.Token, body("sid-late", 0))
		if status == http.StatusOK {
			t.Fatalf("a submission after the lock was taken by the other node:\n%s", page)
		}
	})
}
