// Package compare sets a campaign's scores beside an earlier campaign's (issue 14, "Year on
// year"): it matches units by code or by an uploaded mapping sheet (after the 2025 mergers one
// new commune draws on several old ones, weighted, or is marked not comparable), matches the
// criteria trees by code, and computes the change per unit and per area in points and in
// percent of the maximum, since points can differ between years. It notes where the method or
// the tree changed. It knows nothing of HTTP or SQL: Load reads its inputs through the store.
package compare

import (
	"fmt"
	"math/big"
	"slices"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/scoring"
)

// Side is one campaign's score run as a comparison reads it.
type Side struct {
	CampaignID int64
	Code, Name string
	Year       int
	RunID      int64
	// Def is the run's effective definition (its version with its settings laid over it).
	Def    *campaign.Definition
	Result *scoring.Result
}

// label names the side in sentences and column heads: its year, or its code when both
// campaigns are of the same year.
func (s Side) label(other Side) string {
	if s.Year == other.Year {
		return s.Code
	}
	return fmt.Sprint(s.Year)
}

// SideInfo is what a comparison says about each of its campaigns.
type SideInfo struct {
	CampaignID int64
	Code, Name string
	Year       int
	RunID      int64
	// Label is "2025", or the campaign code when both are of the same year.
	Label string
}

// Match says how a unit found its earlier counterpart.
type Match string

// The ways a unit is matched.
const (
	// MatchCode: the earlier campaign has a unit with the same code.
	MatchCode Match = "code"
	// MatchSheet: the mapping sheet names the earlier units, with weights.
	MatchSheet Match = "sheet"
	// MatchNotComparable: the mapping sheet marks the unit as not comparable.
	MatchNotComparable Match = "not_comparable"
	// MatchNone: no earlier unit has its code and the sheet does not name it.
	MatchNone Match = "none"
)

// Label is the match in Vietnamese, as pages and exports print it.
func (m Match) Label() string {
	switch m {
	case MatchCode:
		return "ghép theo mã"
	case MatchSheet:
		return "ghép theo bảng ghép đơn vị"
	case MatchNotComparable:
		return "không so sánh được (theo bảng ghép đơn vị)"
	case MatchNone:
		return "không có đơn vị tương ứng năm trước"
	}
	return string(m)
}

// Share is one earlier unit a unit's earlier score is drawn from.
type Share struct {
	Unit, Name string
	// Weight is as the sheet gave it (1 when matched by code); Share is it normalised, so that
	// the shares of a unit sum to 1.
	Weight, Share *big.Rat
}

// Score is a unit's or an area's points in one year, with the maximum and the percentage of
// it reached.
type Score struct {
	Points *big.Rat
	// Max is the maximum points (the survey points for a unit, the area's points for an area);
	// for an earlier unit drawn from several, the shares' weighted mean.
	Max *big.Rat
	// Percent is Points as a percentage of Max (for several earlier units, the weighted mean
	// of their percentages); nil when Max is 0.
	Percent *big.Rat
}

// UnitChange is one unit of the campaign set beside its earlier counterpart.
type UnitChange struct {
	Unit, Name, Kind, KindName string
	Match                      Match
	From                       []Share
	Now                        Score
	// Before is nil when the unit has no earlier counterpart (MatchNotComparable, MatchNone).
	Before *Score
	// Change is Now − Before in points, PercentChange in percentage points; nil with Before.
	Change, PercentChange *big.Rat
	// Rank is the unit's rank this year; RankBefore its rank in the earlier campaign when it
	// is drawn from one earlier unit (0 otherwise).
	Rank, RankBefore int
	Band, BandBefore string
	Areas            []AreaChange
}

// Comparable reports whether the unit has an earlier score to compare with.
func (u *UnitChange) Comparable() bool { return u.Before != nil }

// AreaChange is one area (lĩnh vực) of a unit set beside the same area code a year before.
type AreaChange struct {
	Code, Name string
	Now        Score
	// Before is nil when the earlier tree has no area of this code, or the unit is not
	// comparable.
	Before                *Score
	Change, PercentChange *big.Rat
}

