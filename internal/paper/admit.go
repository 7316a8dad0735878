package paper

import (
	"fmt"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/validation"
)

// Situation is what storage knows about a form code at the moment a keyer keys it into a batch.
type Situation struct {
	// Found is set when the code was issued in the batch's campaign.
	Found  bool
	Voided bool
	// Group and Unit are the code's group and unit ("" for a matrix form); Units the unit codes
	// a matrix form was issued for (form_units), empty when it covers every unit of its kind.
	Group, Unit string
	Units       []string
	// BatchID, BatchGroup, BatchUnit and ReceivedOn describe the batch being keyed.
	BatchID               int64
	BatchGroup, BatchUnit string
	ReceivedOn            time.Time
	// BatchCount is how many forms the batch was recorded with; BatchFull is set when that many
	// other forms were already keyed from it.
	BatchCount int
	BatchFull  bool
	// OtherBatch is the batch the form was keyed from before, when that is another one.
	OtherBatch int64
	// KeyedByMe is set when this keyer already keyed the form.
	KeyedByMe bool
	// Keyings is how many other keyers keyed the form.
	Keyings int
	// Answered is the channel of the response accepted for the code ("online", "paper",
	// "import"), "" when none.
	Answered string
	// OpenConflict is the kind of the supervisor's open queue item about the form, "" when none.
	OpenConflict string
	// KeptFirst is set when a supervisor has kept another channel's response over a paper keying
	// of this code.
	KeptFirst bool
	// Locked is set when the campaign is locked.
	Locked bool
}

// Refusal is why a keyed code is not taken; Msg is for the keyer.
type Refusal struct {
	Code string
	Msg  string
}

// Error returns the message for the keyer.
func (r *Refusal) Error() string { return r.Msg }

// The reasons a keyed code is refused, as stable codes.
const (
	RefusedLocked     = "locked"
	RefusedUnknown    = "unknown_code"
	RefusedVoided     = "voided"
	RefusedOnlineOnly = "online_only"
	RefusedOtherGroup = "not_in_batch"
	RefusedKeyedByYou = "keyed_by_you"
	RefusedVerified   = "verified"
	RefusedKeptFirst  = "kept_first"
	RefusedInReview   = "in_review"
	RefusedComplete   = "keyed_twice"
	RefusedOtherBatch = "other_batch"
	RefusedBatchFull  = "batch_full"
)

