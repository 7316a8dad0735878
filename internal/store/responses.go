package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/parsurvey/parsurvey/internal/fault"
)

// UnitAnswers is a response's answers about one unit (a matrix form has several).
type UnitAnswers struct {
	UnitID  int64
	Answers string
	// Valid says whether the form counts for this unit (a matrix form is judged per unit).
	Valid bool
}

// Submission is one response on its way into the database.
type Submission struct {
	FormID       int64
	CampaignID   int64
	Channel      string // online, paper or import
	SubmissionID string // the client's id; empty for paper and import
	Digest       string // digest of respondent fields and answers
	Respondent   string // JSON of the respondent fields
	Answers      []UnitAnswers
	ReceivedAt   time.Time
	Valid        bool
	Reasons      string // JSON list of failed rules

	// Texts are the open-ended answers (text_answers.go), stored with the response.
	Texts []TextAnswer
}

// Receipt is what the respondent is told: the receipt number of the stored response.
type Receipt struct {
	ResponseID int64
	Number     string
	// Replayed is set when the submission had already been stored: the same receipt again.
	Replayed bool
}

// ErrConflict is returned when a code that is already answered receives different answers.
var ErrConflict = fault.Sentinel(fault.Conflict, "store: form already answered")

// ErrSubmissionReused is returned when a client's submission id already stored a response for
// another form: nothing is stored, and the form itself is not answered.
var ErrSubmissionReused = fault.Sentinel(fault.Conflict, "store: submission id already used for another form")

// ErrCampaignLocked is returned when a response arrives after its campaign was locked.
var ErrCampaignLocked = fault.Sentinel(fault.Closed, "store: campaign locked")

// ErrVoided is returned when a response arrives for a voided form.
var ErrVoided = fault.Sentinel(fault.NotFound, "store: form voided")

// Committer stores submissions with group commit: one goroutine takes every submission waiting
// at that moment and commits them in one transaction, so each acknowledged response is durable
// (synchronous=FULL) while the disk flush is shared by the whole batch.
type Committer struct {
	db   *DB
	in   chan *pending
	done chan struct{}
	// maxBatch caps the submissions committed in one transaction (NewCommitter sets 256).
	maxBatch int
	// mu guards closed: Submit sends under the read lock, Close closes in under the write lock,
	// so a submission arriving during shutdown is refused instead of sent on a closed channel.
	mu     sync.RWMutex
	closed bool
}

// StoredReceipt returns the receipt of the response stored for a form with these answers (the
// digest of Submission), and whether there is one: a resend of a stored submission is known by
// it even when the rules in force would refuse it now.
func (db *DB) StoredReceipt(ctx context.Context, formID int64, digest string) (Receipt, bool, error) {
	var r Receipt
	err := db.read.QueryRowContext(ctx, `SELECT id, receipt FROM responses WHERE form_id = ? AND body_digest = ?`, formID, digest).
		Scan(&r.ResponseID, &r.Number)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("store: receipt of form %d: %w", formID, err)
	}
	r.Replayed = true
	return r, true, nil
}

// ErrWriterClosed is returned by a submission that arrives after the writer was closed.
var ErrWriterClosed = errors.New("store: submission writer closed")

type pending struct {
	sub *Submission
	out chan committed
}

type committed struct {
	receipt Receipt
	err     error
}

// NewCommitter starts the group-commit writer; Close stops it.
func (db *DB) NewCommitter() *Committer {
	c := &Committer{db: db, in: make(chan *pending, 1024), done: make(chan struct{}), maxBatch: 256}
	go c.loop()
	return c
}

// Close stops the writer after the submissions already queued; closing twice is harmless.
func (c *Committer) Close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.in)
	}
	c.mu.Unlock()
	<-c.done
}

// Submit queues a submission and waits until it is committed (or refused).
func (c *Committer) Submit(ctx context.Context, s *Submission) (Receipt, error) {
	p := &pending{sub: s, out: make(chan committed, 1)}
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return Receipt{}, ErrWriterClosed
	}
	select {
	case c.in <- p:
		c.mu.RUnlock()
	case <-ctx.Done():
		c.mu.RUnlock()
		return Receipt{}, ctx.Err()
	}
	// Once queued, the result is awaited even if the client leaves: it will be committed.
	r := <-p.out
	return r.receipt, r.err
}

