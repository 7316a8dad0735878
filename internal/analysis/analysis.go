// Package analysis computes the tables an analysis report needs from a campaign's definition
// and its stored responses: frequency tables per question × unit × group, cross-tabs of the
// mean rating by respondent characteristic, and the precision of each unit's total (a
// bootstrap over forms, re-scored with internal/scoring). It also describes each
// questionnaire's variables for the analysis-ready data files (Variables, Codebook). It holds no
// HTTP and no SQL: it reads through store functions.
package analysis

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/store"
)

// Data is a campaign's stored responses as the tables read them: every form per unit it
// answers for, its verdict and its respondent's details, and the imported ratios.
type Data struct {
	Forms  []Form
	Ratios []scoring.Ratio
	// people are the distinct respondent details, which Form.Person indexes: the fields are
	// closed lists, so a campaign has few distinct combinations.
	people []map[string]string
}

// Form is one form's answers about one unit; a matrix form gives one Form per unit it covers,
// all with the same Response.
type Form struct {
	Response int64
	Group    string
	Unit     string
	// Judged is false while the form awaits a verdict; Valid says whether it counts for the unit.
	Judged, Valid bool
	// Person indexes the respondent's details (Data.Respondent); -1 when none were given.
	Person  int32
	Answers response.Answers
}

// Counts reports whether the form counts for its unit: judged and valid (domain.md, "Valid
// forms"). Only such forms enter the tables.
func (f *Form) Counts() bool { return f.Judged && f.Valid }

// Respondent returns the respondent's details of a form (field key → the option's label as
// stored); nil when none were given.
func (d *Data) Respondent(f *Form) map[string]string {
	if f.Person < 0 || int(f.Person) >= len(d.people) {
		return nil
	}
	return d.people[f.Person]
}

// Add appends a form with its respondent's details, for callers that build Data themselves
// (tests, benchmarks, a report over forms read elsewhere).
func (d *Data) Add(f Form, respondent map[string]string) {
	f.Person = -1
	if len(respondent) > 0 {
		f.Person = int32(len(d.people))
		d.people = append(d.people, respondent)
	}
	d.Forms = append(d.Forms, f)
}

// Load reads a campaign's responses and imported ratios: every form per unit with its
// verdict, and its respondent's details decoded once per distinct combination.
func Load(ctx context.Context, db *store.DB, campaignID int64) (*Data, error) {
	d := &Data{}
	seen := map[string]int32{}
	err := db.AnalysisForms(ctx, campaignID, func(r *store.AnalysisForm) error {
		f := Form{Response: r.ResponseID, Group: r.Group, Unit: r.Unit, Judged: r.Judged, Valid: r.Valid, Person: -1,
			Answers: response.Answers(r.Answers)}
		if len(r.Respondent) > 2 { // not "{}"
			p, ok := seen[string(r.Respondent)]
			if !ok {
				var m map[string]string
				if err := json.Unmarshal(r.Respondent, &m); err != nil {
					return fmt.Errorf("response %d: respondent details: %w", r.ResponseID, err)
				}
				p = int32(len(d.people))
				d.people = append(d.people, m)
				seen[string(r.Respondent)] = p
			}
			f.Person = p
		}
		d.Forms = append(d.Forms, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analysis: load campaign %d: %w", campaignID, err)
	}
	ratios, err := db.Ratios(ctx, campaignID)
	if err != nil {
		return nil, fmt.Errorf("analysis: load campaign %d: %w", campaignID, err)
	}
	for _, r := range ratios {
		v, ok := new(big.Rat).SetString(r.Ratio)
		if !ok {
			return nil, fmt.Errorf("analysis: imported ratio %q of %s for %s is not a number", r.Ratio, r.Group, r.Unit)
		}
		d.Ratios = append(d.Ratios, scoring.Ratio{Group: r.Group, Unit: r.Unit, Sub: r.Sub, Value: v})
	}
	return d, nil
}

// questionnaireOf returns the questionnaire each collecting group answers, by group code.
func questionnaireOf(def *campaign.Definition) map[string]*campaign.Questionnaire {
	out := map[string]*campaign.Questionnaire{}
	for i := range def.Groups {
		g := &def.Groups[i]
		if g.Imported() {
			continue
		}
		if q := def.Questionnaire(g.Form); q != nil {
			out[g.Code] = q
		}
	}
	return out
}

// GroupsOf lists, in definition order, the collecting groups that answer a questionnaire.
func GroupsOf(def *campaign.Definition, form string) []*campaign.Group {
	var out []*campaign.Group
	for i := range def.Groups {
		if g := &def.Groups[i]; !g.Imported() && g.Form == form {
			out = append(out, g)
		}
	}
	return out
}

// UnitsOf lists, in definition order, the units the groups answering a questionnaire evaluate.
func UnitsOf(def *campaign.Definition, form string) []campaign.Unit {
	kinds := map[string]bool{}
	for _, g := range GroupsOf(def, form) {
		kinds[g.Evaluates] = true
	}
	var out []campaign.Unit
	for _, u := range def.Units {
		if kinds[u.Kind] {
			out = append(out, u)
		}
	}
	return out
}
