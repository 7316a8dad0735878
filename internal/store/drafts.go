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

// Draft is a respondent's answers to one form kept on the server before the form is submitted,
// so that the same link opened on another device continues where the respondent stopped.
type Draft struct {
	FormID int64
	// Values are the form's fields by posted name ("r_…", "q_…", "s_…"), as the page posts them.
	Values map[string]string
	// SubmissionID is the client's id of the submission in progress, kept so that every device
	// submits under the same id.
	SubmissionID string
	// Revision counts the saves; a save names the revision it was made from.
	Revision int
	SavedAt  time.Time
}

// AnyRevision, as the base of SaveDraft, saves over whatever draft is stored.
const AnyRevision = -1

// ErrDraftStale is returned when a draft is saved from a revision that is no longer the
// stored one: another device saved in between, and its answers would be lost.
var ErrDraftStale = fault.Sentinel(fault.Conflict, "store: draft changed since it was read")

// Draft returns the stored draft of a form, or ErrNotFound.
func (db *DB) Draft(ctx context.Context, formID int64) (*Draft, error) {
	d := &Draft{FormID: formID}
	var answers, saved string
	err := db.read.QueryRowContext(ctx, `SELECT answers, submission_id, revision, saved_at FROM drafts WHERE form_id = ?`, formID).
		Scan(&answers, &d.SubmissionID, &d.Revision, &saved)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("store: draft of form %d: %w", formID, err)
	}
	if err := json.Unmarshal([]byte(answers), &d.Values); err != nil {
		return nil, fmt.Errorf("store: draft of form %d: %w", formID, err)
	}
	d.SavedAt = parseTime(saved)
	return d, nil
}

// SaveDraft stores d as its form's draft if the stored revision is base (0: no draft yet;
// AnyRevision: whatever is stored) and returns the new revision. A form already answered is
// ErrAnswered, a voided one ErrVoided, another base ErrDraftStale: the check and the write are
// one transaction, so a draft never outlives the response that ends it.
func (db *DB) SaveDraft(ctx context.Context, d *Draft, base int) (int, error) {
	answers, err := json.Marshal(d.Values)
	if err != nil {
		return 0, fmt.Errorf("store: draft of form %d: %w", d.FormID, err)
	}
	var rev int
	err = db.Write(ctx, func(tx *sql.Tx) error {
		var answered, voided bool
		if err := tx.QueryRow(`SELECT token_used_at IS NOT NULL, voided_at IS NOT NULL FROM issued_forms WHERE id = ?`, d.FormID).
			Scan(&answered, &voided); err != nil {
			return notFound(err)
		}
		switch {
		case answered:
			return ErrAnswered
		case voided:
			return ErrVoided
		}
		var stored int
		if err := tx.QueryRow(`SELECT revision FROM drafts WHERE form_id = ?`, d.FormID).Scan(&stored); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if base != AnyRevision && base != stored {
			return ErrDraftStale
		}
		return tx.QueryRow(`INSERT INTO drafts (form_id, answers, submission_id, revision, saved_at) VALUES (?, ?, ?, 1, ?)
			ON CONFLICT (form_id) DO UPDATE SET answers = excluded.answers, submission_id = excluded.submission_id,
				revision = drafts.revision + 1, saved_at = excluded.saved_at
			RETURNING revision`, d.FormID, string(answers), d.SubmissionID, timeText(db.Now())).Scan(&rev)
	})
	if err != nil {
		return 0, fmt.Errorf("store: save the draft of form %d: %w", d.FormID, err)
	}
	return rev, nil
}
