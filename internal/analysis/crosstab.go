package analysis

import (
	"math/big"
	"slices"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
)

// MinCell is the fewest respondents a cross-tab column may show: a column of fewer is
// suppressed, so that nobody can be recognised by their answers.
const MinCell = 5

// CrossTab is the mean rating by one respondent characteristic (a respondent field key, such as
// gioi_tinh, asked on the questionnaires of the groups evaluating one kind of unit): for each of
// its values, the mean per area and sub-criterion of the kind's criteria tree.
type CrossTab struct {
	Kind string
	// Field and Label are the characteristic's key and Vietnamese label.
	Field, Label string
	Values       []CrossValue
	Rows         []CrossRow
}

// CrossValue is one column of a cross-tab: a value of the characteristic.
type CrossValue struct {
	Label string
	// Respondents is the number of distinct respondents (a matrix form is one respondent);
	// Forms the valid forms per unit they gave.
	Respondents, Forms int64
	// Suppressed is set when Respondents < MinCell: the column shows no figure.
	Suppressed bool
}

// CrossRow is one line of a cross-tab: an area or a sub-criterion, with one mean per value.
type CrossRow struct {
	Area       bool
	Code, Name string
	// Means are the mean rating for each value, in [0, 1]; nil where the value has no usable
	// answer or its column is suppressed.
	Means []*big.Rat
}

// crossAcc is the sum of option weights (in ten-thousandths) and the number of answers counted.
type crossAcc struct{ sum, n int64 }

// CrossTabs computes, for every unit kind and every respondent characteristic asked of a group
// evaluating it, the mean rating of the valid forms per value. The mean rating of a
// sub-criterion is the mean option weight of the answers to the questions feeding it, with
// don't-know and blank answers left out or counted as 0 as the campaign's method says
// (domain.md, scoring step 2); an area's is the mean of its sub-criteria's weighted by their
// points, over those with data. Groups are pooled: this describes the respondents, it is not
// the score. A characteristic nobody gave has no table.
func CrossTabs(def *campaign.Definition, data *Data) []CrossTab {
	dontKnowZero := def.Scoring.DontKnow == campaign.MissingZero
	blankZero := def.Scoring.Blank == campaign.MissingZero
	forms := questionnaireOf(def)
	questions := map[string][]campaign.Question{}
	for g, q := range forms {
		questions[g] = q.Questions()
	}
	var out []CrossTab
	for _, k := range def.Kinds {
		tree := def.TreeFor(k.Code)
		subAt := map[string]int{}
		var subs []campaign.SubCriterion
		for _, a := range tree {
			for _, c := range a.Criteria {
				for _, s := range c.Subs {
					subAt[s.Code] = len(subs)
					subs = append(subs, s)
				}
			}
		}
		// The characteristics asked of the kind's groups, in order of first appearance, with
		// the union of their options.
		type field struct {
			key, label string
			values     []string
			at         map[string]int
		}
		var fields []*field
		byKey := map[string]*field{}
		groups := map[string]bool{}
		for i := range def.Groups {
			g := &def.Groups[i]
			q := forms[g.Code]
			if q == nil || g.Evaluates != k.Code {
				continue
			}
			groups[g.Code] = true
			for _, f := range q.Fields {
				fl := byKey[f.Key]
				if fl == nil {
					fl = &field{key: f.Key, label: f.Label, at: map[string]int{}}
					byKey[f.Key] = fl
					fields = append(fields, fl)
				}
				for _, o := range f.Options {
					if _, ok := fl.at[o]; !ok {
						fl.at[o] = len(fl.values)
						fl.values = append(fl.values, o)
					}
				}
			}
		}
		for _, fl := range fields {
			nv := len(fl.values)
			acc := make([]crossAcc, nv*len(subs))
			respondents := make([]map[int64]bool, nv)
			formCount := make([]int64, nv)
			for i := range respondents {
				respondents[i] = map[int64]bool{}
			}
			for i := range data.Forms {
				f := &data.Forms[i]
				if !f.Counts() || !groups[f.Group] {
					continue
				}
				v, ok := fl.at[data.Respondent(f)[fl.key]]
				if !ok {
					continue
				}
				respondents[v][f.Response] = true
				formCount[v]++
				qs := questions[f.Group]
				for qi := range qs {
					qu := &qs[qi]
					s, ok := subAt[qu.Feeds]
					if !ok || qu.IsText() || qi >= len(f.Answers) {
						continue
					}
					a := response.Answer(f.Answers[qi])
					n := a.Option()
					cell := &acc[v*len(subs)+s]
					switch {
					case n > 0 && n <= len(qu.Options) && qu.Options[n-1].Weight != nil:
						cell.sum += int64(*qu.Options[n-1].Weight)
						cell.n++
					case n > 0 && n <= len(qu.Options) && qu.Options[n-1].DontKnow:
						if dontKnowZero {
							cell.n++
						}
					case a == response.Skipped:
					default: // blank or multi-marked
						if blankZero {
							cell.n++
						}
					}
				}
			}
			if !slices.ContainsFunc(respondents, func(m map[int64]bool) bool { return len(m) > 0 }) {
				continue // nobody answered it: no table
			}
			ct := CrossTab{Kind: k.Code, Field: fl.key, Label: fl.label}
			for v, label := range fl.values {
				n := int64(len(respondents[v]))
				ct.Values = append(ct.Values, CrossValue{Label: label, Respondents: n, Forms: formCount[v], Suppressed: n < MinCell})
			}
			mean := func(v, s int) *big.Rat {
				c := acc[v*len(subs)+s]
				if ct.Values[v].Suppressed || c.n == 0 {
					return nil
				}
				return big.NewRat(c.sum, c.n*campaign.DecimalScale)
			}
			for _, a := range tree {
				area := CrossRow{Area: true, Code: a.Code, Name: a.Name, Means: make([]*big.Rat, nv)}
				var rows []CrossRow
				num := make([]*big.Rat, nv)
				den := make([]int64, nv)
				for _, c := range a.Criteria {
					for _, s := range c.Subs {
						si := subAt[s.Code]
						r := CrossRow{Code: s.Code, Name: s.Name, Means: make([]*big.Rat, nv)}
						for v := range nv {
							m := mean(v, si)
							r.Means[v] = m
							if m == nil {
								continue
							}
							if num[v] == nil {
								num[v] = new(big.Rat)
							}
							num[v].Add(num[v], new(big.Rat).Mul(m, s.Points.Rat()))
							den[v] += int64(s.Points)
						}
						rows = append(rows, r)
					}
				}
				for v := range nv {
					if num[v] != nil && den[v] > 0 {
						area.Means[v] = new(big.Rat).Quo(num[v], big.NewRat(den[v], campaign.DecimalScale))
					}
				}
				ct.Rows = append(append(ct.Rows, area), rows...)
			}
			out = append(out, ct)
		}
	}
	return out
}
