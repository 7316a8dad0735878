package web

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/store"
)

func TestAuditLogReadsInVietnamese(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	admin := e.client()
	admin.login("admin")
	base := fmt.Sprintf("/campaigns/%d", e.camp.ID)
	admin.get(base + "/forms")
	if resp, body := admin.post(base+"/forms/issue", url.Values{"group": {"S3"}, "unit": {"SNV"}, "reserve": {"20"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("issue: %d\n%s", resp.StatusCode, body)
	}
	code := e.unitForm("S3", "SNV").Code
	admin.get(base + "/forms")
	if resp, body := admin.post(base+"/forms/void", url.Values{"code": {code}, "reason": {"Phiếu bị rách"}, "replace": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("void: %d\n%s", resp.StatusCode, body)
	}
	e.run(admin)
	admin.get(base)
	if resp, body := admin.post(base+"/lock", url.Values{"confirm": {e.camp.Code}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("lock: %d\n%s", resp.StatusCode, body)
	}
	body := admin.page(base + "/audit")
	// What a reader sees without opening any entry's stored data.
	outside := text(regexp.MustCompile(`(?s)<details>.*?</details>`).ReplaceAllString(body, ""))

	t.Run("each action reads as a Vietnamese sentence", func(t *testing.T) {
		for _, want := range []string{
			"Nạp định nghĩa đợt khảo sát demo-2026 (phiên bản 1)",
			"Phát 12 phiếu",
			"Hủy mã phiếu " + code + ", lý do: Phiếu bị rách; phát mã phiếu thay thế ",
			"Tính điểm lần số 1: 0 phiếu hợp lệ được tính, theo định nghĩa phiên bản 1",
			"Khóa đợt khảo sát",
		} {
			if !strings.Contains(outside, want) {
				t.Errorf("the log lacks %q", want)
			}
		}
	})
	t.Run("action codes and raw JSON are not what a reader sees first", func(t *testing.T) {
		for _, raw := range []string{"forms.issue", "form.void", "campaign.lock", `{"created"`, "{&#34;created&#34;"} {
			if strings.Contains(outside, raw) {
				t.Errorf("the log shows %q outside the stored data", raw)
			}
		}
	})
	t.Run("the stored action and detail stay one click away", func(t *testing.T) {
		mustContain(t, body, "<details><summary>Xem</summary>", "<code>forms.issue</code>", "<code>{&#34;created&#34;:12}</code>",
			"<code>form.void</code>", "<dd>"+code+"</dd>")
	})
}

// unitForm returns the first issued form of a group about a unit.
func (e *testEnv) unitForm(group, unit string) *store.IssuedForm {
	e.t.Helper()
	var out *store.IssuedForm
	e.db.Forms(e.t.Context(), e.camp.ID, store.FormFilter{Group: group, Unit: unit}, func(f *store.IssuedForm) error {
		if out == nil {
			out = f
		}
		return nil
	})
	if out == nil {
		e.t.Fatalf("no form of %s/%s", group, unit)
	}
	return out
}

func TestAuditSentences(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	names := auditNames{def: e.camp.Def, users: map[int64]store.User{7: {ID: 7, Username: "dtv1", FullName: "Nguyễn Văn An"}}}
	for _, c := range []struct {
		name, action, subject, detail, want string
	}{
		{"forms issued by group and unit", "forms.issue", "", `{"created":120,"group":"S2","unit":"SNV"}`, "Phát 120 phiếu nhóm S2 cho đơn vị Sở Nội vụ"},
		{"forms issued as stored today", "forms.issue", "", `{"created":1200}`, "Phát 1.200 phiếu"},
		{"nothing left to issue", "forms.issue", "", `{"created":0}`, "Phát phiếu: không có phiếu nào cần phát thêm"},
		{"a void without replacement", "form.void", "S2-SNV-0001", `{"reason":"Mất"}`, "Hủy mã phiếu S2-SNV-0001, lý do: Mất"},
		{"forms handed to an enumerator", "forms.assign", "", `{"enumerator":7,"count":30}`, "Giao 30 phiếu cho điều tra viên Nguyễn Văn An"},
		{"a paper batch", "paper.batch", "lô 3", `{"group":"S2","unit":"STP","returned_by":7,"count":15,"received_on":"2026-11-20"}`,
			"Ghi nhận lô 3: 15 phiếu giấy nhóm S2 về Sở Tư pháp, do Nguyễn Văn An mang về ngày 20/11/2026"},
		{"a supervisor's decision on differing keyings", "paper.adjudicate", "S2-STP-0004", `{"conflict":2,"response":9,"decisions":[{"item":"q1"},{"item":"q7"}]}`,
			"Giám sát viên quyết định phiếu S2-STP-0004: chọn câu trả lời cho 2 mục khác nhau giữa hai lần nhập"},
		{"keeping the online answer", "paper.keep_first", "S5-TTT-0002", `{"conflict":3,"kept_channel":"online","note":""}`,
			"Giám sát viên giữ phiếu S5-TTT-0002 đã nhận qua kênh trực tuyến; các lần nhập phiếu giấy được lưu nhưng không tính"},
		{"a keyer added", "paper.keyer.add", "", `{"user":7}`, "Thêm Nguyễn Văn An vào danh sách người nhập phiếu giấy"},
		{"an unknown user still named", "paper.keyer.remove", "", `{"user":99}`, "Bỏ tài khoản số 99 khỏi danh sách người nhập phiếu giấy"},
		{"ratios replaced", "ratios.import", "S4", `{"file":"sipas.xlsx","rows":12,"replaced":12}`, "Nhập 12 tỷ lệ hài lòng cho nhóm S4 từ tệp sipas.xlsx (thay cho 12 tỷ lệ nhập trước đó)"},
		{"a rule change judged again", "settings.update", "", `{"judged":800,"changed":12,"valid_before":771,"valid_after":759}`,
			"Đổi quy tắc phiếu hợp lệ và xét lại 800 phiếu: 12 phiếu đổi kết quả, số phiếu hợp lệ từ 771 thành 759"},
		{"a method change", "settings.update", "", `{"judged":0,"changed":0}`, "Đổi phương pháp tính điểm hoặc quy tắc phiếu hợp lệ; không có phiếu nào phải xét lại"},
		{"a new version", "campaign.update", "demo-2026", `{"version":2,"digest":"sha256:ab"}`, "Cập nhật định nghĩa đợt khảo sát demo-2026 lên phiên bản 2"},
		{"an account disabled", "user.disable", "7", `{"disabled":true}`, "Khóa tài khoản Nguyễn Văn An"},
		{"an account created", "user.create", "giamsat2", `{"role":"supervisor"}`, "Tạo tài khoản giamsat2 (Giám sát viên)"},
		{"a list of respondents", "respondents.import", "S3/SNV", `{"file":"ds.xlsx","people":14,"forms_issued":14}`,
			"Nhập danh sách 14 người trả lời nhóm S3 cho đơn vị Sở Nội vụ từ tệp ds.xlsx, phát 14 phiếu"},
		{"e-mails queued", "invitations.queue", "S1", `{"kind":"reminder","channel":"email","send":4,"people":30}`,
			"Xếp hàng gửi lời nhắc trả lời qua thư điện tử cho 30 người nhóm S1"},
		{"a refused sign-in", "user.login_failed", "giamsat", `{"addr":"192.0.2.1","reason":"password"}`,
			"Đăng nhập không thành công với tên “giamsat”: sai mật khẩu, từ địa chỉ 192.0.2.1"},
		{"a sign-out", "user.logout", "", `null`, "Đăng xuất"},
		{"a role changed", "user.role", "7", `{"from":"supervisor","to":"viewer"}`, "Đổi vai trò của Nguyễn Văn An từ “Giám sát viên” thành “Người xem kết quả”"},
		{"a scope by organisation", "user.scope", "7", `{"organisation":"Sở Nội vụ","campaigns":null}`, "Giới hạn Nguyễn Văn An vào các đợt khảo sát do Sở Nội vụ tổ chức"},
		{"a scope lifted", "user.scope", "7", `{"organisation":"","campaigns":[]}`, "Bỏ giới hạn phạm vi của Nguyễn Văn An: xem được mọi đợt khảo sát"},
		{"a response stored", "response.store", "S2-SNV-0001-AX", `{"response":1,"channel":"online","seal":"ab"}`, "Lưu phiếu trả lời mã S2-SNV-0001-AX, nhận qua kênh trực tuyến"},
		{"a paper form keyed", "paper.key", "S3-SNV-0002-KQ", `{"batch":4,"queued":true}`, "Nhập phiếu giấy mã S3-SNV-0002-KQ (lô số 4); chuyển giám sát viên xử lý"},
		{"a distribution list downloaded", "download.distribution_list", "csv", `{"format":"csv","group":"S2","unit":"STP"}`,
			"Tải xuống danh sách phát phiếu (có đường dẫn của từng phiếu) (CSV), nhóm S2, đơn vị Sở Tư pháp"},
		{"a print run", "print.start", "", `{"path":"/campaigns/1/print","group":"S3"}`, "Bắt đầu in phiếu, nhóm S3"},
		{"an API read by token", "api.read", "", `{"token":3}`, "Đọc kết quả qua API bằng khóa truy cập số 3"},
		{"answers changed outside parsurvey", "db.answers_changed", "12", `{}`, "Câu trả lời của phiếu số 12 bị sửa bằng công cụ ngoài parsurvey"},
		{"a detail that is not JSON", "campaign.lock", "", `not json`, "Khóa đợt khảo sát: từ đây không nhận thêm phiếu"},
		{"an action it does not know", "backup.make", "data.db", `{}`, "Thao tác khác (backup.make): data.db"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := auditSentence(store.AuditEntry{Action: c.action, Subject: c.subject, Detail: c.detail}, names)
			if got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

// auditActionRes find the action names the store and intake write to the audit log.
var auditActionRes = []*regexp.Regexp{
	regexp.MustCompile(`audit(?:After)?\(tx,[^\n]*?"([a-z_]+(?:\.[a-z_]+)+)"`),
	regexp.MustCompile(`[Aa]ction(?::| :?=)\s*"([a-z_]+(?:\.[a-z_]+)+)"`),
	regexp.MustCompile(`setPassword\([^\n]*"([a-z_]+(?:\.[a-z_]+)+)"\)`),
	// The web's own: downloads and reads audited by the routes table, sign-ins refused.
	regexp.MustCompile(`\.Audit\([^\n]*?"([a-z_]+(?:\.[a-z_]+)+)"`),
	regexp.MustCompile(`audited\("([a-z_]+(?:\.[a-z_]+)+)"\)`),
	regexp.MustCompile(`"(?:GET|POST) [^"]+":\s+"([a-z_]+(?:\.[a-z_]+)+)"`),
}

func TestEveryAuditActionHasASentence(t *testing.T) {
	t.Parallel()
	var files []string
	for _, dir := range []string{"../store", "../intake", "."} {
		m, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	actions := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range auditActionRes {
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				actions[m[1]] = true
			}
		}
	}
	for _, want := range []string{"forms.issue", "campaign.lock", "paper.adjudicate", "settings.update", "user.password", "user.login_failed",
		"response.store", "api.read", "download.distribution_list", "print.start"} {
		if !actions[want] {
			t.Fatalf("the scan of the sources missed %s: found %v", want, actions)
		}
	}
	for a := range actions {
		if s := auditSentence(store.AuditEntry{Action: a, Detail: "{}"}, auditNames{}); strings.HasPrefix(s, "Thao tác khác") {
			t.Errorf("audit action %s has no sentence: add one to auditSentence (internal/web/audit_messages.go)", a)
		}
	}
}
