// Package formcode makes and reads the codes printed on each copy of a questionnaire, such as
// S2-SNV-0012-DX: group code, unit code (or MT for a matrix form), a 4-digit serial and, after a
// dash of their own, two check letters that catch a mistyped code when it is keyed in. Codes
// printed before the check letters existed (S2-SNV-0012Y, one check character written against
// the serial) are still read and checked. The package also makes the random tokens and short
// codes that go into online links.
package formcode

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
)

// Alphabet is the characters the group, unit and serial of a code are written in, in the order
// of their check values: digits and capital letters without the letter O, which on paper cannot
// be told from the digit 0. Parse and Fold read a keyed O as 0.
const Alphabet = "0123456789ABCDEFGHIJKLMNPQRSTUVWXYZ"

// CheckAlphabet is the letters the two check letters are written in: letters of the Vietnamese
// alphabet only (no F, J, W, Z, which people spell out), and none that looks like a digit or
// another letter: no I or L (1), O or Q (0), B (8), G (6) or S (5). A check letter is never a
// digit, so the serial always ends where the letters begin.
const CheckAlphabet = "ACDEHKMNPRTUVXY"

// modulus is the size of Alphabet. It is odd and 2 and 2−1 are invertible modulo it, which is
// what makes x∘y = 2x+y (mod 35) a totally anti-symmetric quasigroup for the Damm algorithm of
// the old, one-character check.
const modulus = len(Alphabet)

// checkPrime is the modulus of the two check letters' weighted sum. It is a prime above the
// largest difference of two symbol values (34), so a changed symbol always changes the sum, and
// below the 225 pairs of check letters, so every sum has four or five pairs to choose from (see
// checkLetters). Two check letters carry log2(47) ≈ 5.6 bits of check.
const checkPrime = 47

// letterBase is how many values one check letter carries; a pair (a, b) is the value
// letterBase·a + b modulo checkPrime.
const letterBase = len(CheckAlphabet)

// Matrix is the unit part of the code of a matrix form, which covers several units.
const Matrix = "MT"

// MaxSerial is the largest serial a code can carry: the serial is written with 4 digits.
const MaxSerial = 9999

// maxSymbols bounds what Parse reads: a 6-character group and unit, the serial and two check
// letters make 18 symbols.
const maxSymbols = 24

// The errors Parse returns; their text is meant for the person who keyed the code.
var (
	ErrEmpty  = errors.New("Chưa nhập mã phiếu")
	ErrChar   = errors.New("Mã phiếu có ký tự không hợp lệ")
	ErrFormat = errors.New("Mã phiếu không đúng dạng NHÓM-ĐƠN VỊ-SỐ THỨ TỰ-CHỮ KIỂM TRA, ví dụ S2-SNV-0012-DX")
	ErrCheck  = errors.New("Mã phiếu sai ký tự kiểm tra — kiểm tra lại mã")
	ErrSplit  = errors.New("Không tách được mã nhóm và mã đơn vị — nhập mã có dấu gạch ngang, ví dụ S2-SNV-0012-DX")
)

// Code is a parsed form code.
type Code struct {
	// Group is the respondent group's code, folded (see Fold).
	Group string
	// Unit is the evaluated unit's code, folded, or Matrix.
	Unit string
	// Serial is the copy's number inside its group and unit, 0 to MaxSerial.
	Serial int
	// Legacy is set for a code read in the old format, with one check character against the
	// serial (S2-SNV-0012Y): forms issued before the check letters keep the code printed on
	// them, and String writes it back that way.
	Legacy bool
}

// String writes the code in its printed form, check included: S2-SNV-0012-DX, or S2-SNV-0012Y
// for a Legacy code.
func (c Code) String() string {
	body := fmt.Sprintf("%s-%s-%04d", c.Group, c.Unit, c.Serial)
	if c.Legacy {
		return body + string(Alphabet[checkValue(body)])
	}
	return body + "-" + checkLetters(symbols(body))
}

// IsMatrix reports whether the code is that of a matrix form.
func (c Code) IsMatrix() bool { return c.Unit == Matrix }

// New returns the printed code of copy serial of a group's form about a unit (or Matrix), in the
// current format with two check letters. The group and unit codes are folded (see Fold). It
// panics when a code is empty or holds a character outside Alphabet, or when serial is outside
// 0..MaxSerial: campaign codes are checked when the campaign is loaded, so either is a
// programming error.
func New(group, unit string, serial int) string {
	group, unit = Fold(group), Fold(unit)
	for _, part := range []string{group, unit} {
		if part == "" || strings.Trim(part, Alphabet) != "" {
			panic(fmt.Sprintf("formcode: code part %q is empty or outside the alphabet", part))
		}
	}
	if serial < 0 || serial > MaxSerial {
		panic(fmt.Sprintf("formcode: serial %d outside 0..%d", serial, MaxSerial))
	}
	return Code{Group: group, Unit: unit, Serial: serial}.String()
}

