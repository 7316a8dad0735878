package formcode

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// samples are codes of many shapes: short and long parts, digits and letters, matrix forms.
var samples = []struct {
	group, unit string
	serial      int
}{
	{"S2", "SNV", 12},
	{"S1", "STC", 1},
	{"CH1", "MT", 9999},
	{"CX4", "QBD", 4321},
	{"H3", "Q1", 0},
	{"G12345", "ABCDEF", 7},
	{"A9", "Z", 808},
	{"P1", "UBND", 2024},
}

func codes() []string {
	var out []string
	for _, s := range samples {
		out = append(out, New(s.group, s.unit, s.serial))
	}
	return out
}

func TestNewWritesGroupUnitSerialAndCheck(t *testing.T) {
	got := New("S2", "SNV", 12)
	if !strings.HasPrefix(got, "S2-SNV-0012") || len(got) != len("S2-SNV-0012")+1 {
		t.Fatalf("New = %q, want S2-SNV-0012 and one check character", got)
	}
	if !strings.ContainsRune(Alphabet, rune(got[len(got)-1])) {
		t.Fatalf("check character %q outside the alphabet", got[len(got)-1])
	}
}

func TestAlphabetHasNoLetterO(t *testing.T) {
	if strings.ContainsRune(Alphabet, 'O') || len(Alphabet) != 35 {
		t.Fatalf("alphabet %q", Alphabet)
	}
}

func TestParseRoundTripsEveryCode(t *testing.T) {
	for _, s := range samples {
		code := New(s.group, s.unit, s.serial)
		c, err := Parse(code)
		if err != nil {
			t.Fatalf("Parse(%q): %v", code, err)
		}
		if c.Group != s.group || c.Unit != s.unit || c.Serial != s.serial {
			t.Errorf("Parse(%q) = %+v", code, c)
		}
		if c.String() != code {
			t.Errorf("String() = %q, want %q", c.String(), code)
		}
		if c.IsMatrix() != (s.unit == Matrix) {
			t.Errorf("%q IsMatrix = %v", code, c.IsMatrix())
		}
	}
}

func TestParseNormalisesWhatPeopleType(t *testing.T) {
	code := New("S2", "SNV", 12) // S2-SNV-0012 + check
	check := code[len(code)-1:]
	for _, in := range []string{
		code,
		"  " + code + "\t",
		strings.ToLower(code),
		"S2SNV0012" + check,
		"s2 snv 0012 " + check,
		"S2-SNV0012" + check,
		"S2SNV-0012-" + check,
		"S2–SNV–0012" + check, // en dashes from a word processor
		"S2 - SNV - 0O12" + check,
		"S2.SNV.0012" + check,
		"S2/SNV/0012" + check,
		"S2_SNV_0012" + check,
	} {
		c, err := Parse(in)
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		if c.String() != code {
			t.Errorf("Parse(%q) = %s, want %s", in, c, code)
		}
	}
}

func TestParseSplitsGroupAndUnitWithoutDashes(t *testing.T) {
	for _, s := range samples {
		if !strings.ContainsAny(s.group, "0123456789") {
			continue
		}
		code := New(s.group, s.unit, s.serial)
		c, err := Parse(strings.ReplaceAll(code, "-", ""))
		if err != nil {
			t.Fatalf("Parse(%q without dashes): %v", code, err)
		}
		if c.String() != code {
			t.Errorf("Parse(%q without dashes) = %s", code, c)
		}
	}
}

func TestFoldReadsLetterOAsZero(t *testing.T) {
	if got := New("so1", "mo", 5); !strings.HasPrefix(got, "S01-M0-0005") {
		t.Fatalf("New with O = %q", got)
	}
	if Fold("So1") != "S01" {
		t.Fatalf("Fold = %q", Fold("So1"))
	}
}

// TestParseRejectsEverySingleSubstitution replaces every character of every sample code, in turn,
// by every other character of the alphabet (and by O), with and without dashes.
func TestParseRejectsEverySingleSubstitution(t *testing.T) {
	tried := 0
	for _, code := range codes() {
		for _, form := range []string{code, strings.ReplaceAll(code, "-", "")} {
			for i := 0; i < len(form); i++ {
				if form[i] == '-' {
					continue
				}
				for _, r := range Alphabet + "O" {
					if byte(r) == form[i] || (r == 'O' && form[i] == '0') {
						continue
					}
					typo := form[:i] + string(r) + form[i+1:]
					tried++
					if c, err := Parse(typo); err == nil {
						t.Errorf("Parse(%q) accepted a typo of %q as %s", typo, form, c)
					}
				}
			}
		}
	}
	if tried < 5000 {
		t.Fatalf("only %d typos tried", tried)
	}
}

