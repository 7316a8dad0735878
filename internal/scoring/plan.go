package scoring

import (
	"fmt"
	"math/big"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// settings are the method options of domain.md ("Answers and scoring") with the defaults filled
// in, so that a definition built in Go without the loader scores like one read from YAML.
type settings struct {
	dontKnowZero bool  // step 2: don't-know counts as 0 instead of being left out
	blankZero    bool  // step 2: blank (and multi-marked) counts as 0 instead of being left out
	pooled       bool  // step 3: pooled mean instead of group weights
	minForms     int64 // step 4: k
}

func settingsOf(d *campaign.Definition) settings {
	s := settings{
		dontKnowZero: d.Scoring.DontKnow == campaign.MissingZero,
		blankZero:    d.Scoring.Blank == campaign.MissingZero,
		pooled:       d.Scoring.Combine == campaign.CombinePooled,
		minForms:     int64(d.Scoring.MinForms),
	}
	if s.minForms < 1 {
		s.minForms = 1 // domain.md step 4: default k = 1
	}
	return s
}

// Per-question action for an answer: a weight >= 0 to add (with one more answer counted), or:
const (
	actSkip int32 = -1 // left out of both sides of the mean
	actBad  int32 = -2 // an option the question does not have
)

// slotOf maps an answer character to its slot in a question's action row: 0 for blank and
// multi-marked, 1..9 for an option, -1 for a character that is no answer at all.
var slotOf = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	t['0'], t['*'] = 0, 0
	for c := '1'; c <= '9'; c++ {
		t[c] = int8(c - '0')
	}
	return t
}()

// acc is the running sum for one (unit, group, question): weights in ten-thousandths and the
// number of answers on the denominator side (domain.md step 2). No big.Rat per answer.
type acc struct {
	sum int64
	n   int64
}

// subInfo is one sub-criterion of the tree, flattened in tree order.
type subInfo struct {
	code   string
	points campaign.Decimal
	max    *big.Rat // points as an exact number, shared read-only
}

// gplan is one respondent group, compiled.
type gplan struct {
	def      *campaign.Group
	weight   campaign.Decimal
	imported bool
	kind     *kplan
	nq       int     // questions on the group's questionnaire (answer length)
	act      []int32 // nq rows of 10 actions, indexed [question*10+slot]
	// subs lists, in tree order, the sub-criteria the group has questions for (collected) or is
	// mapped to (imported), with the kind questions involved.
	subs []gsub
	// feeds[sub] is set for every sub-criterion an imported group's ratio applies to (step 8).
	feeds []bool

	acc   []acc   // collected: [unitPos*nq+question]
	forms []int64 // collected: valid forms per unit position

	unitRatio []*big.Rat       // imported: one ratio per unit position, for every mapped sub
	subRatio  map[int]*big.Rat // imported: key unitPos*len(kind.subs)+sub, overrides unitRatio
}

// evaluates reports whether the group evaluates the unit: not when the campaign sets its quota
// for the unit to 0 (quota_overrides, "nhóm không đánh giá đơn vị này" in forms/README.md). Only
// an explicit override counts, so that a definition built in Go without quotas still scores.
func (g *gplan) evaluates(unit string) bool {
	q, ok := g.def.QuotaOverrides[unit]
	return !ok || q > 0
}

// gsub is a sub-criterion seen from one group: which kind questions it answers there, and at
// which position of its own questionnaire.
type gsub struct {
	sub int
	qs  []gq
}

type gq struct {
	kq  int // index into kplan.questions
	pos int // position in the group's questionnaire
}

// kplan is everything scored about one kind of unit: its criteria tree (one index set per
// level, Definition.TreeFor), units, groups and questions.
type kplan struct {
	code      string
	tree      []campaign.Area
	points    campaign.Decimal // the kind's survey points (Definition.SurveyPointsFor)
	subs      []subInfo        // the tree's sub-criteria, flattened in tree order
	subIdx    map[string]int
	units     []int // indexes into Definition.Units
	groups    []int // indexes into plan.groups, definition order
	questions []kq
	subQs     [][]int // per sub: indexes into questions, first-seen order
}

// kq is a question as scoring sees it: identified by its code and the sub-criterion it feeds,
// so that the same question on several groups' forms is combined across groups (step 3).
type kq struct {
	code    string // "" for the stand-in of a sub-criterion fed only by imported groups
	sub     int
	weight  campaign.Decimal
	at      []qat
	virtual bool
}

