package intake

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
)

// Keying is one keyer's keying of a paper form into a batch.
type Keying struct {
	Batch *store.Batch
	// Def is the effective definition; Layout the form's items for the batch's group and unit.
	Def     *campaign.Definition
	Layout  *paper.Layout
	KeyerID int64
	Code    string
	Entry   paper.Entry
	// DurationMS is the time spent keying, for the keyers' statistics.
	DurationMS int64
}

// Keyed is what became of a keying.
type Keyed struct {
	Outcome paper.Outcome
	// Differences are the items two keyings disagree on (Differs).
	Differences []paper.Difference
	// Answered is the channel of the response the code already had (Conflicting).
	Answered string
	// Receipt is the stored response's (Accepted); Valid and Reasons its verdict.
	Receipt *store.Receipt
	Valid   bool
	Reasons string
}

// maxAttempts bounds how often a keying is decided again because another writer changed its
// form's state meanwhile; each retry follows a write that made progress.
const maxAttempts = 8

// Check runs the immediate checks on a code typed into a batch (unknown, voided, online only,
// another batch, already keyed …); a refusal is a *paper.Refusal with the keyer's message.
func (s *Service) Check(ctx context.Context, b *store.Batch, def *campaign.Definition, code string, keyerID int64) (warnings []string, err error) {
	st, err := s.db.KeyingState(ctx, b.ID, code, keyerID)
	if err != nil {
		return nil, err
	}
	return paper.Admit(def, situation(st))
}

// FormLayout is the layout a code typed into a batch is keyed with: the batch's, except for a
// matrix form issued for a list of units (issue 12, item 6), which is keyed for those units
// only, as its respondent saw it online. A code the batch does not know keeps the batch's
// layout; the immediate checks refuse it.
func (s *Service) FormLayout(ctx context.Context, b *store.Batch, def *campaign.Definition, batch *paper.Layout, code string) (*paper.Layout, error) {
	st, err := s.db.KeyingState(ctx, b.ID, code, 0)
	if err != nil {
		return nil, err
	}
	if st.Form == nil || !batch.Matrix || len(st.Form.Units) == 0 || st.Form.Group != b.Group || st.Form.Unit != b.Unit {
		return batch, nil
	}
	l, err := paper.NewFormLayout(def, b.Group, b.Unit, st.Form.Units)
	if err != nil {
		return nil, fmt.Errorf("intake: layout of form %s: %w", code, err)
	}
	return l, nil
}

// Key stores a keying and decides what it does (domain.md, valid forms, rule 6): wait for the
// second keyer, verify the form and store its response, judged with the batch's receipt day as
// its arrival, send two differing keyings to a supervisor, or queue a keying of a code already
// answered through another channel. The decision is made on the state the store returns and
// stored under that state, decided again if it changed in between.
func (s *Service) Key(ctx context.Context, k Keying) (Keyed, error) {
	unitIDs, err := s.db.UnitIDs(ctx, k.Batch.CampaignID)
	if err != nil {
		return Keyed{}, err
	}
	nk := &store.NewKeying{BatchID: k.Batch.ID, KeyerID: k.KeyerID, Code: k.Code, Respondent: k.Layout.KeyedJSON(k.Entry),
		Digest: k.Entry.Digest(), DurationMS: k.DurationMS, Texts: k.Entry.Texts}
	for _, u := range k.Entry.Units {
		nk.Units = append(nk.Units, store.KeyingUnit{Unit: u.Unit, Answers: string(u.Answers)})
	}
	for attempt := 1; ; attempt++ {
		st, err := s.db.KeyingState(ctx, k.Batch.ID, k.Code, k.KeyerID)
		if err != nil {
			return Keyed{}, err
		}
		out, plan, err := decideKeying(k, st, unitIDs)
		if err != nil {
			return Keyed{}, err
		}
		saved, err := s.db.SaveKeying(ctx, nk, st, plan)
		if errors.Is(err, store.ErrStale) && attempt < maxAttempts {
			continue
		}
		if err != nil {
			return Keyed{}, err
		}
		out.Receipt = saved.Receipt
		return out, nil
	}
}

