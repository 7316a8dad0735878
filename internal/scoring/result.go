package scoring

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// Result is the survey part scored for every unit of a campaign, in definition order.
type Result struct {
	// Options states the method options used, in Vietnamese, for the report (domain.md).
	Options []string
	// Forms is the number of valid forms counted; a matrix form counts once per unit.
	Forms int64
	Units []UnitResult
}

// Unit returns the result for the unit with the code, or nil.
func (r *Result) Unit(code string) *UnitResult {
	for i := range r.Units {
		if r.Units[i].Unit == code {
			return &r.Units[i]
		}
	}
	return nil
}

// UnitResult is one unit's survey score, its breakdown, flags, rank and band.
type UnitResult struct {
	Unit string
	Kind string
	// Total is the exact survey total: the sum of the areas (domain.md step 6).
	Total *big.Rat
	// Percent is Total as a percentage of the survey points of the unit's kind
	// (Definition.SurveyPointsFor); nil when those are 0. Bands are campaign-wide.
	Percent *big.Rat
	// Rank is the unit's place among units of its kind on exact totals: 1, 2, 2, 4 (step 7).
	Rank int
	// Band and BandName are the result band reached on the exact percent; empty when none.
	Band     string
	BandName string
	Areas    []AreaScore
	// Groups is each respondent group's own contribution, for the per-group report.
	Groups []GroupScore
	// Flags are the warnings a report must show beside the unit's score.
	Flags []Flag
}

// Sub returns the unit's score for a sub-criterion, or nil.
func (u *UnitResult) Sub(code string) *SubScore {
	for ai := range u.Areas {
		for ci := range u.Areas[ai].Criteria {
			for si := range u.Areas[ai].Criteria[ci].Subs {
				if s := &u.Areas[ai].Criteria[ci].Subs[si]; s.Code == code {
					return s
				}
			}
		}
	}
	return nil
}

// Group returns the unit's contribution from a respondent group, or nil.
func (u *UnitResult) Group(code string) *GroupScore {
	for i := range u.Groups {
		if u.Groups[i].Group == code {
			return &u.Groups[i]
		}
	}
	return nil
}

// Has reports whether the unit carries a flag with the code, for the group or sub given
// (an empty group or sub matches any).
func (u *UnitResult) Has(code FlagCode, group, sub string) bool {
	for _, f := range u.Flags {
		if f.Code == code && (group == "" || f.Group == group) && (sub == "" || f.Sub == sub) {
			return true
		}
	}
	return false
}

// AreaScore is a lĩnh vực's points: the sum of its criteria (domain.md step 6).
type AreaScore struct {
	Code     string
	Max      campaign.Decimal
	Points   *big.Rat
	Criteria []CriterionScore
}

// CriterionScore is a tiêu chí's points: the sum of its sub-criteria (domain.md step 6).
type CriterionScore struct {
	Code   string
	Max    campaign.Decimal
	Points *big.Rat
	Subs   []SubScore
}

// SubScore is a tiêu chí thành phần's points: Max × Mean (domain.md step 5).
type SubScore struct {
	Code   string
	Max    campaign.Decimal
	Points *big.Rat
	// Mean is the question-weighted mean of m(u,q) over questions with data; nil when none.
	Mean *big.Rat
	// NoData is set when no question had a usable answer: the points are 0 and flagged.
	NoData    bool
	Questions []QuestionScore
}

// QuestionScore is m(u,q), the groups combined for one question (domain.md step 3).
type QuestionScore struct {
	// Code is the question code; it is empty for the stand-in question of a sub-criterion that
	// only imported groups feed.
	Code   string
	Weight campaign.Decimal
	// Mean is nil when no group had a usable answer.
	Mean *big.Rat
}

// GroupScore is what one respondent group gave a unit, before groups are combined.
type GroupScore struct {
	Group    string
	Imported bool
	Weight   campaign.Decimal
	// Forms is the number of valid forms of the group for the unit (0 for imported groups).
	Forms int64
	// Counted is set when the group entered step 3: enough forms (or a ratio, if imported)
	// and a weight above 0.
	Counted bool
	// NotEvaluating is set when the campaign gives the group a quota of 0 for the unit
	// (quota_overrides): the group does not evaluate the unit (forms/README.md), so it is left
	// out of the unit's score, whatever forms it has, and is not flagged as short of forms.
	NotEvaluating bool `json:",omitempty"`
	Subs          []GroupSub
}

