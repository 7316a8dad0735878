package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// RowError is one problem of an uploaded table, on its row (1 = the header row; 0 = the file as
// a whole).
type RowError struct {
	Row int
	Msg string
}

// Error writes the problem as staff read it: "Dòng 7: mã đơn vị cũ 'H09' không có trong đợt 2025."
func (e RowError) Error() string {
	if e.Row == 0 {
		return e.Msg
	}
	return fmt.Sprintf("Dòng %d: %s", e.Row, e.Msg)
}

// ReadTable reads the rows of an uploaded table by its name's extension: the first sheet of an
// XLSX file (raw values, so a cell shown as "40%" reads 0.4), or a CSV file (UTF-8, with or
// without BOM, separated by commas, semicolons or tabs). A CSV file is read no further than
// maxRows+1 rows, enough for the caller to refuse it as too long. Errors are Vietnamese
// sentences for the staff member who uploaded the file.
func ReadTable(name string, data []byte, maxRows int) ([][]string, error) {
	switch strings.ToLower(path.Ext(name)) {
	case ".xlsx":
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return nil, errors.New("Không đọc được tệp Excel: tệp hỏng hoặc không phải .xlsx.")
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, errors.New("Tệp Excel không có trang tính nào.")
		}
		rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("Không đọc được trang tính %s của tệp Excel.", sheets[0])
		}
		return rows, nil
	case ".csv", ".txt":
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		r := csv.NewReader(bytes.NewReader(data))
		r.Comma = separator(data)
		r.FieldsPerRecord = -1
		r.TrimLeadingSpace = true
		var rows [][]string
		for {
			rec, err := r.Read()
			if err == io.EOF {
				return rows, nil
			}
			if err != nil {
				return nil, fmt.Errorf("Không đọc được tệp CSV (dòng %d): kiểm tra dấu ngoặc kép và dấu phân cách.", len(rows)+1)
			}
			rows = append(rows, rec)
			if len(rows) > maxRows {
				return rows, nil
			}
		}
	}
	return nil, errors.New("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).")
}

// separator guesses a CSV file's separator from its first line: Excel in a Vietnamese locale
// writes semicolons, since the comma is the decimal mark.
func separator(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	best, n := ',', bytes.Count(line, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if k := bytes.Count(line, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

// FoldHeader lowers a column head, strips its Vietnamese diacritics and joins its words with
// single spaces ("Mã_đơn-vị  cũ" → "ma don vi cu"), so heads are matched however they are typed.
func FoldHeader(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, _ := transform.String(t, strings.ToLower(strings.TrimSpace(s)))
	out = strings.ReplaceAll(out, "đ", "d")
	return strings.Join(strings.FieldsFunc(out, func(r rune) bool { return r == '_' || r == '-' || unicode.IsSpace(r) }), " ")
}
