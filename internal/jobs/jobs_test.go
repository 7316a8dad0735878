package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// task is what a test job does: the tests' tasks are closures, which a job cannot carry, so the
// "task" kind's params name one in tasks.
type task func(ctx context.Context, f *os.File, j *Job) error

var tasks sync.Map // params key → task

// runTask is the handler of the tests' "task" kind.
func runTask(ctx context.Context, params []byte, f *os.File, j *Job) error {
	var key string
	if err := json.Unmarshal(params, &key); err != nil {
		return err
	}
	t, ok := tasks.Load(key)
	if !ok {
		return errors.New("jobs test: no such task")
	}
	return t.(task)(ctx, f, j)
}

// fast is a configuration whose claims, heartbeats and leases take milliseconds.
func fast(cfg Config) Config {
	cfg.Poll = 20 * time.Millisecond
	cfg.Progress = 5 * time.Millisecond
	cfg.Heartbeat = 50 * time.Millisecond
	if cfg.Lease == 0 {
		cfg.Lease = time.Second
	}
	cfg.Log = slog.New(slog.DiscardHandler) // the failures the tests cause on purpose
	return cfg
}

// newOn is a runner on db in a temp folder that runs the "task" kind.
func newOn(t *testing.T, db *store.DB, cfg Config) (*Runner, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "jobs")
	r, err := New(db, dir, fast(cfg))
	if err != nil {
		t.Fatal(err)
	}
	r.Handle("task", runTask)
	return r, dir
}

func newRunner(t *testing.T) (*Runner, string) {
	t.Helper()
	r, dir := newOn(t, testenv.Open(t), Config{})
	t.Cleanup(r.Wait)
	return r, dir
}

// start starts a job that the test expects the runner to accept.
func start(t *testing.T, r *Runner, title, fileName string, userID int64, fn task) *Job {
	t.Helper()
	j, err := startTask(r, title, fileName, userID, fn)
	if err != nil {
		t.Fatalf("Start(%q) for user %d: %v", title, userID, err)
	}
	return j
}

func startTask(r *Runner, title, fileName string, userID int64, fn task) (*Job, error) {
	key := auth.Token(8)
	tasks.Store(key, fn)
	return r.Start(context.Background(), "task", title, fileName, userID, key)
}

// get reads a job back through the runner, nil when it is gone.
func get(t *testing.T, r *Runner, id string) *Job {
	t.Helper()
	j, err := r.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// download is a finished job's file as the runner serves it, and whether it has one.
func download(t *testing.T, r *Runner, id string) (string, bool) {
	t.Helper()
	f, err := r.File(context.Background(), id)
	if errors.Is(err, store.ErrNotFound) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), true
}

// files lists the names in dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestNewRunnerCreatesItsFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b", "jobs")
	r, err := NewRunner(testenv.Open(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Fatalf("folder %s not created: %v", dir, err)
	}
}

func TestNewRunnerRefusesAFolderItCannotMake(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := NewRunner(testenv.Open(t), filepath.Join(file, "jobs")); err == nil {
		t.Fatal("NewRunner under a plain file succeeded")
	}
}

func TestStartRefusesAKindNobodyHandles(t *testing.T) {
	r, _ := newRunner(t)
	if _, err := r.Start(context.Background(), "no-such-kind", "x", "x.txt", 1, nil); err == nil || !strings.Contains(err.Error(), "no-such-kind") {
		t.Fatalf("Start of an unknown kind: %v", err)
	}
}

