package intake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
)

// Revalidation sums up judging a campaign's responses again.
type Revalidation struct {
	// Judged is how many responses were judged; Changed how many got a different verdict.
	Judged, Changed int
	// ValidBefore and ValidAfter count the valid responses among those judged.
	ValidBefore, ValidAfter int
}

// ChangeSettings stores new settings for a campaign. When they change a valid-form rule, every
// stored response is judged again under them and the changed verdicts are stored in the same
// write transaction as the settings; either way the change is audited with the settings before
// and after. Responses awaiting a verdict (paper forms between keyings) are left to their flow.
func ChangeSettings(ctx context.Context, db *store.DB, campaignID, userID int64, next campaign.Effective) (Revalidation, error) {
	for attempt := 0; ; attempt++ {
		rv, err := changeSettings(ctx, db, campaignID, userID, next)
		if errors.Is(err, store.ErrSettingsChanged) && attempt < 2 {
			continue // someone else saved settings meanwhile: judge again under theirs and ours
		}
		return rv, err
	}
}

func changeSettings(ctx context.Context, db *store.DB, campaignID, userID int64, next campaign.Effective) (Revalidation, error) {
	var out Revalidation
	camp, err := db.Campaign(ctx, campaignID)
	if err != nil {
		return out, fmt.Errorf("intake: campaign %d: %w", campaignID, err)
	}
	if problems := next.Check(camp.Def); len(problems) > 0 {
		return out, &SettingsError{Problems: problems}
	}
	cur, err := db.CampaignSettings(ctx, campaignID)
	if err != nil {
		return out, err
	}
	before := cur.Overrides
	after := next.Overrides(camp.Def)
	afterJSON := after.JSON()
	oldDef, newDef := before.Apply(camp.Def), after.Apply(camp.Def)
	rv := &store.Revalidation{CampaignID: campaignID, UserID: userID, Expect: cur.JSON, Settings: &afterJSON,
		Through: cur.ValidatedThrough, Action: "settings.update"}
	if !campaign.EffectiveOf(oldDef).SameRules(campaign.EffectiveOf(newDef)) {
		// domain.md, valid forms: a rule change judges every stored form again; invalid forms
		// stay stored, with their reasons.
		var w watermark
		err := db.StoredResponses(ctx, campaignID, 0, func(r *store.StoredResponse) error {
			if !w.see(r) {
				return nil
			}
			v, changed := rejudge(newDef, r)
			out.Judged++
			if r.Valid {
				out.ValidBefore++
			}
			if v.Valid {
				out.ValidAfter++
			}
			if changed {
				out.Changed++
				rv.Verdicts = append(rv.Verdicts, v)
			}
			return nil
		})
		if err != nil {
			return out, err
		}
		rv.Through = w.through(0)
	}
	rv.Detail = map[string]any{
		"before": json.RawMessage(cur.JSON), "after": json.RawMessage(afterJSON),
		"judged": out.Judged, "changed": out.Changed, "valid_before": out.ValidBefore, "valid_after": out.ValidAfter,
	}
	if err := db.SaveRevalidation(ctx, rv); err != nil {
		return out, err
	}
	return out, nil
}

// SettingsError lists why settings were refused, in Vietnamese.
type SettingsError struct{ Problems []string }

// Error lists the problems for logs; pages show Problems one by one.
func (e *SettingsError) Error() string {
	return fmt.Sprintf("intake: settings refused: %v", e.Problems)
}

// CatchUp judges, under the stored settings, the responses that arrived since the settings
// last changed, when those settings change a valid-form rule: the collection paths judge
// forms by the definition's rules as they arrive, so their verdict may be out of date.
func CatchUp(ctx context.Context, db *store.DB, camp *store.Campaign, userID int64) error {
	for attempt := 0; ; attempt++ {
		err := catchUpOnce(ctx, db, camp, userID)
		if errors.Is(err, store.ErrSettingsChanged) && attempt < 2 {
			continue
		}
		return err
	}
}

func catchUpOnce(ctx context.Context, db *store.DB, camp *store.Campaign, userID int64) error {
	cur, err := db.CampaignSettings(ctx, camp.ID)
	if err != nil {
		return err
	}
	s := cur.Overrides
	def := s.Apply(camp.Def)
	if campaign.EffectiveOf(def).SameRules(campaign.EffectiveOf(camp.Def)) {
		return nil
	}
	rv := &store.Revalidation{CampaignID: camp.ID, UserID: userID, Expect: cur.JSON, Through: cur.ValidatedThrough}
	judged := 0
	var w watermark
	err = db.StoredResponses(ctx, camp.ID, cur.ValidatedThrough, func(r *store.StoredResponse) error {
		if !w.see(r) {
			return nil
		}
		judged++
		if v, changed := rejudge(def, r); changed {
			rv.Verdicts = append(rv.Verdicts, v)
		}
		return nil
	})
	if err != nil {
		return err
	}
	rv.Through = w.through(cur.ValidatedThrough)
	if rv.Through == cur.ValidatedThrough && len(rv.Verdicts) == 0 {
		return nil
	}
	if len(rv.Verdicts) > 0 {
		rv.Action = "responses.revalidate"
		rv.Detail = map[string]any{"settings": json.RawMessage(cur.JSON), "judged": judged, "changed": len(rv.Verdicts)}
	}
	return db.SaveRevalidation(ctx, rv)
}

// watermark tracks how far a pass over responses in id order may mark them as judged: up to
// the last one seen, but never past a response still awaiting its verdict, which its own flow
// will judge later by the definition's rules and the next pass must see again.
type watermark struct {
	last, firstPending int64
}

// see records a response and reports whether it has a verdict to judge again.
func (w *watermark) see(r *store.StoredResponse) bool {
	w.last = r.ID
	if !r.Judged && w.firstPending == 0 {
		w.firstPending = r.ID
	}
	return r.Judged
}

// through is the id up to which every response is judged; from when nothing was seen.
func (w *watermark) through(from int64) int64 {
	switch {
	case w.firstPending > 0:
		return max(from, w.firstPending-1)
	case w.last > 0:
		return w.last
	}
	return from
}
