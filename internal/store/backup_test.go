package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

func TestABackupTakenDuringSubmissionsRestoresIntact(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "live.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	camp, _, err := db.SaveDefinition(ctx, demo(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Issue(ctx, camp.ID, 0, []campaign.IssueTarget{{Group: "S2", Unit: "SNV", Channel: campaign.ChannelOnline, Quota: 600}}); err != nil {
		t.Fatal(err)
	}
	var forms []*IssuedForm
	db.Forms(ctx, camp.ID, FormFilter{}, func(f *IssuedForm) error { forms = append(forms, f); return nil })
	ids, _ := db.UnitIDs(ctx, camp.ID)
	answers := strings.Repeat("1", len(camp.Def.Questionnaire("CH2").Questions()))

	c := db.NewCommitter()
	defer c.Close()
	var acked atomic.Int64
	var next atomic.Int64
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for {
				i := int(next.Add(1)) - 1
				if i >= len(forms) {
					return
				}
				_, err := c.Submit(ctx, &Submission{FormID: forms[i].ID, CampaignID: camp.ID, Channel: "online",
					SubmissionID: fmt.Sprintf("sid-%d", i), Digest: fmt.Sprint(i), Respondent: "{}", ReceivedAt: db.Now(),
					Valid: true, Reasons: "[]", Answers: []UnitAnswers{{UnitID: ids["SNV"], Answers: answers, Valid: true}}})
				if err != nil {
					t.Error(err)
					return
				}
				acked.Add(1)
			}
		}()
	}
	close(start)
	for acked.Load() < 150 { // let a good share be acknowledged before the backup starts
		time.Sleep(time.Millisecond)
	}
	before := acked.Load()
	backup := filepath.Join(dir, "backup", "parsurvey.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := Check(backup); err != nil {
		t.Fatal(err)
	}

	restored := filepath.Join(dir, "restored.db")
	if err := Restore(backup, restored); err != nil {
		t.Fatal(err)
	}
	r, err := Open(restored)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var responses, rows, halfStored, audits, liveAudits int
	r.ReadRow(ctx, `SELECT count(*) FROM responses`, nil, &responses)
	r.ReadRow(ctx, `SELECT count(*) FROM response_answers`, nil, &rows)
	r.ReadRow(ctx, `SELECT count(*) FROM responses WHERE id NOT IN (SELECT response_id FROM response_answers)`, nil, &halfStored)
	r.ReadRow(ctx, `SELECT count(*) FROM audit_log`, nil, &audits)
	db.ReadRow(ctx, `SELECT count(*) FROM audit_log`, nil, &liveAudits)
	if int64(responses) < before || responses > len(forms) || rows != responses || halfStored != 0 {
		t.Fatalf("backup holds %d responses (%d answer rows, %d half stored); %d were acknowledged before it began", responses, rows, halfStored, before)
	}
	if audits == 0 || audits > liveAudits {
		t.Fatalf("backup holds %d audit rows, the live database %d", audits, liveAudits)
	}
	t.Logf("%d responses acknowledged before the backup began, %d in it, %d in all", before, responses, acked.Load())

	t.Run("a backup is never written over an existing file", func(t *testing.T) {
		if err := db.Backup(ctx, backup); err == nil {
			t.Fatal("backup overwrote its earlier copy")
		}
	})
	t.Run("a restore refuses a database a running service holds", func(t *testing.T) {
		lock, err := LockFile(restored)
		if err != nil {
			t.Fatal(err)
		}
		defer lock.Release()
		if err := Restore(backup, restored); !errors.Is(err, ErrInUse) {
			t.Fatalf("Restore under a running service: %v", err)
		}
	})
	t.Run("a restore refuses a damaged backup and leaves the database as it was", func(t *testing.T) {
		damaged := filepath.Join(dir, "damaged.db")
		b, _ := os.ReadFile(backup)
		for i := 4096; i < len(b) && i < 4096*6; i++ {
			b[i] ^= 0x5a
		}
		os.WriteFile(damaged, b, 0o644)
		target := filepath.Join(dir, "target.db")
		os.WriteFile(target, []byte("old"), 0o644)
		if err := Restore(damaged, target); err == nil {
			t.Fatal("a damaged backup was restored")
		}
		if got, _ := os.ReadFile(target); string(got) != "old" {
			t.Fatal("the refused restore changed the target")
		}
	})
	t.Run("a file that is not a parsurvey database is refused", func(t *testing.T) {
		other := filepath.Join(dir, "other.db")
		os.WriteFile(other, []byte("not sqlite"), 0o644)
		if err := Check(other); err == nil {
			t.Fatal("Check accepted a non-database")
		}
	})
}

func TestABackupLeavesThePrintRunsOut(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "live.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	queueJob(t, db, "in", 1, t0)
	j, err := db.ClaimJob(ctx, []string{"print"}, "a", t0, t0.Add(time.Hour), 3)
	if err != nil {
		t.Fatal(err)
	}
	pdf := strings.Repeat("%PDF phiếu có đường dẫn dùng một lần\n", 200000) // 8 MB
	size, err := db.WriteJobFile(ctx, j.ID, j.Attempt, strings.NewReader(pdf))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := db.FinishJob(ctx, j.ID, j.Attempt, JobEnd{Size: size, Ended: t0}, keepAll); !ok || err != nil {
		t.Fatalf("FinishJob = %v, %v", ok, err)
	}
	to := filepath.Join(dir, "copy.db")
	if err := db.Backup(ctx, to); err != nil {
		t.Fatal(err)
	}
	if err := Check(to); err != nil {
		t.Fatalf("the copy fails its check: %v", err)
	}
	c, err := Open(to)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var jobs, chunks int
	if err := c.ReadRow(ctx, `SELECT (SELECT count(*) FROM jobs), (SELECT count(*) FROM job_chunks)`, nil, &jobs, &chunks); err != nil || jobs != 0 || chunks != 0 {
		t.Fatalf("the copy holds %d jobs and %d chunks, %v", jobs, chunks, err)
	}
	if st, err := os.Stat(to); err != nil || st.Size() > 4<<20 {
		t.Fatalf("the copy is %v bytes, %v: the print run's pages are still in it", st.Size(), err)
	}
	if f, err := db.OpenJobFile(ctx, j.ID); err != nil || f.Size() != size {
		t.Fatalf("the live database lost the print run: %v", err)
	}
}
