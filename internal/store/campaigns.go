package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/fault"
)

// Campaign is a loaded campaign definition with its storage identity.
type Campaign struct {
	ID       int64
	Code     string
	Name     string
	Year     int
	Version  int
	Digest   string
	LoadedAt time.Time
	LockedAt time.Time
	Def      *campaign.Definition
}

// ErrDefinitionLocked is returned when a changed definition arrives for a campaign that already has
// responses: applying it silently could change what those responses mean.
var ErrDefinitionLocked = fault.Sentinel(fault.Conflict, "store: campaign already has responses; its definition can no longer change")

// SaveResult says what SaveDefinition did.
type SaveResult int

// The outcomes of SaveDefinition.
const (
	Created SaveResult = iota
	Unchanged
	Updated
)

// SaveDefinition stores a checked definition: a new campaign, a new version of an existing one
// (only while it has no responses), or nothing when the digest is unchanged.
func (db *DB) SaveDefinition(ctx context.Context, def *campaign.Definition, userID int64) (*Campaign, SaveResult, error) {
	raw, err := json.Marshal(def)
	if err != nil {
		return nil, 0, fmt.Errorf("store: encode definition %s: %w", def.Code, err)
	}
	body := string(raw)
	digest := def.Digest()
	now := timeText(db.Now())
	result := Created
	var id int64
	err = db.Write(ctx, func(tx *sql.Tx) error {
		var version int
		var oldDigest string
		err := tx.QueryRow(`SELECT id, version, digest FROM campaigns WHERE code = ?`, def.Code).Scan(&id, &version, &oldDigest)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			newID, err := insertID(tx, `INSERT INTO campaigns (code, name, year, version, digest, definition, loaded_at)
				VALUES (?, ?, ?, 1, ?, ?, ?)`, def.Code, def.Name, def.Year, digest, body, now)
			if err != nil {
				return fmt.Errorf("store: insert campaign %s: %w", def.Code, err)
			}
			id = newID
			version = 1
		case err != nil:
			return fmt.Errorf("store: find campaign %s: %w", def.Code, err)
		case oldDigest == digest:
			result = Unchanged
			return nil
		default:
			result = Updated
			var n int
			if err := tx.QueryRow(`SELECT count(*) FROM responses WHERE campaign_id = ?`, id).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("%w (%s: %d phiếu đã nhận)", ErrDefinitionLocked, def.Code, n)
			}
			version++
			if _, err := tx.Exec(`UPDATE campaigns SET name = ?, year = ?, version = ?, digest = ?, definition = ?, loaded_at = ?
				WHERE id = ?`, def.Name, def.Year, version, digest, body, now, id); err != nil {
				return fmt.Errorf("store: update campaign %s: %w", def.Code, err)
			}
		}
		if _, err := tx.Exec(`INSERT INTO campaign_versions (campaign_id, version, digest, definition, loaded_at)
			VALUES (?, ?, ?, ?, ?)`, id, version, digest, body, now); err != nil {
			return fmt.Errorf("store: record version of %s: %w", def.Code, err)
		}
		noteChange(tx, Change{Kind: ChangeCampaign, CampaignID: id})
		if err := syncUnits(tx, id, def); err != nil {
			return err
		}
		if err := syncGroups(tx, id, def); err != nil {
			return err
		}
		action := "campaign.create"
		if result == Updated {
			action = "campaign.update"
		}
		return audit(tx, now, userID, action, id, def.Code, map[string]any{"version": version, "digest": digest})
	})
	if err != nil {
		return nil, 0, err
	}
	c, err := db.Campaign(ctx, id)
	return c, result, err
}

func syncUnits(tx *sql.Tx, campaignID int64, def *campaign.Definition) error {
	keep := map[string]bool{}
	for _, u := range def.Units {
		keep[u.Code] = true
		if _, err := tx.Exec(`INSERT INTO units (campaign_id, code, kind, name, parent_code) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (campaign_id, code) DO UPDATE SET kind = excluded.kind, name = excluded.name, parent_code = excluded.parent_code`,
			campaignID, u.Code, u.Kind, u.Name, u.Parent); err != nil {
			return fmt.Errorf("store: save unit %s: %w", u.Code, err)
		}
	}
	return pruneCodes(tx, "units", "đơn vị", campaignID, keep)
}

func syncGroups(tx *sql.Tx, campaignID int64, def *campaign.Definition) error {
	keep := map[string]bool{}
	for _, g := range def.Groups {
		keep[g.Code] = true
		if _, err := tx.Exec(`INSERT INTO respondent_groups (campaign_id, code, name, evaluates, form_code) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (campaign_id, code) DO UPDATE SET name = excluded.name, evaluates = excluded.evaluates, form_code = excluded.form_code`,
			campaignID, g.Code, g.Name, g.Evaluates, g.Form); err != nil {
			return fmt.Errorf("store: save group %s: %w", g.Code, err)
		}
	}
	return pruneCodes(tx, "respondent_groups", "nhóm", campaignID, keep)
}

