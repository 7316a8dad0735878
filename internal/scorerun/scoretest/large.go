package scoretest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/store"
)

// large is the 100,000-form database of the benchmarks, built once per test binary.
var large struct {
	once sync.Once
	dir  string
	db   *store.DB
	camp *store.Campaign
	err  error
}

// LargeDB returns 500 communes × 4 groups × 50 forms of 40 answers, stored and judged, built
// once per test binary. With PARSURVEY_BENCH_DB set to a file, the database is kept there and
// reused by later runs.
func LargeDB(tb testing.TB) (*store.DB, *store.Campaign) {
	tb.Helper()
	large.once.Do(func() {
		path := os.Getenv("PARSURVEY_BENCH_DB")
		if path == "" {
			large.dir, large.err = os.MkdirTemp("", "parsurvey-bench-")
			if large.err != nil {
				return
			}
			path = filepath.Join(large.dir, "bench.db")
		}
		var took time.Duration
		if large.db, large.camp, took, large.err = Open(context.Background(), path, 500, 50); took > 0 {
			tb.Logf("stored 100,000 forms in %v", took.Round(time.Millisecond))
		}
	})
	if large.err != nil {
		tb.Fatal(large.err)
	}
	return large.db, large.camp
}

// CloseLarge closes the database LargeDB opened and removes its temporary folder; a test
// binary's TestMain calls it after m.Run.
func CloseLarge() {
	if large.db != nil {
		large.db.Close()
	}
	if large.dir != "" {
		os.RemoveAll(large.dir)
	}
}

// Open opens the database at path and finds the synthetic campaign in it, or, when there is
// none, populates it with units × 4 groups × perUnit forms (Populate); took is how long that
// took, 0 when the campaign was already there.
func Open(ctx context.Context, path string, units, perUnit int) (db *store.DB, camp *store.Campaign, took time.Duration, err error) {
	if db, err = store.Open(path); err != nil {
		return nil, nil, 0, err
	}
	if camp, err = db.CampaignByCode(ctx, Code); err == nil {
		return db, camp, 0, nil
	}
	start := time.Now()
	if camp, err = Populate(ctx, db, units, perUnit); err != nil {
		return db, nil, 0, err
	}
	return db, camp, time.Since(start), nil
}
