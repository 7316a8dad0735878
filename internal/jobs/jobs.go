// Package jobs runs long tasks (large print runs) in the background, with progress that a page
// can poll and a file to download when done.
//
// Jobs and their files are bounded: a user may run only a few jobs at once, and the runner keeps
// only the newest finished jobs of each user, a fixed number and size of them over all users, and
// none older than a time to live. A janitor goroutine expires old jobs; files in the folder that
// belong to no job (from an earlier process, or a removal that failed) are deleted at start-up and
// by the janitor. Jobs live in memory only, so nothing survives a restart.
package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/parsurvey/parsurvey/internal/auth"
)

// Errors Start returns instead of a job.
var (
	// ErrUserBusy means the user already has Config.Running jobs running.
	ErrUserBusy = errors.New("jobs: user has too many jobs running")
	// ErrBusy means Config.RunningTotal jobs are running over all users.
	ErrBusy = errors.New("jobs: too many jobs running")
	// ErrClosed means the runner has been closed.
	ErrClosed = errors.New("jobs: runner closed")
)

// Config bounds what a Runner keeps; a zero field takes its default from DefaultConfig.
type Config struct {
	Running      int           // jobs one user may have running at once
	RunningTotal int           // jobs running at once over all users
	KeptPerUser  int           // finished jobs kept per user, the newest
	KeptTotal    int           // finished jobs kept over all users, the newest
	MaxBytes     int64         // bytes of finished files kept over all users
	TTL          time.Duration // how long a finished job and its file are kept
	MaxRun       time.Duration // how long a job may run before its context is cancelled
	SweepEvery   time.Duration // how often the janitor looks for expired jobs and stray files
	// Now is the clock that stamps jobs and decides expiry; tests pass a fake one.
	Now func() time.Time
}

// DefaultConfig is what NewRunner uses: sized for a handful of office staff printing runs of
// a few megabytes each, with a day to download them.
func DefaultConfig() Config {
	return Config{
		Running:      2,
		RunningTotal: 4,
		KeptPerUser:  10,
		KeptTotal:    100,
		MaxBytes:     2 << 30,
		TTL:          24 * time.Hour,
		MaxRun:       2 * time.Hour,
		SweepEvery:   5 * time.Minute,
		Now:          time.Now,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Running <= 0 {
		c.Running = d.Running
	}
	if c.RunningTotal <= 0 {
		c.RunningTotal = d.RunningTotal
	}
	if c.KeptPerUser <= 0 {
		c.KeptPerUser = d.KeptPerUser
	}
	if c.KeptTotal <= 0 {
		c.KeptTotal = d.KeptTotal
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = d.MaxBytes
	}
	if c.TTL <= 0 {
		c.TTL = d.TTL
	}
	if c.MaxRun <= 0 {
		c.MaxRun = d.MaxRun
	}
	if c.SweepEvery <= 0 {
		c.SweepEvery = d.SweepEvery
	}
	if c.Now == nil {
		c.Now = d.Now
	}
	return c
}

// Job is one background task.
type Job struct {
	ID       string
	Title    string
	FileName string // the name the download is offered under
	Started  time.Time
	UserID   int64

	file string // where the task writes; the runner owns this name from Start on

	mu       sync.Mutex
	done     int
	total    int
	finished bool
	err      error
	path     string    // file, once the task has succeeded
	size     int64     // bytes in path
	ended    time.Time // when the task returned
	order    uint64    // finishing order, for keeping the newest
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

// Ended is when the task returned, the zero time while it runs.
func (j *Job) Ended() time.Time {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.ended
}

// Size is the finished file's size in bytes, 0 while the task runs or when it failed.
func (j *Job) Size() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.size
}

// Set records progress; the task calls it as it goes.
func (j *Job) Set(done, total int) {
	j.mu.Lock()
	j.done, j.total = done, total
	j.mu.Unlock()
}

// Runner keeps the jobs and their files in a folder it owns: any other file there is deleted.
type Runner struct {
	dir    string
	cfg    Config
	ctx    context.Context // parent of every job's context; Close cancels it
	cancel context.CancelFunc

	mu       sync.Mutex // guards jobs, finished and closed; taken before a Job's own lock
	jobs     map[string]*Job
	finished uint64 // jobs finished so far, to order them
	closed   bool
	wg       sync.WaitGroup // running jobs

	stop     chan struct{} // closed to stop the janitor
	stopOnce sync.Once
	stopped  chan struct{} // closed when the janitor has returned
}

// NewRunner keeps job files in dir (created if missing) with the default limits.
func NewRunner(dir string) (*Runner, error) { return New(dir, Config{}) }

// New keeps job files in dir (created if missing) within cfg's limits. It deletes the files an
// earlier process left in dir and starts the janitor, which Wait or Close stops.
func New(dir string, cfg Config) (*Runner, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &Runner{dir: dir, cfg: cfg.withDefaults(), ctx: ctx, cancel: cancel, jobs: map[string]*Job{},
		stop: make(chan struct{}), stopped: make(chan struct{})}
	if err := r.removeStray(); err != nil {
		cancel()
		return nil, err
	}
	go r.janitor()
	return r, nil
}

// Limits is the runner's configuration with its defaults filled in, for messages that quote it.
func (r *Runner) Limits() Config { return r.cfg }

// Start runs task in the background, writing into a new file; the job is returned at once. It
// refuses with ErrUserBusy or ErrBusy when too many jobs are running, and ErrClosed after Wait or
// Close. The task's context is cancelled when the job runs past Config.MaxRun or the runner is
// closed; a task that fails leaves no file.
func (r *Runner) Start(title, fileName string, userID int64, task func(ctx context.Context, f *os.File, j *Job) error) (*Job, error) {
	id := auth.Token(12)
	j := &Job{ID: id, Title: title, FileName: fileName, Started: r.cfg.Now(), UserID: userID,
		file: filepath.Join(r.dir, id+filepath.Ext(fileName))}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, ErrClosed
	}
	mine, all := 0, 0
	for _, o := range r.jobs {
		if !o.isFinished() {
			all++
			if o.UserID == userID {
				mine++
			}
		}
	}
	switch {
	case mine >= r.cfg.Running:
		r.mu.Unlock()
		return nil, ErrUserBusy
	case all >= r.cfg.RunningTotal:
		r.mu.Unlock()
		return nil, ErrBusy
	}
	r.jobs[j.ID] = j
	r.wg.Add(1) // under r.mu, so that Wait, which sets closed first, never races an Add
	r.mu.Unlock()
	go r.run(j, task)
	return j, nil
}

