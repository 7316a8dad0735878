package paper

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/validation"
)

// Entry is what one keying read from a paper form: the respondent fields and the answers for
// each unit, written like response.Answers, one character per item ('1'..'9' an option, '0'
// blank, '*' several marks).
type Entry struct {
	Fields string
	Units  []validation.UnitAnswers
}

func unitAnswers(unit string, a response.Answers) validation.UnitAnswers {
	return validation.UnitAnswers{Unit: unit, Answers: a}
}

// At returns the entry's mark for an item of its layout.
func (e Entry) At(it Item) response.Answer {
	if it.Field >= 0 {
		return response.Answer(e.Fields[it.Field])
	}
	return e.Units[it.Unit].Answers.At(it.Question)
}

// With returns a copy of the entry with the item set to a.
func (e Entry) With(it Item, a response.Answer) Entry {
	out := Entry{Fields: e.Fields, Units: append([]validation.UnitAnswers(nil), e.Units...)}
	if it.Field >= 0 {
		b := []byte(out.Fields)
		b[it.Field] = byte(a)
		out.Fields = string(b)
		return out
	}
	b := []byte(out.Units[it.Unit].Answers)
	b[it.Question] = byte(a)
	out.Units[it.Unit].Answers = response.Answers(b)
	return out
}

// Digest fingerprints the entry: two keyings agree exactly when their digests are equal.
func (e Entry) Digest() string {
	h := sha256.New()
	fmt.Fprintf(h, "fields=%s;", e.Fields)
	for _, u := range e.Units {
		fmt.Fprintf(h, "%s=%s;", u.Unit, u.Answers)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// The keys a keyer types besides an option number.
const (
	// BlankKeys mark an item left blank on the paper.
	BlankKeys = "0"
	// MultiKeys mark an item with several marks on the paper (counted as unanswered).
	MultiKeys = "*xX+"
)

// ErrNotKeyed is returned for an item left without a key: a blank item is keyed 0, so that a
// skipped item is never mistaken for a blank one.
var ErrNotKeyed = errors.New("chưa nhập (bỏ trống thì nhập 0)")

// ReadKey reads one keyed item of a question or field with n options: an option number, 0 for a
// blank item, * (or x, +) for several marks.
func ReadKey(s string, n int) (response.Answer, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0, ErrNotKeyed
	case len(s) == 1 && strings.Contains(BlankKeys, s):
		return response.Blank, nil
	case len(s) == 1 && strings.Contains(MultiKeys, s):
		return response.Multi, nil
	case len(s) == 1 && s[0] >= '1' && s[0] <= '9' && int(s[0]-'0') <= n:
		return response.Answer(s[0]), nil
	}
	return 0, fmt.Errorf("“%s” không phải lựa chọn: nhập 1–%d, 0 nếu bỏ trống, * nếu đánh nhiều phương án", s, n)
}

// Problem is one item that could not be read, for the person who keyed or uploaded it.
type Problem struct {
	// Name is the item's name (see Item), or "code" for the form code.
	Name  string
	Label string
	Msg   string
}

// Read reads an entry from keyed values by item name. With lenient set (import files) an empty
// value is a blank item; otherwise every item must be keyed.
func (l *Layout) Read(value func(name string) string, lenient bool) (Entry, []Problem) {
	e := l.Empty()
	var probs []Problem
	for _, it := range l.items {
		v := value(it.Name)
		if lenient && strings.TrimSpace(v) == "" {
			continue
		}
		a, err := ReadKey(v, len(it.Options))
		if err != nil {
			probs = append(probs, Problem{Name: it.Name, Label: it.Label, Msg: err.Error()})
			continue
		}
		e = e.With(it, a)
	}
	return e, probs
}

// KeyedJSON writes the respondent fields as keyed, field key to mark ("1".."9" or "*"), blanks
// left out: the form keyings are stored in.
func (l *Layout) KeyedJSON(e Entry) string {
	m := map[string]string{}
	for i, f := range l.Fields {
		if a := response.Answer(e.Fields[i]); a != response.Blank {
			m[f.Key] = string(a)
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// FromKeyed rebuilds an entry from a stored keying: the respondent fields as KeyedJSON wrote them
// and the answers by unit code.
func (l *Layout) FromKeyed(respondent string, answers map[string]string) (Entry, error) {
	m := map[string]string{}
	if err := json.Unmarshal([]byte(respondent), &m); err != nil {
		return Entry{}, fmt.Errorf("paper: keyed respondent %q: %w", respondent, err)
	}
	e := l.Empty()
	for i, f := range l.Fields {
		if v, ok := m[f.Key]; ok && len(v) == 1 {
			b := []byte(e.Fields)
			b[i] = v[0]
			e.Fields = string(b)
		}
	}
	for i, u := range l.Units {
		a, ok := answers[u.Code]
		if !ok || len(a) != len(l.Questions) {
			return Entry{}, fmt.Errorf("paper: keying lacks the %d answers for unit %s", len(l.Questions), u.Code)
		}
		e.Units[i].Answers = response.Answers(a)
	}
	return e, nil
}

// RespondentJSON writes the respondent fields the way online responses store them, field key to
// option label; blank and multi-marked fields are left out.
func (l *Layout) RespondentJSON(e Entry) string {
	m := map[string]string{}
	for i, f := range l.Fields {
		if n := response.Answer(e.Fields[i]).Option(); n >= 1 && n <= len(f.Options) {
			m[f.Key] = f.Options[n-1]
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// Mark describes a keyed mark for people: "2 · Khá", "0 · bỏ trống", "* · nhiều lựa chọn".
func (it Item) Mark(a response.Answer) string {
	switch {
	case a == response.Blank:
		return "0 · bỏ trống"
	case a == response.Multi:
		return "* · nhiều lựa chọn"
	case a.Option() >= 1 && a.Option() <= len(it.Options):
		return fmt.Sprintf("%d · %s", a.Option(), it.Options[a.Option()-1])
	}
	return string(a)
}
