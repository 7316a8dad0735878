package paper

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
)

func demo(t *testing.T) *campaign.Definition {
	t.Helper()
	def, err := campaign.Load(forms.FS, forms.Demo3Cap)
	if err != nil {
		t.Fatal(err)
	}
	return def
}

func layout(t *testing.T, def *campaign.Definition, group, unit string) *Layout {
	t.Helper()
	l, err := NewLayout(def, group, unit)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// keyAll keys every item of the layout with the mark from pick (by item index).
func keyAll(l *Layout, pick func(i int, it Item) string) map[string]string {
	v := map[string]string{}
	for i, it := range l.Items() {
		v[it.Name] = pick(i, it)
	}
	return v
}

func TestLayout(t *testing.T) {
	def := demo(t)
	t.Run("a single-unit form is keyed as its respondent fields then its questions", func(t *testing.T) {
		l := layout(t, def, "S2", "SNV")
		q := def.Questionnaire("CH2")
		if got, want := len(l.Items()), len(q.Fields)+len(q.Questions()); got != want {
			t.Fatalf("%d items, want %d", got, want)
		}
		first, last := l.Items()[0], l.Items()[len(l.Items())-1]
		if first.Name != "r_"+q.Fields[0].Key || last.Name != "q_"+q.Questions()[len(q.Questions())-1].Code {
			t.Fatalf("items run from %s to %s", first.Name, last.Name)
		}
		if len(last.Options) == 0 {
			t.Fatal("a question keyed without its scale's options")
		}
	})
	t.Run("a matrix form is keyed question by question for every unit of the kind", func(t *testing.T) {
		l := layout(t, def, "S1", "")
		units := def.UnitsOfKind("so")
		if len(l.Units) != len(units) || !l.Matrix {
			t.Fatalf("matrix over %d units, want %d", len(l.Units), len(units))
		}
		it, ok := l.Item("q_" + l.Questions[0].Code + "_" + units[1].Code)
		if !ok || !strings.Contains(it.Label, units[1].Name) {
			t.Fatalf("item for the second unit: %+v", it)
		}
	})
	t.Run("a unit the group does not evaluate has no layout", func(t *testing.T) {
		if _, err := NewLayout(def, "S2", "H01"); err == nil {
			t.Fatal("layout made for a district on a department form")
		}
	})
}

func TestReadKey(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     response.Answer
		err      bool
	}{
		{"an option number picks that option", "3", '3', false},
		{"zero marks a blank item", "0", response.Blank, false},
		{"a star marks several marks", "*", response.Multi, false},
		{"x also marks several marks", "x", response.Multi, false},
		{"a number beyond the options is refused", "6", 0, true},
		{"a letter is refused", "a", 0, true},
		{"nothing keyed is refused", "", 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadKey(c.in, 5)
			if (err != nil) != c.err || got != c.want {
				t.Fatalf("ReadKey(%q) = %q, %v", c.in, got, err)
			}
		})
	}
}

func TestReadAndCompare(t *testing.T) {
	def := demo(t)
	l := layout(t, def, "S2", "SNV")
	values := keyAll(l, func(i int, it Item) string { return "1" })

	t.Run("a fully keyed form reads without problems and keeps its shape", func(t *testing.T) {
		e, probs := l.Read(func(n string) string { return values[n] }, false)
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		if len(e.Units) != 1 || e.Units[0].Unit != "SNV" || e.Units[0].Answers.Len() != len(l.Questions) {
			t.Fatalf("entry %+v", e)
		}
	})
	t.Run("an item left unkeyed is named, since a blank item must be keyed 0", func(t *testing.T) {
		name := l.Items()[5].Name
		_, probs := l.Read(func(n string) string {
			if n == name {
				return ""
			}
			return values[n]
		}, false)
		if len(probs) != 1 || probs[0].Name != name || probs[0].Msg != ErrNotKeyed.Error() {
			t.Fatalf("problems %+v", probs)
		}
	})
	t.Run("an import file's empty cell is a blank item", func(t *testing.T) {
		e, probs := l.Read(func(n string) string { return "" }, true)
		if len(probs) > 0 || e.Digest() != l.Empty().Digest() {
			t.Fatalf("problems %v", probs)
		}
	})
	first, _ := l.Read(func(n string) string { return values[n] }, false)
	second := first.With(l.Items()[0], '2').With(l.Items()[7], response.Multi)
	t.Run("equal keyings have no difference and the same digest", func(t *testing.T) {
		if d := l.Compare(first, first); len(d) != 0 {
			t.Fatal(d)
		}
	})
	t.Run("differing keyings list each differing item with both marks", func(t *testing.T) {
		d := l.Compare(first, second)
		if len(d) != 2 || d[0].Item.Name != l.Items()[0].Name || d[1].Second != response.Multi || first.Digest() == second.Digest() {
			t.Fatalf("differences %+v", d)
		}
	})
	t.Run("adjudication needs a reading for every differing item", func(t *testing.T) {
		_, _, probs := l.Adjudicate(first, second, map[string]string{l.Items()[0].Name: "2"})
		if len(probs) != 1 || probs[0].Name != l.Items()[7].Name {
			t.Fatalf("problems %+v", probs)
		}
	})
	t.Run("adjudication keeps agreed items and takes the chosen mark, even one neither keyer typed", func(t *testing.T) {
		e, dec, probs := l.Adjudicate(first, second, map[string]string{l.Items()[0].Name: "2", l.Items()[7].Name: "3"})
		if len(probs) > 0 {
			t.Fatal(probs)
		}
		if e.At(l.Items()[0]) != '2' || e.At(l.Items()[7]) != '3' || e.At(l.Items()[8]) != '1' || len(dec) != 2 || dec[1].Chosen != "3" {
			t.Fatalf("entry %+v decisions %+v", e, dec)
		}
	})
	t.Run("stored keyings come back as the same entry", func(t *testing.T) {
		back, err := l.FromKeyed(l.KeyedJSON(second), map[string]string{"SNV": string(second.Units[0].Answers)})
		if err != nil || back.Digest() != second.Digest() {
			t.Fatalf("round trip: %v", err)
		}
	})
	t.Run("the response's respondent fields carry option labels, not numbers", func(t *testing.T) {
		js := l.RespondentJSON(first)
		if !strings.Contains(js, l.Fields[0].Options[0]) {
			t.Fatalf("respondent %s", js)
		}
	})
}

