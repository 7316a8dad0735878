package campaign

import (
	"fmt"
	"sort"
	"strings"
)

// IdentityRule states domain.md's question identity rule (scoring step 9) as check prints it.
const IdentityRule = "Quy tắc nhận diện câu hỏi: câu hỏi cùng mã và cùng tiêu chí thành phần là MỘT câu hỏi trên mọi mẫu phiếu của cùng một loại đơn vị, và điểm các nhóm đối tượng được kết hợp theo từng câu hỏi đó; các câu khác mã cho cùng một tiêu chí thành phần được lấy trung bình."

// SharedQuestion is one question that several forms of a unit kind ask (IdentityRule).
type SharedQuestion struct {
	Kind, Code, Feeds string
	// Forms are the questionnaires asking it, in code order.
	Forms []string
}

// SharedQuestions lists, per unit kind in definition order and then by question code, the
// questions that more than one questionnaire asks (same code, same sub-criterion).
func (d *Definition) SharedQuestions() []SharedQuestion {
	var out []SharedQuestion
	for _, k := range d.Kinds {
		forms := map[[2]string]map[string]bool{}
		for _, g := range d.Groups {
			q := d.Questionnaire(g.Form)
			if g.Imported() || g.Evaluates != k.Code || q == nil {
				continue
			}
			for _, item := range q.Questions() {
				if !item.Scored() {
					continue
				}
				key := [2]string{item.Code, item.Feeds}
				if forms[key] == nil {
					forms[key] = map[string]bool{}
				}
				forms[key][q.Code] = true
			}
		}
		var kind []SharedQuestion
		for key, set := range forms {
			if len(set) < 2 {
				continue
			}
			s := SharedQuestion{Kind: k.Code, Code: key[0], Feeds: key[1]}
			for f := range set {
				s.Forms = append(s.Forms, f)
			}
			sort.Strings(s.Forms)
			kind = append(kind, s)
		}
		sort.Slice(kind, func(i, j int) bool {
			a, b := kind[i], kind[j]
			if a.Code != b.Code {
				return naturalLess(a.Code, b.Code)
			}
			return a.Feeds < b.Feeds
		})
		out = append(out, kind...)
	}
	return out
}

// naturalLess orders "C2" before "C10".
func naturalLess(a, b string) bool {
	ta, na := splitNumber(a)
	tb, nb := splitNumber(b)
	if ta != tb || na < 0 || nb < 0 {
		return a < b
	}
	return na < nb
}

func splitNumber(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n := -1
	if i < len(s) {
		fmt.Sscanf(s[i:], "%d", &n)
	}
	return s[:i], n
}

// Summary is what check prints about a definition that loads: its size, each unit kind's tree
// and survey points, the question identity rule and the questions it makes shared.
func (d *Definition) Summary() []string {
	qs := 0
	for _, q := range d.Questionnaires {
		qs += len(q.Questions())
	}
	var kinds []string
	for _, k := range d.Kinds {
		kinds = append(kinds, fmt.Sprintf("%s: %d", k.Name, len(d.UnitsOfKind(k.Code))))
	}
	out := []string{fmt.Sprintf("%d đơn vị (%s), %d nhóm đối tượng, %d mẫu phiếu (%d câu hỏi).",
		len(d.Units), strings.Join(kinds, "; "), len(d.Groups), len(d.Questionnaires), qs)}
	for _, k := range d.Kinds {
		tree, own := d.TreeFor(k.Code), len(k.Areas) > 0
		subs := 0
		for _, a := range tree {
			for _, c := range a.Criteria {
				subs += len(c.Subs)
			}
		}
		which := "bộ tiêu chí chung của đợt"
		if own {
			which = "bộ tiêu chí riêng"
		}
		out = append(out, fmt.Sprintf("%s: %s, %d lĩnh vực, %d tiêu chí thành phần, phần ĐTXHH %s điểm.",
			k.Name, which, len(tree), subs, strings.Replace(d.SurveyPointsFor(k.Code).String(), ".", ",", 1)))
	}
	out = append(out, IdentityRule)
	shared := d.SharedQuestions()
	if len(shared) == 0 {
		return append(out, "Không có câu hỏi nào dùng chung giữa các mẫu phiếu.")
	}
	byKind := map[string][]string{}
	for _, s := range shared {
		byKind[s.Kind] = append(byKind[s.Kind], fmt.Sprintf("%s → %s (%s)", s.Code, s.Feeds, strings.Join(s.Forms, ", ")))
	}
	for _, k := range d.Kinds {
		if list := byKind[k.Code]; len(list) > 0 {
			out = append(out, fmt.Sprintf("Câu hỏi dùng chung, %s (%d): %s.", k.Name, len(list), strings.Join(list, "; ")))
		}
	}
	return out
}
