package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store/pgtest"
)

// openTest opens a fresh database: a file in a temporary folder, or a schema of its own on the
// PostgreSQL server named in PARSURVEY_TEST_PG (pgtest).
func openTest(t testing.TB) *DB {
	t.Helper()
	target := filepath.Join(t.TempDir(), "test.db")
	if pgtest.Address() != "" {
		target = pgtest.Schema(t)
	}
	db, err := Open(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func demo(t *testing.T) *campaign.Definition {
	t.Helper()
	def, err := campaign.Load(forms.FS, forms.Demo3Cap)
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// sqliteOnly skips a test of SQLite's own machinery (pragmas, query plans, files) on PostgreSQL,
// which postgres_test.go tests in its own terms.
func sqliteOnly(t testing.TB, db *DB) {
	t.Helper()
	if db.pg() {
		t.Skip("tests SQLite's own machinery; postgres_test.go has PostgreSQL's")
	}
}

func userVersion(t *testing.T, db *DB) int {
	t.Helper()
	var v int
	if err := db.write.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrations(t *testing.T) {
	t.Run("a fresh database reaches the binary's schema version with the settings in force", func(t *testing.T) {
		db := openTest(t)
		sqliteOnly(t, db)
		if got, want := userVersion(t, db), schemaVersion(t); got != want {
			t.Fatalf("user_version = %d, want %d", got, want)
		}
		for _, c := range []struct{ pragma, want string }{
			{"journal_mode", "wal"}, {"foreign_keys", "1"}, {"synchronous", "2"}, {"busy_timeout", "10000"},
		} {
			var got string
			if err := db.read.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("reader PRAGMA %s = %s, want %s", c.pragma, got, c.want)
			}
		}
	})
	t.Run("an older database is upgraded step by step and keeps its rows", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "old.db")
		w, err := sql.Open("sqlite3", dsn(path, false, false))
		if err != nil {
			t.Fatal(err)
		}
		old := &DB{write: w, now: time.Now}
		if err := old.migrateTo(1); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Exec(`INSERT INTO settings (key, value) VALUES ('kept', 'yes')`); err != nil {
			t.Fatal(err)
		}
		w.Close()
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if got := userVersion(t, db); got != schemaVersion(t) {
			t.Fatalf("user_version = %d after upgrade", got)
		}
		if v, _ := db.Setting(context.Background(), "kept"); v != "yes" {
			t.Fatalf("row lost in upgrade: %q", v)
		}
	})
	t.Run("a database from a newer binary is refused", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "new.db")
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.Exec("PRAGMA user_version = 9999"); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if _, err := Open(path); !errors.Is(err, ErrTooNew) {
			t.Fatalf("Open = %v, want ErrTooNew", err)
		}
	})
	t.Run("tables are STRICT and reject a wrong type", func(t *testing.T) {
		db := openTest(t)
		_, err := db.write.Exec(`INSERT INTO users (username, full_name, role, password_hash, disabled, created_at) VALUES ('a', 'A', 'admin', 'h', 'not a number', 'now')`)
		if err == nil {
			t.Fatal("STRICT table accepted text in an INTEGER column")
		}
	})
}

