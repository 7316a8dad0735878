package export

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/parsurvey/parsurvey/internal/response"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// Rows streams a campaign's responses, one row per form and unit (store.DB.ResponseRows bound
// to a campaign); with onlyInvalid, only the rows that do not count.
type Rows func(onlyInvalid bool, fn func(*store.ResponseRow) error) error

// reason is a failed valid-form rule as stored with a response (validation.Reason as JSON).
type reason struct {
	Code    string
	Unit    string
	Message string
}

// reasonsFor returns the codes and messages of a response's failed rules that concern the row's
// unit: the whole-form ones and that unit's.
func reasonsFor(stored, unit string) (codes, messages string) {
	if stored == "" || stored == "[]" {
		return "", ""
	}
	var rs []reason
	if err := json.Unmarshal([]byte(stored), &rs); err != nil {
		return "", stored
	}
	var cs, ms []string
	seen := map[string]bool{}
	for _, r := range rs {
		if r.Unit != "" && r.Unit != unit {
			continue
		}
		if !seen[r.Code] {
			seen[r.Code] = true
			cs = append(cs, r.Code)
		}
		ms = append(ms, r.Message)
	}
	return strings.Join(cs, ", "), strings.Join(ms, "; ")
}

// responseLayout is what turning response rows into cells needs from the definition, looked up
// once: each group's questionnaire and its respondent fields.
type responseLayout struct {
	def       *campaign.Definition
	forms     map[string]*campaign.Questionnaire
	questions int // the most questions on any questionnaire: the answer columns
	// people caches the respondent cells: the fields are closed lists, so a campaign has few
	// distinct combinations, and decoding each row's JSON again dominated the export's garbage.
	people map[string]string
}

// maxPeople bounds the respondent cache.
const maxPeople = 20000

func newResponseLayout(def *campaign.Definition) *responseLayout {
	l := &responseLayout{def: def, forms: map[string]*campaign.Questionnaire{}, people: map[string]string{}}
	for _, g := range def.Groups {
		if q := def.Questionnaire(g.Form); q != nil {
			l.forms[g.Code] = q
			l.questions = max(l.questions, len(q.Questions()))
		}
	}
	return l
}

// header is the fixed columns of a response row, then one column per answer position.
func (l *responseLayout) header() []string {
	h := []string{"STT", "Mã phiếu", "Số biên nhận", "Nhóm", "Mẫu phiếu", "Mã đơn vị", "Đơn vị được đánh giá", "Kênh", "Thời điểm nhận",
		"Hợp lệ", "Mã lý do", "Lý do không hợp lệ", "Thông tin người trả lời"}
	for i := 1; i <= l.questions; i++ {
		h = append(h, "Câu "+strconv.Itoa(i))
	}
	return h
}

// fixed are a row's fixed cells (without STT), in the header's order.
func (l *responseLayout) fixed(r *store.ResponseRow) []string {
	form := ""
	if q := l.forms[r.Group]; q != nil {
		form = q.Code
	}
	valid := "Chưa xét"
	if r.Judged {
		valid = "Không"
		if r.UnitValid {
			valid = "Có"
		}
	}
	codes, msgs := reasonsFor(r.Reasons, r.Unit)
	return []string{r.Code, r.Receipt, r.Group, form, r.Unit, UnitName(l.def, r.Unit), campaign.Channel(r.Channel).Title(), vn.DateTime(r.ReceivedAt),
		valid, codes, msgs, l.respondent(r)}
}

// respondent writes the respondent's details with the questionnaire's labels, in its order.
func (l *responseLayout) respondent(r *store.ResponseRow) string {
	if r.Respondent == "" || r.Respondent == "{}" {
		return ""
	}
	key := r.Group + "\x00" + r.Respondent
	if s, ok := l.people[key]; ok {
		return s
	}
	s := l.describe(r)
	if len(l.people) < maxPeople {
		l.people[key] = s
	}
	return s
}

func (l *responseLayout) describe(r *store.ResponseRow) string {
	var m map[string]string
	if err := json.Unmarshal([]byte(r.Respondent), &m); err != nil {
		return r.Respondent
	}
	q := l.forms[r.Group]
	if q == nil {
		return r.Respondent
	}
	var parts []string
	for _, f := range q.Fields {
		if v, ok := m[f.Key]; ok && v != "" {
			parts = append(parts, f.Label+": "+v)
		}
	}
	return strings.Join(parts, "; ")
}

// answerCell is one answer as a cell: the option number (10..35 too), "*" for several marks,
// -2 for a question its skip rule left unasked (as the analysis data codes it), and no cell at
// all (nil) for a blank.
func answerCell(c byte) any {
	a := response.Answer(c)
	if n := a.Option(); n > 0 {
		return n
	}
	switch a {
	case response.Multi:
		return "*"
	case response.Skipped:
		return -2
	}
	return nil
}
