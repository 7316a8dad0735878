package intake_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
)

// refusal returns the code of a keyer's refusal, failing the test on any other error.
func refusal(t *testing.T, err error) string {
	t.Helper()
	var r *paper.Refusal
	if !errors.As(err, &r) {
		t.Fatalf("want a refusal, got %v", err)
	}
	return r.Code
}

func TestKeyDoubleEntry(t *testing.T) {
	f := newFixture(t)
	b := f.batch("S2", "SNV", 15)
	l := f.layout("S2", "SNV") // CH2: 5 respondent fields and 32 questions
	codes := []string{}
	ids := map[string]int64{}
	for _, x := range f.forms("S2", "SNV") {
		codes = append(codes, x.Code)
		ids[x.Code] = x.ID
	}
	k := f.keyers
	keyings := func(code string) int { return f.count(`SELECT count(*) FROM keyings WHERE form_id = ?`, ids[code]) }
	responses := func(code string) int { return f.count(`SELECT count(*) FROM responses WHERE form_id = ?`, ids[code]) }

	t.Run("the first keying waits for a second keyer and stores no response", func(t *testing.T) {
		out := f.mustKey(b, nil, k[0], codes[0], entry(t, l, ones))
		if out.Outcome != paper.Waiting || out.Receipt != nil {
			t.Fatalf("keyed %+v", out)
		}
		if keyings(codes[0]) != 1 || responses(codes[0]) != 0 {
			t.Fatalf("%d keyings, %d responses", keyings(codes[0]), responses(codes[0]))
		}
		if f.count(`SELECT count(*) FROM keyings WHERE form_id = ? AND keyer_id = ? AND batch_id = ? AND duration_ms = 15000`, ids[codes[0]], k[0], b.ID) != 1 {
			t.Fatal("the keying is not stored as keyed")
		}
	})

	t.Run("a second equal keying by another keyer verifies the form and stores one valid paper response", func(t *testing.T) {
		out := f.mustKey(b, nil, k[1], codes[0], entry(t, l, ones))
		if out.Outcome != paper.Accepted || out.Receipt == nil || !out.Valid || out.Reasons != "[]" {
			t.Fatalf("keyed %+v", out)
		}
		var channel, received, answers string
		if err := f.db.ReadRow(f.ctx, `SELECT r.channel, r.received_at, a.answers FROM responses r JOIN response_answers a ON a.response_id = r.id
			WHERE r.id = ? AND r.form_id = ? AND r.valid = 1 AND a.valid = 1`, []any{out.Receipt.ResponseID, ids[codes[0]]}, &channel, &received, &answers); err != nil {
			t.Fatal(err)
		}
		if at, _ := time.Parse(time.RFC3339Nano, received); channel != "paper" || !at.Equal(paperDay) || answers != strings.Repeat("1", 32) {
			t.Fatalf("stored %s received %s answers %s", channel, received, answers)
		}
		if keyings(codes[0]) != 2 || responses(codes[0]) != 1 {
			t.Fatalf("%d keyings, %d responses", keyings(codes[0]), responses(codes[0]))
		}
		if got, _ := f.db.BatchByID(f.ctx, b.ID); got.Keyed != 1 || got.Verified != 1 {
			t.Fatalf("batch %+v", got)
		}
	})

	t.Run("a third keying of a verified form is refused", func(t *testing.T) {
		_, err := f.key(b, nil, k[2], codes[0], entry(t, l, ones))
		if code := refusal(t, err); code != paper.RefusedVerified {
			t.Fatalf("refused %s", code)
		}
		if keyings(codes[0]) != 2 {
			t.Fatal("a third keying was stored")
		}
	})

	t.Run("a differing second keying opens a keyings_differ queue item and stores no response", func(t *testing.T) {
		f.mustKey(b, nil, k[0], codes[1], entry(t, l, ones))
		out := f.mustKey(b, nil, k[1], codes[1], entry(t, l, except(ones, map[string]string{"q_C7": "2"})))
		if out.Outcome != paper.Differs || out.Receipt != nil || len(out.Differences) != 1 || out.Differences[0].Item.Name != "q_C7" {
			t.Fatalf("keyed %+v", out)
		}
		detail := f.text(`SELECT detail FROM paper_conflicts WHERE form_id = ? AND kind = 'keyings_differ' AND resolved_at IS NULL`, ids[codes[1]])
		if !strings.Contains(detail, "q_C7") {
			t.Fatalf("detail %s", detail)
		}
		if keyings(codes[1]) != 2 || responses(codes[1]) != 0 {
			t.Fatalf("%d keyings, %d responses", keyings(codes[1]), responses(codes[1]))
		}
		_, err := f.key(b, nil, k[2], codes[1], entry(t, l, ones))
		if code := refusal(t, err); code != paper.RefusedInReview {
			t.Fatalf("a third keyer while it waits: %s", code)
		}
	})

	t.Run("the same keyer keying a form twice is refused", func(t *testing.T) {
		f.mustKey(b, nil, k[0], codes[2], entry(t, l, ones))
		_, err := f.svc.Check(f.ctx, b, f.def(), codes[2], k[0])
		if code := refusal(t, err); code != paper.RefusedKeyedByYou {
			t.Fatalf("check: refused %s", code)
		}
		_, err = f.key(b, nil, k[0], codes[2], entry(t, l, ones))
		if code := refusal(t, err); code != paper.RefusedKeyedByYou {
			t.Fatalf("key: refused %s", code)
		}
		if keyings(codes[2]) != 1 || responses(codes[2]) != 0 {
			t.Fatalf("%d keyings, %d responses", keyings(codes[2]), responses(codes[2]))
		}
	})

	t.Run("a code that was never issued is refused before anything is stored", func(t *testing.T) {
		_, err := f.key(b, nil, k[0], formcode.New("S2", "SNV", 99), entry(t, l, ones))
		if code := refusal(t, err); code != paper.RefusedUnknown {
			t.Fatalf("refused %s", code)
		}
		if n := f.count(`SELECT count(*) FROM keyings`); n != 5 {
			t.Fatalf("%d keyings", n)
		}
	})

	t.Run("a code answered online goes to the conflict queue and its response stays the online one", func(t *testing.T) {
		s5 := f.forms("S5", "SNV")[0] // S5 answers online and on paper
		if _, err := f.svc.Submit(f.ctx, f.online(s5, "sid-s5")); err != nil {
			t.Fatal(err)
		}
		b5 := f.batch("S5", "SNV", 5)
		l5 := f.layout("S5", "SNV")
		warnings, err := f.svc.Check(f.ctx, b5, f.def(), s5.Code, k[0])
		if err != nil || len(warnings) != 1 || !strings.Contains(warnings[0], "trực tuyến") {
			t.Fatalf("check: %v, %v", warnings, err)
		}
		out := f.mustKey(b5, nil, k[0], s5.Code, entry(t, l5, ones))
		if out.Outcome != paper.Conflicting || out.Answered != "online" || out.Receipt != nil {
			t.Fatalf("keyed %+v", out)
		}
		if f.count(`SELECT count(*) FROM paper_conflicts WHERE form_id = ? AND kind = 'already_answered' AND resolved_at IS NULL`, s5.ID) != 1 {
			t.Fatal("no open already_answered item")
		}
		if f.count(`SELECT count(*) FROM responses WHERE form_id = ? AND channel = 'online'`, s5.ID) != 1 ||
			f.count(`SELECT count(*) FROM responses WHERE form_id = ?`, s5.ID) != 1 {
			t.Fatal("the form's response is not the online one alone")
		}
		if f.count(`SELECT count(*) FROM keyings WHERE form_id = ?`, s5.ID) != 1 {
			t.Fatal("the keying is not kept")
		}
	})
}

