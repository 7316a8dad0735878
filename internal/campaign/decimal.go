package campaign

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// DecimalScale is how many units of a Decimal make 1: definitions carry at most four decimals.
const DecimalScale = 10000

// Decimal is an exact non-float number from a definition (points, weights), stored in
// ten-thousandths so that sums of points never drift.
type Decimal int64

// ParseDecimal reads "32", "0.75" or "1,5" exactly; more than four decimals is an error.
func ParseDecimal(s string) (Decimal, error) {
	s = strings.TrimSpace(strings.Replace(s, ",", ".", 1))
	if s == "" {
		return 0, fmt.Errorf("số rỗng")
	}
	in := s
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" {
		return 0, fmt.Errorf("%q không phải là số", in)
	}
	if len(frac) > 4 {
		return 0, fmt.Errorf("%q có quá 4 chữ số thập phân", s)
	}
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || strings.ContainsAny(whole, "+-") {
		return 0, fmt.Errorf("%q không phải là số", s)
	}
	if w > math.MaxInt64/DecimalScale-1 {
		return 0, fmt.Errorf("%q quá lớn", in)
	}
	frac += strings.Repeat("0", 4-len(frac))
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil || strings.ContainsAny(frac, "+-") {
		return 0, fmt.Errorf("%q không phải là số", s)
	}
	d := Decimal(w*DecimalScale + f)
	if neg {
		d = -d
	}
	return d, nil
}

// MustDecimal parses a literal known to be valid; it is for tests and built-in defaults.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// UnmarshalYAML reads a YAML scalar as an exact decimal. Its errors are yaml.TypeErrors so that
// decoding goes on and every bad number of a file is reported, each on its own line.
func (d *Decimal) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("dòng %d: cần một số", n.Line)}}
	}
	v, err := ParseDecimal(n.Value)
	if err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("dòng %d: %v", n.Line, err)}}
	}
	*d = v
	return nil
}

// MarshalYAML writes the decimal back as its shortest exact text.
func (d Decimal) MarshalYAML() (any, error) { return d.String(), nil }

// Rat returns the exact value as a rational number.
func (d Decimal) Rat() *big.Rat { return big.NewRat(int64(d), DecimalScale) }

// String formats the decimal with a dot and no trailing zeros ("0.75", "32").
func (d Decimal) String() string {
	sign := ""
	v := int64(d)
	if v < 0 {
		sign, v = "-", -v
	}
	s := fmt.Sprintf("%s%d", sign, v/DecimalScale)
	if f := v % DecimalScale; f != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%04d", f), "0")
	}
	return s
}
