package qr

import (
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

const link = "https://khaosat.example.vn/p/abcdefghijklmnopqrstuvwxyz"

func TestModulesAreASquareWithFinderPatterns(t *testing.T) {
	m, err := Modules(link)
	if err != nil {
		t.Fatal(err)
	}
	n := len(m)
	if n < 21 || (n-17)%4 != 0 {
		t.Fatalf("%d modules is not a QR size", n)
	}
	for _, row := range m {
		if len(row) != n {
			t.Fatalf("row of %d modules in a %d square", len(row), n)
		}
	}
	// The finder pattern's outer ring starts at every corner but the bottom right.
	for _, p := range [][2]int{{0, 0}, {0, n - 1}, {n - 1, 0}, {6, 6}, {0, 6}} {
		if !m[p[0]][p[1]] {
			t.Errorf("module %v is light, want dark (finder pattern)", p)
		}
	}
	if m[1][1] {
		t.Error("module (1,1) is dark, want the light ring of the finder pattern")
	}
}

func TestErrorCorrectionIsTheStrongestAtMediumsSize(t *testing.T) {
	for _, tt := range []struct {
		name, text string
	}{
		{"a short link", "https://khaosat.hanoi.gov.vn/x7k2m9p4q8rt"},
		{"a short link on a long address", "https://khaosat.sonoivu.binhan.gov.vn/x7k2m9p4q8rt"},
		{"a token link", link},
		{"a link just past a size", strings.Repeat("x", 42)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Encode(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			medium, _ := qrcode.New(tt.text, qrcode.Medium)
			if q.VersionNumber != medium.VersionNumber {
				t.Fatalf("version %d, medium needs %d", q.VersionNumber, medium.VersionNumber)
			}
			if q.Level < qrcode.Medium {
				t.Fatalf("level %d below medium", q.Level)
			}
			for l := q.Level + 1; l <= qrcode.Highest; l++ {
				if s, err := qrcode.New(tt.text, l); err == nil && s.VersionNumber == q.VersionNumber {
					t.Errorf("level %d fits version %d too, chose %d", l, q.VersionNumber, q.Level)
				}
			}
		})
	}
}

func TestTooLongTextIsAnError(t *testing.T) {
	if _, err := Modules(strings.Repeat("x", 5000)); err == nil {
		t.Fatal("no error for 5000 bytes")
	}
}
