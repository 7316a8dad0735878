package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/fault"
)

// NewKeying is one keying of a paper form on its way into the database.
type NewKeying struct {
	BatchID int64
	KeyerID int64
	Code    string
	// Respondent is the JSON of the respondent fields as keyed; Digest fingerprints the keying.
	Respondent string
	Digest     string
	Units      []KeyingUnit
	DurationMS int64

	// Texts are the open answers typed, by item name (text_answers.go).
	Texts map[string]string
}

// KeyingUnit is a keying's answers about one unit, by unit code.
type KeyingUnit struct {
	Unit    string
	Answers string
}

// Keying is a stored keying of a paper form.
type Keying struct {
	ID         int64
	FormID     int64
	BatchID    int64
	KeyerID    int64
	KeyerName  string
	Respondent string
	Digest     string
	// Answers are the keyed answers by unit code.
	Answers    map[string]string
	DurationMS int64
	KeyedAt    time.Time

	// Texts are the open answers typed, by item name.
	Texts map[string]string
}

// ResponseInfo is the accepted response of a form, as the paper checks need it.
type ResponseInfo struct {
	ID      int64
	Channel string
	Receipt string
	Digest  string
	Valid   bool
}

// KeyingState is what the database holds about a form code at the moment a keyer keys it into a
// batch: everything the immediate checks and double entry decide on.
type KeyingState struct {
	Batch *Batch
	// Locked is set when the batch's campaign is locked.
	Locked bool
	// Form is the issued form with the code in the batch's campaign; nil when there is none.
	Form *IssuedForm
	// Mine is this keyer's keying of the form; Others are the other keyers', oldest first.
	Mine   *Keying
	Others []Keying
	// Response is the form's accepted response; nil when there is none.
	Response *ResponseInfo
	// OpenConflict is the kind of the form's open queue item, "" when none; KeptFirst is set
	// when a supervisor kept another channel's response over a keying of this form.
	OpenConflict string
	KeptFirst    bool
	// KeyedInBatch counts the other forms keyed from the batch; FormBatch is the batch the form
	// was first keyed from (0 when never keyed).
	KeyedInBatch int
	FormBatch    int64
}

// KeyingPlan is what the caller decided a keying does, given its state.
type KeyingPlan struct {
	// Submission, when set, is stored as the form's accepted response with the keying.
	Submission *Submission
	// Conflict, when set, opens a queue item of this kind ("keyings_differ", "already_answered").
	Conflict       string
	ConflictDetail any
}

// KeyingSaved says what SaveKeying stored.
type KeyingSaved struct {
	KeyingID   int64
	Receipt    *Receipt
	ConflictID int64
	State      *KeyingState
}

// ErrStale is returned when a keying's state changed between the caller's decision and the
// write; deciding again on the new state is the remedy.
var ErrStale = fault.Sentinel(fault.Conflict, "store: keying state changed since it was read")

// stamp fingerprints everything a keying decision reads from the state, so that SaveKeying can
// tell whether the state it writes under is the one the plan was made on.
func (st *KeyingState) stamp() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d|%t|%d|%d|%s|%t|", st.Batch.ID, st.Locked, st.KeyedInBatch, st.FormBatch, st.OpenConflict, st.KeptFirst)
	if st.Form != nil {
		fmt.Fprintf(&b, "f%d:%t|", st.Form.ID, st.Form.Voided())
	}
	if st.Mine != nil {
		fmt.Fprintf(&b, "m%d|", st.Mine.ID)
	}
	for _, o := range st.Others {
		fmt.Fprintf(&b, "o%d|", o.ID)
	}
	if st.Response != nil {
		fmt.Fprintf(&b, "r%d:%s|", st.Response.ID, st.Response.Channel)
	}
	return b.String()
}

// ErrKeyedTwice is returned when the same keyer keys a form again.
var ErrKeyedTwice = fault.Sentinel(fault.Conflict, "store: form already keyed by this keyer")

// KeyingState reads the state of a code keyed into a batch, for the immediate checks.
func (db *DB) KeyingState(ctx context.Context, batchID int64, code string, keyerID int64) (*KeyingState, error) {
	return keyingState(ctx, db.read, batchID, code, keyerID)
}

