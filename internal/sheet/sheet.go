// Package sheet writes a table of text cells as a one-sheet XLSX workbook, streamed row by row,
// with a bold header row. Every cell is a string, so a spreadsheet runs none as a formula and
// keeps a phone number's or a code's leading 0.
// It also reads an uploaded table back (ReadTable), from XLSX or CSV.
package sheet

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Write writes the workbook to w: a sheet called name, the header, the column widths, then the
// rows that rows hands to its emit function, in order; memory holds one row at a time.
func Write(w io.Writer, name string, header []string, widths []float64, rows func(emit func([]string) error) error) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	row := 2
	err = rows(func(cells []string) error {
		vals := make([]any, len(cells))
		for i, v := range cells {
			vals[i] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, vals)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("sheet: write %s: %w", name, err)
	}
	_, err = f.WriteTo(w)
	return err
}