// TestParseRejectsEveryAdjacentTransposition swaps every pair of neighbouring symbols that differ,
// the dashes staying where they were, and the same on the code written without dashes.
func TestParseRejectsEveryAdjacentTransposition(t *testing.T) {
	for _, code := range codes() {
		var pos []int // offsets of the symbols in the dashed form
		for i := 0; i < len(code); i++ {
			if code[i] != '-' {
				pos = append(pos, i)
			}
		}
		compact := strings.ReplaceAll(code, "-", "")
		for k := 0; k+1 < len(pos); k++ {
			a, b := pos[k], pos[k+1]
			if code[a] == code[b] {
				continue
			}
			dashed := []byte(code)
			dashed[a], dashed[b] = dashed[b], dashed[a]
			plain := []byte(compact)
			plain[k], plain[k+1] = plain[k+1], plain[k]
			for _, typo := range []string{string(dashed), string(plain)} {
				if c, err := Parse(typo); err == nil {
					t.Errorf("Parse(%q) accepted a transposition in %q as %s", typo, code, c)
				}
			}
		}
	}
}

// TestQuasigroupIsTotallyAntiSymmetric proves the two properties for every interim value and
// every pair of symbols, so they hold for codes of any content and length, not only the samples.
func TestQuasigroupIsTotallyAntiSymmetric(t *testing.T) {
	op := func(x, y int) int { return (2*x + y) % modulus }
	for x := 0; x < modulus; x++ {
		for a := 0; a < modulus; a++ {
			for b := 0; b < modulus; b++ {
				if a == b {
					continue
				}
				if op(x, a) == op(x, b) || op(a, x) == op(b, x) {
					t.Fatalf("not a quasigroup at %d, %d, %d", x, a, b)
				}
				if op(op(x, a), b) == op(op(x, b), a) {
					t.Fatalf("transposition %d%d after %d undetected", a, b, x)
				}
			}
		}
	}
}

func TestParseSaysWhatIsWrong(t *testing.T) {
	code := New("S2", "SNV", 12)
	wrongCheck := code[:len(code)-1] + string(Alphabet[(strings.IndexByte(Alphabet, code[len(code)-1])+1)%modulus])
	tests := []struct {
		name, in string
		want     error
	}{
		{"an empty code is asked for", "   ", ErrEmpty},
		{"a Vietnamese letter is refused", "S2-SNĐ-0012K", ErrChar},
		{"a code too short is refused", "S2-1", ErrFormat},
		{"a wrong check character is caught", wrongCheck, ErrCheck},
		{"a serial with a letter is refused", "S2-SN-V012" + string(Alphabet[checkValue("S2-SN-V012")]), ErrFormat},
		{"a group without digits needs its dash", "CBSNV0012" + string(Alphabet[checkValue("CBSNV0012")]), ErrSplit},
		{"two cuts in group and unit are ambiguous", "S-2-SNV-0012" + code[len(code)-1:], ErrSplit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%q) = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
	if ErrCheck.Error() != "Mã phiếu sai ký tự kiểm tra — kiểm tra lại mã" {
		t.Fatalf("ErrCheck = %q", ErrCheck)
	}
}

func TestNewPanicsOnBadInput(t *testing.T) {
	for _, f := range []func(){
		func() { New("", "SNV", 1) },
		func() { New("S2", "S-V", 1) },
		func() { New("S2", "SNV", 10000) },
		func() { New("S2", "SNV", -1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("New did not panic")
				}
			}()
			f()
		}()
	}
}

func TestTokenIsRandomURLSafeAnd128Bits(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		tok, err := Token()
		if err != nil {
			t.Fatal(err)
		}
		if len(tok) != 26 || url.PathEscape(tok) != tok || strings.ToLower(tok) != tok {
			t.Fatalf("token %q", tok)
		}
		if b, err := tokenEncoding.DecodeString(tok); err != nil || len(b) != 16 {
			t.Fatalf("token %q decodes to %d bytes, %v", tok, len(b), err)
		}
		if seen[tok] {
			t.Fatalf("token %q repeated", tok)
		}
		seen[tok] = true
	}
}
