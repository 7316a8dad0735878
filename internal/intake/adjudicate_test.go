package intake_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
)

func TestAdjudicate(t *testing.T) {
	f := newFixture(t)
	b := f.batch("S2", "SNV", 15)
	l := f.layout("S2", "SNV")
	s2 := f.forms("S2", "SNV")
	k := f.keyers
	// differ keys a form twice, the second time with other marks on q_C1 and the sex field,
	// and returns its queue item.
	differ := func(form *store.IssuedForm) *store.Conflict {
		f.mustKey(b, nil, k[0], form.Code, entry(t, l, ones))
		out := f.mustKey(b, nil, k[1], form.Code, entry(t, l, except(ones, map[string]string{"q_C1": "2", "r_gioi_tinh": "2"})))
		if out.Outcome != paper.Differs || len(out.Differences) != 2 {
			t.Fatalf("keyed %+v", out)
		}
		return f.openItem(form.Code)
	}
	form := s2[0]
	item := differ(form)
	open := func() bool {
		return f.count(`SELECT count(*) FROM paper_conflicts WHERE id = ? AND resolved_at IS NULL`, item.ID) == 1
	}

	t.Run("two differing keyings are read back in the form's layout, oldest first", func(t *testing.T) {
		if !intake.Adjudicable(item) {
			t.Fatalf("item %+v is not adjudicable", item)
		}
		_, entries, err := intake.Entries(f.def(), item)
		if err != nil || len(entries) != 2 {
			t.Fatalf("entries %v, %v", entries, err)
		}
		if entries[0].Digest() != entry(t, l, ones).Digest() || entries[1].Units[0].Answers[0] != '2' || entries[1].Fields[0] != '2' {
			t.Fatalf("entries %+v", entries)
		}
	})

	for _, tc := range []struct {
		name   string
		chosen map[string]string
		field  string
	}{
		{"an undecided differing item is an Invalid error naming it", map[string]string{"q_C1": "3"}, "r_gioi_tinh"},
		{"a choice that is no mark is an Invalid error naming its item", map[string]string{"q_C1": "9", "r_gioi_tinh": "1"}, "q_C1"},
	} {
		t.Run(tc.name+" and stores nothing", func(t *testing.T) {
			_, err := f.svc.Adjudicate(f.ctx, intake.Adjudication{Item: item, Def: f.def(), Chosen: tc.chosen, UserID: f.supervisor})
			if names := fieldNames(t, err); len(names) != 1 || names[0] != tc.field {
				t.Fatalf("fields %v, want [%s]", names, tc.field)
			}
			if f.count(`SELECT count(*) FROM responses WHERE form_id = ?`, form.ID) != 0 || !open() {
				t.Fatal("something was stored")
			}
			if f.count(`SELECT count(*) FROM audit_log WHERE action = 'paper.adjudicate'`) != 0 {
				t.Fatal("audited")
			}
		})
	}

	t.Run("deciding every item stores the response, closes the item and writes an audit row", func(t *testing.T) {
		got, err := f.svc.Adjudicate(f.ctx, intake.Adjudication{Item: item, Def: f.def(),
			Chosen: map[string]string{"q_C1": "3", "r_gioi_tinh": "2"}, UserID: f.supervisor})
		if err != nil || got.Decisions != 2 || !got.Valid || got.Receipt.Number == "" {
			t.Fatalf("adjudicated %+v, err %v", got, err)
		}
		var channel, respondent, answers string
		if err := f.db.ReadRow(f.ctx, `SELECT r.channel, r.respondent, a.answers FROM responses r JOIN response_answers a ON a.response_id = r.id
			WHERE r.id = ? AND r.form_id = ? AND r.valid = 1 AND a.valid = 1`, []any{got.Receipt.ResponseID, form.ID}, &channel, &respondent, &answers); err != nil {
			t.Fatal(err)
		}
		if channel != "paper" || answers != "3"+strings.Repeat("1", 31) || !strings.Contains(respondent, `"gioi_tinh":"Nữ"`) {
			t.Fatalf("stored %s %s %s", channel, respondent, answers)
		}
		if f.count(`SELECT count(*) FROM paper_conflicts WHERE id = ? AND resolution = 'adjudicated' AND resolved_by = ? AND resolved_at IS NOT NULL`, item.ID, f.supervisor) != 1 {
			t.Fatal("the item is not closed as adjudicated")
		}
		if f.count(`SELECT count(*) FROM adjudications WHERE conflict_id = ? AND response_id = ? AND decided_by = ?`, item.ID, got.Receipt.ResponseID, f.supervisor) != 1 {
			t.Fatal("no adjudication row")
		}
		detail := f.text(`SELECT detail FROM audit_log WHERE action = 'paper.adjudicate' AND subject = ? AND user_id = ?`, form.Code, f.supervisor)
		if !strings.Contains(detail, `"item":"q_C1"`) || !strings.Contains(detail, `"chosen":"3"`) || !strings.Contains(detail, `"item":"r_gioi_tinh"`) {
			t.Fatalf("audit detail %s", detail)
		}
	})

	t.Run("an item resolved meanwhile is refused as resolved and stores nothing more", func(t *testing.T) {
		// item was read before the decision above, as a second supervisor's page would hold it.
		_, err := f.svc.Adjudicate(f.ctx, intake.Adjudication{Item: item, Def: f.def(),
			Chosen: map[string]string{"q_C1": "4", "r_gioi_tinh": "1"}, UserID: f.supervisor})
		if !errors.Is(err, store.ErrResolved) {
			t.Fatalf("stale item: %v", err)
		}
		fresh, err := f.db.ConflictByID(f.ctx, item.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Adjudicate(f.ctx, intake.Adjudication{Item: fresh, Def: f.def(),
			Chosen: map[string]string{"q_C1": "4", "r_gioi_tinh": "1"}, UserID: f.supervisor}); !errors.Is(err, store.ErrResolved) {
			t.Fatalf("fresh item: %v", err)
		}
		if f.count(`SELECT count(*) FROM responses WHERE form_id = ?`, form.ID) != 1 || f.count(`SELECT count(*) FROM adjudications`) != 1 {
			t.Fatal("stored twice")
		}
		if f.text(`SELECT answers FROM response_answers a JOIN responses r ON r.id = a.response_id WHERE r.form_id = ?`, form.ID)[0] != '3' {
			t.Fatal("the first decision was overwritten")
		}
	})

	t.Run("keeping the first response of differing keyings nobody answered otherwise is refused", func(t *testing.T) {
		other := differ(s2[1])
		err := f.svc.KeepFirst(f.ctx, other, f.supervisor, "giữ phiếu trước")
		if !errors.Is(err, store.ErrNothingToKeep) {
			t.Fatalf("err %v", err)
		}
		if f.count(`SELECT count(*) FROM paper_conflicts WHERE id = ? AND resolved_at IS NULL`, other.ID) != 1 {
			t.Fatal("the item was closed")
		}
		if f.count(`SELECT count(*) FROM responses WHERE form_id = ?`, s2[1].ID) != 0 || f.count(`SELECT count(*) FROM audit_log WHERE action = 'paper.keep_first'`) != 0 {
			t.Fatal("something was stored")
		}
	})
}

func TestKeepFirst(t *testing.T) {
	f := newFixture(t)
	// S5 answers online and on paper: its codes can come both ways.
	b := f.batch("S5", "SNV", 10)
	l := f.layout("S5", "SNV")
	s5 := f.forms("S5", "SNV")

	t.Run("a code keyed on paper after its online answer is closed by keeping the online response", func(t *testing.T) {
		form := s5[0]
		if _, err := f.svc.Submit(f.ctx, f.online(form, "sid-k0")); err != nil {
			t.Fatal(err)
		}
		f.mustKey(b, nil, f.keyers[0], form.Code, entry(t, l, ones))
		item := f.openItem(form.Code)
		if item.Kind != store.ConflictAlreadyAnswered || intake.Adjudicable(item) {
			t.Fatalf("item %+v", item)
		}
		if err := f.svc.KeepFirst(f.ctx, item, f.supervisor, "phiếu trực tuyến đến trước"); err != nil {
			t.Fatal(err)
		}
		if f.count(`SELECT count(*) FROM paper_conflicts WHERE id = ? AND resolution = 'kept_first' AND note = 'phiếu trực tuyến đến trước'`, item.ID) != 1 {
			t.Fatal("the item is not closed as kept first")
		}
		if f.count(`SELECT count(*) FROM responses WHERE form_id = ? AND channel = 'online'`, form.ID) != 1 || f.count(`SELECT count(*) FROM responses WHERE form_id = ?`, form.ID) != 1 {
			t.Fatal("the online response is not the one kept")
		}
		if f.count(`SELECT count(*) FROM audit_log WHERE action = 'paper.keep_first' AND subject = ?`, form.Code) != 1 {
			t.Fatal("not audited")
		}
		_, err := f.key(b, nil, f.keyers[1], form.Code, entry(t, l, ones))
		if code := refusal(t, err); code != paper.RefusedKeptFirst {
			t.Fatalf("keying it again: %s", code)
		}
	})

	t.Run("differing keyings of a code answered online meanwhile cannot be adjudicated, only kept first", func(t *testing.T) {
		form := s5[1]
		f.mustKey(b, nil, f.keyers[0], form.Code, entry(t, l, ones))
		f.mustKey(b, nil, f.keyers[1], form.Code, entry(t, l, except(ones, map[string]string{"q_C2": "3"})))
		if _, err := f.svc.Submit(f.ctx, f.online(form, "sid-k1")); err != nil {
			t.Fatal(err)
		}
		item := f.openItem(form.Code)
		if intake.Adjudicable(item) {
			t.Fatal("an item whose code has a response is adjudicable")
		}
		_, err := f.svc.Adjudicate(f.ctx, intake.Adjudication{Item: item, Def: f.def(), Chosen: map[string]string{"q_C2": "3"}, UserID: f.supervisor})
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("adjudicate: %v", err)
		}
		if f.count(`SELECT count(*) FROM responses WHERE form_id = ? AND channel = 'paper'`, form.ID) != 0 {
			t.Fatal("a paper response was stored")
		}
		if err := f.svc.KeepFirst(f.ctx, item, f.supervisor, ""); err != nil {
			t.Fatal(err)
		}
		if f.count(`SELECT count(*) FROM paper_conflicts WHERE id = ? AND resolution = 'kept_first'`, item.ID) != 1 {
			t.Fatal("not closed")
		}
	})
}
