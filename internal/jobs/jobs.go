// Package jobs runs long tasks (large print runs, rehearsals) in the background, with progress
// that a page can poll and a file to download when done.
//
// Jobs are durable: Start queues a job in the database (internal/store, jobs.go), and every
// node's Runner claims queued jobs of the kinds it handles, runs them, and stores the finished
// file in the database, so that a job started on one node may run on another and be downloaded
// from a third. A running job holds a lease its node extends as it goes; a job whose node died
// is claimed again after its lease ends and run again from the start.
//
// Jobs and their files are bounded: a user may have only a few jobs queued or running, and the
// database keeps only the newest finished jobs of each user, a fixed number and size of them over
// all users, and none older than a time to live. A janitor goroutine expires old jobs and
// deletes the files in the node's work folder that belong to no running task.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/store"
)

// Errors Start returns instead of a job.
var (
	// ErrUserBusy means the user already has Config.Running jobs queued or running.
	ErrUserBusy = errors.New("jobs: user has too many jobs running")
	// ErrBusy means Config.RunningTotal jobs are queued or running over all users.
	ErrBusy = errors.New("jobs: too many jobs running")
	// ErrClosed means the runner has been closed.
	ErrClosed = errors.New("jobs: runner closed")
)

// What a failed job says to staff (store.Job.Error); the detail goes to the log.
const (
	MsgFailed    = "Công việc gặp lỗi nên không tạo được tệp; chi tiết ghi trong nhật ký của máy chủ."
	MsgTooLong   = "Công việc chạy quá thời gian cho phép nên đã bị dừng."
	MsgAbandoned = "Công việc bị gián đoạn nhiều lần vì máy chủ chạy nó ngừng giữa chừng, nên không chạy lại nữa."
)

// Config bounds what a Runner keeps and sets how it claims; a zero field takes its default from
// DefaultConfig.
type Config struct {
	Running      int // jobs one user may have queued or running at once
	RunningTotal int // jobs queued or running at once over all users
	// Workers is how many jobs this node runs at once (RunningTotal when zero); a negative number
	// runs none: the node queues jobs and serves their files while other nodes run them.
	Workers     int
	KeptPerUser int           // finished jobs kept per user, the newest
	KeptTotal   int           // finished jobs kept over all users, the newest
	MaxBytes    int64         // bytes of finished files kept over all users
	TTL         time.Duration // how long a finished job and its file are kept
	MaxRun      time.Duration // how long a job may run before its context is cancelled
	SweepEvery  time.Duration // how often the janitor looks for expired jobs and stray files
	// Lease is how long a claimed job stays this node's without a heartbeat; Heartbeat how often
	// the node extends it. Another node takes the job over once the lease has run out.
	Lease     time.Duration
	Heartbeat time.Duration
	// Poll is how often the node looks for queued jobs (a Start on this node wakes it at once);
	// Progress how often a running job's progress is written when it has changed.
	Poll     time.Duration
	Progress time.Duration
	// MaxAttempts is how many times a job is claimed before a lease running out fails it.
	MaxAttempts int
	// Node names this runner in the jobs it claims; the default is the host name and a random tag.
	Node string
	// Now is the clock that stamps jobs and decides expiry; tests pass a fake one. Leases
	// always follow the real clock, which every node shares.
	Now func() time.Time
	// Log receives the detail of failed jobs; the default is slog.Default().
	Log *slog.Logger
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
		Lease:        30 * time.Second,
		Heartbeat:    10 * time.Second,
		Poll:         time.Second,
		Progress:     time.Second,
		MaxAttempts:  3,
		Now:          time.Now,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	positive := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	duration := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	positive(&c.Running, d.Running)
	positive(&c.RunningTotal, d.RunningTotal)
	positive(&c.KeptPerUser, d.KeptPerUser)
	positive(&c.KeptTotal, d.KeptTotal)
	positive(&c.MaxAttempts, d.MaxAttempts)
	if c.Workers == 0 {
		c.Workers = c.RunningTotal
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = d.MaxBytes
	}
	duration(&c.TTL, d.TTL)
	duration(&c.MaxRun, d.MaxRun)
	duration(&c.SweepEvery, d.SweepEvery)
	duration(&c.Lease, d.Lease)
	duration(&c.Heartbeat, d.Heartbeat)
	duration(&c.Poll, d.Poll)
	duration(&c.Progress, d.Progress)
	if c.Now == nil {
		c.Now = d.Now
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.Node == "" {
		host, _ := os.Hostname()
		c.Node = host + "-" + auth.Token(4)
	}
	return c
}

// Handler runs one job of a kind: it reads the job's params (the JSON Start was given), writes
// the job's file into f and reports progress with j.Set. The file is stored in the database
// once it returns nil. It may run again from the start on another node if its node dies, so it
// must not depend on anything but its params and the database.
type Handler func(ctx context.Context, params []byte, f *os.File, j *Job) error

// Job is one background job: a snapshot read from the database, or, handed to a Handler, the
// running job whose progress the handler sets.
type Job struct {
	ID       string
	Kind     string
	Title    string
	FileName string // the name the download is offered under
	Started  time.Time
	UserID   int64
	Node     string // the node running it, or that ran it
	Attempt  int    // how many times it was claimed, 0 while queued

	mu       sync.Mutex
	done     int
	total    int
	finished bool
	err      error
	result   string
	size     int64
	ended    time.Time
	changed  bool // progress set since it was last written
}

func fromStore(s *store.Job) *Job {
	j := &Job{ID: s.ID, Kind: s.Kind, Title: s.Title, FileName: s.FileName, Started: s.Started, UserID: s.UserID,
		Node: s.Node, Attempt: s.Attempt, done: s.Done, total: s.Total, finished: s.Finished(), result: s.Result,
		size: s.Size, ended: s.Ended}
	if s.State == store.JobFailed {
		j.err = errors.New(s.Error)
	}
	return j
}

// Progress reports how far the job is; err, once it has failed, says why in Vietnamese.
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

// Result is the sentence the task left with SetResult, once the job is done.
func (j *Job) Result() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.result
}