// KindSummary is the change of one kind of unit as a whole: the mean percentage of the units
// that can be compared, this year and before, overall and per area.
type KindSummary struct {
	Kind, Name string
	// Units counts the kind's units; Comparable those with an earlier score.
	Units, Comparable int
	Now, Before       *big.Rat // mean percent of the survey points; nil when no unit compares
	Change            *big.Rat
	Areas             []AreaSummary
}

// AreaSummary is the mean percentage of an area over the comparable units of a kind.
type AreaSummary struct {
	Code, Name string
	// Units counts the units whose area compares (the earlier tree has the code).
	Units       int
	Now, Before *big.Rat
	Change      *big.Rat
}

// Comparison is a campaign's scores beside an earlier campaign's: per unit, per area, per
// kind, with the criteria matched and every difference of method or tree noted.
type Comparison struct {
	Now, Before SideInfo
	// MappingSource is the mapping sheet's file name; "" when units are matched by code.
	MappingSource string
	Units         []UnitChange
	Kinds         []KindSummary
	// Trees are the criteria trees matched by code, one per distinct pair of trees.
	Trees []TreeMatch
	// Method lists, in Vietnamese sentences, what in the method differs between the years
	// (scoring options, valid-form rules, groups and their weights, scales, survey points,
	// bands); empty when nothing does.
	Method []string
	// Unused are the earlier campaign's units no unit draws on.
	Unused []UnitRef
}

// UnitRef names a unit.
type UnitRef struct{ Code, Name, Kind string }

// TreeChanged reports whether any criteria tree differs between the years.
func (c *Comparison) TreeChanged() bool {
	for _, t := range c.Trees {
		if t.Differs() {
			return true
		}
	}
	return false
}

// Unit returns the change of the unit with the code, or nil.
func (c *Comparison) Unit(code string) *UnitChange {
	for i := range c.Units {
		if c.Units[i].Unit == code {
			return &c.Units[i]
		}
	}
	return nil
}

var hundred = big.NewRat(100, 1)

// percent is points as a percentage of max; nil when max is 0.
func percent(points, max *big.Rat) *big.Rat {
	if max == nil || max.Sign() == 0 || points == nil {
		return nil
	}
	p := new(big.Rat).Mul(points, hundred)
	return p.Quo(p, max)
}

func sub(a, b *big.Rat) *big.Rat {
	if a == nil || b == nil {
		return nil
	}
	return new(big.Rat).Sub(a, b)
}

// Compare sets now beside before, matching units by m (units the sheet does not name are
// matched by code) and criteria by code.
func Compare(now, before Side, m Mapping) *Comparison {
	c := &Comparison{
		Now:           SideInfo{CampaignID: now.CampaignID, Code: now.Code, Name: now.Name, Year: now.Year, RunID: now.RunID, Label: now.label(before)},
		Before:        SideInfo{CampaignID: before.CampaignID, Code: before.Code, Name: before.Name, Year: before.Year, RunID: before.RunID, Label: before.label(now)},
		MappingSource: m.Source,
	}
	sheet := map[string]*UnitMap{}
	for i := range m.Units {
		sheet[m.Units[i].Unit] = &m.Units[i]
	}
	used := map[string]bool{}
	for _, u := range now.Def.Units {
		ur := now.Result.Unit(u.Code)
		if ur == nil {
			continue
		}
		uc := unitChange(now, before, u, ur, sheet[u.Code])
		for _, f := range uc.From {
			used[f.Unit] = true
		}
		c.Units = append(c.Units, uc)
	}
	for _, u := range before.Def.Units {
		if !used[u.Code] {
			c.Unused = append(c.Unused, UnitRef{Code: u.Code, Name: u.Name, Kind: u.Kind})
		}
	}
	c.Kinds = summaries(now.Def, c.Units)
	kinds := earlierKinds(now.Def, before.Def, c.Units)
	c.Trees = matchTrees(now, before, kinds, c.Now.Label, c.Before.Label)
	c.Method = methodNotes(now.Def, before.Def, kinds, c.Now.Label, c.Before.Label)
	return c
}

