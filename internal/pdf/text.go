package pdf

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nfc normalises text to NFC, the form whose precomposed Vietnamese letters the font has glyphs
// for. Layout works on normalised text so that it measures and breaks what it draws.
func nfc(s string) string { return norm.NFC.String(s) }

// measureFunc returns the width in millimetres of a string set in a weight and size.
type measureFunc func(w weight, size float64, s string) float64

// lineHeight is the distance between baselines of text set in size points, in millimetres.
func lineHeight(size float64) float64 { return size * 1.25 * ptToMM }

// capHeight is about how far capitals rise above the baseline, in millimetres.
func capHeight(size float64) float64 { return size * 0.73 * ptToMM }

// wrap breaks text into lines no wider than width. Newlines start new lines; a word wider than
// the line is broken between characters.
func wrap(measure measureFunc, w weight, size float64, text string, width float64) []string {
	var lines []string
	space := measure(w, size, " ")
	for _, para := range strings.Split(nfc(text), "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		var line strings.Builder
		lineW := 0.0
		for _, word := range words {
			ww := measure(w, size, word)
			for ww > width {
				// Break an overlong word: flush the line, then cut the word where it fills one.
				if line.Len() > 0 {
					lines = append(lines, line.String())
					line.Reset()
					lineW = 0
				}
				cut := fitPrefix(measure, w, size, word, width)
				lines = append(lines, word[:cut])
				word = word[cut:]
				ww = measure(w, size, word)
			}
			if word == "" {
				continue
			}
			switch {
			case line.Len() == 0:
				line.WriteString(word)
				lineW = ww
			case lineW+space+ww <= width:
				line.WriteByte(' ')
				line.WriteString(word)
				lineW += space + ww
			default:
				lines = append(lines, line.String())
				line.Reset()
				line.WriteString(word)
				lineW = ww
			}
		}
		if line.Len() > 0 {
			lines = append(lines, line.String())
		}
	}
	return lines
}

// fitPrefix returns the length in bytes of the longest prefix of word no wider than width, at
// least one character.
func fitPrefix(measure measureFunc, w weight, size float64, word string, width float64) int {
	end := 0
	for i, r := range word {
		next := i + utf8.RuneLen(r)
		if end > 0 && measure(w, size, word[:next]) > width {
			break
		}
		end = next
	}
	return end
}

// fitSize returns the largest size from max down to min, in steps of half a point, at which s
// is no wider than width.
func fitSize(measure measureFunc, w weight, s string, width, max, min float64) float64 {
	size := max
	for size > min && measure(w, size, s) > width {
		size -= 0.5
	}
	return size
}

// shortLink writes a link the way a person would type it: without the scheme and trailing slash.
func shortLink(link string) string {
	for _, scheme := range []string{"https://", "http://"} {
		if strings.HasPrefix(strings.ToLower(link), scheme) {
			link = link[len(scheme):]
			break
		}
	}
	return strings.TrimSuffix(link, "/")
}
