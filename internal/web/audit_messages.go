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
	def       *campaign.Definition
	users     map[int64]store.User
	campaigns map[int64]string // names by id
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
var roleNames = func() names {
	n := names{}
	for _, r := range store.Roles {
		n[string(r)] = r.Label()
	}
	return n
}()

// downloads name what each audited download sent (routes.go, auditedRoutes).
var downloads = names{
	"download.distribution_list": "danh sách phát phiếu (có đường dẫn của từng phiếu)",
	"download.respondents":       "danh sách người trả lời và phiếu của họ",
	"download.sms_list":          "tệp tin nhắn SMS mời trả lời",
	"download.results":           "kết quả tính điểm",
	"download.responses":         "dữ liệu câu trả lời",
	"download.honoraria":         "bảng thù lao điều tra viên",
	"download.print":             "tệp in phiếu",
	"download.audit":             "nhật ký thao tác",
	"download.file":              "tệp",
}

// loginRefusals say why a sign-in was refused.
var loginRefusals = names{"unknown": "tên đăng nhập không tồn tại", "password": "sai mật khẩu", "disabled": "tài khoản đã bị khóa"}

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
	case "rehearsal.start":
		return fmt.Sprintf("Bắt đầu diễn tập %s phiếu giả lập (hạt giống %s) trên bản sao riêng %s; số liệu thật không đổi", d.int("responses"), d.int("seed"), d.str("file"))
	case "rehearsal.delete":
		return fmt.Sprintf("Xóa toàn bộ bản diễn tập %s", d.str("file"))
	case "campaign.lock":
		return "Khóa đợt khảo sát: từ đây không nhận thêm phiếu"
	case "definition_draft.create":
		return fmt.Sprintf("Tải lên bản nháp định nghĩa số %s (tệp “%s”)", d.int("draft"), subject)
	case "definition_draft.replace":
		return fmt.Sprintf("Thay tệp của bản nháp định nghĩa số %s bằng “%s”", d.int("draft"), subject)
	case "definition_draft.publish":
		return fmt.Sprintf("Xuất bản bản nháp định nghĩa số %s", subject)
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
	case "paper.key":
		s := fmt.Sprintf("Nhập phiếu giấy mã %s (lô số %s)", subject, d.int("batch"))
		if d.boolean("queued") {
			s += "; chuyển giám sát viên xử lý"
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
	case "comparison.link": // year on year (results_compare_link.go)
		if d.str("source") == "" {
			return fmt.Sprintf("Liên kết với đợt %s để so sánh với năm trước; đơn vị ghép theo mã", subject)
		}
		return fmt.Sprintf("Liên kết với đợt %s để so sánh với năm trước; %s dòng ghép đơn vị từ tệp %s", subject, d.int("rows"), d.str("source"))
	case "comparison.unlink":
		return fmt.Sprintf("Bỏ liên kết so sánh với đợt %s", subject)
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
	case "user.login_failed":
		s := fmt.Sprintf("Đăng nhập không thành công với tên “%s”", subject)
		if r := d.str("reason"); r != "" {
			s += ": " + loginRefusals.of(r)
		}
		if a := d.str("addr"); a != "" {
			s += ", từ địa chỉ " + a
		}
		return s
	case "user.logout":
		return "Đăng xuất"
	case "user.role":
		return fmt.Sprintf("Đổi vai trò của %s từ “%s” thành “%s”", n.subjectUser(subject), roleNames.of(d.str("from")), roleNames.of(d.str("to")))
	case "user.scope":
		org, k := d.str("organisation"), d.count("campaigns")
		switch {
		case org == "" && k == 0:
			return fmt.Sprintf("Bỏ giới hạn phạm vi của %s: xem được mọi đợt khảo sát", n.subjectUser(subject))
		case org == "":
			return fmt.Sprintf("Giới hạn %s vào %s đợt khảo sát được chọn", n.subjectUser(subject), vn.Int(int64(k)))
		case k == 0:
			return fmt.Sprintf("Giới hạn %s vào các đợt khảo sát do %s tổ chức", n.subjectUser(subject), org)
		}
		return fmt.Sprintf("Giới hạn %s vào các đợt khảo sát do %s tổ chức và %s đợt được chọn", n.subjectUser(subject), org, vn.Int(int64(k)))
	case "response.store":
		return fmt.Sprintf("Lưu phiếu trả lời mã %s, nhận qua kênh %s", subject, campaign.Channel(d.str("channel")).Label())
	case "print.start":
		return "Bắt đầu in phiếu" + selectionPhrase(d, n)
	case "api.read":
		if d.has("token") {
			return fmt.Sprintf("Đọc kết quả qua API bằng khóa truy cập số %s", d.int("token"))
		}
		return "Đọc kết quả qua API"
	case "db.response_changed":
		return fmt.Sprintf("Phiếu trả lời số %s bị sửa bằng công cụ ngoài parsurvey", subject)
	case "db.response_deleted":
		return fmt.Sprintf("Phiếu trả lời số %s bị xóa bằng công cụ ngoài parsurvey", subject)
	case "db.answers_changed":
		return fmt.Sprintf("Câu trả lời của phiếu số %s bị sửa bằng công cụ ngoài parsurvey", subject)
	case "db.answers_deleted":
		return fmt.Sprintf("Câu trả lời của phiếu số %s bị xóa bằng công cụ ngoài parsurvey", subject)
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
	if what, ok := downloads[e.Action]; ok {
		s := "Tải xuống " + what
		if f := d.str("format"); f != "" {
			s += " (" + strings.ToUpper(f) + ")"
		}
		return s + selectionPhrase(d, n)
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

// selectionPhrase names the selection a download or a print run was made with.
func selectionPhrase(d auditDetail, n auditNames) string {
	var parts []string
	if g := d.str("group"); g != "" {
		parts = append(parts, "nhóm "+g)
	}
	if u := d.str("unit"); u != "" {
		parts = append(parts, "đơn vị "+n.unit(u))
	}
	if r := d.str("run"); r != "" {
		parts = append(parts, "lần tính điểm số "+r)
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}
