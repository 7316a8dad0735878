package response

import (
	"fmt"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// Form is what answers must fit: a questionnaire's questions in answer order, each with its
// number of options, its kind and its skip condition. Every path a form takes (online, keying,
// import, validation) asks it which questions are asked.
type Form []Item

// Item is one question as the answers see it.
type Item struct {
	Code string
	// Options is the number of options; 1 for an open-ended question (HasText).
	Options int
	Scored  bool
	Text    bool
	// After is the index of the earlier question whose answer decides whether this one is
	// asked (show_if), -1 when it is always asked; When are the option numbers that ask it.
	After int
	When  []int
}

// FormOf builds the form of a questionnaire's questions (Questionnaire.Questions, options
// resolved). A show_if naming a question that is not earlier is taken as always asked: the
// definition check refuses it.
func FormOf(questions []campaign.Question) Form {
	index := map[string]int{}
	f := make(Form, len(questions))
	for i := range questions {
		q := &questions[i]
		it := Item{Code: q.Code, Options: len(q.Options), Scored: q.Scored() && !q.IsText(), Text: q.IsText(), After: -1}
		if it.Text {
			it.Options = 1
		}
		if c := q.ShowIf; c != nil {
			if j, ok := index[c.Question]; ok {
				it.After, it.When = j, c.Answers
			}
		}
		index[q.Code] = i
		f[i] = it
	}
	return f
}

// Asked reports whether question i is asked given the answers before it: it has no condition,
// or the question it depends on was itself asked and answered with one of the options named.
// A blank or multi-marked answer to that question asks nothing that depends on it.
func (f Form) Asked(a Answers, i int) bool {
	it := f[i]
	if it.After < 0 {
		return true
	}
	if it.After >= len(a) || Answer(a[it.After]) == Skipped || !f.Asked(a, it.After) {
		return false
	}
	n := Answer(a[it.After]).Option()
	for _, w := range it.When {
		if w == n {
			return true
		}
	}
	return false
}

// Apply returns the answers with the skip rule applied: every question that is not asked is
// Skipped, whatever was given for it (the server ignores answers to a question whose
// condition is unmet), and a Skipped mark on a question that is asked becomes Blank.
func (f Form) Apply(a Answers) Answers {
	if len(a) != len(f) {
		return a
	}
	b := []byte(a)
	for i := range f {
		switch asked := f.Asked(Answers(b), i); {
		case !asked:
			b[i] = byte(Skipped)
		case Answer(b[i]) == Skipped:
			b[i] = byte(Blank)
		}
	}
	return Answers(b)
}

// Validate checks the answers against the form: one per question, each an option the
// question has (or blank, multi-marked), and Skipped exactly where a question is not asked.
func (f Form) Validate(a Answers) error {
	if len(a) != len(f) {
		return fmt.Errorf("có %d câu trả lời cho %d câu hỏi", len(a), len(f))
	}
	for i, it := range f {
		c := a.At(i)
		asked := f.Asked(a, i)
		switch {
		case c == Skipped && !asked:
		case c == Skipped:
			return fmt.Errorf("câu %d được hỏi nhưng bị ghi là bỏ qua", i+1)
		case !asked:
			return fmt.Errorf("câu %d không được hỏi (điều kiện ở câu %d không thỏa) nhưng có câu trả lời", i+1, it.After+1)
		case c == Blank || c == Multi:
		case c.Option() >= 1 && c.Option() <= it.Options:
		default:
			return fmt.Errorf("câu %d: lựa chọn %q không có", i+1, string(c))
		}
	}
	return nil
}
