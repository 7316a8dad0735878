package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// Progress is a campaign's collection figures for the dashboard (domain.md, "Monitoring"), read
// in one snapshot so that every figure on the page agrees with the others.
type Progress struct {
	// Cells are the figures per group × unit, in group and unit code order. A single-unit form
	// counts under the unit it was issued for. A matrix group has one cell with Unit "" counting
	// its forms, and one cell per unit its responses answered for, counted per unit (a matrix
	// form counts once for each unit it covers, domain.md scoring step 7).
	Cells []ProgressCell
	// Days count responses per calendar day in Asia/Ho_Chi_Minh, in date order; days without
	// any response are left out.
	Days []DayCount
	// Reasons count the forms that failed each valid-form rule, most frequent first.
	Reasons []ReasonCount
	// LastStored is when the latest response was stored; zero when there is none.
	LastStored time.Time
	// Populations count the responses of groups made of several populations by the answer to
	// the respondent field that records who answered (PopulationField), per unit, in group,
	// unit and answer order.
	Populations []PopulationCount
}

// PopulationField names, for a group made of several populations, the respondent field of its
// form that records who answered (campaign.Group.PopulationField).
type PopulationField struct{ Group, Field string }

// PopulationCount is how many responses of one group about one unit gave one answer to the
// group's population field; Answer is "" when the field was left blank.
type PopulationCount struct {
	Group, Unit, Answer string
	Received, Valid     int
}

// ProgressCell is one group × unit line of issuing and collection figures.
type ProgressCell struct {
	Group string
	// Unit is the unit's code, or "" for the forms of a matrix group as a whole.
	Unit string
	// Issued counts forms issued and not voided; zero on the per-unit cells of a matrix group,
	// whose forms are counted on its "" cell.
	Issued int
	// Received counts responses; Valid and Invalid those judged so; Pending those awaiting a
	// verdict (a paper form waiting for its second keying). On a matrix group's "" cell, Valid
	// counts forms valid for every unit they cover.
	Received, Valid, Invalid, Pending int
}

// DayCount is how many responses arrived on one day, and how many of them are valid.
type DayCount struct {
	// Day is midnight of the day in Asia/Ho_Chi_Minh.
	Day             time.Time
	Received, Valid int
}

// ReasonCount is how many forms failed one valid-form rule; a form fails one rule or several.
type ReasonCount struct {
	Code  string
	Forms int
}

// progressCells sums three aggregates per group × unit: forms issued, responses by the form's
// unit (single-unit forms, and matrix forms as a whole under a NULL unit), and the answers of
// matrix forms by the unit they are about.
const progressCells = `SELECT g.code, ifnull(u.code, ''), sum(issued), sum(received), sum(valid), sum(invalid), sum(pending)
FROM (
	SELECT f.group_id AS gid, f.unit_id AS uid, count(*) AS issued, 0 AS received, 0 AS valid, 0 AS invalid, 0 AS pending
	FROM issued_forms f
	WHERE f.campaign_id = ?1 AND f.voided_at IS NULL
	GROUP BY f.group_id, f.unit_id
	UNION ALL
	SELECT f.group_id, f.unit_id, 0, count(*),
		count(*) FILTER (WHERE r.valid = 1), count(*) FILTER (WHERE r.valid = 0), count(*) FILTER (WHERE r.valid IS NULL)
	FROM responses r JOIN issued_forms f ON f.id = r.form_id
	WHERE r.campaign_id = ?1
	GROUP BY f.group_id, f.unit_id
	UNION ALL
	SELECT f.group_id, a.unit_id, 0, count(*),
		count(*) FILTER (WHERE r.valid IS NOT NULL AND a.valid = 1),
		count(*) FILTER (WHERE r.valid IS NOT NULL AND a.valid = 0),
		count(*) FILTER (WHERE r.valid IS NULL)
	FROM responses r
	JOIN issued_forms f ON f.id = r.form_id
	JOIN response_answers a ON a.response_id = r.id
	WHERE r.campaign_id = ?1 AND f.unit_id IS NULL
	GROUP BY f.group_id, a.unit_id
) t
JOIN respondent_groups g ON g.id = t.gid
LEFT JOIN units u ON u.id = t.uid
GROUP BY t.gid, t.uid, g.code, u.code
ORDER BY g.code, ifnull(u.code, '')`

// progressDays counts responses per local day; ?2 is the zone's offset as an SQLite modifier.
const progressDays = `SELECT date(received_at, ?2), count(*), count(*) FILTER (WHERE valid = 1), max(created_at)
FROM responses WHERE campaign_id = ?1
GROUP BY 1 ORDER BY 1`

