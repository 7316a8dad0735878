package jobs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a fake clock that moves only when the test says.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newLimited is a runner in a temp folder with cfg's limits and a fake clock.
func newLimited(t *testing.T, cfg Config) (*Runner, string, *clock) {
	t.Helper()
	clk := newClock()
	cfg.Now = clk.Now
	dir := filepath.Join(t.TempDir(), "jobs")
	r, err := New(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r, dir, clk
}

// writes is a task that writes content and returns.
func writes(content string) func(context.Context, *os.File, *Job) error {
	return func(_ context.Context, f *os.File, _ *Job) error {
		_, err := f.WriteString(content)
		return err
	}
}

// blocks is a task that waits for release, then writes a line.
func blocks(release <-chan struct{}) func(context.Context, *os.File, *Job) error {
	return func(_ context.Context, f *os.File, _ *Job) error {
		<-release
		_, err := f.WriteString("ok")
		return err
	}
}

// finished waits until j has finished, failing the test after a few seconds.
func finished(t *testing.T, j *Job) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, _, done, _ := j.Progress(); done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s did not finish", j.ID)
		}
		time.Sleep(time.Millisecond)
	}
}

// run starts a job, waits for it and returns it.
func run(t *testing.T, r *Runner, userID int64, task func(context.Context, *os.File, *Job) error) *Job {
	t.Helper()
	j := start(t, r, "x", "x.zip", userID, task)
	finished(t, j)
	return j
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// entries is how many jobs the runner holds.
func entries(r *Runner) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.jobs)
}

func TestRunningJobsArePerUserCapped(t *testing.T) {
	r, dir, _ := newLimited(t, Config{Running: 2, RunningTotal: 10})
	release := make(chan struct{})
	first := start(t, r, "a", "a.zip", 1, blocks(release))
	start(t, r, "b", "b.zip", 1, blocks(release))
	t.Run("a user with two jobs running is refused a third", func(t *testing.T) {
		j, err := r.Start("c", "c.zip", 1, blocks(release))
		if !errors.Is(err, ErrUserBusy) || j != nil {
			t.Fatalf("Start = %v, %v; want ErrUserBusy", j, err)
		}
	})
	t.Run("the refused job leaves no entry and no file", func(t *testing.T) {
		if n := entries(r); n != 2 {
			t.Errorf("runner holds %d jobs, want 2", n)
		}
		deadline := time.Now().Add(5 * time.Second)
		for len(files(t, dir)) < 2 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond) // the two running jobs create their files in the background
		}
		if names := files(t, dir); len(names) != 2 {
			t.Errorf("folder holds %v, want the two running jobs' files", names)
		}
	})
	t.Run("another user may still start a job", func(t *testing.T) {
		start(t, r, "d", "d.zip", 2, blocks(release))
	})
	close(release)
	finished(t, first)
	t.Run("once a job has finished the user may start another", func(t *testing.T) {
		deadline := time.Now().Add(5 * time.Second)
		for {
			_, err := r.Start("e", "e.zip", 1, writes("ok"))
			if err == nil {
				return
			}
			if !errors.Is(err, ErrUserBusy) || time.Now().After(deadline) {
				t.Fatalf("Start after the first job finished: %v", err)
			}
			time.Sleep(time.Millisecond) // the second job may still be finishing
		}
	})
}

func TestRunningJobsAreCappedOverAllUsers(t *testing.T) {
	r, _, _ := newLimited(t, Config{Running: 2, RunningTotal: 3})
	release := make(chan struct{})
	defer close(release)
	for user := range int64(3) {
		start(t, r, "x", "x.zip", user+1, blocks(release))
	}
	if _, err := r.Start("x", "x.zip", 4, blocks(release)); !errors.Is(err, ErrBusy) {
		t.Fatalf("fourth job over all users: %v, want ErrBusy", err)
	}
}

