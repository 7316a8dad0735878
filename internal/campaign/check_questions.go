package campaign

import (
	"fmt"
	"strings"
)

// Question kinds (issue 12, item 4): scored closed questions, unscored closed questions
// (profile, information) that need no weights, open-ended text that is never scored, and
// simple skip logic (show_if) on single-unit forms.

// MaxOptions is the most options a closed question or respondent field may have: an answer is
// one character and a keyer types one or two digits (response.MaxOptions says the same).
const MaxOptions = 35

// MaxScoredOptions is the most options a scored question may have: scoring keeps one slot per
// option digit.
const MaxScoredOptions = 9

// DefaultTextLength is the length an open-ended answer may have when its question sets none;
// MaxTextLength the most a question may allow.
const (
	DefaultTextLength = 1000
	MaxTextLength     = 5000
)

// Text keying choices (Rules.TextKeying): what a keyer types for an open-ended question on a
// paper form.
const (
	// TextKeyingText: the text as written (the default).
	TextKeyingText = "text"
	// TextKeyingFlag: only whether the respondent wrote something ("có ý kiến").
	TextKeyingFlag = "flag"
)

// TextLimit is the most characters an open-ended answer to the question may have.
func (q *Question) TextLimit() int {
	if q.MaxLength > 0 {
		return q.MaxLength
	}
	return DefaultTextLength
}

// KeysText reports whether keyers type an open-ended answer's text (else only "có ý kiến").
func (d *Definition) KeysText() bool { return d.Rules.TextKeying != TextKeyingFlag }

// checkQuestionKinds checks the campaign's text keying and every question of every
// questionnaire for its kind (checkKinds).
func (l *loader) checkQuestionKinds(d *Definition, f string) {
	l.checkTextKeying(d, f)
	for i := range d.Questionnaires {
		l.checkKindsOf(d, &d.Questionnaires[i])
	}
}

// checkKindsOf checks a questionnaire's questions for their kind: a closed question's options
// (weights only where it is scored), an open question's length and the absence of options and
// feeds, and each show_if against the questions before it.
func (l *loader) checkKindsOf(d *Definition, q *Questionnaire) {
	f := q.File
	for i, fl := range q.Fields {
		if len(fl.Options) > MaxOptions {
			l.add(f, fmt.Sprintf("respondent_fields[%d].options", i), "tối đa %d lựa chọn (nhập bằng một hoặc hai chữ số), đang có %d", MaxOptions, len(fl.Options))
		}
	}
	// earlier maps each question code to its options, for the show_if of the questions after it.
	type earlier struct {
		options int
		text    bool
	}
	before := map[string]earlier{}
	all := map[string]bool{}
	for _, item := range q.Questions() {
		all[item.Code] = true
	}
	for si, s := range q.Sections {
		for qi := range s.Questions {
			item := &s.Questions[qi]
			p := fmt.Sprintf("sections[%d].questions[%d]", si, qi)
			opts := item.Options
			if item.Scale != "" && len(opts) == 0 {
				if sc := d.Scale(item.Scale); sc != nil {
					opts = sc.Options
				}
			}
			switch item.Kind {
			case "", QuestionChoice:
				l.checkChoice(d, f, p, item, opts)
			case QuestionText:
				l.checkText(f, p, item)
				if q.Shape == ShapeMatrix {
					l.add(f, p+".kind", "phiếu ma trận chưa nhận câu hỏi mở: đặt câu %s vào một mẫu phiếu dạng single", item.Code)
				}
			default:
				l.add(f, p+".kind", "loại câu hỏi %q không hợp lệ (choice hoặc text)", item.Kind)
			}
			if item.ShowIf != nil {
				c := item.ShowIf
				cp := p + ".show_if"
				prev, ok := before[c.Question]
				switch {
				case q.Shape == ShapeMatrix:
					l.add(f, cp, "phiếu ma trận không dùng show_if: mọi câu được hỏi về mọi đơn vị")
				case c.Question == "":
					l.add(f, cp+".question", "show_if của câu %s thiếu mã câu hỏi điều kiện", item.Code)
				case c.Question == item.Code:
					l.add(f, cp+".question", "câu %s không thể phụ thuộc vào chính nó", item.Code)
				case !ok && all[c.Question]:
					l.add(f, cp+".question", "câu %s phụ thuộc vào câu %s đứng sau nó: câu điều kiện phải đứng trước", item.Code, c.Question)
				case !ok:
					l.add(f, cp+".question", "câu điều kiện %q không có trong mẫu phiếu %s", c.Question, q.Code)
				case prev.text:
					l.add(f, cp+".question", "câu điều kiện %s là câu hỏi mở: chỉ dùng câu có phương án", c.Question)
				default:
					l.checkAnswers(f, cp+".answers", item.Code, c, prev.options)
				}
			}
			if item.Code != "" {
				before[item.Code] = earlier{options: len(opts), text: item.IsText()}
			}
		}
	}
}

