package scoring

import (
	"math/big"
	"testing"
)

func TestRoundingIsHalfUpToTwoDecimals(t *testing.T) {
	cases := []struct {
		name, value, round2, vn string
	}{
		{"a value ending in 5 at the third decimal rounds up", "2.345", "2.35", "2,35"},
		{"a value just below the half rounds down", "2.3449", "2.34", "2,34"},
		{"2.675 rounds up, where float64 rounds it down", "2.675", "2.68", "2,68"},
		{"1.005 rounds up, where float64 rounds it down", "1.005", "1.01", "1,01"},
		{"a negative half rounds away from zero", "-2.345", "-2.35", "-2,35"},
		{"a negative value that rounds to zero has no sign", "-0.004", "0.00", "0,00"},
		{"half a hundredth rounds up to one hundredth", "0.005", "0.01", "0,01"},
		{"a third rounds down", "1/3", "0.33", "0,33"},
		{"two thirds round up", "2/3", "0.67", "0,67"},
		{"zero shows two zero decimals", "0", "0.00", "0,00"},
		{"a whole number shows two zero decimals", "32", "32.00", "32,00"},
		{"thousands are separated by dots in Vietnamese", "1234.56", "1234.56", "1.234,56"},
		{"millions are separated by dots in Vietnamese", "1234567.891", "1234567.89", "1.234.567,89"},
		{"a rounding carry reaches the thousands", "999.995", "1000.00", "1.000,00"},
		{"a negative thousand keeps its sign before the digits", "-1234.5", "-1234.50", "-1.234,50"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, ok := new(big.Rat).SetString(tc.value)
			if !ok {
				t.Fatal(tc.value)
			}
			before := r.RatString()
			if got := Round2(r); got != tc.round2 {
				t.Errorf("Round2(%s) = %s, want %s", tc.value, got, tc.round2)
			}
			if got := FormatVN(r); got != tc.vn {
				t.Errorf("FormatVN(%s) = %s, want %s", tc.value, got, tc.vn)
			}
			if r.RatString() != before {
				t.Error("rounding changed its argument")
			}
		})
	}
	t.Run("nothing to show gives an empty text", func(t *testing.T) {
		if Round2(nil) != "" || FormatVN(nil) != "" {
			t.Error("nil should show as empty")
		}
	})
}

func TestExactFractionsAreReduced(t *testing.T) {
	cases := []struct {
		name string
		n, d int64
		want string
	}{
		{"a fraction with a common factor is reduced", 6000, 80000, "3/40"},
		{"a whole fraction becomes an integer", 30000, 10000, "3"},
		{"zero has denominator one", 0, 50000, "0"},
		{"a negative numerator keeps its sign", -5, 10, "-1/2"},
		{"a fraction already reduced stays", 7, 30000, "7/30000"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := rat(tc.n, tc.d)
			if got.RatString() != tc.want || got.Cmp(big.NewRat(tc.n, tc.d)) != 0 {
				t.Errorf("rat(%d, %d) = %s, want %s", tc.n, tc.d, got.RatString(), tc.want)
			}
			sum := new(big.Rat).Add(got, big.NewRat(1, 3))
			if sum.Cmp(new(big.Rat).Add(big.NewRat(tc.n, tc.d), big.NewRat(1, 3))) != 0 {
				t.Error("the number does not add like big.Rat's own")
			}
		})
	}
}
