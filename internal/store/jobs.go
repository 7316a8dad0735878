package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/parsurvey/parsurvey/internal/fault"
)

// The states of a background job.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// JobChunk is the most bytes of a job's file one row of job_chunks holds.
const JobChunk = 1 << 20

// jobChunksPerTx is how many chunks one transaction writes: a few mebibytes, so that a large file
// is written in a few short transactions.
const jobChunksPerTx = 4

// Errors EnqueueJob returns instead of queueing a job.
var (
	// ErrJobUserBusy means the user already has as many jobs queued or running as allowed.
	ErrJobUserBusy = fault.Sentinel(fault.Conflict, "store: user has too many jobs running")
	// ErrJobBusy means as many jobs are queued or running over all users as allowed.
	ErrJobBusy = fault.Sentinel(fault.Conflict, "store: too many jobs running")
)

// Job is one background job as stored: what to run (Kind, Params), for whom, and how far it is.
type Job struct {
	ID       string
	Kind     string
	Title    string
	FileName string // the name the download is offered under
	UserID   int64
	Params   []byte // JSON, as the job's kind reads it
	State    string // JobQueued, JobRunning, JobDone or JobFailed
	Node     string // the node that claimed it last
	Attempt  int    // how many times it was claimed
	Done     int
	Total    int
	Error    string // why it failed, in Vietnamese for staff
	Result   string // a sentence the task left, once done
	Started  time.Time
	Ended    time.Time // zero until it is done or failed
	Seq      int64     // finishing order over all jobs, 0 until it ends
	Size     int64     // bytes of its file, once done
}

// Finished reports whether the job has ended, done or failed.
func (j *Job) Finished() bool { return j.State == JobDone || j.State == JobFailed }

// NewJob is a job to queue.
type NewJob struct {
	ID       string
	Kind     string
	Title    string
	FileName string
	UserID   int64
	Params   []byte
	Started  time.Time
}

const jobColumns = `id, kind, title, file_name, user_id, params, state, node, attempt, done, total, error, result,
	started_at, ended_at, finished_seq, size`

func scanJob(row interface{ Scan(...any) error }) (*Job, error) {
	var j Job
	var params, started, ended string
	if err := row.Scan(&j.ID, &j.Kind, &j.Title, &j.FileName, &j.UserID, &params, &j.State, &j.Node, &j.Attempt,
		&j.Done, &j.Total, &j.Error, &j.Result, &started, &ended, &j.Seq, &j.Size); err != nil {
		return nil, err
	}
	j.Params, j.Started, j.Ended = []byte(params), parseTime(started), parseTime(ended)
	return &j, nil
}

// EnqueueJob queues j unless the user already has perUser jobs queued or running, or all users
// together have total (ErrJobUserBusy, ErrJobBusy). The count and the insert are one write
// transaction, so that two nodes starting jobs at once cannot both pass the count.
func (db *DB) EnqueueJob(ctx context.Context, j NewJob, perUser, total int) error {
	params := string(j.Params)
	if params == "" {
		params = "{}"
	}
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var mine, all int
		if err := tx.QueryRowContext(ctx, `SELECT ifnull(sum(CASE WHEN user_id = ? THEN 1 ELSE 0 END), 0), count(*)
			FROM jobs WHERE state IN ('queued', 'running')`, j.UserID).Scan(&mine, &all); err != nil {
			return err
		}
		switch {
		case mine >= perUser:
			return ErrJobUserBusy
		case all >= total:
			return ErrJobBusy
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO jobs (id, kind, title, file_name, user_id, params, started_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, j.ID, j.Kind, j.Title, j.FileName, j.UserID, params, timeText(j.Started))
		return err
	})
	if err != nil && !errors.Is(err, ErrJobUserBusy) && !errors.Is(err, ErrJobBusy) {
		err = fmt.Errorf("store: queue job %s: %w", j.ID, err)
	}
	return err
}

