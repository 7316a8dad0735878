//go:build e2e

package web

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-smtp"
	"github.com/parsurvey/parsurvey/internal/smtptest"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"golang.org/x/text/unicode/norm"
)

// readMail parses an e-mail as a mail client would: the headers, the subject and the names
// decoded from their encoded words, the body from quoted-printable.
type readMail struct {
	To, From, ReplyTo *mail.Address
	Subject           string
	ContentType       string
	Body              string
}

func parseMail(t *testing.T, raw []byte) readMail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var r readMail
	dec := new(mime.WordDecoder)
	if r.Subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	for _, h := range []struct {
		name string
		dst  **mail.Address
	}{{"To", &r.To}, {"From", &r.From}, {"Reply-To", &r.ReplyTo}} {
		list, err := m.Header.AddressList(h.name)
		if err != nil || len(list) != 1 {
			t.Fatalf("%s: %v %v", h.name, list, err)
		}
		*h.dst = list[0]
	}
	r.ContentType = m.Header.Get("Content-Type")
	body := io.Reader(m.Body)
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(m.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	r.Body = string(b)
	return r
}

// newMailEnv is the test environment with the service sending e-mail through srv.
func newMailEnv(t *testing.T, srv *smtptest.Server, user, password string) *testEnv {
	t.Helper()
	db := testenv.Open(t)
	camp := testenv.Demo(t, db)
	cfg := testenv.Config(t, db.Path())
	cfg.SMTP.Addr, cfg.SMTP.User, cfg.SMTP.Password = srv.Addr, user, password
	cfg.SMTP.From, cfg.SMTP.TLS, cfg.SMTP.CAFile, cfg.SMTP.Rate = "Viện Nghiên cứu Phát triển <khaosat@vienphattrien.binhan.gov.vn>", "starttls", srv.CAFile, 50
	s, err := New(db, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	testenv.AddStaff(t, db)
	return &testEnv{t: t, db: db, srv: s, camp: camp}
}

var sentRe = regexp.MustCompile(`Đã gửi (\d+)/(\d+) thư`)

// waitSent polls a send's page until every e-mail of it is settled; it returns the page.
func waitSent(t *testing.T, c *client, path string, want int) string {
	t.Helper()
	var body string
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		var resp *http.Response
		resp, body = c.get(path)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		if m := sentRe.FindStringSubmatch(body); m != nil && m[1] == fmt.Sprint(want) && m[2] == fmt.Sprint(want) && !strings.Contains(body, "đang chờ") {
			return body
		}
	}
	t.Fatalf("the send did not finish:\n%s", body)
	return ""
}

