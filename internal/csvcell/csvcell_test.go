package csvcell

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
)

func TestNeutralise(t *testing.T) {
	tests := []struct {
		name, cell, want string
	}{
		{"a formula starting with an equals sign gets a quote", `=HYPERLINK("http://evil.example","x")`, `'=HYPERLINK("http://evil.example","x")`},
		{"a cell starting with a plus sign that is no number gets a quote", `+cmd|' /C calc'!A0`, `'+cmd|' /C calc'!A0`},
		{"a cell starting with a minus sign that is no number gets a quote", "-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"a cell starting with an at sign gets a quote", "@SUM(1+1)", "'@SUM(1+1)"},
		{"a cell starting with a tab gets a quote", "\t=1+1", "'\t=1+1"},
		{"a cell starting with a carriage return gets a quote", "\r=1+1", "'\r=1+1"},
		{"a lone sign gets a quote", "-", "'-"},
		{"a sign before a space gets a quote", "- 1", "'- 1"},
		{"a fraction after a sign gets a quote", "-3/4", "'-3/4"},
		{"an exponent after a sign gets a quote", "-1e5", "'-1e5"},
		{"a number with two separators in a row gets a quote", "-1..5", "'-1..5"},
		{"a number ending in a separator gets a quote", "-1,", "'-1,"},
		{"a decimal mark with no digit before it gets a quote", "-.5", "'-.5"},
		{"a negative whole number stays a number", "-3", "-3"},
		{"a number with a plus sign stays a number", "+2", "+2"},
		{"a negative decimal with a dot stays a number", "-0.25", "-0.25"},
		{"a negative decimal with a comma stays a number", "-1,5", "-1,5"},
		{"a negative number grouped the Vietnamese way stays a number", "-1.234,56", "-1.234,56"},
		{"a score stays as it is", "87.34", "87.34"},
		{"an exact score stays as it is", "1747/20", "1747/20"},
		{"a date stays as it is", "20/11/2026", "20/11/2026"},
		{"a Vietnamese name stays as it is", "Sở Nội vụ", "Sở Nội vụ"},
		{"an equals sign inside a cell is harmless", "a=b", "a=b"},
		{"a leading space is not a formula", " =1", " =1"},
		{"an empty cell stays empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Neutralise(tt.cell); got != tt.want {
				t.Errorf("Neutralise(%q) = %q, want %q", tt.cell, got, tt.want)
			}
		})
	}
}

func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	row := []string{"=1+1", "-1,5", "Sở Nội vụ", "@x"}
	if err := w.Write(row); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]string{"\tx"}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(&buf)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("every cell of every row is neutralised", func(t *testing.T) {
		if want := [][]string{{"'=1+1", "-1,5", "Sở Nội vụ", "'@x"}, {"'\tx"}}; len(recs) != 2 || !slices.Equal(recs[0], want[0]) || !slices.Equal(recs[1], want[1]) {
			t.Errorf("read back %q, want %q", recs, want)
		}
	})
	t.Run("the caller's row is left as it was", func(t *testing.T) {
		if row[0] != "=1+1" || row[3] != "@x" {
			t.Errorf("row changed to %q", row)
		}
	})
}