// ClaimJob claims the oldest job of one of kinds that is queued, or running on a node whose
// lease ended before now (that node died) and claimed fewer than maxAttempts times: the job
// becomes node's, running, with its attempt counted and a lease until leaseUntil. It returns
// nil when there is none. Nodes claiming at once get different jobs (DB.claim, FOR UPDATE SKIP
// LOCKED), without taking the write lock.
func (db *DB) ClaimJob(ctx context.Context, kinds []string, node string, now, leaseUntil time.Time, maxAttempts int) (*Job, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	args := []any{node, leaseUntil.UnixMilli()}
	for _, k := range kinds {
		args = append(args, k)
	}
	args = append(args, now.UnixMilli(), maxAttempts)
	// Looked for on the read pool first: every node polls every second or so, and most polls
	// find nothing, which then costs no write transaction.
	var due int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM jobs WHERE kind IN (`+placeholders(len(kinds))+`)
		AND (state = 'queued' OR (state = 'running' AND lease_ms < ? AND attempt < ?)) LIMIT 1) AS due`, args[2:]...).Scan(&due)
	if err != nil || due == 0 {
		if err != nil {
			err = fmt.Errorf("store: look for a job to claim: %w", err)
		}
		return nil, err
	}
	var j *Job
	err = db.claim(ctx, func(tx *sql.Tx) error {
		row := tx.QueryRowContext(ctx, `UPDATE jobs SET state = 'running', node = ?, attempt = attempt + 1, lease_ms = ?
			WHERE id IN (SELECT id FROM jobs WHERE kind IN (`+placeholders(len(kinds))+`)
				AND (state = 'queued' OR (state = 'running' AND lease_ms < ? AND attempt < ?))
				ORDER BY started_at, id LIMIT 1`+db.skipLocked()+`)
			RETURNING `+jobColumns, args...)
		var err error
		j, err = scanJob(row)
		if errors.Is(err, sql.ErrNoRows) {
			j, err = nil, nil
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim a job: %w", err)
	}
	return j, nil
}

// HeartbeatJob records a running job's progress and extends its node's lease to leaseUntil. It
// reports false when the attempt is no longer the job's (another node claimed it after the lease
// ran out, or it ended): the node should stop running it.
func (db *DB) HeartbeatJob(ctx context.Context, id string, attempt, done, total int, leaseUntil time.Time) (bool, error) {
	var n int64
	err := db.claim(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET done = ?, total = ?, lease_ms = ?
			WHERE id = ? AND attempt = ? AND state = 'running'`, done, total, leaseUntil.UnixMilli(), id, attempt)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: heartbeat of job %s: %w", id, err)
	}
	return n == 1, nil
}

