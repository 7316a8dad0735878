package paper

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/validation"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

// The fixed columns of an import file; the other columns are the layout's item names: r_<key>
// for a respondent field, q_<code> for a question (q_<code>_<unit> on a matrix form), and
// t_q_<code> after an open question for its text where the campaign keys texts (optional).
const (
	ColumnCode = "ma_phieu"
	ColumnDate = "ngay_nhan"
)

// MaxImportRows caps the forms one file may carry.
const MaxImportRows = 50000

// Columns is the header of the import layout for forms of this layout.
func (l *Layout) Columns() []string {
	out := []string{ColumnCode, ColumnDate}
	for _, it := range l.items {
		out = append(out, it.Name)
		if l.KeysText && l.IsText(it) {
			out = append(out, TextName(it))
		}
	}
	return out
}

// TemplateLayout is the layout a group's import template is made from: for a single-unit form
// the columns are the same whatever the unit, so the first unit of the kind stands for all.
func TemplateLayout(def *campaign.Definition, group string) (*Layout, error) {
	g := def.Group(group)
	if g == nil {
		return nil, fmt.Errorf("paper: group %s not in campaign %s", group, def.Code)
	}
	units := def.UnitsOfKind(g.Evaluates)
	if len(units) == 0 {
		return nil, fmt.Errorf("paper: group %s evaluates no unit", group)
	}
	return NewLayout(def, group, units[0].Code)
}

// ErrFileType is returned for an upload that is neither .xlsx nor .csv.
var ErrFileType = errors.New("Tệp phải là Excel (.xlsx) hoặc CSV (.csv)")

// ReadTable reads the cells of an import file, by its name's extension: the first sheet of an
// .xlsx workbook (raw values, so dates come as serial numbers), or a .csv file separated by
// commas or semicolons, with or without a byte order mark. Cells are NFC-normalised and trimmed.
func ReadTable(name string, r io.Reader) ([][]string, error) {
	var rows [][]string
	switch strings.ToLower(path.Ext(name)) {
	case ".xlsx":
		f, err := excelize.OpenReader(r)
		if err != nil {
			return nil, fmt.Errorf("Không đọc được tệp Excel: %w", err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, errors.New("Tệp Excel không có trang tính nào")
		}
		rows, err = f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("Không đọc được trang tính %s: %w", sheets[0], err)
		}
	case ".csv":
		br := bufio.NewReader(r)
		if b, _ := br.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
			br.Discard(3)
		}
		first, _ := br.Peek(4096)
		line, _, _ := bytes.Cut(first, []byte("\n"))
		cr := csv.NewReader(br)
		if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
			cr.Comma = ';'
		}
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		var err error
		rows, err = cr.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("Không đọc được tệp CSV: %w", err)
		}
	default:
		return nil, ErrFileType
	}
	for _, row := range rows {
		for j := range row {
			row[j] = norm.NFC.String(strings.TrimSpace(row[j]))
		}
	}
	return rows, nil
}

// Row is one form read from an import file.
type Row struct {
	// Line is the row's number in the file, the header being line 1.
	Line       int
	Code       string
	Group      string
	Unit       string // "" for a matrix form
	ReceivedOn time.Time
	Layout     *Layout
	Entry      Entry
	// Digest fingerprints the row's content (receipt date included): an identical row uploaded
	// again is recognised as already stored.
	Digest string
}

// RowError is one problem of an import file, located by line and column.
type RowError struct {
	Line   int
	Column string
	Msg    string
}