// Set records progress; the task calls it as it goes, and the runner writes it to the
// database every Config.Progress.
func (j *Job) Set(done, total int) {
	j.mu.Lock()
	j.done, j.total, j.changed = done, total, true
	j.mu.Unlock()
}

// SetResult records a sentence of what the task did, stored with the job when it is done.
func (j *Job) SetResult(s string) {
	j.mu.Lock()
	j.result = s
	j.mu.Unlock()
}

// Runner queues jobs, and claims and runs those of the kinds it handles. Its folder holds the
// files of the tasks it runs until they are stored: any other file there is deleted.
type Runner struct {
	db     *store.DB
	dir    string
	cfg    Config
	ctx    context.Context // parent of every task's context; Close and die cancel it
	cancel context.CancelFunc

	mu       sync.Mutex // guards the fields below
	handlers map[string]Handler
	running  map[string]*Job // the tasks this node runs, by job id
	files    map[string]bool // their files in dir
	closed   bool            // Start refuses
	draining bool            // Wait: claim until nothing is left, then stop
	dead     bool            // die: write nothing more to the database
	wg       sync.WaitGroup  // running tasks

	wake     chan struct{} // a Start or a finished task: look for jobs now
	quit     chan struct{} // closed to stop claiming
	quitOnce sync.Once
	looped   chan struct{} // closed when the claim loop has returned

	stop     chan struct{} // closed to stop the janitor
	stopOnce sync.Once
	stopped  chan struct{} // closed when the janitor has returned
}

// NewRunner keeps job files in dir (created if missing) with the default limits.
func NewRunner(db *store.DB, dir string) (*Runner, error) { return New(db, dir, Config{}) }

