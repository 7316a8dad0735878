package scoring

import (
	"math/big"

	"github.com/parsurvey/parsurvey/internal/vn"
)

// Round2 shows an exact value rounded half up to 2 decimals with a dot ("2.35" for 2.345,
// "2.34" for 2.3449, "-2.35" for -2.345); it is for exports. Nil gives "".
func Round2(r *big.Rat) string {
	if r == nil {
		return ""
	}
	return vn.RoundHalfUp(r, 2)
}

// FormatVN shows an exact value rounded half up to 2 decimals the Vietnamese way: dots
// between thousands and a decimal comma ("1.234,56"). Nil gives "".
func FormatVN(r *big.Rat) string {
	if r == nil {
		return ""
	}
	return vn.Decimal(r, 2)
}

// Figure is an exact value as the JSON feeds write it: Value rounded half up to 2 decimals
// with a dot (Round2), Exact the fraction "a/b" or a whole number the ranking is done on.
type Figure struct {
	Value string `json:"value"`
	Exact string `json:"exact"`
}

// FigureOf is r as a Figure; nil stays nil.
func FigureOf(r *big.Rat) *Figure {
	if r == nil {
		return nil
	}
	return &Figure{Value: Round2(r), Exact: r.RatString()}
}
