package compare

import (
	"fmt"
	"math/big"
	"path"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/sheet"
)

// Mapping says how units of a campaign draw on units of the earlier one where codes do not
// match them: after the 2025 mergers one new commune maps to several old ones, weighted, or
// is marked not comparable. Units it does not name are matched by code.
type Mapping struct {
	// Source is the mapping sheet's file name; "" for none.
	Source string
	Units  []UnitMap
}

// UnitMap is one unit of the campaign as the mapping sheet matches it.
type UnitMap struct {
	Unit          string
	NotComparable bool
	// From are the earlier units and their weights as written (not normalised).
	From []Weighted
	// Row is the sheet row the unit first appears on (1 = the header row).
	Row int
}

// Weighted is an earlier unit with its weight in a mapping.
type Weighted struct {
	Unit   string
	Weight *big.Rat
	Row    int
}

// RowError is one problem of an uploaded mapping sheet, on its row (1 = the header row).
type RowError = sheet.RowError

// The mapping sheet's column heads, as the template writes them.
const (
	ColumnNew           = "Mã đơn vị mới"
	ColumnOld           = "Mã đơn vị cũ"
	ColumnWeight        = "Trọng số"
	ColumnNotComparable = "Không so sánh"
	ColumnNewName       = "Tên đơn vị mới (để đối chiếu)"
	ColumnOldName       = "Tên đơn vị cũ (để đối chiếu)"
)

// maxMappingRows bounds a mapping sheet: a province has hundreds of units.
const maxMappingRows = 20000

// ParseMapping reads a mapping sheet (XLSX, first sheet, or CSV; by the name's extension) of
// units of now against units of before, and checks every row. The header row names the
// columns: the new unit's code ("Mã đơn vị mới"), the old unit's code ("Mã đơn vị cũ"), its
// weight ("Trọng số": "1", "0,5", "0.25", "40%", "1/3"; empty = 1) and a mark for a unit that
// cannot be compared ("Không so sánh": any of x, có, 1). A new unit listed on several rows
// draws on several old units; the weights are normalised when the change is computed. The
// mapping comes back only when every row is right; otherwise every problem is listed.
func ParseMapping(now, before *campaign.Definition, beforeLabel, name string, data []byte) (Mapping, []RowError) {
	m := Mapping{Source: path.Base(strings.ReplaceAll(name, "\\", "/"))}
	table, err := sheet.ReadTable(name, data, maxMappingRows)
	if err != nil {
		return m, []RowError{{Msg: err.Error()}}
	}
	if len(table) == 0 {
		return m, []RowError{{Msg: "Tệp không có dữ liệu."}}
	}
	if len(table) > maxMappingRows {
		return m, []RowError{{Msg: fmt.Sprintf("Tệp có %d dòng, nhiều hơn mức cho phép %d dòng.", len(table), maxMappingRows)}}
	}
	cols := mappingColumns(table[0])
	if cols.new < 0 || cols.old < 0 {
		return m, []RowError{{Row: 1, Msg: fmt.Sprintf("dòng tiêu đề phải có cột “%s” và cột “%s” (có thể thêm cột “%s” và “%s”).",
			ColumnNew, ColumnOld, ColumnWeight, ColumnNotComparable)}}
	}
	var errs []RowError
	index := map[string]int{} // new unit code → position in m.Units
	pairs := map[[2]string]int{}
	for i, row := range table[1:] {
		n := i + 2
		cell := func(c int) string {
			if c < 0 || c >= len(row) {
				return ""
			}
			return strings.TrimSpace(norm.NFC.String(row[c]))
		}
		nu, ou, wt, mark := cell(cols.new), cell(cols.old), cell(cols.weight), cell(cols.mark)
		if nu == "" && ou == "" && wt == "" && mark == "" {
			continue // a blank row
		}
		bad := func(format string, args ...any) {
			errs = append(errs, RowError{Row: n, Msg: fmt.Sprintf(format, args...)})
		}
		notComparable, markOK := readMark(mark)
		ok := true
		switch {
		case nu == "":
			bad("thiếu mã đơn vị mới.")
			ok = false
		case now.Unit(nu) == nil:
			bad("mã đơn vị mới '%s' không có trong đợt này (%s).", nu, now.Code)
			ok = false
		}
		if !markOK {
			bad("cột “%s” chỉ nhận x (hoặc để trống), không nhận '%s'.", ColumnNotComparable, mark)
			ok = false
		}
		var w *big.Rat
		switch {
		case notComparable && ou != "":
			bad("đơn vị %s được đánh dấu không so sánh nhưng vẫn ghi mã đơn vị cũ '%s': bỏ một trong hai.", nu, ou)
			ok = false
		case notComparable:
		case ou == "":
			bad("thiếu mã đơn vị cũ (nếu đơn vị %s không so sánh được với năm trước, để trống mã cũ và ghi x ở cột “%s”).", orDash(nu), ColumnNotComparable)
			ok = false
		case before.Unit(ou) == nil:
			bad("mã đơn vị cũ '%s' không có trong đợt %s.", ou, beforeLabel)
			ok = false
		default:
			var msg string
			if w, msg = parseWeight(wt); msg != "" {
				bad("%s", msg)
				ok = false
			}
		}
		if !ok {
			continue
		}
		key := [2]string{nu, ou}
		if first, dup := pairs[key]; dup {
			if notComparable {
				bad("đơn vị %s đã được đánh dấu không so sánh ở dòng %d.", nu, first)
			} else {
				bad("cặp đơn vị mới %s – đơn vị cũ %s đã có ở dòng %d.", nu, ou, first)
			}
			continue
		}
		pairs[key] = n
		at, seen := index[nu]
		if !seen {
			index[nu] = len(m.Units)
			m.Units = append(m.Units, UnitMap{Unit: nu, NotComparable: notComparable, Row: n})
			at = index[nu]
		}
		um := &m.Units[at]
		switch {
		case um.NotComparable && !notComparable:
			bad("đơn vị %s đã được đánh dấu không so sánh ở dòng %d, không thể ghép thêm với đơn vị cũ %s.", nu, um.Row, ou)
			continue
		case !um.NotComparable && notComparable:
			bad("đơn vị %s đã được ghép với đơn vị cũ ở dòng %d, không thể đánh dấu không so sánh.", nu, um.Row)
			continue
		}
		if !notComparable {
			um.From = append(um.From, Weighted{Unit: ou, Weight: w, Row: n})
		}
	}
	if len(errs) > 0 {
		return Mapping{Source: m.Source}, errs
	}
	if len(m.Units) == 0 {
		return m, []RowError{{Msg: "Tệp không có dòng ghép đơn vị nào."}}
	}
	return m, nil
}

