package simulate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"github.com/parsurvey/parsurvey/internal/web"
)

// rehearse makes a rehearsal copy of live's campaign c in the test's folder and simulates n
// responses into it.
func rehearse(t *testing.T, live *store.DB, c *store.Campaign, n int, seed uint64) (*store.DB, *store.Campaign, Report) {
	t.Helper()
	db, rc, err := NewRehearsal(context.Background(), live, c, filepath.Join(t.TempDir(), "dien-tap.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv, err := web.New(db, testenv.Config(t, db.Path()), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	var out bytes.Buffer
	rep, err := New(db, srv, rc, Options{Responses: n, Seed: seed}).Run(context.Background(), &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	return db, rc, rep
}

func run(t *testing.T, n int, seed uint64) (*store.DB, *store.Campaign, Report) {
	t.Helper()
	live := testenv.Open(t)
	return rehearse(t, live, testenv.Demo(t, live), n, seed)
}

func count(t *testing.T, db *store.DB, q string) int {
	t.Helper()
	var n int
	if err := db.ReadRow(context.Background(), q, nil, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSimulationFillsARehearsalThroughTheRealPathsAndLeavesTheLiveDatabaseAlone(t *testing.T) {
	live := testenv.Open(t)
	c := testenv.Demo(t, live)
	before := liveFigures(t, live)
	db, rc, rep := rehearse(t, live, c, 400, 11)
	if rep.Failed != 0 || rep.Online == 0 || rep.Paper == 0 || rep.Imported == 0 {
		t.Fatalf("report %+v", rep)
	}
	online := count(t, db, `SELECT count(*) FROM responses WHERE channel = 'online'`)
	paper := count(t, db, `SELECT count(*) FROM responses WHERE channel = 'paper'`)
	if online != rep.Online || paper != rep.Paper {
		t.Fatalf("database holds %d online and %d paper responses, report says %d and %d", online, paper, rep.Online, rep.Paper)
	}
	if n := count(t, db, `SELECT count(*) FROM keyings`); n < 2*paper {
		t.Fatalf("%d keyings for %d verified paper forms: double entry not used", n, paper)
	}
	days := count(t, db, `SELECT count(DISTINCT substr(received_at, 1, 10)) FROM responses`)
	if days < 5 {
		t.Fatalf("responses arrive on %d days only", days)
	}
	if invalid := count(t, db, `SELECT count(*) FROM responses WHERE valid = 0`); invalid == 0 {
		t.Fatal("no invalid form among the simulated ones")
	}
	blanks := count(t, db, `SELECT count(*) FROM response_answers WHERE instr(answers, '0') > 0`)
	if blanks == 0 {
		t.Fatal("no blank answers simulated")
	}
	if !strings.HasPrefix(rc.Def.Name, RehearsalPrefix) || rc.Def.Code != c.Def.Code {
		t.Fatalf("rehearsal campaign %q %q, live %q %q", rc.Def.Code, rc.Def.Name, c.Def.Code, c.Def.Name)
	}
	if after := liveFigures(t, live); after != before {
		t.Fatalf("the live database changed: %s, was %s", after, before)
	}
}

// liveFigures are the counts of what a simulation used to write into the live database.
func liveFigures(t *testing.T, db *store.DB) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"issued_forms", "responses", "response_answers", "users", "paper_batches", "keyings", "imported_ratios", "audit_log"} {
		var n int
		if err := db.ReadRow(context.Background(), `SELECT count(*) FROM `+table, nil, &n); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		fmt.Fprintf(&b, "%s=%d ", table, n)
	}
	return b.String()
}

func TestTheSameSeedGivesTheSameAnswers(t *testing.T) {
	digest := func(db *store.DB) string {
		var s string
		db.ReadRow(context.Background(), `SELECT group_concat(answers, '|') FROM (SELECT a.answers FROM response_answers a
			JOIN responses r ON r.id = a.response_id JOIN issued_forms f ON f.id = r.form_id ORDER BY f.code, a.unit_id)`, nil, &s)
		return s
	}
	a, _, _ := run(t, 120, 5)
	b, _, _ := run(t, 120, 5)
	if digest(a) != digest(b) || digest(a) == "" {
		t.Fatal("two runs with one seed gave different answers")
	}
}

func TestASimulationRefusesTheLiveDatabase(t *testing.T) {
	live := testenv.Open(t)
	c := testenv.Demo(t, live)
	srv, err := web.New(live, testenv.Config(t, live.Path()), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	before := liveFigures(t, live)
	_, err = New(live, srv, c, Options{Responses: 20}).Run(context.Background(), &bytes.Buffer{})
	if !errors.Is(err, ErrNotRehearsal) {
		t.Fatalf("simulating into the live database: %v, want ErrNotRehearsal", err)
	}
	if after := liveFigures(t, live); after != before {
		t.Fatalf("the live database changed: %s, was %s", after, before)
	}
}

func TestARehearsalIsDeletedWholeAndALiveDatabaseNever(t *testing.T) {
	ctx := context.Background()
	live := testenv.Open(t)
	c := testenv.Demo(t, live)
	path := filepath.Join(t.TempDir(), "thu.db")
	db, _, err := NewRehearsal(ctx, live, c, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := NewRehearsal(ctx, live, c, path); !errors.Is(err, ErrRehearsalExists) {
		t.Fatalf("a second rehearsal over the first: %v", err)
	}
	if _, _, err := NewRehearsal(ctx, live, c, live.Path()); err == nil {
		t.Fatal("a rehearsal over the live database was made")
	}
	db.Close()
	if err := DeleteRehearsal(ctx, live.Path()); !errors.Is(err, ErrNotRehearsal) {
		t.Fatalf("deleting the live database as a rehearsal: %v", err)
	}
	if _, err := live.CountResponses(ctx, c.ID); err != nil {
		t.Fatalf("the live database is gone: %v", err)
	}
	if err := DeleteRehearsal(ctx, path); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(path + "*")
	if len(left) > 0 {
		t.Fatalf("files left of the rehearsal: %v", left)
	}
}

// A campaign still under way (its window runs weeks past today) is rehearsed over all its
// simulated days, today's and later ones: sessions follow the wall clock, and a post sent
// back to the sign-in page is a failure, not a success.
func TestSimulatingACampaignWhoseDaysRunPastNow(t *testing.T) {
	live := testenv.Open(t)
	def, err := campaign.Load(forms.FS, forms.Demo3Cap)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(campaign.Zone)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, campaign.Zone)
	def.Opens, def.Closes = campaign.Date{Time: today.AddDate(0, 0, -3)}, campaign.Date{Time: today.AddDate(0, 0, 40)}
	c, _, err := live.SaveDefinition(context.Background(), def, 0)
	if err != nil {
		t.Fatal(err)
	}
	db, _, rep := rehearse(t, live, c, 300, 3)
	if rep.Failed != 0 || rep.Online == 0 || rep.Paper == 0 {
		t.Fatalf("report %+v", rep)
	}
	future := count(t, db, `SELECT count(*) FROM responses WHERE received_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+1 day')`)
	if future == 0 {
		t.Fatal("no response on a simulated day after today: the test does not test what it says")
	}
}

func TestARedirectToTheSignInPageIsNotSuccess(t *testing.T) {
	for _, tc := range []struct {
		status   int
		location string
		ok       bool
	}{
		{http.StatusSeeOther, "/campaigns/1/paper", true},
		{http.StatusSeeOther, "/login", false},
		{http.StatusSeeOther, "/login?next=%2Fcampaigns%2F1%2Fpaper", false},
		{http.StatusSeeOther, "http://khaosat.test/login", false},
		{http.StatusSeeOther, "/password", false},
		{http.StatusOK, "", false},
	} {
		resp := &http.Response{StatusCode: tc.status, Header: http.Header{"Location": {tc.location}}}
		if err := redirected(resp, "test", nil); (err == nil) != tc.ok {
			t.Errorf("%d to %q: %v", tc.status, tc.location, err)
		}
	}
}
