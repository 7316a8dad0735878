package workbook

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// Change is one difference between two versions of a definition: where, and the value before
// and after ("" for what was added or removed).
type Change struct {
	What string
	From string
	To   string
}

// String reads "Đơn vị H01 › tên: «Huyện An Hòa» → «Xã An Hòa»".
func (c Change) String() string {
	switch {
	case c.From == "":
		return fmt.Sprintf("%s: thêm %s", c.What, c.To)
	case c.To == "":
		return fmt.Sprintf("%s: bỏ %s", c.What, c.From)
	}
	return fmt.Sprintf("%s: %s → %s", c.What, c.From, c.To)
}

// Diff lists what changed from old to new, walking the whole definition as its digest does, so
// that a field added to the format later is compared too. Lists of things with a code (units,
// groups, questions …) are matched by code, so that inserting one is one change.
func Diff(old, new *campaign.Definition) []Change {
	var a, b any
	decode := func(d *campaign.Definition, v *any) {
		raw, err := json.Marshal(d)
		if err != nil {
			panic(err) // a Definition is always marshalable
		}
		if err := json.Unmarshal(raw, v); err != nil {
			panic(err)
		}
	}
	decode(old, &a)
	decode(new, &b)
	var out []Change
	diffValue(nil, "", a, b, &out)
	return out
}

// labels are the Vietnamese names of the definition's JSON keys in a change's place.
var labels = map[string]string{
	"code": "mã", "name": "tên", "year": "năm", "level": "cấp", "organizer": "đơn vị thực hiện",
	"opens": "ngày bắt đầu", "closes": "ngày kết thúc", "survey_points": "điểm ĐTXHH",
	"bands": "Xếp loại", "scoring": "cách tính điểm", "rules": "điều kiện phiếu hợp lệ",
	"honoraria": "thù lao", "contact": "liên hệ", "report": "báo cáo", "unit_kinds": "Loại đơn vị",
	"units": "Đơn vị", "groups": "Nhóm", "criteria": "Tiêu chí", "sub_criteria": "Tiêu chí thành phần",
	"scales": "Thang đo", "questionnaires": "Mẫu phiếu", "sections": "Phần", "questions": "Câu",
	"respondent_fields": "Thông tin người trả lời", "options": "phương án", "label": "nội dung",
	"weight": "trọng số", "points": "điểm tối đa", "quota": "số phiếu", "quota_overrides": "số phiếu riêng",
	"evaluates": "đánh giá loại", "form": "mẫu phiếu", "channels": "kênh", "feeds": "cho điểm",
	"kind": "loại", "parent": "cấp trên", "title": "tiêu đề", "intro": "lời mở đầu", "thanks": "lời cảm ơn",
	"text": "nội dung", "shape": "dạng", "scale": "thang đo", "min_percent": "ngưỡng", "dont_know": "không biết",
	"substitute": "đối tượng thay thế", "show_if": "chỉ hỏi khi", "max_length": "độ dài tối đa",
}

func label(key string) string {
	if l, ok := labels[key]; ok {
		return l
	}
	return key
}

// identity is what a list's element is matched by: its code, or its key.
func identity(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	for _, k := range []string{"code", "key"} {
		if s, ok := m[k].(string); ok && s != "" {
			return s, true
		}
	}
	return "", false
}

func place(path []string) string { return strings.Join(path, " › ") }