type qat struct {
	group int
	pos   int
}

// plan is a definition compiled for fast accumulation.
type plan struct {
	def      *campaign.Definition
	set      settings
	groups   []*gplan
	groupIdx map[string]int
	unitIdx  map[string]int // code → index into Definition.Units
	unitPos  []int          // Definition.Units index → position among its kind's units
	kinds    map[string]*kplan
	scratch  fsum // reused while building a result
}

func compile(d *campaign.Definition) (*plan, error) {
	p := &plan{
		def:      d,
		set:      settingsOf(d),
		groupIdx: map[string]int{},
		unitIdx:  map[string]int{},
		unitPos:  make([]int, len(d.Units)),
		kinds:    map[string]*kplan{},
	}
	for _, k := range d.Kinds {
		if _, err := p.kind(k.Code); err != nil {
			return nil, err
		}
	}
	for i, u := range d.Units {
		if _, dup := p.unitIdx[u.Code]; dup {
			return nil, fmt.Errorf("scoring: unit %s declared twice", u.Code)
		}
		k, err := p.kind(u.Kind)
		if err != nil {
			return nil, err
		}
		p.unitIdx[u.Code] = i
		p.unitPos[i] = len(k.units)
		k.units = append(k.units, i)
	}
	for i := range d.Groups {
		if err := p.addGroup(&d.Groups[i]); err != nil {
			return nil, err
		}
	}
	// A sub-criterion fed only by imported groups has no question: its ratio stands for one
	// question of weight 1, so that steps 3 and 5 apply unchanged (domain.md step 8).
	for _, kc := range sortedKinds(p) {
		k := p.kinds[kc]
		for s := range k.subs {
			if len(k.subQs[s]) > 0 {
				continue
			}
			for _, gi := range k.groups {
				if g := p.groups[gi]; g.imported && g.feeds[s] {
					k.subQs[s] = append(k.subQs[s], len(k.questions))
					k.questions = append(k.questions, kq{sub: s, weight: campaign.DecimalScale, virtual: true})
					break
				}
			}
		}
	}
	return p, nil
}

// kind finds or compiles the plan of a unit kind, with the kind's own tree (sub-criterion codes
// are unique inside one tree only).
func (p *plan) kind(code string) (*kplan, error) {
	if k := p.kinds[code]; k != nil {
		return k, nil
	}
	k := &kplan{code: code, tree: p.def.TreeFor(code), points: p.def.SurveyPointsFor(code), subIdx: map[string]int{}}
	for _, a := range k.tree {
		for _, c := range a.Criteria {
			for _, s := range c.Subs {
				if _, dup := k.subIdx[s.Code]; dup {
					return nil, fmt.Errorf("scoring: sub-criterion %s declared twice in the tree of %s", s.Code, code)
				}
				k.subIdx[s.Code] = len(k.subs)
				k.subs = append(k.subs, subInfo{code: s.Code, points: s.Points, max: s.Points.Rat()})
			}
		}
	}
	k.subQs = make([][]int, len(k.subs))
	p.kinds[code] = k
	return k, nil
}

// sortedKinds lists kind codes in definition order, then any undeclared kinds of units.
func sortedKinds(p *plan) []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range p.def.Kinds {
		if !seen[k.Code] {
			seen[k.Code] = true
			out = append(out, k.Code)
		}
	}
	for _, u := range p.def.Units {
		if !seen[u.Kind] {
			seen[u.Kind] = true
			out = append(out, u.Kind)
		}
	}
	return out
}

