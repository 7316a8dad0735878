package analysis

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/validation"
)

// Codes written in an answer column besides option numbers; a blank answer is an empty cell.
const (
	// ValueMulti is an item marked more than once on paper (counted as unanswered, domain.md).
	ValueMulti = -1
	// ValueSkipped is a question not asked because its show_if condition was not met.
	ValueSkipped = -2
)

// VarKind tells what a variable's cells hold.
type VarKind int

// The kinds of variables.
const (
	VarText     VarKind = iota // text as it is (codes, receipts, reasons)
	VarDate                    // the instant the form arrived, a real date
	VarValidity                // 1 valid, 0 invalid, empty while not judged
	VarField                   // a respondent detail: its option number
	VarChoice                  // a closed question: its option number, ValueMulti or ValueSkipped
	VarOpen                    // an open-ended question: 1 when answered
)

// Variable is one column of a questionnaire's analysis-ready data: its code (row 1 of the
// sheet) and Vietnamese label (row 2), and the labels of its values for the codebook.
type Variable struct {
	Code, Label string
	Kind        VarKind
	// Values are the coded values and their labels (option numbers, groups, units …); empty
	// for free text and dates.
	Values []Value
	// Unit is the unit a matrix form's column is about; "" for the other columns.
	Unit string
	// pos is the question's position in the answers, or the field's index.
	pos int
	key string
}

// Value is one coded value of a variable and what it means.
type Value struct {
	Code, Label string
}

// Layout is the wide table of one questionnaire: one row per form (a matrix form is one row
// with a column per question × unit), one column per variable.
type Layout struct {
	Form   *campaign.Questionnaire
	Matrix bool
	// Units are the units a matrix form's columns cover, in definition order.
	Units []campaign.Unit
	Vars  []Variable
	// Groups are the groups answering the questionnaire.
	Groups    []*campaign.Group
	questions []campaign.Question
	unitPos   map[string]int
	// fixed is the number of columns before the first respondent field.
	fixed int
}

var validityValues = []Value{{"1", "Hợp lệ"}, {"0", "Không hợp lệ"}, {"", "Chưa xét (phiếu giấy chờ nhập lần hai)"}}