// pruneCodes deletes a campaign's rows of table whose code the new definition no longer has; a
// row that issued forms still point to stops the update with a foreign key error.
func pruneCodes(tx *sql.Tx, table, label string, campaignID int64, keep map[string]bool) error {
	rows, err := tx.Query(`SELECT code FROM `+table+` WHERE campaign_id = ?`, campaignID)
	if err != nil {
		return err
	}
	var gone []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			rows.Close()
			return err
		}
		if !keep[code] {
			gone = append(gone, code)
		}
	}
	rows.Close()
	for _, code := range gone {
		if _, err := tx.Exec(`DELETE FROM `+table+` WHERE campaign_id = ? AND code = ?`, campaignID, code); err != nil {
			if isForeignKey(err) {
				return fmt.Errorf("store: %s %s đã có phiếu được phát, không thể xóa khỏi định nghĩa: %w", label, code, err)
			}
			return fmt.Errorf("store: delete %s from %s: %w", code, table, err)
		}
	}
	return nil
}

const campaignColumns = `id, code, name, year, version, digest, definition, loaded_at, ifnull(locked_at, '')`

func scanCampaign(row interface{ Scan(...any) error }) (*Campaign, error) {
	var c Campaign
	var body []byte
	var loaded, locked string
	if err := row.Scan(&c.ID, &c.Code, &c.Name, &c.Year, &c.Version, &c.Digest, &body, &loaded, &locked); err != nil {
		return nil, notFound(err)
	}
	c.LoadedAt, c.LockedAt = parseTime(loaded), parseTime(locked)
	c.Def = &campaign.Definition{}
	if err := json.Unmarshal(body, c.Def); err != nil {
		return nil, fmt.Errorf("store: decode definition of %s: %w", c.Code, err)
	}
	return &c, nil
}

// Campaign returns a campaign by id.
func (db *DB) Campaign(ctx context.Context, id int64) (*Campaign, error) {
	return scanCampaign(db.read.QueryRowContext(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`, id))
}

// CampaignByCode returns a campaign by its code.
func (db *DB) CampaignByCode(ctx context.Context, code string) (*Campaign, error) {
	return scanCampaign(db.read.QueryRowContext(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE code = ?`, code))
}

// CampaignSummary is a campaign's line on the staff home page.
type CampaignSummary struct {
	ID        int64
	Code      string
	Name      string
	Year      int
	Version   int
	Issued    int
	Responses int
	LoadedAt  time.Time
}

// Campaigns lists every campaign, newest year first, with its counts.
func (db *DB) Campaigns(ctx context.Context) ([]CampaignSummary, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT c.id, c.code, c.name, c.year, c.version, c.loaded_at,
		(SELECT count(*) FROM issued_forms f WHERE f.campaign_id = c.id AND f.voided_at IS NULL),
		(SELECT count(*) FROM responses r WHERE r.campaign_id = c.id)
		FROM campaigns c ORDER BY c.year DESC, c.code`)
	if err != nil {
		return nil, fmt.Errorf("store: list campaigns: %w", err)
	}
	defer rows.Close()
	var out []CampaignSummary
	for rows.Next() {
		var s CampaignSummary
		var loaded string
		if err := rows.Scan(&s.ID, &s.Code, &s.Name, &s.Year, &s.Version, &loaded, &s.Issued, &s.Responses); err != nil {
			return nil, err
		}
		s.LoadedAt = parseTime(loaded)
		out = append(out, s)
	}
	return out, rows.Err()
}

// ErrLocked is returned when locking a campaign that is already locked.
var ErrLocked = fault.Sentinel(fault.Conflict, "store: campaign already locked")

// LockCampaign closes a campaign at its deadline: from then on no form is accepted, online or on
// paper. The lock is audited and cannot be undone from the service.
func (db *DB) LockCampaign(ctx context.Context, campaignID, userID int64) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		now := timeText(db.Now())
		res, err := tx.Exec(`UPDATE campaigns SET locked_at = ? WHERE id = ? AND locked_at IS NULL`, now, campaignID)
		if err != nil {
			return fmt.Errorf("store: lock campaign %d: %w", campaignID, err)
		}
		noteChange(tx, Change{Kind: ChangeCampaign, CampaignID: campaignID})
		if n, _ := res.RowsAffected(); n == 0 {
			var exists int
			if err := tx.QueryRow(`SELECT count(*) FROM campaigns WHERE id = ?`, campaignID).Scan(&exists); err != nil {
				return err
			}
			if exists == 0 {
				return ErrNotFound
			}
			return ErrLocked
		}
		return audit(tx, now, userID, "campaign.lock", campaignID, "", nil)
	})
}
