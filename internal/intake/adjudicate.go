package intake

import (
	"context"
	"encoding/json"
	"maps"
	"slices"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
)

// Adjudication is a supervisor's decision on two differing keyings of a paper form: for each
// differing item, by its name, the mark the paper form shows.
type Adjudication struct {
	Item   *store.Conflict
	Def    *campaign.Definition
	Chosen map[string]string
	UserID int64
}

// Adjudicated is what an adjudication stored.
type Adjudicated struct {
	Receipt   store.Receipt
	Decisions int
	Valid     bool
}

// Entries reads the keyings of a queue item in its form's layout, oldest first.
func Entries(def *campaign.Definition, item *store.Conflict) (*paper.Layout, []paper.Entry, error) {
	l, err := paper.NewLayout(def, item.Group, item.Unit)
	if err != nil {
		return nil, nil, errNoLayout(item.ID, err)
	}
	// A matrix form issued for a list of units was keyed for those units (FormLayout).
	if l.Matrix && len(item.Keyings) > 0 && len(item.Keyings[0].Answers) < len(l.Units) {
		if l, err = paper.NewFormLayout(def, item.Group, item.Unit, slices.Collect(maps.Keys(item.Keyings[0].Answers))); err != nil {
			return nil, nil, errNoLayout(item.ID, err)
		}
	}
	var entries []paper.Entry
	for _, k := range item.Keyings {
		e, err := l.FromKeyed(k.Respondent, k.Answers)
		if err != nil {
			return nil, nil, err
		}
		e.Texts = k.Texts // open answers typed (paper.Entry.Texts)
		entries = append(entries, e)
	}
	return l, entries, nil
}

// Adjudicable reports whether a queue item can be decided item by item: two differing keyings
// still open, with no response from another channel in the meantime.
func Adjudicable(item *store.Conflict) bool {
	return item.Open() && item.Kind == store.ConflictKeyingsDiffer && len(item.Keyings) == 2 && item.Response == nil
}

// Adjudicate stores the form as the supervisor decided it, judged like a keyed form that a
// supervisor resolved (domain.md, valid forms, rule 6), and closes the queue item; the decisions
// go to the audit log. A differing item left undecided is an Invalid error naming it. An item
// that cannot be adjudicated (not two differing keyings, or answered meanwhile) is
// store.ErrConflict; one decided meanwhile is store.ErrResolved.
func (s *Service) Adjudicate(ctx context.Context, a Adjudication) (Adjudicated, error) {
	if !a.Item.Open() {
		return Adjudicated{}, store.ErrResolved
	}
	if !Adjudicable(a.Item) {
		return Adjudicated{}, store.ErrConflict
	}
	l, entries, err := Entries(a.Def, a.Item)
	if err != nil {
		return Adjudicated{}, err
	}
	final, decisions, probs := l.Adjudicate(entries[0], entries[1], a.Chosen)
	if len(probs) > 0 {
		fields := make([]fault.Field, len(probs))
		for i, p := range probs {
			fields[i] = fault.Field{Name: p.Name, Msg: p.Msg}
		}
		return Adjudicated{}, fault.Fields("", fields...)
	}
	unitIDs, err := s.db.UnitIDs(ctx, a.Item.CampaignID)
	if err != nil {
		return Adjudicated{}, err
	}
	sit := paper.Situation{Found: true, Group: a.Item.Group, Unit: a.Item.Unit, Units: l.Issued, ReceivedOn: a.Item.Batch.ReceivedOn}
	sub := paperSubmission(l, final, a.Item.Batch.ReceivedOn, unitIDs)
	facts := paper.Facts(sit, final, len(entries), false, true)
	judge(a.Def, facts).record(sub, facts)
	body, err := json.Marshal(decisions)
	if err != nil {
		return Adjudicated{}, err
	}
	r, err := s.db.Adjudicate(ctx, a.Item.ID, a.UserID, sub, string(body))
	if err != nil {
		return Adjudicated{}, err
	}
	return Adjudicated{Receipt: r, Decisions: len(decisions), Valid: sub.Valid}, nil
}

// KeepFirst closes a queue item by keeping the response another channel stored first for the
// code; the paper keyings stay stored and never count. An item with no such response is
// store.ErrNothingToKeep.
func (s *Service) KeepFirst(ctx context.Context, item *store.Conflict, userID int64, note string) error {
	return s.db.KeepFirst(ctx, item.ID, userID, note)
}
