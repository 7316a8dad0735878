// Package response holds what a respondent gave: the answers of one form about one unit, in a
// compact text form that is cheap to store and to score.
package response

import (
	"fmt"
	"strings"
)

// Answer is one question's answer: an option number from 1, or Blank, or Multi.
type Answer byte

const (
	// Blank is an item left unanswered.
	Blank Answer = '0'
	// Multi is an item with more than one mark on paper; it counts as unanswered (domain.md).
	Multi Answer = '*'
)

// Option returns the 1-based option number, or 0 for blank and multi-marked items.
func (a Answer) Option() int {
	if a >= '1' && a <= '9' {
		return int(a - '0')
	}
	return 0
}

// OptionAnswer returns the answer that picks option n (1..9).
func OptionAnswer(n int) Answer { return Answer('0' + n) }

// Answers is the answers to a questionnaire's questions, in the questionnaire's order, written
// as one character each: '1'..'9' an option, '0' blank, '*' several marks. "1203*" is five answers.
type Answers string

// Len is the number of questions answered or not.
func (a Answers) Len() int { return len(a) }

// At returns the answer to the i-th question.
func (a Answers) At(i int) Answer { return Answer(a[i]) }

// Validate checks the text against the option counts of the questionnaire's questions.
func (a Answers) Validate(optionCounts []int) error {
	if len(a) != len(optionCounts) {
		return fmt.Errorf("có %d câu trả lời cho %d câu hỏi", len(a), len(optionCounts))
	}
	for i := 0; i < len(a); i++ {
		c := Answer(a[i])
		switch {
		case c == Blank || c == Multi:
		case c.Option() >= 1 && c.Option() <= optionCounts[i]:
		default:
			return fmt.Errorf("câu %d: lựa chọn %q không có", i+1, string(c))
		}
	}
	return nil
}

// Build makes Answers from a slice of answers.
func Build(list []Answer) Answers {
	var b strings.Builder
	b.Grow(len(list))
	for _, x := range list {
		b.WriteByte(byte(x))
	}
	return Answers(b.String())
}
