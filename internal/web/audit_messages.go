package web

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// auditNames resolves what audit details refer to by code or id, so that a sentence names a
// group, a unit or a person as staff know them.
type auditNames struct {
	def   *campaign.Definition
	users map[int64]store.User
}

// unit is a unit's name, or its code when the definition does not know it.
func (n auditNames) unit(code string) string {
	if n.def != nil {
		if u := n.def.Unit(code); u != nil && u.Name != "" {
			return u.Name
		}
	}
	return code
}

// user names an account by its full name, or by its user name, or by its number.
func (n auditNames) user(id int64) string {
	u, ok := n.users[id]
	switch {
	case !ok:
		return fmt.Sprintf("tài khoản số %d", id)
	case u.FullName != "":
		return u.FullName
	}
	return u.Username
}

// auditDetail reads the JSON detail an audit entry was stored with; a detail that is not an
// object reads as empty, so that the sentence still says what was done.
type auditDetail map[string]json.RawMessage

func parseAuditDetail(s string) auditDetail {
	d := auditDetail{}
	_ = json.Unmarshal([]byte(s), &d)
	return d
}

func (d auditDetail) has(key string) bool { _, ok := d[key]; return ok }

func (d auditDetail) str(key string) string {
	var s string
	if json.Unmarshal(d[key], &s) == nil {
		return s
	}
	return ""
}

func (d auditDetail) num(key string) int64 {
	var n int64
	if json.Unmarshal(d[key], &n) == nil {
		return n
	}
	return 0
}

func (d auditDetail) boolean(key string) bool {
	var b bool
	return json.Unmarshal(d[key], &b) == nil && b
}

// count is how many entries a JSON list in the detail has.
func (d auditDetail) count(key string) int {
	var l []json.RawMessage
	if json.Unmarshal(d[key], &l) == nil {
		return len(l)
	}
	return 0
}

// int formats a figure of the detail the Vietnamese way.
func (d auditDetail) int(key string) string { return vn.Int(d.num(key)) }

// roleNames are the staff roles as the audit log names them.
var roleNames = names{
	string(store.RoleAdmin):      "quản trị",
	string(store.RoleSupervisor): "giám sát viên",
	string(store.RoleEnumerator): "điều tra viên",
}