// Fold writes a group or unit code the way it appears inside form codes: in capitals, with the
// letter O read as the digit 0. Compare campaign codes with the parts of a parsed code through it.
func Fold(code string) string {
	return strings.ReplaceAll(strings.ToUpper(code), "O", "0")
}

// Parse reads a code as a person keyed it: case, surrounding blanks and the letter O for 0 do not
// matter, and dashes, spaces, dots, slashes or underscores may separate the parts or be left out.
// A code whose next-to-last symbol is a letter is read in the current format (two check letters),
// one whose next-to-last symbol is a digit in the old format (one check character after the
// serial); a single mistyped symbol never turns a code of one format into a valid code of the
// other. Parse
// verifies the check before anything else, so a mistyped character is reported as ErrCheck
// whatever the separators. Without any separator between group and unit, the group is taken to
// be letters followed by digits (S2, CH1), the way group codes are written.
func Parse(s string) (Code, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Code{}, ErrEmpty
	}
	// compact holds the symbols; cuts the offsets in compact where a separator stood.
	var compact []byte
	var cuts []int
	for _, r := range strings.ToUpper(s) {
		switch {
		case isSeparator(r):
			if len(compact) > 0 && (len(cuts) == 0 || cuts[len(cuts)-1] != len(compact)) {
				cuts = append(cuts, len(compact))
			}
		case r == 'O':
			compact = append(compact, '0')
		case r < 128 && strings.IndexByte(Alphabet, byte(r)) >= 0:
			compact = append(compact, byte(r))
		default:
			return Code{}, fmt.Errorf("%w: “%c”", ErrChar, r)
		}
	}
	// Shortest code: one-character group and unit, 4-digit serial, check.
	if len(compact) < 7 || len(compact) > maxSymbols {
		return Code{}, ErrFormat
	}
	n := len(compact)
	legacy := isDigit(compact[n-2])
	checkLen := 2
	if legacy {
		checkLen = 1
		if sum(compact) != 0 {
			return Code{}, ErrCheck
		}
	} else if !lettersCheck(compact[:n-2], compact[n-2:]) {
		return Code{}, ErrCheck
	}
	body := compact[:n-checkLen]
	if len(body) < 6 {
		return Code{}, ErrFormat
	}
	serial := 0
	for _, c := range body[len(body)-4:] {
		if !isDigit(c) {
			return Code{}, ErrFormat
		}
		serial = serial*10 + int(c-'0')
	}
	head := body[:len(body)-4]
	var inside []int
	for _, c := range cuts {
		if c > 0 && c < len(head) {
			inside = append(inside, c)
		}
	}
	var split int
	switch len(inside) {
	case 0:
		split = groupEnd(head)
		if split == 0 {
			return Code{}, ErrSplit
		}
	case 1:
		split = inside[0]
	default:
		return Code{}, ErrSplit
	}
	return Code{Group: string(head[:split]), Unit: string(head[split:]), Serial: serial, Legacy: legacy}, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// symbols is a code body without its separators.
func symbols(body string) []byte {
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		if strings.IndexByte(Alphabet, body[i]) >= 0 {
			out = append(out, body[i])
		}
	}
	return out
}

// weightedSum is Σ (i+1)·value(symbol i) over a body's symbols, modulo checkPrime. Every weight
// is below checkPrime and neighbours' weights differ by one, so a single changed symbol and a
// swap of two different neighbours both change the sum: the prime divides neither the change
// of a value (at most 34) times a weight, nor a difference of values.
func weightedSum(body []byte) int {
	s := 0
	for i, c := range body {
		s = (s + (i+1)*strings.IndexByte(Alphabet, c)) % checkPrime
	}
	return s
}

// lettersCheck reports whether check holds two check letters valid for body.
func lettersCheck(body, check []byte) bool {
	x, y := strings.IndexByte(CheckAlphabet, check[0]), strings.IndexByte(CheckAlphabet, check[1])
	return x >= 0 && y >= 0 && pairFits(weightedSum(body), sum(body), x, y)
}