func TestInvitationsByEmailThroughARealSMTPServer(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.Options{StartTLS: true, User: "khaosat", Password: "mật-khẩu-thư"})
	e := newMailEnv(t, srv, "khaosat", "mật-khẩu-thư")
	e.db.SetClock(func() time.Time { return inWindow })
	sup := e.client()
	sup.login("phantich") // invitations are the analyst's (routes.go)
	sup.get(e.listsURL(""))
	if resp, body := sup.uploadList("S3", "STP", "danh-sach.xlsx", listXLSX(t, listPeople)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d\n%s", resp.StatusCode, body)
	}
	people := e.listedPeople("S3", "STP")
	huong, nhi := people["Nguyễn Thị Thanh Hương"], people["Lê Hoàng Yến Nhi"]

	sup.get(e.invitationsURL("?group=S3&unit=STP"))
	resp, _ := sup.post(e.invitationsURL("/email"), url.Values{"group": {"S3"}, "unit": {"STP"}, "kind": {"invitation"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d", resp.StatusCode)
	}
	page := waitSent(t, sup, resp.Header.Get("Location"), 2)
	mustContain(t, page, "Lượt gửi thư số")

	t.Run("each invitation reaches its person over STARTTLS after signing in, in UTF-8 with their own link", func(t *testing.T) {
		msgs := srv.Messages()
		if len(msgs) != 2 || srv.Auths() == 0 {
			t.Fatalf("%d messages, %d sign-ins", len(msgs), srv.Auths())
		}
		byRcpt := map[string]smtptest.Message{}
		for _, m := range msgs {
			if !m.TLS || len(m.To) != 1 || m.From != "khaosat@vienphattrien.binhan.gov.vn" {
				t.Errorf("envelope %v from %s, TLS %v", m.To, m.From, m.TLS)
			}
			byRcpt[m.To[0]] = m
		}
		for _, p := range []struct {
			name, addr, token string
		}{{"Nguyễn Thị Thanh Hương", "huong.ntt@tanphu.binhan.gov.vn", huong.Short}, {"Lê Hoàng Yến Nhi", "nhi.lhy@phulam.binhan.gov.vn", nhi.Short}} {
			raw, ok := byRcpt[p.addr]
			if !ok {
				t.Errorf("no message for %s", p.addr)
				continue
			}
			if !utf8.Valid(raw.Data) || bytes.ContainsFunc(raw.Data[:bytes.Index(raw.Data, []byte("\r\n\r\n"))], func(r rune) bool { return r > 127 }) {
				t.Errorf("%s: headers must be 7-bit, with names and subject in encoded words", p.addr)
			}
			m := parseMail(t, raw.Data)
			if m.To.Address != p.addr || m.To.Name != p.name {
				t.Errorf("To = %q <%s>", m.To.Name, m.To.Address)
			}
			if m.From.Name != "Viện Nghiên cứu Phát triển" || m.ReplyTo.Address != "dtxhh@vienphattrien.binhan.gov.vn" {
				t.Errorf("From %q, Reply-To %s", m.From.Name, m.ReplyTo.Address)
			}
			if m.Subject != "Kính mời Ông/Bà trả lời phiếu khảo sát Chỉ số cải cách hành chính năm 2026" {
				t.Errorf("Subject = %q", m.Subject)
			}
			if !strings.Contains(m.ContentType, "text/plain") || !strings.Contains(strings.ToLower(m.ContentType), "charset=utf-8") {
				t.Errorf("Content-Type = %q", m.ContentType)
			}
			if !utf8.ValidString(m.Body) || !norm.NFC.IsNormalString(m.Body) {
				t.Errorf("%s: the body is not NFC UTF-8", p.addr)
			}
			mustContain(t, m.Body, "Kính gửi Ông/Bà "+p.name, "http://khaosat.test/"+p.token, // the short link, short enough for an SMS "trước hết ngày 31/12/2026",
				"công tác cải cách hành chính của Sở Tư pháp", "Phiếu không ghi họ tên người trả lời", "điện thoại 0200 3812 345")
		}
	})

	t.Run("the invitations are recorded per person, and a second send has nobody left to invite", func(t *testing.T) {
		_, body := sup.get(e.listsURL("?group=S3&unit=STP"))
		mustContain(t, body, "Thư điện tử 15/11/2026")
		if n := e.count(`SELECT count(*) FROM outreach_messages WHERE channel = 'email' AND status = 'sent'`); n != 2 {
			t.Errorf("%d e-mails recorded as sent", n)
		}
		sup.get(e.invitationsURL("?group=S3&unit=STP"))
		if resp, _ := sup.post(e.invitationsURL("/email"), url.Values{"group": {"S3"}, "unit": {"STP"}}); resp.StatusCode != http.StatusConflict {
			t.Errorf("a second send: status %d, want 409", resp.StatusCode)
		}
	})

	t.Run("the reminder by e-mail goes only to the invited person who has not answered", func(t *testing.T) {
		q := e.camp.Def.Questionnaire(e.camp.Def.Group("S3").Form)
		if resp, _ := e.client().post("/p/"+huong.Token, answers(q, nil, 1, "sid-huong")); resp.StatusCode != 200 {
			t.Fatalf("answer: %d", resp.StatusCode)
		}
		sup.get(e.invitationsURL("?group=S3&unit=STP&kind=reminder"))
		resp, _ := sup.post(e.invitationsURL("/email"), url.Values{"group": {"S3"}, "unit": {"STP"}, "kind": {"reminder"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("remind: %d", resp.StatusCode)
		}
		waitSent(t, sup, resp.Header.Get("Location"), 1)
		msgs := srv.Messages()
		if len(msgs) != 3 || msgs[2].To[0] != "nhi.lhy@phulam.binhan.gov.vn" {
			t.Fatalf("%d messages, the last to %v", len(msgs), msgs[len(msgs)-1].To)
		}
		m := parseMail(t, msgs[2].Data)
		if !strings.HasPrefix(m.Subject, "Nhắc trả lời phiếu khảo sát") {
			t.Errorf("Subject = %q", m.Subject)
		}
		mustContain(t, m.Body, "http://khaosat.test/"+nhi.Short, "Hệ thống chưa ghi nhận phiếu trả lời")
	})
}

func TestInvitationsRecordEachRecipientTheServerRefuses(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.Options{StartTLS: true, Refuse: func(rcpt string) error {
		if strings.HasPrefix(rcpt, "nhi.") {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable"}
		}
		return nil
	}})
	e := newMailEnv(t, srv, "", "")
	e.db.SetClock(func() time.Time { return inWindow })
	sup := e.client()
	sup.login("phantich")
	sup.get(e.listsURL(""))
	sup.uploadList("S3", "STP", "danh-sach.xlsx", listXLSX(t, listPeople))
	sup.get(e.invitationsURL("?group=S3&unit=STP"))
	resp, _ := sup.post(e.invitationsURL("/email"), url.Values{"group": {"S3"}, "unit": {"STP"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d", resp.StatusCode)
	}
	path := resp.Header.Get("Location")
	var body string
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		_, body = sup.get(path)
		if strings.Contains(body, "1 thư không gửi được") && !strings.Contains(body, "đang chờ") {
			break
		}
	}
	mustContain(t, body, "Đã gửi 1/2 thư", "1 thư không gửi được", "Lê Hoàng Yến Nhi", "nhi.lhy@phulam.binhan.gov.vn", "550")
	if srv.Count() != 1 {
		t.Errorf("%d delivered", srv.Count())
	}
}