// New runs jobs stored in db, keeping the files of running tasks in dir (created if missing),
// within cfg's limits. It deletes the files an earlier process left in dir and starts the claim
// loop and the janitor, which Wait or Close stops. Register the kinds with Handle.
func New(db *store.DB, dir string, cfg Config) (*Runner, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &Runner{db: db, dir: dir, cfg: cfg.withDefaults(), ctx: ctx, cancel: cancel,
		handlers: map[string]Handler{}, running: map[string]*Job{}, files: map[string]bool{},
		wake: make(chan struct{}, 1), quit: make(chan struct{}), looped: make(chan struct{}),
		stop: make(chan struct{}), stopped: make(chan struct{})}
	if err := r.removeStray(); err != nil {
		cancel()
		return nil, err
	}
	go r.loop()
	go r.janitor()
	return r, nil
}

// Limits is the runner's configuration with its defaults filled in, for messages that quote it.
func (r *Runner) Limits() Config { return r.cfg }

// Node is the name this runner claims jobs under.
func (r *Runner) Node() string { return r.cfg.Node }

// Handle registers the handler of a kind of job: this node then claims and runs that kind.
func (r *Runner) Handle(kind string, h Handler) {
	r.mu.Lock()
	r.handlers[kind] = h
	r.mu.Unlock()
	r.poke()
}

// Start queues a job of kind, whose params are encoded as JSON for its handler (a []byte or
// json.RawMessage is taken as it is), and returns it at once; a node handling the kind claims it
// within Config.Poll, this one at once. It refuses with ErrUserBusy or ErrBusy when too many jobs
// are queued or running, ErrClosed after Wait or Close, and an error for a kind this runner has
// no handler for.
func (r *Runner) Start(ctx context.Context, kind, title, fileName string, userID int64, params any) (*Job, error) {
	r.mu.Lock()
	closed, handled := r.closed, r.handlers[kind] != nil
	r.mu.Unlock()
	switch {
	case closed:
		return nil, ErrClosed
	case !handled:
		return nil, fmt.Errorf("jobs: no handler for jobs of kind %q", kind)
	}
	var raw []byte
	switch p := params.(type) {
	case []byte:
		raw = p
	case json.RawMessage:
		raw = p
	default:
		var err error
		if raw, err = json.Marshal(params); err != nil {
			return nil, fmt.Errorf("jobs: params of a %s job: %w", kind, err)
		}
	}
	n := store.NewJob{ID: auth.Token(12), Kind: kind, Title: title, FileName: fileName, UserID: userID,
		Params: raw, Started: r.cfg.Now().UTC()}
	switch err := r.db.EnqueueJob(ctx, n, r.cfg.Running, r.cfg.RunningTotal); {
	case errors.Is(err, store.ErrJobUserBusy):
		return nil, ErrUserBusy
	case errors.Is(err, store.ErrJobBusy):
		return nil, ErrBusy
	case err != nil:
		return nil, fmt.Errorf("jobs: %w", err)
	}
	r.poke()
	return &Job{ID: n.ID, Kind: kind, Title: title, FileName: fileName, Started: n.Started, UserID: userID}, nil
}

// poke wakes the claim loop.
func (r *Runner) poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// loop claims jobs while this node has room, every Config.Poll and whenever poked.
func (r *Runner) loop() {
	defer close(r.looped)
	t := time.NewTicker(r.cfg.Poll)
	defer t.Stop()
	for {
		r.claimSome()
		r.mu.Lock()
		drained := r.draining && len(r.running) == 0
		r.mu.Unlock()
		if drained {
			// Claimed again after the last task ended: a job queued meanwhile is not left behind.
			if r.claimSome() == 0 {
				return
			}
		}
		select {
		case <-r.quit:
			return
		case <-r.wake:
		case <-t.C:
		}
	}
}

