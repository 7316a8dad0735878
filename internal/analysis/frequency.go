package analysis

import (
	"math/big"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// FrequencyTable is how the valid forms about one unit answered one closed question: one row
// per respondent group answering the questionnaire, then, when several do, a row for all of
// them together (Group ""). A matrix form counts once for each unit it covers (domain.md step 7).
type FrequencyTable struct {
	// Form is the questionnaire's code; Question, Text and Feeds the question's code, text
	// and the sub-criterion it scores ("" for an unscored question).
	Form, Question, Text, Feeds string
	// Unit is the unit's code.
	Unit string
	// Options are the question's options in order; a don't-know option has DontKnow set.
	Options []campaign.Option
	Rows    []FrequencyRow
}

// FrequencyRow is one group's answers (or all groups', Group "") in a frequency table.
type FrequencyRow struct {
	Group string
	// Forms is the number of valid forms: the base of every percentage.
	Forms int64
	// Counts are the forms that chose each option, in the order of FrequencyTable.Options
	// (don't-know among them).
	Counts []int64
	// Blank is the forms that left the question blank; Multi those marked more than once on
	// paper (scored as blank); Skipped those not asked it (show_if).
	Blank, Multi, Skipped int64
}

// Percent is n as a share of the row's forms, in percent rounded half up to one decimal, the
// Vietnamese way ("12,5"); "" when the row has no forms.
func (r *FrequencyRow) Percent(n int64) string { return Percent(n, r.Forms) }

// Percent is n out of of as a percentage rounded half up to one decimal, written the Vietnamese
// way ("12,5"); "" when of is 0.
func Percent(n, of int64) string {
	if of == 0 {
		return ""
	}
	return vn.Decimal(big.NewRat(100*n, of), 1)
}

// freqSlots are the counters kept per question beyond its options: blank first, then multi
// and skipped after the options.
const freqExtra = 3

// Frequencies counts, for every closed question of every questionnaire, the answers of the
// valid forms per unit and group (domain.md: only valid forms count). Tables come in
// questionnaire, question and unit order; a unit without any valid form for the questionnaire
// has no table. Open-ended questions have none (their answers are listed, not counted).
func Frequencies(def *campaign.Definition, data *Data) []FrequencyTable {
	type formAcc struct {
		q      *campaign.Questionnaire
		qs     []campaign.Question
		groups []*campaign.Group
		units  []campaign.Unit
		unitAt map[string]int
		offset []int // per question: its first counter
		width  int   // counters per (group, unit)
		counts []int64
		forms  []int64 // per (group, unit)
	}
	var order []*formAcc
	groupAcc := map[string]*formAcc{}
	groupPos := map[string]int{}
	for i := range def.Questionnaires {
		q := &def.Questionnaires[i]
		a := &formAcc{q: q, qs: q.Questions(), groups: GroupsOf(def, q.Code), units: UnitsOf(def, q.Code), unitAt: map[string]int{}}
		if len(a.groups) == 0 {
			continue
		}
		for j, u := range a.units {
			a.unitAt[u.Code] = j
		}
		for _, qu := range a.qs {
			a.offset = append(a.offset, a.width)
			a.width += len(qu.Options) + freqExtra
		}
		a.counts = make([]int64, len(a.groups)*len(a.units)*a.width)
		a.forms = make([]int64, len(a.groups)*len(a.units))
		for j, g := range a.groups {
			groupAcc[g.Code], groupPos[g.Code] = a, j
		}
		order = append(order, a)
	}
	for i := range data.Forms {
		f := &data.Forms[i]
		if !f.Counts() {
			continue
		}
		a := groupAcc[f.Group]
		if a == nil {
			continue
		}
		u, ok := a.unitAt[f.Unit]
		if !ok {
			continue
		}
		cell := groupPos[f.Group]*len(a.units) + u
		a.forms[cell]++
		base := a.counts[cell*a.width : (cell+1)*a.width]
		ans := f.Answers
		for qi := range a.qs {
			if qi >= len(ans) {
				break
			}
			off := a.offset[qi]
			nopt := len(a.qs[qi].Options)
			c := response.Answer(ans[qi])
			switch n := c.Option(); {
			case n > 0 && n <= nopt:
				base[off+n]++
			case c == response.Multi:
				base[off+nopt+1]++
			case c == response.Skipped:
				base[off+nopt+2]++
			default:
				base[off]++
			}
		}
	}
	var out []FrequencyTable
	for _, a := range order {
		for qi := range a.qs {
			qu := &a.qs[qi]
			if qu.IsText() {
				continue
			}
			off, nopt := a.offset[qi], len(qu.Options)
			for ui, u := range a.units {
				t := FrequencyTable{Form: a.q.Code, Question: qu.Code, Text: qu.Text, Feeds: qu.Feeds, Unit: u.Code, Options: qu.Options}
				total := FrequencyRow{Counts: make([]int64, nopt)}
				for gi, g := range a.groups {
					if g.Evaluates != u.Kind {
						continue
					}
					cell := gi*len(a.units) + ui
					base := a.counts[cell*a.width : (cell+1)*a.width]
					r := FrequencyRow{Group: g.Code, Forms: a.forms[cell], Counts: append([]int64(nil), base[off+1:off+1+nopt]...),
						Blank: base[off], Multi: base[off+nopt+1], Skipped: base[off+nopt+2]}
					total.Forms += r.Forms
					for k := range r.Counts {
						total.Counts[k] += r.Counts[k]
					}
					total.Blank += r.Blank
					total.Multi += r.Multi
					total.Skipped += r.Skipped
					t.Rows = append(t.Rows, r)
				}
				if total.Forms == 0 {
					continue
				}
				if len(t.Rows) > 1 {
					t.Rows = append(t.Rows, total)
				}
				out = append(out, t)
			}
		}
	}
	return out
}