// WriteJobFile stores what r holds as the file of the job's attempt, in chunks of JobChunk bytes
// written a few per transaction, and returns its size. The chunks count only once FinishJob
// records the attempt as done.
func (db *DB) WriteJobFile(ctx context.Context, id string, attempt int, r io.Reader) (int64, error) {
	var size int64
	n := 0
	buf := make([]byte, JobChunk)
	for eof := false; !eof; {
		var chunks [][]byte
		for len(chunks) < jobChunksPerTx {
			k, err := io.ReadFull(r, buf)
			if k > 0 {
				chunks = append(chunks, slices.Clone(buf[:k]))
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				eof = true
				break
			}
			if err != nil {
				return 0, fmt.Errorf("store: read the file of job %s: %w", id, err)
			}
		}
		if len(chunks) == 0 {
			break
		}
		err := db.claim(ctx, func(tx *sql.Tx) error {
			for i, c := range chunks {
				if _, err := tx.ExecContext(ctx, `INSERT INTO job_chunks (job_id, attempt, n, data) VALUES (?, ?, ?, ?)`,
					id, attempt, n+i, c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("store: write the file of job %s: %w", id, err)
		}
		for _, c := range chunks {
			size += int64(len(c))
		}
		n += len(chunks)
	}
	return size, nil
}

// DeleteJobFile removes the chunks an attempt of the job wrote, for an attempt that lost the job.
func (db *DB) DeleteJobFile(ctx context.Context, id string, attempt int) error {
	err := db.claim(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM job_chunks WHERE job_id = ? AND attempt = ?`, id, attempt)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: delete the file of job %s: %w", id, err)
	}
	return nil
}

// JobEnd is how a job's attempt ended.
type JobEnd struct {
	Done, Total int
	Size        int64     // bytes of the file WriteJobFile stored, for a job done
	Error       string    // why it failed, in Vietnamese for staff, for a job failed
	Result      string    // a sentence of what it did, for a job done
	Ended       time.Time // also the now of the trim that follows
}

// FinishJob records the attempt as done, with its file (WriteJobFile), drops the chunks any other
// attempt left, and trims the finished jobs to keep in the same transaction, so that no reader
// sees more jobs kept than allowed. It reports false when the attempt is no longer the job's;
// nothing is changed then.
func (db *DB) FinishJob(ctx context.Context, id string, attempt int, end JobEnd, keep JobKeep) (bool, error) {
	end.Error = ""
	return db.endJob(ctx, id, attempt, JobDone, end, keep)
}

// FailJob records the attempt as failed, with end.Error saying why, drops whatever file any
// attempt wrote, and trims as FinishJob does. It reports false when the attempt is no longer the
// job's.
func (db *DB) FailJob(ctx context.Context, id string, attempt int, end JobEnd, keep JobKeep) (bool, error) {
	end.Size, end.Result = 0, ""
	return db.endJob(ctx, id, attempt, JobFailed, end, keep)
}

func (db *DB) endJob(ctx context.Context, id string, attempt int, state string, end JobEnd, keep JobKeep) (bool, error) {
	var n int64
	err := db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET state = ?, done = ?, total = ?, size = ?, error = ?, result = ?, ended_at = ?,
			lease_ms = 0, finished_seq = (SELECT ifnull(max(finished_seq), 0) + 1 FROM jobs)
			WHERE id = ? AND attempt = ? AND state = 'running'`,
			state, end.Done, end.Total, end.Size, end.Error, end.Result, timeText(end.Ended), id, attempt)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		kept := attempt
		if state == JobFailed {
			kept = -1
		}
		if _, err = tx.ExecContext(ctx, `DELETE FROM job_chunks WHERE job_id = ? AND attempt <> ?`, id, kept); err != nil {
			return err
		}
		_, err = trimJobs(ctx, tx, end.Ended, keep)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: end job %s: %w", id, err)
	}
	return n == 1, nil
}

// RequeueJob hands a running attempt back to the queue, its progress kept, for a node shutting
// down: another node (or this one, restarted) claims it again at once. It reports false when the
// attempt is no longer the job's.
func (db *DB) RequeueJob(ctx context.Context, id string, attempt, done, total int) (bool, error) {
	var n int64
	err := db.claim(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET state = 'queued', node = '', lease_ms = 0, done = ?, total = ?
			WHERE id = ? AND attempt = ? AND state = 'running'`, done, total, id, attempt)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: requeue job %s: %w", id, err)
	}
	return n == 1, nil
}

// FailAbandonedJobs fails the running jobs whose lease ended before now and that have been claimed
// maxAttempts times already: a job that kills every node it runs on is not tried forever. It
// returns how many it failed.
func (db *DB) FailAbandonedJobs(ctx context.Context, now time.Time, maxAttempts int, msg string) (int, error) {
	var n int64
	err := db.Write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM jobs WHERE state = 'running' AND lease_ms < ? AND attempt >= ? ORDER BY id`,
			now.UnixMilli(), maxAttempts)
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `UPDATE jobs SET state = 'failed', error = ?, ended_at = ?, lease_ms = 0,
				finished_seq = (SELECT ifnull(max(finished_seq), 0) + 1 FROM jobs) WHERE id = ?`, msg, timeText(now), id)
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			n += k
			if _, err := tx.ExecContext(ctx, `DELETE FROM job_chunks WHERE job_id = ?`, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: fail abandoned jobs: %w", err)
	}
	return int(n), nil
}

// Job returns a job by id, or ErrNotFound.
func (db *DB) Job(ctx context.Context, id string) (*Job, error) {
	j, err := scanJob(db.read.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("store: job %s: %w", id, notFound(err))
	}
	return j, nil
}

// UserJobs returns a user's jobs, the newest started first.
func (db *DB) UserJobs(ctx context.Context, userID int64) ([]*Job, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE user_id = ?`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: jobs of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []*Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("store: jobs of user %d: %w", userID, err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: jobs of user %d: %w", userID, err)
	}
	// Sorted here: stored times are RFC 3339 text with trimmed fractions, which does not sort.
	slices.SortFunc(out, func(a, b *Job) int {
		if c := b.Started.Compare(a.Started); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return out, nil
}

// JobKeep bounds the finished jobs TrimJobs keeps.
type JobKeep struct {
	TTL      time.Duration // how long after it ended a job is kept
	PerUser  int           // finished jobs kept per user, the newest
	Total    int           // finished jobs kept over all users, the newest
	MaxBytes int64         // bytes of files kept over all users
}

// TrimJobs deletes the finished jobs, with their files, that ended k.TTL or more before now or
// lie beyond the counts and bytes k keeps, the newest kept first. The newest unexpired job is
// kept whatever its size, so that a single run larger than MaxBytes can still be downloaded.
// Running and queued jobs are never deleted. It returns how many jobs it deleted.
func (db *DB) TrimJobs(ctx context.Context, now time.Time, k JobKeep) (int, error) {
	deleted := 0
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		deleted, err = trimJobs(ctx, tx, now, k)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: trim jobs: %w", err)
	}
	return deleted, nil
}

func trimJobs(ctx context.Context, tx *sql.Tx, now time.Time, k JobKeep) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, user_id, ended_at, size FROM jobs
		WHERE state IN ('done', 'failed') ORDER BY finished_seq DESC`)
	if err != nil {
		return 0, err
	}
	var gone []string
	kept, perUser := 0, map[int64]int{}
	var bytes int64
	for rows.Next() {
		var id, ended string
		var user, size int64
		if err := rows.Scan(&id, &user, &ended, &size); err != nil {
			rows.Close()
			return 0, err
		}
		expired := !now.Before(parseTime(ended).Add(k.TTL))
		if expired || perUser[user] >= k.PerUser || kept >= k.Total || (kept > 0 && bytes+size > k.MaxBytes) {
			gone = append(gone, id)
			continue
		}
		kept++
		perUser[user]++
		bytes += size
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, id := range gone {
		// The chunks go with their job (ON DELETE CASCADE).
		if _, err := tx.ExecContext(ctx, `DELETE FROM jobs WHERE id = ?`, id); err != nil {
			return 0, err
		}
	}
	return len(gone), nil
}

// JobFile reads a finished job's file from the database a chunk at a time, so that any node
// serves it and no more than a chunk is held in memory. Each chunk is read in a query of its
// own, under a context of its own: a download outlives the request handler that opened it.
type JobFile struct {
	db      *DB
	id      string
	attempt int
	size    int64
	next    int
	buf     []byte
}

// OpenJobFile opens the file of a job that is done; ErrNotFound when there is no such job or
// it has no file (still running, failed, or trimmed).
func (db *DB) OpenJobFile(ctx context.Context, id string) (*JobFile, error) {
	f := &JobFile{db: db, id: id}
	err := db.read.QueryRowContext(ctx, `SELECT attempt, size FROM jobs WHERE id = ? AND state = 'done'`, id).Scan(&f.attempt, &f.size)
	if err != nil {
		return nil, fmt.Errorf("store: file of job %s: %w", id, notFound(err))
	}
	return f, nil
}

// Size is the file's length in bytes.
func (f *JobFile) Size() int64 { return f.size }

// jobChunkTimeout bounds the read of one chunk.
const jobChunkTimeout = 30 * time.Second

// Read reads the file's next bytes.
func (f *JobFile) Read(p []byte) (int, error) {
	if len(f.buf) == 0 {
		if int64(f.next)*JobChunk >= f.size {
			return 0, io.EOF
		}
		ctx, cancel := context.WithTimeout(context.Background(), jobChunkTimeout)
		defer cancel()
		err := f.db.read.QueryRowContext(ctx, `SELECT data FROM job_chunks WHERE job_id = ? AND attempt = ? AND n = ?`,
			f.id, f.attempt, f.next).Scan(&f.buf)
		if err != nil {
			return 0, fmt.Errorf("store: chunk %d of job %s: %w", f.next, f.id, notFound(err))
		}
		if len(f.buf) == 0 {
			return 0, fmt.Errorf("store: chunk %d of job %s is empty", f.next, f.id)
		}
		f.next++
	}
	n := copy(p, f.buf)
	f.buf = f.buf[n:]
	return n, nil
}
