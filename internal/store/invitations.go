package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// RecordSent records invitations or reminders that staff sent themselves (pasted into Zalo, or
// handed to an SMS gateway as a file): one sent message per person, now. People not on the
// campaign's lists are skipped; it returns how many it recorded.
func (db *DB) RecordSent(ctx context.Context, campaignID, userID int64, kind, channel string, respondentIDs []int64) (int, error) {
	n := 0
	err := db.Write(ctx, func(tx *sql.Tx) error {
		now := timeText(db.Now())
		st, err := tx.Prepare(`INSERT INTO outreach_messages (campaign_id, respondent_id, kind, channel, status, created_at, created_by, sent_at)
			SELECT campaign_id, id, ?, ?, 'sent', ?, ?, ? FROM respondents WHERE id = ? AND campaign_id = ?`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range respondentIDs {
			res, err := st.Exec(kind, channel, now, nullID(userID), now, id, campaignID)
			if err != nil {
				return fmt.Errorf("store: record %s by %s: %w", kind, channel, err)
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
		return audit(tx, now, userID, "invitations.record", campaignID, "", map[string]any{"kind": kind, "channel": channel, "people": n})
	})
	return n, err
}

// QueueEmails queues one e-mail per person as a new send, for the background sender; a person
// whose earlier e-mail is still waiting gets no second one. It returns the send's id and how
// many it queued.
func (db *DB) QueueEmails(ctx context.Context, campaignID, userID int64, kind, scope string, respondentIDs []int64) (int64, int, error) {
	var sendID int64
	n := 0
	err := db.Write(ctx, func(tx *sql.Tx) error {
		now := timeText(db.Now())
		newID, err := insertID(tx, `INSERT INTO outreach_sends (campaign_id, kind, scope, created_at, created_by) VALUES (?, ?, ?, ?, ?)`,
			campaignID, kind, scope, now, nullID(userID))
		if err != nil {
			return fmt.Errorf("store: new send: %w", err)
		}
		sendID = newID
		st, err := tx.Prepare(`INSERT INTO outreach_messages (campaign_id, respondent_id, kind, channel, send_id, status, created_at, created_by)
			SELECT campaign_id, id, ?, 'email', ?, 'queued', ?, ? FROM respondents WHERE id = ? AND campaign_id = ? AND email <> ''
			ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range respondentIDs {
			res, err := st.Exec(kind, sendID, now, nullID(userID), id, campaignID)
			if err != nil {
				return fmt.Errorf("store: queue e-mail: %w", err)
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
		return audit(tx, now, userID, "invitations.queue", campaignID, scope, map[string]any{"kind": kind, "channel": "email", "send": sendID, "people": n})
	})
	if err != nil {
		return 0, 0, err
	}
	return sendID, n, nil
}

// QueuedEmail is an e-mail waiting to go out, with what its text needs.
type QueuedEmail struct {
	ID         int64
	CampaignID int64
	Kind       string
	Attempts   int
	Name       string
	Position   string
	Email      string
	Group      string
	Unit       string
	Code       string
	Token      string
	// Short is the form's short link code.
	Short string
	// Answered, Voided and Closed say the e-mail should no longer go out: the person answered,
	// the form was voided, or the campaign was locked.
	Answered, Voided, Closed bool
}

// EmailLease is how long an e-mail DueEmails hands out stays this node's to send: until then no
// node takes it again; a node that dies with it lets it fall due again when the lease ends (so
// an e-mail whose server accepted it just before such a death may go twice, never none).
const EmailLease = 10 * time.Minute

// DueEmails claims and returns up to limit queued e-mails whose time has come, oldest first. The
// claim moves each one's next_at to now + EmailLease; SaveEmailOutcomes then records what became
// of it. Nodes claiming at once get different e-mails (Claim, FOR UPDATE SKIP LOCKED).
func (db *DB) DueEmails(ctx context.Context, now time.Time, limit int) ([]QueuedEmail, error) {
	var ids []any
	err := db.claim(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE outreach_messages SET next_at = ? WHERE id IN (
			SELECT id FROM outreach_messages WHERE status = 'queued' AND next_at <= ? ORDER BY next_at, id LIMIT ?`+db.skipLocked()+`)
			RETURNING id`, timeText(now.Add(EmailLease)), timeText(now), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil || len(ids) == 0 {
		if err != nil {
			err = fmt.Errorf("store: claim due e-mails: %w", err)
		}
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT m.id, m.campaign_id, m.kind, m.attempts, p.full_name, p.position, p.email,
		g.code, ifnull(u.code, ''), f.code, f.token, f.short_code,
		EXISTS (SELECT 1 FROM responses r WHERE r.form_id = f.id), f.voided_at IS NOT NULL, c.locked_at IS NOT NULL
		FROM outreach_messages m
		JOIN campaigns c ON c.id = m.campaign_id
		JOIN respondents p ON p.id = m.respondent_id
		JOIN respondent_groups g ON g.id = p.group_id
		LEFT JOIN units u ON u.id = p.unit_id
		JOIN issued_forms f ON f.id = p.form_id
		WHERE m.id IN (`+placeholders(len(ids))+`) ORDER BY m.id`, ids...)
	if err != nil {
		return nil, fmt.Errorf("store: due e-mails: %w", err)
	}
	defer rows.Close()
	var out []QueuedEmail
	for rows.Next() {
		var q QueuedEmail
		if err := rows.Scan(&q.ID, &q.CampaignID, &q.Kind, &q.Attempts, &q.Name, &q.Position, &q.Email, &q.Group, &q.Unit, &q.Code, &q.Token, &q.Short, &q.Answered, &q.Voided, &q.Closed); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// NextQueued returns when the earliest queued e-mail may be tried, and whether any is queued.
func (db *DB) NextQueued(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullString
	if err := db.read.QueryRowContext(ctx, `SELECT min(next_at) FROM outreach_messages WHERE status = 'queued'`).Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("store: next queued e-mail: %w", err)
	}
	return parseTime(next.String), next.Valid, nil
}

// EmailOutcome is what became of one attempt at an e-mail: sent, failed for good, or queued
// again to be tried at NextAt.
type EmailOutcome struct {
	ID     int64
	Status string // sent, failed, skipped or queued
	Error  string
	NextAt time.Time
}

// SaveEmailOutcomes records attempts, each adding one to its e-mail's count, in one transaction.
func (db *DB) SaveEmailOutcomes(ctx context.Context, outs []EmailOutcome) error {
	if len(outs) == 0 {
		return nil
	}
	return db.Write(ctx, func(tx *sql.Tx) error {
		now := timeText(db.Now())
		st, err := tx.Prepare(`UPDATE outreach_messages SET status = ?1, attempts = attempts + 1, error = ?2, next_at = ?3,
			sent_at = CASE WHEN ?1 = 'sent' THEN ?4 END WHERE id = ?5 AND status = 'queued'`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, o := range outs {
			next := ""
			if o.Status == "queued" {
				next = timeText(o.NextAt)
			}
			if _, err := st.Exec(o.Status, o.Error, next, now, o.ID); err != nil {
				return fmt.Errorf("store: save e-mail %d: %w", o.ID, err)
			}
		}
		return nil
	})
}

// Send is one e-mail run with its progress.
type Send struct {
	ID      int64
	Kind    string
	Scope   string
	Created time.Time
	By      string
	Queued  int
	Sent    int
	Failed  int
	// Skipped counts e-mails not sent because the person answered first, their form was voided
	// or the campaign closed.
	Skipped  int
	Failures []SendFailure
}

// Total is how many e-mails the send holds.
func (s *Send) Total() int { return s.Queued + s.Sent + s.Failed + s.Skipped }

// Done is how many of them are settled: sent, failed or skipped.
func (s *Send) Done() int { return s.Sent + s.Failed + s.Skipped }

// SendFailure is a person whose e-mail could not be delivered, with the server's last answer.
type SendFailure struct {
	Name, Email, Error string
	Attempts           int
}

const sendSelect = `SELECT s.id, s.kind, s.scope, s.created_at, ifnull(u.full_name, ''),
	count(m.id) FILTER (WHERE m.status = 'queued'), count(m.id) FILTER (WHERE m.status = 'sent'), count(m.id) FILTER (WHERE m.status = 'failed'),
	count(m.id) FILTER (WHERE m.status = 'skipped')
	FROM outreach_sends s LEFT JOIN users u ON u.id = s.created_by LEFT JOIN outreach_messages m ON m.send_id = s.id`

func scanSend(row interface{ Scan(...any) error }) (*Send, error) {
	var s Send
	var created string
	if err := row.Scan(&s.ID, &s.Kind, &s.Scope, &created, &s.By, &s.Queued, &s.Sent, &s.Failed, &s.Skipped); err != nil {
		return nil, notFound(err)
	}
	s.Created = parseTime(created)
	return &s, nil
}

// SendProgress returns a send of the campaign with its counts and every failure.
func (db *DB) SendProgress(ctx context.Context, campaignID, sendID int64) (*Send, error) {
	s, err := scanSend(db.read.QueryRowContext(ctx, sendSelect+` WHERE s.id = ? AND s.campaign_id = ? GROUP BY s.id, u.full_name`, sendID, campaignID))
	if err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT p.full_name, p.email, m.error, m.attempts FROM outreach_messages m
		JOIN respondents p ON p.id = m.respondent_id WHERE m.send_id = ? AND m.status = 'failed' ORDER BY m.id`, sendID)
	if err != nil {
		return nil, fmt.Errorf("store: failures of send %d: %w", sendID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var f SendFailure
		if err := rows.Scan(&f.Name, &f.Email, &f.Error, &f.Attempts); err != nil {
			return nil, err
		}
		s.Failures = append(s.Failures, f)
	}
	return s, rows.Err()
}

// Sends returns the campaign's e-mail runs, newest first, with their counts.
func (db *DB) Sends(ctx context.Context, campaignID int64, limit int) ([]*Send, error) {
	rows, err := db.read.QueryContext(ctx, sendSelect+` WHERE s.campaign_id = ? GROUP BY s.id, u.full_name ORDER BY s.id DESC LIMIT ?`, campaignID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: sends: %w", err)
	}
	defer rows.Close()
	var out []*Send
	for rows.Next() {
		s, err := scanSend(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
