// Package data holds files the binary carries with it.
package data

import "embed"

// Fonts holds the TrueType fonts that PDFs are set in (DejaVu Sans regular and bold, which cover
// Vietnamese) with their licence, under fonts/.
//
//go:embed fonts
var Fonts embed.FS