// claimSome claims and starts jobs until this node runs Config.Workers or none is left; it
// returns how many it started.
func (r *Runner) claimSome() int {
	started := 0
	for {
		r.mu.Lock()
		if len(r.running) >= r.cfg.Workers || r.dead {
			r.mu.Unlock()
			return started
		}
		kinds := make([]string, 0, len(r.handlers))
		for k := range r.handlers {
			kinds = append(kinds, k)
		}
		r.mu.Unlock()
		slices.Sort(kinds)
		now := time.Now()
		ctx, cancel := context.WithTimeout(r.ctx, r.cfg.Lease)
		sj, err := r.db.ClaimJob(ctx, kinds, r.cfg.Node, now, now.Add(r.cfg.Lease), r.cfg.MaxAttempts)
		cancel()
		if err != nil {
			if r.ctx.Err() == nil {
				r.cfg.Log.Error("jobs: claim", "node", r.cfg.Node, "err", err)
			}
			return started
		}
		if sj == nil {
			return started
		}
		j := fromStore(sj)
		r.mu.Lock()
		h := r.handlers[sj.Kind]
		r.running[j.ID] = j
		r.wg.Add(1) // by the loop, which Wait and Close wait for before they wait on wg
		r.mu.Unlock()
		go r.run(j, sj.Params, h)
		started++
	}
}

// errLost is the cause of a task's cancellation when its lease passed to another node.
var errLost = errors.New("jobs: the job's lease passed to another node")

// run runs a claimed job to its end and records the outcome, unless the job passed to another
// node meanwhile.
func (r *Runner) run(j *Job, params []byte, h Handler) {
	defer r.wg.Done()
	defer r.poke()
	file := filepath.Join(r.dir, fmt.Sprintf("%s-%d%s", j.ID, j.Attempt, filepath.Ext(j.FileName)))
	r.mu.Lock()
	r.files[file] = true
	r.mu.Unlock()
	defer func() {
		os.Remove(file)
		r.mu.Lock()
		delete(r.files, file)
		delete(r.running, j.ID)
		r.mu.Unlock()
	}()

	lost, loseIt := context.WithCancelCause(r.ctx)
	defer loseIt(nil)
	beats := make(chan struct{})
	go func() {
		defer close(beats)
		r.heartbeat(lost, j, loseIt)
	}()
	ctx, cancel := context.WithTimeout(lost, r.cfg.MaxRun)
	err := r.write(ctx, file, params, j, h)
	tooLong := errors.Is(ctx.Err(), context.DeadlineExceeded)
	cancel()
	var size int64
	storing := err == nil && lost.Err() == nil
	if storing {
		// Stored under the task's parent: a node shutting down mid-store hands the job back.
		size, err = r.store(lost, file, j)
	}
	loseIt(nil) // stops the heartbeat: the outcome below is the last write
	<-beats

	r.mu.Lock()
	dead := r.dead
	r.mu.Unlock()
	if dead {
		return // the node "died": nothing more reaches the database
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if cause := context.Cause(lost); errors.Is(cause, errLost) {
		r.cfg.Log.Warn("jobs: job taken over by another node", "job", j.ID, "node", r.cfg.Node)
		if storing {
			r.db.DeleteJobFile(ctx, j.ID, j.Attempt)
		}
		return
	}
	done, total, _, _ := j.Progress()
	kept := false // the attempt's file is the job's now
	switch {
	case err == nil:
		end := store.JobEnd{Done: done, Total: total, Size: size, Result: j.Result(), Ended: r.cfg.Now()}
		kept, err = r.db.FinishJob(ctx, j.ID, j.Attempt, end, r.keep())
	case r.ctx.Err() != nil && !tooLong:
		// Close: the job goes back to the queue, for another node or this one restarted.
		_, err = r.db.RequeueJob(ctx, j.ID, j.Attempt, done, total)
	default:
		msg := MsgFailed
		if tooLong {
			msg = MsgTooLong
		} else if fe := fault.As(err); fe != nil && fe.Msg != "" {
			msg = fe.Msg
		}
		r.cfg.Log.Error("jobs: job failed", "job", j.ID, "kind", j.Kind, "user", j.UserID, "node", r.cfg.Node, "err", err)
		end := store.JobEnd{Done: done, Total: total, Error: msg, Ended: r.cfg.Now()}
		_, err = r.db.FailJob(ctx, j.ID, j.Attempt, end, r.keep())
	}
	if err != nil {
		r.cfg.Log.Error("jobs: record the outcome", "job", j.ID, "node", r.cfg.Node, "err", err)
	}
	if storing && !kept {
		r.db.DeleteJobFile(ctx, j.ID, j.Attempt) // what is left of a store that failed or lost the job
	}
}

// heartbeat writes the job's progress every Config.Progress when it has changed, and at least
// every Config.Heartbeat, extending the lease; when the lease is no longer this attempt's it
// cancels the task with errLost.
func (r *Runner) heartbeat(ctx context.Context, j *Job, lose context.CancelCauseFunc) {
	t := time.NewTicker(min(r.cfg.Progress, r.cfg.Heartbeat))
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		j.mu.Lock()
		done, total, changed := j.done, j.total, j.changed
		j.changed = false
		j.mu.Unlock()
		if !changed && time.Since(last) < r.cfg.Heartbeat {
			continue
		}
		now := time.Now()
		ok, err := r.db.HeartbeatJob(ctx, j.ID, j.Attempt, done, total, now.Add(r.cfg.Lease))
		switch {
		case err != nil:
			if ctx.Err() == nil {
				r.cfg.Log.Warn("jobs: heartbeat", "job", j.ID, "err", err) // tried again on the next tick
			}
			continue
		case !ok:
			lose(errLost)
			return
		}
		last = now
	}
}

