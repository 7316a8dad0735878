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
		large.db, large.err = store.Open(path)
		if large.err != nil {
			return
		}
		if large.camp, large.err = large.db.CampaignByCode(context.Background(), "bench-2026"); large.err == nil {
			return
		}
		start := time.Now()
		large.camp, large.err = Populate(context.Background(), large.db, 500, 50)
		tb.Logf("stored 100,000 forms in %v", time.Since(start).Round(time.Millisecond))
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
