package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/parsurvey/parsurvey/internal/fault"
)

// ComparisonLink links a campaign to the earlier campaign it is compared with (issue 14, year
// on year), with the mapping of its units where codes do not match them.
type ComparisonLink struct {
	CampaignID int64
	EarlierID  int64
	// Source is the mapping sheet's file name; "" when units are matched by code.
	Source   string
	Mappings []UnitMapping
	LinkedAt time.Time
	LinkedBy string
}

// UnitMapping is one row of a mapping sheet: a unit of the campaign draws on an earlier unit
// with a weight, or (Earlier "") is not comparable.
type UnitMapping struct {
	Unit    string
	Earlier string
	// Weight is exact ("1", "1/3"); "" when the unit is not comparable.
	Weight string
	// Row is the sheet row it came from (1 = the header row).
	Row int
}

// ErrSameCampaign is returned when a campaign is linked to itself.
var ErrSameCampaign = fault.Sentinel(fault.Invalid, "store: a campaign cannot be compared with itself")

// ComparisonLink returns the campaign's link to an earlier campaign with its mapping in sheet
// order, or ErrNotFound when it has none.
func (db *DB) ComparisonLink(ctx context.Context, campaignID int64) (*ComparisonLink, error) {
	l := &ComparisonLink{CampaignID: campaignID}
	var at string
	err := db.read.QueryRowContext(ctx, `SELECT l.earlier_id, l.source, l.linked_at, ifnull(u.username, '')
		FROM comparison_links l LEFT JOIN users u ON u.id = l.linked_by WHERE l.campaign_id = ?`, campaignID).
		Scan(&l.EarlierID, &l.Source, &at, &l.LinkedBy)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("store: comparison link of campaign %d: %w", campaignID, err)
	}
	l.LinkedAt = parseTime(at)
	rows, err := db.read.QueryContext(ctx, `SELECT unit_code, earlier_code, weight, source_row FROM unit_mappings
		WHERE campaign_id = ? ORDER BY source_row, unit_code, earlier_code`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: unit mappings of campaign %d: %w", campaignID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var m UnitMapping
		if err := rows.Scan(&m.Unit, &m.Earlier, &m.Weight, &m.Row); err != nil {
			return nil, fmt.Errorf("store: scan unit mapping: %w", err)
		}
		l.Mappings = append(l.Mappings, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unit mappings of campaign %d: %w", campaignID, err)
	}
	return l, nil
}

// SaveComparisonLink links a campaign to an earlier one, replacing any link and mapping it had,
// in one transaction, and audits it (comparison.link). With keepMapping, a link to the same
// earlier campaign keeps its stored mapping and source, and l.Mappings is ignored.
func (db *DB) SaveComparisonLink(ctx context.Context, l *ComparisonLink, keepMapping bool, userID int64) error {
	if l.CampaignID == l.EarlierID {
		return ErrSameCampaign
	}
	now := db.Now()
	return db.Write(ctx, func(tx *sql.Tx) error {
		var earlier int64
		var source string
		err := tx.QueryRow(`SELECT earlier_id, source FROM comparison_links WHERE campaign_id = ?`, l.CampaignID).Scan(&earlier, &source)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: read comparison link of campaign %d: %w", l.CampaignID, err)
		}
		keep := keepMapping && err == nil && earlier == l.EarlierID
		if keep {
			l.Source = source
		}
		var by any
		if userID > 0 {
			by = userID
		}
		if _, err := tx.Exec(`INSERT INTO comparison_links (campaign_id, earlier_id, source, linked_at, linked_by) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (campaign_id) DO UPDATE SET earlier_id = excluded.earlier_id, source = excluded.source,
			linked_at = excluded.linked_at, linked_by = excluded.linked_by`,
			l.CampaignID, l.EarlierID, l.Source, timeText(now), by); err != nil {
			return fmt.Errorf("store: save comparison link of campaign %d: %w", l.CampaignID, err)
		}
		var rows int
		if !keep {
			if _, err := tx.Exec(`DELETE FROM unit_mappings WHERE campaign_id = ?`, l.CampaignID); err != nil {
				return fmt.Errorf("store: clear unit mappings of campaign %d: %w", l.CampaignID, err)
			}
			ins, err := tx.Prepare(`INSERT INTO unit_mappings (campaign_id, unit_code, earlier_code, weight, source_row) VALUES (?, ?, ?, ?, ?)`)
			if err != nil {
				return fmt.Errorf("store: prepare unit mappings: %w", err)
			}
			defer ins.Close()
			for _, m := range l.Mappings {
				if _, err := ins.Exec(l.CampaignID, m.Unit, m.Earlier, m.Weight, m.Row); err != nil {
					return fmt.Errorf("store: save unit mapping %s ← %s: %w", m.Unit, m.Earlier, err)
				}
			}
			rows = len(l.Mappings)
		} else if err := tx.QueryRow(`SELECT count(*) FROM unit_mappings WHERE campaign_id = ?`, l.CampaignID).Scan(&rows); err != nil {
			return fmt.Errorf("store: count unit mappings of campaign %d: %w", l.CampaignID, err)
		}
		l.LinkedAt = now
		var code string
		if err := tx.QueryRow(`SELECT code FROM campaigns WHERE id = ?`, l.EarlierID).Scan(&code); err != nil {
			return fmt.Errorf("store: earlier campaign %d: %w", l.EarlierID, notFound(err))
		}
		return audit(tx, timeText(now), userID, "comparison.link", l.CampaignID, code,
			map[string]any{"earlier": l.EarlierID, "source": l.Source, "rows": rows})
	})
}

// DeleteComparisonLink removes a campaign's link to an earlier campaign and its mapping, and
// audits it (comparison.unlink); ErrNotFound when it had none.
func (db *DB) DeleteComparisonLink(ctx context.Context, campaignID, userID int64) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		var earlier int64
		var code string
		if err := tx.QueryRow(`SELECT l.earlier_id, c.code FROM comparison_links l JOIN campaigns c ON c.id = l.earlier_id
			WHERE l.campaign_id = ?`, campaignID).Scan(&earlier, &code); err != nil {
			return notFound(err)
		}
		if _, err := tx.Exec(`DELETE FROM unit_mappings WHERE campaign_id = ?`, campaignID); err != nil {
			return fmt.Errorf("store: delete unit mappings of campaign %d: %w", campaignID, err)
		}
		if _, err := tx.Exec(`DELETE FROM comparison_links WHERE campaign_id = ?`, campaignID); err != nil {
			return fmt.Errorf("store: delete comparison link of campaign %d: %w", campaignID, err)
		}
		return audit(tx, timeText(db.Now()), userID, "comparison.unlink", campaignID, code, map[string]any{"earlier": earlier})
	})
}
