package jobs

import (
	"context"
	"testing"
	"time"
)

func TestListIsAUsersHistoryNewestFirst(t *testing.T) {
	r, _, clk := newLimited(t, Config{KeptPerUser: 3})
	var mine []*Job
	for i := range 4 {
		mine = append(mine, run(t, r, 1, writes("bản in")))
		if i == 1 {
			run(t, r, 2, writes("của người khác"))
		}
		clk.Add(time.Minute)
	}
	release := make(chan struct{})
	going := start(t, r, "đang in", "x.zip", 1, blocks(release))
	defer func() { close(release); finished(t, r, going) }()
	list := func(t *testing.T, user int64) []*Job {
		t.Helper()
		got, err := r.List(context.Background(), user)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	t.Run("the user sees their own jobs, running first, the oldest past the kept count gone", func(t *testing.T) {
		got := list(t, 1)
		want := []*Job{going, mine[3], mine[2], mine[1]}
		if len(got) != len(want) {
			t.Fatalf("%d jobs listed, want %d", len(got), len(want))
		}
		for i := range want {
			if got[i].ID != want[i].ID {
				t.Errorf("job %d is %s, want %s", i, got[i].ID, want[i].ID)
			}
		}
	})
	t.Run("another user's list holds only theirs", func(t *testing.T) {
		if got := list(t, 2); len(got) != 1 || got[0].UserID != 2 {
			t.Errorf("user 2 sees %d jobs", len(got))
		}
		if got := list(t, 3); len(got) != 0 {
			t.Errorf("user 3 sees %d jobs", len(got))
		}
	})
	t.Run("a finished job says when it ended, how big it is and until when it is kept", func(t *testing.T) {
		j := get(t, r, mine[3].ID)
		if j.Ended().IsZero() || j.Size() != int64(len("bản in")) || !r.Expires(j).Equal(j.Ended().Add(24*time.Hour)) {
			t.Errorf("ended %v, size %d, expires %v", j.Ended(), j.Size(), r.Expires(j))
		}
		g := get(t, r, going.ID)
		if !g.Ended().IsZero() || !r.Expires(g).IsZero() || g.Size() != 0 {
			t.Errorf("running job: ended %v, expires %v, size %d", g.Ended(), r.Expires(g), g.Size())
		}
	})
	t.Run("a day after they ended, finished jobs are gone from the list", func(t *testing.T) {
		clk.Add(25 * time.Hour)
		if got := list(t, 1); len(got) != 1 || got[0].ID != going.ID {
			t.Errorf("%d jobs listed after a day", len(got))
		}
	})
}
