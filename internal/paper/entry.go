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
// each unit, written like response.Answers, one character per item ('1'..'9' and 'A'..'Z' an
// option, '0' blank, '*' several marks, '-' a question its show_if did not ask).
type Entry struct {
	Fields string
	Units  []validation.UnitAnswers
	// Texts are the open answers typed, by item name. They are not part of the digest: double
	// entry verifies the "có ý kiến" mark, not two typings of handwriting letter for letter, and
	// the response takes the texts of the keying that completes it.
	Texts map[string]string
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
	out := Entry{Fields: e.Fields, Units: append([]validation.UnitAnswers(nil), e.Units...), Texts: e.Texts}
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

// ReadKey reads one keyed item of a question or field with n options: an option number (one
// or two digits: an item of more than 9 options takes "12", and "05" or "5"), 0 or 00 for a
// blank item, * (or x, +) for several marks.
func ReadKey(s string, n int) (response.Answer, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0, ErrNotKeyed
	case len(s) == 1 && strings.Contains(BlankKeys, s), s == "00":
		return response.Blank, nil
	case len(s) == 1 && strings.Contains(MultiKeys, s):
		return response.Multi, nil
	case len(s) <= 2 && isDigits(s):
		if d := atoi(s); d >= 1 && d <= n && d <= response.MaxOptions {
			return response.OptionAnswer(d), nil
		}
	}
	return 0, fmt.Errorf("“%s” không phải lựa chọn: nhập 1–%d, 0 nếu bỏ trống, * nếu đánh nhiều phương án", s, n)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = 10*n + int(s[i]-'0')
	}
	return n
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
//
// Keying follows the form's skip rule: a question its show_if does not ask (after the answer
// keyed for the earlier question) needs no key, and whatever was keyed for it is dropped. An
// open question is keyed 1 (có ý kiến) or 0; where the campaign keys texts, its text is read
// from TextName, and a text typed without a key marks it 1.
func (l *Layout) Read(value func(name string) string, lenient bool) (Entry, []Problem) {
	e := l.Empty()
	var probs []Problem
	for _, it := range l.items {
		v := value(it.Name)
		text := ""
		if l.IsText(it) && l.KeysText {
			var err error
			if text, err = response.CleanText(value(TextName(it)), l.textLimit(it)); err != nil {
				probs = append(probs, Problem{Name: TextName(it), Label: it.Label, Msg: err.Error()})
				continue
			}
			if text != "" && strings.TrimSpace(v) == "" {
				v = string(response.HasText)
			}
		}
		if lenient && strings.TrimSpace(v) == "" {
			continue
		}
		a, err := ReadKey(v, len(it.Options))
		if err != nil {
			probs = append(probs, Problem{Name: it.Name, Label: it.Label, Msg: err.Error()})
			continue
		}
		if text != "" && a != response.HasText {
			probs = append(probs, Problem{Name: it.Name, Label: it.Label, Msg: msgTextWithoutMark})
			continue
		}
		e = e.With(it, a)
		if text != "" {
			if e.Texts == nil {
				e.Texts = map[string]string{}
			}
			e.Texts[it.Name] = text
		}
	}
	return l.skip(e, append(probs, l.readOutside(value)...))
}

// readOutside refuses a mark keyed for a unit a matrix form was not issued for (issue 12, item
// 6): the form does not ask about it, so only an empty item or a blank key (0) is taken, and
// nothing is kept of it.
func (l *Layout) readOutside(value func(name string) string) []Problem {
	var probs []Problem
	for _, it := range l.outside {
		v := strings.TrimSpace(value(it.Name))
		text := ""
		if l.IsText(it) && l.KeysText {
			text = strings.TrimSpace(value(TextName(it)))
		}
		if a, err := ReadKey(v, len(it.Options)); (v == "" || err == nil && a == response.Blank) && text == "" {
			continue
		}
		probs = append(probs, Problem{Name: it.Name, Label: it.Label, Msg: fmt.Sprintf(msgOutsideUnit, l.unitNames())})
	}
	return probs
}

// unitNames lists the names of the layout's units for people: "Xã A, Xã B".
func (l *Layout) unitNames() string {
	names := make([]string, len(l.Units))
	for i, u := range l.Units {
		names[i] = u.Name
	}
	return strings.Join(names, ", ")
}

// msgOutsideUnit refuses a mark keyed for a unit the matrix form was not issued for.
const msgOutsideUnit = "phiếu này không đánh giá đơn vị này (phiếu chỉ đánh giá: %s): xóa câu trả lời đã nhập hoặc nhập 0"

// skip applies the skip rule to every unit's answers and drops the problems of items that are
// not asked.
func (l *Layout) skip(e Entry, probs []Problem) (Entry, []Problem) {
	for i := range e.Units {
		e.Units[i].Answers = l.Answers.Apply(e.Units[i].Answers)
	}
	kept := probs[:0]
	for _, p := range probs {
		name := strings.TrimPrefix(p.Name, "t_")
		if it, ok := l.Item(name); ok && it.Question >= 0 && e.At(it) == response.Skipped {
			continue
		}
		kept = append(kept, p)
	}
	for name := range e.Texts {
		if it, ok := l.Item(name); ok && e.At(it) != response.HasText {
			delete(e.Texts, name)
		}
	}
	return e, kept
}

// textLimit is the length an open question's text may have.
func (l *Layout) textLimit(it Item) int {
	for _, q := range l.Form.Questions() {
		if q.Code == l.Questions[it.Question].Code {
			return q.TextLimit()
		}
	}
	return 0
}

// msgTextWithoutMark refuses an open question keyed 0 (or several marks) with a text typed.
const msgTextWithoutMark = "có nội dung ý kiến nhưng lại nhập 0: nhập 1 (có ý kiến) hoặc xóa nội dung"

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
	case a == response.Skipped:
		return "– · không hỏi (bỏ qua theo câu trước)"
	case a.Option() >= 1 && a.Option() <= len(it.Options):
		return fmt.Sprintf("%d · %s", a.Option(), it.Options[a.Option()-1])
	}
	return string(a)
}