// decideKeying is double entry's decision on one state of the form.
func decideKeying(k Keying, st *store.KeyingState, unitIDs map[string]int64) (Keyed, *store.KeyingPlan, error) {
	sit := situation(st)
	if _, err := paper.Admit(k.Def, sit); err != nil {
		return Keyed{}, nil, err
	}
	var previous *paper.Entry
	if len(st.Others) > 0 {
		e, err := k.Layout.FromKeyed(st.Others[0].Respondent, st.Others[0].Answers)
		if err != nil {
			return Keyed{}, nil, err
		}
		previous = &e
	}
	outcome, diffs := paper.Decide(k.Def, k.Layout, sit, k.Entry, previous)
	out := Keyed{Outcome: outcome, Differences: diffs, Answered: sit.Answered}
	switch outcome {
	case paper.Accepted:
		sub := paperSubmission(k.Layout, k.Entry, k.Batch.ReceivedOn, unitIDs)
		facts := paper.Facts(sit, k.Entry, len(st.Others)+1, previous != nil, false)
		v := judge(k.Def, facts)
		v.record(sub, facts)
		out.Valid, out.Reasons = sub.Valid, sub.Reasons
		return out, &store.KeyingPlan{Submission: sub}, nil
	case paper.Differs:
		names := make([]string, len(diffs))
		for i, d := range diffs {
			names[i] = d.Item.Name
		}
		return out, &store.KeyingPlan{Conflict: store.ConflictKeyingsDiffer, ConflictDetail: map[string]any{"items": names}}, nil
	case paper.Conflicting:
		return out, &store.KeyingPlan{Conflict: store.ConflictAlreadyAnswered, ConflictDetail: map[string]any{"channel": sit.Answered}}, nil
	}
	return out, &store.KeyingPlan{}, nil
}

// situation turns what the database holds about a keyed code into the facts the immediate
// checks and double entry decide on.
func situation(st *store.KeyingState) paper.Situation {
	b := st.Batch
	s := paper.Situation{BatchID: b.ID, BatchGroup: b.Group, BatchUnit: b.Unit, ReceivedOn: b.ReceivedOn, BatchCount: b.Count, Locked: st.Locked}
	f := st.Form
	if f == nil {
		return s
	}
	s.Found, s.Voided, s.Group, s.Unit, s.Units = true, f.Voided(), f.Group, f.Unit, f.Units
	if st.FormBatch != 0 && st.FormBatch != b.ID {
		s.OtherBatch = st.FormBatch
	}
	s.BatchFull = st.FormBatch != b.ID && st.KeyedInBatch >= b.Count
	s.KeyedByMe = st.Mine != nil
	s.Keyings = len(st.Others)
	if st.Response != nil {
		s.Answered = st.Response.Channel
	}
	s.OpenConflict, s.KeptFirst = st.OpenConflict, st.KeptFirst
	return s
}

// paperSubmission builds the response of an accepted paper form; judge puts its verdict on it.
func paperSubmission(l *paper.Layout, e paper.Entry, receivedOn time.Time, unitIDs map[string]int64) *store.Submission {
	sub := &store.Submission{Channel: string(campaign.ChannelPaper), Digest: e.Digest(), Respondent: l.RespondentJSON(e), ReceivedAt: receivedOn}
	for _, u := range e.Units {
		sub.Answers = append(sub.Answers, store.UnitAnswers{UnitID: unitIDs[u.Unit], Answers: string(u.Answers)})
	}
	for _, it := range l.Items() { // open answers typed, in form order (paper.Entry.Texts)
		if text := e.Texts[it.Name]; text != "" {
			sub.Texts = append(sub.Texts, store.TextAnswer{UnitID: unitIDs[l.Units[it.Unit].Code], Question: l.Questions[it.Question].Code, Body: text})
		}
	}
	return sub
}

// errNoLayout wraps a queue item whose form has no layout (a definition changed under it).
func errNoLayout(id int64, err error) error {
	return fmt.Errorf("intake: layout of queue item %d: %w", id, err)
}