func (c *Committer) loop() {
	defer close(c.done)
	batch := make([]*pending, 0, c.maxBatch)
	for p := range c.in {
		batch = append(batch[:0], p)
	drain:
		for len(batch) < c.maxBatch {
			select {
			case q, ok := <-c.in:
				if !ok {
					break drain
				}
				batch = append(batch, q)
			default:
				break drain
			}
		}
		c.commit(batch)
	}
}

func (c *Committer) commit(batch []*pending) {
	results := make([]committed, len(batch))
	broken := false
	err := c.db.Write(context.Background(), func(tx *sql.Tx) error {
		// Nothing but the batch's seals writes to the audit log in this transaction.
		var head chainHead
		for i, p := range batch {
			r, err := c.db.insertChained(tx, &head, p.sub)
			if err != nil && !expected(err) {
				broken = true
				return err
			}
			results[i] = committed{r, err}
		}
		return nil
	})
	if broken {
		// One submission failed half-way: the batch was rolled back, so store each on its own
		// and let only the faulty one fail.
		for i, p := range batch {
			r, err := c.db.SaveSubmission(context.Background(), p.sub)
			results[i] = committed{r, err}
		}
		err = nil
	}
	for i, p := range batch {
		if err != nil {
			results[i] = committed{err: err}
		}
		p.out <- results[i]
	}
}

// expected reports whether err is an answer about the submission (refused before anything was
// written) rather than a failure that may have left part of it in the transaction.
func expected(err error) bool {
	return errors.Is(err, ErrConflict) || errors.Is(err, ErrSubmissionReused) || errors.Is(err, ErrVoided) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrCampaignLocked)
}

// SaveSubmission stores one submission in its own transaction (paper keying and imports).
func (db *DB) SaveSubmission(ctx context.Context, s *Submission) (Receipt, error) {
	var r Receipt
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = db.insertSubmission(tx, s)
		return err
	})
	return r, err
}

// submitStmts are the statements of the response path, prepared once on the writer connection.
type submitStmts struct {
	lookup, response, answers, consume *sql.Stmt
}

func (db *DB) submitStatements() (*submitStmts, error) {
	db.stmtOnce.Do(func() {
		st := &submitStmts{}
		for _, p := range []struct {
			dst **sql.Stmt
			sql string
		}{
			{&st.lookup, `SELECT f.voided_at, r.id, r.receipt, r.body_digest, c.locked_at IS NOT NULL, f.code FROM issued_forms f
				JOIN campaigns c ON c.id = f.campaign_id
				LEFT JOIN responses r ON r.form_id = f.id WHERE f.id = ?`},
			{&st.response, `INSERT INTO responses (campaign_id, form_id, channel, submission_id, body_digest, receipt, received_at, respondent, valid, reasons, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`},
			{&st.answers, `INSERT INTO response_answers (response_id, unit_id, answers, valid) VALUES (?, ?, ?, ?)`},
			{&st.consume, `UPDATE issued_forms SET token_used_at = ? WHERE id = ?`},
		} {
			if *p.dst, db.stmtErr = db.write.Prepare(p.sql); db.stmtErr != nil {
				return
			}
		}
		db.stmts = st
	})
	return db.stmts, db.stmtErr
}

// insertSubmission stores a response, or recognises a replay of one already stored. One response
// per form is the UNIQUE constraint on responses.form_id; the look-up before it only tells a
// replay (same answers: same receipt) from a conflict (different answers: refused).
func (db *DB) insertSubmission(tx *sql.Tx, s *Submission) (Receipt, error) {
	return db.insertChained(tx, nil, s)
}

