package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
)

// linkUnits selects, beside a form, the ids of the units it was issued for (form_units) as
// "3,7,9", or "" for a form that has none.
const linkUnits = `ifnull((SELECT group_concat(fu.unit_id, ',') FROM form_units fu WHERE fu.form_id = f.id), '')`

// UnitIDs lists the ids of the units a matrix form was issued for, empty when it covers every
// unit of its kind.
func (f *LinkForm) UnitIDs() []int64 {
	s := f.Subset
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]int64, 0, len(parts))
	for _, p := range parts {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// SubsetTarget asks for Count live matrix forms of a group, each covering exactly the Units
// given (by code): the forms of the council delegates of one constituency.
type SubsetTarget struct {
	Group   string
	Units   []string
	Channel campaign.Channel
	Count   int
}

// IssueSubset creates the matrix forms the target still lacks: forms of the group already
// issued for exactly the same units count, so asking again issues nothing more. The units are
// stored per form (form_units, UNIQUE per form × unit). It returns how many forms it created.
func (db *DB) IssueSubset(ctx context.Context, campaignID, userID int64, t SubsetTarget) (int, error) {
	if len(t.Units) == 0 {
		return 0, fmt.Errorf("store: issue %s for a subset: no units", t.Group)
	}
	want := slices.Clone(t.Units)
	slices.Sort(want)
	created := 0
	err := db.Write(ctx, func(tx *sql.Tx) error {
		now := timeText(db.Now())
		gid, _, err := groupUnitIDs(tx, campaignID, t.Group, "")
		if err != nil {
			return err
		}
		ids := make([]int64, len(want))
		for i, code := range want {
			_, uid, err := groupUnitIDs(tx, campaignID, t.Group, code)
			if err != nil {
				return err
			}
			ids[i] = uid.(int64)
		}
		key := strings.Join(want, ",")
		var have int
		if err := tx.QueryRow(`SELECT count(*) FILTER (WHERE f.voided_at IS NULL AND
				(SELECT group_concat(u.code, ',' ORDER BY u.code) FROM form_units fu JOIN units u ON u.id = fu.unit_id
				 WHERE fu.form_id = f.id) = ?)
			FROM issued_forms f WHERE f.group_id = ? AND f.unit_id IS NULL`, key, gid).Scan(&have); err != nil {
			return fmt.Errorf("store: count forms %s for %s: %w", t.Group, key, err)
		}
		maxSerial, err := lastSerial(tx, t.Group, "")
		if err != nil {
			return err
		}
		for n := have; n < t.Count; n++ {
			maxSerial++
			if maxSerial > formcode.MaxSerial {
				return fmt.Errorf("%w: nhóm %s đã dùng hết %d số thứ tự của mã phiếu ma trận", ErrSerialsUsedUp, t.Group, formcode.MaxSerial)
			}
			id, err := insertFormID(tx, campaignID, gid, nil, t.Group, "", maxSerial, string(t.Channel), false, 0, now)
			if err != nil {
				return err
			}
			for _, uid := range ids {
				if _, err := tx.Exec(`INSERT INTO form_units (form_id, unit_id) VALUES (?, ?)`, id, uid); err != nil {
					return fmt.Errorf("store: units of form %d: %w", id, err)
				}
			}
			created++
		}
		return audit(tx, now, userID, "forms.issue", campaignID, "", map[string]any{"created": created, "group": t.Group, "units": want})
	})
	if err != nil {
		return 0, err
	}
	return created, nil
}
