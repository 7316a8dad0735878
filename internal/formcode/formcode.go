// Package formcode makes and reads the codes printed on each copy of a questionnaire, such as
// S2-SNV-0012K: group code, unit code (or MT for a matrix form), a 4-digit serial and one check
// character that catches a mistyped code when it is keyed in. It also makes the random tokens
// that go into online links.
package formcode

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
)

// Alphabet is the characters a form code is written in, in the order of their check values:
// digits and capital letters without the letter O, which on paper cannot be told from the digit
// 0. Parse and Fold read a keyed O as 0.
const Alphabet = "0123456789ABCDEFGHIJKLMNPQRSTUVWXYZ"

// modulus is the size of Alphabet. It is odd and 2 and 2−1 are invertible modulo it, which is
// what makes x∘y = 2x+y (mod 35) a totally anti-symmetric quasigroup for the Damm algorithm.
const modulus = len(Alphabet)

// Matrix is the unit part of the code of a matrix form, which covers several units.
const Matrix = "MT"

// MaxSerial is the largest serial a code can carry: the serial is written with 4 digits.
const MaxSerial = 9999

// The errors Parse returns; their text is meant for the person who keyed the code.
var (
	ErrEmpty  = errors.New("Chưa nhập mã phiếu")
	ErrChar   = errors.New("Mã phiếu có ký tự không hợp lệ")
	ErrFormat = errors.New("Mã phiếu không đúng dạng NHÓM-ĐƠN VỊ-SỐ THỨ TỰ, ví dụ S2-SNV-0012K")
	ErrCheck  = errors.New("Mã phiếu sai ký tự kiểm tra — kiểm tra lại mã")
	ErrSplit  = errors.New("Không tách được mã nhóm và mã đơn vị — nhập mã có dấu gạch ngang, ví dụ S2-SNV-0012K")
)

// Code is a parsed form code.
type Code struct {
	// Group is the respondent group's code, folded (see Fold).
	Group string
	// Unit is the evaluated unit's code, folded, or Matrix.
	Unit string
	// Serial is the copy's number inside its group and unit, 0 to MaxSerial.
	Serial int
}

// String writes the code in its printed form, check character included: S2-SNV-0012K.
func (c Code) String() string {
	body := fmt.Sprintf("%s-%s-%04d", c.Group, c.Unit, c.Serial)
	return body + string(Alphabet[checkValue(body)])
}

// IsMatrix reports whether the code is that of a matrix form.
func (c Code) IsMatrix() bool { return c.Unit == Matrix }

// New returns the printed code of copy serial of a group's form about a unit (or Matrix). The
// group and unit codes are folded (see Fold). It panics when a code is empty or holds a character
// outside Alphabet, or when serial is outside 0..MaxSerial: campaign codes are checked when the
// campaign is loaded, so either is a programming error.
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
// It verifies the check character before anything else, so a mistyped character is reported as
// ErrCheck whatever the separators. Without any separator between group and unit, the group is
// taken to be letters followed by digits (S2, CH1), the way group codes are written.
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
	if len(compact) < 7 {
		return Code{}, ErrFormat
	}
	if sum(compact) != 0 {
		return Code{}, ErrCheck
	}
	n := len(compact)
	serial := 0
	for _, c := range compact[n-5 : n-1] {
		if c < '0' || c > '9' {
			return Code{}, ErrFormat
		}
		serial = serial*10 + int(c-'0')
	}
	head := compact[:n-5]
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
	return Code{Group: string(head[:split]), Unit: string(head[split:]), Serial: serial}, nil
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

// checkValue returns the value of the check character for a code body; separators are skipped.
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
