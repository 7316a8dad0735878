package validation

import "testing"

func TestEveryReasonCodeHasVietnameseWordsAndAnUnknownOneSaysSo(t *testing.T) {
	if len(Labels) != len(Codes) {
		t.Fatalf("%d labels for %d codes", len(Labels), len(Codes))
	}
	for _, c := range Codes {
		if Labels[c] == "" || c.Label() != Labels[c] {
			t.Errorf("code %s has label %q", c, c.Label())
		}
	}
	if got := Code("new_rule").Label(); got != "Lý do khác (new_rule)" {
		t.Fatalf("unknown code reads %q", got)
	}
}
