package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
)

// sealedFixture is a closed database file holding a campaign, audit rows and three stored
// responses, each sealed, and a fourth form unanswered; it returns the file's path.
func sealedFixture(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "live.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	camp, _, err := db.SaveDefinition(ctx, demo(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Issue(ctx, camp.ID, 0, []campaign.IssueTarget{{Group: "S2", Unit: "SNV", Channel: campaign.ChannelOnline, Quota: 4}}); err != nil {
		t.Fatal(err)
	}
	var forms []*IssuedForm
	db.Forms(ctx, camp.ID, FormFilter{}, func(f *IssuedForm) error { forms = append(forms, f); return nil })
	forms = forms[:3] // the fourth stays unanswered
	ids, _ := db.UnitIDs(ctx, camp.ID)
	answers := strings.Repeat("1", len(camp.Def.Questionnaire(camp.Def.Group("S2").Form).Questions()))
	for i, f := range forms {
		if _, err := db.SaveSubmission(WithRequestID(ctx, fmt.Sprintf("req-%d", i)), &Submission{FormID: f.ID, CampaignID: camp.ID, Channel: "online",
			SubmissionID: fmt.Sprintf("sid-%d", i), Digest: fmt.Sprint(i), Respondent: `{"sex":"nu"}`, ReceivedAt: db.Now(),
			Valid: true, Reasons: "[]", Answers: []UnitAnswers{{UnitID: ids["SNV"], Answers: answers, Valid: true}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Audit(ctx, 0, "download.results", camp.ID, "xlsx", nil); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// tamperedCopy copies the database file and runs statements on the copy with the plain sqlite3
// driver, as someone with the file and the sqlite3 tool would; it returns the copy's path.
func tamperedCopy(t *testing.T, src string, stmts ...string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy.db")
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	out.Close()
	raw, err := sql.Open("sqlite3", dst)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("tamper %q: %v", s, err)
		}
	}
	return dst
}

func verify(t *testing.T, path string) *VerifyReport {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rep, err := db.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestVerifyFindsWhatWasChangedOutsideParsurvey(t *testing.T) {
	live := sealedFixture(t)

	t.Run("an untouched database verifies, every response sealed", func(t *testing.T) {
		rep := verify(t, live)
		if !rep.OK() || rep.Responses != 3 || rep.Sealed != 3 || rep.Unsealed != 0 || rep.Legacy != 0 || rep.Head == "" {
			t.Fatalf("report = %+v", rep)
		}
	})
	for _, c := range []struct {
		name  string
		stmts []string
		want  string
	}{
		{"an answer changed leaves a trace and breaks the seal",
			[]string{`UPDATE response_answers SET answers = replace(answers, '1', '4') WHERE response_id = 2`}, "phiếu trả lời số 2"},
		{"an answer changed with the triggers dropped first still breaks the seal",
			[]string{`DROP TRIGGER response_answers_changed`, `UPDATE response_answers SET answers = replace(answers, '1', '4') WHERE response_id = 2`},
			"phiếu trả lời số 2 (mã S2-SNV-0002-"},
		{"a dropped trigger is reported on its own", []string{`DROP TRIGGER responses_deleted`}, "trigger responses_deleted đã bị xóa"},
		{"a respondent's details changed", []string{`DROP TRIGGER responses_changed`, `UPDATE responses SET respondent = '{"sex":"nam"}' WHERE id = 1`},
			"phiếu trả lời số 1 (mã S2-SNV-0001-"},
		{"a response deleted", []string{`DELETE FROM response_answers WHERE response_id = 3`, `DELETE FROM responses WHERE id = 3`},
			"phiếu trả lời số 3 đã bị xóa"},
		{"a response slipped in", []string{
			`INSERT INTO responses (campaign_id, form_id, channel, body_digest, receipt, received_at, created_at)
				SELECT campaign_id, id, 'online', 'x', 'FAKE-0001', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z' FROM issued_forms WHERE id NOT IN (SELECT form_id FROM responses) LIMIT 1`},
			"được thêm ngoài parsurvey"},
		{"an audit row edited behind the append-only trigger", []string{`DROP TRIGGER audit_log_no_update`,
			`UPDATE audit_log SET subject = 'pdf' WHERE action = 'download.results'`}, "không khớp chuỗi băm"},
		{"an audit row removed from the middle", []string{`DROP TRIGGER audit_log_no_delete`,
			`DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log WHERE action = 'forms.issue')`}, "đã bị xóa hoặc dòng này đã bị sửa"},
		{"an audit row added by hand", []string{`INSERT INTO audit_log (at, action, subject) VALUES ('2026-11-20T00:00:00Z', 'campaign.lock', '')`},
			"được ghi ngoài parsurvey"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := verify(t, tamperedCopy(t, live, c.stmts...))
			if rep.OK() {
				t.Fatalf("verify found nothing: %+v", rep)
			}
			if !strings.Contains(strings.Join(rep.Problems, "\n"), c.want) {
				t.Fatalf("problems lack %q:\n%s", c.want, strings.Join(rep.Problems, "\n"))
			}
		})
	}
	t.Run("a validity recomputed under the rules is no tampering", func(t *testing.T) {
		rep := verify(t, tamperedCopy(t, live, `UPDATE responses SET valid = 0, reasons = '["late"]' WHERE id = 1`,
			`UPDATE response_answers SET valid = 0 WHERE response_id = 1`))
		if !rep.OK() {
			t.Fatalf("problems: %v", rep.Problems)
		}
	})
}

func TestAuditRowsCarryTheRequestAndChain(t *testing.T) {
	db := openTest(t)
	ctx := WithRequestID(context.Background(), "abc-123")
	for i := range 3 {
		if err := db.Audit(ctx, 0, "download.results", 0, fmt.Sprint(i), nil); err != nil {
			t.Fatal(err)
		}
	}
	log, err := db.AuditEntries(ctx, AuditFilter{Actions: []string{"download."}, Limit: 2})
	if err != nil || len(log) != 2 || log[0].Subject != "2" || log[0].RequestID != "abc-123" {
		t.Fatalf("log = %+v, %v", log, err)
	}
	if _, err := db.write.Exec(`UPDATE audit_log SET hash = '' WHERE id = 1`); err == nil {
		t.Fatal("a hash was rewritten")
	}
	if rep, err := db.Verify(ctx); err != nil || !rep.OK() || rep.Entries != 3 {
		t.Fatalf("verify = %+v, %v", rep, err)
	}
}

func TestAuditFilters(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	clock := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return clock })
	u := &User{Username: "a", FullName: "A", Role: RoleAdmin, PasswordHash: "h"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(24 * time.Hour)
	db.Audit(ctx, u.ID, "download.results", 7, "xlsx", nil)
	db.Audit(ctx, 0, "user.login_failed", 0, "b", nil)
	for _, c := range []struct {
		name string
		f    AuditFilter
		want []string
	}{
		{"by who", AuditFilter{UserID: u.ID}, []string{"download.results"}},
		{"by what", AuditFilter{Actions: []string{"user."}}, []string{"user.login_failed", "user.create"}},
		{"by campaign", AuditFilter{CampaignID: 7}, []string{"download.results"}},
		{"by date", AuditFilter{From: clock.Add(-time.Hour), To: clock.Add(time.Hour)}, []string{"user.login_failed", "download.results"}},
		{"before a date", AuditFilter{To: clock.Add(-time.Hour)}, []string{"user.create"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			log, err := db.AuditEntries(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range log {
				got = append(got, e.Action)
			}
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestMigrationKeepsRolesAndStartsTheChainAfterOldRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	w, err := sql.Open("sqlite3", dsn(path, false, false))
	if err != nil {
		t.Fatal(err)
	}
	old := &DB{write: w, now: time.Now}
	if err := old.migrateTo(8); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`INSERT INTO users (username, full_name, role, password_hash, created_at) VALUES ('qt', 'Quản trị', 'admin', 'h', '2026-01-01T00:00:00Z'),
			('gs', 'Giám sát', 'supervisor', 'h', '2026-01-01T00:00:00Z'), ('dtv', 'Điều tra', 'enumerator', 'h', '2026-01-01T00:00:00Z')`,
		`INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen) VALUES ('t', 2, '2026-01-01T00:00:00Z', '2099-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
		`INSERT INTO audit_log (at, user_id, action) VALUES ('2026-01-01T00:00:00Z', 1, 'user.login')`,
	} {
		if _, err := w.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for name, want := range map[string]Role{"qt": RoleAdmin, "gs": RoleSupervisor, "dtv": RoleEnumerator} {
		u, err := db.UserByName(ctx, name)
		if err != nil || u.Role != want || u.Scoped() {
			t.Errorf("%s: %+v, %v; want role %s, no scope", name, u, err, want)
		}
	}
	var sessions int
	db.ReadRow(ctx, `SELECT count(*) FROM sessions`, nil, &sessions)
	if sessions != 1 {
		t.Errorf("%d sessions after the migration, want the 1 there was", sessions)
	}
	if err := db.Audit(ctx, 1, "user.logout", 0, "", nil); err != nil {
		t.Fatal(err)
	}
	rep, err := db.Verify(ctx)
	if err != nil || !rep.OK() || rep.Legacy != 1 || rep.Entries != 2 {
		t.Fatalf("verify = %+v, %v", rep, err)
	}
	if _, err := db.write.Exec(`UPDATE users SET role = 'owner' WHERE id = 1`); err == nil {
		t.Fatal("a role outside the five was stored")
	}
}

func TestScope(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	camp, _, err := db.SaveDefinition(ctx, demo(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	u := &User{Username: "xem", FullName: "Xem", Role: RoleViewer, PasswordHash: "h"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	in := func() bool {
		t.Helper()
		u, err := db.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		ok, err := db.CampaignInScope(ctx, u, camp.ID)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !in() {
		t.Fatal("an account without limits does not see the campaign")
	}
	if err := db.SetScope(ctx, u.ID, "", []int64{camp.ID + 1}, 0); err == nil {
		t.Fatal("a scope naming no campaign was stored")
	}
	db.SaveDefinition(ctx, func() *campaign.Definition { d := demo(t); d.Code = "other"; return d }(), 0)
	if err := db.SetScope(ctx, u.ID, "", []int64{camp.ID + 1}, 0); err != nil {
		t.Fatal(err)
	}
	if in() {
		t.Fatal("an account limited to another campaign sees this one")
	}
	if err := db.SetScope(ctx, u.ID, strings.ToUpper(camp.Def.Organizer), nil, 0); err != nil {
		t.Fatal(err)
	}
	if camp.Def.Organizer == "" || !in() {
		t.Fatalf("an account of the organizer %q does not see its campaign", camp.Def.Organizer)
	}
	if err := db.SetScope(ctx, u.ID, "Sở khác", nil, 0); err != nil || in() {
		t.Fatalf("an account of another organisation sees the campaign (%v)", err)
	}
}

// No code path of parsurvey changes or removes audit rows, or responses' content: the only
// statements naming those tables write new rows (the triggers would refuse the rest anyway).
func TestNoCodeUpdatesOrDeletesTheAuditOrTheAnswers(t *testing.T) {
	files, err := filepath.Glob("../*/*.go")
	if err != nil || len(files) < 50 {
		t.Fatalf("sources: %d, %v", len(files), err)
	}
	bad := regexp.MustCompile(`(?i)(UPDATE\s+audit_log|DELETE\s+FROM\s+audit_log|DELETE\s+FROM\s+responses\b|DELETE\s+FROM\s+response_answers|UPDATE\s+response_answers\s+SET\s+answers|DROP\s+TRIGGER)`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := bad.Find(src); m != nil {
			t.Errorf("%s: %q", f, m)
		}
	}
}

// BenchmarkSeal compares storing a response with what sealing it adds (one read of the
// response and its answers, the chain's last hash, one audit row), on a scratch database.
func BenchmarkSeal(b *testing.B) {
	ctx := context.Background()
	db, err := OpenScratch(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	def, err := campaign.Load(forms.FS, "demo")
	if err != nil {
		b.Fatal(err)
	}
	camp, _, err := db.SaveDefinition(ctx, def, 0)
	if err != nil {
		b.Fatal(err)
	}
	n := 3000
	if _, err := db.Issue(ctx, camp.ID, 0, []campaign.IssueTarget{{Group: "S2", Unit: "SNV", Channel: campaign.ChannelOnline, Quota: n}}); err != nil {
		b.Fatal(err)
	}
	var fs []*IssuedForm
	db.Forms(ctx, camp.ID, FormFilter{}, func(f *IssuedForm) error { fs = append(fs, f); return nil })
	ids, _ := db.UnitIDs(ctx, camp.ID)
	answers := strings.Repeat("1", len(camp.Def.Questionnaire(camp.Def.Group("S2").Form).Questions()))
	next := 0
	b.Run("store a response, sealed", func(b *testing.B) {
		for b.Loop() {
			if next >= len(fs) {
				b.Skip("forms used up")
			}
			f := fs[next]
			next++
			if _, err := db.SaveSubmission(ctx, &Submission{FormID: f.ID, CampaignID: camp.ID, Channel: "online", Digest: f.Code,
				Respondent: "{}", ReceivedAt: db.Now(), Valid: true, Reasons: "[]", Answers: []UnitAnswers{{UnitID: ids["SNV"], Answers: answers, Valid: true}}}); err != nil {
				b.Fatal(err)
			}
		}
	})
	sub := &Submission{FormID: fs[0].ID, CampaignID: camp.ID, Channel: "online", Digest: "x", Respondent: "{}", ReceivedAt: db.Now(),
		Answers: []UnitAnswers{{UnitID: ids["SNV"], Answers: answers}}}
	b.Run("the seal alone", func(b *testing.B) {
		for b.Loop() {
			if err := db.Write(ctx, func(tx *sql.Tx) error {
				return sealSubmission(tx, nil, timeText(db.Now()), fs[0].Code, sub, Receipt{ResponseID: 1, Number: "AAAA-BBBB"})
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("an empty write transaction, for comparison", func(b *testing.B) {
		for b.Loop() {
			if err := db.Write(ctx, func(tx *sql.Tx) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
}