func TestKeySingleEntry(t *testing.T) {
	f := newFixture(t)
	rv := f.changeRules(func(e *campaign.Effective) { e.DoubleEntry = false })
	if rv.Judged != 0 {
		t.Fatalf("judged %d with nothing stored", rv.Judged)
	}
	b := f.batch("S2", "SNV", 15)
	l := f.layout("S2", "SNV")
	form := f.forms("S2", "SNV")[0]

	t.Run("with double entry off the first keying is accepted", func(t *testing.T) {
		out := f.mustKey(b, nil, f.keyers[0], form.Code, entry(t, l, ones))
		if out.Outcome != paper.Accepted || out.Receipt == nil || !out.Valid {
			t.Fatalf("keyed %+v", out)
		}
		if f.count(`SELECT count(*) FROM responses WHERE form_id = ? AND channel = 'paper' AND valid = 1`, form.ID) != 1 {
			t.Fatal("no valid paper response")
		}
		if f.count(`SELECT count(*) FROM keyings WHERE form_id = ?`, form.ID) != 1 {
			t.Fatal("not one keying")
		}
	})

	t.Run("another keying of it is refused", func(t *testing.T) {
		_, err := f.key(b, nil, f.keyers[1], form.Code, entry(t, l, ones))
		if code := refusal(t, err); code != paper.RefusedVerified {
			t.Fatalf("refused %s", code)
		}
		if f.count(`SELECT count(*) FROM keyings WHERE form_id = ?`, form.ID) != 1 {
			t.Fatal("a second keying was stored")
		}
	})
}

