// Package workbook writes a campaign definition as an Excel workbook (XLSX) that institute staff
// edit, and reads such a workbook back with the same checks as the YAML definition. It knows
// nothing of HTTP or SQL.
//
// A workbook has one sheet per part of the definition; each sheet's first row names its columns,
// which may be in any order. The layout is documented in forms/README.md.
package workbook

import (
	"fmt"
	"strings"
)

// The sheets of a campaign workbook, in the order they are written.
const (
	SheetCampaign  = "Đợt khảo sát"
	SheetBands     = "Xếp loại"
	SheetKinds     = "Loại đơn vị"
	SheetUnits     = "Đơn vị"
	SheetGroups    = "Nhóm đối tượng"
	SheetPops      = "Đối tượng trong nhóm"
	SheetCriteria  = "Tiêu chí"
	SheetScales    = "Thang đo"
	SheetForms     = "Mẫu phiếu"
	SheetFields    = "Thông tin người trả lời"
	SheetQuestions = "Câu hỏi"
)

// column is one column of a table sheet: the key the reader finds it by, its Vietnamese header,
// its width, whether its cells are kept as text (codes keep their leading zeros), and the drop
// list offered for it (a fixed list, or a range of another sheet).
type column struct {
	key    string
	header string
	width  float64
	text   bool
	list   []string
	source string
}

// table is a sheet of rows under one header row.
type table struct {
	name string
	cols []column
}

func (t table) col(key string) int {
	for i, c := range t.cols {
		if c.key == key {
			return i
		}
	}
	panic("workbook: no column " + key + " in " + t.name)
}

// Words written in cells and read back; the reader also takes the YAML codes.
const (
	yes         = "có"
	no          = "không"
	levelArea   = "Lĩnh vực"
	levelCrit   = "Tiêu chí"
	levelSub    = "Tiêu chí thành phần"
	shapeSingle = "một đơn vị"
	shapeMatrix = "ma trận"
	kindChoice  = "lựa chọn"
	kindText    = "trả lời mở"
	dontKnow    = "không biết"
)

// missingWords and combineWords are the cells' words for the scoring options.
var (
	missingWords = map[string]string{"exclude": "không tính", "zero": "tính là 0"}
	keyingWords  = map[string]string{"text": "nguyên văn", "flag": "chỉ ghi có ý kiến"}
	combineWords = map[string]string{"group_weights": "theo trọng số nhóm", "pooled": "gộp chung"}
	channelWords = map[string]string{"online": "trực tuyến", "paper": "phiếu giấy", "imported": "nhập kết quả"}
)

func listOf(m map[string]string, order ...string) []string {
	out := make([]string, len(order))
	for i, k := range order {
		out[i] = m[k]
	}
	return out
}

// maxRows is how far down a column's drop list reaches.
const maxRows = 2000

