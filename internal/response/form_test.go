package response

import (
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// skipForm is C1 (yes/no), C2 asked only after "yes" (option 1), C3 asked only after C2's
// options 2 or 3, C4 open-ended, C5 a profile question with twelve options.
func skipForm() Form {
	opts := func(n int) []campaign.Option { return make([]campaign.Option, n) }
	return FormOf([]campaign.Question{
		{Code: "C1", Options: opts(2), Feeds: "1.1"},
		{Code: "C2", Options: opts(4), Feeds: "1.1", ShowIf: &campaign.Condition{Question: "C1", Answers: []int{1}}},
		{Code: "C3", Options: opts(3), ShowIf: &campaign.Condition{Question: "C2", Answers: []int{2, 3}}},
		{Code: "C4", Kind: campaign.QuestionText, MaxLength: 500},
		{Code: "C5", Options: opts(12)},
	})
}

func TestFormOf(t *testing.T) {
	f := skipForm()
	if f[1].After != 0 || f[2].After != 1 || f[0].After != -1 {
		t.Fatalf("conditions point at %d %d %d, want -1 0 1", f[0].After, f[1].After, f[2].After)
	}
	if !f[3].Text || f[3].Options != 1 || f[3].Scored {
		t.Fatalf("open question = %+v, want text with one option, unscored", f[3])
	}
	if !f[0].Scored || f[2].Scored {
		t.Fatalf("scored = %v %v, want true false", f[0].Scored, f[2].Scored)
	}
}

func TestApplySkips(t *testing.T) {
	f := skipForm()
	tests := []struct {
		name     string
		in, want Answers
	}{
		{"a yes asks the follow-up, and its answer 2 asks the next", "12210", "12210"},
		{"a no skips the follow-up and what depends on it, whatever was given", "22310", "2--10"},
		{"a follow-up answered 1 skips its own follow-up", "11310", "11-10"},
		{"a blank answer asks nothing that depends on it", "03110", "0--10"},
		{"a multi-marked answer asks nothing that depends on it", "*3110", "*--10"},
		{"a skip mark on an asked question becomes blank, which skips its follow-up", "1-01C", "10-1C"},
		{"answers of the wrong length are left for Validate to refuse", "12", "12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.Apply(tt.in); got != tt.want {
				t.Fatalf("Apply(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormValidate(t *testing.T) {
	f := skipForm()
	tests := []struct {
		name    string
		in      Answers
		wantErr string
	}{
		{"answers after the skip rule are valid", "2--1C", ""},
		{"a twelfth option is valid on a twelve-option question", "1221C", ""},
		{"an open question answered has one option", "2--10", ""},
		{"an open question cannot have a second option", "2--20", `câu 4: lựa chọn "2" không có`},
		{"an answer to a question not asked is refused", "23-10", "câu 2 không được hỏi (điều kiện ở câu 1 không thỏa)"},
		{"a skip mark on an asked question is refused", "1--10", "câu 2 được hỏi nhưng bị ghi là bỏ qua"},
		{"a thirteenth option is refused", "2--1D", `câu 5: lựa chọn "D" không có`},
		{"the count is checked first", "2--1", "có 4 câu trả lời cho 5 câu hỏi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.Validate(tt.in)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate(%q) = %v, want valid", tt.in, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate(%q) = %v, want %q", tt.in, err, tt.wantErr)
			}
		})
	}
}

func TestOptionsBeyondNine(t *testing.T) {
	for n := 1; n <= MaxOptions; n++ {
		a := OptionAnswer(n)
		if a.Option() != n {
			t.Fatalf("OptionAnswer(%d) = %q reads back as %d", n, a, a.Option())
		}
		if a == Blank || a == Multi || a == Skipped {
			t.Fatalf("OptionAnswer(%d) = %q collides with a mark", n, a)
		}
	}
	if OptionAnswer(10) != 'A' || OptionAnswer(35) != 'Z' {
		t.Fatalf("options 10 and 35 are %q and %q, want 'A' and 'Z'", OptionAnswer(10), OptionAnswer(35))
	}
	if Skipped.Option() != 0 || Answer('a').Option() != 0 {
		t.Fatal("a skip mark or a lower-case letter picks an option")
	}
}