func TestJobReportsProgressWhileRunning(t *testing.T) {
	r, _ := newRunner(t)
	step := make(chan struct{})
	reached := make(chan struct{})
	j := start(t, r, "In phiếu", "phieu.zip", 7, func(ctx context.Context, f *os.File, j *Job) error {
		j.Set(3, 10)
		reached <- struct{}{}
		<-step
		j.Set(10, 10)
		return nil
	})
	t.Run("a new job carries its title, file name, user and start time", func(t *testing.T) {
		if j.Title != "In phiếu" || j.FileName != "phieu.zip" || j.UserID != 7 {
			t.Errorf("job = %q %q %d", j.Title, j.FileName, j.UserID)
		}
		if time.Since(j.Started) > time.Minute || j.Started.After(time.Now()) {
			t.Errorf("Started = %v", j.Started)
		}
	})
	t.Run("the runner finds the job by its id", func(t *testing.T) {
		if got := get(t, r, j.ID); got == nil || got.ID != j.ID || got.Title != j.Title || !got.Started.Equal(j.Started) {
			t.Errorf("Get(%q) = %+v", j.ID, got)
		}
	})
	<-reached
	t.Run("a job part way through reports what it set and is not finished", func(t *testing.T) {
		got := waitFor(t, r, j, func(j *Job) bool { done, _, _, _ := j.Progress(); return done == 3 })
		done, total, finished, err := got.Progress()
		if done != 3 || total != 10 || finished || err != nil {
			t.Errorf("Progress = %d/%d finished=%v err=%v, want 3/10 unfinished", done, total, finished, err)
		}
		if p := got.Percent(); p != 30 {
			t.Errorf("Percent = %d, want 30", p)
		}
		if _, ok := download(t, r, j.ID); ok {
			t.Error("a file before the job finished")
		}
		if got.Node != r.Node() || got.Attempt != 1 {
			t.Errorf("running on %q attempt %d, want %q attempt 1", got.Node, got.Attempt, r.Node())
		}
	})
	close(step)
	r.Wait()
	t.Run("a finished job is at 100 percent", func(t *testing.T) {
		done, total, finished, err := get(t, r, j.ID).Progress()
		if done != 10 || total != 10 || !finished || err != nil {
			t.Errorf("Progress = %d/%d finished=%v err=%v", done, total, finished, err)
		}
		if p := get(t, r, j.ID).Percent(); p != 100 {
			t.Errorf("Percent = %d, want 100", p)
		}
	})
}