// NewLayout describes a questionnaire's wide table under a definition.
func NewLayout(def *campaign.Definition, q *campaign.Questionnaire) *Layout {
	l := &Layout{Form: q, Matrix: q.Shape == campaign.ShapeMatrix, Groups: GroupsOf(def, q.Code), questions: q.Questions(), unitPos: map[string]int{}}
	var groups, units, channels, reasons []Value
	for _, g := range l.Groups {
		groups = append(groups, Value{g.Code, g.Name})
	}
	for _, u := range UnitsOf(def, q.Code) {
		l.unitPos[u.Code] = len(l.Units)
		l.Units = append(l.Units, u)
		units = append(units, Value{u.Code, u.Name})
	}
	for _, c := range []campaign.Channel{campaign.ChannelOnline, campaign.ChannelPaper, campaign.ChannelFileImport} {
		channels = append(channels, Value{string(c), c.Title()})
	}
	for _, c := range validation.Codes {
		reasons = append(reasons, Value{string(c), c.Label()})
	}
	l.Vars = []Variable{
		{Code: "ma_phieu", Label: "Mã phiếu", Kind: VarText},
		{Code: "so_bien_nhan", Label: "Số biên nhận", Kind: VarText},
		{Code: "nhom", Label: "Nhóm đối tượng", Kind: VarText, Values: groups},
		{Code: "kenh", Label: "Kênh", Kind: VarText, Values: channels},
		{Code: "thoi_diem_nhan", Label: "Thời điểm nhận", Kind: VarDate},
	}
	if !l.Matrix {
		l.Vars = append(l.Vars, Variable{Code: "don_vi", Label: "Mã đơn vị được đánh giá", Kind: VarText, Values: units},
			Variable{Code: "ten_don_vi", Label: "Đơn vị được đánh giá", Kind: VarText})
	}
	l.Vars = append(l.Vars,
		Variable{Code: "hop_le", Label: "Phiếu hợp lệ", Kind: VarValidity, Values: validityValues},
		Variable{Code: "ma_ly_do", Label: "Mã lý do không hợp lệ", Kind: VarText, Values: reasons},
		Variable{Code: "ly_do", Label: "Lý do không hợp lệ", Kind: VarText},
		Variable{Code: "chi_tiet_ly_do", Label: "Chi tiết lý do", Kind: VarText})
	l.fixed = len(l.Vars)
	for i, f := range q.Fields {
		v := Variable{Code: f.Key, Label: f.Label, Kind: VarField, pos: i, key: f.Key}
		for j, o := range f.Options {
			v.Values = append(v.Values, Value{strconv.Itoa(j + 1), o})
		}
		l.Vars = append(l.Vars, v)
	}
	questionVars := func(unit *campaign.Unit) {
		for i := range l.questions {
			qu := &l.questions[i]
			v := Variable{Code: qu.Code, Label: qu.Text, Kind: VarChoice, pos: i}
			if qu.IsText() {
				v.Kind = VarOpen
			} else {
				for j, o := range qu.Options {
					label := o.Label
					if o.DontKnow {
						label += " (không tính điểm)"
					}
					v.Values = append(v.Values, Value{strconv.Itoa(j + 1), label})
				}
				v.Values = append(v.Values, Value{strconv.Itoa(ValueMulti), "Đánh nhiều ô (tính như bỏ trống)"})
				if qu.ShowIf != nil {
					v.Values = append(v.Values, Value{strconv.Itoa(ValueSkipped), "Không hỏi (theo điều kiện)"})
				}
				v.Values = append(v.Values, Value{"", "Bỏ trống"})
			}
			if unit != nil {
				v.Code = qu.Code + "_" + unit.Code
				v.Label = unit.Name + " – " + qu.Code + ". " + qu.Text
				v.Unit = unit.Code
			}
			l.Vars = append(l.Vars, v)
		}
	}
	if !l.Matrix {
		questionVars(nil)
		return l
	}
	for i := range l.Units {
		u := &l.Units[i]
		l.Vars = append(l.Vars, Variable{Code: "hop_le_" + u.Code, Label: "Phiếu hợp lệ cho " + u.Name, Kind: VarValidity, Values: validityValues, Unit: u.Code})
		questionVars(u)
	}
	return l
}

// Headers are row 1 (codes) and row 2 (labels) of the wide table.
func (l *Layout) Headers() (codes, labels []string) {
	for _, v := range l.Vars {
		codes = append(codes, v.Code)
		labels = append(labels, v.Label)
	}
	return codes, labels
}

// TextKey names one open-ended answer: the response, the unit it is about and the question.
type TextKey struct {
	Response       int64
	Unit, Question string
}

// textMarked is written for an open-ended question marked "có ý kiến" with no text kept (a
// paper form keyed with the mark only).
const textMarked = "Có ý kiến (không ghi nội dung)"

// openValue is an open-ended answer as a cell: its text, textMarked, or nil when blank.
func openValue(c byte, r *store.ResponseRow, question string, texts map[TextKey]string) any {
	if t := texts[TextKey{r.ResponseID, r.Unit, question}]; t != "" {
		return t
	}
	if response.Answer(c) == response.HasText {
		return textMarked
	}
	return nil
}

// storedReason is a failed rule as stored with a response (validation.Reason as JSON).
type storedReason struct {
	Code    string
	Unit    string
	Message string
}