// GroupSub is a group's own result on one sub-criterion: the means m(u,g,q) of its questions
// and the points the sub-criterion would get were this group alone used.
type GroupSub struct {
	Sub string
	// Mean is the question-weighted mean of the group's m(u,g,q) (its ratio, if imported); nil
	// when the group has no usable answer there.
	Mean *big.Rat
	// Points is Max × Mean; nil with Mean.
	Points    *big.Rat
	Questions []GroupQuestion
}

// GroupQuestion is m(u,g,q) for one question of the group's form (domain.md step 2).
type GroupQuestion struct {
	Code string
	// Answers is the number of answers on the mean's denominator side.
	Answers int64
	// Mean is nil when there is no such answer.
	Mean *big.Rat
}

// FlagCode names a warning about a unit's score; it is a stable English identifier.
type FlagCode string

// The warnings of domain.md steps 4, 5 and 8.
const (
	// FlagFewForms: a group had fewer than the minimum valid forms and was left out (step 4).
	FlagFewForms FlagCode = "few_forms"
	// FlagNoData: a sub-criterion had no usable question and scored 0 (step 5).
	FlagNoData FlagCode = "no_data"
	// FlagNoRatio: an imported group had no ratio for the unit and was left out (step 8).
	FlagNoRatio FlagCode = "no_ratio"
)

// Label is the flag's short Vietnamese name as reports print it.
func (c FlagCode) Label() string {
	switch c {
	case FlagFewForms:
		return "thiếu phiếu"
	case FlagNoData:
		return "không có dữ liệu"
	case FlagNoRatio:
		return "chưa có tỷ lệ nhập"
	}
	return string(c)
}

// NotEvaluatingLabel is how reports say why a group with a quota of 0 for a unit is left out
// of its score (GroupScore.NotEvaluating).
const NotEvaluatingLabel = "nhóm không đánh giá đơn vị này (chỉ tiêu 0 phiếu)"

// Flag is one warning on a unit's score, with a Vietnamese message for staff.
type Flag struct {
	Code    FlagCode
	Group   string
	Sub     string
	Message string
}

// Result builds the scores from what has been added so far; it may be called again later.
func (s *Scorer) Result() *Result {
	p := s.p
	res := &Result{Options: Options(p.def), Forms: s.forms, Units: make([]UnitResult, len(p.def.Units))}
	for ui := range p.def.Units {
		res.Units[ui] = p.unit(ui)
	}
	p.rank(res)
	return res
}

// rat is n/d (d > 0) as a new exact number. It reduces with an int64 gcd and sets the parts
// in place (Num and Denom are documented references once the Rat is set), which spares
// big.Rat's own reduction: a result holds tens of thousands of these means.
func rat(n, d int64) *big.Rat {
	a, b := n, d
	if a < 0 {
		a = -a
	}
	for b != 0 {
		a, b = b, a%b
	}
	if a > 1 {
		n, d = n/a, d/a
	}
	r := new(big.Rat).SetInt64(n)
	if d != 1 {
		r.Denom().SetInt64(d)
	}
	return r
}

// mean is m(u,g,q) from an accumulator: the sum of weights over the answers counted.
func (a acc) mean() *big.Rat {
	if a.n == 0 {
		return nil
	}
	return rat(a.sum, a.n*campaign.DecimalScale)
}