func TestOnlyTheNewestFinishedJobsOfAUserAreKept(t *testing.T) {
	r, dir, _ := newLimited(t, Config{KeptPerUser: 3})
	var mine []*Job
	var paths []string
	for range 5 {
		j := run(t, r, 1, writes("phiếu"))
		mine = append(mine, j)
		paths = append(paths, j.Path())
	}
	other := run(t, r, 2, writes("phiếu"))
	t.Run("the two oldest jobs are gone and their files deleted from disk", func(t *testing.T) {
		for i, j := range mine[:2] {
			if r.Get(j.ID) != nil {
				t.Errorf("job %d still found", i)
			}
			if exists(paths[i]) {
				t.Errorf("file of job %d still on disk", i)
			}
		}
	})
	t.Run("the three newest are kept with their files", func(t *testing.T) {
		for i, j := range mine[2:] {
			if r.Get(j.ID) != j || !exists(j.Path()) {
				t.Errorf("job %d or its file missing", i+2)
			}
		}
	})
	t.Run("another user's jobs do not count against the first user's", func(t *testing.T) {
		if r.Get(other.ID) != other || !exists(other.Path()) {
			t.Error("the other user's job is gone")
		}
		if n := len(files(t, dir)); n != 4 {
			t.Errorf("folder holds %d files, want 4", n)
		}
	})
}

func TestFinishedJobsAreCappedOverAllUsers(t *testing.T) {
	t.Run("by count: the oldest job of any user goes first", func(t *testing.T) {
		r, dir, _ := newLimited(t, Config{KeptTotal: 2})
		a := run(t, r, 1, writes("a"))
		b := run(t, r, 2, writes("b"))
		c := run(t, r, 3, writes("c"))
		if r.Get(a.ID) != nil || exists(a.Path()) {
			t.Error("the oldest job or its file is kept")
		}
		if r.Get(b.ID) == nil || r.Get(c.ID) == nil {
			t.Error("a newer job is gone")
		}
		if n := len(files(t, dir)); n != 2 {
			t.Errorf("folder holds %d files, want 2", n)
		}
	})
	t.Run("by bytes: older files go until the total fits", func(t *testing.T) {
		r, _, _ := newLimited(t, Config{MaxBytes: 25})
		a := run(t, r, 1, writes(strings.Repeat("a", 10)))
		b := run(t, r, 2, writes(strings.Repeat("b", 10)))
		c := run(t, r, 3, writes(strings.Repeat("c", 10)))
		if r.Get(a.ID) != nil || exists(a.Path()) {
			t.Error("the oldest 10 bytes are kept over a 25-byte cap")
		}
		if r.Get(b.ID) == nil || r.Get(c.ID) == nil {
			t.Error("a newer job is gone")
		}
	})
	t.Run("by bytes: a single run larger than the cap is still kept for download", func(t *testing.T) {
		r, _, _ := newLimited(t, Config{MaxBytes: 25})
		small := run(t, r, 1, writes("a"))
		big := run(t, r, 2, writes(strings.Repeat("b", 100)))
		if r.Get(big.ID) != big || !exists(big.Path()) {
			t.Error("the large newest job is gone")
		}
		if r.Get(small.ID) != nil || exists(small.Path()) {
			t.Error("an older job is kept over the cap")
		}
	})
}

func TestFinishedJobsExpireAfterTheirTTL(t *testing.T) {
	t.Run("a job is found until its TTL has passed, then it and its file are gone", func(t *testing.T) {
		r, dir, clk := newLimited(t, Config{TTL: time.Hour})
		j := run(t, r, 1, writes("phiếu"))
		path := j.Path()
		clk.Add(time.Hour - time.Second)
		if r.Get(j.ID) != j || !exists(path) {
			t.Fatal("job or file gone before its TTL")
		}
		clk.Add(time.Second)
		if r.Get(j.ID) != nil {
			t.Error("job found after its TTL")
		}
		if exists(path) || entries(r) != 0 || len(files(t, dir)) != 0 {
			t.Errorf("after the TTL: file exists=%v, %d entries, folder %v", exists(path), entries(r), files(t, dir))
		}
	})
	t.Run("the janitor removes an expired job without anyone asking for it", func(t *testing.T) {
		r, dir, clk := newLimited(t, Config{TTL: time.Hour, SweepEvery: time.Millisecond})
		j := run(t, r, 1, writes("phiếu"))
		failed := run(t, r, 1, func(context.Context, *os.File, *Job) error { return errors.New("hỏng") })
		clk.Add(time.Hour)
		deadline := time.Now().Add(5 * time.Second)
		for entries(r) != 0 || exists(j.Path()) {
			if time.Now().After(deadline) {
				t.Fatalf("janitor left %d entries, folder %v", entries(r), files(t, dir))
			}
			time.Sleep(time.Millisecond)
		}
		if r.Get(failed.ID) != nil {
			t.Error("the failed job's entry outlived its TTL")
		}
	})
	t.Run("a running job does not expire however long it runs", func(t *testing.T) {
		r, _, clk := newLimited(t, Config{TTL: time.Hour})
		release := make(chan struct{})
		defer close(release)
		j := start(t, r, "x", "x.zip", 1, blocks(release))
		clk.Add(48 * time.Hour)
		if err := r.Sweep(); err != nil {
			t.Fatal(err)
		}
		if r.Get(j.ID) != j {
			t.Error("a running job was dropped")
		}
	})
	t.Run("the TTL runs from when the job finished, not when it started", func(t *testing.T) {
		r, _, clk := newLimited(t, Config{TTL: time.Hour})
		release := make(chan struct{})
		j := start(t, r, "x", "x.zip", 1, blocks(release))
		clk.Add(2 * time.Hour)
		close(release)
		finished(t, j)
		clk.Add(30 * time.Minute)
		if r.Get(j.ID) != j || !exists(j.Path()) {
			t.Error("job gone half an hour after it finished")
		}
	})
}