// reasonCells are the codes, their Vietnamese words and the messages of a response's failed
// rules; with unit set only those about the whole form and that unit.
func reasonCells(stored, unit string, all bool) (codes, words, messages string) {
	if stored == "" || stored == "[]" {
		return "", "", ""
	}
	var rs []storedReason
	if err := json.Unmarshal([]byte(stored), &rs); err != nil {
		return "", "", stored
	}
	var cs, ws, ms []string
	seen := map[string]bool{}
	for _, r := range rs {
		if !all && r.Unit != "" && r.Unit != unit {
			continue
		}
		if !seen[r.Code] {
			seen[r.Code] = true
			cs = append(cs, r.Code)
			ws = append(ws, validation.Code(r.Code).Label())
		}
		ms = append(ms, r.Message)
	}
	return strings.Join(cs, ", "), strings.Join(ws, "; "), strings.Join(ms, "; ")
}

// validity is a verdict as a cell: 1, 0 or nil while not judged.
func validity(judged, valid bool) any {
	switch {
	case !judged:
		return nil
	case valid:
		return 1
	}
	return 0
}

// answerValue is one answer as a cell: its option number, ValueMulti, ValueSkipped, or nil for
// a blank.
func answerValue(c byte) any {
	a := response.Answer(c)
	switch {
	case a.Option() > 0:
		return a.Option()
	case a == response.Multi:
		return ValueMulti
	case a == response.Skipped:
		return ValueSkipped
	}
	return nil
}

// Row turns the stored rows of one form (one row for a single-unit form, one per unit covered
// for a matrix form, in unit order) into the cells of its line: nil for an empty cell, string,
// int or time.Time (in Asia/Ho_Chi_Minh). An open-ended question's cell is its text, from
// texts. people caches decoded respondent details.
func (l *Layout) Row(rows []*store.ResponseRow, people map[string]map[string]string, texts map[TextKey]string) []any {
	first := rows[0]
	cells := make([]any, 0, len(l.Vars))
	text := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	cells = append(cells, text(first.Code), text(first.Receipt), text(first.Group), text(first.Channel), first.ReceivedAt.In(campaign.Zone))
	unitName := func(code string) string {
		if i, ok := l.unitPos[code]; ok {
			return l.Units[i].Name
		}
		return code
	}
	if l.Matrix {
		codes, words, msgs := reasonCells(first.Reasons, "", true)
		cells = append(cells, validity(first.Judged, first.Valid), text(codes), text(words), text(msgs))
	} else {
		codes, words, msgs := reasonCells(first.Reasons, first.Unit, false)
		cells = append(cells, text(first.Unit), text(unitName(first.Unit)), validity(first.Judged, first.UnitValid), text(codes), text(words), text(msgs))
	}
	who := people[first.Respondent]
	if who == nil && first.Respondent != "" && first.Respondent != "{}" {
		_ = json.Unmarshal([]byte(first.Respondent), &who)
		if len(people) < 20000 {
			people[first.Respondent] = who
		}
	}
	for _, f := range l.Form.Fields {
		cells = append(cells, fieldValue(f, who[f.Key]))
	}
	answers := func(r *store.ResponseRow) {
		for i := range l.questions {
			switch {
			case r == nil || i >= len(r.Answers):
				cells = append(cells, nil)
			case l.questions[i].IsText():
				cells = append(cells, openValue(r.Answers[i], r, l.questions[i].Code, texts))
			default:
				cells = append(cells, answerValue(r.Answers[i]))
			}
		}
	}
	if !l.Matrix {
		answers(first)
		return cells
	}
	byUnit := make([]*store.ResponseRow, len(l.Units))
	for _, r := range rows {
		if i, ok := l.unitPos[r.Unit]; ok {
			byUnit[i] = r
		}
	}
	for _, r := range byUnit {
		if r == nil {
			cells = append(cells, nil)
			answers(nil)
			continue
		}
		cells = append(cells, validity(r.Judged, r.UnitValid))
		answers(r)
	}
	return cells
}

// fieldValue is a respondent detail as a cell: the option's number, or the text as given when
// it is not one of the options (a definition changed since), nil when not given.
func fieldValue(f campaign.Field, v string) any {
	if v == "" {
		return nil
	}
	for i, o := range f.Options {
		if o == v {
			return i + 1
		}
	}
	return v
}

