package vn

import (
	"math/big"
	"slices"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// rat parses an exact decimal such as "2.675" or "-1/3"; a float64 would already be rounded.
func rat(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("bad rational %q", s)
	}
	return r
}

func TestRoundHalfUp(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		decimals int
		want     string
	}{
		{"a value exactly half way at the third decimal rounds up", "2.345", 2, "2.35"},
		{"a value just below half way rounds down", "2.3449999", 2, "2.34"},
		{"a value just above half way rounds up", "2.3450001", 2, "2.35"},
		{"2.675 rounds to 2.68, which float64 gets wrong as 2.67", "2.675", 2, "2.68"},
		{"1.005 rounds to 1.01, which float64 gets wrong as 1.00", "1.005", 2, "1.01"},
		{"a negative half way value rounds away from zero", "-2.345", 2, "-2.35"},
		{"-2.675 rounds away from zero to -2.68", "-2.675", 2, "-2.68"},
		{"a negative value below half way rounds toward zero", "-2.344", 2, "-2.34"},
		{"a negative value that rounds to zero loses its sign", "-0.004", 2, "0.00"},
		{"a negative half way value next to zero keeps its sign", "-0.005", 2, "-0.01"},
		{"zero decimals round half up to a whole number", "2.5", 0, "3"},
		{"zero decimals round a value below half down", "2.4999", 0, "2"},
		{"zero decimals round a negative half away from zero", "-2.5", 0, "-3"},
		{"zero decimals of a small negative value give zero without a sign", "-0.4", 0, "0"},
		{"a value below one keeps its leading zero", "0.05", 1, "0.1"},
		{"a tiny value keeps every leading zero of its decimals", "0.0004", 3, "0.000"},
		{"a value half way at the last of several decimals rounds up", "0.0000005", 6, "0.000001"},
		{"many decimals pad a short value with zeros", "1.5", 6, "1.500000"},
		{"a repeating fraction is rounded exactly", "1/3", 4, "0.3333"},
		{"two thirds round up at the last digit", "2/3", 4, "0.6667"},
		{"a carry runs through every nine", "9.995", 2, "10.00"},
		{"a whole number gets its decimal zeros", "32", 2, "32.00"},
		{"a large value keeps every digit", "123456789012345678901234567890.125", 2, "123456789012345678901234567890.13"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rat(t, tt.in)
			before := r.String()
			if got := RoundHalfUp(r, tt.decimals); got != tt.want {
				t.Errorf("RoundHalfUp(%s, %d) = %q, want %q", tt.in, tt.decimals, got, tt.want)
			}
			if r.String() != before {
				t.Errorf("RoundHalfUp changed its argument from %s to %s", before, r.String())
			}
		})
	}
}

func TestInt(t *testing.T) {
	tests := []struct {
		name string
		in   int64
		want string
	}{
		{"zero is written as 0", 0, "0"},
		{"three digits need no separator", 999, "999"},
		{"four digits get a dot before the hundreds", 1000, "1.000"},
		{"millions get a dot between every three digits", 1234567, "1.234.567"},
		{"six digits get one dot", 123456, "123.456"},
		{"a negative number keeps its sign in front of the first group", -1234567, "-1.234.567"},
		{"a small negative number has no separator", -12, "-12"},
		{"a negative number of exactly three digits has no dot after the sign", -123, "-123"},
		{"the largest int64 is grouped in full", 9223372036854775807, "9.223.372.036.854.775.807"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Int(tt.in); got != tt.want {
				t.Errorf("Int(%d) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDecimal(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		decimals int
		want     string
	}{
		{"thousands take dots and decimals take a comma", "1234.56", 2, "1.234,56"},
		{"a value is rounded half up before formatting", "1234.565", 2, "1.234,57"},
		{"a value below one has a zero before the comma", "0.5", 2, "0,50"},
		{"zero decimals give no comma", "1234567.5", 0, "1.234.568"},
		{"a negative value keeps its sign before the grouped digits", "-1234567.891", 1, "-1.234.567,9"},
		{"a negative value of three whole digits has no dot after the sign", "-123.4", 1, "-123,4"},
		{"a negative value that rounds to zero has no sign", "-0.001", 2, "0,00"},
		{"a score out of 32 points is written with two decimals", "2375/100", 2, "23,75"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Decimal(rat(t, tt.in), tt.decimals); got != tt.want {
				t.Errorf("Decimal(%s, %d) = %q, want %q", tt.in, tt.decimals, got, tt.want)
			}
		})
	}
}

func TestDateAndDateTime(t *testing.T) {
	tests := []struct {
		name         string
		in           time.Time
		wantDate     string
		wantDateTime string
	}{
		{"a UTC instant late in the evening is already the next day in Vietnam",
			time.Date(2026, 11, 30, 18, 30, 0, 0, time.UTC), "01/12/2026", "01/12/2026 01:30"},
		{"a UTC instant just before 17:00 is still the same day in Vietnam",
			time.Date(2026, 12, 31, 16, 59, 0, 0, time.UTC), "31/12/2026", "31/12/2026 23:59"},
		{"the last evening of the year in UTC is new year in Vietnam",
			time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC), "01/01/2027", "01/01/2027 00:00"},
		{"an instant given in another zone is shown in Vietnam time",
			time.Date(2026, 11, 1, 8, 5, 0, 0, time.FixedZone("CET", 3600)), "01/11/2026", "01/11/2026 14:05"},
		{"day and month are written with two digits, day first",
			time.Date(2026, 3, 4, 2, 7, 0, 0, time.UTC), "04/03/2026", "04/03/2026 09:07"},
		{"the zero time is written as nothing", time.Time{}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Date(tt.in); got != tt.wantDate {
				t.Errorf("Date(%v) = %q, want %q", tt.in, got, tt.wantDate)
			}
			if got := DateTime(tt.in); got != tt.wantDateTime {
				t.Errorf("DateTime(%v) = %q, want %q", tt.in, got, tt.wantDateTime)
			}
		})
	}
}

