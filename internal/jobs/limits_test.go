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

	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
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

// newLimited is a runner on a new database in a temp folder with cfg's limits and a fake clock.
func newLimited(t *testing.T, cfg Config) (*Runner, string, *clock) {
	t.Helper()
	clk := newClock()
	cfg.Now = clk.Now
	r, dir := newOn(t, testenv.Open(t), cfg)
	t.Cleanup(r.Close)
	return r, dir, clk
}

// writes is a task that writes content and returns.
func writes(content string) task {
	return func(_ context.Context, f *os.File, _ *Job) error {
		_, err := f.WriteString(content)
		return err
	}
}

// blocks is a task that waits for release, then writes a line.
func blocks(release <-chan struct{}) task {
	return func(_ context.Context, f *os.File, _ *Job) error {
		<-release
		_, err := f.WriteString("ok")
		return err
	}
}

// waitFor reads j back until ok holds of it, failing the test after a few seconds.
func waitFor(t *testing.T, r *Runner, j *Job, ok func(*Job) bool) *Job {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := get(t, r, j.ID)
		if got != nil && ok(got) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s: condition not reached (last read %+v)", j.ID, got)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// finished waits until j has finished and returns it as read back.
func finished(t *testing.T, r *Runner, j *Job) *Job {
	t.Helper()
	return waitFor(t, r, j, func(j *Job) bool { _, _, done, _ := j.Progress(); return done })
}

// run starts a job, waits for it and returns it.
func run(t *testing.T, r *Runner, userID int64, fn task) *Job {
	t.Helper()
	return finished(t, r, start(t, r, "x", "x.zip", userID, fn))
}

// hasFile reports whether the job's file can be downloaded.
func hasFile(t *testing.T, r *Runner, id string) bool {
	t.Helper()
	_, ok := download(t, r, id)
	return ok
}

// entries is how many jobs the database holds, and chunks how many pieces of files.
func entries(t *testing.T, r *Runner) (jobs, chunks int) {
	t.Helper()
	ctx := context.Background()
	if err := r.db.ReadRow(ctx, `SELECT count(*) FROM jobs`, nil, &jobs); err != nil {
		t.Fatal(err)
	}
	if err := r.db.ReadRow(ctx, `SELECT count(*) FROM job_chunks`, nil, &chunks); err != nil {
		t.Fatal(err)
	}
	return jobs, chunks
}

func TestRunningJobsArePerUserCapped(t *testing.T) {
	r, dir, _ := newLimited(t, Config{Running: 2, RunningTotal: 10})
	release := make(chan struct{})
	first := start(t, r, "a", "a.zip", 1, blocks(release))
	start(t, r, "b", "b.zip", 1, blocks(release))
	t.Run("a user with two jobs running is refused a third", func(t *testing.T) {
		j, err := startTask(r, "c", "c.zip", 1, blocks(release))
		if !errors.Is(err, ErrUserBusy) || j != nil {
			t.Fatalf("Start = %v, %v; want ErrUserBusy", j, err)
		}
	})
	t.Run("the refused job leaves no entry and no file", func(t *testing.T) {
		if n, _ := entries(t, r); n != 2 {
			t.Errorf("database holds %d jobs, want 2", n)
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
	finished(t, r, first)
	t.Run("once a job has finished the user may start another", func(t *testing.T) {
		deadline := time.Now().Add(5 * time.Second)
		for {
			_, err := startTask(r, "e", "e.zip", 1, writes("ok"))
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
	if _, err := startTask(r, "x", "x.zip", 4, blocks(release)); !errors.Is(err, ErrBusy) {
		t.Fatalf("fourth job over all users: %v, want ErrBusy", err)
	}
}

func TestOnlyTheNewestFinishedJobsOfAUserAreKept(t *testing.T) {
	r, _, _ := newLimited(t, Config{KeptPerUser: 3})
	var mine []*Job
	for range 5 {
		mine = append(mine, run(t, r, 1, writes("phiếu")))
	}
	other := run(t, r, 2, writes("phiếu"))
	t.Run("the two oldest jobs are gone with their files", func(t *testing.T) {
		for i, j := range mine[:2] {
			if get(t, r, j.ID) != nil || hasFile(t, r, j.ID) {
				t.Errorf("job %d or its file still found", i)
			}
		}
	})
	t.Run("the three newest are kept with their files", func(t *testing.T) {
		for i, j := range mine[2:] {
			if get(t, r, j.ID) == nil || !hasFile(t, r, j.ID) {
				t.Errorf("job %d or its file missing", i+2)
			}
		}
	})
	t.Run("another user's jobs do not count against the first user's", func(t *testing.T) {
		if get(t, r, other.ID) == nil || !hasFile(t, r, other.ID) {
			t.Error("the other user's job is gone")
		}
		if jobs, chunks := entries(t, r); jobs != 4 || chunks != 4 {
			t.Errorf("database holds %d jobs and %d chunks, want 4 of each", jobs, chunks)
		}
	})
}

func TestFinishedJobsAreCappedOverAllUsers(t *testing.T) {
	t.Run("by count: the oldest job of any user goes first", func(t *testing.T) {
		r, _, _ := newLimited(t, Config{KeptTotal: 2})
		a := run(t, r, 1, writes("a"))
		b := run(t, r, 2, writes("b"))
		c := run(t, r, 3, writes("c"))
		if get(t, r, a.ID) != nil || hasFile(t, r, a.ID) {
			t.Error("the oldest job or its file is kept")
		}
		if get(t, r, b.ID) == nil || get(t, r, c.ID) == nil {
			t.Error("a newer job is gone")
		}
		if jobs, chunks := entries(t, r); jobs != 2 || chunks != 2 {
			t.Errorf("database holds %d jobs and %d chunks, want 2 of each", jobs, chunks)
		}
	})
	t.Run("by bytes: older files go until the total fits", func(t *testing.T) {
		r, _, _ := newLimited(t, Config{MaxBytes: 25})
		a := run(t, r, 1, writes(strings.Repeat("a", 10)))
		b := run(t, r, 2, writes(strings.Repeat("b", 10)))
		c := run(t, r, 3, writes(strings.Repeat("c", 10)))
		if get(t, r, a.ID) != nil || hasFile(t, r, a.ID) {
			t.Error("the oldest 10 bytes are kept over a 25-byte cap")
		}
		if get(t, r, b.ID) == nil || get(t, r, c.ID) == nil {
			t.Error("a newer job is gone")
		}
	})
	t.Run("by bytes: a single run larger than the cap is still kept for download", func(t *testing.T) {
		r, _, _ := newLimited(t, Config{MaxBytes: 25})
		small := run(t, r, 1, writes("a"))
		big := run(t, r, 2, writes(strings.Repeat("b", 100)))
		if get(t, r, big.ID) == nil || !hasFile(t, r, big.ID) {
			t.Error("the large newest job is gone")
		}
		if get(t, r, small.ID) != nil || hasFile(t, r, small.ID) {
			t.Error("an older job is kept over the cap")
		}
	})
}

func TestFinishedJobsExpireAfterTheirTTL(t *testing.T) {
	t.Run("a job is found until its TTL has passed, then it and its file are gone", func(t *testing.T) {
		r, dir, clk := newLimited(t, Config{TTL: time.Hour})
		j := run(t, r, 1, writes("phiếu"))
		clk.Add(time.Hour - time.Second)
		if get(t, r, j.ID) == nil || !hasFile(t, r, j.ID) {
			t.Fatal("job or file gone before its TTL")
		}
		clk.Add(time.Second)
		if get(t, r, j.ID) != nil {
			t.Error("job found after its TTL")
		}
		if jobs, chunks := entries(t, r); jobs != 0 || chunks != 0 || len(files(t, dir)) != 0 {
			t.Errorf("after the TTL: %d jobs, %d chunks, folder %v", jobs, chunks, files(t, dir))
		}
	})
	t.Run("the janitor removes an expired job without anyone asking for it", func(t *testing.T) {
		r, _, clk := newLimited(t, Config{TTL: time.Hour, SweepEvery: 5 * time.Millisecond})
		run(t, r, 1, writes("phiếu"))
		run(t, r, 1, func(context.Context, *os.File, *Job) error { return errors.New("hỏng") })
		clk.Add(time.Hour)
		deadline := time.Now().Add(5 * time.Second)
		for {
			jobs, chunks := entries(t, r)
			if jobs == 0 && chunks == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("janitor left %d jobs and %d chunks", jobs, chunks)
			}
			time.Sleep(time.Millisecond)
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
		if get(t, r, j.ID) == nil {
			t.Error("a running job was dropped")
		}
	})
	t.Run("the TTL runs from when the job finished, not when it started", func(t *testing.T) {
		r, _, clk := newLimited(t, Config{TTL: time.Hour})
		release := make(chan struct{})
		j := start(t, r, "x", "x.zip", 1, blocks(release))
		clk.Add(2 * time.Hour)
		close(release)
		finished(t, r, j)
		clk.Add(30 * time.Minute)
		if get(t, r, j.ID) == nil || !hasFile(t, r, j.ID) {
			t.Error("job gone half an hour after it finished")
		}
	})
}

func TestStrayFilesInTheFolderAreDeleted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "jobs")
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"AbCdEfGhIjKlMnOp-1.zip", "left-over.pdf"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("từ lần chạy trước"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := New(testenv.Open(t), dir, fast(Config{}))
	if err != nil {
		t.Fatal(err)
	}
	r.Handle("task", runTask)
	t.Cleanup(r.Close)
	t.Run("a new runner deletes the files an earlier process left", func(t *testing.T) {
		if names := files(t, dir); !slices.Equal(names, []string{"sub"}) {
			t.Errorf("folder holds %v, want only the sub-folder", names)
		}
	})
	t.Run("a sweep deletes a file no task owns but keeps a running task's", func(t *testing.T) {
		release := make(chan struct{})
		opened := make(chan string, 1)
		j := start(t, r, "x", "x.zip", 1, func(_ context.Context, f *os.File, _ *Job) error {
			opened <- f.Name()
			<-release
			return nil
		})
		mine := <-opened
		stray := filepath.Join(dir, "stray.zip")
		if err := os.WriteFile(stray, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := r.Sweep(); err != nil {
			t.Fatal(err)
		}
		_, strayErr := os.Stat(stray)
		_, mineErr := os.Stat(mine)
		if strayErr == nil || mineErr != nil {
			t.Errorf("after a sweep: stray %v, running task's file %v", strayErr, mineErr)
		}
		close(release)
		finished(t, r, j)
	})
}

func TestTwoNodesSharingAFolderKeepEachOthersFiles(t *testing.T) {
	db := testenv.Open(t)
	a, dir := newOn(t, db, Config{})
	t.Cleanup(a.Close)
	release := make(chan struct{})
	opened := make(chan string, 1)
	j := start(t, a, "x", "x.zip", 1, func(_ context.Context, f *os.File, _ *Job) error {
		opened <- f.Name()
		<-release
		_, err := f.WriteString("của máy A")
		return err
	})
	mine := <-opened
	stray := filepath.Join(dir, j.ID+"-7.zip") // an attempt that is not the job's
	if err := os.WriteFile(stray, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := New(sameDatabase(t, db), dir, fast(Config{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	if err := b.Sweep(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("node B deleted the file node A's task is writing: %v", err)
	}
	if _, err := os.Stat(stray); err == nil {
		t.Error("node B kept a file of no running attempt")
	}
	close(release)
	if body, _ := download(t, a, finished(t, a, j).ID); body != "của máy A" {
		t.Errorf("file = %q", body)
	}
}

func TestFailedJobsLeaveNoFile(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		task task
		want string
	}{
		{"a task that panics fails its job instead of the server", Config{}, func(_ context.Context, f *os.File, _ *Job) error {
			f.WriteString("nửa chừng")
			panic("lỗi in")
		}, MsgFailed},
		{"a task that runs past MaxRun is cancelled", Config{MaxRun: 10 * time.Millisecond}, func(ctx context.Context, f *os.File, _ *Job) error {
			f.WriteString("nửa chừng")
			<-ctx.Done()
			return ctx.Err()
		}, MsgTooLong},
		{"a task that runs past MaxRun fails even if it ignores its context", Config{MaxRun: 10 * time.Millisecond}, func(ctx context.Context, f *os.File, _ *Job) error {
			time.Sleep(30 * time.Millisecond)
			return nil
		}, MsgTooLong},
		{"a task's own message for staff is kept", Config{}, func(context.Context, *os.File, *Job) error {
			return fault.New(fault.Conflict, "Đợt khảo sát đã bị xoá.", errors.New("campaign 3 gone"))
		}, "Đợt khảo sát đã bị xoá."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, dir, _ := newLimited(t, tt.cfg)
			j := run(t, r, 1, tt.task)
			_, _, _, err := j.Progress()
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if hasFile(t, r, j.ID) || len(files(t, dir)) != 0 {
				t.Errorf("a file is kept: folder %v", files(t, dir))
			}
			if _, chunks := entries(t, r); chunks != 0 {
				t.Errorf("%d chunks stored", chunks)
			}
		})
	}
}

func TestClosingTheRunner(t *testing.T) {
	t.Run("Close cancels a running job, hands it back to the queue, removes its file and stops the janitor", func(t *testing.T) {
		r, dir, _ := newLimited(t, Config{})
		started := make(chan struct{})
		var once sync.Once
		j := start(t, r, "x", "x.zip", 1, func(ctx context.Context, f *os.File, j *Job) error {
			j.Set(1, 2)
			once.Do(func() { close(started) })
			<-ctx.Done()
			return ctx.Err()
		})
		<-started
		r.Close()
		got := get(t, r, j.ID)
		if _, _, done, err := got.Progress(); done || err != nil || got.Attempt != 1 {
			t.Errorf("after Close: finished=%v err=%v attempt %d, want queued again", done, err, got.Attempt)
		}
		var state string
		r.db.ReadRow(context.Background(), `SELECT state FROM jobs WHERE id = ?`, []any{j.ID}, &state)
		if state != store.JobQueued {
			t.Errorf("state %q after Close, want queued", state)
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
		if _, err := startTask(r, "x", "x.zip", 1, writes("ok")); !errors.Is(err, ErrClosed) {
			t.Errorf("Start after Wait: %v, want ErrClosed", err)
		}
		if get(t, r, j.ID) == nil || !hasFile(t, r, j.ID) {
			t.Error("a finished job is gone after Wait")
		}
		r.Wait() // a second call returns at once
	})
}
