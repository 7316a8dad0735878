package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// audit appends one entry to the append-only audit log inside the caller's transaction.
func audit(tx *sql.Tx, at string, userID int64, action string, campaignID int64, subject string, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", action, err)
	}
	var uid, cid any
	if userID > 0 {
		uid = userID
	}
	if campaignID > 0 {
		cid = campaignID
	}
	if _, err := tx.Exec(`INSERT INTO audit_log (at, user_id, action, campaign_id, subject, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		at, uid, action, cid, subject, string(b)); err != nil {
		return fmt.Errorf("store: audit %s: %w", action, err)
	}
	return nil
}

// Audit appends one entry to the audit log on its own.
func (db *DB) Audit(ctx context.Context, userID int64, action string, campaignID int64, subject string, detail any) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		return audit(tx, timeText(db.Now()), userID, action, campaignID, subject, detail)
	})
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID       int64
	At       time.Time
	Username string
	Action   string
	Subject  string
	Detail   string
}

// AuditLog returns the latest entries of a campaign (or of all, for campaignID 0), newest first.
func (db *DB) AuditLog(ctx context.Context, campaignID int64, limit int) ([]AuditEntry, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT a.id, a.at, ifnull(u.username, ''), a.action, a.subject, a.detail
		FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
		WHERE ? = 0 OR a.campaign_id = ? ORDER BY a.id DESC LIMIT ?`, campaignID, campaignID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Username, &e.Action, &e.Subject, &e.Detail); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