// progressReasons counts forms per reason code in the reasons JSON list. Each entry is an
// object with a Code (validation.Reason); a bare code string is read too, and a malformed list
// counts as empty rather than failing the page.
const progressReasons = `SELECT code, count(DISTINCT id) FROM (
	SELECT r.id AS id, CASE j.type
		WHEN 'object' THEN coalesce(json_extract(j.value, '$.Code'), json_extract(j.value, '$.code'))
		WHEN 'text' THEN j.value END AS code
	FROM responses r, json_each(CASE WHEN json_valid(r.reasons) THEN r.reasons ELSE '[]' END) j
	WHERE r.campaign_id = ?1
) t
WHERE code IS NOT NULL AND code != ''
GROUP BY code ORDER BY 2 DESC, code`

// progressPopulations counts single-unit responses by group, unit and the answer to the group's
// population field; ?2 is a JSON object from group code to field key.
const progressPopulations = `SELECT g.code, u.code, ifnull(json_extract(CASE WHEN json_valid(r.respondent) THEN r.respondent ELSE '{}' END, '$."' || pf.value || '"'), '') AS answer,
	count(*), count(*) FILTER (WHERE r.valid = 1)
FROM responses r
JOIN issued_forms f ON f.id = r.form_id
JOIN respondent_groups g ON g.id = f.group_id
JOIN json_each(?2) pf ON pf.key = g.code
JOIN units u ON u.id = f.unit_id
WHERE r.campaign_id = ?1
GROUP BY g.code, u.code, answer
ORDER BY g.code, u.code, answer`

// Progress reads a campaign's collection figures with three aggregate queries in one read
// transaction, a fourth when groups are made of several populations (fields); the work does not
// grow with the number of groups or units.
func (db *DB) Progress(ctx context.Context, campaignID int64, fields ...PopulationField) (*Progress, error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: progress of campaign %d: %w", campaignID, err)
	}
	defer tx.Rollback()
	p := &Progress{}
	if err := eachRowIn(ctx, tx, progressCells, []any{campaignID}, func(rows scanner) error {
		var c ProgressCell
		if err := rows.Scan(&c.Group, &c.Unit, &c.Issued, &c.Received, &c.Valid, &c.Invalid, &c.Pending); err != nil {
			return err
		}
		p.Cells = append(p.Cells, c)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("store: progress cells of campaign %d: %w", campaignID, err)
	}
	if err := eachRowIn(ctx, tx, progressDays, []any{campaignID, zoneModifier(db.Now())}, func(rows scanner) error {
		var day, last string
		var d DayCount
		if err := rows.Scan(&day, &d.Received, &d.Valid, &last); err != nil {
			return err
		}
		t, err := time.ParseInLocation(time.DateOnly, day, campaign.Zone)
		if err != nil {
			return fmt.Errorf("received_at gives day %q: %w", day, err)
		}
		d.Day = t
		p.Days = append(p.Days, d)
		if lt := parseTime(last); lt.After(p.LastStored) {
			p.LastStored = lt
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("store: progress days of campaign %d: %w", campaignID, err)
	}
	if err := eachRowIn(ctx, tx, progressReasons, []any{campaignID}, func(rows scanner) error {
		var r ReasonCount
		if err := rows.Scan(&r.Code, &r.Forms); err != nil {
			return err
		}
		p.Reasons = append(p.Reasons, r)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("store: invalid reasons of campaign %d: %w", campaignID, err)
	}
	if len(fields) == 0 {
		return p, nil
	}
	byGroup := map[string]string{}
	for _, f := range fields {
		byGroup[f.Group] = f.Field
	}
	keys, err := json.Marshal(byGroup)
	if err != nil {
		return nil, fmt.Errorf("store: population fields of campaign %d: %w", campaignID, err)
	}
	if err := eachRowIn(ctx, tx, progressPopulations, []any{campaignID, string(keys)}, func(rows scanner) error {
		var c PopulationCount
		if err := rows.Scan(&c.Group, &c.Unit, &c.Answer, &c.Received, &c.Valid); err != nil {
			return err
		}
		p.Populations = append(p.Populations, c)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("store: populations of campaign %d: %w", campaignID, err)
	}
	return p, nil
}

// zoneModifier is the campaign zone's UTC offset as an SQLite date modifier ("+25200 seconds").
// Asia/Ho_Chi_Minh has kept +07:00 without daylight saving since 1975, so one offset serves
// every stored time.
func zoneModifier(at time.Time) string {
	_, off := at.In(campaign.Zone).Zone()
	return fmt.Sprintf("%+d seconds", off)
}