// pairFits reports whether check letters a and b (their places in CheckAlphabet) are valid for a
// body of the given weighted sum and Damm interim: their value makes the weighted sum 0, and the
// code is not one symbol away from a valid code of the old format. The old format has no room
// for two letters at its end, so putting a digit in place of the first check letter is the only
// single substitution by which one format's code can pass for the other's: with the Damm interim
// i of the body, digit d and last letter b, that code is valid when 2(2i+d)+b ≡ 0 (mod 35).
// New never issues such a code and Parse never accepts one.
func pairFits(weighted, interim, a, b int) bool {
	if (weighted+letterBase*a+b)%checkPrime != 0 {
		return false
	}
	last := strings.IndexByte(Alphabet, CheckAlphabet[b])
	for d := 0; d < 10; d++ {
		if (2*((2*interim+d)%modulus)+last)%modulus == 0 {
			return false
		}
	}
	return true
}

// checkLetters returns the check letters of a body: the first pair, in alphabetical order,
// whose value makes the weighted sum 0 and that keeps the code away from the old format (see
// pairFits). TestEveryBodyHasCheckLetters shows one always exists.
func checkLetters(body []byte) string {
	a, b, ok := firstPair(weightedSum(body), sum(body))
	if !ok {
		panic("formcode: no check letters for " + string(body)) // TestEveryBodyHasCheckLetters
	}
	return string([]byte{CheckAlphabet[a], CheckAlphabet[b]})
}

// firstPair finds the first pair of check letters, in alphabetical order, that fits a body of
// the given weighted sum and Damm interim.
func firstPair(weighted, interim int) (a, b int, ok bool) {
	for a := 0; a < letterBase; a++ {
		for b := 0; b < letterBase; b++ {
			if pairFits(weighted, interim, a, b) {
				return a, b, true
			}
		}
	}
	return 0, 0, false
}

// groupEnd finds where a group code written as letters then digits ends at the start of head, or
// returns 0 when head does not start that way or nothing is left for the unit.
func groupEnd(head []byte) int {
	i := 0
	for i < len(head) && head[i] >= 'A' && head[i] <= 'Z' {
		i++
	}
	j := i
	for j < len(head) && head[j] >= '0' && head[j] <= '9' {
		j++
	}
	if j == i || j == len(head) {
		return 0
	}
	return j
}

func isSeparator(r rune) bool {
	switch r {
	case '-', ' ', '\t', '.', '/', '_', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\u00a0':
		return true
	}
	return false
}

// checkValue returns the value of the old format's check character for a code body; separators
// are skipped.
// It is the Damm algorithm over the quasigroup x∘y = 2x+y (mod 35): interim = 2·interim + v for
// every symbol, and the check c makes 2·interim + c ≡ 0. Because the quasigroup is totally
// anti-symmetric, every single substitution and every adjacent transposition changes the result,
// including those that involve the check character itself.
func checkValue(body string) int {
	interim := 0
	for i := 0; i < len(body); i++ {
		if v := strings.IndexByte(Alphabet, body[i]); v >= 0 {
			interim = (2*interim + v) % modulus
		}
	}
	return (modulus - 2*interim%modulus) % modulus
}

// sum runs the Damm algorithm over symbols, check character included; a valid code gives 0.
func sum(symbols []byte) int {
	interim := 0
	for _, c := range symbols {
		interim = (2*interim + strings.IndexByte(Alphabet, c)) % modulus
	}
	return interim
}

// tokenEncoding is base32 in lower case without padding: URL-safe and easy to read aloud.
var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Token returns a random 128-bit token for an online link, 26 characters of lower-case base32.
func Token() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("formcode: token: %w", err)
	}
	return tokenEncoding.EncodeToString(b[:]), nil
}

// ShortLen is the length of a short link code: 12 symbols of ShortAlphabet, 60 random bits.
const ShortLen = 12

// ShortAlphabet is what short link codes are written in: lower-case letters and digits without
// the look-alikes 0/o and 1/l, 32 symbols of 5 bits each. Links are case-insensitive
// (ReadShortCode), so a phone that capitalises the first letter does not break one.
const ShortAlphabet = "23456789abcdefghijkmnpqrstuvwxyz"

// ShortCode returns a random short link code, ShortLen symbols of ShortAlphabet: 60 random
// bits, short enough to type from a slip, far too many to guess under the miss limit.
func ShortCode() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("formcode: short code: %w", err)
	}
	v := uint64(0)
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	out := make([]byte, ShortLen)
	for i := range out {
		out[i] = ShortAlphabet[v&31]
		v >>= 5
	}
	return string(out), nil
}

// ReadShortCode reads a short link code as typed: in any case, with nothing around it. It
// returns the code in lower case and whether it is one: ShortLen symbols of ShortAlphabet.
func ReadShortCode(s string) (string, bool) {
	if len(s) != ShortLen {
		return "", false
	}
	s = strings.ToLower(s)
	if strings.Trim(s, ShortAlphabet) != "" {
		return "", false
	}
	return s, true
}
