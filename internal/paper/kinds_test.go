package paper

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/response"
)

// kindsDef is the question-kinds campaign (internal/campaign/testdata/kinds): K1 has a
// twelve-option respondent field, C2 asked only after C1 = 1, and C4 open.
func kindsDef(t *testing.T) *campaign.Definition {
	t.Helper()
	def, err := campaign.Load(os.DirFS("../campaign/testdata"), "kinds")
	if err != nil {
		t.Fatal(err)
	}
	return def
}

func TestReadKeyTwoDigits(t *testing.T) {
	for _, c := range []struct {
		name, in string
		n        int
		want     response.Answer
		err      bool
	}{
		{"two digits pick an option from 10 on", "12", 12, response.OptionAnswer(12), false},
		{"a leading zero picks an option under 10", "05", 12, '5', false},
		{"one digit still picks an option under 10", "5", 12, '5', false},
		{"double zero marks a blank item", "00", 12, response.Blank, false},
		{"a number beyond the options is refused", "13", 12, 0, true},
		{"three digits are refused", "012", 12, 0, true},
		{"a sign is not a digit", "+1", 12, 0, true},
		{"two digits beyond a five-option question are refused", "10", 5, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadKey(c.in, c.n)
			if (err != nil) != c.err || got != c.want {
				t.Fatalf("ReadKey(%q, %d) = %q, %v", c.in, c.n, got, err)
			}
		})
	}
}

func TestKeyingQuestionKinds(t *testing.T) {
	def := kindsDef(t)
	l, err := NewLayout(def, "CB", "X01")
	if err != nil {
		t.Fatal(err)
	}
	read := func(v map[string]string) (Entry, []Problem) {
		return l.Read(func(name string) string { return v[name] }, false)
	}
	base := func() map[string]string {
		return map[string]string{"r_gioi_tinh": "1", "r_linh_vuc": "12", "q_C1": "1", "q_C2": "2", "q_C3": "3", "q_C4": "0"}
	}

	t.Run("a twelfth option is kept as one character", func(t *testing.T) {
		e, probs := read(base())
		if len(probs) != 0 || e.Fields != "1C" || e.Units[0].Answers != "1230" {
			t.Fatalf("entry %+v, problems %v", e, probs)
		}
		if got := l.RespondentJSON(e); !strings.Contains(got, `"linh_vuc":"Khác"`) {
			t.Errorf("respondent %s", got)
		}
	})
	t.Run("a follow-up not asked needs no key, and a key given for it is dropped", func(t *testing.T) {
		v := base()
		v["q_C1"], v["q_C2"] = "2", ""
		e, probs := read(v)
		if len(probs) != 0 || e.Units[0].Answers != "2-30" {
			t.Fatalf("entry %q, problems %v", e.Units[0].Answers, probs)
		}
		v["q_C2"] = "4"
		if e2, _ := read(v); e2.Digest() != e.Digest() {
			t.Error("a key for a question not asked changes the keying")
		}
		it, _ := l.Item("q_C2")
		if got := it.Mark(e.At(it)); !strings.Contains(got, "không hỏi") {
			t.Errorf("mark of a skipped item reads %q", got)
		}
	})
	t.Run("a follow-up that is asked must be keyed", func(t *testing.T) {
		v := base()
		v["q_C2"] = ""
		if _, probs := read(v); len(probs) != 1 || probs[0].Name != "q_C2" {
			t.Fatalf("problems %v", probs)
		}
	})
	t.Run("an opinion typed marks the open question and is kept in NFC, outside the digest", func(t *testing.T) {
		v := base()
		v["q_C4"], v["t_q_C4"] = "", "Tăng cường niêm yết  \r\ncông khai."
		e, probs := read(v)
		if len(probs) != 0 || e.Units[0].Answers != "1231" || e.Texts["q_C4"] != "Tăng cường niêm yết  \ncông khai." {
			t.Fatalf("entry %+v, problems %v", e, probs)
		}
		v["t_q_C4"] = "Tăng cường niêm yết công khai."
		if e2, _ := read(v); e2.Digest() != e.Digest() {
			t.Error("two typings of one opinion make the keyings differ")
		}
	})
	t.Run("an opinion over its limit is refused on its text box", func(t *testing.T) {
		v := base()
		v["q_C4"], v["t_q_C4"] = "1", strings.Repeat("a", 501)
		_, probs := read(v)
		if len(probs) != 1 || probs[0].Name != "t_q_C4" || !strings.Contains(probs[0].Msg, "vượt quá 500 ký tự") {
			t.Fatalf("problems %v", probs)
		}
	})
	t.Run("the import layout carries the text column after the open question", func(t *testing.T) {
		cols := l.Columns()
		i := slices.Index(cols, "q_C4")
		if i < 0 || i+1 >= len(cols) || cols[i+1] != "t_q_C4" {
			t.Fatalf("columns %v", cols)
		}
		row := map[string]string{"ma_phieu": formcode.New("CB", "X01", 1), "ngay_nhan": "10/06/2026", "r_gioi_tinh": "2", "r_linh_vuc": "03",
			"q_C1": "2", "q_C3": "1", "t_q_C4": "Ý kiến nhập từ tệp"}
		line := make([]string, len(cols))
		for j, c := range cols {
			line[j] = row[c]
		}
		rows, errs := ParseTable(def, [][]string{cols, line})
		if len(errs) != 0 || len(rows) != 1 {
			t.Fatalf("rows %v, errors %v", rows, errs)
		}
		if e := rows[0].Entry; e.Fields != "23" || e.Units[0].Answers != "2-11" || e.Texts["q_C4"] != "Ý kiến nhập từ tệp" {
			t.Fatalf("entry %+v", e)
		}
	})
}

func TestAdjudicateOptionsBeyondNine(t *testing.T) {
	def := kindsDef(t)
	l, err := NewLayout(def, "CB", "X01")
	if err != nil {
		t.Fatal(err)
	}
	read := func(field string) Entry {
		e, probs := l.Read(func(name string) string {
			return map[string]string{"r_gioi_tinh": "1", "r_linh_vuc": field, "q_C1": "2", "q_C3": "1", "q_C4": "0"}[name]
		}, false)
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		return e
	}
	first, second := read("11"), read("12")
	for _, c := range []struct{ chosen, want string }{{"C", "1C"}, {"12", "1C"}, {"*", "1*"}, {"3", "13"}} {
		out, _, probs := l.Adjudicate(first, second, map[string]string{"r_linh_vuc": c.chosen})
		if len(probs) > 0 || out.Fields != c.want {
			t.Errorf("choice %q: fields %q, problems %v; want %q", c.chosen, out.Fields, probs, c.want)
		}
	}
	if _, _, probs := l.Adjudicate(first, second, map[string]string{"r_linh_vuc": "Z"}); len(probs) != 1 {
		t.Errorf("a letter beyond the options is taken: %v", probs)
	}
}
