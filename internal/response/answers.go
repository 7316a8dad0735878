// Package response holds what a respondent gave: the answers of one form about one unit, in a
// compact text form that is cheap to store and to score.
package response

import (
	"fmt"
	"strings"
)

// Answer is one question's answer: an option number from 1, or Blank, Multi or Skipped.
// Options 1..9 are the digits '1'..'9', options 10..35 the letters 'A'..'Z' (a base-36 digit),
// so that every answer stays one character. An open-ended question's answer is HasText ("có ý
// kiến") or Blank; its text is stored beside the answers.
type Answer byte

const (
	// Blank is an item left unanswered.
	Blank Answer = '0'
	// Multi is an item with more than one mark on paper; it counts as unanswered (domain.md).
	Multi Answer = '*'
	// Skipped is a question not asked: its show_if condition was not met by the answer to the
	// earlier question. It counts neither as answered nor as unanswered.
	Skipped Answer = '-'
	// HasText is an open-ended question that was answered ("có ý kiến"): option 1.
	HasText Answer = '1'
)

// MaxOptions is the most options a question or respondent field may have: one character per
// answer, keyed on paper as one or two digits.
const MaxOptions = 35

// Option returns the 1-based option number, or 0 for blank, multi-marked and skipped items.
func (a Answer) Option() int {
	switch {
	case a >= '1' && a <= '9':
		return int(a - '0')
	case a >= 'A' && a <= 'Z':
		return int(a-'A') + 10
	}
	return 0
}

// OptionAnswer returns the answer that picks option n (1..MaxOptions).
func OptionAnswer(n int) Answer {
	if n >= 10 {
		return Answer('A' + n - 10)
	}
	return Answer('0' + n)
}

// Answers is the answers to a questionnaire's questions, in the questionnaire's order, written
// as one character each: '1'..'9' and 'A'..'Z' an option, '0' blank, '*' several marks, '-' not
// asked. "1203*" is five answers.
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
