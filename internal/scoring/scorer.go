// Package scoring computes the survey part of the PAR Index with the default method of
// domain.md ("Answers and scoring", steps 1–8) and every option a campaign may set: exact
// arithmetic, per-unit totals down to sub-criteria, per-group contributions, flags, ranks and
// bands. It is pure: forms and imported ratios come in, a Result goes out.
//
// Choices the method leaves open, decided here:
//   - A question is known by its code and the sub-criterion it feeds, across questionnaires, so
//     the same question on several groups' forms is combined per question (step 3); a question
//     on one form only carries that form's groups.
//   - A multi-marked answer is a blank one (domain.md, valid forms), under the blank option.
//   - A group with no forms for a unit is below any minimum and is flagged like one with too few
//     (step 4). A group of weight 0 is left out of both modes without a flag, and so is a
//     group with a quota of 0 for a unit (quota_overrides: "does not evaluate this unit",
//     forms/README.md), whatever forms it has for that unit.
//   - An imported group's ratio enters every question of the sub-criteria it is mapped to, as
//     that group's m(u,g,q); a sub-criterion no question feeds takes the ratio through one
//     stand-in question of weight 1 (step 8). In pooled mode the pool weighs the sum of the
//     weights of the collected groups that have data for the question.
//   - Arithmetic is exact: integer sums per (unit, group, question) while forms are added,
//     big.Rat for the means and everything after.
package scoring

import (
	"fmt"
	"math/big"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
)

// Form is one valid form's answers about one unit. A matrix form is given once per unit it
// covers, so that it counts as one form for each (domain.md step 7).
type Form struct {
	Group   string
	Unit    string
	Answers response.Answers
}

// Ratio is an imported satisfaction ratio in [0, 1] for an imported group and a unit
// (domain.md step 8). With Sub empty it applies to every sub-criterion the group is mapped to;
// with Sub set it applies to that sub-criterion only and takes precedence there.
type Ratio struct {
	Group string
	Unit  string
	Sub   string
	Value *big.Rat
}

// Scorer accumulates forms and imported ratios for one definition and then builds the Result.
// It keeps integer sums per (unit, group, question), so adding a form allocates nothing.
// A Scorer is not safe for concurrent use.
type Scorer struct {
	p     *plan
	forms int64
}

// New compiles the definition for scoring; it fails on a definition scoring cannot read
// (unknown questionnaire or sub-criterion, inconsistent question weights).
func New(def *campaign.Definition) (*Scorer, error) {
	p, err := compile(def)
	if err != nil {
		return nil, err
	}
	return &Scorer{p: p}, nil
}

// Add counts one valid form. Only valid forms may be given (domain.md step 2); the answers
// must fit the group's questionnaire, else nothing is counted and an error says why.
func (s *Scorer) Add(f Form) error {
	p := s.p
	gi, ok := p.groupIdx[f.Group]
	if !ok {
		return fmt.Errorf("scoring: form for unknown group %q", f.Group)
	}
	g := p.groups[gi]
	if g.imported {
		return fmt.Errorf("scoring: group %s is imported; it takes ratios, not forms", f.Group)
	}
	ui, ok := p.unitIdx[f.Unit]
	if !ok {
		return fmt.Errorf("scoring: form of group %s for unknown unit %q", f.Group, f.Unit)
	}
	if p.def.Units[ui].Kind != g.def.Evaluates {
		return fmt.Errorf("scoring: group %s evaluates %s, not unit %s of kind %s", f.Group, g.def.Evaluates, f.Unit, p.def.Units[ui].Kind)
	}
	a := f.Answers
	if len(a) != g.nq {
		return fmt.Errorf("scoring: form of group %s for unit %s has %d answers for %d questions", f.Group, f.Unit, len(a), g.nq)
	}
	upos := p.unitPos[ui]
	row := g.acc[upos*g.nq : (upos+1)*g.nq]
	act := g.act
	for i := 0; i < len(row); i++ {
		if passOver(a[i]) {
			continue
		}
		slot := slotOf[a[i]]
		if slot < 0 {
			s.undo(row[:i], act, a)
			return fmt.Errorf("scoring: form of group %s for unit %s: answer %d is %q", f.Group, f.Unit, i+1, a[i])
		}
		v := act[10*i+int(slot)]
		switch {
		case v >= 0:
			row[i].sum += int64(v)
			row[i].n++
		case v == actBad:
			s.undo(row[:i], act, a)
			return fmt.Errorf("scoring: form of group %s for unit %s: question %d has no option %c", f.Group, f.Unit, i+1, a[i])
		}
	}
	g.forms[upos]++
	s.forms++
	return nil
}