// write runs the handler on a new file; on any failure the file is removed.
func (r *Runner) write(ctx context.Context, file string, params []byte, j *Job, h Handler) error {
	f, err := os.Create(file)
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	err = safely(ctx, params, f, j, h)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("jobs: %w", cerr)
	}
	if err == nil && ctx.Err() != nil {
		err = ctx.Err() // a handler that ignored its cancellation still does not count as done
	}
	return err
}

// safely runs the handler, turning a panic into an error: a broken print run must not take the
// server down.
func safely(ctx context.Context, params []byte, f *os.File, j *Job, h Handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("jobs: task panicked: %v", p)
		}
	}()
	return h(ctx, params, f, j)
}

// store copies the finished file into the database.
func (r *Runner) store(ctx context.Context, file string, j *Job) (int64, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, fmt.Errorf("jobs: %w", err)
	}
	defer f.Close()
	return r.db.WriteJobFile(ctx, j.ID, j.Attempt, f)
}

func (r *Runner) keep() store.JobKeep {
	return store.JobKeep{TTL: r.cfg.TTL, PerUser: r.cfg.KeptPerUser, Total: r.cfg.KeptTotal, MaxBytes: r.cfg.MaxBytes}
}

func (r *Runner) trim(ctx context.Context) error {
	if _, err := r.db.TrimJobs(ctx, r.cfg.Now(), r.keep()); err != nil {
		r.cfg.Log.Error("jobs: trim", "err", err)
		return err
	}
	return nil
}

// expired reports whether a finished job is past its TTL at now.
func (r *Runner) expired(s *store.Job, now time.Time) bool {
	return s.Finished() && !now.Before(s.Ended.Add(r.cfg.TTL))
}

// Get returns a job by id, read from the database, or nil when there is none: a job past its TTL
// is gone even before the janitor runs.
func (r *Runner) Get(ctx context.Context, id string) (*Job, error) {
	s, err := r.db.Job(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("jobs: %w", err)
	}
	if r.expired(s, r.cfg.Now()) {
		return nil, r.trim(ctx)
	}
	return fromStore(s), nil
}

