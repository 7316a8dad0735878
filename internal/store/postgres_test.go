package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/store/pgtest"
)

func TestRebindTurnsPlaceholdersIntoPostgresOnes(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`},
		{`SELECT ?2, ?1, ?2`, `SELECT $2, $1, $2`},
		{`SELECT '?', "a?b", ? -- is it?` + "\n" + `, ?`, `SELECT '?', "a?b", $1 -- is it?` + "\n" + `, $2`},
		{`SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
		{`SELECT '$."' || ? || '"'`, `SELECT '$."' || $1 || '"'`},
		{`SELECT 'unterminated ?`, `SELECT 'unterminated ?`},
	} {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// openPostgres opens a schema of the test's own on PARSURVEY_TEST_PG, skipping without it, and
// returns its address, so that a test can open it again as a second node.
func openPostgresTest(t *testing.T) (*DB, string) {
	t.Helper()
	addr := pgtest.Schema(t)
	db, err := Open(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, addr
}

// secondNode opens the same PostgreSQL database again, as another parsurvey node would.
func secondNode(t *testing.T, addr string) *DB {
	t.Helper()
	db, err := Open(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestPostgresSchema(t *testing.T) {
	db, addr := openPostgresTest(t)
	ctx := context.Background()
	t.Run("a fresh database reaches the PostgreSQL migrations' version, and opening it again changes nothing", func(t *testing.T) {
		ms, err := loadMigrations(Postgres)
		if err != nil {
			t.Fatal(err)
		}
		var v int
		if err := db.ReadRow(ctx, `SELECT version FROM schema_version`, nil, &v); err != nil || v != len(ms) {
			t.Fatalf("schema_version = %d, %v; want %d", v, err, len(ms))
		}
		secondNode(t, addr)
		var rows int
		if err := db.ReadRow(ctx, `SELECT count(*) FROM schema_version`, nil, &rows); err != nil || rows != 1 {
			t.Fatalf("schema_version rows = %d, %v", rows, err)
		}
	})
	t.Run("a database written by a newer parsurvey is refused", func(t *testing.T) {
		if _, err := db.write.Exec(`UPDATE schema_version SET version = version + 1`); err != nil {
			t.Fatal(err)
		}
		defer db.write.Exec(`UPDATE schema_version SET version = version - 1`)
		if _, err := Open(addr); !errors.Is(err, ErrTooNew) {
			t.Fatalf("open = %v, want ErrTooNew", err)
		}
	})
	t.Run("columns refuse a value of the wrong type, as SQLite's STRICT tables do", func(t *testing.T) {
		_, err := db.write.Exec(`INSERT INTO campaigns (code, name, year, version, digest, definition, loaded_at) VALUES ('x', 'x', 'năm', 1, '', '{}', '')`)
		if err == nil || !strings.Contains(err.Error(), "22P02") {
			t.Fatalf("a text year was stored: %v", err)
		}
	})
	t.Run("the reader pool cannot write", func(t *testing.T) {
		_, err := db.read.Exec(`INSERT INTO settings (key, value) VALUES ('x', 'y')`)
		if err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Fatalf("a reader wrote: %v", err)
		}
	})
	t.Run("text sorts byte by byte, as on SQLite, whatever the cluster's locale", func(t *testing.T) {
		var got string
		err := db.ReadRow(ctx, `SELECT string_agg(c, ',' ORDER BY c) FROM (SELECT CAST(v AS TEXT) COLLATE "C" AS c FROM (VALUES ('b'), ('B'), ('a-2'), ('a1')) x(v)) y`, nil, &got)
		if err != nil || got != "B,a-2,a1,b" {
			t.Fatalf("order %q, %v", got, err)
		}
		if _, err := db.write.Exec(`INSERT INTO settings (key, value) VALUES ('b', ''), ('B', ''), ('a-2', ''), ('a1', '')`); err != nil {
			t.Fatal(err)
		}
		if err := db.ReadRow(ctx, `SELECT string_agg(key, ',' ORDER BY key) FROM settings WHERE key IN ('b', 'B', 'a-2', 'a1')`, nil, &got); err != nil || got != "B,a-2,a1,b" {
			t.Fatalf("settings keys in order %q, %v", got, err)
		}
	})
	t.Run("user names are unique whatever their case", func(t *testing.T) {
		if err := db.CreateUser(ctx, &User{Username: "Lan", FullName: "Lan", Role: RoleViewer, PasswordHash: "h"}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateUser(ctx, &User{Username: "lan", FullName: "Lan 2", Role: RoleViewer, PasswordHash: "h"}); !errors.Is(err, ErrDuplicate) {
			t.Fatalf("a second lan: %v", err)
		}
		if u, err := db.UserByName(ctx, "LAN"); err != nil || u.Username != "Lan" {
			t.Fatalf("LAN signs in as %+v, %v", u, err)
		}
	})
}

func TestPostgresAuditIsAppendOnlyInTheDatabase(t *testing.T) {
	db, _ := openPostgresTest(t)
	ctx := context.Background()
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		return audit(tx, timeText(db.Now()), 0, "test.entry", 0, "", map[string]string{})
	}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE audit_log SET action = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		if _, err := db.write.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
	rep, err := db.Verify(ctx)
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("verify on an untouched database: %+v, %v", rep, err)
	}
	if _, err := db.write.Exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`); err != nil {
		t.Fatal(err)
	}
	rep, err = db.Verify(ctx)
	if err != nil || len(rep.Problems) == 0 || !strings.Contains(strings.Join(rep.Problems, "\n"), "audit_log_no_update") {
		t.Fatalf("verify with a trigger disabled: %+v, %v", rep, err)
	}
}

func TestPostgresRecordsChangesMadeOutsideParsurvey(t *testing.T) {
	db, _ := openPostgresTest(t)
	ctx := context.Background()
	camp, _, err := db.SaveDefinition(ctx, demo(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	insertResponse(t, db, camp)
	if _, err := db.write.Exec(`UPDATE responses SET respondent = '{"gioi_tinh":"2"}'`); err != nil {
		t.Fatalf("an update outside parsurvey: %v", err)
	}
	if _, err := db.write.Exec(`DELETE FROM responses`); err != nil {
		t.Fatalf("a delete outside parsurvey: %v", err)
	}
	var changed, deleted int
	if err := db.ReadRow(ctx, `SELECT count(*) FILTER (WHERE action = 'db.response_changed'), count(*) FILTER (WHERE action = 'db.response_deleted') FROM audit_log`,
		nil, &changed, &deleted); err != nil || changed != 1 || deleted != 1 {
		t.Fatalf("audit rows: %d changed, %d deleted, %v", changed, deleted, err)
	}
	// The rows the triggers wrote carry no hash: verify names them.
	rep, err := db.Verify(ctx)
	if err != nil || len(rep.Problems) == 0 {
		t.Fatalf("verify after changes outside parsurvey: %+v, %v", rep, err)
	}
}

func TestPostgresTwoNodesStoreEachResponseOnce(t *testing.T) {
	a, addr := openPostgresTest(t)
	b := secondNode(t, addr)
	ctx := context.Background()
	camp, _, err := a.SaveDefinition(ctx, demo(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := camp.Def.IssuePlan("", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Issue(ctx, camp.ID, 0, plan); err != nil {
		t.Fatal(err)
	}
	var forms []*IssuedForm
	a.Forms(ctx, camp.ID, FormFilter{Channel: "online"}, func(f *IssuedForm) error {
		if f.Unit != "" && len(forms) < 60 {
			forms = append(forms, f)
		}
		return nil
	})
	units, err := a.UnitIDs(ctx, camp.ID)
	if err != nil || len(forms) < 60 {
		t.Fatalf("%d forms, %v", len(forms), err)
	}
	ca, cb := a.NewCommitter(), b.NewCommitter()
	defer ca.Close()
	defer cb.Close()
	sub := func(f *IssuedForm, digest string) *Submission {
		return &Submission{FormID: f.ID, CampaignID: camp.ID, Channel: "online", SubmissionID: digest + f.Code, Digest: digest,
			Respondent: "{}", ReceivedAt: time.Now(), Valid: true, Reasons: "[]",
			Answers: []UnitAnswers{{UnitID: units[f.Unit], Answers: "1111", Valid: true}}}
	}
	type outcome struct {
		r   Receipt
		err error
	}
	results := make([][2]outcome, len(forms))
	var wg sync.WaitGroup
	for i, f := range forms {
		// The even forms get the same submission on both nodes (a double tap reaching two
		// nodes); the odd ones different answers (two devices with one code).
		da, db := "same", "same"
		if i%2 == 1 {
			da, db = "first", "second"
		}
		wg.Add(2)
		go func() { defer wg.Done(); r, err := ca.Submit(ctx, sub(f, da)); results[i][0] = outcome{r, err} }()
		go func() { defer wg.Done(); r, err := cb.Submit(ctx, sub(f, db)); results[i][1] = outcome{r, err} }()
	}
	wg.Wait()
	for i, f := range forms {
		x, y := results[i][0], results[i][1]
		if i%2 == 0 {
			if x.err != nil || y.err != nil || x.r.Number != y.r.Number || x.r.Replayed == y.r.Replayed {
				t.Errorf("%s, one submission on two nodes: %+v / %+v", f.Code, x, y)
			}
			continue
		}
		if (x.err == nil) == (y.err == nil) || !errors.Is(errors.Join(x.err, y.err), ErrConflict) {
			t.Errorf("%s, two answers on two nodes: %+v / %+v", f.Code, x, y)
		}
	}
	var stored, codes int
	if err := b.ReadRow(ctx, `SELECT count(*), count(DISTINCT form_id) FROM responses WHERE campaign_id = ?`, []any{camp.ID}, &stored, &codes); err != nil {
		t.Fatal(err)
	}
	if stored != len(forms) || codes != len(forms) {
		t.Fatalf("%d responses for %d codes, want %d each", stored, codes, len(forms))
	}
	rep, err := b.Verify(ctx)
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("verify after two nodes wrote: %+v, %v", rep, err)
	}
}

func TestPostgresChangesReachTheOtherNode(t *testing.T) {
	a, addr := openPostgresTest(t)
	b := secondNode(t, addr)
	ctx := context.Background()
	got := make(chan Change, 16)
	b.OnChange(func(c Change) { got <- c })
	camp, _, err := a.SaveDefinition(ctx, demo(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	wait := func(what string) {
		t.Helper()
		for {
			select {
			case c := <-got:
				if c.Kind == ChangeCampaign && c.CampaignID == camp.ID {
					return
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("node b heard nothing of %s", what)
			}
		}
	}
	wait("the new campaign")
	if err := a.LockCampaign(ctx, camp.ID, 0); err != nil {
		t.Fatal(err)
	}
	wait("the lock")
	t.Run("a change in another schema of the same database is not heard", func(t *testing.T) {
		other, _ := openPostgresTest(t)
		oc, _, err := other.SaveDefinition(ctx, demo(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := other.LockCampaign(ctx, oc.ID, 0); err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-got:
			t.Fatalf("node b heard %+v from another schema", c)
		case <-time.After(500 * time.Millisecond):
		}
	})
	t.Run("a rolled-back change is never announced", func(t *testing.T) {
		err := a.Write(ctx, func(tx *sql.Tx) error {
			noteChange(tx, Change{Kind: ChangeCampaign, CampaignID: 999})
			return errors.New("changed my mind")
		})
		if err == nil {
			t.Fatal("the write did not fail")
		}
		if err := a.LockCampaign(ctx, camp.ID, 0); !errors.Is(err, ErrLocked) {
			t.Fatal(err)
		}
		select {
		case c := <-got:
			if c.CampaignID == 999 {
				t.Fatalf("heard %+v", c)
			}
		case <-time.After(500 * time.Millisecond):
		}
	})
}

func TestPostgresNodesClaimDifferentEmails(t *testing.T) {
	a, addr := openPostgresTest(t)
	nodes := []*DB{a, secondNode(t, addr), secondNode(t, addr)}
	ctx := context.Background()
	const n = 300
	err := a.Write(ctx, func(tx *sql.Tx) error {
		camp, err := insertID(tx, `INSERT INTO campaigns (code, name, year, version, digest, definition, loaded_at) VALUES ('c', 'c', 2026, 1, '', '{}', '')`)
		if err != nil {
			return err
		}
		g, err := insertID(tx, `INSERT INTO respondent_groups (campaign_id, code, name, evaluates) VALUES (?, 'G', 'G', 'x')`, camp)
		if err != nil {
			return err
		}
		send, err := insertID(tx, `INSERT INTO outreach_sends (campaign_id, kind, created_at) VALUES (?, 'invitation', '')`, camp)
		if err != nil {
			return err
		}
		for i := range n {
			f, err := insertID(tx, `INSERT INTO issued_forms (campaign_id, group_id, serial, code, token, channel, issued_at) VALUES (?, ?, ?, ?, ?, 'online', '')`,
				camp, g, i+1, fmt.Sprint("F", i), fmt.Sprint("t", i))
			if err != nil {
				return err
			}
			p, err := insertID(tx, `INSERT INTO respondents (campaign_id, group_id, form_id, full_name, email, imported_at) VALUES (?, ?, ?, 'Người', ?, '')`,
				camp, g, f, fmt.Sprintf("n%d@example.vn", i))
			if err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO outreach_messages (campaign_id, respondent_id, kind, channel, send_id, status, created_at)
				VALUES (?, ?, 'invitation', 'email', ?, 'queued', '')`, camp, p, send); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for _, node := range nodes {
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					due, err := node.DueEmails(ctx, time.Now(), 7)
					if err != nil {
						t.Error(err)
						return
					}
					if len(due) == 0 {
						return
					}
					mu.Lock()
					for _, e := range due {
						seen[e.ID]++
					}
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	if len(seen) != n {
		t.Fatalf("%d e-mails claimed, want %d", len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Fatalf("e-mail %d claimed %d times", id, k)
		}
	}
	t.Run("an e-mail whose node died falls due again when its lease ends", func(t *testing.T) {
		due, err := nodes[1].DueEmails(ctx, time.Now().Add(EmailLease+time.Second), 1000)
		if err != nil || len(due) != n {
			t.Fatalf("%d due after the lease, %v", len(due), err)
		}
	})
}
