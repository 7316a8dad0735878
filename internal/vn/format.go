// Package vn formats numbers, dates and text the Vietnamese way: "1.234,56", dd/mm/yyyy in
// Asia/Ho_Chi_Minh, NFC text and Vietnamese collation.
package vn

import (
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// NFC normalises text as it enters the system.
func NFC(s string) string { return norm.NFC.String(strings.TrimSpace(s)) }

// Date formats a day as dd/mm/yyyy in Asia/Ho_Chi_Minh; the zero time is "".
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(campaign.Zone).Format("02/01/2006")
}

// DateTime formats an instant as dd/mm/yyyy hh:mm in Asia/Ho_Chi_Minh; the zero time is "".
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(campaign.Zone).Format("02/01/2006 15:04")
}

// Int formats a whole number with dots between thousands: 1.234.567.
func Int(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	groupThousands(&b, big.NewInt(n).String())
	return b.String()
}

// RoundHalfUp rounds r half away from zero to the given number of decimals and returns the
// digits as text with a dot ("2.35"); it is exact, never through float64.
func RoundHalfUp(r *big.Rat, decimals int) string {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil)
	num := new(big.Int).Mul(new(big.Int).Abs(r.Num()), scale)
	// q = floor((num + den/2) / den), i.e. half up on the absolute value.
	den := r.Denom()
	num.Mul(num, big.NewInt(2)).Add(num, den)
	q := num.Quo(num, new(big.Int).Mul(den, big.NewInt(2)))
	s := q.String()
	if decimals > 0 {
		if len(s) <= decimals {
			s = strings.Repeat("0", decimals-len(s)+1) + s
		}
		s = s[:len(s)-decimals] + "." + s[len(s)-decimals:]
	}
	if r.Sign() < 0 && strings.Trim(s, "0.") != "" {
		s = "-" + s
	}
	return s
}

// Decimal formats r rounded half up with Vietnamese separators: 1.234,56.
func Decimal(r *big.Rat, decimals int) string {
	s := RoundHalfUp(r, decimals)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	groupThousands(&b, whole)
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// groupThousands writes a string of digits with a dot between each group of three.
func groupThousands(b *strings.Builder, digits string) {
	for i := 0; i < len(digits); i++ {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(digits[i])
	}
}

var (
	collatorMu sync.Mutex // a Collator is not safe for concurrent use
	collator   = collate.New(language.Vietnamese)
)

// Less orders two names as a Vietnamese reader expects (Đ after D, tones after the base letter).
func Less(a, b string) bool {
	collatorMu.Lock()
	defer collatorMu.Unlock()
	return collator.CompareString(a, b) < 0
}

// Capitalize puts a capital on the first letter of a sentence built from lower-case pieces
// ("chỉ trả lời 5/33 câu" → "Chỉ trả lời 5/33 câu").
func Capitalize(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