func TestPercent(t *testing.T) {
	tests := []struct {
		name        string
		done, total int
		finished    bool
		want        int
	}{
		{"a job that has not said its total is at 0", 0, 0, false, 0},
		{"a job half way is at 50", 5, 10, false, 50},
		{"a job rounds its share down, never claiming more than done", 2, 3, false, 66},
		{"a job that has done all but not yet finished is at 100", 10, 10, false, 100},
		{"a finished job is at 100 whatever it last set", 1, 10, true, 100},
		{"a finished job with no total is at 100", 0, 0, true, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := &Job{done: tt.done, total: tt.total, finished: tt.finished}
			if got := j.Percent(); got != tt.want {
				t.Errorf("Percent = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestJobFinishesWithTheFileTheTaskWrote(t *testing.T) {
	r, dir := newRunner(t)
	const content = "Mã phiếu;Đơn vị\nS2-SNV-0001;Sở Nội vụ\n"
	var wrote string
	j := start(t, r, "Danh sách", "danh-sach.csv", 1, func(ctx context.Context, f *os.File, j *Job) error {
		wrote = f.Name()
		j.SetResult("Đã ghi 1 dòng.")
		_, err := f.WriteString(content)
		return err
	})
	r.Wait()
	got := get(t, r, j.ID)
	_, _, finished, err := got.Progress()
	if !finished || err != nil {
		t.Fatalf("finished=%v err=%v", finished, err)
	}
	t.Run("the stored file holds exactly what the task wrote", func(t *testing.T) {
		b, ok := download(t, r, j.ID)
		if !ok || b != content {
			t.Errorf("file = %q (%v), want %q", b, ok, content)
		}
		if got.Size() != int64(len(content)) || got.Result() != "Đã ghi 1 dòng." {
			t.Errorf("size %d, result %q", got.Size(), got.Result())
		}
	})
	t.Run("the task wrote in the runner's folder, with the download's extension, not its name", func(t *testing.T) {
		if filepath.Dir(wrote) != dir || filepath.Ext(wrote) != ".csv" || filepath.Base(wrote) == "danh-sach.csv" {
			t.Errorf("task wrote %q, folder %q", wrote, dir)
		}
	})
	t.Run("once stored, the file is gone from the folder", func(t *testing.T) {
		if names := files(t, dir); len(names) != 0 {
			t.Errorf("folder holds %v", names)
		}
	})
}

func TestFailingTaskLeavesNoFile(t *testing.T) {
	r, dir := newRunner(t)
	boom := errors.New("máy in hỏng")
	j := start(t, r, "In phiếu", "phieu.pdf", 1, func(ctx context.Context, f *os.File, j *Job) error {
		j.Set(1, 4)
		if _, err := f.WriteString("%PDF-1.4 half a document"); err != nil {
			return err
		}
		return boom
	})
	r.Wait()
	got := get(t, r, j.ID)
	t.Run("the job is finished and says it failed in Vietnamese, not the task's error", func(t *testing.T) {
		done, total, finished, err := got.Progress()
		if !finished || err == nil || err.Error() != MsgFailed {
			t.Errorf("finished=%v err=%v, want finished with %q", finished, err, MsgFailed)
		}
		if done != 1 || total != 4 {
			t.Errorf("progress %d/%d, want the last value set, 1/4", done, total)
		}
	})
	t.Run("the job offers no file", func(t *testing.T) {
		if _, ok := download(t, r, j.ID); ok || got.Size() != 0 {
			t.Errorf("a failed job has a file (size %d)", got.Size())
		}
	})
	t.Run("the half-written file is removed from the folder", func(t *testing.T) {
		if names := files(t, dir); len(names) != 0 {
			t.Errorf("folder holds %v", names)
		}
	})
}

func TestWaitWaitsForEveryJob(t *testing.T) {
	r, dir := newRunner(t)
	release := make(chan struct{})
	var jobs []*Job
	for user := range int64(3) { // one user each: a user may run only two at once
		jobs = append(jobs, start(t, r, "x", "x.txt", user+1, func(ctx context.Context, f *os.File, j *Job) error {
			<-release
			_, err := f.WriteString("ok")
			return err
		}))
	}
	waited := make(chan struct{})
	go func() {
		r.Wait()
		close(waited)
	}()
	select {
	case <-waited:
		t.Fatal("Wait returned while every job was still blocked")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	select {
	case <-waited:
	case <-time.After(5 * time.Second):
		t.Fatal("Wait did not return after the jobs finished")
	}
	for i, j := range jobs {
		if _, _, finished, err := get(t, r, j.ID).Progress(); !finished || err != nil {
			t.Errorf("job %d after Wait: finished=%v err=%v", i, finished, err)
		}
		if b, _ := download(t, r, j.ID); b != "ok" {
			t.Errorf("job %d's file = %q", i, b)
		}
	}
	if names := files(t, dir); len(names) != 0 {
		t.Errorf("folder holds %v after every file was stored", names)
	}
}

func TestJobsGetDistinctIDs(t *testing.T) {
	r, _ := newOn(t, testenv.Open(t), Config{Running: 50, RunningTotal: 50})
	t.Cleanup(r.Wait)
	seen := map[string]bool{}
	for range 50 {
		j := start(t, r, "x", "x.txt", 1, func(context.Context, *os.File, *Job) error { return nil })
		if j.ID == "" || seen[j.ID] {
			t.Fatalf("id %q empty or repeated", j.ID)
		}
		seen[j.ID] = true
	}
	r.Wait()
	t.Run("an unknown id finds no job", func(t *testing.T) {
		if get(t, r, "no-such-job") != nil {
			t.Error("Get(unknown) returned a job")
		}
	})
}
