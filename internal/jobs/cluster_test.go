package jobs

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// sameDatabase opens a second handle on db's database, as a second node on the same SQLite file
// or PostgreSQL schema would have.
func sameDatabase(t *testing.T, db *store.DB) *store.DB {
	t.Helper()
	other, err := store.OpenScratch(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

func TestAJobStartedOnOneNodeRunsAndDownloadsOnAnother(t *testing.T) {
	dbA := testenv.Open(t)
	a, _ := newOn(t, dbA, Config{Workers: -1}) // queues and serves, runs nothing
	t.Cleanup(a.Close)
	b, _ := newOn(t, sameDatabase(t, dbA), Config{})
	t.Cleanup(b.Close)
	const content = "Phiếu in trên máy B\n"
	j := start(t, a, "In phiếu", "phieu.pdf", 1, func(_ context.Context, f *os.File, j *Job) error {
		j.Set(1, 1)
		_, err := f.WriteString(content)
		return err
	})
	got := finished(t, a, j)
	t.Run("the other node ran it", func(t *testing.T) {
		if got.Node != b.Node() || got.Attempt != 1 {
			t.Errorf("ran on %q (attempt %d), want %q", got.Node, got.Attempt, b.Node())
		}
		if _, _, _, err := got.Progress(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("both nodes serve the file", func(t *testing.T) {
		for name, r := range map[string]*Runner{"A": a, "B": b} {
			if body, ok := download(t, r, j.ID); !ok || body != content {
				t.Errorf("node %s serves %q (%v), want %q", name, body, ok, content)
			}
		}
	})
	t.Run("the starting node lists it in the user's history", func(t *testing.T) {
		list, err := a.List(context.Background(), 1)
		if err != nil || len(list) != 1 || list[0].ID != j.ID || list[0].Size() != int64(len(content)) {
			t.Errorf("List = %v, %v", list, err)
		}
	})
}

// counter counts the runs of each job.
type counter struct {
	mu   sync.Mutex
	runs map[string][]string // job id → the nodes that ran it
}

func (c *counter) add(id, node string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.runs == nil {
		c.runs = map[string][]string{}
	}
	c.runs[id] = append(c.runs[id], node)
	return len(c.runs[id])
}

func (c *counter) of(id string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.runs[id]...)
}

func TestAJobWhoseNodeDiedIsFinishedByAnother(t *testing.T) {
	cfg := Config{Lease: 300 * time.Millisecond}
	dbA := testenv.Open(t)
	a, _ := newOn(t, dbA, cfg)
	var runs counter
	started := make(chan struct{}, 1)
	j := start(t, a, "In phiếu", "phieu.pdf", 1, func(ctx context.Context, f *os.File, j *Job) error {
		node := j.Node
		if runs.add(j.ID, node) == 1 {
			j.Set(5, 10)
			started <- struct{}{}
			<-ctx.Done() // the first node dies part way through
			return ctx.Err()
		}
		j.Set(10, 10)
		_, err := fmt.Fprintf(f, "in lại trên %s", node)
		return err
	})
	<-started
	waitFor(t, a, j, func(j *Job) bool { done, _, _, _ := j.Progress(); return done == 5 })
	b, _ := newOn(t, sameDatabase(t, dbA), cfg)
	t.Cleanup(b.Close)
	t.Run("while the first node lives, its heartbeat keeps the job", func(t *testing.T) {
		time.Sleep(3 * cfg.Lease)
		if got := runs.of(j.ID); len(got) != 1 {
			t.Fatalf("runs %v while the first node lives", got)
		}
	})
	died := time.Now()
	a.die()
	got := finished(t, b, j)
	took := time.Since(died)
	t.Run("the other node runs it again from the start once the lease has run out, and finishes it", func(t *testing.T) {
		if nodes := runs.of(j.ID); len(nodes) != 2 || nodes[0] != a.Node() || nodes[1] != b.Node() {
			t.Errorf("runs on %v, want %s then %s", nodes, a.Node(), b.Node())
		}
		if got.Node != b.Node() || got.Attempt != 2 {
			t.Errorf("finished on %q attempt %d", got.Node, got.Attempt)
		}
		if _, _, _, err := got.Progress(); err != nil {
			t.Errorf("err = %v", err)
		}
		if body, _ := download(t, b, j.ID); body != "in lại trên "+b.Node() {
			t.Errorf("file = %q", body)
		}
		if lim := a.Limits(); took < lim.Lease-lim.Heartbeat {
			t.Errorf("taken over %v after the node died, before its lease could have run out", took)
		}
	})
}

func TestTwoNodesNeverRunTheSameJobTwice(t *testing.T) {
	cfg := Config{Running: 100, RunningTotal: 100, Workers: 3}
	dbA := testenv.Open(t)
	a, _ := newOn(t, dbA, cfg)
	b, _ := newOn(t, sameDatabase(t, dbA), cfg)
	var runs counter
	count := func(_ context.Context, f *os.File, j *Job) error {
		runs.add(j.ID, j.Node)
		time.Sleep(time.Millisecond)
		_, err := f.WriteString(j.ID)
		return err
	}
	var jobs []*Job
	for i := range 40 {
		r := a
		if i%2 == 1 {
			r = b
		}
		jobs = append(jobs, start(t, r, "x", "x.txt", int64(i%5), count))
	}
	var wg sync.WaitGroup
	for _, r := range []*Runner{a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); r.Wait() }()
	}
	wg.Wait()
	nodes := map[string]int{}
	for _, j := range jobs {
		got := runs.of(j.ID)
		if len(got) != 1 {
			t.Errorf("job %s ran %d times (%v)", j.ID, len(got), got)
			continue
		}
		nodes[got[0]]++
		if body, _ := download(t, a, j.ID); body != j.ID {
			t.Errorf("job %s's file = %q", j.ID, body)
		}
	}
	t.Logf("jobs run per node: %v", nodes)
}
