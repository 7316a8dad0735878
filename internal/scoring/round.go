package scoring

import (
	"math/big"
	"strings"
)

// rounded2 is r rounded half up to hundredths (a tie goes away from zero, as in "làm tròn"
// and Java's HALF_UP), as a sign and a whole number of hundredths (domain.md step 7).
func rounded2(r *big.Rat) (neg bool, cents *big.Int) {
	num := new(big.Int).Abs(r.Num())
	num.Mul(num, big.NewInt(100))
	den := r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if m.Lsh(m, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	return r.Sign() < 0 && q.Sign() != 0, q
}

// Round2 shows an exact value rounded half up to 2 decimals with a dot ("2.35" for 2.345,
// "2.34" for 2.3449, "-2.35" for -2.345); it is for exports. Nil gives "".
func Round2(r *big.Rat) string {
	if r == nil {
		return ""
	}
	neg, cents := rounded2(r)
	whole, frac := splitCents(cents)
	if neg {
		return "-" + whole + "." + frac
	}
	return whole + "." + frac
}

// FormatVN shows an exact value rounded half up to 2 decimals the Vietnamese way: dots
// between thousands and a decimal comma ("1.234,56"). Nil gives "".
func FormatVN(r *big.Rat) string {
	if r == nil {
		return ""
	}
	neg, cents := rounded2(r)
	whole, frac := splitCents(cents)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := 0; i < len(whole); i++ {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(whole[i])
	}
	b.WriteByte(',')
	b.WriteString(frac)
	return b.String()
}

// splitCents writes a non-negative number of hundredths as its whole and two-digit parts.
func splitCents(cents *big.Int) (whole, frac string) {
	s := cents.String()
	for len(s) < 3 {
		s = "0" + s
	}
	return s[:len(s)-2], s[len(s)-2:]
}
