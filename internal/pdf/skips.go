package pdf

import (
	"fmt"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// skipLine is what a question prints for skip logic (show_if): under its text when it is
// asked only after some answers ("Chỉ trả lời nếu ở câu 1 chọn «Có»."), and under its options
// when the questions right after it depend on it ("Nếu chọn «Không», chuyển sang câu 4.").
type skipLine struct {
	only, jump string
}

// skipLines works out the skip-logic lines of a single-unit questionnaire, by question index.
// A question's jump names the options for which none of the block of questions depending on it
// (directly or through one another) that follows it is asked, and the first question after that
// block; options after which some of the block is asked are left to the block's own lines.
func skipLines(q *campaign.Questionnaire) map[int]skipLine {
	out := map[int]skipLine{}
	if q.Shape == campaign.ShapeMatrix {
		return out
	}
	qs := q.Questions()
	index := map[string]int{}
	for i := range qs {
		index[qs[i].Code] = i
	}
	label := func(i, option int) string {
		if option >= 1 && option <= len(qs[i].Options) {
			return "«" + nfc(strings.TrimSpace(qs[i].Options[option-1].Label)) + "»"
		}
		return fmt.Sprint(option)
	}
	// dependsOn reports whether question j depends on question i, directly or not.
	dependsOn := func(j, i int) bool {
		for seen := 0; qs[j].ShowIf != nil && seen < len(qs); seen++ {
			k, ok := index[qs[j].ShowIf.Question]
			if !ok || k >= j {
				return false
			}
			if k == i {
				return true
			}
			j = k
		}
		return false
	}
	for j := range qs {
		c := qs[j].ShowIf
		if c == nil {
			continue
		}
		i, ok := index[c.Question]
		if !ok || i >= j {
			continue
		}
		labels := make([]string, len(c.Answers))
		for k, a := range c.Answers {
			labels[k] = label(i, a)
		}
		sl := out[j]
		sl.only = fmt.Sprintf(labelOnlyIf, i+1, strings.Join(labels, " hoặc "))
		out[j] = sl
	}
	for i := range qs {
		end := i + 1
		for end < len(qs) && dependsOn(end, i) {
			end++
		}
		if end == i+1 {
			continue
		}
		var skip []string
		for o := 1; o <= len(qs[i].Options); o++ {
			asked := false
			for j := i + 1; j < end; j++ {
				if c := qs[j].ShowIf; c != nil && c.Question == qs[i].Code && contains(c.Answers, o) {
					asked = true
				}
			}
			if !asked {
				skip = append(skip, label(i, o))
			}
		}
		if len(skip) == 0 {
			continue
		}
		sl := out[i]
		if end < len(qs) {
			sl.jump = fmt.Sprintf(labelJump, strings.Join(skip, " hoặc "), end+1)
		} else {
			sl.jump = fmt.Sprintf(labelJumpEnd, strings.Join(skip, " hoặc "))
		}
		out[i] = sl
	}
	return out
}

func contains(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}
