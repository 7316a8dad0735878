package outreach

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/smtptest"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"github.com/xuri/excelize/v2"
)

// inWindow is a day inside the demo campaign's window.
var inWindow = time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC)

func TestRespondentMobilePhone(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"0912 345 678", "0912345678"}, {"+84 912 345 678", "0912345678"}, {"84912345678", "0912345678"},
		{"0912.345.678", "0912345678"}, {"912345678", "0912345678"}, {"(039) 123-4567", "0391234567"},
		{"0222 3812 345", ""}, {"0212345678", ""}, {"091234567", ""}, {"09123456789", ""}, {"0912 345 67x", ""}, {"", ""},
	} {
		got, ok := mobilePhone(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("mobilePhone(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestRespondentEmailAddress(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"NVAn@TanPhu.BinhAn.gov.vn", "nvan@tanphu.binhan.gov.vn"}, {" a.b+c@x.vn ", "a.b+c@x.vn"},
		{"An <an@x.vn>", ""}, {"an@x", ""}, {"an@@x.vn", ""}, {"an@x..vn", ""}, {".an@x.vn", ""}, {"an@x.v", ""},
		{"ân@x.vn", ""}, {"an@x.vn, b@x.vn", ""}, {"an@-x.vn", ""},
	} {
		got, ok := emailAddress(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("emailAddress(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestRespondentListFile(t *testing.T) {
	none := Contacts{}
	t.Run("Vietnamese titles are read as their columns and every cell is cleaned", func(t *testing.T) {
		people, errs := ParseList([][]string{
			{"STT", "Họ và tên", "Chức vụ", "Đơn vị công tác", "Số điện thoại", "Thư điện tử", "Ghi chú"},
			{"1", "  Nguyễn   Văn An ", "Phó Trưởng phòng", "Phòng Tư pháp", "0912 345 678", "NVAn@TanPhu.gov.vn", "x"},
			{"", "", "", "", "", "", ""},
			{"2", "Trần Thị Bình", "", "", "", "binh@tanphu.gov.vn", ""},
		}, none)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		want := []store.NewRespondent{
			{Line: 2, Name: "Nguyễn Văn An", Position: "Phó Trưởng phòng", Workplace: "Phòng Tư pháp", Phone: "0912345678", Email: "nvan@tanphu.gov.vn"},
			{Line: 4, Name: "Trần Thị Bình", Email: "binh@tanphu.gov.vn"},
		}
		if len(people) != 2 || people[0] != want[0] || people[1] != want[1] {
			t.Errorf("people = %+v, want %+v", people, want)
		}
	})
	t.Run("every wrong row is reported with its line, column and reason", func(t *testing.T) {
		_, errs := ParseList([][]string{
			{"ho_ten", "chuc_vu", "dien_thoai", "email"},
			{"", "", "0912345678", ""},                                               // 2: no name
			{"Lê Văn C", "", "0222 3812 345", ""},                                    // 3: landline
			{"Lê Văn D", "", "", "d@"},                                               // 4: bad address
			{"Lê Văn E", "", "", ""},                                                 // 5: no way to reach
			{"Lê Văn F", "", "0912 345 678", ""},                                     // 6: number of line 2
			{"Lê Văn G", "", "0987654321", ""},                                       // 7: on the list already
			{strings.Repeat("Tên ", 40), strings.Repeat("x", 201), "0911111111", ""}, // 8: too long twice
		}, Contacts{Phones: map[string]bool{"0987654321": true}})
		got := map[int]string{}
		for _, e := range errs {
			got[e.Line] += e.Column + ";"
		}
		want := map[int]string{2: "ho_ten;", 3: "dien_thoai;", 4: "email;", 5: "dien_thoai;", 6: "dien_thoai;", 7: "dien_thoai;", 8: "ho_ten;chuc_vu;"}
		for line, cols := range want {
			if got[line] != cols {
				t.Errorf("line %d: columns %q, want %q (%v)", line, got[line], cols, errs)
			}
		}
		for _, e := range errs {
			if e.Line == 6 && !strings.Contains(e.Msg, "dòng 2") {
				t.Errorf("a repeated number should name the line it repeats: %q", e.Msg)
			}
		}
	})
	t.Run("a header without a name or any contact column, or with an unknown column, is refused", func(t *testing.T) {
		_, errs := ParseList([][]string{{"chuc_vu", "dia_chi"}, {"x", "y"}}, none)
		if len(errs) != 3 {
			t.Errorf("errs = %v, want unknown column, no name column, no contact column", errs)
		}
		if _, errs := ParseList(nil, none); len(errs) != 1 || errs[0].Line != 1 {
			t.Errorf("empty file: %v", errs)
		}
		if _, errs := ParseList([][]string{{"ho_ten", "email"}}, none); len(errs) != 1 {
			t.Errorf("a header alone: %v", errs)
		}
	})
}

func demoLetter(t *testing.T) Letter {
	db := testenv.Open(t)
	c := testenv.Demo(t, db)
	return Letter{Def: c.Def, Group: "S3", Unit: "STP", Name: "Nguyễn Văn An", Position: "Phó Chủ tịch UBND huyện", Code: "S3-STP-0001X",
		Link: "https://khaosat.binhan.gov.vn/p/abc"}
}

func TestInvitationTexts(t *testing.T) {
	l := demoLetter(t)
	for _, k := range []Kind{Invitation, Reminder} {
		for _, ch := range []Channel{Email, Zalo, SMS} {
			t.Run(string(k)+" by "+string(ch)+" gives the link, the deadline and whom to ask", func(t *testing.T) {
				m := Compose(k, ch, l)
				for _, want := range []string{l.Name, l.Link, "31/12/2026", "0200 3812 345"} {
					if !strings.Contains(m.Body, want) {
						t.Errorf("body lacks %q:\n%s", want, m.Body)
					}
				}
				if ch == SMS {
					if m.Subject != "" || Segments(m.Body) > 4 {
						t.Errorf("an SMS of %d parts: %q", Segments(m.Body), m.Body)
					}
					return
				}
				for _, want := range []string{"Sở Tư pháp", AnonymityPromise, "dtxhh@vienphattrien.binhan.gov.vn", l.Code} {
					if !strings.Contains(m.Body, want) {
						t.Errorf("body lacks %q:\n%s", want, m.Body)
					}
				}
				if !strings.Contains(m.Subject, "2026") {
					t.Errorf("subject %q", m.Subject)
				}
			})
		}
	}
	t.Run("a group chat text names nobody and carries no link", func(t *testing.T) {
		for _, k := range []Kind{Invitation, Reminder} {
			g := GroupChat(k, l.Def, "S3", "STP")
			if strings.Contains(g, "http") || strings.Contains(g, l.Name) || !strings.Contains(g, "31/12/2026") {
				t.Errorf("group text:\n%s", g)
			}
		}
	})
	t.Run("a matrix list's letter is about every unit of the kind", func(t *testing.T) {
		m := Compose(Invitation, Email, Letter{Def: l.Def, Group: "S1", Name: "X", Link: "L"})
		if !strings.Contains(m.Body, "từng đơn vị thuộc") {
			t.Error(m.Body)
		}
	})
}

func TestInvitationSMSSegments(t *testing.T) {
	for _, tc := range []struct {
		n, want int
	}{{1, 1}, {70, 1}, {71, 2}, {134, 2}, {135, 3}} {
		if got := Segments(strings.Repeat("ê", tc.n)); got != tc.want {
			t.Errorf("%d characters: %d parts, want %d", tc.n, got, tc.want)
		}
	}
}

func TestInvitationsAndRemindersAreDue(t *testing.T) {
	sent := func(k Kind, ch Channel, status string) store.Message {
		return store.Message{Kind: string(k), Channel: string(ch), Status: status}
	}
	p := func(answered bool, h ...store.Message) *store.Respondent {
		return &store.Respondent{Phone: "0912345678", Email: "a@x.vn", Answered: answered, History: h}
	}
	for _, tc := range []struct {
		name string
		p    *store.Respondent
		k    Kind
		ch   Channel
		want bool
	}{
		{"a person never invited is due an invitation", p(false), Invitation, Email, true},
		{"a person who answered is due nothing", p(true), Invitation, Email, false},
		{"an invitation sent by SMS does not stop one by e-mail", p(false, sent(Invitation, SMS, "sent")), Invitation, Email, true},
		{"an invitation is sent once per channel", p(false, sent(Invitation, Email, "sent")), Invitation, Email, false},
		{"a failed e-mail can be sent again", p(false, sent(Invitation, Email, "failed")), Invitation, Email, true},
		{"a person not invited yet is not reminded", p(false), Reminder, Zalo, false},
		{"an invited person who has not answered is reminded", p(false, sent(Invitation, Zalo, "sent")), Reminder, SMS, true},
		{"reminders may be repeated", p(false, sent(Invitation, Zalo, "sent"), sent(Reminder, Zalo, "sent")), Reminder, Zalo, true},
		{"a reminder waiting to go is not queued twice", p(false, sent(Invitation, Zalo, "sent"), sent(Reminder, Email, "queued")), Reminder, Email, false},
		{"an invited person who answered is not reminded", p(true, sent(Invitation, Zalo, "sent")), Reminder, Zalo, false},
		{"no e-mail without an address", &store.Respondent{Phone: "0912345678"}, Invitation, Email, false},
		{"no SMS without a number", &store.Respondent{Email: "a@x.vn"}, Invitation, SMS, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Due(tc.p, tc.k, tc.ch); got != tc.want {
				t.Errorf("Due = %v, want %v", got, tc.want)
			}
		})
	}
}

// env is the demo campaign in a test database with the clock inside its window.
func env(t testing.TB) (*store.DB, *store.Campaign) {
	db := testenv.Open(t)
	db.SetClock(func() time.Time { return inWindow })
	return db, testenv.Demo(t, db)
}

func count(t testing.TB, db *store.DB, query string) int {
	var n int
	if err := db.ReadRow(context.Background(), query, nil, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRespondentListImport(t *testing.T) {
	ctx := context.Background()
	db, c := env(t)
	svc := New(db, "http://khaosat.test", nil, Options{})
	good := "\ufeffho_ten;chuc_vu;dien_thoai;email\nNguyễn Văn An;Chủ tịch;0912 345 678;an@x.vn\nTrần Thị Bình;Phó Chủ tịch;;binh@x.vn\n"
	t.Run("a good file stores every person with a new form of their own", func(t *testing.T) {
		res, err := svc.Import(ctx, ImportFile{Campaign: c, Group: "S3", Unit: "STP", Name: "ds.csv", Data: strings.NewReader(good)})
		if err != nil || len(res.Errors) > 0 || res.Stored != 2 {
			t.Fatalf("res %+v, err %v", res, err)
		}
		people, err := db.Respondents(ctx, c.ID, store.ListFilter{Group: "S3", Unit: "STP"})
		if err != nil || len(people) != 2 {
			t.Fatal(people, err)
		}
		if people[0].Code == people[1].Code || !strings.HasPrefix(people[0].Code, "S3-STP-") || people[0].Short == "" {
			t.Errorf("codes %q %q short %q", people[0].Code, people[1].Code, people[0].Short)
		}
		if n := count(t, db, `SELECT count(*) FROM issued_forms WHERE channel = 'online'`); n != 2 {
			t.Errorf("%d forms issued, want 2", n)
		}
	})
	before := count(t, db, `SELECT count(*) FROM issued_forms`)
	t.Run("a file with one wrong row stores nothing and issues no form", func(t *testing.T) {
		bad := "ho_ten,dien_thoai\nLê Văn C,0911111111\nLê Văn D,0912345678\n" // line 3: on the list already
		res, err := svc.Import(ctx, ImportFile{Campaign: c, Group: "S3", Unit: "STP", Name: "ds.csv", Data: strings.NewReader(bad)})
		if err != nil || len(res.Errors) != 1 || res.Errors[0].Line != 3 || res.Errors[0].Column != "dien_thoai" {
			t.Fatalf("res %+v, err %v", res, err)
		}
		if n := count(t, db, `SELECT count(*) FROM respondents`); n != 2 {
			t.Errorf("%d respondents, want the 2 of before", n)
		}
		if n := count(t, db, `SELECT count(*) FROM issued_forms`); n != before {
			t.Errorf("%d forms, want %d", n, before)
		}
	})
	t.Run("a paper group, a matrix group given a unit and a unit of another kind are refused", func(t *testing.T) {
		for _, tc := range []struct{ group, unit, field string }{{"S2", "SNV", "group"}, {"S1", "SNV", "unit"}, {"S3", "H01", "unit"}, {"S3", "", "unit"}} {
			_, err := svc.Import(ctx, ImportFile{Campaign: c, Group: tc.group, Unit: tc.unit, Name: "ds.csv", Data: strings.NewReader(good)})
			fe := fault.As(err)
			if fe == nil || len(fe.Fields) != 1 || fe.Fields[0].Name != tc.field {
				t.Errorf("%s/%s: err %v, want one about %s", tc.group, tc.unit, err, tc.field)
			}
		}
	})
}

// addPeople stores n people on the S3/SNV list, each with an e-mail address.
func addPeople(t testing.TB, db *store.DB, c *store.Campaign, unit string, n int, email func(i int) string) {
	people := make([]store.NewRespondent, n)
	for i := range people {
		people[i] = store.NewRespondent{Line: i + 2, Name: "Người " + strings.Repeat("A", 1+i%5), Email: email(i)}
	}
	if _, err := db.AddRespondents(context.Background(), c.ID, 0, store.RespondentList{Group: "S3", Unit: unit, File: "bench.csv", People: people}); err != nil {
		t.Fatal(err)
	}
}

func TestInvitationSenderRetriesAndRecordsEachFailure(t *testing.T) {
	ctx := context.Background()
	db, c := env(t)
	var mu sync.Mutex // the server's sessions run on their own goroutines
	tries := map[string]int{}
	srv := smtptest.Start(t, smtptest.Options{Refuse: func(rcpt string) error {
		mu.Lock()
		defer mu.Unlock()
		tries[rcpt]++
		switch {
		case strings.HasPrefix(rcpt, "khong-co"):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
		case strings.HasPrefix(rcpt, "ban") && tries[rcpt] == 1:
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
		}
		return nil
	}})
	m, err := NewSMTP(SMTPConfig{Addr: srv.Addr, From: "Viện Nghiên cứu <khaosat@vien.test>", TLS: "none"})
	if err != nil {
		t.Fatal(err)
	}
	svc := New(db, "http://khaosat.test", m, Options{RetryDelay: 20 * time.Millisecond})
	defer svc.Close()
	addresses := []string{"an@x.vn", "ban@x.vn", "khong-co@x.vn"}
	addPeople(t, db, c, "SNV", 3, func(i int) string { return addresses[i] })
	id, n, err := svc.SendEmails(ctx, c, Selection{Group: "S3", Unit: "SNV"}, Invitation, 0)
	if err != nil || n != 3 {
		t.Fatal(n, err)
	}
	var s *store.Send
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if s, err = db.SendProgress(ctx, c.ID, id); err != nil {
			t.Fatal(err)
		}
		if s.Queued == 0 && !svc.Sending() {
			break
		}
	}
	if s.Sent != 2 || s.Failed != 1 || s.Queued != 0 {
		t.Fatalf("send %+v", s)
	}
	if f := s.Failures[0]; f.Email != "khong-co@x.vn" || !strings.Contains(f.Error, "550") || f.Attempts != 1 {
		t.Errorf("failure %+v: a refused address fails at once, with the server's answer", f)
	}
	mu.Lock()
	retried := tries["ban@x.vn"]
	mu.Unlock()
	if retried != 2 || srv.Count() != 2 {
		t.Errorf("%d tries of ban@x.vn, %d delivered: a temporary refusal is tried again", retried, srv.Count())
	}
	t.Run("a second send reaches only those not invited yet", func(t *testing.T) {
		_, n, err := svc.SendEmails(ctx, c, Selection{Group: "S3", Unit: "SNV"}, Invitation, 0)
		if err != nil || n != 1 {
			t.Errorf("queued %d, err %v: only the failed address is due again", n, err)
		}
	})
	t.Run("nobody due is a refusal, not an empty send", func(t *testing.T) {
		_, _, err := svc.SendEmails(ctx, c, Selection{Group: "S3", Unit: "STP"}, Invitation, 0)
		if !errors.Is(err, ErrNobodyDue) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestNoInvitationGoesOutOnceTheCampaignIsLocked(t *testing.T) {
	ctx := context.Background()
	db, c := env(t)
	addPeople(t, db, c, "SNV", 1, func(int) string { return "an@x.vn" })
	people, _ := db.Respondents(ctx, c.ID, store.ListFilter{})
	if _, _, err := db.QueueEmails(ctx, c.ID, 0, "reminder", "", []int64{people[0].ID}); err != nil {
		t.Fatal(err)
	}
	// The queue was filled; before the sender runs, the campaign is locked.
	if err := db.LockCampaign(ctx, c.ID, 0); err != nil {
		t.Fatal(err)
	}
	srv := smtptest.Start(t, smtptest.Options{})
	m, _ := NewSMTP(SMTPConfig{Addr: srv.Addr, From: "khaosat@vien.test", TLS: "none"})
	svc := New(db, "http://khaosat.test", m, Options{})
	defer svc.Close()
	svc.Resume()
	for end := time.Now().Add(5 * time.Second); svc.Sending() && time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
	}
	if n := count(t, db, `SELECT count(*) FROM outreach_messages WHERE status = 'skipped'`); n != 1 || srv.Count() != 0 {
		t.Errorf("%d skipped, %d delivered: nothing goes out once the campaign is locked", n, srv.Count())
	}
}

func TestRespondentListTemplatesReadBackAsLists(t *testing.T) {
	var x bytes.Buffer
	if err := WriteTemplateXLSX(&x); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetList()[0]
	if err := f.SetSheetRow(sheet, "A2", &[]any{"Phạm Minh Châu", "Chủ tịch", "UBND huyện", "0912345678", "chau@x.vn"}); err != nil {
		t.Fatal(err)
	}
	var filled bytes.Buffer
	f.Write(&filled)
	table, err := paper.ReadTable("ds.xlsx", &filled)
	if err != nil {
		t.Fatal(err)
	}
	if people, errs := ParseList(table, Contacts{}); len(errs) > 0 || len(people) != 1 || people[0].Phone != "0912345678" {
		t.Errorf("filled template: %+v %v", people, errs)
	}
	var c bytes.Buffer
	if err := WriteTemplateCSV(&c); err != nil {
		t.Fatal(err)
	}
	table, err = paper.ReadTable("ds.csv", &c)
	if err != nil {
		t.Fatal(err)
	}
	if _, errs := ParseList(table, Contacts{}); len(errs) != 1 || !strings.Contains(errs[0].Msg, "không có người nào") {
		t.Errorf("the empty template should read as a list of nobody, not as people: %v", errs)
	}
}