func TestStrayFilesInTheFolderAreDeleted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "jobs")
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"AbCdEfGhIjKlMnOp.zip", "left-over.pdf"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("từ lần chạy trước"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := New(dir, Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	t.Run("a new runner deletes the files an earlier process left", func(t *testing.T) {
		if names := files(t, dir); !slices.Equal(names, []string{"sub"}) {
			t.Errorf("folder holds %v, want only the sub-folder", names)
		}
	})
	t.Run("a sweep deletes a file no job owns but keeps the jobs' files", func(t *testing.T) {
		j := run(t, r, 1, writes("phiếu"))
		stray := filepath.Join(dir, "stray.zip")
		if err := os.WriteFile(stray, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := r.Sweep(); err != nil {
			t.Fatal(err)
		}
		if exists(stray) || !exists(j.Path()) {
			t.Errorf("after a sweep: stray exists=%v, job file exists=%v", exists(stray), exists(j.Path()))
		}
	})
}

func TestFailedJobsLeaveNoFile(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		task func(context.Context, *os.File, *Job) error
		want error
	}{
		{"a task that panics fails its job instead of the server", Config{}, func(_ context.Context, f *os.File, _ *Job) error {
			f.WriteString("nửa chừng")
			panic("lỗi in")
		}, nil},
		{"a task that runs past MaxRun is cancelled", Config{MaxRun: 10 * time.Millisecond}, func(ctx context.Context, f *os.File, _ *Job) error {
			f.WriteString("nửa chừng")
			<-ctx.Done()
			return ctx.Err()
		}, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, dir, _ := newLimited(t, tt.cfg)
			j := run(t, r, 1, tt.task)
			_, _, _, err := j.Progress()
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if j.Path() != "" || len(files(t, dir)) != 0 {
				t.Errorf("Path = %q, folder %v", j.Path(), files(t, dir))
			}
		})
	}
}

func TestClosingTheRunner(t *testing.T) {
	t.Run("Close cancels a running job, removes its file and stops the janitor", func(t *testing.T) {
		r, dir, _ := newLimited(t, Config{})
		started := make(chan struct{})
		j := start(t, r, "x", "x.zip", 1, func(ctx context.Context, f *os.File, _ *Job) error {
			close(started)
			<-ctx.Done()
			return ctx.Err()
		})
		<-started
		r.Close()
		if _, _, done, err := j.Progress(); !done || !errors.Is(err, context.Canceled) {
			t.Errorf("after Close: finished=%v err=%v", done, err)
		}
		if names := files(t, dir); len(names) != 0 {
			t.Errorf("folder holds %v", names)
		}
		select {
		case <-r.stopped:
		default:
			t.Error("janitor still running after Close")
		}
	})
	t.Run("Wait stops the janitor and the runner takes no new job", func(t *testing.T) {
		r, _, _ := newLimited(t, Config{})
		j := run(t, r, 1, writes("ok"))
		r.Wait()
		select {
		case <-r.stopped:
		default:
			t.Error("janitor still running after Wait")
		}
		if _, err := r.Start("x", "x.zip", 1, writes("ok")); !errors.Is(err, ErrClosed) {
			t.Errorf("Start after Wait: %v, want ErrClosed", err)
		}
		if r.Get(j.ID) != j || !exists(j.Path()) {
			t.Error("a finished job is gone after Wait")
		}
		r.Wait() // a second call returns at once
	})
}
