package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/store"
)

// count is one figure of the database at path.
func count(t *testing.T, path, query string) int {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.ReadRow(context.Background(), query, nil, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSimulateRehearsesOnACopyAndDeletesItWhole(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "parsurvey.db")
	env := map[string]string{"PARSURVEY_DB": live}
	loadDemo(t, env)
	out, err := runCLI(t, env, "simulate", "demo-2026", "--responses", "60", "--seed", "3")
	if err != nil {
		t.Fatalf("simulate: %v\n%s", err, out)
	}
	rehearsal := filepath.Join(dir, "parsurvey.dien-tap-demo-2026.db")
	t.Run("the live database gets no form, account, batch or response", func(t *testing.T) {
		for _, table := range []string{"issued_forms", "responses", "users", "paper_batches", "imported_ratios"} {
			if n := count(t, live, `SELECT count(*) FROM `+table); n != 0 {
				t.Errorf("%d rows in the live %s", n, table)
			}
		}
	})
	t.Run("the rehearsal holds the simulated responses and says where it is", func(t *testing.T) {
		if n := count(t, rehearsal, `SELECT count(*) FROM responses`); n == 0 {
			t.Error("no response in the rehearsal")
		}
		for _, want := range []string{"Bản diễn tập: " + rehearsal, "parsurvey user add TÊN --role admin --db " + rehearsal, "parsurvey serve --db " + rehearsal, "parsurvey simulate --delete " + rehearsal} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("a second rehearsal does not overwrite the first; --continue adds to it", func(t *testing.T) {
		before := count(t, rehearsal, `SELECT count(*) FROM responses`)
		if _, err := runCLI(t, env, "simulate", "demo-2026", "--responses", "20"); err == nil {
			t.Fatal("a second rehearsal over the first was made")
		}
		if out, err := runCLI(t, env, "simulate", "demo-2026", "--responses", "100", "--seed", "4", "--continue"); err != nil {
			t.Fatalf("--continue: %v\n%s", err, out)
		}
		if after := count(t, rehearsal, `SELECT count(*) FROM responses`); after <= before {
			t.Fatalf("%d responses after --continue, %d before", after, before)
		}
	})
	t.Run("--delete refuses the live database", func(t *testing.T) {
		if _, err := runCLI(t, env, "simulate", "--delete", live); err == nil {
			t.Fatal("the live database was deleted as a rehearsal")
		}
		if _, err := os.Stat(live); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("--delete removes the rehearsal and its side files", func(t *testing.T) {
		if out, err := runCLI(t, env, "simulate", "--delete", rehearsal); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if left, _ := filepath.Glob(rehearsal + "*"); len(left) > 0 {
			t.Fatalf("left: %v", left)
		}
	})
}
