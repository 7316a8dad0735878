package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func listOf(group, unit string, people ...NewRespondent) RespondentList {
	return RespondentList{Group: group, Unit: unit, File: "ds.xlsx", People: people}
}

func TestRespondentLists(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	c, _, err := db.SaveDefinition(ctx, demo(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	count := func(q string) int {
		var n int
		if err := db.ReadRow(ctx, q, nil, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	an := NewRespondent{Line: 2, Name: "Nguyễn Văn An", Phone: "0912345678", Email: "an@x.vn"}
	binh := NewRespondent{Line: 3, Name: "Trần Thị Bình", Email: "binh@x.vn"}

	t.Run("each person is stored with a new online form, in one audited transaction", func(t *testing.T) {
		if n, err := db.AddRespondents(ctx, c.ID, 0, listOf("S3", "STP", an, binh)); err != nil || n != 2 {
			t.Fatal(n, err)
		}
		if n := count(`SELECT count(*) FROM issued_forms f JOIN respondents p ON p.form_id = f.id WHERE f.channel = 'online' AND f.reserve = 0`); n != 2 {
			t.Errorf("%d forms of the list", n)
		}
		if n := count(`SELECT count(*) FROM audit_log WHERE action = 'respondents.import' AND subject = 'S3/STP' AND detail NOT LIKE '%Nguyễn%'`); n != 1 {
			t.Errorf("%d audit entries without names", n)
		}
	})

	t.Run("a person already on the list rolls the whole list back, forms included", func(t *testing.T) {
		forms := count(`SELECT count(*) FROM issued_forms`)
		again := NewRespondent{Line: 7, Name: "Người khác", Email: "an@x.vn"}
		_, err := db.AddRespondents(ctx, c.ID, 0, listOf("S3", "STP", NewRespondent{Line: 6, Name: "Mới", Email: "moi@x.vn"}, again))
		var taken *ContactTakenError
		if !errors.As(err, &taken) || taken.Line != 7 || taken.Column != "email" {
			t.Fatalf("err = %v", err)
		}
		if n := count(`SELECT count(*) FROM respondents`); n != 2 {
			t.Errorf("%d people", n)
		}
		if n := count(`SELECT count(*) FROM issued_forms`); n != forms {
			t.Errorf("%d forms, want %d", n, forms)
		}
	})

	t.Run("the same person may be on the list of another unit", func(t *testing.T) {
		if _, err := db.AddRespondents(ctx, c.ID, 0, listOf("S3", "SNV", an)); err != nil {
			t.Fatal(err)
		}
	})

	people, err := db.Respondents(ctx, c.ID, ListFilter{Group: "S3", Unit: "STP"})
	if err != nil || len(people) != 2 {
		t.Fatal(people, err)
	}

	t.Run("opening a link is recorded once, for a listed person's form only", func(t *testing.T) {
		db.MarkOpened(ctx, people[0].FormID)
		db.MarkOpened(ctx, people[0].FormID+1000)
		for end := time.Now().Add(5 * time.Second); count(`SELECT count(*) FROM respondents WHERE opened_at IS NOT NULL`) == 0 && time.Now().Before(end); {
			time.Sleep(5 * time.Millisecond)
		}
		lc, err := db.ListCounts(ctx, c.ID)
		if err != nil || len(lc) != 2 || lc[1].Unit != "STP" || lc[1].Opened != 1 || lc[1].Listed != 2 {
			t.Errorf("counts %+v, err %v", lc, err)
		}
	})

	t.Run("sent messages and queued e-mails make each person's history", func(t *testing.T) {
		if n, err := db.RecordSent(ctx, c.ID, 0, "invitation", "zalo", []int64{people[0].ID, 99999}); err != nil || n != 1 {
			t.Fatalf("recorded %d, err %v: a person of no list is skipped", n, err)
		}
		id, n, err := db.QueueEmails(ctx, c.ID, 0, "invitation", "S3/STP", []int64{people[0].ID, people[1].ID})
		if err != nil || n != 2 {
			t.Fatal(n, err)
		}
		if _, n, _ := db.QueueEmails(ctx, c.ID, 0, "reminder", "", []int64{people[0].ID}); n != 0 {
			t.Errorf("a second e-mail was queued while one waits")
		}
		due, err := db.DueEmails(ctx, time.Now(), 10)
		if err != nil || len(due) != 2 || due[0].Email != "an@x.vn" || due[0].Token == "" {
			t.Fatalf("due %+v, err %v", due, err)
		}
		later := time.Now().Add(time.Hour)
		if err := db.SaveEmailOutcomes(ctx, []EmailOutcome{{ID: due[0].ID, Status: "sent"}, {ID: due[1].ID, Status: "queued", Error: "451", NextAt: later}}); err != nil {
			t.Fatal(err)
		}
		if due, _ := db.DueEmails(ctx, time.Now(), 10); len(due) != 0 {
			t.Errorf("an e-mail to retry later is due now: %+v", due)
		}
		if next, ok, _ := db.NextQueued(ctx); !ok || next.Sub(later).Abs() > time.Second {
			t.Errorf("next %v %v", next, ok)
		}
		s, err := db.SendProgress(ctx, c.ID, id)
		if err != nil || s.Sent != 1 || s.Queued != 1 || s.Total() != 2 {
			t.Errorf("send %+v, err %v", s, err)
		}
		people, _ := db.Respondents(ctx, c.ID, ListFilter{Group: "S3", Unit: "STP"})
		if h := people[0].History; len(h) != 2 || h[0].Channel != "zalo" || h[1].Status != "sent" || h[1].Attempts != 1 {
			t.Errorf("history %+v", h)
		}
	})

	t.Run("destroying the lists deletes every person and message, and is audited", func(t *testing.T) {
		d, err := db.DestroyRespondents(ctx, c.ID, 0)
		if err != nil || d.People != 3 || d.Messages != 3 {
			t.Fatalf("destroyed %+v, err %v", d, err)
		}
		for _, table := range []string{"respondents", "outreach_messages", "outreach_sends"} {
			if n := count(`SELECT count(*) FROM ` + table); n != 0 {
				t.Errorf("%d rows left in %s", n, table)
			}
		}
		got, ok, err := db.ListsDestroyed(ctx, c.ID)
		if err != nil || !ok || got.People != 3 || got.Messages != 3 {
			t.Errorf("ListsDestroyed = %+v, %v, %v", got, ok, err)
		}
		var sd int
		db.write.QueryRow(`PRAGMA secure_delete`).Scan(&sd)
		if sd != 0 {
			t.Errorf("secure_delete left at %d on the writer", sd)
		}
	})

	t.Run("a locked campaign takes no list", func(t *testing.T) {
		if err := db.LockCampaign(ctx, c.ID, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddRespondents(ctx, c.ID, 0, listOf("S3", "STP", an)); !errors.Is(err, ErrListClosed) {
			t.Errorf("err = %v", err)
		}
	})
}

// BenchmarkMarkOpened is what the respondent's page pays for tracking when the form is on no
// list, the common case: one indexed read.
func BenchmarkMarkOpened(b *testing.B) {
	ctx := context.Background()
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		db.MarkOpened(ctx, int64(i))
	}
}