// earlierKinds says, for each kind of this year, which kind of the earlier campaign its units
// were compared with: the same code when the earlier campaign has it, else the kind most of
// its units' earlier counterparts are (huyện for the communes after the 2025 mergers, say), else
// the same code (the earlier campaign's own tree).
func earlierKinds(now, before *campaign.Definition, units []UnitChange) map[string]string {
	out := map[string]string{}
	for _, k := range now.Kinds {
		out[k.Code] = k.Code
		if before.Kind(k.Code) != nil {
			continue
		}
		count := map[string]int{}
		best := ""
		for _, u := range units {
			if u.Kind != k.Code {
				continue
			}
			for _, f := range u.From {
				if bu := before.Unit(f.Unit); bu != nil {
					count[bu.Kind]++
					if count[bu.Kind] > count[best] || count[bu.Kind] == count[best] && bu.Kind < best {
						best = bu.Kind
					}
				}
			}
		}
		if best != "" {
			out[k.Code] = best
		}
	}
	return out
}

// unitChange matches one unit and computes its change.
func unitChange(now, before Side, u campaign.Unit, ur *scoring.UnitResult, um *UnitMap) UnitChange {
	uc := UnitChange{Unit: u.Code, Name: u.Name, Kind: u.Kind, KindName: kindName(now.Def, u.Kind),
		Rank: ur.Rank, Band: ur.BandName}
	max := now.Def.SurveyPointsFor(u.Kind).Rat()
	uc.Now = Score{Points: ur.Total, Max: max, Percent: percent(ur.Total, max)}
	for _, a := range ur.Areas {
		am := a.Max.Rat()
		uc.Areas = append(uc.Areas, AreaChange{Code: a.Code, Name: areaName(now.Def, u.Kind, a.Code),
			Now: Score{Points: a.Points, Max: am, Percent: percent(a.Points, am)}})
	}

	var from []Weighted
	switch {
	case um != nil && um.NotComparable:
		uc.Match = MatchNotComparable
		return uc
	case um != nil:
		uc.Match, from = MatchSheet, um.From
	case before.Def.Unit(u.Code) != nil:
		uc.Match, from = MatchCode, []Weighted{{Unit: u.Code, Weight: big.NewRat(1, 1)}}
	default:
		uc.Match = MatchNone
		return uc
	}

	total := new(big.Rat)
	for _, f := range from {
		total.Add(total, f.Weight)
	}
	var olds []*scoring.UnitResult
	for _, f := range from {
		old := before.Result.Unit(f.Unit)
		if old == nil || total.Sign() <= 0 {
			// The sheet was checked against the earlier definition, but its run may predate a
			// unit: without every source's score there is nothing to compare.
			uc.Match, uc.From = MatchNone, nil
			return uc
		}
		olds = append(olds, old)
		name := f.Unit
		if bu := before.Def.Unit(f.Unit); bu != nil {
			name = bu.Name
		}
		uc.From = append(uc.From, Share{Unit: f.Unit, Name: name, Weight: f.Weight, Share: new(big.Rat).Quo(f.Weight, total)})
	}

	// The earlier score is the weighted combination of the sources' scores, with the shares
	// normalised to 1: points, maximum and percentage alike (issue 14).
	b := &Score{Points: new(big.Rat), Max: new(big.Rat), Percent: new(big.Rat)}
	for i, old := range olds {
		w := uc.From[i].Share
		omax := before.Def.SurveyPointsFor(old.Kind).Rat()
		b.Points.Add(b.Points, new(big.Rat).Mul(w, old.Total))
		b.Max.Add(b.Max, new(big.Rat).Mul(w, omax))
		if p := percent(old.Total, omax); p != nil && b.Percent != nil {
			b.Percent.Add(b.Percent, p.Mul(p, w))
		} else {
			b.Percent = nil
		}
	}
	uc.Before = b
	uc.Change, uc.PercentChange = sub(uc.Now.Points, b.Points), sub(uc.Now.Percent, b.Percent)
	if len(olds) == 1 {
		uc.RankBefore, uc.BandBefore = olds[0].Rank, olds[0].BandName
	}

	for ai := range uc.Areas {
		ac := &uc.Areas[ai]
		ab := &Score{Points: new(big.Rat), Max: new(big.Rat), Percent: new(big.Rat)}
		for i, old := range olds {
			oa := areaOf(old, ac.Code)
			if oa == nil {
				ab = nil // the area is new, or some source's tree lacks it
				break
			}
			w := uc.From[i].Share
			om := oa.Max.Rat()
			ab.Points.Add(ab.Points, new(big.Rat).Mul(w, oa.Points))
			ab.Max.Add(ab.Max, new(big.Rat).Mul(w, om))
			if p := percent(oa.Points, om); p != nil && ab.Percent != nil {
				ab.Percent.Add(ab.Percent, p.Mul(p, w))
			} else {
				ab.Percent = nil
			}
		}
		if ab != nil {
			ac.Before = ab
			ac.Change, ac.PercentChange = sub(ac.Now.Points, ab.Points), sub(ac.Now.Percent, ab.Percent)
		}
	}
	return uc
}