func orDash(s string) string {
	if s == "" {
		return "này"
	}
	return s
}

// readMark reads the "not comparable" cell: empty is no, x / có / 1 is yes.
func readMark(s string) (yes, ok bool) {
	switch sheet.FoldHeader(s) {
	case "":
		return false, true
	case "x", "co", "1", "yes", "khong so sanh":
		return true, true
	}
	return false, false
}

// parseWeight reads a weight exactly: empty is 1; "0,5", "0.25", "40%", "1/3"; it must be
// above 0. The message says why not.
func parseWeight(s string) (*big.Rat, string) {
	if s == "" {
		return big.NewRat(1, 1), ""
	}
	t := strings.ReplaceAll(s, " ", "")
	pct := strings.HasSuffix(t, "%")
	t = strings.TrimSuffix(t, "%")
	if strings.Contains(t, ",") {
		if strings.Contains(t, ".") {
			return nil, fmt.Sprintf("trọng số '%s' không đọc được: chỉ dùng một dấu thập phân.", s)
		}
		t = strings.Replace(t, ",", ".", 1)
	}
	if strings.Trim(t, "0123456789./") != "" || strings.Count(t, "/") > 1 || strings.HasPrefix(t, "0") && len(t) > 1 && t[1] != '.' {
		return nil, fmt.Sprintf("trọng số '%s' không phải là số dương.", s)
	}
	v, ok := new(big.Rat).SetString(t)
	if !ok {
		return nil, fmt.Sprintf("trọng số '%s' không phải là số.", s)
	}
	if pct {
		v.Quo(v, hundred)
	}
	if v.Sign() <= 0 {
		return nil, fmt.Sprintf("trọng số '%s' phải lớn hơn 0 (đơn vị không so sánh được thì ghi x ở cột “%s”).", s, ColumnNotComparable)
	}
	return v, ""
}

type columns struct{ new, old, weight, mark int }

// mappingColumns finds the columns by their heads, compared without diacritics or case; a
// column of names ("Tên đơn vị …") is never a code.
func mappingColumns(header []string) columns {
	c := columns{-1, -1, -1, -1}
	for i, h := range header {
		k := sheet.FoldHeader(h)
		switch {
		case strings.Contains(k, "ten"):
		case c.mark < 0 && strings.Contains(k, "khong so sanh"):
			c.mark = i
		case c.weight < 0 && (strings.Contains(k, "trong so") || k == "weight"):
			c.weight = i
		case c.new < 0 && (hasWord(k, "moi") || hasWord(k, "new")):
			c.new = i
		case c.old < 0 && (hasWord(k, "cu") || hasWord(k, "old")):
			c.old = i
		}
	}
	return c
}

func hasWord(s, w string) bool {
	for _, f := range strings.Fields(s) {
		if f == w {
			return true
		}
	}
	return false
}
