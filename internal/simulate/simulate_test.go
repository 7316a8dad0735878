package simulate

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"github.com/parsurvey/parsurvey/internal/web"
)

func run(t *testing.T, n int, seed uint64) (*store.DB, *store.Campaign, Report) {
	t.Helper()
	db := testenv.Open(t)
	c := testenv.Demo(t, db)
	srv, err := web.New(db, testenv.Config(t, db.Path()), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	var out bytes.Buffer
	rep, err := New(db, srv, c, Options{Responses: n, Seed: seed}).Run(context.Background(), &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	return db, c, rep
}

func count(t *testing.T, db *store.DB, q string) int {
	var n int
	if err := db.ReadRow(context.Background(), q, nil, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSimulationFillsACampaignThroughTheRealPaths(t *testing.T) {
	db, _, rep := run(t, 400, 11)
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
