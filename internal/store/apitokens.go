package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// APIToken is a token another system uses to read the JSON feed; the token itself is never stored.
type APIToken struct {
	ID   int64
	Name string
	// CampaignID limits the token to one campaign; 0 lets it read every campaign.
	CampaignID int64
	CreatedAt  time.Time
	CreatedBy  string
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// Revoked reports whether the token was revoked.
func (t *APIToken) Revoked() bool { return !t.RevokedAt.IsZero() }

// CreateAPIToken stores the hash of a new token (made by the caller, shown to the user once).
func (db *DB) CreateAPIToken(ctx context.Context, token, name string, campaignID, userID int64) (*APIToken, error) {
	t := &APIToken{Name: name, CampaignID: campaignID, CreatedAt: db.Now()}
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var cid, by any
		if campaignID > 0 {
			cid = campaignID
		}
		if userID > 0 {
			by = userID
		}
		newID, err := insertID(tx, `INSERT INTO api_tokens (token_hash, name, campaign_id, created_at, created_by) VALUES (?, ?, ?, ?, ?)`,
			hashToken(token), name, cid, timeText(t.CreatedAt), by)
		if err != nil {
			return fmt.Errorf("store: create API token: %w", err)
		}
		t.ID = newID
		return audit(tx, timeText(t.CreatedAt), userID, "api_token.create", campaignID, name, map[string]int64{"token": t.ID})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

const tokenColumns = `t.id, t.name, ifnull(t.campaign_id, 0), t.created_at, ifnull(u.username, ''), ifnull(t.last_used_at, ''), ifnull(t.revoked_at, '')`

func scanToken(row interface{ Scan(...any) error }) (*APIToken, error) {
	var t APIToken
	var created, used, revoked string
	if err := row.Scan(&t.ID, &t.Name, &t.CampaignID, &created, &t.CreatedBy, &used, &revoked); err != nil {
		return nil, notFound(err)
	}
	t.CreatedAt, t.LastUsedAt, t.RevokedAt = parseTime(created), parseTime(used), parseTime(revoked)
	return &t, nil
}

// APITokenByValue finds the live (not revoked) token with this value, or ErrNotFound.
func (db *DB) APITokenByValue(ctx context.Context, token string) (*APIToken, error) {
	t, err := scanToken(db.read.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by
		WHERE t.token_hash = ? AND t.revoked_at IS NULL`, hashToken(token)))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("store: API token: %w", err)
	}
	return t, err
}

// TouchAPIToken records that a token was used, at most once an hour so reads stay reads.
func (db *DB) TouchAPIToken(ctx context.Context, t *APIToken) error {
	now := db.Now()
	if now.Sub(t.LastUsedAt) < time.Hour {
		return nil
	}
	return db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, timeText(now), t.ID); err != nil {
			return fmt.Errorf("store: touch API token %d: %w", t.ID, err)
		}
		return nil
	})
}

// APITokens lists the tokens that can read a campaign (its own and the global ones), newest first.
func (db *DB) APITokens(ctx context.Context, campaignID int64) ([]APIToken, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by
		WHERE t.campaign_id IS NULL OR t.campaign_id = ? ORDER BY t.id DESC`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: API tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes a token of the campaign; it returns ErrNotFound for a token it does
// not have or already revoked.
func (db *DB) RevokeAPIToken(ctx context.Context, campaignID, id, userID int64) error {
	now := timeText(db.Now())
	return db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND campaign_id = ? AND revoked_at IS NULL`, now, id, campaignID)
		if err != nil {
			return fmt.Errorf("store: revoke API token %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("store: API token %d: %w", id, ErrNotFound)
		}
		return audit(tx, now, userID, "api_token.revoke", campaignID, fmt.Sprint(id), nil)
	})
}
