package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ImportedRatio is an imported group's satisfaction ratio for a unit, for every sub-criterion
// the group is mapped to (Sub "") or for one (domain.md, scoring step 8).
type ImportedRatio struct {
	Group string
	Unit  string
	Sub   string
	// Ratio is the exact value as a fraction "a/b" or a whole number.
	Ratio string
	// Source is the file and row the ratio came from.
	Source     string
	ImportedAt time.Time
	ImportedBy string
}

// ReplaceRatios replaces every ratio of an imported group by the rows given (all of them the
// group's), in one transaction, and audits the upload.
func (db *DB) ReplaceRatios(ctx context.Context, campaignID, userID int64, group, file string, rows []ImportedRatio) error {
	now := timeText(db.Now())
	return db.Write(ctx, func(tx *sql.Tx) error {
		var gid int64
		if err := tx.QueryRow(`SELECT id FROM respondent_groups WHERE campaign_id = ? AND code = ?`, campaignID, group).Scan(&gid); err != nil {
			return fmt.Errorf("store: group %s: %w", group, notFound(err))
		}
		res, err := tx.Exec(`DELETE FROM imported_ratios WHERE group_id = ?`, gid)
		if err != nil {
			return fmt.Errorf("store: clear ratios of %s: %w", group, err)
		}
		replaced, _ := res.RowsAffected()
		ins, err := tx.Prepare(`INSERT INTO imported_ratios (campaign_id, group_id, unit_id, sub, ratio, source, imported_at, imported_by)
			SELECT ?, ?, id, ?, ?, ?, ?, ? FROM units WHERE campaign_id = ? AND code = ?`)
		if err != nil {
			return fmt.Errorf("store: prepare ratios: %w", err)
		}
		defer ins.Close()
		var by any
		if userID > 0 {
			by = userID
		}
		for _, r := range rows {
			if r.Group != group {
				return fmt.Errorf("store: ratio of group %s in an upload for %s", r.Group, group)
			}
			res, err := ins.Exec(campaignID, gid, r.Sub, r.Ratio, r.Source, now, by, campaignID, r.Unit)
			if isUnique(err) {
				return fmt.Errorf("store: ratio of %s for %s/%s given twice: %w", group, r.Unit, r.Sub, ErrDuplicate)
			}
			if err != nil {
				return fmt.Errorf("store: save ratio of %s for %s: %w", group, r.Unit, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("store: unit %s: %w", r.Unit, ErrNotFound)
			}
		}
		return audit(tx, now, userID, "ratios.import", campaignID, group, map[string]any{"file": file, "rows": len(rows), "replaced": replaced})
	})
}

// Ratios lists a campaign's imported ratios by group, unit and sub-criterion code.
func (db *DB) Ratios(ctx context.Context, campaignID int64) ([]ImportedRatio, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT g.code, u.code, r.sub, r.ratio, r.source, r.imported_at, ifnull(us.username, '')
		FROM imported_ratios r
		JOIN respondent_groups g ON g.id = r.group_id
		JOIN units u ON u.id = r.unit_id
		LEFT JOIN users us ON us.id = r.imported_by
		WHERE r.campaign_id = ? ORDER BY g.code, u.code, r.sub`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: ratios of campaign %d: %w", campaignID, err)
	}
	defer rows.Close()
	var out []ImportedRatio
	for rows.Next() {
		var r ImportedRatio
		var at string
		if err := rows.Scan(&r.Group, &r.Unit, &r.Sub, &r.Ratio, &r.Source, &at, &r.ImportedBy); err != nil {
			return nil, err
		}
		r.ImportedAt = parseTime(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
