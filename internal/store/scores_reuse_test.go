package store

import (
	"context"
	"sync"
	"testing"
)

func countRuns(t *testing.T, db *DB, campaignID int64) int {
	t.Helper()
	var n int
	if err := db.ReadRow(context.Background(), `SELECT count(*) FROM score_runs WHERE campaign_id = ?`, []any{campaignID}, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestScoreRunsWithTheSameInputsAreStoredOnce(t *testing.T) {
	db, c := scoredCampaign(t)
	ctx := context.Background()
	run := func(input, result string) *ScoreRun {
		return &ScoreRun{CampaignID: c.ID, CampaignVersion: 1, Settings: "{}", Method: "{}", InputDigest: input, ResultDigest: result,
			Forms: 2, Result: []byte(`{"x":1}`)}
	}
	save := func(r *ScoreRun) *ScoreRun {
		t.Helper()
		if err := db.SaveScoreRun(ctx, r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := save(run("sha256:a", "sha256:r1"))

	t.Run("a second save with the newest run's inputs stores no row and names that run", func(t *testing.T) {
		again := save(run("sha256:a", "sha256:r1"))
		if !again.Reused || again.ID != first.ID || !again.CreatedAt.Equal(first.CreatedAt) || first.Reused {
			t.Fatalf("first %d (reused %v), again %d (reused %v) at %v / %v", first.ID, first.Reused, again.ID, again.Reused, first.CreatedAt, again.CreatedAt)
		}
		if n := countRuns(t, db, c.ID); n != 1 {
			t.Fatalf("%d runs stored", n)
		}
		var audited int
		db.ReadRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'scores.run'`, nil, &audited)
		if audited != 1 {
			t.Fatalf("%d runs audited", audited)
		}
	})
	t.Run("other inputs store a new run", func(t *testing.T) {
		if r := save(run("sha256:b", "sha256:r2")); r.Reused || r.ID == first.ID || countRuns(t, db, c.ID) != 2 {
			t.Fatalf("run %d reused %v, %d runs", r.ID, r.Reused, countRuns(t, db, c.ID))
		}
	})
	t.Run("inputs that changed and changed back store a new run: only the newest run is reused", func(t *testing.T) {
		if r := save(run("sha256:a", "sha256:r1")); r.Reused || r.ID == first.ID || countRuns(t, db, c.ID) != 3 {
			t.Fatalf("run %d reused %v, %d runs", r.ID, r.Reused, countRuns(t, db, c.ID))
		}
	})
	t.Run("the same inputs giving other figures (another scoring code) store a new run", func(t *testing.T) {
		if r := save(run("sha256:a", "sha256:r9")); r.Reused || countRuns(t, db, c.ID) != 4 {
			t.Fatalf("run %d reused %v, %d runs", r.ID, r.Reused, countRuns(t, db, c.ID))
		}
	})
	t.Run("identical saves at once store one run", func(t *testing.T) {
		before := countRuns(t, db, c.ID)
		runs := make([]*ScoreRun, 8)
		errs := make([]error, len(runs))
		var wg sync.WaitGroup
		for i := range runs {
			runs[i] = run("sha256:c", "sha256:r3")
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.SaveScoreRun(ctx, runs[i])
			}()
		}
		wg.Wait()
		fresh := 0
		for i, r := range runs {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if r.ID != runs[0].ID {
				t.Errorf("save %d got run %d, save 0 run %d", i, r.ID, runs[0].ID)
			}
			if !r.Reused {
				fresh++
			}
		}
		if after := countRuns(t, db, c.ID); after != before+1 || fresh != 1 {
			t.Fatalf("%d runs stored (%d before), %d saves not reused", after, before, fresh)
		}
	})
	t.Run("another campaign's runs are not reused", func(t *testing.T) {
		def := demo(t)
		def.Code = "khac-2026"
		other, _, err := db.SaveDefinition(ctx, def, 0)
		if err != nil {
			t.Fatal(err)
		}
		r := &ScoreRun{CampaignID: other.ID, CampaignVersion: other.Version, Settings: "{}", Method: "{}", InputDigest: "sha256:c",
			ResultDigest: "sha256:r3", Result: []byte(`{}`)}
		if save(r); r.Reused || countRuns(t, db, other.ID) != 1 {
			t.Fatalf("run %d reused %v", r.ID, r.Reused)
		}
	})
}