// checkAnswers checks the option numbers of a show_if against the earlier question's options.
func (l *loader) checkAnswers(f, p, code string, c *Condition, options int) {
	if len(c.Answers) == 0 {
		l.add(f, p, "show_if của câu %s chưa nêu phương án nào của câu %s (số thứ tự từ 1)", code, c.Question)
		return
	}
	seen := map[int]bool{}
	for i, n := range c.Answers {
		ap := fmt.Sprintf("%s[%d]", p, i)
		switch {
		case n < 1 || n > options:
			l.add(f, ap, "câu %s không có phương án số %d (có %d phương án, đánh số từ 1)", c.Question, n, options)
		case seen[n]:
			l.add(f, ap, "phương án số %d nêu hai lần", n)
		}
		seen[n] = true
	}
	if len(seen) == options && options > 0 {
		l.add(f, p, "show_if nêu mọi phương án của câu %s: câu %s luôn được hỏi khi có trả lời, hãy bỏ show_if hoặc bớt phương án", c.Question, code)
	}
}

// checkChoice checks a closed question: a scale or options (not both), 2 to MaxOptions of
// them, and weights as scoring needs them. An unscored question needs no weights.
func (l *loader) checkChoice(d *Definition, f, p string, item *Question, opts []Option) {
	if item.MaxLength != 0 {
		l.add(f, p+".max_length", "max_length chỉ dùng cho câu hỏi mở (kind: text)")
	}
	switch {
	case item.Scale != "" && len(item.Options) > 0:
		l.add(f, p, "câu %s vừa có scale vừa có options: chỉ dùng một", item.Code)
		return
	case item.Scale != "":
		if d.Scale(item.Scale) == nil {
			l.add(f, p+".scale", "thang đo %q không tồn tại", item.Scale)
		}
		if item.Scored() && len(opts) > MaxScoredOptions {
			l.add(f, p+".scale", "câu cho điểm tối đa %d phương án, thang đo %s có %d", MaxScoredOptions, item.Scale, len(opts))
		}
		return // the scale's own options are checked with the scales
	}
	if item.Scored() {
		l.checkOptions(f, p+".options", item.Options)
		return
	}
	// An unscored question: labels only; a weight given is kept but never used.
	op := p + ".options"
	switch n := len(item.Options); {
	case n < 2:
		l.add(f, op, "cần ít nhất 2 phương án trả lời")
	case n > MaxOptions:
		l.add(f, op, "tối đa %d phương án (nhập bằng một hoặc hai chữ số), đang có %d", MaxOptions, n)
	}
	for i, o := range item.Options {
		if strings.TrimSpace(o.Label) == "" {
			l.add(f, fmt.Sprintf("%s[%d].label", op, i), "phương án thiếu nội dung")
		}
		if o.Weight != nil && (*o.Weight < 0 || *o.Weight > DecimalScale) {
			l.add(f, fmt.Sprintf("%s[%d].weight", op, i), "trọng số %s nằm ngoài [0, 1]", *o.Weight)
		}
	}
}

// checkText checks an open-ended question: no options, scale, feeds or weight, and a length
// limit in range.
func (l *loader) checkText(f, p string, item *Question) {
	if len(item.Options) > 0 || item.Scale != "" {
		l.add(f, p, "câu hỏi mở %s không có phương án (bỏ options/scale hoặc dùng kind: choice)", item.Code)
	}
	if item.Feeds != "" {
		l.add(f, p+".feeds", "câu hỏi mở %s không cho điểm: bỏ feeds", item.Code)
	}
	if item.Weight != nil {
		l.add(f, p+".weight", "câu hỏi mở %s không có trọng số", item.Code)
	}
	if item.MaxLength < 0 || item.MaxLength > MaxTextLength {
		l.add(f, p+".max_length", "độ dài tối đa phải từ 1 đến %d ký tự, đang là %d", MaxTextLength, item.MaxLength)
	}
}

// checkTextKeying checks the campaign's choice of how open answers are keyed.
func (l *loader) checkTextKeying(d *Definition, f string) {
	switch d.Rules.TextKeying {
	case "", TextKeyingText, TextKeyingFlag:
	default:
		l.add(f, "rules.text_keying", "giá trị %q không hợp lệ (text hoặc flag)", d.Rules.TextKeying)
	}
}
