package jobs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func newRunner(t *testing.T) (*Runner, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "jobs")
	r, err := NewRunner(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Wait)
	return r, dir
}

// start starts a job that the test expects the runner to accept.
func start(t *testing.T, r *Runner, title, fileName string, userID int64, task func(ctx context.Context, f *os.File, j *Job) error) *Job {
	t.Helper()
	j, err := r.Start(title, fileName, userID, task)
	if err != nil {
		t.Fatalf("Start(%q) for user %d: %v", title, userID, err)
	}
	return j
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
	if _, err := NewRunner(dir); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Fatalf("folder %s not created: %v", dir, err)
	}
}

func TestNewRunnerRefusesAFolderItCannotMake(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := NewRunner(filepath.Join(file, "jobs")); err == nil {
		t.Fatal("NewRunner under a plain file succeeded")
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
		if r.Get(j.ID) != j {
			t.Errorf("Get(%q) did not return the job", j.ID)
		}
	})
	<-reached
	t.Run("a job part way through reports what it set and is not finished", func(t *testing.T) {
		done, total, finished, err := j.Progress()
		if done != 3 || total != 10 || finished || err != nil {
			t.Errorf("Progress = %d/%d finished=%v err=%v, want 3/10 unfinished", done, total, finished, err)
		}
		if p := j.Percent(); p != 30 {
			t.Errorf("Percent = %d, want 30", p)
		}
		if j.Path() != "" {
			t.Errorf("Path = %q before the job finished", j.Path())
		}
	})
	close(step)
	r.Wait()
	t.Run("a finished job is at 100 percent", func(t *testing.T) {
		done, total, finished, err := j.Progress()
		if done != 10 || total != 10 || !finished || err != nil {
			t.Errorf("Progress = %d/%d finished=%v err=%v", done, total, finished, err)
		}
		if p := j.Percent(); p != 100 {
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
	j := start(t, r, "Danh sách", "danh-sach.csv", 1, func(ctx context.Context, f *os.File, j *Job) error {
		_, err := f.WriteString(content)
		return err
	})
	r.Wait()
	_, _, finished, err := j.Progress()
	if !finished || err != nil {
		t.Fatalf("finished=%v err=%v", finished, err)
	}
	t.Run("the file holds exactly what the task wrote", func(t *testing.T) {
		b, err := os.ReadFile(j.Path())
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != content {
			t.Errorf("file = %q, want %q", b, content)
		}
	})
	t.Run("the file lies in the runner's folder with the download's extension", func(t *testing.T) {
		if filepath.Dir(j.Path()) != dir {
			t.Errorf("Path %q outside %q", j.Path(), dir)
		}
		if filepath.Ext(j.Path()) != ".csv" {
			t.Errorf("Path %q lacks .csv", j.Path())
		}
	})
	t.Run("the file is not named after the download, so two users cannot clash", func(t *testing.T) {
		if filepath.Base(j.Path()) == "danh-sach.csv" {
			t.Errorf("Path %q reuses the download name", j.Path())
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
	t.Run("the job is finished and reports the task's error", func(t *testing.T) {
		done, total, finished, err := j.Progress()
		if !finished || !errors.Is(err, boom) {
			t.Errorf("finished=%v err=%v, want finished with %v", finished, err, boom)
		}
		if done != 1 || total != 4 {
			t.Errorf("progress %d/%d, want the last value set, 1/4", done, total)
		}
	})
	t.Run("the job offers no file", func(t *testing.T) {
		if j.Path() != "" {
			t.Errorf("Path = %q", j.Path())
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
		if _, _, finished, err := j.Progress(); !finished || err != nil {
			t.Errorf("job %d after Wait: finished=%v err=%v", i, finished, err)
		}
	}
	if n := len(files(t, dir)); n != 3 {
		t.Errorf("folder holds %d files, want one per job", n)
	}
}

func TestJobsGetDistinctIDs(t *testing.T) {
	r, err := New(filepath.Join(t.TempDir(), "jobs"), Config{Running: 50, RunningTotal: 50})
	if err != nil {
		t.Fatal(err)
	}
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
		if r.Get("no-such-job") != nil {
			t.Error("Get(unknown) returned a job")
		}
	})
}
