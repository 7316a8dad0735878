package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// DefinitionDraft is a campaign definition uploaded in the web and kept until it is published.
type DefinitionDraft struct {
	ID       int64
	FileName string
	// Format is "xlsx" (a campaign workbook) or "zip" (a zip of the YAML folder).
	Format  string
	Content []byte
	// Code and Name are the campaign's as read from the upload, "" while it does not read.
	Code string
	Name string
	// SourceID is the campaign the draft was copied from (a new year's campaign), 0 if none.
	SourceID    int64
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PublishedAt time.Time
	PublishedID int64
}

// Published reports whether the draft has been published.
func (d *DefinitionDraft) Published() bool { return !d.PublishedAt.IsZero() }

// CreateDefinitionDraft stores a new draft and sets its ID and times.
func (db *DB) CreateDefinitionDraft(ctx context.Context, d *DefinitionDraft) error {
	now := db.Now()
	return db.Write(ctx, func(tx *sql.Tx) error {
		newID, err := insertID(tx, `INSERT INTO definition_drafts (file_name, format, content, code, name, source_id, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.FileName, d.Format, d.Content, d.Code, d.Name, nullID(d.SourceID), nullID(d.CreatedBy),
			timeText(now), timeText(now))
		if err != nil {
			return fmt.Errorf("store: create definition draft %s: %w", d.FileName, err)
		}
		d.ID = newID
		d.CreatedAt, d.UpdatedAt = now, now
		return audit(tx, timeText(now), d.CreatedBy, "definition_draft.create", 0, d.FileName, map[string]any{"draft": d.ID, "code": d.Code})
	})
}

// ReplaceDefinitionDraft puts a new upload in place of an unpublished draft's.
func (db *DB) ReplaceDefinitionDraft(ctx context.Context, d *DefinitionDraft, userID int64) error {
	now := db.Now()
	return db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE definition_drafts SET file_name = ?, format = ?, content = ?, code = ?, name = ?, updated_at = ?
			WHERE id = ? AND published_at IS NULL`, d.FileName, d.Format, d.Content, d.Code, d.Name, timeText(now), d.ID)
		if err != nil {
			return fmt.Errorf("store: replace definition draft %d: %w", d.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		d.UpdatedAt = now
		return audit(tx, timeText(now), userID, "definition_draft.replace", 0, d.FileName, map[string]any{"draft": d.ID, "code": d.Code})
	})
}

// MarkDefinitionDraftPublished records that a draft became campaign campaignID.
func (db *DB) MarkDefinitionDraftPublished(ctx context.Context, id, campaignID, userID int64) error {
	now := db.Now()
	return db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE definition_drafts SET published_at = ?, published_id = ? WHERE id = ? AND published_at IS NULL`,
			timeText(now), campaignID, id)
		if err != nil {
			return fmt.Errorf("store: publish definition draft %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit(tx, timeText(now), userID, "definition_draft.publish", campaignID, fmt.Sprint(id), map[string]any{"draft": id})
	})
}

const draftColumns = `id, file_name, format, code, name, ifnull(source_id, 0), ifnull(created_by, 0), created_at, updated_at,
	ifnull(published_at, ''), ifnull(published_id, 0)`

func scanDefinitionDraft(row interface{ Scan(...any) error }, extra ...any) (*DefinitionDraft, error) {
	var d DefinitionDraft
	var created, updated, published string
	dest := append([]any{&d.ID, &d.FileName, &d.Format, &d.Code, &d.Name, &d.SourceID, &d.CreatedBy, &created, &updated, &published, &d.PublishedID}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, notFound(err)
	}
	d.CreatedAt, d.UpdatedAt, d.PublishedAt = parseTime(created), parseTime(updated), parseTime(published)
	return &d, nil
}

// DefinitionDraft returns a draft with its upload.
func (db *DB) DefinitionDraft(ctx context.Context, id int64) (*DefinitionDraft, error) {
	var content []byte
	d, err := scanDefinitionDraft(db.read.QueryRowContext(ctx, `SELECT `+draftColumns+`, content FROM definition_drafts WHERE id = ?`, id), &content)
	if err != nil {
		return nil, err
	}
	d.Content = content
	return d, nil
}

// DefinitionDrafts lists the drafts, newest first, without their uploads.
func (db *DB) DefinitionDrafts(ctx context.Context) ([]*DefinitionDraft, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+draftColumns+` FROM definition_drafts ORDER BY updated_at DESC, id DESC LIMIT 200`)
	if err != nil {
		return nil, fmt.Errorf("store: list definition drafts: %w", err)
	}
	defer rows.Close()
	var out []*DefinitionDraft
	for rows.Next() {
		d, err := scanDefinitionDraft(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
