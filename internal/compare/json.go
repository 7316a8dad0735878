package compare

import (
	"encoding/json"
	"io"
	"math/big"

	"github.com/parsurvey/parsurvey/internal/scoring"
)

// FeedFormat names the layout of the comparison's JSON.
const FeedFormat = "parsurvey-comparison-v1"

// Figure is an exact value with its rounded form, as the scores feed writes figures.
type Figure = scoring.Figure

func figure(r *big.Rat) *Figure { return scoring.FigureOf(r) }

// Feed is the comparison as JSON.
type Feed struct {
	Format        string      `json:"format"`
	Now           SideInfo    `json:"now"`
	Before        SideInfo    `json:"before"`
	MappingSource string      `json:"mapping_source"`
	Method        []string    `json:"method_changes"`
	Trees         []FeedTree  `json:"trees"`
	Units         []FeedUnit  `json:"units"`
	Kinds         []FeedKind  `json:"kinds"`
	Unused        []UnitRef   `json:"unused_earlier_units"`
	Notes         [][2]string `json:"notes"`
}

// FeedTree is a matched pair of criteria trees.
type FeedTree struct {
	Kinds       []string `json:"kinds"`
	BeforeKinds []string `json:"before_kinds"`
	Matched     int      `json:"matched"`
	OnlyNow     []string `json:"only_now"`
	OnlyBefore  []string `json:"only_before"`
	Notes       []string `json:"notes"`
}

// FeedScore is a Score in JSON.
type FeedScore struct {
	Points  *Figure `json:"points"`
	Max     *Figure `json:"max"`
	Percent *Figure `json:"percent"`
}

// FeedUnit is a unit's change in JSON.
type FeedUnit struct {
	Code          string      `json:"code"`
	Name          string      `json:"name"`
	Kind          string      `json:"kind"`
	Match         Match       `json:"match"`
	From          []FeedShare `json:"from"`
	Now           FeedScore   `json:"now"`
	Before        *FeedScore  `json:"before"`
	Change        *Figure     `json:"change"`
	PercentChange *Figure     `json:"percent_change"`
	Areas         []FeedArea  `json:"areas"`
}

// FeedShare is an earlier unit a unit draws on, with its normalised share.
type FeedShare struct {
	Code   string  `json:"code"`
	Weight *Figure `json:"weight"`
	Share  *Figure `json:"share"`
}

// FeedArea is an area's change in JSON.
type FeedArea struct {
	Code          string     `json:"code"`
	Now           FeedScore  `json:"now"`
	Before        *FeedScore `json:"before"`
	Change        *Figure    `json:"change"`
	PercentChange *Figure    `json:"percent_change"`
}

// FeedKind is a kind's mean percentages in JSON.
type FeedKind struct {
	Code       string         `json:"code"`
	Comparable int            `json:"comparable_units"`
	Now        *Figure        `json:"now_percent"`
	Before     *Figure        `json:"before_percent"`
	Change     *Figure        `json:"change"`
	Areas      []FeedKindArea `json:"areas"`
}

// FeedKindArea is an area's mean percentages over a kind's comparable units.
type FeedKindArea struct {
	Code   string  `json:"code"`
	Units  int     `json:"units"`
	Now    *Figure `json:"now_percent"`
	Before *Figure `json:"before_percent"`
	Change *Figure `json:"change"`
}

func feedScore(s *Score) *FeedScore {
	if s == nil {
		return nil
	}
	return &FeedScore{Points: figure(s.Points), Max: figure(s.Max), Percent: figure(s.Percent)}
}

// FeedOf is the comparison as its JSON states it.
func FeedOf(c *Comparison) *Feed {
	f := &Feed{Format: FeedFormat, Now: c.Now, Before: c.Before, MappingSource: c.MappingSource, Method: c.Method,
		Units: []FeedUnit{}, Kinds: []FeedKind{}, Trees: []FeedTree{}, Unused: c.Unused, Notes: c.NoteLines()}
	if f.Method == nil {
		f.Method = []string{}
	}
	if f.Unused == nil {
		f.Unused = []UnitRef{}
	}
	for _, t := range c.Trees {
		ft := FeedTree{Kinds: t.Kinds, BeforeKinds: t.BeforeKinds, Matched: t.Matched, OnlyNow: []string{}, OnlyBefore: []string{}, Notes: t.Notes}
		for _, n := range t.OnlyNow {
			ft.OnlyNow = append(ft.OnlyNow, n.Code)
		}
		for _, n := range t.OnlyBefore {
			ft.OnlyBefore = append(ft.OnlyBefore, n.Code)
		}
		if ft.BeforeKinds == nil {
			ft.BeforeKinds = []string{}
		}
		if ft.Notes == nil {
			ft.Notes = []string{}
		}
		f.Trees = append(f.Trees, ft)
	}
	for _, u := range c.Units {
		fu := FeedUnit{Code: u.Unit, Name: u.Name, Kind: u.Kind, Match: u.Match, From: []FeedShare{}, Now: *feedScore(&u.Now),
			Before: feedScore(u.Before), Change: figure(u.Change), PercentChange: figure(u.PercentChange)}
		for _, s := range u.From {
			fu.From = append(fu.From, FeedShare{Code: s.Unit, Weight: figure(s.Weight), Share: figure(s.Share)})
		}
		for _, a := range u.Areas {
			fu.Areas = append(fu.Areas, FeedArea{Code: a.Code, Now: *feedScore(&a.Now), Before: feedScore(a.Before),
				Change: figure(a.Change), PercentChange: figure(a.PercentChange)})
		}
		f.Units = append(f.Units, fu)
	}
	for _, k := range c.Kinds {
		fk := FeedKind{Code: k.Kind, Comparable: k.Comparable, Now: figure(k.Now), Before: figure(k.Before), Change: figure(k.Change)}
		for _, a := range k.Areas {
			fk.Areas = append(fk.Areas, FeedKindArea{Code: a.Code, Units: a.Units, Now: figure(a.Now), Before: figure(a.Before), Change: figure(a.Change)})
		}
		f.Kinds = append(f.Kinds, fk)
	}
	return f
}

// WriteJSON writes the comparison's feed, indented.
func WriteJSON(w io.Writer, c *Comparison) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(FeedOf(c))
}
