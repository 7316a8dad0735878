package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// secondHandle opens another handle on db's database, as a second node would.
func secondHandle(t *testing.T, db *DB) *DB {
	t.Helper()
	other, err := Open(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

func queueJob(t *testing.T, db *DB, id string, user int64, started time.Time) {
	t.Helper()
	j := NewJob{ID: id, Kind: "print", Title: "In phiếu", FileName: "phieu.pdf", UserID: user,
		Params: []byte(`{"campaign":1}`), Started: started}
	if err := db.EnqueueJob(context.Background(), j, 100, 100); err != nil {
		t.Fatal(err)
	}
}

var t0 = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

// keepAll keeps every finished job, for tests of something else than trimming.
var keepAll = JobKeep{TTL: 1000 * time.Hour, PerUser: 1000, Total: 1000, MaxBytes: 1 << 40}

func TestJobsAreQueuedWithinTheirLimits(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	job := func(id string, user int64) NewJob {
		return NewJob{ID: id, Kind: "print", Title: "In", FileName: "x.pdf", UserID: user, Started: t0}
	}
	for _, id := range []string{"a", "b"} {
		if err := db.EnqueueJob(ctx, job(id, 1), 2, 3); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("a user at their limit is refused", func(t *testing.T) {
		if err := db.EnqueueJob(ctx, job("c", 1), 2, 3); !errors.Is(err, ErrJobUserBusy) {
			t.Fatalf("third job of user 1: %v, want ErrJobUserBusy", err)
		}
	})
	t.Run("the total over all users is a limit too", func(t *testing.T) {
		if err := db.EnqueueJob(ctx, job("d", 2), 2, 3); err != nil {
			t.Fatal(err)
		}
		if err := db.EnqueueJob(ctx, job("e", 3), 2, 3); !errors.Is(err, ErrJobBusy) {
			t.Fatalf("fourth job over all users: %v, want ErrJobBusy", err)
		}
	})
	t.Run("a job that has ended no longer counts", func(t *testing.T) {
		j, err := db.ClaimJob(ctx, []string{"print"}, "n1", t0, t0.Add(time.Minute), 3)
		if err != nil || j == nil {
			t.Fatalf("claim: %v, %v", j, err)
		}
		if ok, err := db.FailJob(ctx, j.ID, j.Attempt, JobEnd{Error: "hỏng", Ended: t0}, keepAll); !ok || err != nil {
			t.Fatalf("fail: %v, %v", ok, err)
		}
		if err := db.EnqueueJob(ctx, job("e", 3), 2, 3); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a new job is queued with what it was given", func(t *testing.T) {
		j, err := db.Job(ctx, "e")
		if err != nil {
			t.Fatal(err)
		}
		if j.State != JobQueued || j.UserID != 3 || !j.Started.Equal(t0) || string(j.Params) != "{}" || j.Finished() {
			t.Errorf("job = %+v", j)
		}
		if _, err := db.Job(ctx, "no-such-job"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown job: %v", err)
		}
	})
}

func TestClaimingJobs(t *testing.T) {
	ctx := context.Background()
	t.Run("a claim takes the oldest queued job of the kinds the node runs", func(t *testing.T) {
		db := openTest(t)
		queueJob(t, db, "new", 1, t0.Add(time.Minute))
		queueJob(t, db, "old", 1, t0)
		if j, err := db.ClaimJob(ctx, []string{"rehearsal"}, "n1", t0, t0.Add(time.Minute), 3); j != nil || err != nil {
			t.Fatalf("claim of another kind = %v, %v", j, err)
		}
		j, err := db.ClaimJob(ctx, []string{"print"}, "n1", t0, t0.Add(time.Minute), 3)
		if err != nil || j == nil || j.ID != "old" || j.State != JobRunning || j.Node != "n1" || j.Attempt != 1 || string(j.Params) != `{"campaign":1}` {
			t.Fatalf("claim = %+v, %v", j, err)
		}
	})
	t.Run("a running job is claimed again only once its lease has ended", func(t *testing.T) {
		db := openTest(t)
		queueJob(t, db, "a", 1, t0)
		j, _ := db.ClaimJob(ctx, []string{"print"}, "n1", t0, t0.Add(30*time.Second), 3)
		if again, err := db.ClaimJob(ctx, []string{"print"}, "n2", t0.Add(29*time.Second), t0.Add(time.Minute), 3); again != nil || err != nil {
			t.Fatalf("claim within the lease = %v, %v", again, err)
		}
		if ok, err := db.HeartbeatJob(ctx, j.ID, j.Attempt, 2, 5, t0.Add(60*time.Second)); !ok || err != nil {
			t.Fatalf("heartbeat = %v, %v", ok, err)
		}
		if again, _ := db.ClaimJob(ctx, []string{"print"}, "n2", t0.Add(45*time.Second), t0.Add(time.Minute), 3); again != nil {
			t.Fatal("claimed within the lease a heartbeat extended")
		}
		again, err := db.ClaimJob(ctx, []string{"print"}, "n2", t0.Add(61*time.Second), t0.Add(2*time.Minute), 3)
		if err != nil || again == nil || again.Node != "n2" || again.Attempt != 2 || again.Done != 2 || again.Total != 5 {
			t.Fatalf("claim after the lease = %+v, %v", again, err)
		}
		if ok, err := db.HeartbeatJob(ctx, j.ID, j.Attempt, 3, 5, t0.Add(3*time.Minute)); ok || err != nil {
			t.Errorf("heartbeat of the attempt that lost the job = %v, %v", ok, err)
		}
		if ok, _ := db.FinishJob(ctx, j.ID, j.Attempt, JobEnd{Done: 5, Total: 5, Ended: t0}, keepAll); ok {
			t.Error("the attempt that lost the job finished it")
		}
	})
	t.Run("a job claimed as often as allowed is not claimed again but failed", func(t *testing.T) {
		db := openTest(t)
		queueJob(t, db, "a", 1, t0)
		now := t0
		for range 2 {
			if j, _ := db.ClaimJob(ctx, []string{"print"}, "n", now, now.Add(time.Second), 2); j == nil {
				t.Fatal("no claim")
			}
			now = now.Add(2 * time.Second)
		}
		if j, _ := db.ClaimJob(ctx, []string{"print"}, "n", now, now.Add(time.Second), 2); j != nil {
			t.Fatal("claimed a third time")
		}
		if n, err := db.FailAbandonedJobs(ctx, now, 2, "Bị gián đoạn"); n != 1 || err != nil {
			t.Fatalf("FailAbandonedJobs = %d, %v", n, err)
		}
		j, _ := db.Job(ctx, "a")
		if j.State != JobFailed || j.Error != "Bị gián đoạn" || !j.Ended.Equal(now) {
			t.Errorf("job = %+v", j)
		}
	})
	t.Run("a requeued job is claimed again at once, its progress kept", func(t *testing.T) {
		db := openTest(t)
		queueJob(t, db, "a", 1, t0)
		j, _ := db.ClaimJob(ctx, []string{"print"}, "n1", t0, t0.Add(time.Hour), 3)
		if ok, err := db.RequeueJob(ctx, j.ID, j.Attempt, 4, 9); !ok || err != nil {
			t.Fatalf("requeue = %v, %v", ok, err)
		}
		again, _ := db.ClaimJob(ctx, []string{"print"}, "n2", t0, t0.Add(time.Hour), 3)
		if again == nil || again.Attempt != 2 || again.Done != 4 || again.Total != 9 {
			t.Fatalf("claim after requeue = %+v", again)
		}
	})
}

func TestTwoNodesClaimingAtOnceNeverGetTheSameJob(t *testing.T) {
	a := openTest(t)
	b := secondHandle(t, a)
	ctx := context.Background()
	const jobs = 40
	for i := range jobs {
		queueJob(t, a, fmt.Sprintf("j%02d", i), int64(i), t0)
	}
	var mu sync.Mutex
	got := map[string]string{}
	var wg sync.WaitGroup
	var errs []error
	for w := range 6 {
		db, node := a, fmt.Sprintf("a%d", w)
		if w%2 == 1 {
			db, node = b, fmt.Sprintf("b%d", w)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				j, err := db.ClaimJob(ctx, []string{"print"}, node, t0, t0.Add(time.Hour), 3)
				if err != nil || j == nil {
					if err != nil {
						mu.Lock()
						errs = append(errs, err)
						mu.Unlock()
					}
					return
				}
				mu.Lock()
				if prev, dup := got[j.ID]; dup {
					errs = append(errs, fmt.Errorf("job %s claimed by %s and %s", j.ID, prev, node))
				}
				got[j.ID] = node
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatal(errors.Join(errs...))
	}
	if len(got) != jobs {
		t.Fatalf("%d jobs claimed, want %d", len(got), jobs)
	}
}

func TestAJobsFileIsStoredInChunksAndReadByAnotherNode(t *testing.T) {
	a := openTest(t)
	b := secondHandle(t, a)
	ctx := context.Background()
	queueJob(t, a, "big", 1, t0)
	j, _ := a.ClaimJob(ctx, []string{"print"}, "a", t0, t0.Add(time.Hour), 3)
	content := make([]byte, 5*JobChunk+12345) // two transactions of chunks, the last chunk short
	r := rand.New(rand.NewPCG(1, 2))
	for i := range content {
		content[i] = byte(r.UintN(256))
	}
	size, err := a.WriteJobFile(ctx, j.ID, j.Attempt, bytes.NewReader(content))
	if err != nil || size != int64(len(content)) {
		t.Fatalf("WriteJobFile = %d, %v", size, err)
	}
	t.Run("the file cannot be read before the job is done", func(t *testing.T) {
		if _, err := b.OpenJobFile(ctx, j.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("OpenJobFile while running: %v", err)
		}
	})
	if ok, err := a.FinishJob(ctx, j.ID, j.Attempt, JobEnd{Done: 7, Total: 7, Size: size, Result: "xong", Ended: t0.Add(time.Minute)}, keepAll); !ok || err != nil {
		t.Fatalf("FinishJob = %v, %v", ok, err)
	}
	t.Run("another node reads back exactly the bytes written", func(t *testing.T) {
		f, err := b.OpenJobFile(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(f)
		if err != nil {
			t.Fatal(err)
		}
		if f.Size() != int64(len(content)) || !bytes.Equal(got, content) {
			t.Fatalf("read %d bytes (size %d), want %d equal", len(got), f.Size(), len(content))
		}
	})
	t.Run("the job says it is done, with its size and result", func(t *testing.T) {
		got, _ := b.Job(ctx, j.ID)
		if got.State != JobDone || got.Size != size || got.Result != "xong" || got.Done != 7 || got.Seq != 1 || !got.Ended.Equal(t0.Add(time.Minute)) {
			t.Errorf("job = %+v", got)
		}
	})
	t.Run("an empty file is done and reads as empty", func(t *testing.T) {
		queueJob(t, a, "empty", 1, t0)
		e, _ := a.ClaimJob(ctx, []string{"print"}, "a", t0, t0.Add(time.Hour), 3)
		if n, err := a.WriteJobFile(ctx, e.ID, e.Attempt, bytes.NewReader(nil)); n != 0 || err != nil {
			t.Fatalf("WriteJobFile = %d, %v", n, err)
		}
		a.FinishJob(ctx, e.ID, e.Attempt, JobEnd{Ended: t0}, keepAll)
		f, err := b.OpenJobFile(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := io.ReadAll(f); len(got) != 0 || err != nil {
			t.Errorf("read %d bytes, %v", len(got), err)
		}
	})
}

func TestAnAttemptThatLostItsJobLeavesNoFile(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	queueJob(t, db, "a", 1, t0)
	first, _ := db.ClaimJob(ctx, []string{"print"}, "n1", t0, t0.Add(time.Second), 3)
	if _, err := db.WriteJobFile(ctx, first.ID, first.Attempt, bytes.NewReader([]byte("cũ"))); err != nil {
		t.Fatal(err)
	}
	second, _ := db.ClaimJob(ctx, []string{"print"}, "n2", t0.Add(2*time.Second), t0.Add(time.Hour), 3)
	if _, err := db.WriteJobFile(ctx, second.ID, second.Attempt, bytes.NewReader([]byte("mới"))); err != nil {
		t.Fatal(err)
	}
	db.FinishJob(ctx, second.ID, second.Attempt, JobEnd{Done: 1, Total: 1, Size: int64(len("mới")), Ended: t0}, keepAll)
	f, err := db.OpenJobFile(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(f); string(got) != "mới" {
		t.Errorf("file = %q, want the finishing attempt's", got)
	}
	var chunks int
	if err := db.ReadRow(ctx, `SELECT count(*) FROM job_chunks`, nil, &chunks); err != nil || chunks != 1 {
		t.Errorf("%d chunks stored (%v), want only the finishing attempt's", chunks, err)
	}
}

func TestTrimmingFinishedJobs(t *testing.T) {
	ctx := context.Background()
	keep := JobKeep{TTL: time.Hour, PerUser: 2, Total: 3, MaxBytes: 100}
	// finish queues, runs and finishes a job of user with a file of size bytes at end.
	finish := func(t *testing.T, db *DB, id string, user int64, size int, end time.Time) {
		t.Helper()
		queueJob(t, db, id, user, t0)
		j, _ := db.ClaimJob(ctx, []string{"print"}, "n", t0, t0.Add(time.Hour), 3)
		db.WriteJobFile(ctx, j.ID, j.Attempt, bytes.NewReader(make([]byte, size)))
		if ok, err := db.FinishJob(ctx, j.ID, j.Attempt, JobEnd{Done: 1, Total: 1, Size: int64(size), Ended: end}, keepAll); !ok || err != nil {
			t.Fatalf("finish %s: %v %v", id, ok, err)
		}
	}
	remaining := func(t *testing.T, db *DB, ids ...string) {
		t.Helper()
		for _, id := range ids {
			if _, err := db.Job(ctx, id); err != nil {
				t.Errorf("job %s: %v", id, err)
			}
		}
		var n int
		db.ReadRow(ctx, `SELECT count(*) FROM jobs`, nil, &n)
		if n != len(ids) {
			t.Errorf("%d jobs left, want %d", n, len(ids))
		}
	}
	t.Run("the oldest jobs of a user beyond the per-user count go, with their chunks", func(t *testing.T) {
		db := openTest(t)
		for _, id := range []string{"a", "b", "c"} {
			finish(t, db, id, 1, 10, t0)
		}
		finish(t, db, "x", 2, 10, t0)
		if n, err := db.TrimJobs(ctx, t0, keep); n != 1 || err != nil {
			t.Fatalf("TrimJobs = %d, %v", n, err)
		}
		remaining(t, db, "b", "c", "x")
		var chunks int
		db.ReadRow(ctx, `SELECT count(*) FROM job_chunks WHERE job_id = 'a'`, nil, &chunks)
		if chunks != 0 {
			t.Errorf("%d chunks of a deleted job left", chunks)
		}
	})
	t.Run("over all users, by count and by bytes, the newest kept", func(t *testing.T) {
		db := openTest(t)
		finish(t, db, "a", 1, 10, t0)
		finish(t, db, "b", 2, 10, t0)
		finish(t, db, "c", 3, 10, t0)
		finish(t, db, "d", 4, 10, t0)
		db.TrimJobs(ctx, t0, keep)
		remaining(t, db, "b", "c", "d")
		finish(t, db, "big", 5, 95, t0)
		db.TrimJobs(ctx, t0, keep)
		remaining(t, db, "big")
	})
	t.Run("finishing a job trims in the same transaction", func(t *testing.T) {
		db := openTest(t)
		for _, id := range []string{"a", "b"} {
			finish(t, db, id, 1, 10, t0)
		}
		queueJob(t, db, "c", 1, t0)
		j, _ := db.ClaimJob(ctx, []string{"print"}, "n", t0, t0.Add(time.Hour), 3)
		if ok, err := db.FailJob(ctx, j.ID, j.Attempt, JobEnd{Error: "hỏng", Ended: t0}, keep); !ok || err != nil {
			t.Fatalf("FailJob = %v, %v", ok, err)
		}
		remaining(t, db, "b", "c")
	})
	t.Run("a job goes once its TTL has passed since it ended, a running one never", func(t *testing.T) {
		db := openTest(t)
		finish(t, db, "a", 1, 1, t0)
		queueJob(t, db, "running", 1, t0)
		db.ClaimJob(ctx, []string{"print"}, "n", t0, t0.Add(time.Hour), 3)
		queueJob(t, db, "queued", 2, t0)
		db.TrimJobs(ctx, t0.Add(time.Hour-time.Second), keep)
		remaining(t, db, "a", "running", "queued")
		db.TrimJobs(ctx, t0.Add(48*time.Hour), keep)
		remaining(t, db, "running", "queued")
	})
}

func TestUserJobsAreTheirOwnNewestFirst(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	queueJob(t, db, "a", 1, t0)
	queueJob(t, db, "b", 1, t0.Add(time.Second))
	queueJob(t, db, "c", 1, t0.Add(500*time.Millisecond)) // a fraction: stored text that does not sort
	queueJob(t, db, "x", 2, t0)
	got, err := db.UserJobs(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, j := range got {
		ids = append(ids, j.ID)
	}
	if fmt.Sprint(ids) != "[b c a]" {
		t.Errorf("user 1's jobs = %v, want [b c a]", ids)
	}
}

// BenchmarkJobFile stores a 16 MiB file as a job's and reads it back, as a finished print run
// of a large selection is stored by one node and downloaded from another.
func BenchmarkJobFile(b *testing.B) {
	db := openTest(b)
	ctx := context.Background()
	content := bytes.Repeat([]byte("phiếu in "), 16*JobChunk/len("phiếu in ")+1)[:16*JobChunk]
	b.SetBytes(int64(len(content)))
	for i := range b.N {
		id := fmt.Sprintf("j%d", i)
		if err := db.EnqueueJob(ctx, NewJob{ID: id, Kind: "print", Title: "x", FileName: "x.zip", UserID: 1, Started: t0}, 1, 1); err != nil {
			b.Fatal(err)
		}
		j, _ := db.ClaimJob(ctx, []string{"print"}, "n", t0, t0.Add(time.Hour), 3)
		size, err := db.WriteJobFile(ctx, j.ID, j.Attempt, bytes.NewReader(content))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.FinishJob(ctx, j.ID, j.Attempt, JobEnd{Size: size, Ended: t0}, JobKeep{TTL: time.Hour, PerUser: 1, Total: 1, MaxBytes: 1 << 40}); err != nil {
			b.Fatal(err)
		}
		f, err := db.OpenJobFile(ctx, j.ID)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := io.Copy(io.Discard, f); err != nil || n != size {
			b.Fatalf("read %d of %d: %v", n, size, err)
		}
	}
}