func (p *plan) addGroup(g *campaign.Group) error {
	if _, dup := p.groupIdx[g.Code]; dup {
		return fmt.Errorf("scoring: group %s declared twice", g.Code)
	}
	gp := &gplan{def: g, weight: campaign.DecimalScale, imported: g.Imported()}
	if g.Weight != nil {
		gp.weight = *g.Weight // domain.md step 3: w_g from the campaign, default equal
	}
	if gp.weight < 0 {
		return fmt.Errorf("scoring: group %s has a negative weight", g.Code)
	}
	k, err := p.kind(g.Evaluates)
	if err != nil {
		return err
	}
	gp.kind = k
	gi := len(p.groups)
	p.groups = append(p.groups, gp)
	p.groupIdx[g.Code] = gi
	k.groups = append(k.groups, gi)

	if gp.imported {
		gp.feeds = make([]bool, len(k.subs))
		for _, s := range g.Feeds {
			si, ok := k.subIdx[s]
			if !ok {
				return fmt.Errorf("scoring: imported group %s feeds unknown sub-criterion %s", g.Code, s)
			}
			gp.feeds[si] = true
		}
		if len(g.Feeds) == 0 { // an imported group mapped to nothing in particular feeds every sub
			for s := range gp.feeds {
				gp.feeds[s] = true
			}
		}
		for s, on := range gp.feeds {
			if on {
				gp.subs = append(gp.subs, gsub{sub: s})
			}
		}
		gp.unitRatio = make([]*big.Rat, len(k.units))
		gp.subRatio = map[int]*big.Rat{}
		return nil
	}

	q := p.def.Questionnaire(g.Form)
	if q == nil {
		return fmt.Errorf("scoring: group %s uses unknown questionnaire %q", g.Code, g.Form)
	}
	qs := q.Questions()
	gp.nq = len(qs)
	gp.act = make([]int32, 10*len(qs))
	bySub := map[int][]gq{}
	for i := range qs {
		item := &qs[i]
		opts := item.Options
		if len(opts) == 0 && item.Scale != "" {
			if sc := p.def.Scale(item.Scale); sc != nil {
				opts = sc.Options
			}
		}
		if len(opts) > 9 && item.Scored() {
			return fmt.Errorf("scoring: question %s of %s has more than 9 options", item.Code, q.Code)
		}
		row := gp.act[10*i : 10*i+10]
		for slot := range row {
			row[slot] = actBad
		}
		row[0] = actSkip
		for n := range min(len(opts), 9) { // options from 10 on pass over (passOver)
			row[n+1] = actSkip
		}
		if item.IsText() {
			row[1] = actSkip // "có ý kiến" (response.HasText) counts nowhere
		}
		if !item.Scored() {
			continue
		}
		si, ok := k.subIdx[item.Feeds]
		if !ok {
			return fmt.Errorf("scoring: question %s of %s feeds unknown sub-criterion %s", item.Code, q.Code, item.Feeds)
		}
		// domain.md step 2: blank (multi-marked counts as blank) and don't-know are left out of
		// both sides of the mean, or count as 0 when the campaign says so.
		if p.set.blankZero {
			row[0] = 0
		}
		for n, o := range opts {
			switch {
			case o.Weight != nil && !o.DontKnow:
				if *o.Weight < 0 || *o.Weight > campaign.DecimalScale {
					return fmt.Errorf("scoring: option %d of question %s has weight %s outside [0, 1]", n+1, item.Code, *o.Weight)
				}
				row[n+1] = int32(*o.Weight)
			case p.set.dontKnowZero:
				row[n+1] = 0
			}
		}
		ki, err := k.question(item, si)
		if err != nil {
			return fmt.Errorf("scoring: questionnaire %s: %w", q.Code, err)
		}
		k.questions[ki].at = append(k.questions[ki].at, qat{group: gi, pos: i})
		bySub[si] = append(bySub[si], gq{kq: ki, pos: i})
	}
	gp.acc = make([]acc, len(k.units)*gp.nq)
	gp.forms = make([]int64, len(k.units))
	for s := range k.subs {
		if qs := bySub[s]; len(qs) > 0 {
			gp.subs = append(gp.subs, gsub{sub: s, qs: qs})
		}
	}
	return nil
}

// question finds or adds the kind question with the item's code and sub-criterion.
func (k *kplan) question(item *campaign.Question, sub int) (int, error) {
	w := item.QuestionWeight()
	if w <= 0 {
		return 0, fmt.Errorf("question %s has weight %s; it must be above 0", item.Code, w)
	}
	for _, i := range k.subQs[sub] {
		if q := &k.questions[i]; q.code == item.Code {
			if q.weight != w {
				return 0, fmt.Errorf("question %s feeds %s with weight %s here and %s on another form", item.Code, item.Feeds, w, q.weight)
			}
			return i, nil
		}
	}
	i := len(k.questions)
	k.questions = append(k.questions, kq{code: item.Code, sub: sub, weight: w})
	k.subQs[sub] = append(k.subQs[sub], i)
	return i, nil
}