// insertChained is insertSubmission whose seal chains to head (auditAfter): for a run of
// submissions in one transaction in which nothing else is audited.
func (db *DB) insertChained(tx *sql.Tx, head *chainHead, s *Submission) (Receipt, error) {
	st, err := db.submitStatements()
	if err != nil {
		return Receipt{}, fmt.Errorf("store: prepare: %w", err)
	}
	var voided, receipt, digest sql.NullString
	var id sql.NullInt64
	var locked bool
	var code string
	if err := tx.Stmt(st.lookup).QueryRow(s.FormID).Scan(&voided, &id, &receipt, &digest, &locked, &code); err != nil {
		return Receipt{}, fmt.Errorf("store: form %d: %w", s.FormID, notFound(err))
	}
	switch {
	case id.Valid && digest.String == s.Digest:
		return Receipt{ResponseID: id.Int64, Number: receipt.String, Replayed: true}, nil
	case locked:
		return Receipt{}, ErrCampaignLocked
	case voided.Valid:
		return Receipt{}, ErrVoided
	case id.Valid:
		return Receipt{}, ErrConflict
	}
	var sid any
	if s.SubmissionID != "" {
		sid = s.SubmissionID
	}
	now := timeText(db.Now())
	var r Receipt
	// ON CONFLICT DO NOTHING rather than a failed insert: on PostgreSQL a failed statement
	// aborts the transaction, and with it the rest of a group commit's batch.
	for attempt := 0; ; attempt++ {
		r.Number = receiptNumber()
		err := tx.Stmt(st.response).QueryRow(s.CampaignID, s.FormID, s.Channel, sid, s.Digest, r.Number,
			timeText(s.ReceivedAt), s.Respondent, s.Valid, s.Reasons, now).Scan(&r.ResponseID)
		if errors.Is(err, sql.ErrNoRows) {
			// A UNIQUE constraint said no: a receipt number drawn twice, the form answered since
			// the look-up (by another node), or the client's submission id used on another form.
			var receipts, forms int
			if err := tx.QueryRow(`SELECT (SELECT count(*) FROM responses WHERE receipt = ?), (SELECT count(*) FROM responses WHERE form_id = ?)`,
				r.Number, s.FormID).Scan(&receipts, &forms); err != nil {
				return Receipt{}, fmt.Errorf("store: insert response for form %d: %w", s.FormID, err)
			}
			switch {
			case forms > 0:
				return Receipt{}, ErrConflict
			case receipts > 0 && attempt < 3:
				continue // draw again
			}
			return Receipt{}, ErrSubmissionReused
		}
		if err != nil {
			return Receipt{}, fmt.Errorf("store: insert response for form %d: %w", s.FormID, err)
		}
		break
	}
	for _, a := range s.Answers {
		if _, err := tx.Stmt(st.answers).Exec(r.ResponseID, a.UnitID, a.Answers, a.Valid); err != nil {
			return Receipt{}, fmt.Errorf("store: insert answers: %w", err)
		}
	}
	if err := insertTexts(tx, r.ResponseID, s.Texts); err != nil {
		return Receipt{}, err
	}
	if _, err := tx.Stmt(st.consume).Exec(now, s.FormID); err != nil {
		return Receipt{}, fmt.Errorf("store: consume token: %w", err)
	}
	if err := sealSubmission(tx, head, now, code, s, r); err != nil { // audit.go
		return Receipt{}, err
	}
	return r, nil
}

// receiptAlphabet has no look-alike characters: receipts are read aloud and copied by hand.
const receiptAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func receiptNumber() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = receiptAlphabet[int(b[i])%len(receiptAlphabet)]
	}
	return string(b[:4]) + "-" + string(b[4:])
}

// ResponseByForm returns the receipt of a form's response, or ErrNotFound.
func (db *DB) ResponseByForm(ctx context.Context, formID int64) (Receipt, error) {
	var r Receipt
	err := db.read.QueryRowContext(ctx, `SELECT id, receipt FROM responses WHERE form_id = ?`, formID).Scan(&r.ResponseID, &r.Number)
	return r, notFound(err)
}

// UnitIDs maps a campaign's unit codes to their ids.
func (db *DB) UnitIDs(ctx context.Context, campaignID int64) (map[string]int64, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT code, id FROM units WHERE campaign_id = ?`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: unit ids: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			return nil, err
		}
		out[code] = id
	}
	return out, rows.Err()
}

// CountResponses returns how many responses a campaign holds.
func (db *DB) CountResponses(ctx context.Context, campaignID int64) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM responses WHERE campaign_id = ?`, campaignID).Scan(&n)
	return n, err
}