func (p *plan) unit(ui int) UnitResult {
	u := &p.def.Units[ui]
	k := p.kinds[u.Kind]
	upos := p.unitPos[ui]
	nsubs := len(k.subs)
	ur := UnitResult{Unit: u.Code, Kind: u.Kind}

	// domain.md step 4: a group below k valid forms is left out and flagged; step 8: an imported
	// group without a ratio has no data. A weight of 0 leaves a group out without a flag, and so
	// does a quota of 0 for the unit: the group does not evaluate it (forms/README.md).
	counted := make([]bool, len(p.groups))
	for _, gi := range k.groups {
		g := p.groups[gi]
		name := groupName(g.def)
		if g.imported {
			has := g.hasRatio(upos, nsubs)
			counted[gi] = has && g.weight > 0
			if !has {
				ur.Flags = append(ur.Flags, Flag{Code: FlagNoRatio, Group: g.def.Code,
					Message: fmt.Sprintf("%s chưa có tỷ lệ nhập cho đơn vị này: không tính vào điểm (%s)", name, FlagNoRatio.Label())})
			}
			continue
		}
		if !g.evaluates(u.Code) {
			continue // counted stays false, and no flag: the group has no quota here
		}
		n := g.forms[upos]
		counted[gi] = n >= p.set.minForms && g.weight > 0
		if n < p.set.minForms {
			ur.Flags = append(ur.Flags, Flag{Code: FlagFewForms, Group: g.def.Code,
				Message: fmt.Sprintf("%s có %d phiếu hợp lệ, dưới mức tối thiểu %d: không tính vào điểm (%s)", name, n, p.set.minForms, FlagFewForms.Label())})
		}
	}

	qm := make([]*big.Rat, len(k.questions))
	for qi := range k.questions {
		qm[qi] = p.combine(k, &k.questions[qi], upos, counted)
	}

	ur.Total = new(big.Rat)
	si := 0
	for _, a := range k.tree {
		as := AreaScore{Code: a.Code, Max: a.Points, Points: new(big.Rat)}
		for _, c := range a.Criteria {
			cs := CriterionScore{Code: c.Code, Max: c.Points, Points: new(big.Rat)}
			for _, sc := range c.Subs {
				ss := p.sub(k, si, sc, qm)
				if ss.NoData {
					ur.Flags = append(ur.Flags, Flag{Code: FlagNoData, Sub: sc.Code,
						Message: fmt.Sprintf("Tiêu chí thành phần %s không có dữ liệu: tính 0 điểm", sc.Code)})
				}
				cs.Points.Add(cs.Points, ss.Points)
				cs.Subs = append(cs.Subs, ss)
				si++
			}
			as.Points.Add(as.Points, cs.Points)
			as.Criteria = append(as.Criteria, cs)
		}
		ur.Total.Add(ur.Total, as.Points)
		ur.Areas = append(ur.Areas, as)
	}

	for _, gi := range k.groups {
		gs := p.groupScore(gi, upos, counted[gi])
		gs.NotEvaluating = !p.groups[gi].imported && !p.groups[gi].evaluates(u.Code)
		ur.Groups = append(ur.Groups, gs)
	}

	if sp := k.points; sp > 0 {
		ur.Percent = new(big.Rat).Mul(ur.Total, big.NewRat(100, 1))
		ur.Percent.Quo(ur.Percent, sp.Rat())
		var best *campaign.Band
		for i := range p.def.Bands {
			b := &p.def.Bands[i]
			if ur.Percent.Cmp(b.MinPercent.Rat()) >= 0 && (best == nil || b.MinPercent > best.MinPercent) {
				best = b
			}
		}
		if best != nil {
			ur.Band, ur.BandName = best.Code, best.Name
		}
	}
	return ur
}

// combine is domain.md step 3 (and step 8 for imported groups): m(u,q) from the groups that
// have data for the question, or nil when none has. Means m(u,g,q) = sum/(n·10⁴) are summed as
// w·sum/n, and the common 10⁴ and Σw divide once at the end.
func (p *plan) combine(k *kplan, q *kq, upos int, counted []bool) *big.Rat {
	s := &p.scratch
	s.reset()
	var den int64 // the sum of the weights of the groups with data
	if p.set.pooled {
		// Pooled: one mean over every answer of the collected groups, which then weighs the
		// sum of those groups' weights against imported groups (step 8).
		var sum, n, w int64
		for _, at := range q.at {
			g := p.groups[at.group]
			if !counted[at.group] {
				continue
			}
			if a := g.acc[upos*g.nq+at.pos]; a.n > 0 {
				sum, n, w = sum+a.sum, n+a.n, w+int64(g.weight)
			}
		}
		if n > 0 {
			s.add64(w, sum, n)
			den += w
		}
	} else {
		for _, at := range q.at {
			g := p.groups[at.group]
			if !counted[at.group] {
				continue
			}
			if a := g.acc[upos*g.nq+at.pos]; a.n > 0 {
				s.add64(int64(g.weight), a.sum, a.n)
				den += int64(g.weight)
			}
		}
	}
	for _, gi := range k.groups {
		g := p.groups[gi]
		if !g.imported || !counted[gi] {
			continue
		}
		if r := g.ratio(upos, q.sub, len(k.subs)); r != nil {
			s.addRat(int64(g.weight)*campaign.DecimalScale, r)
			den += int64(g.weight)
		}
	}
	if den == 0 {
		return nil
	}
	return s.quo(den * campaign.DecimalScale)
}

