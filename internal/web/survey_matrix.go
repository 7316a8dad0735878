package web

import (
	"strconv"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// A matrix form asks the same questions about many units. Its page is one grid (questions ×
// units) that a wide screen shows as a table and a phone, with the page's script, as one unit
// per step; each unit carries a box "Tôi không đủ thông tin để đánh giá đơn vị này" that marks
// every question about it don't-know in one tap.

// skipField is the posted name of a unit's "not enough information" box.
func skipField(u campaign.Unit) string { return "s_" + u.Code }

// dontKnowOption is the option number (from 1, as posted) of the question's don't-know option,
// 0 when it has none.
func dontKnowOption(q *campaign.Question) int {
	for i, o := range q.Options {
		if o.DontKnow {
			return i + 1
		}
	}
	return 0
}

// legend names the keys the grid shows for a question's options: weighted options are
// numbered from 1, a don't-know option is "?" (the stylesheet's counters follow the same rule).
func legend(opts []campaign.Option) string {
	var b strings.Builder
	n := 0
	for i, o := range opts {
		if i > 0 {
			b.WriteString(" · ")
		}
		if o.DontKnow {
			b.WriteString("? ")
		} else {
			n++
			b.WriteString(strconv.Itoa(n) + " ")
		}
		b.WriteString(o.Label)
	}
	return b.String()
}

// applySkips turns each ticked "not enough information" box of a matrix form into what it
// stands for, so that intake judges the form exactly as if every answer had been marked by
// hand: the don't-know option of every question about that unit, and no answer where a
// question has no don't-know option. A box that is ticked wins over marks made in the unit
// before it was ticked (the page's script clears them too).
func (sf *surveyForm) applySkips(p postedForm) {
	if !sf.Matrix {
		return
	}
	for _, u := range sf.Units {
		if p.values[skipField(u)] == "" {
			continue
		}
		for i := range sf.Questions {
			q := &sf.Questions[i]
			name := "q_" + q.Code + "_" + u.Code
			delete(p.repeated, name)
			if dk := dontKnowOption(q); dk > 0 {
				p.values[name] = strconv.Itoa(dk)
			} else {
				delete(p.values, name)
			}
		}
	}
}

// fieldNames are the names a page of this form posts, with the largest value each may take
// (the number of options; 1 for a box), so that a draft keeps nothing else.
func (sf *surveyForm) fieldNames() map[string]int {
	names := map[string]int{}
	for _, fl := range sf.Q.Fields {
		names["r_"+fl.Key] = len(fl.Options)
	}
	for i := range sf.Questions {
		q := &sf.Questions[i]
		if !sf.Matrix {
			names["q_"+q.Code] = len(q.Options)
			continue
		}
		for _, u := range sf.Units {
			names["q_"+q.Code+"_"+u.Code] = len(q.Options)
		}
	}
	if sf.Matrix {
		for _, u := range sf.Units {
			names[skipField(u)] = 1
		}
	}
	return names
}

// maxFields is how many fields a post of this form may carry: every answer, every box, and
// formFieldSlack for the token, submission id and the like.
func (sf *surveyForm) maxFields() int {
	n := len(sf.Q.Fields) + len(sf.Questions)*len(sf.Units) + formFieldSlack
	if sf.Matrix {
		n += len(sf.Units)
	}
	return n
}
