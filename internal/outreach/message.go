package outreach

import (
	"fmt"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// AnonymityPromise is what every invitation says, and the form's introduction repeats, about
// the lists: what staff see of a person, what no export carries, and that the lists end with
// the campaign. The service keeps it: the list pages show per person only whether they
// answered, no response export joins the lists, and Destroy deletes them.
const AnonymityPromise = "Phiếu không ghi họ tên người trả lời. Danh sách người được mời chỉ dùng để gửi đường dẫn và nhắc trả lời: " +
	"hệ thống chỉ cho cán bộ khảo sát biết Ông/Bà đã trả lời hay chưa, không hiển thị câu trả lời theo tên người; " +
	"không bản kết quả nào có họ tên, số điện thoại hay thư điện tử của Ông/Bà, và danh sách được hủy khi đợt khảo sát kết thúc."

// Letter is what a message to one person says: the campaign, the list they are on, who they
// are and their own form.
type Letter struct {
	Def   *campaign.Definition
	Group string
	Unit  string // "" on a matrix group's list
	Name  string
	// Position is the person's title, written after their name when known.
	Position string
	Code     string
	Link     string
}

// Text is a message: a subject (e-mail only) and the body.
type Text struct {
	Subject, Body string
}

// Compose writes the message of a kind for a channel: a letter for e-mail and Zalo, a short text
// for SMS. Every message gives the person's own link, the deadline and whom to ask.
func Compose(k Kind, ch Channel, l Letter) Text {
	d := l.Def
	deadline := vn.Date(d.Closes.Time)
	if ch == SMS {
		return Text{Body: smsText(k, l, deadline)}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Kính gửi Ông/Bà %s%s,\n\n", l.Name, parenthesised(l.Position))
	if k == Reminder {
		fmt.Fprintf(&b, "%s xin trân trọng nhắc: đợt khảo sát ý kiến %s kết thúc nhận phiếu vào hết ngày %s. "+
			"Hệ thống chưa ghi nhận phiếu trả lời của Ông/Bà; kính mong Ông/Bà dành ít phút trả lời tại đường dẫn riêng dưới đây:\n", organizer(d), subject(d, l), deadline)
	} else {
		fmt.Fprintf(&b, "%s trân trọng kính mời Ông/Bà trả lời phiếu khảo sát ý kiến %s, thuộc đợt «%s».\n\n", organizer(d), subject(d, l), d.Name)
		fmt.Fprintf(&b, "Ông/Bà trả lời trực tuyến, trước hết ngày %s, tại đường dẫn riêng dưới đây:\n", deadline)
	}
	fmt.Fprintf(&b, "%s\n", l.Link)
	fmt.Fprintf(&b, "Mã phiếu: %s. Đường dẫn này dành riêng cho Ông/Bà và chỉ gửi được một phiếu trả lời; xin không chuyển cho người khác.", l.Code)
	if k == Reminder {
		b.WriteString(" Nếu Ông/Bà vừa trả lời, xin cảm ơn và bỏ qua thư này.")
	}
	fmt.Fprintf(&b, "\n\n%s\n\n%s\n\nTrân trọng cảm ơn Ông/Bà.\n%s\n", AnonymityPromise, contactLine(d), organizer(d))
	t := Text{Body: b.String()}
	if k == Reminder {
		t.Subject = fmt.Sprintf("Nhắc trả lời phiếu khảo sát Chỉ số cải cách hành chính năm %d (hạn %s)", d.Year, deadline)
	} else {
		t.Subject = fmt.Sprintf("Kính mời Ông/Bà trả lời phiếu khảo sát Chỉ số cải cách hành chính năm %d", d.Year)
	}
	return t
}

// smsText is the short message for an SMS gateway: the link, the deadline and the phone to call.
func smsText(k Kind, l Letter, deadline string) string {
	call := ""
	if p := l.Def.Contact.Phone; p != "" {
		call = " Hỗ trợ: " + p + "."
	}
	if k == Reminder {
		return fmt.Sprintf("Kính nhắc Ông/Bà %s trả lời phiếu khảo sát Chỉ số CCHC năm %d trước hết ngày %s tại %s . Nếu đã trả lời, xin bỏ qua tin này.%s",
			l.Name, l.Def.Year, deadline, l.Link, call)
	}
	return fmt.Sprintf("Kính mời Ông/Bà %s trả lời phiếu khảo sát Chỉ số CCHC năm %d trước hết ngày %s tại %s . Đường dẫn dành riêng cho Ông/Bà.%s",
		l.Name, l.Def.Year, deadline, l.Link, call)
}

// GroupChat is the text for a group chat of a list (a Zalo group of the officials surveyed). It
// names nobody and carries no link: a personal link posted in a group would show every member
// who holds which form, and a reminder there would show who has not answered.
func GroupChat(k Kind, d *campaign.Definition, group, unit string) string {
	who := "các Ông/Bà"
	if g := d.Group(group); g != nil {
		who = "các Ông/Bà thuộc nhóm «" + g.Name + "»"
	}
	l := Letter{Def: d, Group: group, Unit: unit}
	var b strings.Builder
	fmt.Fprintf(&b, "Kính gửi %s,\n\n", who)
	if k == Reminder {
		fmt.Fprintf(&b, "%s xin trân trọng nhắc: đợt khảo sát ý kiến %s kết thúc nhận phiếu vào hết ngày %s. "+
			"Ông/Bà nào chưa trả lời, kính mong dành ít phút trả lời theo đường dẫn riêng đã nhận qua tin nhắn cá nhân hoặc thư điện tử. "+
			"Xin cảm ơn các Ông/Bà đã trả lời.\n\n", organizer(d), subject(d, l), vn.Date(d.Closes.Time))
	} else {
		fmt.Fprintf(&b, "%s đang tổ chức khảo sát ý kiến %s, thuộc đợt «%s». "+
			"Mỗi Ông/Bà có tên trong danh sách khảo sát được gửi một đường dẫn riêng qua tin nhắn cá nhân hoặc thư điện tử; "+
			"kính mong các Ông/Bà trả lời trước hết ngày %s. Đường dẫn là riêng của từng người, xin không chia sẻ trong nhóm.\n\n",
			organizer(d), subject(d, l), d.Name, vn.Date(d.Closes.Time))
	}
	fmt.Fprintf(&b, "%s\n\n%s\n\nTrân trọng cảm ơn.\n%s\n", AnonymityPromise, contactLine(d), organizer(d))
	return b.String()
}

// subject says what the form is about: one unit, or every unit of a kind on a matrix form.
func subject(d *campaign.Definition, l Letter) string {
	if u := d.Unit(l.Unit); u != nil {
		return "về công tác cải cách hành chính của " + u.Name
	}
	if g := d.Group(l.Group); g != nil {
		if k := d.Kind(g.Evaluates); k != nil {
			return "về công tác cải cách hành chính của từng đơn vị thuộc «" + k.Name + "»"
		}
	}
	return "về công tác cải cách hành chính"
}

func organizer(d *campaign.Definition) string {
	if d.Organizer != "" {
		return d.Organizer
	}
	return "Cơ quan tổ chức khảo sát"
}

// contactLine is whom to ask, from the campaign's contact; the organizer when it has none.
func contactLine(d *campaign.Definition) string {
	c := d.Contact
	if c.Phone == "" && c.Email == "" {
		return "Mọi thắc mắc xin liên hệ " + organizer(d) + "."
	}
	var parts []string
	if c.Office != "" {
		parts = append(parts, c.Office)
	}
	if c.Person != "" {
		parts = append(parts, c.Person)
	}
	if c.Phone != "" {
		parts = append(parts, "điện thoại "+c.Phone)
	}
	if c.Email != "" {
		parts = append(parts, "thư điện tử "+c.Email)
	}
	return "Mọi thắc mắc xin liên hệ: " + strings.Join(parts, "; ") + "."
}

func parenthesised(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}
