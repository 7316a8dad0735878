// Package csvcell writes CSV files that a spreadsheet opens as data, never as formulas: a name
// such as =HYPERLINK("http://evil.example","x") typed into the service must reach the officer's
// Excel as text, not as a link or a command (CSV formula injection, OWASP).
package csvcell

import (
	"encoding/csv"
	"io"
)

// Neutralise returns a cell as it is safe to write: a cell that starts with '=', '+', '-', '@',
// a tab or a carriage return, which Excel and LibreOffice would read as a formula, is prefixed
// with a single quote, as OWASP recommends; any other cell comes back unchanged.
//
// A plain number is not a formula and stays as it is, so that exported figures can still be
// summed: a sign followed by digits, the digits possibly grouped by single dots or commas
// ("-3", "+2", "-0.25", "-1,5", "-1.234,56"). Anything else after a sign ("-3/4", "-1e5",
// "-2+3", "- 1", "-.5") gets the quote, since a spreadsheet may evaluate it.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
	case '+', '-':
		if plainNumber(s[1:]) {
			return s
		}
	default:
		return s
	}
	return "'" + s
}

// plainNumber reports whether s is digits, grouped by single dots or commas, with a digit at
// either end: "3", "0.25", "1,5", "1.234,56".
func plainNumber(s string) bool {
	digit := false // the last byte was a digit
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case (c == '.' || c == ',') && digit:
			digit = false
		default:
			return false
		}
	}
	return digit
}

// Writer is a csv.Writer that passes every cell through Neutralise; every CSV the service hands
// out is written with one.
type Writer struct {
	cw  *csv.Writer
	rec []string // reused between rows, so that a large export does not allocate per row
}

// NewWriter returns a Writer writing comma-separated rows to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{cw: csv.NewWriter(w)}
}

// Write writes one row, each cell neutralised; the caller's slice is left as it was.
func (w *Writer) Write(record []string) error {
	w.rec = w.rec[:0]
	for _, s := range record {
		w.rec = append(w.rec, Neutralise(s))
	}
	return w.cw.Write(w.rec)
}

// Flush writes any buffered rows to the underlying writer; Error reports whether it failed.
func (w *Writer) Flush() { w.cw.Flush() }

// Error returns the first error of a Write or Flush so far.
func (w *Writer) Error() error { return w.cw.Error() }
