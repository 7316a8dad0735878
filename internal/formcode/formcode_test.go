package formcode

import (
	"errors"
	"fmt"
	"math/rand/v2"
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

// legacyCodes are the samples in the format printed before the check letters.
func legacyCodes() []string {
	var out []string
	for _, s := range samples {
		out = append(out, Code{Group: s.group, Unit: s.unit, Serial: s.serial, Legacy: true}.String())
	}
	return out
}

func TestNewWritesGroupUnitSerialAndTwoCheckLetters(t *testing.T) {
	got := New("S2", "SNV", 12)
	if !strings.HasPrefix(got, "S2-SNV-0012-") || len(got) != len("S2-SNV-0012-")+2 {
		t.Fatalf("New = %q, want S2-SNV-0012- and two check letters", got)
	}
	for _, c := range got[len(got)-2:] {
		if !strings.ContainsRune(CheckAlphabet, c) {
			t.Fatalf("check letter %q outside the check alphabet", c)
		}
	}
}

func TestAlphabetHasNoLetterO(t *testing.T) {
	if strings.ContainsRune(Alphabet, 'O') || len(Alphabet) != 35 {
		t.Fatalf("alphabet %q", Alphabet)
	}
}

func TestCheckLettersAreNeitherDigitsNorLookAlikes(t *testing.T) {
	if strings.ContainsAny(CheckAlphabet, "0123456789OQIL1BGSZ") {
		t.Fatalf("check alphabet %q holds a digit or a look-alike", CheckAlphabet)
	}
	for _, c := range CheckAlphabet {
		if !strings.ContainsRune(Alphabet, c) {
			t.Fatalf("check letter %q is not a code symbol", c)
		}
	}
}

// TestEveryBodyHasCheckLetters tries every weighted sum and every Damm interim a body can have:
// each has a pair of check letters, so New never panics whatever the group, unit and serial.
func TestEveryBodyHasCheckLetters(t *testing.T) {
	for w := 0; w < checkPrime; w++ {
		for i := 0; i < modulus; i++ {
			if _, _, ok := firstPair(w, i); !ok {
				t.Fatalf("no check letters for weighted sum %d, interim %d", w, i)
			}
		}
	}
}

func TestOldCodesStillParseAndPrintAsTheyWere(t *testing.T) {
	for _, code := range legacyCodes() {
		c, err := Parse(code)
		if err != nil {
			t.Fatalf("Parse(%q): %v", code, err)
		}
		if !c.Legacy || c.String() != code {
			t.Errorf("Parse(%q) = %+v, printed %q", code, c, c.String())
		}
		if len(code) != len(fmt.Sprintf("%s-%s-0000", c.Group, c.Unit))+1 {
			t.Errorf("old code %q does not end in one check character", code)
		}
		// The same copy in the current format is another spelling of the same form.
		c.Legacy = false
		if n, err := Parse(c.String()); err != nil || n.Group != c.Group || n.Unit != c.Unit || n.Serial != c.Serial || n.Legacy {
			t.Errorf("current spelling of %q: %+v, %v", code, n, err)
		}
	}
	// S2-SNV-0001 + "4" is what the issue saw printed: copy 1 with check 4.
	if c, err := Parse("S2-SNV-00014"); err != nil || c.Serial != 1 || !c.Legacy {
		t.Errorf("Parse(S2-SNV-00014) = %+v, %v", c, err)
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
	for _, tt := range []struct {
		name, code string
	}{
		{"a current code", New("S2", "SNV", 12)}, // S2-SNV-0012-DX
		{"an old code", Code{Group: "S2", Unit: "SNV", Serial: 12, Legacy: true}.String()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code := tt.code
			check := strings.TrimPrefix(code[len("S2-SNV-0012"):], "-")
			for _, in := range []string{
				code,
				"  " + code + "\t",
				strings.ToLower(code),
				"S2SNV0012" + check,
				"s2 snv 0012 " + check,
				"S2-SNV0012" + check,
				"S2SNV-0012-" + check,
				"S2–SNV–0012–" + check, // en dashes from a word processor
				"S2 - SNV - 0O12 " + check,
				"S2.SNV.0012" + check,
				"S2/SNV/0012/" + check,
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
		})
	}
}

func TestParseSplitsGroupAndUnitWithoutDashes(t *testing.T) {
	for _, code := range append(codes(), legacyCodes()...) {
		if group, _, _ := strings.Cut(code, "-"); !strings.ContainsAny(group, "0123456789") {
			continue
		}
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

// TestParseRejectsEverySingleSubstitution replaces every character of every sample code, current
// and old, in turn, by every other character of the alphabet (and by O), with and without dashes.
func TestParseRejectsEverySingleSubstitution(t *testing.T) {
	tried := 0
	for _, code := range append(codes(), legacyCodes()...) {
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
	if tried < 10000 {
		t.Fatalf("only %d typos tried", tried)
	}
}

// TestParseRejectsEveryAdjacentTransposition swaps every pair of neighbouring symbols that differ,
// the dashes staying where they were, and the same on the code written without dashes, in
// current and old codes.
func TestParseRejectsEveryAdjacentTransposition(t *testing.T) {
	for _, code := range append(codes(), legacyCodes()...) {
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
	old := Code{Group: "S2", Unit: "SNV", Serial: 12, Legacy: true}.String()
	wrongOld := old[:len(old)-1] + string(Alphabet[(strings.IndexByte(Alphabet, old[len(old)-1])+1)%modulus])
	letters := func(body string) string { return body + "-" + checkLetters(symbols(body)) }
	legacy := func(body string) string { return body + string(Alphabet[checkValue(body)]) }
	tests := []struct {
		name, in string
		want     error
	}{
		{"an empty code is asked for", "   ", ErrEmpty},
		{"a Vietnamese letter is refused", "S2-SNĐ-0012-DX", ErrChar},
		{"a code too short is refused", "S2-1", ErrFormat},
		{"a code far too long is refused", "S2-SNV-" + strings.Repeat("0", 20) + "-DX", ErrFormat},
		{"a wrong check letter is caught", wrongCheck, ErrCheck},
		{"a digit for the last check letter is caught", code[:len(code)-1] + "7", ErrCheck},
		{"a look-alike letter for a check letter is caught", code[:len(code)-2] + "B" + code[len(code)-1:], ErrCheck},
		{"an old code with a wrong check character is caught", wrongOld, ErrCheck},
		{"a serial with a letter is refused", letters("S2-SN-V012"), ErrFormat},
		{"an old serial with a letter is refused", legacy("S2-SN-V012"), ErrFormat},
		{"a group without digits needs its dash", letters("CBSNV0012"), ErrSplit},
		{"an old code of a group without digits needs its dash", legacy("CBSNV0012"), ErrSplit},
		{"two cuts in group and unit are ambiguous", "S-2-SNV-0012-" + code[len(code)-2:], ErrSplit},
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
	// The examples in the messages are real codes, so a person who copies one gets it accepted.
	for _, err := range []error{ErrFormat, ErrSplit} {
		example := err.Error()[strings.LastIndex(err.Error(), " ")+1:]
		if _, perr := Parse(example); perr != nil {
			t.Errorf("example %q in %q: %v", example, err, perr)
		}
	}
}

// TestWeightedSumCatchesEveryChange proves the current format's two properties for codes of any
// content up to maxSymbols: a changed symbol changes the sum by (change of value) × weight, a
// swap of neighbours by the difference of their values (neighbouring weights differ by one),
// and a change or swap of check letters by letterBase × change, change, or (letterBase−1) ×
// difference. None of these is a multiple of the prime.
func TestWeightedSumCatchesEveryChange(t *testing.T) {
	for d := 1; d < modulus; d++ {
		for w := 1; w <= maxSymbols; w++ {
			if d*w%checkPrime == 0 {
				t.Fatalf("change %d at weight %d undetected", d, w)
			}
		}
		if d%checkPrime == 0 {
			t.Fatalf("swap of values %d apart undetected", d)
		}
	}
	for d := 1; d < letterBase; d++ {
		if letterBase*d%checkPrime == 0 || d%checkPrime == 0 || (letterBase-1)*d%checkPrime == 0 {
			t.Fatalf("check letters %d apart undetected", d)
		}
	}
}

// TestRandomCodesCatchEveryTypo runs the substitution and transposition checks over many random
// codes, current and old, beyond the hand-picked samples.
func TestRandomCodesCatchEveryTypo(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 2027))
	part := func(letterFirst bool) string {
		n := 1 + rng.IntN(6)
		b := make([]byte, n)
		for i := range b {
			b[i] = Alphabet[rng.IntN(len(Alphabet))]
		}
		if letterFirst {
			b[0] = Alphabet[10+rng.IntN(len(Alphabet)-10)]
		}
		return string(b)
	}
	for range 300 {
		c := Code{Group: part(true), Unit: part(false), Serial: rng.IntN(MaxSerial + 1), Legacy: rng.IntN(2) == 0}
		code := c.String()
		if got, err := Parse(code); err != nil || got != c {
			t.Fatalf("Parse(%q) = %+v, %v", code, got, err)
		}
		for i := 0; i < len(code); i++ {
			if code[i] == '-' {
				continue
			}
			for _, r := range Alphabet + "O" {
				if byte(r) == code[i] || (r == 'O' && code[i] == '0') {
					continue
				}
				typo := code[:i] + string(r) + code[i+1:]
				if got, err := Parse(typo); err == nil {
					t.Fatalf("Parse(%q) accepted a typo of %q as %s", typo, code, got)
				}
			}
			j := i + 1
			if j < len(code) && code[j] == '-' {
				j++ // the neighbouring symbol across a dash
			}
			if j < len(code) && code[i] != code[j] {
				b := []byte(code)
				b[i], b[j] = b[j], b[i]
				if got, err := Parse(string(b)); err == nil {
					t.Fatalf("Parse(%q) accepted a transposition in %q as %s", b, code, got)
				}
			}
		}
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

func TestShortCodesAreRandomTypeableAnd60Bits(t *testing.T) {
	if len(ShortAlphabet) != 32 || strings.ContainsAny(ShortAlphabet, "01loOIL") {
		t.Fatalf("short alphabet %q", ShortAlphabet)
	}
	seen := map[string]bool{}
	counts := map[rune]int{}
	for i := 0; i < 4000; i++ {
		c, err := ShortCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != ShortLen || url.PathEscape(c) != c {
			t.Fatalf("short code %q", c)
		}
		if got, ok := ReadShortCode(strings.ToUpper(c)); !ok || got != c {
			t.Fatalf("ReadShortCode(upper %q) = %q, %v", c, got, ok)
		}
		if seen[c] {
			t.Fatalf("short code %q repeated", c)
		}
		seen[c] = true
		for _, r := range c {
			counts[r]++
		}
	}
	// 48,000 symbols over 32: each about 1,500; a symbol that never or nearly never shows
	// would mean bits are lost.
	for _, r := range ShortAlphabet {
		if counts[r] < 1200 || counts[r] > 1800 {
			t.Errorf("symbol %q drawn %d times of 48000", r, counts[r])
		}
	}
	for _, bad := range []string{"", "abc", "23456789abcl", "23456789abc0", "23456789abcde", "23456789abc-", "23456789abç"} {
		if _, ok := ReadShortCode(bad); ok {
			t.Errorf("ReadShortCode(%q) accepted", bad)
		}
	}
}
