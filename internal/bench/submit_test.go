package bench

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/store/pgtest"
)

// The load script is also a test: many distinct forms submitted at once over real HTTP must each
// be stored exactly once, with no failure (a context value reused across requests once made
// submissions land on the wrong form). With PARSURVEY_TEST_PG set it runs on PostgreSQL too, and
// through two nodes there.
func TestSubmitStoresEveryFormExactlyOnce(t *testing.T) {
	var out bytes.Buffer
	o := SubmitOptions{N: 400, Clients: 16, Dir: t.TempDir(), Postgres: pgtest.Address()}
	if err := Submit(context.Background(), o, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	runs := 1
	if o.Postgres != "" {
		runs = 3 // SQLite, PostgreSQL, two nodes on PostgreSQL
		if !strings.Contains(out.String(), "PostgreSQL / SQLite") {
			t.Fatalf("no ratios:\n%s", out.String())
		}
	}
	if got := strings.Count(out.String(), "giữ 400 phiếu trả lời (cần đúng 400)"); got != runs {
		t.Fatalf("%d of %d runs stored every form:\n%s", got, runs, out.String())
	}
	t.Log("\n" + out.String())
}