func TestKeyConcurrently(t *testing.T) {
	f := newFixture(t)
	b := f.batch("S2", "SNV", 15)
	def := f.def()
	l := f.layout("S2", "SNV")
	e := entry(t, l, ones)
	for _, form := range f.forms("S2", "SNV")[:3] {
		t.Run("eight keyers keying "+form.Code+" at once store two keyings and one response", func(t *testing.T) {
			type result struct {
				out intake.Keyed
				err error
			}
			results := make([]result, len(f.keyers))
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i, keyer := range f.keyers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					out, err := f.svc.Key(f.ctx, intake.Keying{Batch: b, Def: def, Layout: l, KeyerID: keyer, Code: form.Code, Entry: e})
					results[i] = result{out, err}
				}()
			}
			close(start)
			wg.Wait()
			outcomes := map[paper.Outcome]int{}
			for _, r := range results {
				if r.err != nil {
					// Every loser is told why by the immediate checks, never left with a stale state.
					if errors.Is(r.err, store.ErrStale) {
						t.Fatalf("a keying ran out of attempts: %v", r.err)
					}
					if code := refusal(t, r.err); code != paper.RefusedVerified && code != paper.RefusedComplete {
						t.Fatalf("refused %s", code)
					}
					continue
				}
				outcomes[r.out.Outcome]++
			}
			if outcomes[paper.Waiting] != 1 || outcomes[paper.Accepted] != 1 || len(outcomes) != 2 {
				t.Fatalf("outcomes %v", outcomes)
			}
			if n := f.count(`SELECT count(*) FROM keyings WHERE form_id = ?`, form.ID); n != 2 {
				t.Fatalf("%d keyings", n)
			}
			if n := f.count(`SELECT count(*) FROM responses WHERE form_id = ? AND valid = 1`, form.ID); n != 1 {
				t.Fatalf("%d valid responses", n)
			}
			if n := f.count(`SELECT count(*) FROM paper_conflicts WHERE form_id = ?`, form.ID); n != 0 {
				t.Fatalf("%d queue items", n)
			}
		})
	}
}

func TestKeyAcrossDoubleEntryChange(t *testing.T) {
	f := newFixture(t)
	b := f.batch("S2", "SNV", 15)
	l := f.layout("S2", "SNV")
	form := f.forms("S2", "SNV")[0]
	if out := f.mustKey(b, nil, f.keyers[0], form.Code, entry(t, l, ones)); out.Outcome != paper.Waiting {
		t.Fatalf("keyed %+v", out)
	}
	// ChangeSettings leaves "paper forms between keyings to their flow"; that flow must still
	// be able to store the form once a second keying is no longer needed.
	f.changeRules(func(e *campaign.Effective) { e.DoubleEntry = false })

	t.Run("a form waiting for its second keying when double entry is turned off can still be stored", func(t *testing.T) {
		out, err := f.key(b, nil, f.keyers[1], form.Code, entry(t, l, ones))
		if err != nil || out.Outcome != paper.Accepted || out.Receipt == nil {
			_, again := f.svc.Check(f.ctx, b, f.def(), form.Code, f.keyers[0])
			t.Errorf("a second keyer gets %+v, %v; the first keyer gets %v", out, err, again)
		}
		if n := f.count(`SELECT count(*) FROM responses WHERE form_id = ?`, form.ID); n != 1 {
			t.Errorf("the form has %d keyings and %d responses", f.count(`SELECT count(*) FROM keyings WHERE form_id = ?`, form.ID), n)
		}
	})
}