func (r *Runner) run(j *Job, task func(ctx context.Context, f *os.File, j *Job) error) {
	defer r.wg.Done()
	ctx, cancel := context.WithTimeout(r.ctx, r.cfg.MaxRun)
	defer cancel()
	size, err := write(ctx, j, task)
	r.finish(j, size, err)
}

// write runs task on a new file j.file and returns its size; on any failure the file is removed.
func write(ctx context.Context, j *Job, task func(ctx context.Context, f *os.File, j *Job) error) (int64, error) {
	f, err := os.Create(j.file)
	if err != nil {
		return 0, fmt.Errorf("jobs: %w", err)
	}
	err = safely(ctx, f, j, task)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("jobs: %w", cerr)
	}
	var size int64
	if err == nil {
		var st os.FileInfo
		if st, err = os.Stat(j.file); err == nil {
			size = st.Size()
		}
	}
	if err != nil {
		os.Remove(j.file)
		return 0, err
	}
	return size, nil
}

// safely runs task, turning a panic into an error: a broken print run must not take the server
// down, nor leave its file behind.
func safely(ctx context.Context, f *os.File, j *Job, task func(ctx context.Context, f *os.File, j *Job) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("jobs: task panicked: %v", p)
		}
	}()
	return task(ctx, f, j)
}

// finish records the task's outcome and drops what the limits no longer allow.
func (r *Runner) finish(j *Job, size int64, err error) {
	now := r.cfg.Now()
	r.mu.Lock()
	r.finished++
	j.mu.Lock()
	j.finished, j.err, j.ended, j.order = true, err, now, r.finished
	if err == nil {
		j.path, j.size = j.file, size
	}
	j.mu.Unlock()
	gone := r.trimLocked(now)
	r.mu.Unlock()
	removeFiles(gone)
}