func keyingState(ctx context.Context, q reader, batchID int64, code string, keyerID int64) (*KeyingState, error) {
	b, err := batchByID(ctx, q, batchID)
	if err != nil {
		return nil, fmt.Errorf("store: batch %d: %w", batchID, err)
	}
	st := &KeyingState{Batch: b}
	var locked string
	if err := q.QueryRowContext(ctx, `SELECT ifnull(locked_at, '') FROM campaigns WHERE id = ?`, b.CampaignID).Scan(&locked); err != nil {
		return nil, fmt.Errorf("store: campaign of batch %d: %w", batchID, err)
	}
	st.Locked = locked != ""
	st.Form, err = scanForm(q.QueryRowContext(ctx, formSelect+` WHERE f.campaign_id = ? AND f.code = ?`, b.CampaignID, code))
	switch {
	case errors.Is(err, ErrNotFound):
		st.Form = nil
		return st, nil
	case err != nil:
		return nil, fmt.Errorf("store: form %s: %w", code, err)
	}
	keyings, err := formKeyings(ctx, q, st.Form.ID)
	if err != nil {
		return nil, err
	}
	for i := range keyings {
		if i == 0 {
			st.FormBatch = keyings[i].BatchID
		}
		if keyings[i].KeyerID == keyerID {
			st.Mine = &keyings[i]
		} else {
			st.Others = append(st.Others, keyings[i])
		}
	}
	if st.Response, err = responseInfo(ctx, q, st.Form.ID); err != nil {
		return nil, err
	}
	if err := q.QueryRowContext(ctx, `SELECT ifnull((SELECT kind FROM paper_conflicts WHERE form_id = ? AND resolved_at IS NULL), ''),
		EXISTS (SELECT 1 FROM paper_conflicts WHERE form_id = ? AND resolution = 'kept_first'),
		(SELECT count(DISTINCT form_id) FROM keyings WHERE batch_id = ? AND form_id <> ?)`,
		st.Form.ID, st.Form.ID, batchID, st.Form.ID).Scan(&st.OpenConflict, &st.KeptFirst, &st.KeyedInBatch); err != nil {
		return nil, fmt.Errorf("store: queue state of %s: %w", code, err)
	}
	return st, nil
}