// passOver reports whether an answer counts nowhere: a question its show_if did not ask
// (response.Skipped), or an option from 10 on, which only unscored questions have (the
// campaign check allows scored questions 9 options at most). Issue 12, question kinds.
func passOver(c byte) bool {
	return c == byte(response.Skipped) || (c >= 'A' && c <= 'Z')
}

// undo takes back the answers already counted from a form found bad part way.
func (s *Scorer) undo(row []acc, act []int32, a response.Answers) {
	for i := range row {
		if passOver(a[i]) {
			continue
		}
		if v := act[10*i+int(slotOf[a[i]])]; v >= 0 {
			row[i].sum -= int64(v)
			row[i].n--
		}
	}
}

// Import records an imported group's ratio for a unit, for all its sub-criteria or one
// (domain.md step 8). Each (group, unit, sub) may be given once.
func (s *Scorer) Import(r Ratio) error {
	p := s.p
	gi, ok := p.groupIdx[r.Group]
	if !ok {
		return fmt.Errorf("scoring: ratio for unknown group %q", r.Group)
	}
	g := p.groups[gi]
	if !g.imported {
		return fmt.Errorf("scoring: group %s collects forms; it takes no imported ratio", r.Group)
	}
	ui, ok := p.unitIdx[r.Unit]
	if !ok {
		return fmt.Errorf("scoring: ratio of group %s for unknown unit %q", r.Group, r.Unit)
	}
	if p.def.Units[ui].Kind != g.def.Evaluates {
		return fmt.Errorf("scoring: group %s evaluates %s, not unit %s of kind %s", r.Group, g.def.Evaluates, r.Unit, p.def.Units[ui].Kind)
	}
	if r.Value == nil || r.Value.Sign() < 0 || r.Value.Cmp(big.NewRat(1, 1)) > 0 {
		return fmt.Errorf("scoring: ratio of group %s for unit %s must be in [0, 1], is %v", r.Group, r.Unit, r.Value)
	}
	v := new(big.Rat).Set(r.Value)
	upos := p.unitPos[ui]
	if r.Sub == "" {
		if g.unitRatio[upos] != nil {
			return fmt.Errorf("scoring: ratio of group %s for unit %s given twice", r.Group, r.Unit)
		}
		g.unitRatio[upos] = v
		return nil
	}
	si, ok := g.kind.subIdx[r.Sub]
	if !ok {
		return fmt.Errorf("scoring: ratio of group %s for unknown sub-criterion %q", r.Group, r.Sub)
	}
	if !g.feeds[si] {
		return fmt.Errorf("scoring: group %s is not mapped to sub-criterion %s", r.Group, r.Sub)
	}
	key := upos*len(g.kind.subs) + si
	if g.subRatio[key] != nil {
		return fmt.Errorf("scoring: ratio of group %s for unit %s, sub-criterion %s given twice", r.Group, r.Unit, r.Sub)
	}
	g.subRatio[key] = v
	return nil
}

// ratio is the imported group's ratio for a unit position and sub-criterion, or nil.
func (g *gplan) ratio(upos, sub, nsubs int) *big.Rat {
	if !g.feeds[sub] {
		return nil
	}
	if r := g.subRatio[upos*nsubs+sub]; r != nil {
		return r
	}
	return g.unitRatio[upos]
}

// hasRatio reports whether the imported group has any ratio for the unit position.
func (g *gplan) hasRatio(upos, nsubs int) bool {
	if g.unitRatio[upos] != nil {
		return true
	}
	for s, on := range g.feeds {
		if on && g.subRatio[upos*nsubs+s] != nil {
			return true
		}
	}
	return false
}

// Score scores a whole set of valid forms and imported ratios in one call.
func Score(def *campaign.Definition, forms []Form, ratios []Ratio) (*Result, error) {
	s, err := New(def)
	if err != nil {
		return nil, err
	}
	for i := range forms {
		if err := s.Add(forms[i]); err != nil {
			return nil, err
		}
	}
	for _, r := range ratios {
		if err := s.Import(r); err != nil {
			return nil, err
		}
	}
	return s.Result(), nil
}
