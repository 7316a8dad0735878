package compare

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/store"
)

// ErrNotLinked is returned by Load for a campaign linked to no earlier campaign.
var ErrNotLinked = fault.Sentinel(fault.NotFound, "compare: campaign linked to no earlier campaign")

// NoRunError is returned by Load when one of the two campaigns has no score run yet.
type NoRunError struct {
	CampaignID int64
	Code       string
	Earlier    bool
}

func (e *NoRunError) Error() string {
	return fmt.Sprintf("compare: campaign %s has no score run", e.Code)
}

// Load builds the comparison of a campaign with the earlier campaign it is linked to, from the
// newest score run of each and the stored mapping: what the results page, the exports and the
// report show. It returns ErrNotLinked when the campaign has no link, and a *NoRunError when
// either campaign has no run yet.
func Load(ctx context.Context, db *store.DB, campaignID int64) (*Comparison, error) {
	return LoadRun(ctx, db, campaignID, 0)
}

// LoadRun is Load for one score run of the campaign (0: the newest), set beside the earlier
// campaign's newest run: what a report of that run prints. store.ErrNotFound when the
// campaign has no such run.
func LoadRun(ctx context.Context, db *store.DB, campaignID, runID int64) (*Comparison, error) {
	link, err := db.ComparisonLink(ctx, campaignID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotLinked
	}
	if err != nil {
		return nil, err
	}
	now, err := side(ctx, db, campaignID, runID, false)
	if err != nil {
		return nil, err
	}
	before, err := side(ctx, db, link.EarlierID, 0, true)
	if err != nil {
		return nil, err
	}
	m, err := MappingOf(link)
	if err != nil {
		return nil, err
	}
	return Compare(now, before, m), nil
}

func side(ctx context.Context, db *store.DB, campaignID, runID int64, earlier bool) (Side, error) {
	camp, err := db.Campaign(ctx, campaignID)
	if err != nil {
		return Side{}, fmt.Errorf("compare: campaign %d: %w", campaignID, err)
	}
	run, err := scorerun.Load(ctx, db, campaignID, runID)
	if errors.Is(err, store.ErrNotFound) && runID == 0 {
		return Side{}, &NoRunError{CampaignID: campaignID, Code: camp.Code, Earlier: earlier}
	}
	if err != nil {
		return Side{}, fmt.Errorf("compare: newest run of %s: %w", camp.Code, err)
	}
	return Side{CampaignID: campaignID, Code: camp.Code, Name: camp.Name, Year: camp.Year, RunID: run.ID, Def: run.Def, Result: run.Result}, nil
}

// MappingOf reads a stored mapping back, in sheet order.
func MappingOf(l *store.ComparisonLink) (Mapping, error) {
	m := Mapping{Source: l.Source}
	index := map[string]int{}
	for _, r := range l.Mappings {
		i, ok := index[r.Unit]
		if !ok {
			i = len(m.Units)
			index[r.Unit] = i
			m.Units = append(m.Units, UnitMap{Unit: r.Unit, Row: r.Row, NotComparable: r.Earlier == ""})
		}
		if r.Earlier == "" {
			continue
		}
		w, ok := new(big.Rat).SetString(r.Weight)
		if !ok || w.Sign() <= 0 {
			return m, fmt.Errorf("compare: stored weight %q of %s ← %s is not a positive number", r.Weight, r.Unit, r.Earlier)
		}
		m.Units[i].From = append(m.Units[i].From, Weighted{Unit: r.Earlier, Weight: w, Row: r.Row})
	}
	return m, nil
}

// Rows are the mapping as the store keeps it, one row per new unit and earlier unit.
func (m Mapping) Rows() []store.UnitMapping {
	var out []store.UnitMapping
	for _, u := range m.Units {
		if u.NotComparable {
			out = append(out, store.UnitMapping{Unit: u.Unit, Row: u.Row})
			continue
		}
		for _, f := range u.From {
			out = append(out, store.UnitMapping{Unit: u.Unit, Earlier: f.Unit, Weight: f.Weight.RatString(), Row: f.Row})
		}
	}
	return out
}
