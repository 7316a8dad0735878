package scorerun

import (
	"fmt"
	"math/big"
	"path"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/sheet"
	"github.com/parsurvey/parsurvey/internal/store"
)

// RowError is one problem of an uploaded ratio file, on its row (1 = the header row).
type RowError = sheet.RowError

// maxRatioRows bounds an upload: a province has hundreds of units, not hundreds of thousands.
const maxRatioRows = 50000

// ParseRatios reads an imported group's satisfaction ratios from an XLSX or CSV file (by the
// name's extension) and checks every row (domain.md, scoring step 8). The first row names the
// columns: the unit code ("Mã đơn vị"), optionally the sub-criterion ("Tiêu chí thành phần";
// empty = every sub-criterion the group is mapped to) and the ratio ("Tỷ lệ"), which is a
// number in [0, 1] ("0,8734", "0.8734") or a percentage ("87,34%"), read exactly. Other
// columns (the unit's name, notes) are ignored. Rows come back only when every row is right;
// otherwise every problem is listed.
func ParseRatios(def *campaign.Definition, group, name string, data []byte) ([]store.ImportedRatio, []RowError) {
	g := def.Group(group)
	if g == nil || !g.Imported() {
		return nil, []RowError{{Msg: fmt.Sprintf("Nhóm %s không phải là nhóm nhập tỷ lệ hài lòng từ nguồn ngoài.", group)}}
	}
	table, err := sheet.ReadTable(name, data, maxRatioRows)
	if err != nil {
		return nil, []RowError{{Msg: err.Error()}}
	}
	if len(table) == 0 {
		return nil, []RowError{{Msg: "Tệp không có dữ liệu."}}
	}
	if len(table) > maxRatioRows {
		return nil, []RowError{{Msg: fmt.Sprintf("Tệp có %d dòng, nhiều hơn mức cho phép %d dòng.", len(table), maxRatioRows)}}
	}
	unitCol, subCol, ratioCol := columns(table[0])
	if unitCol < 0 || ratioCol < 0 {
		return nil, []RowError{{Row: 1, Msg: "dòng tiêu đề phải có cột “Mã đơn vị” và cột “Tỷ lệ” (có thể thêm cột “Tiêu chí thành phần”)."}}
	}
	feeds := map[string]bool{}
	for _, s := range g.Feeds {
		feeds[s] = true
	}
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	var out []store.ImportedRatio
	var errs []RowError
	seen := map[[2]string]int{}
	for i, row := range table[1:] {
		n := i + 2
		cell := func(c int) string {
			if c < 0 || c >= len(row) {
				return ""
			}
			return strings.TrimSpace(norm.NFC.String(row[c]))
		}
		unit, sub, text := cell(unitCol), cell(subCol), cell(ratioCol)
		if unit == "" && sub == "" && text == "" {
			continue // a blank row
		}
		bad := func(format string, args ...any) {
			errs = append(errs, RowError{Row: n, Msg: fmt.Sprintf(format, args...)})
		}
		u := def.Unit(unit)
		switch {
		case unit == "":
			bad("thiếu mã đơn vị.")
		case u == nil:
			bad("không có đơn vị mã %q trong đợt khảo sát.", unit)
		case u.Kind != g.Evaluates:
			bad("đơn vị %s (%s) không thuộc loại đơn vị nhóm %s đánh giá.", unit, u.Name, group)
		}
		switch {
		case sub == "":
		case def.SubFor(g.Evaluates, sub) == nil:
			bad("không có tiêu chí thành phần %q.", sub)
		case len(feeds) > 0 && !feeds[sub]:
			bad("nhóm %s không được gắn với tiêu chí thành phần %s (chỉ gắn với %s).", group, sub, strings.Join(g.Feeds, ", "))
		}
		v, msg := parseRatio(text)
		if msg != "" {
			bad("%s", msg)
		}
		key := [2]string{unit, sub}
		if first, dup := seen[key]; dup && unit != "" {
			if sub == "" {
				bad("đơn vị %s đã có tỷ lệ ở dòng %d.", unit, first)
			} else {
				bad("đơn vị %s, tiêu chí %s đã có tỷ lệ ở dòng %d.", unit, sub, first)
			}
			continue
		}
		seen[key] = n
		if v != nil {
			out = append(out, store.ImportedRatio{Group: group, Unit: unit, Sub: sub, Ratio: v.RatString(), Source: fmt.Sprintf("%s, dòng %d", base, n)})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(out) == 0 {
		return nil, []RowError{{Msg: "Tệp không có dòng tỷ lệ nào."}}
	}
	return out, nil
}

// parseRatio reads a ratio exactly: "0,8734", "0.8734", "1", "87,34%"; the message says why not.
func parseRatio(s string) (*big.Rat, string) {
	if s == "" {
		return nil, "thiếu tỷ lệ."
	}
	t := strings.ReplaceAll(s, " ", "")
	pct := strings.HasSuffix(t, "%")
	t = strings.TrimSuffix(t, "%")
	if strings.Contains(t, ",") {
		if strings.Contains(t, ".") {
			return nil, fmt.Sprintf("tỷ lệ %q không đọc được: chỉ dùng một dấu thập phân.", s)
		}
		t = strings.Replace(t, ",", ".", 1)
	}
	if strings.ContainsAny(t, "/+") {
		return nil, fmt.Sprintf("tỷ lệ %q không phải là số.", s)
	}
	v, ok := new(big.Rat).SetString(t)
	if !ok {
		return nil, fmt.Sprintf("tỷ lệ %q không phải là số.", s)
	}
	if pct {
		v.Quo(v, big.NewRat(100, 1))
	}
	if v.Sign() < 0 || v.Cmp(big.NewRat(1, 1)) > 0 {
		return nil, fmt.Sprintf("tỷ lệ %q phải nằm trong khoảng 0–1 (hoặc 0%%–100%%).", s)
	}
	return v, ""
}

// columns finds the unit, sub-criterion and ratio columns by their headers, -1 when absent.
// Headers are compared without diacritics or case; a column of names ("Tên đơn vị") is not
// the unit code.
func columns(header []string) (unit, sub, ratio int) {
	unit, sub, ratio = -1, -1, -1
	for i, h := range header {
		k := sheet.FoldHeader(h)
		switch {
		case strings.Contains(k, "ten"):
		case ratio < 0 && (strings.Contains(k, "ty le") || strings.Contains(k, "ti le") || strings.Contains(k, "ratio") || strings.Contains(k, "hai long")):
			ratio = i
		case sub < 0 && (strings.Contains(k, "tieu chi") || strings.Contains(k, "sub")):
			sub = i
		case unit < 0 && (strings.Contains(k, "don vi") || k == "unit" || k == "ma"):
			unit = i
		}
	}
	return unit, sub, ratio
}