func areaOf(u *scoring.UnitResult, code string) *scoring.AreaScore {
	for i := range u.Areas {
		if u.Areas[i].Code == code {
			return &u.Areas[i]
		}
	}
	return nil
}

// summaries are the mean percentages per kind and per area over the comparable units.
func summaries(def *campaign.Definition, units []UnitChange) []KindSummary {
	var out []KindSummary
	for _, k := range def.Kinds {
		ks := KindSummary{Kind: k.Code, Name: kindName(def, k.Code)}
		now, before := new(big.Rat), new(big.Rat)
		type acc struct {
			n           int
			now, before *big.Rat
		}
		areas := map[string]*acc{}
		var order []string
		for i := range units {
			u := &units[i]
			if u.Kind != k.Code {
				continue
			}
			ks.Units++
			for _, a := range u.Areas {
				if _, ok := areas[a.Code]; !ok {
					areas[a.Code] = &acc{now: new(big.Rat), before: new(big.Rat)}
					order = append(order, a.Code)
				}
			}
			if !u.Comparable() || u.Now.Percent == nil || u.Before.Percent == nil {
				continue
			}
			ks.Comparable++
			now.Add(now, u.Now.Percent)
			before.Add(before, u.Before.Percent)
			for _, a := range u.Areas {
				if a.Before == nil || a.Now.Percent == nil || a.Before.Percent == nil {
					continue
				}
				x := areas[a.Code]
				x.n++
				x.now.Add(x.now, a.Now.Percent)
				x.before.Add(x.before, a.Before.Percent)
			}
		}
		if ks.Units == 0 {
			continue
		}
		if ks.Comparable > 0 {
			n := big.NewRat(int64(ks.Comparable), 1)
			ks.Now, ks.Before = now.Quo(now, n), before.Quo(before, n)
			ks.Change = sub(ks.Now, ks.Before)
		}
		for _, code := range order {
			x := areas[code]
			as := AreaSummary{Code: code, Name: areaName(def, k.Code, code), Units: x.n}
			if x.n > 0 {
				n := big.NewRat(int64(x.n), 1)
				as.Now, as.Before = x.now.Quo(x.now, n), x.before.Quo(x.before, n)
				as.Change = sub(as.Now, as.Before)
			}
			ks.Areas = append(ks.Areas, as)
		}
		out = append(out, ks)
	}
	return out
}

func kindName(def *campaign.Definition, code string) string {
	if k := def.Kind(code); k != nil && k.Name != "" {
		return k.Name
	}
	return code
}

func areaName(def *campaign.Definition, kind, code string) string {
	if i := slices.IndexFunc(def.TreeFor(kind), func(a campaign.Area) bool { return a.Code == code }); i >= 0 {
		return def.TreeFor(kind)[i].Name
	}
	return code
}
