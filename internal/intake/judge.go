package intake

import (
	"encoding/json"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/validation"
)

// verdict is a judgement as the store keeps it: valid, the reasons as JSON, and the units the
// form counts for.
type verdict struct {
	validation.Verdict
	reasons string
	units   map[string]bool
}

// judge applies the valid-form rules of domain.md ("Valid forms") under def, the effective
// definition: the one place any path decides whether a form counts.
func judge(def *campaign.Definition, f validation.Facts) verdict {
	v := verdict{Verdict: validation.Check(def, f), reasons: "[]", units: map[string]bool{}}
	if len(v.Reasons) > 0 {
		b, err := json.Marshal(v.Reasons)
		if err != nil {
			panic(err) // strings only
		}
		v.reasons = string(b)
	}
	for _, u := range v.ValidUnits() {
		v.units[u] = true
	}
	return v
}

// record puts a verdict on a submission about to be stored, per unit; facts.Answers and
// sub.Answers list the units in the same order.
func (v verdict) record(sub *store.Submission, facts validation.Facts) {
	sub.Valid, sub.Reasons = v.Valid, v.reasons
	for i := range sub.Answers {
		sub.Answers[i].Valid = v.units[facts.Answers[i].Unit]
	}
}

// storedFacts rebuilds what the rules need about a stored response. A stored response is the
// first accepted for its code (responses.form_id is UNIQUE). Paper and imported responses count
// as verified: they are stored only once double entry, as in force when they were keyed, was
// satisfied, and a form accepted under single entry cannot be keyed again, so turning double
// entry on later does not invalidate it for good.
func storedFacts(r *store.StoredResponse) validation.Facts {
	f := validation.Facts{
		Issued: true, Voided: r.Voided, IssuedGroup: r.Group, Group: r.Group,
		Channel: campaign.Channel(r.Channel), ReceivedAt: r.ReceivedAt, FirstForCode: true,
	}
	if r.FormUnit != "" {
		f.IssuedUnits = []string{r.FormUnit}
	} else if len(r.FormUnits) > 0 {
		f.IssuedUnits = r.FormUnits // a matrix form issued for a list of units (issue 12, item 6)
	}
	if r.Channel == string(campaign.ChannelPaper) || r.Channel == string(campaign.ChannelFileImport) {
		f.Keyings, f.Verified = 2, true
	}
	for _, a := range r.Answers {
		f.Answers = append(f.Answers, validation.UnitAnswers{Unit: a.Unit, Answers: response.Answers(a.Answers)})
	}
	return f
}

// rejudge judges a stored response again under def; changed reports whether the verdict
// differs from the stored one.
func rejudge(def *campaign.Definition, r *store.StoredResponse) (out store.Verdict, changed bool) {
	v := judge(def, storedFacts(r))
	out = store.Verdict{ResponseID: r.ID, Valid: v.Valid, Reasons: v.reasons}
	changed = !r.Judged || r.Valid != v.Valid || r.Reasons != v.reasons
	for _, a := range r.Answers {
		out.Units = append(out.Units, store.UnitVerdict{UnitID: a.UnitID, Valid: v.units[a.Unit]})
		if a.Valid != v.units[a.Unit] {
			changed = true
		}
	}
	return out, changed
}