func refuse(code, format string, args ...any) *Refusal {
	return &Refusal{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// DoubleEntry reports whether the campaign keys every paper form twice (on unless set false).
func DoubleEntry(def *campaign.Definition) bool {
	return def.Rules.DoubleEntry == nil || *def.Rules.DoubleEntry
}

// Admit runs the immediate checks on a code keyed into a batch. A refused code is not keyed at
// all; warnings say what will happen to a code that is taken (it is stored but will be invalid,
// or it goes to the supervisor's queue).
func Admit(def *campaign.Definition, s Situation) (warnings []string, err error) {
	if s.Locked {
		return nil, refuse(RefusedLocked, "Đợt khảo sát đã khóa sổ, không nhận thêm phiếu.")
	}
	if !s.Found {
		return nil, refuse(RefusedUnknown, "Mã phiếu không có trong đợt khảo sát này (chưa được phát hành).")
	}
	g := def.Group(s.Group)
	switch {
	case g == nil:
		return nil, refuse(RefusedUnknown, "Mã phiếu thuộc nhóm %s, không có trong đợt khảo sát.", s.Group)
	case g.Imported():
		return nil, refuse(RefusedOnlineOnly, "Nhóm %s lấy kết quả từ nguồn ngoài, không có phiếu giấy.", g.Code)
	case !g.Has(campaign.ChannelPaper):
		return nil, refuse(RefusedOnlineOnly, "Mã phiếu thuộc nhóm %s (%s), nhóm chỉ trả lời trực tuyến, không nhận phiếu giấy.", g.Code, g.Name)
	}
	// A group's channels are the definition's, not a form's state; a code outside the batch is
	// refused before anything of its state is told, so a keyer learns nothing of other
	// batches' forms (issue 15, the code probe).
	if s.Group != s.BatchGroup || s.Unit != s.BatchUnit {
		return nil, refuse(RefusedOtherGroup, "Mã phiếu thuộc nhóm %s, %s — không thuộc lô đang nhập (nhóm %s, %s).",
			s.Group, unitPhrase(def, s.Unit), s.BatchGroup, unitPhrase(def, s.BatchUnit))
	}
	if s.Voided {
		return nil, refuse(RefusedVoided, "Mã phiếu đã bị hủy, không nhận.")
	}
	double := DoubleEntry(def)
	switch {
	case s.Answered == "paper":
		return nil, refuse(RefusedVerified, "Phiếu này đã được nhập và xác nhận, không nhập thêm.")
	case s.KeptFirst:
		return nil, refuse(RefusedKeptFirst, "Mã phiếu đã có phiếu trả lời qua kênh khác; giám sát viên đã quyết định giữ phiếu đó, không nhập thêm.")
	case s.OpenConflict != "":
		return nil, refuse(RefusedInReview, "Phiếu đang chờ giám sát viên xử lý, không nhập thêm.")
	case s.KeyedByMe && double:
		return nil, refuse(RefusedKeyedByYou, "Bạn đã nhập phiếu này; lần nhập thứ hai phải do một người nhập khác thực hiện.")
	case s.KeyedByMe:
		return nil, refuse(RefusedKeyedByYou, "Bạn đã nhập phiếu này rồi.")
	case s.Keyings >= 2:
		// Under single entry a keyed form is accepted at once, so one other keying without a
		// response is a form left waiting when double entry was turned off: this keying ends it.
		return nil, refuse(RefusedComplete, "Phiếu đã được nhập đủ số lần.")
	case s.OtherBatch != 0:
		return nil, refuse(RefusedOtherBatch, "Phiếu này đã được nhập trong lô số %d; hãy nhập trong lô đó.", s.OtherBatch)
	case s.BatchFull:
		return nil, refuse(RefusedBatchFull, "Lô đã nhập đủ %d phiếu như khi thu về; kiểm tra lại mã, hoặc báo giám sát viên ghi nhận thêm lô phiếu.", s.BatchCount)
	}
	if s.Answered != "" {
		warnings = append(warnings, fmt.Sprintf("Mã phiếu đã có phiếu trả lời %s. Phiếu giấy vẫn được lưu nhưng chuyển vào hàng chờ xung đột để giám sát viên xử lý; không phiếu nào bị tính hai lần.", ChannelPhrase(s.Answered)))
	}
	if (def.Rules.EnforceWindow == nil || *def.Rules.EnforceWindow) && !def.InWindow(s.ReceivedOn) {
		warnings = append(warnings, fmt.Sprintf("Lô phiếu nhận ngày %s, ngoài thời gian khảo sát: phiếu vẫn được lưu nhưng sẽ không hợp lệ.", s.ReceivedOn.In(campaign.Zone).Format("02/01/2006")))
	}
	return warnings, nil
}

// Outcome is what an admitted keying does.
type Outcome int

// The outcomes of a keying.
const (
	// Waiting: the first keying under double entry; the form waits for a second keyer.
	Waiting Outcome = iota
	// Accepted: the response is stored (single entry, or a second keying agreeing with the first).
	Accepted
	// Differs: the second keying differs from the first; the form goes to a supervisor.
	Differs
	// Conflicting: the code already has a response from another channel; the keying goes to the
	// supervisor's conflict queue and is never counted on its own.
	Conflicting
)

// Decide says what an admitted keying does, given the other keyer's keying when there is one
// (domain.md, valid forms: a second keying of a paper form is a verification pass).
func Decide(def *campaign.Definition, l *Layout, s Situation, e Entry, previous *Entry) (Outcome, []Difference) {
	switch {
	case s.Answered != "":
		return Conflicting, nil
	case !DoubleEntry(def):
		return Accepted, nil
	case previous == nil:
		return Waiting, nil
	}
	if d := l.Compare(*previous, e); len(d) > 0 {
		return Differs, d
	}
	return Accepted, nil
}

// Facts gathers the validation facts of a paper response about to be stored: the code's record
// from the situation, the batch's receipt date, and how its keyings stand.
func Facts(s Situation, e Entry, keyings int, verified, adjudicated bool) validation.Facts {
	f := validation.Facts{Issued: s.Found, Voided: s.Voided, IssuedGroup: s.Group, Group: s.Group,
		Channel: campaign.ChannelPaper, ReceivedAt: s.ReceivedOn, FirstForCode: s.Answered == "",
		Keyings: keyings, Verified: verified, Adjudicated: adjudicated, Answers: e.Units}
	if s.Unit != "" {
		f.IssuedUnits = []string{s.Unit}
	} else if len(s.Units) > 0 {
		f.IssuedUnits = s.Units
	}
	return f
}

func unitPhrase(def *campaign.Definition, unit string) string {
	if unit == "" {
		return "phiếu ma trận"
	}
	if u := def.Unit(unit); u != nil {
		return u.Name
	}
	return "đơn vị " + unit
}

// ChannelPhrase names how a response came in, for messages: "trực tuyến", "từ phiếu giấy".
func ChannelPhrase(ch string) string {
	switch c := campaign.Channel(ch); c {
	case campaign.ChannelOnline, campaign.ChannelFileImport:
		return c.Label()
	case campaign.ChannelPaper:
		return "từ " + c.Label()
	}
	return "qua kênh " + ch
}
