package validation

import (
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// kindsDef is def with F1's questions 2–5 asked only after option 1 of question 1, and an open
// question appended after the unscored one (issue 12, question kinds).
func kindsDef() *campaign.Definition {
	d := def()
	qs := d.Questionnaires[0].Sections[0].Questions
	for i := 1; i <= 4; i++ {
		qs[i].ShowIf = &campaign.Condition{Question: qs[0].Code, Answers: []int{1}}
	}
	d.Questionnaires[0].Sections[0].Questions = append(qs, campaign.Question{Code: "Y", Text: "Ý kiến", Kind: campaign.QuestionText})
	return d
}

func TestSkippedAndOpenQuestions(t *testing.T) {
	cases := []struct {
		name     string
		answers  string
		valid    bool
		scored   int
		answered int
	}{
		{"skipped questions are left out of the count: 1 of the 6 asked is too few", "4----000001" + "1", false, 6, 1},
		{"a form with the follow-ups skipped and the rest answered is valid", "4----111111" + "0", true, 6, 6},
		{"follow-ups that are asked and left blank count as unanswered", "10000111111" + "0", false, 10, 6},
		{"an open question answered or not never counts", "11111111111" + "1", true, 10, 10},
		{"an answer to a skipped question is refused as not fitting the form", "41111111111" + "0", false, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := ok()
			f.Answers = answers("H1", c.answers)
			v := Check(kindsDef(), f)
			if v.Valid != c.valid {
				t.Fatalf("valid = %v, want %v: %s", v.Valid, c.valid, v.Message())
			}
			if u := v.Units[0]; u.Scored != c.scored || u.Answered != c.answered {
				t.Errorf("scored %d answered %d, want %d and %d", u.Scored, u.Answered, c.scored, c.answered)
			}
		})
	}
}