// String writes the problem for people: "Dòng 5, cột q_C3: …".
func (e RowError) String() string {
	if e.Column != "" {
		return fmt.Sprintf("Dòng %d, cột %s: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("Dòng %d: %s", e.Line, e.Msg)
}

// ParseTable reads every form of an import file against the campaign definition. The header
// names the columns (see Columns); a file may hold several groups when its header carries the
// columns of each. It checks what the file alone can tell: the header, each code's check
// character and group, the receipt date, every cell, and codes given twice. Every problem is
// reported, not only the first; the rows read without a problem are returned.
func ParseTable(def *campaign.Definition, table [][]string) ([]Row, []RowError) {
	var errs []RowError
	if len(table) == 0 || allEmpty(table[0]) {
		return nil, []RowError{{Line: 1, Msg: "Tệp trống hoặc thiếu dòng tiêu đề (ma_phieu, ngay_nhan, các cột câu hỏi)"}}
	}
	header := map[string]int{}
	for j, h := range table[0] {
		if h == "" {
			continue
		}
		if _, dup := header[h]; dup {
			errs = append(errs, RowError{Line: 1, Column: h, Msg: "cột bị lặp lại"})
		}
		header[h] = j
	}
	for _, c := range []string{ColumnCode, ColumnDate} {
		if _, ok := header[c]; !ok {
			errs = append(errs, RowError{Line: 1, Column: c, Msg: "thiếu cột bắt buộc"})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(table)-1 > MaxImportRows {
		return nil, []RowError{{Line: 1, Msg: fmt.Sprintf("Tệp có %d dòng, vượt quá %d dòng mỗi lần tải lên; hãy chia thành nhiều tệp", len(table)-1, MaxImportRows)}}
	}
	known := map[string]bool{ColumnCode: true, ColumnDate: true}
	groups, units := map[string]string{}, map[string]string{}
	for _, g := range def.Groups {
		groups[formcode.Fold(g.Code)] = g.Code
		if l, err := TemplateLayout(def, g.Code); err == nil {
			for _, c := range l.Columns() {
				known[c] = true
			}
		}
	}
	for _, u := range def.Units {
		units[formcode.Fold(u.Code)] = u.Code
	}
	var unknown []string
	for h := range header {
		if !known[h] {
			unknown = append(unknown, h)
		}
	}
	sort.Strings(unknown)
	for _, h := range unknown {
		errs = append(errs, RowError{Line: 1, Column: h, Msg: "cột không có trong mẫu nhập của đợt khảo sát"})
	}

	layouts := map[string]*Layout{}
	missingReported := map[string]bool{}
	firstLine := map[string]int{}
	var rows []Row
	cellAt := func(row []string, col string) string {
		j, ok := header[col]
		if !ok || j >= len(row) {
			return ""
		}
		return row[j]
	}
	for i := 1; i < len(table); i++ {
		line, cells := i+1, table[i]
		if allEmpty(cells) {
			continue
		}
		var rowErrs []RowError
		fail := func(col, format string, args ...any) {
			rowErrs = append(rowErrs, RowError{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
		}
		raw := cellAt(cells, ColumnCode)
		code, err := formcode.Parse(raw)
		if err != nil {
			fail(ColumnCode, "%s: “%s”", err.Error(), raw)
			errs = append(errs, rowErrs...)
			continue
		}
		r := Row{Line: line, Code: code.String()}
		if first, dup := firstLine[r.Code]; dup {
			fail(ColumnCode, "mã phiếu %s trùng với dòng %d", r.Code, first)
			errs = append(errs, rowErrs...)
			continue
		}
		firstLine[r.Code] = line
		r.Group = groups[code.Group]
		g := def.Group(r.Group)
		switch {
		case g == nil:
			fail(ColumnCode, "mã phiếu %s thuộc nhóm %s, không có trong đợt khảo sát", r.Code, code.Group)
		case g.Imported():
			fail(ColumnCode, "nhóm %s lấy kết quả từ nguồn ngoài, không nhận phiếu", g.Code)
		case !g.Has(campaign.ChannelPaper):
			fail(ColumnCode, "nhóm %s chỉ trả lời trực tuyến, không nhận phiếu giấy", g.Code)
		}
		if len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			continue
		}
		q := def.Questionnaire(g.Form)
		matrix := q != nil && q.Shape == campaign.ShapeMatrix
		switch {
		case matrix && !code.IsMatrix():
			fail(ColumnCode, "nhóm %s dùng phiếu ma trận, mã phiếu phải có phần đơn vị %s", g.Code, formcode.Matrix)
		case !matrix && code.IsMatrix():
			fail(ColumnCode, "nhóm %s đánh giá từng đơn vị, mã phiếu không được là phiếu ma trận", g.Code)
		case !matrix:
			r.Unit = units[code.Unit]
			if u := def.Unit(r.Unit); u == nil || u.Kind != g.Evaluates {
				fail(ColumnCode, "mã phiếu %s ghi đơn vị %s, không phải đơn vị nhóm %s đánh giá", r.Code, code.Unit, g.Code)
			}
		}
		if len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			continue
		}
		key := r.Group + "/" + r.Unit
		l := layouts[key]
		if l == nil {
			if l, err = NewLayout(def, r.Group, r.Unit); err != nil {
				fail(ColumnCode, "%v", err)
				errs = append(errs, rowErrs...)
				continue
			}
			layouts[key] = l
		}
		r.Layout = l
		var missing []string
		for _, it := range l.items {
			if _, ok := header[it.Name]; !ok {
				missing = append(missing, it.Name)
			}
		}
		if len(missing) > 0 {
			if !missingReported[r.Group] {
				missingReported[r.Group] = true
				errs = append(errs, RowError{Line: 1, Msg: fmt.Sprintf("thiếu %d cột của nhóm %s: %s", len(missing), r.Group, strings.Join(missing, ", "))})
			}
			fail("", "tệp thiếu cột của nhóm %s (xem dòng 1)", r.Group)
			errs = append(errs, rowErrs...)
			continue
		}
		rawDate := cellAt(cells, ColumnDate)
		if r.ReceivedOn, err = ParseDate(rawDate); err != nil {
			fail(ColumnDate, "%v", err)
		}
		var probs []Problem
		r.Entry, probs = l.Read(func(name string) string { return cellAt(cells, name) }, true)
		for _, p := range probs {
			fail(p.Name, "%s", p.Msg)
		}
		if len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			continue
		}
		sum := sha256.Sum256([]byte(r.Entry.Digest() + "|" + r.ReceivedOn.Format("2006-01-02")))
		r.Digest = hex.EncodeToString(sum[:])
		rows = append(rows, r)
	}
	if len(rows) == 0 && len(errs) == 0 {
		errs = append(errs, RowError{Line: 2, Msg: "Tệp không có dòng phiếu nào dưới dòng tiêu đề"})
	}
	return rows, errs
}

// ParseDate reads a receipt date as people and spreadsheets write it: dd/mm/yyyy, yyyy-mm-dd, or
// a spreadsheet's date serial number. The day is in Asia/Ho_Chi_Minh.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("thiếu ngày nhận phiếu")
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1 && f < 2958466 && !strings.ContainsAny(s, "-/") {
		t, err := excelize.ExcelDateToTime(math.Floor(f), false)
		if err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, campaign.Zone), nil
		}
	}
	for _, layout := range []string{"2/1/2006", "2-1-2006", "2.1.2006", "2006-1-2", "2006/1/2"} {
		if t, err := time.ParseInLocation(layout, s, campaign.Zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("ngày nhận “%s” không đúng dạng dd/mm/yyyy", s)
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// RowFacts is what storage knows about an import row's code.
type RowFacts struct {
	Found  bool
	Voided bool
	// Answered is the channel of the response accepted for the code, "" when none; Digest is
	// that response's digest.
	Answered string
	Digest   string
	// Keyed is set when the form has keyings from the paper keying screen.
	Keyed bool
}

// CheckRow applies what storage knows to a row read from a file. Stored is set when the very same
// row was imported before: it is not an error, and it is not stored again.
func CheckRow(r Row, f RowFacts) (stored bool, errs []RowError) {
	fail := func(format string, args ...any) {
		errs = append(errs, RowError{Line: r.Line, Column: ColumnCode, Msg: fmt.Sprintf(format, args...)})
	}
	switch {
	case !f.Found:
		fail("mã phiếu %s chưa được phát hành trong đợt khảo sát", r.Code)
	case f.Voided:
		fail("mã phiếu %s đã bị hủy", r.Code)
	case f.Answered == string(campaign.ChannelFileImport) && f.Digest == r.Digest:
		return true, nil
	case f.Answered == string(campaign.ChannelFileImport):
		fail("mã phiếu %s đã được nhập từ tệp trước đây với nội dung khác; không ghi đè", r.Code)
	case f.Answered != "":
		fail("mã phiếu %s đã có phiếu trả lời %s", r.Code, ChannelPhrase(f.Answered))
	case f.Keyed:
		fail("mã phiếu %s đang được nhập tay từ phiếu giấy", r.Code)
	}
	return false, errs
}

// ImportFacts gathers the validation facts of an import row about to be stored.
func ImportFacts(r Row) validation.Facts {
	f := validation.Facts{Issued: true, IssuedGroup: r.Group, Group: r.Group, Channel: campaign.ChannelFileImport,
		ReceivedAt: r.ReceivedOn, FirstForCode: true, Answers: r.Entry.Units}
	if r.Unit != "" {
		f.IssuedUnits = []string{r.Unit}
	} else if r.Layout != nil && len(r.Layout.Issued) > 0 {
		f.IssuedUnits = r.Layout.Issued // narrowed by ForUnits
	}
	return f
}

// ForUnits narrows a row of a matrix form issued for a list of units (issued, by code; issue
// 12, item 6) to those units: the file's columns q_<code>_<unit> of the kind's other units
// must be empty (or 0), and the row keeps the form's units only, as keying the form would.
// A row of any other form is returned as it is.
func (r Row) ForUnits(def *campaign.Definition, issued []string) (Row, []RowError) {
	if len(issued) == 0 || r.Unit != "" || r.Layout == nil || !r.Layout.Matrix {
		return r, nil
	}
	l, err := NewFormLayout(def, r.Group, "", issued)
	if err != nil {
		return r, []RowError{{Line: r.Line, Column: ColumnCode, Msg: fmt.Sprintf("mã phiếu %s: %v", r.Code, err)}}
	}
	var errs []RowError
	e := l.Empty()
	e.Fields = r.Entry.Fields
	for _, it := range r.Layout.items {
		if it.Field >= 0 {
			continue
		}
		a := r.Entry.At(it)
		kept, ok := l.Item(it.Name)
		switch {
		case ok:
			e = e.With(kept, a)
			if text := r.Entry.Texts[it.Name]; text != "" {
				if e.Texts == nil {
					e.Texts = map[string]string{}
				}
				e.Texts[it.Name] = text
			}
		case a != response.Blank && a != response.Skipped:
			errs = append(errs, RowError{Line: r.Line, Column: it.Name, Msg: fmt.Sprintf(msgOutsideUnit, l.unitNames())})
		}
	}
	if len(errs) > 0 {
		return r, errs
	}
	r.Layout, r.Entry = l, e
	sum := sha256.Sum256([]byte(r.Entry.Digest() + "|" + r.ReceivedOn.Format("2006-01-02")))
	r.Digest = hex.EncodeToString(sum[:])
	return r, nil
}
