package compare

import (
	"fmt"
	"reflect"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// Level is a level of the criteria tree (domain.md: lĩnh vực → tiêu chí → tiêu chí thành phần).
type Level int

// The three levels.
const (
	LevelArea Level = iota + 1
	LevelCriterion
	LevelSub
)

// Label is the level's Vietnamese name.
func (l Level) Label() string {
	switch l {
	case LevelArea:
		return "lĩnh vực"
	case LevelCriterion:
		return "tiêu chí"
	case LevelSub:
		return "tiêu chí thành phần"
	}
	return "?"
}

// Node is one entry of a criteria tree.
type Node struct {
	Level  Level
	Code   string
	Name   string
	Parent string
	Points campaign.Decimal
}

// NodeChange is an entry whose code is in both trees but whose points or place differ.
type NodeChange struct {
	Level                       Level
	Code, Name                  string
	Points, PointsBefore        campaign.Decimal
	Parent, ParentBefore        string
	PointsDiffer, ParentDiffers bool
}

// TreeMatch is a criteria tree of this year matched by code with the earlier one (areas,
// criteria, sub-criteria): what matched, what is only in one, what changed points or place.
type TreeMatch struct {
	// Kinds names the kinds of unit scored on this pair of trees; BeforeKinds the earlier
	// campaign's kinds they were compared with, when those have other codes (huyện for xã).
	Kinds, BeforeKinds []string
	Matched            int
	// OnlyNow are codes only this year's tree has; OnlyBefore only the earlier one's.
	OnlyNow, OnlyBefore []Node
	Changed             []NodeChange
	// Notes say the same in Vietnamese sentences, for pages and exports.
	Notes []string
}

// Differs reports whether the trees differ at all.
func (t *TreeMatch) Differs() bool {
	return len(t.OnlyNow) > 0 || len(t.OnlyBefore) > 0 || len(t.Changed) > 0
}

func flatten(areas []campaign.Area) []Node {
	var out []Node
	for _, a := range areas {
		out = append(out, Node{Level: LevelArea, Code: a.Code, Name: a.Name, Points: a.Points})
		for _, c := range a.Criteria {
			out = append(out, Node{Level: LevelCriterion, Code: c.Code, Name: c.Name, Parent: a.Code, Points: c.Points})
			for _, s := range c.Subs {
				out = append(out, Node{Level: LevelSub, Code: s.Code, Name: s.Name, Parent: c.Code, Points: s.Points})
			}
		}
	}
	return out
}

// matchTrees matches the tree of every kind of this year with the earlier tree of the same
// kind (or the earlier campaign's tree when it has no such kind); kinds whose pairs of trees
// are equal share one TreeMatch.
func matchTrees(now, before Side, kinds map[string]string, nowLabel, beforeLabel string) []TreeMatch {
	type pair struct{ now, before []campaign.Area }
	var out []TreeMatch
	var pairs []pair
	for _, k := range now.Def.Kinds {
		bk := kinds[k.Code]
		p := pair{now.Def.TreeFor(k.Code), before.Def.TreeFor(bk)}
		found := false
		for i := range pairs {
			if reflect.DeepEqual(pairs[i], p) {
				out[i].Kinds = append(out[i].Kinds, kindName(now.Def, k.Code))
				if bk != k.Code {
					out[i].BeforeKinds = append(out[i].BeforeKinds, kindName(before.Def, bk))
				}
				found = true
				break
			}
		}
		if found {
			continue
		}
		pairs = append(pairs, p)
		t := matchTree(p.now, p.before, nowLabel, beforeLabel)
		t.Kinds = []string{kindName(now.Def, k.Code)}
		if bk != k.Code {
			t.BeforeKinds = []string{kindName(before.Def, bk)}
		}
		out = append(out, t)
	}
	return out
}

func matchTree(now, before []campaign.Area, nowLabel, beforeLabel string) TreeMatch {
	var t TreeMatch
	old := map[string]Node{}
	for _, n := range flatten(before) {
		old[n.Code] = n
	}
	seen := map[string]bool{}
	for _, n := range flatten(now) {
		o, ok := old[n.Code]
		if !ok {
			t.OnlyNow = append(t.OnlyNow, n)
			t.Notes = append(t.Notes, fmt.Sprintf("Mã %s %s (%s, %s điểm) chỉ có năm %s.", n.Level.Label(), n.Code, n.Name, dec(n.Points), nowLabel))
			continue
		}
		seen[n.Code] = true
		if o.Level != n.Level {
			// A code that changed level is not the same entry: list it on both sides.
			t.OnlyNow = append(t.OnlyNow, n)
			t.OnlyBefore = append(t.OnlyBefore, o)
			t.Notes = append(t.Notes, fmt.Sprintf("Mã %s là %s năm %s nhưng là %s năm %s: không ghép.", n.Code, n.Level.Label(), nowLabel, o.Level.Label(), beforeLabel))
			continue
		}
		t.Matched++
		ch := NodeChange{Level: n.Level, Code: n.Code, Name: n.Name, Points: n.Points, PointsBefore: o.Points,
			Parent: n.Parent, ParentBefore: o.Parent, PointsDiffer: n.Points != o.Points, ParentDiffers: n.Parent != o.Parent}
		if ch.PointsDiffer {
			t.Notes = append(t.Notes, fmt.Sprintf("%s %s (%s): điểm tối đa %s năm %s, %s năm %s.",
				vn.Capitalize(n.Level.Label()), n.Code, n.Name, dec(o.Points), beforeLabel, dec(n.Points), nowLabel))
		}
		if ch.ParentDiffers {
			t.Notes = append(t.Notes, fmt.Sprintf("%s %s (%s): thuộc %s năm %s, thuộc %s năm %s.",
				vn.Capitalize(n.Level.Label()), n.Code, n.Name, o.Parent, beforeLabel, n.Parent, nowLabel))
		}
		if ch.PointsDiffer || ch.ParentDiffers {
			t.Changed = append(t.Changed, ch)
		}
	}
	for _, n := range flatten(before) {
		if !seen[n.Code] && !containsCode(t.OnlyBefore, n.Code) {
			t.OnlyBefore = append(t.OnlyBefore, n)
			t.Notes = append(t.Notes, fmt.Sprintf("Mã %s %s (%s, %s điểm) chỉ có năm %s.", n.Level.Label(), n.Code, n.Name, dec(n.Points), beforeLabel))
		}
	}
	return t
}

func containsCode(ns []Node, code string) bool {
	for _, n := range ns {
		if n.Code == code {
			return true
		}
	}
	return false
}

// dec writes a definition number the Vietnamese way: "0,75", "32".
func dec(d campaign.Decimal) string {
	s := d.String()
	out := []byte(s)
	for i := range out {
		if out[i] == '.' {
			out[i] = ','
		}
	}
	return string(out)
}
