package intake

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/store"
)

// fuzzOnline is a post of values to a form of the demo campaign: group S2 about SNV (a
// single-unit form) when matrix is false, group S1 (a matrix form over every Sở) otherwise.
func fuzzOnline(t testing.TB, def *campaign.Definition, matrix bool, values map[string]string, repeated map[string]bool) Online {
	t.Helper()
	group, unit := "S2", "SNV"
	if matrix {
		group, unit = "S1", ""
	}
	g := def.Group(group)
	q := def.Questionnaire(g.Form)
	units := def.UnitsOfKind(g.Evaluates)
	if unit != "" {
		units = []campaign.Unit{*def.Unit(unit)}
	}
	ids := map[string]int64{}
	for i, u := range def.Units {
		ids[u.Code] = int64(i + 1)
	}
	return Online{Form: &store.LinkForm{ID: 7, CampaignID: 1}, Group: group, Unit: unit, Units: units, UnitIDs: ids,
		Def: def, Questionnaire: q, Values: values, Repeated: repeated, SubmissionID: "fuzz",
		At: time.Date(2026, 11, 15, 9, 0, 0, 0, campaign.Zone)}
}

// FuzzOnlineParse feeds intake's reading of a respondent's post any values: it must never
// panic, must give each unit asked about one answer per question, name only posted fields in
// its errors, write valid JSON, and give the same digest for the same post.
func FuzzOnlineParse(f *testing.F) {
	def, err := campaign.Load(forms.FS, forms.Demo3Cap)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(false, []byte("r_gioi_tinh=1&q_C1=1&q_C2=2&q_C3=3"))
	f.Add(true, []byte("q_C1_SNV=1&q_C1_STP=2&q_C1_SNV=3"))
	f.Add(false, []byte("q_C1=0&q_C2=-1&q_C3=99999999999999999999&q_C4=1e3&q_C5= 2"))
	f.Add(false, []byte("r_gioi_tinh=<script>&q_C1=\xff\xfe&q_C2=2\x00"))
	f.Add(true, []byte("q_C1_"+strings.Repeat("X", 300)+"=1"))
	f.Fuzz(func(t *testing.T, matrix bool, body []byte) {
		values, repeated := map[string]string{}, map[string]bool{}
		for _, pair := range bytes.Split(body, []byte("&")) {
			k, v, _ := bytes.Cut(pair, []byte("="))
			if _, seen := values[string(k)]; seen {
				repeated[string(k)] = true
			}
			values[string(k)] = string(v)
		}
		in := fuzzOnline(t, def, matrix, values, repeated)
		sub, facts, fields := in.parse()
		v := judge(in.Def, facts)
		fields = append(fields, tooFew(in, v)...)
		questions := in.Questionnaire.Questions()
		if len(sub.Answers) != len(in.Units) || len(facts.Answers) != len(in.Units) {
			t.Fatalf("%d answer rows for %d units", len(sub.Answers), len(in.Units))
		}
		for i, a := range sub.Answers {
			if len(a.Answers) != len(questions) {
				t.Fatalf("unit %d: %d answers for %d questions", i, len(a.Answers), len(questions))
			}
			for _, c := range []byte(a.Answers) {
				if c != byte(response.Blank) && c != byte(response.Multi) && (c < '1' || c > '9') {
					t.Fatalf("stored answer %q holds %q", a.Answers, c)
				}
			}
		}
		for _, fl := range fields {
			if fl.Msg == "" {
				t.Fatalf("field %q refused without a message", fl.Name)
			}
			if fl.Name != "" && !strings.HasPrefix(fl.Name, "r_") && !strings.HasPrefix(fl.Name, "q_") {
				t.Fatalf("error names field %q, which the form has not", fl.Name)
			}
		}
		if !json.Valid([]byte(sub.Respondent)) || !json.Valid([]byte(v.reasons)) {
			t.Fatalf("invalid JSON: respondent %q, reasons %q", sub.Respondent, v.reasons)
		}
		sub2, _, _ := in.parse()
		if sub2.Digest != sub.Digest || len(sub.Digest) != 64 {
			t.Fatalf("digest %q then %q for one post", sub.Digest, sub2.Digest)
		}
	})
}