func diffValue(path []string, key string, a, b any, out *[]Change) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			break
		}
		keys := make([]string, 0, len(x)+len(y))
		for k := range x {
			keys = append(keys, k)
		}
		for k := range y {
			if _, seen := x[k]; !seen {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			diffValue(append(slices.Clip(path), label(k)), k, x[k], y[k], out)
		}
		return
	case []any:
		y, ok := b.([]any)
		if !ok && b != nil {
			break
		}
		diffList(path, x, y, out)
		return
	case nil:
		if y, ok := b.([]any); ok {
			diffList(path, nil, y, out)
			return
		}
	}
	if a == nil && b == nil {
		return
	}
	if y, ok := b.(map[string]any); ok && a == nil {
		diffValue(path, key, map[string]any{}, y, out)
		return
	}
	if x, ok := a.(map[string]any); ok && b == nil {
		diffValue(path, key, x, map[string]any{}, out)
		return
	}
	if x, ok := b.([]any); ok && a == nil {
		diffList(path, nil, x, out)
		return
	}
	if fa, fb := showAs(key, a), showAs(key, b); fa != fb {
		*out = append(*out, Change{What: place(path), From: fa, To: fb})
	}
}

func diffList(path []string, a, b []any, out *[]Change) {
	keyed := len(a)+len(b) > 0
	for _, v := range append(slices.Clip(a), b...) {
		if _, ok := identity(v); !ok {
			keyed = false
			break
		}
	}
	if !keyed {
		// Lists of plain values (options, channels) compare as one value each.
		if scalars(a) && scalars(b) {
			if fa, fb := showList(a), showList(b); fa != fb {
				*out = append(*out, Change{What: place(path), From: fa, To: fb})
			}
			return
		}
		for i := 0; i < max(len(a), len(b)); i++ {
			var x, y any
			if i < len(a) {
				x = a[i]
			}
			if i < len(b) {
				y = b[i]
			}
			p := append(slices.Clip(path), fmt.Sprint(i+1))
			switch {
			case x == nil:
				*out = append(*out, Change{What: place(p), To: summary(y)})
			case y == nil:
				*out = append(*out, Change{What: place(p), From: summary(x)})
			default:
				diffValue(p, "", x, y, out)
			}
		}
		return
	}
	old := map[string]any{}
	for _, v := range a {
		id, _ := identity(v)
		old[id] = v
	}
	seen := map[string]bool{}
	for _, v := range b {
		id, _ := identity(v)
		seen[id] = true
		p := append(slices.Clip(path), id)
		if prev, ok := old[id]; ok {
			diffValue(p, "", prev, v, out)
		} else {
			*out = append(*out, Change{What: place(p), To: summary(v)})
		}
	}
	for _, v := range a {
		if id, _ := identity(v); !seen[id] {
			*out = append(*out, Change{What: place(append(slices.Clip(path), id)), From: summary(v)})
		}
	}
}

func scalars(vs []any) bool {
	for _, v := range vs {
		switch v.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

// decimalKeys are the JSON keys of campaign.Decimal values, which JSON holds in
// ten-thousandths.
var decimalKeys = map[string]bool{"survey_points": true, "points": true, "weight": true, "min_percent": true, "min_answered_percent": true}

func showAs(key string, v any) string {
	if f, ok := v.(float64); ok && decimalKeys[key] {
		return strings.Replace(campaign.Decimal(int64(f)).String(), ".", ",", 1)
	}
	// Staff read dates as dd/mm/yyyy, not as the definition stores them.
	if s, ok := v.(string); ok && (key == "opens" || key == "closes") {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return "«" + t.Format("02/01/2006") + "»"
		}
	}
	return show(v)
}

func show(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if x == "" {
			return ""
		}
		if r := []rune(x); len(r) > 120 {
			x = string(r[:117]) + "…"
		}
		return "«" + x + "»"
	case bool:
		if x {
			return yes
		}
		return no
	case float64:
		return fmt.Sprint(x)
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}

func showList(vs []any) string {
	if len(vs) == 0 {
		return ""
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = show(v)
	}
	return strings.Join(parts, ", ")
}

// summary names an element added or removed: its name, title, label or text.
func summary(v any) string {
	if m, ok := v.(map[string]any); ok {
		for _, k := range []string{"name", "title", "label", "text"} {
			if s, ok := m[k].(string); ok && s != "" {
				return show(s)
			}
		}
		return "(một mục)"
	}
	return show(v)
}