var (
	bandsTable = table{SheetBands, []column{
		{key: "code", header: "Mã", width: 10, text: true},
		{key: "name", header: "Tên xếp loại", width: 24},
		{key: "min_percent", header: "Ngưỡng tối thiểu (% điểm ĐTXHH)", width: 20},
	}}
	kindsTable = table{SheetKinds, []column{
		{key: "code", header: "Mã loại", width: 12, text: true},
		{key: "name", header: "Tên loại đơn vị", width: 36},
		{key: "survey_points", header: "Điểm ĐTXHH riêng (để trống: theo đợt)", width: 22},
	}}
	unitsTable = table{SheetUnits, []column{
		{key: "code", header: "Mã đơn vị", width: 12, text: true},
		{key: "kind", header: "Loại đơn vị", width: 14, text: true, source: ref(SheetKinds)},
		{key: "name", header: "Tên đơn vị", width: 48},
		{key: "parent", header: "Mã đơn vị cấp trên", width: 16, text: true},
	}}
	groupsTable = table{SheetGroups, []column{
		{key: "code", header: "Mã nhóm", width: 10, text: true},
		{key: "name", header: "Tên nhóm đối tượng", width: 44},
		{key: "evaluates", header: "Đánh giá loại đơn vị", width: 14, text: true, source: ref(SheetKinds)},
		{key: "form", header: "Mẫu phiếu", width: 12, text: true, source: ref(SheetForms)},
		{key: "quota", header: "Số phiếu mỗi đơn vị", width: 12},
		{key: "weight", header: "Trọng số nhóm", width: 10},
		{key: "channels", header: "Kênh thu thập (trực tuyến, phiếu giấy, nhập kết quả)", width: 24},
		{key: "substitute", header: "Đối tượng thay thế khi thiếu", width: 28},
		{key: "quota_overrides", header: "Số phiếu riêng từng đơn vị (mỗi dòng MÃ: số)", width: 24, text: true},
		{key: "feeds", header: "Tiêu chí thành phần được nhập điểm (nhóm nhập kết quả)", width: 24, text: true},
		{key: "population_field", header: "Khóa thông tin ghi đối tượng trả lời", width: 16, text: true},
		{key: "min_units", header: "Số đơn vị tối thiểu mỗi phiếu ma trận", width: 14},
	}}
	popsTable = table{SheetPops, []column{
		{key: "group", header: "Mã nhóm", width: 10, text: true, source: ref(SheetGroups)},
		{key: "code", header: "Mã đối tượng", width: 12, text: true},
		{key: "name", header: "Tên đối tượng (đúng như lựa chọn trên phiếu)", width: 40},
		{key: "quota", header: "Số phiếu mỗi đơn vị", width: 12},
		{key: "substitute_for", header: "Thay cho đối tượng (mã)", width: 14, text: true},
		{key: "cap", header: "Tối đa được tính khi thay", width: 12},
	}}
	criteriaTable = table{SheetCriteria, []column{
		{key: "kind", header: "Bộ tiêu chí của loại đơn vị (để trống: chung)", width: 18, text: true, source: ref(SheetKinds)},
		{key: "level", header: "Cấp", width: 20, list: []string{levelArea, levelCrit, levelSub}},
		{key: "code", header: "Mã", width: 10, text: true},
		{key: "name", header: "Tên", width: 60},
		{key: "points", header: "Điểm tối đa", width: 10},
	}}
	scalesTable = table{SheetScales, []column{
		{key: "code", header: "Mã thang đo (để trống: tiếp thang đo ở trên)", width: 18, text: true},
		{key: "label", header: "Phương án trả lời", width: 40},
		{key: "weight", header: "Trọng số (0–1)", width: 10},
		{key: "dont_know", header: "Phương án «không biết»", width: 14, list: []string{yes}},
	}}
	formsTable = table{SheetForms, []column{
		{key: "code", header: "Mã mẫu phiếu", width: 12, text: true},
		{key: "title", header: "Tiêu đề phiếu", width: 60},
		{key: "shape", header: "Dạng phiếu", width: 14, list: []string{shapeSingle, shapeMatrix}},
		{key: "intro", header: "Lời mở đầu (các đoạn cách nhau một dòng trống)", width: 80},
		{key: "thanks", header: "Lời cảm ơn", width: 40},
	}}
	fieldsTable = table{SheetFields, []column{
		{key: "form", header: "Mẫu phiếu", width: 12, text: true, source: ref(SheetForms)},
		{key: "key", header: "Khóa", width: 14, text: true},
		{key: "label", header: "Nội dung hỏi", width: 40},
		{key: "options", header: "Các lựa chọn (mỗi dòng một lựa chọn)", width: 40},
		{key: "optional", header: "Không bắt buộc", width: 12, list: []string{yes}},
	}}
	questionsTable = table{SheetQuestions, []column{
		{key: "form", header: "Mẫu phiếu", width: 12, text: true, source: ref(SheetForms)},
		{key: "section", header: "Phần (để trống: như dòng trên)", width: 30},
		{key: "code", header: "Mã câu", width: 10, text: true},
		{key: "text", header: "Nội dung câu hỏi", width: 60},
		{key: "kind", header: "Loại câu", width: 14, list: []string{kindChoice, kindText}},
		{key: "max_length", header: "Độ dài tối đa (ký tự)", width: 12},
		{key: "show_if", header: "Chỉ hỏi khi (MÃ CÂU = phương án, …)", width: 18, text: true},
		{key: "feeds", header: "Cho điểm tiêu chí thành phần", width: 14, text: true},
		{key: "weight", header: "Trọng số câu", width: 10},
		{key: "scale", header: "Thang đo", width: 14, text: true, source: ref(SheetScales)},
		{key: "options", header: "Phương án riêng (mỗi dòng: phương án = trọng số)", width: 40},
	}}
)

// tables are the table sheets, in the order they are written after the campaign sheet.
var tables = []table{bandsTable, kindsTable, unitsTable, groupsTable, popsTable, criteriaTable, scalesTable, formsTable, fieldsTable, questionsTable}

func ref(sheet string) string { return fmt.Sprintf("'%s'!$A$2:$A$%d", sheet, maxRows) }

// setting is one row of the campaign sheet: the YAML key (written in the third column, by which
// the row is found) and its Vietnamese label.
type setting struct {
	key, label string
	list       []string
}