// sub is domain.md step 5: max points × the question-weighted mean of m(u,q) over the
// questions with data; 0 and NoData when there is none.
func (p *plan) sub(k *kplan, si int, sc campaign.SubCriterion, qm []*big.Rat) SubScore {
	ss := SubScore{Code: sc.Code, Max: sc.Points}
	s := &p.scratch
	s.reset()
	var den int64
	for _, qi := range k.subQs[si] {
		q := &k.questions[qi]
		ss.Questions = append(ss.Questions, QuestionScore{Code: q.code, Weight: q.weight, Mean: qm[qi]})
		if qm[qi] != nil {
			s.addRat(int64(q.weight), qm[qi])
			den += int64(q.weight)
		}
	}
	if den == 0 {
		ss.NoData = true
		ss.Points = new(big.Rat)
		return ss
	}
	ss.Mean = s.quo(den)
	ss.Points = new(big.Rat).Mul(k.subs[si].max, ss.Mean)
	return ss
}

// groupScore is one group's own means and points for a unit, whether or not it was counted.
func (p *plan) groupScore(gi, upos int, counted bool) GroupScore {
	g := p.groups[gi]
	gs := GroupScore{Group: g.def.Code, Imported: g.imported, Weight: g.weight, Counted: counted}
	if !g.imported {
		gs.Forms = g.forms[upos]
	}
	k := g.kind
	s := &p.scratch
	for _, sub := range g.subs {
		gsub := GroupSub{Sub: k.subs[sub.sub].code}
		if g.imported {
			if r := g.ratio(upos, sub.sub, len(k.subs)); r != nil {
				gsub.Mean = new(big.Rat).Set(r)
			}
		} else {
			s.reset()
			var den int64
			gsub.Questions = make([]GroupQuestion, len(sub.qs))
			for i, q := range sub.qs {
				a := g.acc[upos*g.nq+q.pos]
				gsub.Questions[i] = GroupQuestion{Code: k.questions[q.kq].code, Answers: a.n, Mean: a.mean()}
				if a.n > 0 {
					w := int64(k.questions[q.kq].weight)
					s.add64(w, a.sum, a.n)
					den += w
				}
			}
			if den > 0 {
				gsub.Mean = s.quo(den * campaign.DecimalScale)
			}
		}
		if gsub.Mean != nil {
			gsub.Points = new(big.Rat).Mul(k.subs[sub.sub].max, gsub.Mean)
		}
		gs.Subs = append(gs.Subs, gsub)
	}
	return gs
}

// rank is domain.md step 7: within each unit kind, on exact totals, equal totals share a rank
// and the next rank is skipped (1, 2, 2, 4).
func (p *plan) rank(res *Result) {
	for _, kind := range sortedKinds(p) {
		var idx []int
		for i := range res.Units {
			if res.Units[i].Kind == kind {
				idx = append(idx, i)
			}
		}
		sort.SliceStable(idx, func(a, b int) bool {
			return res.Units[idx[a]].Total.Cmp(res.Units[idx[b]].Total) > 0
		})
		for n, i := range idx {
			if n > 0 && res.Units[i].Total.Cmp(res.Units[idx[n-1]].Total) == 0 {
				res.Units[i].Rank = res.Units[idx[n-1]].Rank
			} else {
				res.Units[i].Rank = n + 1
			}
		}
	}
}

func groupName(g *campaign.Group) string {
	if g.Name == "" {
		return "Nhóm " + g.Code
	}
	if strings.ContainsAny(g.Name, "()") {
		// A name with its own brackets ("Người dân (kết quả SIPAS)") would close twice.
		return fmt.Sprintf("Nhóm %s – %s –", g.Code, g.Name)
	}
	return fmt.Sprintf("Nhóm %s (%s)", g.Code, g.Name)
}