// List returns a user's jobs that are kept, queued, running or finished, the newest started
// first: the history of the user's print runs. A job past its TTL is gone even before the
// janitor runs.
func (r *Runner) List(ctx context.Context, userID int64) ([]*Job, error) {
	all, err := r.db.UserJobs(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	now := r.cfg.Now()
	var out []*Job
	expired := false
	for _, s := range all {
		if r.expired(s, now) {
			expired = true
			continue
		}
		out = append(out, fromStore(s))
	}
	if expired {
		if err := r.trim(ctx); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// File opens a finished job's file for reading from the database; store.ErrNotFound when the job
// has no file (running, failed, expired or unknown).
func (r *Runner) File(ctx context.Context, id string) (*store.JobFile, error) {
	if j, err := r.Get(ctx, id); err != nil || j == nil {
		if err == nil {
			err = store.ErrNotFound
		}
		return nil, err
	}
	return r.db.OpenJobFile(ctx, id)
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

// sweepTimeout bounds one sweep's database work.
const sweepTimeout = time.Minute

// Sweep drops the jobs past their TTL, fails those whose lease ran out as often as
// Config.MaxAttempts allows, and deletes every file in the folder that belongs to no task this
// node runs; the janitor calls it every Config.SweepEvery.
func (r *Runner) Sweep() error {
	ctx, cancel := context.WithTimeout(context.Background(), sweepTimeout)
	defer cancel()
	var errs []error
	if _, err := r.db.FailAbandonedJobs(ctx, time.Now(), r.cfg.MaxAttempts, MsgAbandoned); err != nil {
		errs = append(errs, err)
	}
	if err := r.trim(ctx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(append(errs, r.removeStray())...)
}

// removeStray deletes the files in the folder that no running task owns: left by an earlier
// process, or by a removal that failed. A file named for an attempt that the database says is
// running is kept, so that two nodes given the same folder do not delete each other's files.
func (r *Runner) removeStray() error {
	entries, err := os.ReadDir(r.dir)
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	r.mu.Lock()
	owned := make(map[string]bool, len(r.files))
	for f := range r.files {
		owned[f] = true
	}
	r.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), sweepTimeout)
	defer cancel()
	var errs []error
	for _, e := range entries {
		path := filepath.Join(r.dir, e.Name())
		if e.IsDir() || owned[path] {
			continue
		}
		if running, err := r.runningElsewhere(ctx, e.Name()); running || err != nil {
			if err != nil {
				errs = append(errs, err) // kept until the database answers
			}
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, fmt.Errorf("jobs: %w", err))
		}
	}
	return errors.Join(errs...)
}

// runningElsewhere reports whether name is the file of a job's attempt (ID-attempt.ext, as run
// names it) that the database says is running.
func (r *Runner) runningElsewhere(ctx context.Context, name string) (bool, error) {
	base := strings.TrimSuffix(name, filepath.Ext(name))
	i := strings.LastIndexByte(base, '-')
	if i < 0 {
		return false, nil
	}
	attempt, err := strconv.Atoi(base[i+1:])
	if err != nil {
		return false, nil
	}
	j, err := r.db.Job(ctx, base[:i])
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("jobs: %w", err)
	}
	return j.State == store.JobRunning && j.Attempt == attempt, nil
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
			r.Sweep() // what fails now is tried again on the next tick
		}
	}
}

// Wait stops taking new jobs from Start, runs the queued jobs it can claim until none is left
// and its tasks have finished, then stops the claim loop and the janitor. Finished jobs stay
// readable.
func (r *Runner) Wait() {
	r.mu.Lock()
	r.closed, r.draining = true, true
	r.mu.Unlock()
	r.poke()
	<-r.looped
	r.shut()
}

// Close stops claiming and cancels the running tasks, whose jobs go back to the queue for another
// node (or this one, restarted) to run from the start; then it stops the janitor.
func (r *Runner) Close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.quitOnce.Do(func() { close(r.quit) })
	<-r.looped
	r.cancel()
	r.shut()
}

// die stops the runner as a node that loses its power would: the tasks are cancelled and nothing
// more is written, so the jobs it ran stay running under leases that run out. For tests.
func (r *Runner) die() {
	r.mu.Lock()
	r.closed, r.dead = true, true
	r.mu.Unlock()
	r.quitOnce.Do(func() { close(r.quit) })
	<-r.looped
	r.cancel()
	r.shut()
}

// shut waits for the tasks, then stops the janitor; the claim loop has returned.
func (r *Runner) shut() {
	r.wg.Wait()
	r.stopOnce.Do(func() { close(r.stop) })
	<-r.stopped
}
