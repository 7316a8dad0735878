package qr

import (
	"strings"
	"testing"
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

func TestTooLongTextIsAnError(t *testing.T) {
	if _, err := Modules(strings.Repeat("x", 5000)); err == nil {
		t.Fatal("no error for 5000 bytes")
	}
}