func TestAdmit(t *testing.T) {
	def := demo(t)
	inWindow := time.Date(2026, 11, 20, 0, 0, 0, 0, campaign.Zone)
	base := Situation{Found: true, Group: "S2", Unit: "SNV", BatchID: 1, BatchGroup: "S2", BatchUnit: "SNV", ReceivedOn: inWindow, BatchCount: 15}
	for _, c := range []struct {
		name   string
		change func(*Situation)
		code   string
	}{
		{"an unknown code is refused", func(s *Situation) { s.Found = false }, RefusedUnknown},
		{"a voided code is refused", func(s *Situation) { s.Voided = true }, RefusedVoided},
		{"a code of an online-only group is refused", func(s *Situation) { s.Group, s.BatchGroup = "S1", "S1" }, RefusedOnlineOnly},
		{"a code of another unit than the batch's is refused", func(s *Situation) { s.Unit = "STP" }, RefusedOtherGroup},
		{"a code this keyer already keyed is refused", func(s *Situation) { s.KeyedByMe = true }, RefusedKeyedByYou},
		{"a verified form is not keyed again", func(s *Situation) { s.Answered = "paper" }, RefusedVerified},
		{"a form waiting for the supervisor is not keyed again", func(s *Situation) { s.OpenConflict = "keyings_differ"; s.Keyings = 2 }, RefusedInReview},
		{"a form keyed twice is not keyed a third time", func(s *Situation) { s.Keyings = 2 }, RefusedComplete},
		{"a form keyed from another batch is refused", func(s *Situation) { s.OtherBatch = 7; s.Keyings = 1 }, RefusedOtherBatch},
		{"a full batch takes no further code", func(s *Situation) { s.BatchFull = true }, RefusedBatchFull},
		{"a locked campaign takes nothing", func(s *Situation) { s.Locked = true }, RefusedLocked},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := base
			c.change(&s)
			_, err := Admit(def, s)
			var r *Refusal
			if !errors.As(err, &r) || r.Code != c.code || r.Msg == "" {
				t.Fatalf("Admit = %v, want refusal %s", err, c.code)
			}
		})
	}
	t.Run("a code already answered online is taken with a warning that it goes to the conflict queue", func(t *testing.T) {
		s := base
		s.Answered = "online"
		w, err := Admit(def, s)
		if err != nil || len(w) != 1 || !strings.Contains(w[0], "hàng chờ xung đột") {
			t.Fatalf("warnings %v err %v", w, err)
		}
	})
	t.Run("a batch received outside the window is taken with a warning that the form will be invalid", func(t *testing.T) {
		s := base
		s.ReceivedOn = time.Date(2027, 1, 3, 0, 0, 0, 0, campaign.Zone)
		w, err := Admit(def, s)
		if err != nil || len(w) != 1 || !strings.Contains(w[0], "03/01/2027") {
			t.Fatalf("warnings %v err %v", w, err)
		}
	})
}

func TestDecide(t *testing.T) {
	def := demo(t)
	l := layout(t, def, "S2", "SNV")
	e := l.Empty()
	other := e.With(l.Items()[3], '2')
	s := Situation{Found: true, Group: "S2", Unit: "SNV"}
	single := *def
	off := false
	single.Rules.DoubleEntry = &off
	for _, c := range []struct {
		name     string
		def      *campaign.Definition
		s        Situation
		previous *Entry
		want     Outcome
	}{
		{"the first keying under double entry waits for a second keyer", def, s, nil, Waiting},
		{"a second keying equal to the first verifies the form", def, s, &e, Accepted},
		{"a second keying differing from the first goes to a supervisor", def, s, &other, Differs},
		{"a keying of a code answered online goes to the conflict queue", def, Situation{Answered: "online"}, nil, Conflicting},
		{"without double entry the first keying is accepted", &single, s, nil, Accepted},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got, _ := Decide(c.def, l, c.s, e, c.previous); got != c.want {
				t.Fatalf("Decide = %v, want %v", got, c.want)
			}
		})
	}
}
