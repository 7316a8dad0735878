package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestKeepFirstNeedsAResponseFromAnotherChannel(t *testing.T) {
	ctx := context.Background()
	f := newPaperFixture(t)
	a := strings.Repeat("1", f.answersPerUnit)
	code := f.codes[0]
	f.saveDecided(ctx, f.keying(code, f.k1, a), waitPlan)
	saved, err := f.saveDecided(ctx, f.keying(code, f.k2, "3"+a[1:]), func(*KeyingState) (*KeyingPlan, error) {
		return &KeyingPlan{Conflict: ConflictKeyingsDiffer}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	audited := func() int {
		var n int
		f.db.ReadRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'paper.keep_first'`, nil, &n)
		return n
	}

	t.Run("two differing keyings and no other response: refused, the item stays open and unchanged", func(t *testing.T) {
		err := f.db.KeepFirst(ctx, saved.ConflictID, f.supervisor, "bấm nhầm")
		if !errors.Is(err, ErrNothingToKeep) {
			t.Fatalf("err %v", err)
		}
		c, err := f.db.ConflictByID(ctx, saved.ConflictID)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Open() || c.Resolution != "" || c.Note != "" || c.ResolvedBy != "" || len(c.Keyings) != 2 || audited() != 0 {
			t.Fatalf("item %+v, %d audited", c, audited())
		}
	})
	t.Run("once the code is answered online, keeping that response closes the item", func(t *testing.T) {
		online := f.submission(a)
		online.Channel = "online"
		form, _ := f.db.FormByCode(ctx, code)
		online.FormID, online.CampaignID = form.ID, f.camp.ID
		if _, err := f.db.SaveSubmission(ctx, online); err != nil {
			t.Fatal(err)
		}
		if err := f.db.KeepFirst(ctx, saved.ConflictID, f.supervisor, "đã gửi trực tuyến"); err != nil {
			t.Fatal(err)
		}
		c, _ := f.db.ConflictByID(ctx, saved.ConflictID)
		if c.Open() || c.Resolution != "kept_first" || audited() != 1 {
			t.Fatalf("item %+v, %d audited", c, audited())
		}
	})
	t.Run("a paper response is not one to keep", func(t *testing.T) {
		code := f.codes[1]
		f.saveDecided(ctx, f.keying(code, f.k1, a), waitPlan)
		s, err := f.saveDecided(ctx, f.keying(code, f.k2, "3"+a[1:]), func(*KeyingState) (*KeyingPlan, error) {
			return &KeyingPlan{Conflict: ConflictKeyingsDiffer}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.Adjudicate(ctx, s.ConflictID, f.supervisor, f.submission(a), `[]`); err != nil {
			t.Fatal(err)
		}
		// A second item on the same form (as a keying after the decision would open) finds only
		// the paper response the adjudication stored.
		var id int64
		err = f.db.write.QueryRow(`INSERT INTO paper_conflicts (campaign_id, form_id, kind, detail, opened_at)
			SELECT campaign_id, form_id, 'already_answered', '{}', opened_at FROM paper_conflicts WHERE id = ? RETURNING id`, s.ConflictID).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.KeepFirst(ctx, id, f.supervisor, ""); !errors.Is(err, ErrNothingToKeep) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("an item already decided is refused as such", func(t *testing.T) {
		if err := f.db.KeepFirst(ctx, saved.ConflictID, f.supervisor, ""); !errors.Is(err, ErrResolved) {
			t.Fatalf("err %v", err)
		}
	})
}
