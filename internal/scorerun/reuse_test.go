package scorerun

import (
	"context"
	"testing"

	"github.com/parsurvey/parsurvey/internal/store"
)

func TestARunWithTheNewestRunsInputsReusesIt(t *testing.T) {
	e := newEnv(t)
	e.standard()
	ctx := context.Background()
	first := e.compute()
	other := &store.User{Username: "giamsat", FullName: "Giám sát", Role: store.RoleSupervisor, PasswordHash: "x"}
	if err := e.db.CreateUser(ctx, other); err != nil {
		t.Fatal(err)
	}
	countRuns := func() int {
		var n int
		e.db.ReadRow(ctx, `SELECT count(*) FROM score_runs`, nil, &n)
		return n
	}

	t.Run("another user's run of the same data names the stored run and its author", func(t *testing.T) {
		again, err := ComputeAndSave(ctx, e.db, e.camp.ID, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if first.Reused || !again.Reused || again.ID != first.ID || again.CreatedBy != "admin" || !again.CreatedAt.Equal(first.CreatedAt) || countRuns() != 1 {
			t.Fatalf("first %d (reused %v), again %d by %s at %v (reused %v), %d runs", first.ID, first.Reused, again.ID, again.CreatedBy, again.CreatedAt, again.Reused, countRuns())
		}
	})
	t.Run("a new response makes a new run by whoever computed it", func(t *testing.T) {
		e.submit("G1", "H3", "online", inWindow, "1111")
		next, err := ComputeAndSave(ctx, e.db, e.camp.ID, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if next.Reused || next.ID == first.ID || next.CreatedBy != "giamsat" || countRuns() != 2 {
			t.Fatalf("run %d by %s (reused %v), %d runs", next.ID, next.CreatedBy, next.Reused, countRuns())
		}
	})
}