var settings = []setting{
	{key: "code", label: "Mã đợt khảo sát"},
	{key: "name", label: "Tên đợt khảo sát"},
	{key: "year", label: "Năm"},
	{key: "level", label: "Cấp"},
	{key: "organizer", label: "Đơn vị thực hiện"},
	{key: "opens", label: "Ngày bắt đầu (dd/mm/yyyy)"},
	{key: "closes", label: "Ngày kết thúc (dd/mm/yyyy)"},
	{key: "survey_points", label: "Điểm phần ĐTXHH"},
	{key: "scoring.dont_know", label: "Câu trả lời «không biết»", list: listOf(missingWords, "exclude", "zero")},
	{key: "scoring.blank", label: "Câu bỏ trống", list: listOf(missingWords, "exclude", "zero")},
	{key: "scoring.combine", label: "Kết hợp các nhóm", list: listOf(combineWords, "group_weights", "pooled")},
	{key: "scoring.min_forms", label: "Số phiếu hợp lệ tối thiểu của một nhóm về một đơn vị"},
	{key: "rules.min_answered_percent", label: "Tỷ lệ câu có tính điểm phải trả lời (%)"},
	{key: "rules.enforce_window", label: "Phiếu ngoài thời gian khảo sát là không hợp lệ", list: []string{yes, no}},
	{key: "rules.double_entry", label: "Nhập phiếu giấy hai lần", list: []string{yes, no}},
	{key: "rules.text_keying", label: "Nhập câu trả lời mở của phiếu giấy", list: listOf(keyingWords, "text", "flag")},
	{key: "honoraria.per_form", label: "Thù lao mỗi phiếu thu về (đồng)"},
	{key: "honoraria.per_unit", label: "Thù lao mỗi đơn vị được điều tra (đồng)"},
	{key: "honoraria.respondent.default", label: "Thù lao người trả lời mỗi phiếu (đồng)"},
	{key: "honoraria.respondent.by_kind", label: "Thù lao người trả lời theo loại đơn vị (mỗi dòng MÃ: số đồng)"},
	{key: "honoraria.respondent.by_group", label: "Thù lao người trả lời theo nhóm (mỗi dòng MÃ: số đồng)"},
	{key: "honoraria.enumerator.default", label: "Thù lao điều tra viên mỗi đơn vị (đồng)"},
	{key: "honoraria.enumerator.by_kind", label: "Thù lao điều tra viên theo loại đơn vị (mỗi dòng MÃ: số đồng)"},
	{key: "honoraria.enumerator.by_group", label: "Thù lao điều tra viên theo nhóm (mỗi dòng MÃ: số đồng)"},
	{key: "honoraria.online", label: "Phiếu trực tuyến cũng được tính thù lao", list: []string{yes, no}},
	{key: "contact.office", label: "Liên hệ: đơn vị"},
	{key: "contact.person", label: "Liên hệ: người phụ trách"},
	{key: "contact.phone", label: "Liên hệ: điện thoại"},
	{key: "contact.email", label: "Liên hệ: thư điện tử"},
	{key: "report.superior", label: "Báo cáo: cơ quan chủ quản"},
	{key: "report.issuer", label: "Báo cáo: cơ quan ban hành"},
	{key: "report.number", label: "Báo cáo: số hiệu"},
	{key: "report.place", label: "Báo cáo: địa danh"},
	{key: "report.signer_title", label: "Báo cáo: chức vụ người ký"},
	{key: "report.signer", label: "Báo cáo: người ký"},
	{key: "report.recipients", label: "Báo cáo: nơi nhận (mỗi dòng một nơi)"},
}

// Campaign sheet columns.
const (
	settingLabelCol = 1
	settingValueCol = 2
	settingKeyCol   = 3
)

// Problem is one defect of a workbook, located by sheet, row (from 1, 0 for the whole sheet)
// and column letter ("" for the whole row).
type Problem struct {
	Sheet string
	Row   int
	Col   string
	Msg   string
}

// String reads "Trang 'Đơn vị', dòng 14, cột C: …".
func (p Problem) String() string {
	var b strings.Builder
	if p.Sheet != "" {
		fmt.Fprintf(&b, "Trang '%s'", p.Sheet)
		if p.Row > 0 {
			fmt.Fprintf(&b, ", dòng %d", p.Row)
		}
		if p.Col != "" {
			fmt.Fprintf(&b, ", cột %s", p.Col)
		}
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every defect of a workbook; as an error it prints them one a line.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
