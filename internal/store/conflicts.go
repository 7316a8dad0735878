package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/parsurvey/parsurvey/internal/fault"
)

// The kinds of items in the supervisor's paper queue.
const (
	// ConflictKeyingsDiffer: two keyings of a paper form differ.
	ConflictKeyingsDiffer = "keyings_differ"
	// ConflictAlreadyAnswered: a paper form was keyed under a code that already has a response
	// from another channel.
	ConflictAlreadyAnswered = "already_answered"
)

// Conflict is an item of the supervisor's paper queue.
type Conflict struct {
	ID         int64
	CampaignID int64
	FormID     int64
	Code       string
	Group      string
	Unit       string // "" for a matrix form
	UnitName   string
	Kind       string
	Detail     string
	OpenedAt   time.Time
	ResolvedAt time.Time
	ResolvedBy string
	Resolution string
	Note       string
	// Keyings are the form's keyings (filled by ConflictByID), oldest first.
	Keyings []Keying
	// Response is the form's accepted response, if any (filled by ConflictByID).
	Response *ResponseInfo
	// Batch is the batch the form was keyed from (filled by ConflictByID).
	Batch *Batch
}

// Open reports whether the item still waits for a decision.
func (c *Conflict) Open() bool { return c.ResolvedAt.IsZero() }

const conflictSelect = `SELECT c.id, c.campaign_id, c.form_id, f.code, g.code, ifnull(u.code, ''), ifnull(u.name, ''), c.kind, c.detail,
	c.opened_at, ifnull(c.resolved_at, ''), ifnull(s.full_name, ''), c.resolution, c.note
	FROM paper_conflicts c
	JOIN issued_forms f ON f.id = c.form_id
	JOIN respondent_groups g ON g.id = f.group_id
	LEFT JOIN units u ON u.id = f.unit_id
	LEFT JOIN users s ON s.id = c.resolved_by`

func scanConflict(row scanner) (*Conflict, error) {
	var c Conflict
	var opened, resolved string
	if err := row.Scan(&c.ID, &c.CampaignID, &c.FormID, &c.Code, &c.Group, &c.Unit, &c.UnitName, &c.Kind, &c.Detail,
		&opened, &resolved, &c.ResolvedBy, &c.Resolution, &c.Note); err != nil {
		return nil, notFound(err)
	}
	c.OpenedAt, c.ResolvedAt = parseTime(opened), parseTime(resolved)
	return &c, nil
}

// Conflicts lists a campaign's queue: the open items oldest first, or the resolved ones latest first.
func (db *DB) Conflicts(ctx context.Context, campaignID int64, open bool) ([]Conflict, error) {
	q := conflictSelect + ` WHERE c.campaign_id = ? AND c.resolved_at IS NULL ORDER BY c.id`
	if !open {
		q = conflictSelect + ` WHERE c.campaign_id = ? AND c.resolved_at IS NOT NULL ORDER BY c.resolved_at DESC, c.id DESC LIMIT 500`
	}
	var out []Conflict
	err := db.eachRow(ctx, q, []any{campaignID}, func(s scanner) error {
		c, err := scanConflict(s)
		if err != nil {
			return err
		}
		out = append(out, *c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: paper queue: %w", err)
	}
	return out, nil
}

// OpenConflicts counts a campaign's open queue items.
func (db *DB) OpenConflicts(ctx context.Context, campaignID int64) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM paper_conflicts WHERE campaign_id = ? AND resolved_at IS NULL`, campaignID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count paper queue: %w", err)
	}
	return n, nil
}

// ConflictByID returns a queue item with the form's keyings, its response and its batch.
func (db *DB) ConflictByID(ctx context.Context, id int64) (*Conflict, error) {
	c, err := scanConflict(db.read.QueryRowContext(ctx, conflictSelect+` WHERE c.id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("store: queue item %d: %w", id, err)
	}
	if c.Keyings, err = formKeyings(ctx, db.read, c.FormID); err != nil {
		return nil, err
	}
	if c.Response, err = responseInfo(ctx, db.read, c.FormID); err != nil {
		return nil, err
	}
	if len(c.Keyings) > 0 {
		if c.Batch, err = db.BatchByID(ctx, c.Keyings[0].BatchID); err != nil {
			return nil, fmt.Errorf("store: batch of queue item %d: %w", id, err)
		}
	}
	return c, nil
}