// LongHeaders are the codes and labels of the long table: one row per answer.
func LongHeaders() (codes, labels []string) {
	return []string{"ma_phieu", "nhom", "don_vi", "hop_le", "cau_hoi", "tieu_chi", "tra_loi", "nhan_tra_loi"},
		[]string{"Mã phiếu", "Nhóm đối tượng", "Mã đơn vị được đánh giá", "Phiếu hợp lệ cho đơn vị", "Mã câu hỏi", "Tiêu chí thành phần", "Trả lời (số thứ tự phương án)", "Nhãn trả lời"}
}

// LongRows calls emit with the cells of each answer of one stored row (a form about one unit),
// in question order; an open-ended answer's label is its text, from texts. cells is reused
// between calls.
func (l *Layout) LongRows(r *store.ResponseRow, texts map[TextKey]string, emit func(cells []any) error) error {
	cells := make([]any, 8)
	for i := range l.questions {
		qu := &l.questions[i]
		var v any
		if i < len(r.Answers) {
			v = answerValue(r.Answers[i])
		}
		label := ""
		switch n := v.(type) {
		case int:
			switch {
			case qu.IsText() && n == 1:
				label, _ = openValue(r.Answers[i], r, qu.Code, texts).(string)
			case n > 0 && n <= len(qu.Options):
				label = qu.Options[n-1].Label
			case n == ValueMulti:
				label = "Đánh nhiều ô"
			case n == ValueSkipped:
				label = "Không hỏi"
			}
		default:
			label = "Bỏ trống"
		}
		cells[0], cells[1], cells[2], cells[3] = r.Code, r.Group, r.Unit, validity(r.Judged, r.UnitValid)
		cells[4], cells[5], cells[6], cells[7] = qu.Code, nilIfEmpty(qu.Feeds), v, label
		if err := emit(cells); err != nil {
			return err
		}
	}
	return nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Codebook lists every variable of the layouts with its coded values, for the codebook sheet:
// questionnaire, variable code, label, value, value label.
func Codebook(layouts []*Layout, emit func(form, code, label, value, valueLabel string) error) error {
	for _, l := range layouts {
		for _, v := range l.Vars {
			if v.Unit != "" && !isFirstUnit(l, v.Unit) {
				continue // the same values for every unit: listed once, under the first
			}
			code, label := v.Code, v.Label
			if v.Unit != "" {
				code = strings.TrimSuffix(v.Code, "_"+v.Unit) + "_<mã đơn vị>"
				label = strings.TrimPrefix(label, l.Units[0].Name+" – ")
				if v.Kind == VarValidity {
					label = "Phiếu hợp lệ cho đơn vị"
				} else {
					label = "<đơn vị> – " + label
				}
			}
			note := ""
			switch v.Kind {
			case VarDate:
				note = "Ngày giờ, múi giờ Việt Nam (UTC+7)"
			case VarText:
				if len(v.Values) == 0 {
					note = "Văn bản"
				}
			case VarOpen:
				note = "Câu hỏi mở: nội dung ý kiến; “" + textMarked + "” khi phiếu chỉ đánh dấu có ý kiến; để trống khi không có ý kiến"
			}
			if len(v.Values) == 0 {
				if err := emit(l.Form.Code, code, label, "", note); err != nil {
					return err
				}
				continue
			}
			for _, val := range v.Values {
				if err := emit(l.Form.Code, code, label, val.Code, val.Label); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func isFirstUnit(l *Layout, unit string) bool { return len(l.Units) > 0 && l.Units[0].Code == unit }

// ReceivedAt formats the instant a form arrived for a CSV cell: "2026-11-15 09:00:00" by
// default, "15/11/2026 09:00:00" for Vietnamese-locale spreadsheets.
func ReceivedAt(t time.Time, vietnamese bool) string {
	t = t.In(campaign.Zone)
	if vietnamese {
		return t.Format("02/01/2006 15:04:05")
	}
	return t.Format("2006-01-02 15:04:05")
}
