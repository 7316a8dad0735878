package response

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	five := []int{5, 5, 5, 5, 5}
	tests := []struct {
		name    string
		answers Answers
		counts  []int
		wantErr string // "" when valid
	}{
		{"one option per question within each count is valid", "12345", five, ""},
		{"blank items are valid", "00000", five, ""},
		{"multi-marked items are valid", "*****", five, ""},
		{"a mix of options, blanks and multi marks is valid", "1203*", five, ""},
		{"the last option of each question is valid", "529", []int{5, 2, 9}, ""},
		{"no answers to no questions is valid", "", nil, ""},
		{"fewer answers than questions are refused with both counts", "1234", five, "có 4 câu trả lời cho 5 câu hỏi"},
		{"more answers than questions are refused with both counts", "123451", five, "có 6 câu trả lời cho 5 câu hỏi"},
		{"answers to a questionnaire without questions are refused", "1", nil, "có 1 câu trả lời cho 0 câu hỏi"},
		{"an option one beyond the question's count is refused, naming the question from 1", "12363", []int{5, 5, 5, 5, 5}, "câu 4: lựa chọn \"6\" không có"},
		{"an option beyond a two-option question is refused", "13", []int{4, 2}, "câu 2: lựa chọn \"3\" không có"},
		{"the first bad question is the one reported", "9919", []int{5, 5, 5, 5}, "câu 1:"},
		{"a letter is not an answer", "12a45", five, "câu 3: lựa chọn \"a\" không có"},
		{"a space is not a blank", "12 45", five, "câu 3:"},
		{"a dash is not a blank", "12-45", five, "câu 3:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.answers.Validate(tt.counts)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate(%q, %v) = %v, want valid", tt.answers, tt.counts, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate(%q, %v) = %v, want an error containing %q", tt.answers, tt.counts, err, tt.wantErr)
			}
		})
	}
}

func TestOption(t *testing.T) {
	tests := []struct {
		name string
		in   Answer
		want int
	}{
		{"'1' picks option 1", '1', 1},
		{"'5' picks option 5", '5', 5},
		{"'9' picks option 9", '9', 9},
		{"a blank picks no option", Blank, 0},
		{"a multi mark picks no option", Multi, 0},
		{"a character outside the digits picks no option", 'a', 0},
		{"the character before '0' picks no option", '/', 0},
		{"the character after '9' picks no option", ':', 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.Option(); got != tt.want {
				t.Errorf("Answer(%q).Option() = %d, want %d", byte(tt.in), got, tt.want)
			}
		})
	}
	t.Run("OptionAnswer and Option are inverse for options 1 to 9", func(t *testing.T) {
		for n := 1; n <= 9; n++ {
			a := OptionAnswer(n)
			if a.Option() != n {
				t.Errorf("OptionAnswer(%d).Option() = %d", n, a.Option())
			}
			if a == Blank || a == Multi {
				t.Errorf("OptionAnswer(%d) = %q collides with a blank or multi mark", n, byte(a))
			}
		}
	})
	t.Run("OptionAnswer writes option 3 as the character '3'", func(t *testing.T) {
		if got := OptionAnswer(3); got != '3' {
			t.Errorf("OptionAnswer(3) = %q", byte(got))
		}
	})
}

func TestBuild(t *testing.T) {
	tests := []struct {
		name string
		in   []Answer
		want Answers
	}{
		{"options, a blank and a multi mark are written one character each", []Answer{OptionAnswer(1), OptionAnswer(2), Blank, OptionAnswer(3), Multi}, "1203*"},
		{"no answers give empty text", nil, ""},
		{"a single blank is one '0'", []Answer{Blank}, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Build(tt.in)
			if got != tt.want {
				t.Fatalf("Build = %q, want %q", got, tt.want)
			}
			if got.Len() != len(tt.in) {
				t.Errorf("Len = %d, want %d", got.Len(), len(tt.in))
			}
			for i, a := range tt.in {
				if got.At(i) != a {
					t.Errorf("At(%d) = %q, want %q", i, byte(got.At(i)), byte(a))
				}
			}
		})
	}
	t.Run("text read back with At and built again is the same text", func(t *testing.T) {
		orig := Answers("5*0129004")
		list := make([]Answer, orig.Len())
		for i := range list {
			list[i] = orig.At(i)
		}
		if got := Build(list); got != orig {
			t.Errorf("round trip = %q, want %q", got, orig)
		}
		if err := orig.Validate([]int{5, 4, 4, 4, 4, 9, 4, 4, 4}); err != nil {
			t.Errorf("round-tripped answers invalid: %v", err)
		}
	})
}