func TestSaveDefinition(t *testing.T) {
	ctx := context.Background()
	t.Run("a new definition creates the campaign with its units and groups", func(t *testing.T) {
		db := openTest(t)
		def := demo(t)
		c, res, err := db.SaveDefinition(ctx, def, 0)
		if err != nil || res != Created {
			t.Fatalf("SaveDefinition = %v, %v", res, err)
		}
		if c.Version != 1 || c.Def.Code != def.Code || len(c.Def.Units) != len(def.Units) {
			t.Fatalf("stored campaign %+v", c)
		}
		if c.Def.Digest() != def.Digest() {
			t.Fatal("definition does not survive a round trip through storage unchanged")
		}
		var n int
		db.read.QueryRow(`SELECT count(*) FROM units WHERE campaign_id = ?`, c.ID).Scan(&n)
		if n != len(def.Units) {
			t.Fatalf("%d units stored, want %d", n, len(def.Units))
		}
	})
	t.Run("the same definition again changes nothing", func(t *testing.T) {
		db := openTest(t)
		db.SaveDefinition(ctx, demo(t), 0)
		c, res, err := db.SaveDefinition(ctx, demo(t), 0)
		if err != nil || res != Unchanged || c.Version != 1 {
			t.Fatalf("got %v v%d %v", res, c.Version, err)
		}
	})
	t.Run("a changed definition without responses becomes a new version", func(t *testing.T) {
		db := openTest(t)
		db.SaveDefinition(ctx, demo(t), 0)
		def := demo(t)
		def.Name += " (sửa)"
		def.Units = def.Units[:len(def.Units)-1]
		c, res, err := db.SaveDefinition(ctx, def, 0)
		if err != nil || res != Updated || c.Version != 2 || !strings.HasSuffix(c.Name, "(sửa)") {
			t.Fatalf("got %v v%d %v", res, c.Version, err)
		}
		var versions int
		db.read.QueryRow(`SELECT count(*) FROM campaign_versions WHERE campaign_id = ?`, c.ID).Scan(&versions)
		if versions != 2 {
			t.Fatalf("%d versions recorded", versions)
		}
		log, _ := db.AuditLog(ctx, c.ID, 10)
		if len(log) != 2 || log[0].Action != "campaign.update" {
			t.Fatalf("audit log %+v", log)
		}
	})
	t.Run("a changed definition for a campaign with responses is refused and nothing changes", func(t *testing.T) {
		db := openTest(t)
		c, _, _ := db.SaveDefinition(ctx, demo(t), 0)
		insertResponse(t, db, c)
		def := demo(t)
		def.Name = "Tên khác"
		_, _, err := db.SaveDefinition(ctx, def, 0)
		if !errors.Is(err, ErrDefinitionLocked) {
			t.Fatalf("err = %v, want ErrDefinitionLocked", err)
		}
		got, _ := db.Campaign(ctx, c.ID)
		if got.Name != c.Name || got.Version != 1 {
			t.Fatalf("campaign changed to %q v%d", got.Name, got.Version)
		}
	})
}