// formKeyings returns a form's keyings with their answers, oldest first.
func formKeyings(ctx context.Context, q reader, formID int64) ([]Keying, error) {
	rows, err := q.QueryContext(ctx, `SELECT k.id, k.form_id, k.batch_id, k.keyer_id, u.full_name, k.respondent, k.digest, k.duration_ms, k.keyed_at
		FROM keyings k JOIN users u ON u.id = k.keyer_id WHERE k.form_id = ? ORDER BY k.id`, formID)
	if err != nil {
		return nil, fmt.Errorf("store: keyings of form %d: %w", formID, err)
	}
	var out []Keying
	for rows.Next() {
		var k Keying
		var at string
		if err := rows.Scan(&k.ID, &k.FormID, &k.BatchID, &k.KeyerID, &k.KeyerName, &k.Respondent, &k.Digest, &k.DurationMS, &at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: keyings of form %d: %w", formID, err)
		}
		k.KeyedAt, k.Answers = parseTime(at), map[string]string{}
		out = append(out, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: keyings of form %d: %w", formID, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT a.keying_id, u.code, a.answers FROM keying_answers a
		JOIN keyings k ON k.id = a.keying_id JOIN units u ON u.id = a.unit_id WHERE k.form_id = ?`, formID)
	if err != nil {
		return nil, fmt.Errorf("store: keyed answers of form %d: %w", formID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var unit, answers string
		if err := rows.Scan(&id, &unit, &answers); err != nil {
			return nil, fmt.Errorf("store: keyed answers of form %d: %w", formID, err)
		}
		for i := range out {
			if out[i].ID == id {
				out[i].Answers[unit] = answers
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: keyed answers of form %d: %w", formID, err)
	}
	return out, keyingTexts(ctx, q, formID, out)
}

func responseInfo(ctx context.Context, q reader, formID int64) (*ResponseInfo, error) {
	var r ResponseInfo
	var valid sql.NullBool
	err := q.QueryRowContext(ctx, `SELECT id, channel, receipt, body_digest, valid FROM responses WHERE form_id = ?`, formID).
		Scan(&r.ID, &r.Channel, &r.Receipt, &r.Digest, &valid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: response of form %d: %w", formID, err)
	}
	r.Valid = valid.Bool
	return &r, nil
}

// SaveKeying stores a keying and what the caller planned from state, in one write transaction:
// the keying, the accepted response and the queue item the plan names. It reads the code's
// state again inside the transaction and stores nothing, returning ErrStale, when it is no
// longer the state the plan was made on (another keyer, an online answer or a supervisor came
// in between): the caller decides again on the new state. Two keyers saving the same form at
// once are thus decided one after the other, and no caller's code runs inside the transaction.
func (db *DB) SaveKeying(ctx context.Context, k *NewKeying, planned *KeyingState, plan *KeyingPlan) (*KeyingSaved, error) {
	var out KeyingSaved
	err := db.Write(ctx, func(tx *sql.Tx) error {
		st, err := keyingState(ctx, tx, k.BatchID, k.Code, k.KeyerID)
		if err != nil {
			return err
		}
		if st.stamp() != planned.stamp() {
			return ErrStale
		}
		out = KeyingSaved{State: st}
		if st.Form == nil {
			return fmt.Errorf("store: keying of unknown code %s: %w", k.Code, ErrNotFound)
		}
		now := db.Now()
		newID, err := insertID(tx, `INSERT INTO keyings (campaign_id, form_id, batch_id, keyer_id, respondent, digest, duration_ms, keyed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, st.Batch.CampaignID, st.Form.ID, k.BatchID, k.KeyerID, k.Respondent, k.Digest, k.DurationMS, timeText(now))
		if isUnique(err) {
			return fmt.Errorf("%w: %s", ErrKeyedTwice, k.Code)
		}
		if err != nil {
			return fmt.Errorf("store: insert keying of %s: %w", k.Code, err)
		}
		out.KeyingID = newID
		for _, u := range k.Units {
			res, err := tx.ExecContext(ctx, `INSERT INTO keying_answers (keying_id, unit_id, answers)
				SELECT ?, id, ? FROM units WHERE campaign_id = ? AND code = ?`, out.KeyingID, u.Answers, st.Batch.CampaignID, u.Unit)
			if err != nil {
				return fmt.Errorf("store: insert keyed answers of %s: %w", k.Code, err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("store: keyed answers of %s name unit %s: %w", k.Code, u.Unit, ErrNotFound)
			}
		}
		if err := insertKeyingTexts(ctx, tx, out.KeyingID, k.Texts); err != nil {
			return err
		}
		if plan.Submission != nil {
			s := plan.Submission
			s.FormID, s.CampaignID = st.Form.ID, st.Batch.CampaignID
			r, err := db.insertSubmission(tx, s)
			if err != nil {
				return fmt.Errorf("store: accept keyed form %s: %w", k.Code, err)
			}
			out.Receipt = &r
		}
		if plan.Conflict != "" {
			if out.ConflictID, err = openConflict(tx, st.Batch.CampaignID, st.Form.ID, plan.Conflict, plan.ConflictDetail, now); err != nil {
				return fmt.Errorf("store: queue %s: %w", k.Code, err)
			}
		}
		return audit(tx, timeText(now), k.KeyerID, "paper.key", st.Batch.CampaignID, k.Code, // audit.go
			map[string]any{"batch": k.BatchID, "keying": out.KeyingID, "digest": k.Digest, "queued": plan.Conflict != ""})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ErrInReview is returned when a form already has an open queue item.
var ErrInReview = fault.Sentinel(fault.Conflict, "store: form already waiting for a supervisor")

func openConflict(tx *sql.Tx, campaignID, formID int64, kind string, detail any, now time.Time) (int64, error) {
	if detail == nil {
		detail = map[string]any{}
	}
	b, err := json.Marshal(detail)
	if err != nil {
		return 0, err
	}
	newID, err := insertID(tx, `INSERT INTO paper_conflicts (campaign_id, form_id, kind, detail, opened_at) VALUES (?, ?, ?, ?, ?)`,
		campaignID, formID, kind, string(b), timeText(now))
	if isUnique(err) {
		return 0, ErrInReview
	}
	if err != nil {
		return 0, err
	}
	return newID, nil
}
