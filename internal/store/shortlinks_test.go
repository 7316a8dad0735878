package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/formcode"
)

// shortCodes returns every form's short code, checking each is one formcode would read.
func shortCodes(t *testing.T, db *DB) []string {
	t.Helper()
	rows, err := db.read.Query(`SELECT code, short_code FROM issued_forms ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	seen := map[string]string{}
	for rows.Next() {
		var code, short string
		if err := rows.Scan(&code, &short); err != nil {
			t.Fatal(err)
		}
		if got, ok := formcode.ReadShortCode(short); !ok || got != short {
			t.Errorf("form %s has short code %q", code, short)
		}
		if other, dup := seen[short]; dup {
			t.Errorf("forms %s and %s share short code %q", other, code, short)
		}
		seen[short] = code
		out = append(out, short)
	}
	return out
}

func TestShortLinks(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	c, _, err := db.SaveDefinition(ctx, demo(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := c.Def.IssuePlan("S2", "SNV", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Issue(ctx, c.ID, 0, plan); err != nil {
		t.Fatal(err)
	}

	t.Run("every issued form gets its own short code", func(t *testing.T) {
		if got := shortCodes(t, db); len(got) != plan[0].Quota {
			t.Fatalf("%d short codes for %d forms", len(got), plan[0].Quota)
		}
	})
	t.Run("a short code finds the same form as its token", func(t *testing.T) {
		f, err := db.FormByCode(ctx, formcode.New("S2", "SNV", 3))
		if err != nil {
			t.Fatal(err)
		}
		short, err := db.FormByShortLink(ctx, f.Short)
		if err != nil {
			t.Fatal(err)
		}
		long, err := db.FormByLink(ctx, f.Token)
		if err != nil {
			t.Fatal(err)
		}
		if *short != *long {
			t.Fatalf("short link gives %+v, token %+v", short, long)
		}
	})
	t.Run("an unknown short code is not found", func(t *testing.T) {
		if _, err := db.FormByShortLink(ctx, "zzzzzzzzzzzz"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a voided form's short link says it is voided, and its replacement has another", func(t *testing.T) {
		old, _ := db.FormByCode(ctx, formcode.New("S2", "SNV", 1))
		rep, err := db.VoidForm(ctx, old.Code, "mất phiếu", true, 0)
		if err != nil {
			t.Fatal(err)
		}
		f, err := db.FormByShortLink(ctx, old.Short)
		if err != nil || !f.Voided {
			t.Fatalf("voided form by short link: %+v, %v", f, err)
		}
		if rep.Short == "" || rep.Short == old.Short {
			t.Fatalf("replacement short code %q, voided %q", rep.Short, old.Short)
		}
	})
	t.Run("a form inserted without a short code gets one from the database", func(t *testing.T) {
		// Every way of issuing, present and future, ends in an INSERT: the trigger covers them all.
		err := db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO issued_forms (campaign_id, group_id, unit_id, serial, code, token, channel, issued_at)
				SELECT campaign_id, group_id, unit_id, 900, 'RAW-1', 'rawtoken', channel, issued_at FROM issued_forms LIMIT 1`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		shortCodes(t, db)
	})
}

// TestShortLinksBackfillFormsIssuedBefore opens a database of schema 4 holding issued forms,
// as a campaign under way would have it, and upgrades it: every form gets a short code.
func TestShortLinksBackfillFormsIssuedBefore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	w, err := sql.Open("sqlite3", dsn(path, false, false))
	if err != nil {
		t.Fatal(err)
	}
	old := &DB{write: w, now: time.Now}
	if err := old.migrateTo(4); err != nil {
		t.Fatal(err)
	}
	const forms = 500
	steps := []string{
		`INSERT INTO campaigns (id, code, name, year, version, digest, definition, loaded_at) VALUES (1, 'c', 'c', 2026, 1, 'd', '{}', 'now')`,
		`INSERT INTO respondent_groups (id, campaign_id, code, name, evaluates) VALUES (1, 1, 'S2', 'n', 'so')`,
		`INSERT INTO units (id, campaign_id, code, kind, name) VALUES (1, 1, 'SNV', 'so', 'Sở Nội vụ')`,
	}
	for i := 1; i <= forms; i++ {
		steps = append(steps, fmt.Sprintf(`INSERT INTO issued_forms (campaign_id, group_id, unit_id, serial, code, token, channel, issued_at)
			VALUES (1, 1, 1, %d, '%s', 'tok%d', 'paper', 'now')`, i, formcode.New("S2", "SNV", i), i))
	}
	for _, q := range steps {
		if _, err := w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := shortCodes(t, db); len(got) != forms {
		t.Fatalf("%d short codes after the upgrade, want %d", len(got), forms)
	}
	f, err := db.FormByCode(context.Background(), formcode.New("S2", "SNV", 7))
	if err != nil {
		t.Fatal(err)
	}
	if lf, err := db.FormByShortLink(context.Background(), f.Short); err != nil || lf.Token != "tok7" {
		t.Fatalf("short link of a form issued before: %+v, %v", lf, err)
	}
}
