package paper

import (
	"slices"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
)

// A matrix form issued for a list of units (issue 12, item 6) is keyed for those units only:
// the council delegates' form CH1 of the demo, issued for three of its eleven agencies.
func TestMatrixFormIssuedForAListOfUnits(t *testing.T) {
	def := demo(t)
	def.Group("S1").Channels = []campaign.Channel{campaign.ChannelOnline, campaign.ChannelPaper}
	issued := []string{"STC", "SNV", "SXD"} // as form_units gives them: in no set order
	full := layout(t, def, "S1", "")
	l, err := NewFormLayout(def, "S1", "", issued)
	if err != nil {
		t.Fatal(err)
	}
	outside := "q_" + l.Questions[0].Code + "_STP"

	t.Run("the layout holds the listed units in definition order and their items alone", func(t *testing.T) {
		if got := strings.Join(l.UnitCodes(), ","); got != "SNV,STC,SXD" {
			t.Fatalf("units %s", got)
		}
		if !slices.Equal(l.Issued, l.UnitCodes()) {
			t.Fatalf("issued %v", l.Issued)
		}
		want := len(l.Fields) + 3*len(l.Questions)
		if len(l.Items()) != want || len(full.Items()) <= want {
			t.Fatalf("%d items, want %d (the whole kind has %d)", len(l.Items()), want, len(full.Items()))
		}
		if _, ok := l.Item(outside); ok {
			t.Fatalf("item %s of an unlisted unit is keyed", outside)
		}
		if _, err := NewFormLayout(def, "S1", "", []string{"GONE"}); err == nil {
			t.Fatal("a list of units the campaign no longer has makes a layout")
		}
	})
	t.Run("a keyed form is read for the listed units only", func(t *testing.T) {
		v := keyAll(l, func(int, Item) string { return "1" })
		e, probs := l.Read(func(n string) string { return v[n] }, false)
		if len(probs) > 0 {
			t.Fatalf("problems %+v", probs)
		}
		var units []string
		for _, u := range e.Units {
			units = append(units, u.Unit)
		}
		if strings.Join(units, ",") != "SNV,STC,SXD" {
			t.Fatalf("entry units %v", units)
		}
		f := Facts(Situation{Found: true, Group: "S1", Units: issued}, e, 2, true, false)
		if !slices.Equal(f.IssuedUnits, issued) {
			t.Fatalf("facts issued units %v", f.IssuedUnits)
		}
	})
	t.Run("an answer keyed for an unlisted unit is refused with the form's units named", func(t *testing.T) {
		v := keyAll(l, func(int, Item) string { return "1" })
		v[outside] = "2"
		_, probs := l.Read(func(n string) string { return v[n] }, false)
		if len(probs) != 1 || probs[0].Name != outside {
			t.Fatalf("problems %+v", probs)
		}
		p := probs[0]
		if !strings.Contains(p.Label, "Sở Tư pháp") || !strings.Contains(p.Msg, "phiếu này không đánh giá đơn vị này") ||
			!strings.Contains(p.Msg, "Sở Nội vụ, Sở Tài chính, Sở Xây dựng") {
			t.Fatalf("problem %+v", p)
		}
		for _, blank := range []string{"", "0", " 00 "} {
			v[outside] = blank
			if _, probs := l.Read(func(n string) string { return v[n] }, false); len(probs) != 0 {
				t.Fatalf("a blank %q for an unlisted unit: %+v", blank, probs)
			}
		}
		v[outside] = "*"
		if _, probs := l.Read(func(n string) string { return v[n] }, true); len(probs) != 1 {
			t.Fatalf("several marks for an unlisted unit in an import row: %+v", probs)
		}
	})
	t.Run("an import row of the form keeps its units and refuses an answer about another", func(t *testing.T) {
		code := formcode.New("S1", formcode.Matrix, 7)
		table := [][]string{full.Columns()}
		row := []string{code, "20/11/2026"}
		for _, it := range full.Items() {
			mark := "1"
			if it.Question >= 0 && !slices.Contains(issued, full.Units[it.Unit].Code) {
				mark = ""
			}
			row = append(row, mark)
		}
		table = append(table, row)
		rows, errs := ParseTable(def, table)
		if len(errs) > 0 || len(rows) != 1 {
			t.Fatalf("rows %d, errors %+v", len(rows), errs)
		}
		narrowed, errs := rows[0].ForUnits(def, issued)
		if len(errs) > 0 {
			t.Fatalf("errors %+v", errs)
		}
		if len(narrowed.Entry.Units) != 3 || narrowed.Digest == rows[0].Digest || !slices.Equal(ImportFacts(narrowed).IssuedUnits, l.Issued) {
			t.Fatalf("narrowed to %+v", narrowed.Entry.Units)
		}
		if same, _ := rows[0].ForUnits(def, nil); same.Digest != rows[0].Digest || len(same.Entry.Units) != len(full.Units) {
			t.Fatal("a form about the whole kind is narrowed")
		}
		j := slices.Index(table[0], outside)
		table[1][j] = "3"
		rows, _ = ParseTable(def, table)
		_, errs = rows[0].ForUnits(def, issued)
		if len(errs) != 1 || errs[0].Column != outside || errs[0].Line != 2 || !strings.Contains(errs[0].Msg, "không đánh giá đơn vị này") {
			t.Fatalf("errors %+v", errs)
		}
	})
}