// ErrResolved is returned when deciding a queue item that was already decided.
var ErrResolved = fault.Sentinel(fault.Conflict, "store: queue item already resolved")

// Adjudicate records a supervisor's decision on two differing keyings: in one transaction it
// stores the accepted response, the decisions, and closes the item, and writes the audit log.
func (db *DB) Adjudicate(ctx context.Context, conflictID, userID int64, sub *Submission, decisions string) (Receipt, error) {
	var r Receipt
	err := db.Write(ctx, func(tx *sql.Tx) error {
		c, err := scanConflict(tx.QueryRowContext(ctx, conflictSelect+` WHERE c.id = ?`, conflictID))
		if err != nil {
			return fmt.Errorf("store: queue item %d: %w", conflictID, err)
		}
		if !c.Open() {
			return ErrResolved
		}
		if c.Kind != ConflictKeyingsDiffer {
			return fmt.Errorf("store: queue item %d is not about differing keyings", conflictID)
		}
		sub.FormID, sub.CampaignID = c.FormID, c.CampaignID
		if r, err = db.insertSubmission(tx, sub); err != nil {
			return fmt.Errorf("store: adjudicated response of %s: %w", c.Code, err)
		}
		now := timeText(db.Now())
		if _, err := tx.Exec(`INSERT INTO adjudications (form_id, conflict_id, response_id, decisions, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?)`,
			c.FormID, c.ID, r.ResponseID, decisions, userID, now); err != nil {
			return fmt.Errorf("store: adjudication of %s: %w", c.Code, err)
		}
		if err := closeConflict(tx, c.ID, userID, "adjudicated", "", now); err != nil {
			return err
		}
		return audit(tx, now, userID, "paper.adjudicate", c.CampaignID, c.Code, map[string]any{
			"conflict": c.ID, "response": r.ResponseID, "decisions": json.RawMessage(decisions)})
	})
	return r, err
}

// ErrNothingToKeep is returned when keeping the first response of a queue item whose code has
// no response from another channel than paper, as for two differing keyings of a form nobody
// answered otherwise: such an item is decided item by item from the paper instead.
var ErrNothingToKeep = fault.Sentinel(fault.Conflict, "store: no response from another channel to keep")

// KeepFirst closes a queue item by keeping the response already accepted for the code from
// another channel: the paper keyings stay stored and are never counted. It returns
// ErrNothingToKeep, and changes nothing, when the code has no such response.
func (db *DB) KeepFirst(ctx context.Context, conflictID, userID int64, note string) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		c, err := scanConflict(tx.QueryRowContext(ctx, conflictSelect+` WHERE c.id = ?`, conflictID))
		if err != nil {
			return fmt.Errorf("store: queue item %d: %w", conflictID, err)
		}
		if !c.Open() {
			return ErrResolved
		}
		// Checked here, not by the kind of item: a code with two differing keyings can be
		// answered online while it waits, and then keeping that response is the decision.
		var channel string
		err = tx.QueryRowContext(ctx, `SELECT channel FROM responses WHERE form_id = ? AND channel <> 'paper'`, c.FormID).Scan(&channel)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: keep first for %s (%s): %w", c.Code, c.Kind, ErrNothingToKeep)
		}
		if err != nil {
			return fmt.Errorf("store: response kept for %s: %w", c.Code, err)
		}
		now := timeText(db.Now())
		if err := closeConflict(tx, c.ID, userID, "kept_first", note, now); err != nil {
			return err
		}
		return audit(tx, now, userID, "paper.keep_first", c.CampaignID, c.Code, map[string]any{
			"conflict": c.ID, "kept_channel": channel, "note": note})
	})
}

func closeConflict(tx *sql.Tx, id, userID int64, resolution, note, now string) error {
	res, err := tx.Exec(`UPDATE paper_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ?, note = ? WHERE id = ? AND resolved_at IS NULL`,
		now, userID, resolution, note, id)
	if err != nil {
		return fmt.Errorf("store: close queue item %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrResolved
	}
	return nil
}