// trimLocked drops the finished jobs that are past their TTL or beyond the counts and bytes the
// runner keeps, oldest first, and returns their files for the caller to remove outside the lock.
// The newest unexpired job is kept whatever its size, so a single run larger than MaxBytes can
// still be downloaded.
func (r *Runner) trimLocked(now time.Time) []string {
	var done []*Job
	for _, j := range r.jobs {
		if j.isFinished() {
			done = append(done, j)
		}
	}
	slices.SortFunc(done, func(a, b *Job) int { return cmp.Compare(b.orderOf(), a.orderOf()) }) // newest first
	var gone []string
	kept, perUser := 0, map[int64]int{}
	var bytes int64
	for _, j := range done {
		j.mu.Lock()
		expired := !now.Before(j.ended.Add(r.cfg.TTL))
		size, path := j.size, j.path
		j.mu.Unlock()
		if expired || perUser[j.UserID] >= r.cfg.KeptPerUser || kept >= r.cfg.KeptTotal || (kept > 0 && bytes+size > r.cfg.MaxBytes) {
			delete(r.jobs, j.ID)
			if path != "" {
				gone = append(gone, path)
			}
			continue
		}
		kept++
		perUser[j.UserID]++
		bytes += size
	}
	return gone
}

// Get returns a job by id, or nil; a job past its TTL is gone even before the janitor runs.
func (r *Runner) Get(id string) *Job {
	r.mu.Lock()
	j := r.jobs[id]
	var gone []string
	if j != nil && j.isFinished() {
		gone = r.trimLocked(r.cfg.Now())
		j = r.jobs[id]
	}
	r.mu.Unlock()
	removeFiles(gone)
	return j
}

// List returns a user's jobs that are kept, running or finished, the newest first: the history
// of the user's print runs. A job past its TTL is gone even before the janitor runs.
func (r *Runner) List(userID int64) []*Job {
	r.mu.Lock()
	gone := r.trimLocked(r.cfg.Now())
	var out []*Job
	for _, j := range r.jobs {
		if j.UserID == userID {
			out = append(out, j)
		}
	}
	r.mu.Unlock()
	removeFiles(gone)
	slices.SortFunc(out, func(a, b *Job) int {
		if c := b.Started.Compare(a.Started); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return out
}

// Expires is when a finished job and its file are dropped at the latest (Config.TTL after it
// ended); the zero time while it runs. The runner may drop it earlier to stay within its counts
// and bytes.
func (r *Runner) Expires(j *Job) time.Time {
	if end := j.Ended(); !end.IsZero() {
		return end.Add(r.cfg.TTL)
	}
	return time.Time{}
}

// Sweep drops the jobs past their TTL and deletes every file in the folder that belongs to no
// job; the janitor calls it every Config.SweepEvery.
func (r *Runner) Sweep() error {
	r.mu.Lock()
	gone := r.trimLocked(r.cfg.Now())
	r.mu.Unlock()
	removeFiles(gone)
	return r.removeStray()
}

// removeStray deletes the files in the folder that no job owns: left by an earlier process, or
// by a removal that failed.
func (r *Runner) removeStray() error {
	entries, err := os.ReadDir(r.dir)
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	r.mu.Lock()
	owned := make(map[string]bool, len(r.jobs))
	for _, j := range r.jobs {
		owned[j.file] = true
	}
	r.mu.Unlock()
	var errs []error
	for _, e := range entries {
		path := filepath.Join(r.dir, e.Name())
		if e.IsDir() || owned[path] {
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, fmt.Errorf("jobs: %w", err))
		}
	}
	return errors.Join(errs...)
}

func (r *Runner) janitor() {
	defer close(r.stopped)
	t := time.NewTicker(r.cfg.SweepEvery)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
			r.Sweep() // a file that cannot be removed now is tried again on the next tick
		}
	}
}

// Wait blocks until every job has finished, then stops the janitor; the runner takes no new
// jobs once Wait is called. Finished jobs stay readable.
func (r *Runner) Wait() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.wg.Wait()
	r.stopOnce.Do(func() { close(r.stop) })
	<-r.stopped
}

// Close cancels the running jobs, whose files could not be fetched after a restart anyway, and
// then does what Wait does.
func (r *Runner) Close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.cancel()
	r.Wait()
}

func (j *Job) isFinished() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.finished
}

func (j *Job) orderOf() uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.order
}

func removeFiles(paths []string) {
	for _, p := range paths {
		os.Remove(p) // one that fails stays unowned, and the janitor's next sweep removes it
	}
}