// insertResponse stores one issued form and its response directly, as later features will.
func insertResponse(t *testing.T, db *DB, c *Campaign) {
	t.Helper()
	err := db.Write(context.Background(), func(tx *sql.Tx) error {
		var gid, uid int64
		tx.QueryRow(`SELECT id FROM respondent_groups WHERE campaign_id = ? LIMIT 1`, c.ID).Scan(&gid)
		tx.QueryRow(`SELECT id FROM units WHERE campaign_id = ? LIMIT 1`, c.ID).Scan(&uid)
		fid, err := insertID(tx, `INSERT INTO issued_forms (campaign_id, group_id, unit_id, serial, code, token, channel, issued_at)
			VALUES (?, ?, ?, 1, 'T-1', 'tok', 'online', 'now')`, c.ID, gid, uid)
		if err != nil {
			return err
		}
		_, err = tx.Exec(`INSERT INTO responses (campaign_id, form_id, channel, body_digest, receipt, received_at, created_at)
			VALUES (?, ?, 'online', 'd', 'R1', 'now', 'now')`, c.ID, fid)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUsersAndSessions(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	u := &User{Username: "Lan", FullName: "Nguyễn Thị Lan", Role: RoleSupervisor, PasswordHash: "h"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	t.Run("user names are unique whatever their case", func(t *testing.T) {
		err := db.CreateUser(ctx, &User{Username: "lan", FullName: "x", Role: RoleAdmin, PasswordHash: "h"})
		if !errors.Is(err, ErrDuplicate) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a session finds its user until it expires or is deleted", func(t *testing.T) {
		if err := db.CreateSession(ctx, "secret-token", "", u.ID, time.Hour); err != nil {
			t.Fatal(err)
		}
		got, err := db.SessionUser(ctx, "secret-token", time.Hour)
		if err != nil || got.Username != "Lan" {
			t.Fatalf("SessionUser = %v, %v", got, err)
		}
		var stored string
		db.read.QueryRow(`SELECT token_hash FROM sessions`).Scan(&stored)
		if stored == "secret-token" {
			t.Fatal("session token stored in clear")
		}
		// Sessions follow the wall clock, not the campaign clock a rehearsal moves.
		db.SetClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
		if _, err := db.SessionUser(ctx, "secret-token", 3*time.Hour); err != nil {
			t.Fatalf("a moved campaign clock ended the session: %v", err)
		}
		db.SetClock(time.Now)
		db.wall = func() time.Time { return time.Now().Add(2 * time.Hour) }
		if _, err := db.SessionUser(ctx, "secret-token", 3*time.Hour); !errors.Is(err, ErrNotFound) {
			t.Fatalf("expired session still valid: %v", err)
		}
		db.wall = time.Now
		db.DeleteSession(ctx, "secret-token")
		if _, err := db.SessionUser(ctx, "secret-token", time.Hour); !errors.Is(err, ErrNotFound) {
			t.Fatal("deleted session still valid")
		}
	})
	t.Run("a session unused for longer than the idle time ends", func(t *testing.T) {
		db.CreateSession(ctx, "idle", "", u.ID, time.Hour)
		db.wall = func() time.Time { return time.Now().Add(20 * time.Minute) }
		defer func() { db.wall = time.Now }()
		if _, err := db.SessionUser(ctx, "idle", 15*time.Minute); !errors.Is(err, ErrNotFound) {
			t.Fatalf("idle session still valid: %v", err)
		}
		if _, err := db.SessionUser(ctx, "idle", 30*time.Minute); err != nil {
			t.Fatalf("a session used within the idle time ended: %v", err)
		}
	})
	t.Run("signing in again ends the browser's previous session", func(t *testing.T) {
		db.CreateSession(ctx, "before", "", u.ID, time.Hour)
		db.CreateSession(ctx, "after", "before", u.ID, time.Hour)
		if _, err := db.SessionUser(ctx, "before", time.Hour); !errors.Is(err, ErrNotFound) {
			t.Fatal("the replaced session still signs in")
		}
	})
	t.Run("a reset by an administrator asks for a new password at the next sign-in", func(t *testing.T) {
		if err := db.ResetPassword(ctx, u.ID, "h3", 0); err != nil {
			t.Fatal(err)
		}
		got, _ := db.UserByID(ctx, u.ID)
		if !got.MustChangePassword {
			t.Fatal("reset did not ask for a change")
		}
		db.SetPassword(ctx, u.ID, "h4")
		if got, _ := db.UserByID(ctx, u.ID); got.MustChangePassword {
			t.Fatal("the user's own change still asks for one")
		}
	})
	t.Run("a password change ends the user's sessions", func(t *testing.T) {
		db.CreateSession(ctx, "tok2", "", u.ID, time.Hour)
		if err := db.SetPassword(ctx, u.ID, "h2"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionUser(ctx, "tok2", time.Hour); !errors.Is(err, ErrNotFound) {
			t.Fatal("session survived a password change")
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if err := db.Audit(ctx, 0, "test.event", 0, "x", map[string]int{"n": 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.Exec(`UPDATE audit_log SET action = 'changed'`); err == nil {
		t.Fatal("audit log row was updated")
	}
	if _, err := db.write.Exec(`DELETE FROM audit_log`); err == nil {
		t.Fatal("audit log row was deleted")
	}
	log, _ := db.AuditLog(ctx, 0, 5)
	if len(log) != 1 || log[0].Action != "test.event" || log[0].Detail != `{"n":1}` {
		t.Fatalf("log = %+v", log)
	}
}

func TestSecretIsCreatedOnceAndKept(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	a, err := db.Secret(ctx, "csrf")
	if err != nil || len(a) != 32 {
		t.Fatalf("Secret = %x, %v", a, err)
	}
	b, err := db.Secret(ctx, "csrf")
	if err != nil || string(a) != string(b) {
		t.Fatalf("second Secret = %x, %v; want the first %x", b, err, a)
	}
	if c, _ := db.Secret(ctx, "other"); string(c) == string(a) {
		t.Fatal("two names share one key")
	}
}

func TestASubmissionAfterTheWriterClosedIsRefusedNotPanicking(t *testing.T) {
	db := openTest(t)
	c := db.NewCommitter()
	c.Close()
	c.Close() // twice is harmless
	if _, err := c.Submit(context.Background(), &Submission{FormID: 1}); !errors.Is(err, ErrWriterClosed) {
		t.Fatalf("Submit after Close: %v", err)
	}
}

// schemaVersion is the schema version this binary writes: its number of migrations.
func schemaVersion(t *testing.T) int {
	t.Helper()
	ms, err := loadMigrations(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

func TestAScratchDatabaseSkipsOnlyTheFlush(t *testing.T) {
	db, err := OpenScratch(filepath.Join(t.TempDir(), "scratch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, p := range []struct{ name, want string }{{"synchronous", "0"}, {"journal_mode", "wal"}, {"foreign_keys", "1"}} {
		var got string
		if err := db.write.QueryRow("PRAGMA " + p.name).Scan(&got); err != nil || got != p.want {
			t.Errorf("PRAGMA %s = %q, %v; want %q", p.name, got, err, p.want)
		}
	}
}
