package campaign

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestParseDecimal(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want Decimal
	}{
		{"a whole number is read exactly", "32", 32 * DecimalScale},
		{"a dot marks the decimals", "0.75", 7500},
		{"a comma marks the decimals as Vietnamese write them", "1,5", 15000},
		{"four decimals are kept", "31.5625", 315625},
		{"a leading dot means zero units", ".5", 5000},
		{"a trailing dot adds nothing", "5.", 5 * DecimalScale},
		{"a minus sign makes it negative", "-0.2", -2000},
		{"surrounding spaces are ignored", "  2  ", 2 * DecimalScale},
		{"trailing zeros among four decimals are fine", "0.6000", 6000},
		{"zero is zero", "0", 0},
		{"leading zeros are harmless", "007", 7 * DecimalScale},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseDecimal(c.in)
			if err != nil {
				t.Fatalf("ParseDecimal(%q): %v", c.in, err)
			}
			if got != c.want {
				t.Errorf("ParseDecimal(%q) = %d, want %d", c.in, got, c.want)
			}
		})
	}
}

func TestParseDecimalRejects(t *testing.T) {
	cases := []struct {
		name string
		in   string
		msg  string
	}{
		{"an empty string is refused", "", "số rỗng"},
		{"blanks alone are refused", "   ", "số rỗng"},
		{"five decimals are refused rather than rounded", "0.12345", "quá 4 chữ số thập phân"},
		{"letters are refused", "abc", "không phải là số"},
		{"a plus sign is refused", "+1", "không phải là số"},
		{"exponent notation is refused", "1e3", "không phải là số"},
		{"two dots are refused", "1.2.3", "không phải là số"},
		{"a comma and a dot together are refused", "1,000.5", "quá 4 chữ số thập phân"},
		{"a sign inside the decimals is refused", "1.-5", "không phải là số"},
		{"a double minus is refused", "--5", "không phải là số"},
		{"a lone dot is refused, not read as zero", ".", "không phải là số"},
		{"a lone minus is refused, not read as zero", "-", "không phải là số"},
		{"a minus and a dot alone are refused", "-.", "không phải là số"},
		{"a number too large to hold exactly is refused, not wrapped", "99999999999999999", "quá lớn"},
		{"a number beyond int64 is refused", "99999999999999999999", "không phải là số"},
		{"a percent sign is refused", "90%", "không phải là số"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseDecimal(c.in)
			if err == nil {
				t.Fatalf("ParseDecimal(%q) = %s, want an error", c.in, got)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("ParseDecimal(%q) error %q, want it to say %q", c.in, err, c.msg)
			}
		})
	}
}

func TestDecimalString(t *testing.T) {
	cases := []struct {
		name string
		in   Decimal
		want string
	}{
		{"a whole number has no decimals", 32 * DecimalScale, "32"},
		{"trailing zeros are dropped", 7500, "0.75"},
		{"a small fraction keeps its leading zeros", 5, "0.0005"},
		{"a negative value keeps its sign", -2000, "-0.2"},
		{"a negative value under one keeps its sign", -5, "-0.0005"},
		{"zero is written 0", 0, "0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.in.String(); got != c.want {
				t.Errorf("Decimal(%d).String() = %q, want %q", int64(c.in), got, c.want)
			}
		})
	}
}

func TestDecimalRoundTrip(t *testing.T) {
	for _, s := range []string{"0", "1", "0.6", "0.2", "0.75", "31.5", "-1.25", "0.0001"} {
		t.Run("the text "+s+" comes back unchanged", func(t *testing.T) {
			if got := MustDecimal(s).String(); got != s {
				t.Errorf("MustDecimal(%q).String() = %q", s, got)
			}
		})
	}
}

func TestDecimalRat(t *testing.T) {
	t.Run("the rational value is exact", func(t *testing.T) {
		if got := MustDecimal("0.6").Rat(); got.Cmp(big.NewRat(3, 5)) != 0 {
			t.Errorf("Rat() = %s, want 3/5", got)
		}
	})
	t.Run("sums of points do not drift as floats do", func(t *testing.T) {
		var sum Decimal
		for i := 0; i < 10; i++ {
			sum += MustDecimal("0.1")
		}
		if sum != MustDecimal("1") {
			t.Errorf("ten times 0.1 = %s", sum)
		}
	})
}

func TestMustDecimalPanicsOnBadInput(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustDecimal(\"x\") did not panic")
		}
	}()
	MustDecimal("x")
}

func TestDecimalYAML(t *testing.T) {
	t.Run("a YAML number is read exactly", func(t *testing.T) {
		var v struct{ P Decimal }
		if err := yaml.Unmarshal([]byte("p: 0.75\n"), &v); err != nil {
			t.Fatal(err)
		}
		if v.P != 7500 {
			t.Errorf("got %d", v.P)
		}
	})
	t.Run("a quoted number with a comma is read", func(t *testing.T) {
		var v struct{ P Decimal }
		if err := yaml.Unmarshal([]byte("p: \"1,5\"\n"), &v); err != nil {
			t.Fatal(err)
		}
		if v.P != 15000 {
			t.Errorf("got %d", v.P)
		}
	})
	t.Run("a list where a number belongs is a type error naming the line", func(t *testing.T) {
		var v struct{ P Decimal }
		err := yaml.Unmarshal([]byte("x: 1\np: [1, 2]\n"), &v)
		var te *yaml.TypeError
		if !errors.As(err, &te) || !strings.Contains(te.Errors[0], "dòng 2: cần một số") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("a decimal is written back as its shortest text", func(t *testing.T) {
		b, err := yaml.Marshal(struct{ P Decimal }{MustDecimal("0.60")})
		if err != nil {
			t.Fatal(err)
		}
		if got := string(b); got != "p: \"0.6\"\n" {
			t.Errorf("got %q", got)
		}
	})
}