func TestLess(t *testing.T) {
	tests := []struct {
		name string
		a, b string
	}{
		{"Đ comes after every D, so Dương is before Đà Nẵng", "Dương", "Đà Nẵng"},
		{"Đ comes before E", "Đà Nẵng", "Ea Kar"},
		{"an unmarked letter is before the same letter with a tone", "Anh", "Ánh"},
		{"a tone mark matters less than the letters after it", "Ánh", "Anha"},
		{"Ă comes after every plain A", "Az", "Ăn"},
		{"Â comes after Ă", "Ăn", "Ân"},
		{"Ơ comes after Ô", "Ôn", "Ơn"},
		{"Ư comes after U", "Uy", "Ưng"},
		{"the level tone comes before the grave tone", "Ma", "Mà"},
		{"the grave tone comes before the hook tone", "Mà", "Mả"},
		{"letters decide before case does", "an Hòa", "Bình"},
		{"Huyện An Hòa is before Huyện Đông Sơn", "Huyện An Hòa", "Huyện Đông Sơn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !Less(tt.a, tt.b) {
				t.Errorf("Less(%q, %q) = false, want true", tt.a, tt.b)
			}
			if Less(tt.b, tt.a) {
				t.Errorf("Less(%q, %q) = true, want false", tt.b, tt.a)
			}
		})
	}
	t.Run("a name is not less than itself", func(t *testing.T) {
		if Less("Đà Nẵng", "Đà Nẵng") {
			t.Error("Less(x, x) = true")
		}
	})
	t.Run("sorting a list of units puts Đ after D and before E", func(t *testing.T) {
		got := []string{"Ea Kar", "Đông Sơn", "Bình An", "Dương Minh Châu", "Ân Thi", "An Hòa", "Ăn Khê"}
		slices.SortFunc(got, func(a, b string) int {
			switch {
			case Less(a, b):
				return -1
			case Less(b, a):
				return 1
			}
			return 0
		})
		want := []string{"An Hòa", "Ăn Khê", "Ân Thi", "Bình An", "Dương Minh Châu", "Đông Sơn", "Ea Kar"}
		if !slices.Equal(got, want) {
			t.Errorf("sorted = %q\nwant     %q", got, want)
		}
	})
}

func TestNFC(t *testing.T) {
	decomposed := norm.NFD.String("Đà Nẵng")
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"decomposed letters and tones are composed", decomposed, "Đà Nẵng"},
		{"a base letter followed by a combining acute becomes one character", "A\u0301nh", "Ánh"},
		{"stacked vowel and tone marks are composed in one character", "e\u0302\u0303", "ễ"},
		{"composed text stays as it is", "Huyện Đông Sơn", "Huyện Đông Sơn"},
		{"spaces around the text are trimmed", "  Sở Nội vụ \n", "Sở Nội vụ"},
		{"empty text stays empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NFC(tt.in)
			if got != tt.want {
				t.Errorf("NFC(%+q) = %+q, want %+q", tt.in, got, tt.want)
			}
			if !norm.NFC.IsNormalString(got) {
				t.Errorf("NFC(%+q) = %+q is not in NFC", tt.in, got)
			}
		})
	}
	t.Run("the decomposed input really differs from the composed form", func(t *testing.T) {
		// Guards the table above: if NFD did nothing, the first case could not fail.
		if decomposed == "Đà Nẵng" {
			t.Fatal("norm.NFD did not decompose the test input")
		}
	})
}

func TestCapitalizePutsACapitalOnTheFirstLetterOnly(t *testing.T) {
	for in, want := range map[string]string{"": "", "đơn vị": "Đơn vị", "nhóm S2": "Nhóm S2", "Đã xong": "Đã xong"} {
		if got := Capitalize(in); got != want {
			t.Errorf("Capitalize(%q) = %q, want %q", in, got, want)
		}
	}
}
