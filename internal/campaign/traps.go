package campaign

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// This file holds the checks for traps a new user falls into (issue 12, item 8): mistakes the
// format lets through silently, or that surface only later, in English, when scoring.

// warn records a problem that does not stop the load.
func (l *loader) warn(file, p, format string, args ...any) {
	line := l.lines[file][p]
	l.warnings = append(l.warnings, Problem{File: file, Line: line, Path: p, Msg: fmt.Sprintf(format, args...)})
}

// flowSplits warns about one-line lists ("[a, b, c]") in which an unquoted item starts with a
// small letter right after one that starts with a capital: `[Phường, xã, thị trấn]` is three
// options, while the author most likely meant "Phường" and "xã, thị trấn". Options are
// written with a capital first letter; a comma inside an option needs quotes.
func (l *loader) flowSplits(file string, n *yaml.Node, p string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			l.flowSplits(file, c, p)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if p != "" {
				k = p + "." + k
			}
			l.flowSplits(file, n.Content[i+1], k)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if n.Style&yaml.FlowStyle != 0 && i > 0 && c.Kind == yaml.ScalarNode && c.Style == 0 {
				prev := n.Content[i-1]
				if prev.Kind == yaml.ScalarNode && startsUpper(prev.Value) && startsLower(c.Value) {
					l.warnings = append(l.warnings, Problem{File: file, Line: c.Line, Path: fmt.Sprintf("%s[%d]", p, i),
						Msg: fmt.Sprintf("danh sách viết trên một dòng được tách ở mỗi dấu phẩy: %q và %q thành hai mục; nếu là một mục, đặt trong ngoặc kép: \"%s, %s\"", prev.Value, c.Value, prev.Value, c.Value)})
				}
			}
			l.flowSplits(file, c, fmt.Sprintf("%s[%d]", p, i))
		}
	}
}

func startsUpper(s string) bool { r, _ := utf8.DecodeRuneInString(s); return unicode.IsUpper(r) }
func startsLower(s string) bool { r, _ := utf8.DecodeRuneInString(s); return unicode.IsLower(r) }

// checkDuplicateLabels refuses two options of one list that read the same (letter case and
// surrounding spaces aside): a respondent could not tell them apart, and a one-line list split
// at a comma often makes one.
func (l *loader) checkDuplicateLabels(file, p string, labels []string) {
	seen := map[string]int{}
	for i, s := range labels {
		k := strings.ToLower(strings.Join(strings.Fields(s), " "))
		if k == "" {
			continue
		}
		if j, dup := seen[k]; dup {
			l.add(file, fmt.Sprintf("%s[%d]", p, i), "lựa chọn %q trùng với lựa chọn thứ %d (%q)", s, j+1, labels[j])
			continue
		}
		seen[k] = i
	}
}

// checkYear warns when the campaign's year is neither the year it opens nor the year it
// closes: a plan copied from last year with one of them left behind. A survey of year N may
// run into N+1, so this is a warning, not a refusal.
func (l *loader) checkYear(d *Definition, f string) {
	if d.Opens.IsZero() || d.Closes.IsZero() || d.Year == 0 {
		return
	}
	if d.Opens.Year() != d.Year && d.Closes.Year() != d.Year {
		l.warn(f, "year", "năm %d không khớp với thời gian khảo sát %s – %s: kiểm tra lại year, opens và closes (đợt khảo sát chép từ năm trước?)",
			d.Year, d.Opens.Format("02/01/2006"), d.Closes.Format("02/01/2006"))
	}
}

// sameQuestion is where check first saw a question: a code feeding a sub-criterion within one
// unit kind (domain.md, scoring step 9).
type sameQuestion struct {
	weight Decimal
	form   string
}

// checkQuestionIdentity refuses a question code that feeds one sub-criterion of one kind with
// different weights on two forms. By domain.md step 9 such questions are one question, combined
// across groups, so they cannot weigh differently; scoring would otherwise fail later.
func (l *loader) checkQuestionIdentity(d *Definition) {
	seen := map[[3]string]sameQuestion{}
	checked := map[[2]string]bool{}
	for _, g := range d.Groups {
		q := d.Questionnaire(g.Form)
		if g.Imported() || q == nil || checked[[2]string{g.Evaluates, q.Code}] {
			continue
		}
		checked[[2]string{g.Evaluates, q.Code}] = true
		for si, s := range q.Sections {
			for qi := range s.Questions {
				item := &s.Questions[qi]
				if !item.Scored() || item.Code == "" {
					continue
				}
				key := [3]string{g.Evaluates, item.Code, item.Feeds}
				w := item.QuestionWeight()
				first, ok := seen[key]
				if !ok {
					seen[key] = sameQuestion{weight: w, form: q.Code}
					continue
				}
				if first.weight != w && first.form != q.Code {
					l.add(q.File, fmt.Sprintf("sections[%d].questions[%d].weight", si, qi),
						"câu %s cho điểm tiêu chí thành phần %s với trọng số %s, nhưng trên mẫu phiếu %s là %s: cùng mã và cùng tiêu chí thành phần là một câu hỏi trên mọi mẫu phiếu của loại đơn vị %q, nên trọng số phải như nhau; nếu là hai câu khác nhau, hãy đặt mã khác",
						item.Code, item.Feeds, w, first.form, first.weight, g.Evaluates)
				}
			}
		}
	}
}