// auditSentence says in Vietnamese what an audit entry records, from its action, subject and
// stored detail: the one place the audit log's wording is written. An action it does not know
// still reads as a sentence, with its code.
func auditSentence(e store.AuditEntry, n auditNames) string {
	d := parseAuditDetail(e.Detail)
	subject := e.Subject
	switch e.Action {
	case "campaign.create":
		return fmt.Sprintf("Nạp định nghĩa đợt khảo sát %s (phiên bản %s)", subject, d.int("version"))
	case "campaign.update":
		return fmt.Sprintf("Cập nhật định nghĩa đợt khảo sát %s lên phiên bản %s", subject, d.int("version"))
	case "campaign.lock":
		return "Khóa đợt khảo sát: từ đây không nhận thêm phiếu"
	case "settings.update":
		if d.num("judged") == 0 {
			return "Đổi phương pháp tính điểm hoặc quy tắc phiếu hợp lệ; không có phiếu nào phải xét lại"
		}
		return fmt.Sprintf("Đổi quy tắc phiếu hợp lệ và xét lại %s phiếu: %s phiếu đổi kết quả, số phiếu hợp lệ từ %s thành %s",
			d.int("judged"), d.int("changed"), d.int("valid_before"), d.int("valid_after"))
	case "responses.revalidate":
		return fmt.Sprintf("Xét lại %s phiếu nhận sau lần đổi quy tắc phiếu hợp lệ: %s phiếu đổi kết quả", d.int("judged"), d.int("changed"))
	case "forms.issue":
		if d.num("created") == 0 {
			return "Phát phiếu: không có phiếu nào cần phát thêm"
		}
		s := fmt.Sprintf("Phát %s phiếu", d.int("created"))
		if g := d.str("group"); g != "" {
			s += " nhóm " + g
		}
		if u := d.str("unit"); u != "" {
			s += " cho đơn vị " + n.unit(u)
		}
		return s
	case "form.void":
		s := fmt.Sprintf("Hủy mã phiếu %s", subject)
		if r := d.str("reason"); r != "" {
			s += ", lý do: " + r
		}
		if r := d.str("replacement"); r != "" {
			s += "; phát mã phiếu thay thế " + r
		}
		return s
	case "forms.assign":
		return fmt.Sprintf("Giao %s phiếu cho điều tra viên %s", d.int("count"), n.user(d.num("enumerator")))
	case "paper.batch":
		s := fmt.Sprintf("Ghi nhận %s: %s phiếu giấy nhóm %s", subject, d.int("count"), d.str("group"))
		if u := d.str("unit"); u != "" {
			s += " về " + n.unit(u)
		}
		if d.has("returned_by") {
			s += ", do " + n.user(d.num("returned_by")) + " mang về"
		}
		if t, err := time.ParseInLocation(time.DateOnly, d.str("received_on"), campaign.Zone); err == nil {
			s += " ngày " + vn.Date(t)
		}
		return s
	case "paper.import":
		return fmt.Sprintf("Nhập phiếu giấy từ tệp %s: %s phiếu mới, %s phiếu đã có từ trước", subject, d.int("stored"), d.int("already"))
	case "paper.adjudicate":
		return fmt.Sprintf("Giám sát viên quyết định phiếu %s: chọn câu trả lời cho %s mục khác nhau giữa hai lần nhập",
			subject, vn.Int(int64(d.count("decisions"))))
	case "paper.keep_first":
		s := fmt.Sprintf("Giám sát viên giữ phiếu %s đã nhận qua kênh %s; các lần nhập phiếu giấy được lưu nhưng không tính",
			subject, campaign.Channel(d.str("kept_channel")).Label())
		if note := d.str("note"); note != "" {
			s += ". Ghi chú: " + note
		}
		return s
	case "paper.keyer.add":
		return fmt.Sprintf("Thêm %s vào danh sách người nhập phiếu giấy", n.user(d.num("user")))
	case "paper.keyer.remove":
		return fmt.Sprintf("Bỏ %s khỏi danh sách người nhập phiếu giấy", n.user(d.num("user")))
	case "ratios.import":
		s := fmt.Sprintf("Nhập %s tỷ lệ hài lòng cho nhóm %s từ tệp %s", d.int("rows"), subject, d.str("file"))
		if d.num("replaced") > 0 {
			s += fmt.Sprintf(" (thay cho %s tỷ lệ nhập trước đó)", d.int("replaced"))
		}
		return s
	case "scores.run":
		return fmt.Sprintf("Tính điểm lần số %s: %s phiếu hợp lệ được tính, theo định nghĩa phiên bản %s", subject, d.int("forms"), d.int("version"))
	case "respondents.import":
		s := fmt.Sprintf("Nhập danh sách %s người trả lời %s từ tệp %s", d.int("people"), n.scope(subject), d.str("file"))
		if d.num("forms_issued") > 0 {
			s += fmt.Sprintf(", phát %s phiếu", d.int("forms_issued"))
		}
		return s
	case "respondents.destroy":
		return fmt.Sprintf("Xóa danh sách người trả lời: thông tin liên hệ của %s người và %s thư, tin nhắn", d.int("people"), d.int("messages"))
	case "invitations.record":
		return fmt.Sprintf("Ghi nhận đã gửi %s qua %s cho %s người", messageKinds.of(d.str("kind")), messageChannels.of(d.str("channel")), d.int("people"))
	case "invitations.queue":
		s := fmt.Sprintf("Xếp hàng gửi %s qua %s cho %s người", messageKinds.of(d.str("kind")), messageChannels.of(d.str("channel")), d.int("people"))
		if subject != "" {
			s += " " + n.scope(subject)
		}
		return s
	case "api_token.create":
		return fmt.Sprintf("Tạo mã truy cập API “%s”", subject)
	case "api_token.revoke":
		return fmt.Sprintf("Thu hồi mã truy cập API số %s", subject)
	case "user.create":
		return fmt.Sprintf("Tạo tài khoản %s (%s)", subject, roleNames.of(d.str("role")))
	case "user.login":
		return "Đăng nhập"
	case "user.password":
		return "Đổi mật khẩu của mình"
	case "user.reset":
		return "Cấp mật khẩu mới cho " + n.subjectUser(subject)
	case "user.disable":
		if d.boolean("disabled") {
			return "Khóa tài khoản " + n.subjectUser(subject)
		}
		return "Mở khóa tài khoản " + n.subjectUser(subject)
	}
	s := fmt.Sprintf("Thao tác khác (%s)", e.Action)
	if subject != "" {
		s += ": " + subject
	}
	return s
}

// scope names a list's group and unit, written "S2" or "S2/SNV" in the subject.
func (n auditNames) scope(subject string) string {
	group, unit, _ := strings.Cut(subject, "/")
	if unit == "" {
		return "nhóm " + group
	}
	return "nhóm " + group + " cho đơn vị " + n.unit(unit)
}

// names maps the codes a detail holds to their Vietnamese words; an unknown code reads as itself.
type names map[string]string

func (m names) of(code string) string { return orCode(m[code], code) }

// messageKinds and messageChannels name the messages sent to respondents (internal/outreach).
var (
	messageKinds    = names{"invitation": "thư mời", "reminder": "lời nhắc trả lời"}
	messageChannels = names{"email": "thư điện tử", "sms": "tin nhắn SMS", "zalo": "Zalo"}
)

// subjectUser names the account an entry's subject holds by number.
func (n auditNames) subjectUser(subject string) string {
	id, err := strconv.ParseInt(strings.TrimSpace(subject), 10, 64)
	if err != nil {
		return subject
	}
	return n.user(id)
}

func orCode(name, code string) string {
	if name == "" {
		return code
	}
	return name
}
