// Package validation decides whether a response is a valid form (phiếu hợp lệ) under the
// rules of domain.md ("Valid forms") and the campaign's settings, and records every reason a
// form fails, each with a stable code and a Vietnamese message for staff. It is pure: the
// caller gathers the facts (from storage, the request, the keying screens) and gets a Verdict.
package validation

import (
	"fmt"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// Code names a reason a form is invalid; it is a stable English identifier for storage,
// exports and filters.
type Code string

// The reasons of domain.md "Valid forms", in the order the rules are listed there.
const (
	// NotIssued: the form code was never issued.
	NotIssued Code = "not_issued"
	// Voided: the form code was voided.
	Voided Code = "voided"
	// WrongGroup: the code belongs to another respondent group than the one answered as.
	WrongGroup Code = "wrong_group"
	// WrongUnit: the form answers for a unit the code was not issued for (or that the group
	// does not evaluate).
	WrongUnit Code = "wrong_unit"
	// OutsideWindow: the form arrived outside the campaign window.
	OutsideWindow Code = "outside_window"
	// Duplicate: another response was accepted first for the same code.
	Duplicate Code = "duplicate"
	// BadAnswers: the answers do not fit the questionnaire (wrong count, unknown option, no
	// unit, a unit twice, several units on a single-unit form).
	BadAnswers Code = "bad_answers"
	// TooFewAnswers: fewer scored questions answered than the campaign's minimum share.
	TooFewAnswers Code = "too_few_answers"
	// NotVerified: a paper form under double entry whose keyings do not yet agree and that no
	// supervisor has resolved.
	NotVerified Code = "not_verified"
)

// Facts is what is known about one response when it is judged. The caller fills it from the
// issued code's record, the response and its keyings; validation looks nothing up itself.
type Facts struct {
	// Issued is set when the form code exists in the campaign's issued codes.
	Issued bool
	// Voided is set when the issued code has been voided.
	Voided bool
	// IssuedGroup is the group the code was issued to ("" when not issued).
	IssuedGroup string
	// IssuedUnits are the units the code was issued for; empty means every unit of the kind
	// the group evaluates (a matrix form handed out without a unit list).
	IssuedUnits []string
	// Group is the respondent group the response answers as (from its questionnaire).
	Group string
	// Channel is how the response came in: online, paper, or read from an import file.
	Channel campaign.Channel
	// ReceivedAt is when the form arrived: server time online, the batch's receipt date on paper.
	ReceivedAt time.Time
	// FirstForCode is set when no other response has been accepted for the code before this one.
	// A second keying of the same paper form is a verification pass, not a second response.
	FirstForCode bool
	// Keyings is how many times a paper form has been keyed in.
	Keyings int
	// Verified is set when two keyings of a paper form agree.
	Verified bool
	// Adjudicated is set when a supervisor has resolved the differences between keyings.
	Adjudicated bool
	// Answers are the answers for each unit the form answers for: one entry on a single-unit
	// form, one per unit covered on a matrix form.
	Answers []UnitAnswers
}

// UnitAnswers is a form's answers about one unit.
type UnitAnswers struct {
	Unit    string
	Answers response.Answers
}

// Reason is one failed rule, with the unit it concerns when it concerns only one.
type Reason struct {
	Code Code
	// Unit is set for reasons about one unit of the form (wrong_unit, bad_answers,
	// too_few_answers); empty for reasons about the whole form.
	Unit string
	// Message says what failed, in Vietnamese, for staff.
	Message string
}

// UnitVerdict tells whether the form counts for one of the units it answers for, with the
// answered share that decided it.
type UnitVerdict struct {
	Unit string
	// Valid is set when the form counts for this unit: no reason about the whole form and none
	// about this unit.
	Valid bool
	// Scored is the number of scored questions; Answered how many of them have one option
	// (don't-know included); Multi how many carry several marks, which count as unanswered.
	Scored, Answered, Multi int
}

// Verdict is the judgement on one response.
//
// A single-unit form is valid or not. A matrix form is judged per unit (the design decision of
// this package): reasons about the whole form (code, group, window, duplicate, double entry)
// make it invalid for every unit, while unit, answer and answered-share reasons make it invalid
// only for the unit concerned, since domain.md counts a matrix form as one form for each unit
// it covers. Valid is set only when the form counts for every unit; Units says which count.
type Verdict struct {
	Valid bool
	// Reasons lists every failed rule, in the order of domain.md, never only the first.
	Reasons []Reason
	Units   []UnitVerdict
}

// Message joins every reason's message into one line for staff; "" for a valid form.
func (v Verdict) Message() string {
	msgs := make([]string, len(v.Reasons))
	for i, r := range v.Reasons {
		msgs[i] = r.Message
	}
	return strings.Join(msgs, "; ")
}

// ValidUnits lists the units the form counts for.
func (v Verdict) ValidUnits() []string {
	var out []string
	for _, u := range v.Units {
		if u.Valid {
			out = append(out, u.Unit)
		}
	}
	return out
}

// Has reports whether the verdict carries a reason with the code.
func (v Verdict) Has(c Code) bool {
	for _, r := range v.Reasons {
		if r.Code == c {
			return true
		}
	}
	return false
}

// Check judges one response against the valid-form rules of domain.md with the campaign's
// settings (def.Rules): the answered share is taken as written, 0 turning the rule off (the
// loader puts the default 70 in when the key is missing); EnforceWindow and DoubleEntry are on
// unless set to false.
func Check(def *campaign.Definition, f Facts) Verdict {
	c := checker{def: def, f: f, unitReasons: map[string]bool{}}
	c.run()
	v := Verdict{Valid: len(c.reasons) == 0, Reasons: c.reasons}
	formOK := !c.formFailed
	for _, u := range c.units {
		u.Valid = formOK && !c.unitReasons[u.Unit]
		v.Units = append(v.Units, u)
	}
	return v
}

type checker struct {
	def         *campaign.Definition
	f           Facts
	reasons     []Reason
	formFailed  bool
	unitReasons map[string]bool
	units       []UnitVerdict
	group       *campaign.Group
	form        *campaign.Questionnaire
}

func (c *checker) fail(code Code, format string, args ...any) {
	c.reasons = append(c.reasons, Reason{Code: code, Message: fmt.Sprintf(format, args...)})
	c.formFailed = true
}

func (c *checker) failUnit(unit string, code Code, format string, args ...any) {
	c.reasons = append(c.reasons, Reason{Code: code, Unit: unit, Message: unitLabel(c.def, unit) + ": " + fmt.Sprintf(format, args...)})
	c.unitReasons[unit] = true
}

func (c *checker) run() {
	f := c.f
	for _, ua := range f.Answers {
		c.units = append(c.units, UnitVerdict{Unit: ua.Unit})
	}

	// domain.md, valid forms, rule 1: the code was issued, is not voided, and belongs to the
	// group and unit(s) it answers for.
	if !f.Issued {
		c.fail(NotIssued, "Mã phiếu chưa được phát hành")
	}
	if f.Issued && f.Voided {
		c.fail(Voided, "Mã phiếu đã bị hủy")
	}
	c.group = c.def.Group(f.Group)
	switch {
	case c.group == nil:
		c.fail(WrongGroup, "Nhóm đối tượng %q không có trong đợt khảo sát", f.Group)
	case c.group.Imported():
		c.fail(WrongGroup, "Nhóm %s lấy điểm nhập từ nguồn ngoài, không nhận phiếu", f.Group)
	case f.Issued && f.IssuedGroup != f.Group:
		c.fail(WrongGroup, "Mã phiếu được phát cho nhóm %s, không phải nhóm %s", f.IssuedGroup, f.Group)
	}
	if c.group != nil && !c.group.Imported() {
		c.form = c.def.Questionnaire(c.group.Form)
		if c.form == nil {
			c.fail(WrongGroup, "Nhóm %s không có mẫu phiếu %q", f.Group, c.group.Form)
		}
	}
	c.checkUnits()

	// Rule 2: inside the campaign window (online: server time; paper: batch receipt date).
	if enforced(c.def.Rules.EnforceWindow) {
		c.checkWindow()
	}

	// Rule 3: the first accepted response for the code.
	if !f.FirstForCode {
		c.fail(Duplicate, "Mã phiếu đã có một phiếu được nhận trước")
	}

	// Rules 4 and 5: one option per answered item (a multi-marked item counts as unanswered)
	// and at least the minimum share of scored questions answered, don't-know counting as
	// answered. Judged per unit on a matrix form.
	c.checkShape()
	if c.form != nil {
		for i := range c.units {
			c.checkAnswers(&c.units[i], f.Answers[i].Answers)
		}
	}

	// Rule 6: paper forms under double entry: both keyings agree, or a supervisor resolved
	// the differences.
	if f.Channel == campaign.ChannelPaper && enforced(c.def.Rules.DoubleEntry) && !f.Adjudicated {
		switch {
		case f.Keyings < 2:
			c.fail(NotVerified, "Phiếu giấy mới nhập %d lần, chưa nhập lần hai để đối chiếu", f.Keyings)
		case !f.Verified:
			c.fail(NotVerified, "Hai lần nhập phiếu giấy chưa khớp và chưa được giám sát viên xử lý")
		}
	}
}

// checkUnits is rule 1's unit part: each unit answered for exists, is of the kind the group
// evaluates, and is among the units the code was issued for.
func (c *checker) checkUnits() {
	f := c.f
	for _, ua := range f.Answers {
		u := c.def.Unit(ua.Unit)
		switch {
		case u == nil:
			c.failUnit(ua.Unit, WrongUnit, "đơn vị không có trong đợt khảo sát")
			continue
		case c.group != nil && u.Kind != c.group.Evaluates:
			c.failUnit(ua.Unit, WrongUnit, "nhóm %s không đánh giá loại đơn vị này", c.group.Code)
			continue
		}
		if f.Issued && len(f.IssuedUnits) > 0 && !contains(f.IssuedUnits, ua.Unit) {
			c.failUnit(ua.Unit, WrongUnit, "mã phiếu không được phát cho đơn vị này")
		}
	}
}

func (c *checker) checkWindow() {
	t := c.f.ReceivedAt
	if t.IsZero() {
		c.fail(OutsideWindow, "Không rõ thời điểm nhận phiếu")
		return
	}
	if c.def.InWindow(t) {
		return
	}
	opens, closes := c.def.Opens.In(campaign.Zone), c.def.Closes.In(campaign.Zone)
	when := "Phiếu nhận lúc " + t.In(campaign.Zone).Format("15:04 02/01/2006")
	if c.f.Channel == campaign.ChannelPaper {
		when = "Lô phiếu giấy nhận ngày " + t.In(campaign.Zone).Format("02/01/2006")
	}
	c.fail(OutsideWindow, "%s, ngoài thời gian khảo sát %s–%s", when, opens.Format("02/01/2006"), closes.Format("02/01/2006"))
}

// checkShape refuses a form with no unit, a unit twice, or several units on a single-unit form.
func (c *checker) checkShape() {
	f := c.f
	if len(f.Answers) == 0 {
		c.fail(BadAnswers, "Phiếu không có câu trả lời cho đơn vị nào")
		return
	}
	seen := map[string]bool{}
	for _, ua := range f.Answers {
		if seen[ua.Unit] {
			c.fail(BadAnswers, "Phiếu có hai bộ câu trả lời cho đơn vị %s", ua.Unit)
		}
		seen[ua.Unit] = true
	}
	if c.form != nil && c.form.Shape != campaign.ShapeMatrix && len(f.Answers) > 1 {
		c.fail(BadAnswers, "Mẫu phiếu %s đánh giá một đơn vị nhưng có câu trả lời cho %d đơn vị", c.form.Code, len(f.Answers))
	}
}

// checkAnswers counts one unit's answers and applies rules 4 and 5 to them.
func (c *checker) checkAnswers(u *UnitVerdict, a response.Answers) {
	qs := c.form.Questions()
	for i := range qs {
		qs[i].Options = options(c.def, &qs[i])
	}
	// A question skipped by its show_if counts neither as answered nor as unanswered; open and
	// unscored questions are never counted (issue 12, question kinds).
	form := response.FormOf(qs)
	if err := form.Validate(a); err != nil {
		c.failUnit(u.Unit, BadAnswers, "câu trả lời không khớp mẫu phiếu %s: %v", c.form.Code, err)
		return
	}
	for i := range qs {
		if !form[i].Scored || a.At(i) == response.Skipped {
			continue
		}
		u.Scored++
		switch x := a.At(i); {
		case x == response.Multi:
			u.Multi++
		case x.Option() > 0:
			u.Answered++
		}
	}
	minPct := c.def.Rules.MinAnsweredPercent
	// Exact: answered/scored < min% ⇔ answered·100·10⁴ < min·scored, min in ten-thousandths.
	// A form with no scored question has nothing to fall short of.
	if u.Scored == 0 || int64(u.Answered)*100*campaign.DecimalScale >= int64(minPct)*int64(u.Scored) {
		return
	}
	msg := fmt.Sprintf("chỉ trả lời %d/%d câu (%s%%), dưới mức %s%%", u.Answered, u.Scored, percentVN(u.Answered, u.Scored), decimalVN(minPct))
	if u.Multi > 0 {
		msg += fmt.Sprintf("; %d câu đánh nhiều phương án được tính là chưa trả lời", u.Multi)
	}
	if len(c.units) == 1 {
		// A single-unit form: the unit needs no naming.
		c.reasons = append(c.reasons, Reason{Code: TooFewAnswers, Unit: u.Unit, Message: vn.Capitalize(msg)})
		c.unitReasons[u.Unit] = true
		return
	}
	c.failUnit(u.Unit, TooFewAnswers, "%s", msg)
}

// options are a question's options, its scale's when it names one.
func options(def *campaign.Definition, q *campaign.Question) []campaign.Option {
	if len(q.Options) == 0 && q.Scale != "" {
		if s := def.Scale(q.Scale); s != nil {
			return s.Options
		}
	}
	return q.Options
}

// enforced reads an on/off rule that defaults to on (domain.md: all rules apply by default).
func enforced(b *bool) bool { return b == nil || *b }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func unitLabel(def *campaign.Definition, code string) string {
	if u := def.Unit(code); u != nil && u.Name != "" {
		return fmt.Sprintf("Đơn vị %s (%s)", code, u.Name)
	}
	return "Đơn vị " + code
}

// percentVN shows n/d as a percentage cut (not rounded) to one decimal with a decimal comma, so
// that a share just under the minimum never shows as the minimum itself ("69,9", "57,1", "50").
func percentVN(n, d int) string {
	tenths := int64(n) * 1000 / int64(d)
	if tenths%10 == 0 {
		return fmt.Sprint(tenths / 10)
	}
	return fmt.Sprintf("%d,%d", tenths/10, tenths%10)
}

func decimalVN(d campaign.Decimal) string { return strings.Replace(d.String(), ".", ",", 1) }
