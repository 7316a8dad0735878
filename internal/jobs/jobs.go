// Package jobs runs long tasks (large print runs) in the background, with progress that a page
// can poll and a file to download when done.
package jobs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/parsurvey/parsurvey/internal/auth"
)

// Job is one background task.
type Job struct {
	ID       string
	Title    string
	FileName string // the name the download is offered under
	Started  time.Time
	UserID   int64

	mu       sync.Mutex
	done     int
	total    int
	finished bool
	err      error
	path     string
}

// Progress reports how far the job is.
func (j *Job) Progress() (done, total int, finished bool, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.done, j.total, j.finished, j.err
}

// Percent is the share done, 0–100.
func (j *Job) Percent() int {
	done, total, finished, _ := j.Progress()
	if finished {
		return 100
	}
	if total == 0 {
		return 0
	}
	return done * 100 / total
}

// Path is the finished file.
func (j *Job) Path() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.path
}

// Set records progress; the task calls it as it goes.
func (j *Job) Set(done, total int) {
	j.mu.Lock()
	j.done, j.total = done, total
	j.mu.Unlock()
}

// Runner keeps the jobs and their files in a folder.
type Runner struct {
	dir  string
	mu   sync.Mutex
	jobs map[string]*Job
	wg   sync.WaitGroup
}

// NewRunner keeps job files in dir (created if missing).
func NewRunner(dir string) (*Runner, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &Runner{dir: dir, jobs: map[string]*Job{}}, nil
}

// Start runs task in the background, writing into a new file; the job is returned at once.
func (r *Runner) Start(title, fileName string, userID int64, task func(ctx context.Context, f *os.File, j *Job) error) *Job {
	j := &Job{ID: auth.Token(12), Title: title, FileName: fileName, Started: time.Now(), UserID: userID}
	r.mu.Lock()
	r.jobs[j.ID] = j
	r.mu.Unlock()
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		path := filepath.Join(r.dir, j.ID+filepath.Ext(fileName))
		err := func() error {
			f, err := os.Create(path)
			if err != nil {
				return err
			}
			if err := task(context.Background(), f, j); err != nil {
				f.Close()
				os.Remove(path)
				return err
			}
			return f.Close()
		}()
		j.mu.Lock()
		j.finished, j.err = true, err
		if err == nil {
			j.path = path
		}
		j.mu.Unlock()
	}()
	return j
}

// Get returns a job by id, or nil.
func (r *Runner) Get(id string) *Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.jobs[id]
}

// Wait blocks until every job has finished.
func (r *Runner) Wait() { r.wg.Wait() }
