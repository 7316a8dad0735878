package paper

import "github.com/parsurvey/parsurvey/internal/response"

// Difference is an item two keyings of the same form read differently.
type Difference struct {
	Item          Item
	First, Second response.Answer
}

// Compare lists the items where two keyings of a form of this layout differ, in keying order.
func (l *Layout) Compare(first, second Entry) []Difference {
	var out []Difference
	for _, it := range l.items {
		if a, b := first.At(it), second.At(it); a != b {
			out = append(out, Difference{Item: it, First: a, Second: b})
		}
	}
	return out
}

// Decision is a supervisor's reading of one differing item: the two keyed marks and the mark
// read on the paper, which may be neither.
type Decision struct {
	Item   string `json:"item"`
	Label  string `json:"label"`
	First  string `json:"first"`
	Second string `json:"second"`
	Chosen string `json:"chosen"`
}

// Adjudicate builds the accepted entry from two differing keyings: items they agree on are kept,
// and each differing item takes the mark chosen for it by name (as ReadKey reads it). Every
// differing item needs a choice but a question the decided marks do not ask (Skipped, as in
// Read); the problems name the choices that cannot be read, then the items left undecided.
func (l *Layout) Adjudicate(first, second Entry, chosen map[string]string) (Entry, []Decision, []Problem) {
	out := first
	var decisions []Decision
	var probs []Problem
	var undecided []Item
	for _, d := range l.Compare(first, second) {
		v, ok := chosen[d.Item.Name]
		if !ok || v == "" {
			undecided = append(undecided, d.Item)
			continue
		}
		a, err := readChoice(v, len(d.Item.Options))
		if err != nil {
			probs = append(probs, Problem{Name: d.Item.Name, Label: d.Item.Label, Msg: err.Error()})
			continue
		}
		out = out.With(d.Item, a)
		decisions = append(decisions, Decision{Item: d.Item.Name, Label: d.Item.Label, First: string(d.First), Second: string(d.Second), Chosen: string(a)})
	}
	// The open answers typed, the first keying's where both typed one; then the skip rule on
	// the marks as decided: a differing question they do not ask needs no choice.
	out.Texts = map[string]string{}
	for _, e := range []Entry{second, first} {
		for name, text := range e.Texts {
			out.Texts[name] = text
		}
	}
	out, _ = l.skip(out, nil)
	for _, it := range undecided {
		if out.At(it) != response.Skipped {
			probs = append(probs, Problem{Name: it.Name, Label: it.Label, Msg: "chưa chọn giá trị đúng theo phiếu giấy"})
		}
	}
	if len(probs) > 0 {
		return Entry{}, nil, probs
	}
	return out, decisions, nil
}

// readChoice reads a supervisor's choice: a mark as stored (the queue's list offers options
// from 10 on as the letters of response.Answer) or a key as ReadKey reads it.
func readChoice(v string, n int) (response.Answer, error) {
	if len(v) == 1 {
		if a := response.Answer(v[0]); v[0] >= 'A' && v[0] <= 'Z' && a.Option() <= n {
			return a, nil
		}
	}
	return ReadKey(v, n)
}
