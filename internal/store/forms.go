package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/formcode"
)

// IssuedForm is one coded questionnaire: its human code, its link token and its state.
type IssuedForm struct {
	ID         int64
	CampaignID int64
	// CampaignVersion is the definition version in force, so callers can cache by it.
	CampaignVersion int
	Group           string
	Unit            string // "" for a matrix form
	UnitName        string
	// Units are the unit codes a matrix form was issued for (form_units), in no set order;
	// empty for a single-unit form and for a matrix form about every unit of its kind.
	Units  []string
	Serial int
	Code   string
	Token  string
	// Short is the short link code, 12 characters typed from a slip: <base URL>/<Short>.
	Short       string
	Channel     string
	Reserve     bool
	IssuedAt    time.Time
	VoidedAt    time.Time
	VoidReason  string
	ReplacesID  int64
	Answered    bool
	Enumerator  string
	AssignedAt  time.Time
	TokenUsedAt time.Time
}

// Voided reports whether the form was voided.
func (f *IssuedForm) Voided() bool { return !f.VoidedAt.IsZero() }

// Issue creates the forms each target still lacks: asking again issues only what is missing, so
// issuing is repeatable. It returns how many forms it created.
func (db *DB) Issue(ctx context.Context, campaignID, userID int64, targets []campaign.IssueTarget) (int, error) {
	created := 0
	err := db.Write(ctx, func(tx *sql.Tx) error {
		now := timeText(db.Now())
		for _, t := range targets {
			gid, uid, err := groupUnitIDs(tx, campaignID, t.Group, t.Unit)
			if err != nil {
				return err
			}
			var have int
			if err := tx.QueryRow(`SELECT count(*) FILTER (WHERE voided_at IS NULL)
				FROM issued_forms WHERE group_id = ? AND ifnull(unit_id, 0) = ifnull(?, 0)`, gid, uid).Scan(&have); err != nil {
				return fmt.Errorf("store: count forms %s/%s: %w", t.Group, t.Unit, err)
			}
			maxSerial, err := lastSerial(tx, t.Group, t.Unit)
			if err != nil {
				return err
			}
			for n := have; n < t.Quota+t.Reserve; n++ {
				maxSerial++
				if maxSerial > formcode.MaxSerial {
					return fmt.Errorf("%w: nhóm %s, đơn vị %s đã dùng hết %d số thứ tự của mã phiếu", ErrSerialsUsedUp, t.Group, t.Unit, formcode.MaxSerial)
				}
				if err := insertForm(tx, campaignID, gid, uid, t.Group, t.Unit, maxSerial, string(t.Channel), n >= t.Quota, 0, now); err != nil {
					return err
				}
				created++
			}
		}
		return audit(tx, now, userID, "forms.issue", campaignID, "", map[string]int{"created": created})
	})
	if err != nil {
		return 0, err
	}
	return created, nil
}

// lastSerial is the highest serial of any form, in any campaign of the database, whose code
// starts with this group and unit: codes are UNIQUE across the database, and next year's
// campaign reuses this year's group and unit codes, so its serials go on from this year's
// instead of starting again at 1 (a 2026 paper form can then never pass for a 2027 one).
func lastSerial(tx *sql.Tx, group, unit string) (int, error) {
	var n int
	err := tx.QueryRow(`SELECT ifnull(max(f.serial), 0) FROM issued_forms f
		JOIN respondent_groups g ON g.id = f.group_id
		LEFT JOIN units u ON u.id = f.unit_id
		WHERE g.code = ? AND ifnull(u.code, '') = ?`, group, unit).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: serials of %s/%s: %w", group, unit, err)
	}
	return n, nil
}

// unitKey is the code part for a matrix form, which covers every unit of its kind.
const unitKey = "MT"

func insertForm(tx *sql.Tx, campaignID, gid int64, uid any, group, unit string, serial int, channel string, reserve bool, replaces int64, now string) error {
	_, err := insertFormID(tx, campaignID, gid, uid, group, unit, serial, channel, reserve, replaces, now)
	return err
}

// insertFormID inserts a form as insertForm does and returns its id.
func insertFormID(tx *sql.Tx, campaignID, gid int64, uid any, group, unit string, serial int, channel string, reserve bool, replaces int64, now string) (int64, error) {
	u := unit
	if u == "" {
		u = unitKey
	}
	code := formcode.New(group, u, serial)
	tok, err := formcode.Token()
	if err != nil {
		return 0, err
	}
	var rep any
	if replaces > 0 {
		rep = replaces
	}
	// The short code is drawn by a trigger (migration 0005); two forms drawing the same one, a
	// chance of one in 2^60 per pair, fail the insert on its UNIQUE index, and it is drawn again.
	// PostgreSQL's failed insert aborts the transaction, so there the issuing run fails instead
	// and is run again: a savepoint around every insert would cost more than the odds are worth.
	for attempt := 0; ; attempt++ {
		newID, err := insertID(tx, `INSERT INTO issued_forms (campaign_id, group_id, unit_id, serial, code, token, channel, reserve, issued_at, replaces_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, campaignID, gid, uid, serial, code, tok, channel, reserve, now, rep)
		if err != nil && attempt < 3 && isUniqueOn(err, "issued_forms", "short_code") && !fromPostgres(err) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("store: insert form %s: %w", code, err)
		}
		return newID, nil
	}
}

func groupUnitIDs(tx *sql.Tx, campaignID int64, group, unit string) (int64, any, error) {
	var gid int64
	if err := tx.QueryRow(`SELECT id FROM respondent_groups WHERE campaign_id = ? AND code = ?`, campaignID, group).Scan(&gid); err != nil {
		return 0, nil, fmt.Errorf("store: group %s: %w", group, notFound(err))
	}
	if unit == "" {
		return gid, nil, nil
	}
	var uid int64
	if err := tx.QueryRow(`SELECT id FROM units WHERE campaign_id = ? AND code = ?`, campaignID, unit).Scan(&uid); err != nil {
		return 0, nil, fmt.Errorf("store: unit %s: %w", unit, notFound(err))
	}
	return gid, uid, nil
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// ErrSerialsUsedUp is returned when a group and unit have no form serial left.
var ErrSerialsUsedUp = fault.Sentinel(fault.Conflict, "store: form serials used up")

// ErrAlreadyVoided is returned when voiding a form twice.
var ErrAlreadyVoided = fault.Sentinel(fault.Conflict, "store: form already voided")

// ErrAnswered is returned when voiding a form that already has a response.
var ErrAnswered = fault.Sentinel(fault.Conflict, "store: form already answered")

// VoidForm voids a lost or spoiled form and, when replace is set, issues its replacement in the
// same transaction; it returns the replacement (nil when none).
func (db *DB) VoidForm(ctx context.Context, code, reason string, replace bool, userID int64) (*IssuedForm, error) {
	var newCode string
	err := db.Write(ctx, func(tx *sql.Tx) error {
		f, err := formWhere(tx, `f.code = ?`, code)
		if err != nil {
			return err
		}
		if f.Voided() {
			return fmt.Errorf("%w: %s", ErrAlreadyVoided, code)
		}
		if f.Answered {
			return fmt.Errorf("%w: %s", ErrAnswered, code)
		}
		now := timeText(db.Now())
		if _, err := tx.Exec(`UPDATE issued_forms SET voided_at = ?, void_reason = ? WHERE id = ?`, now, reason, f.ID); err != nil {
			return fmt.Errorf("store: void %s: %w", code, err)
		}
		detail := map[string]string{"reason": reason}
		if replace {
			var gid int64
			var uid sql.NullInt64
			var maxSerial int
			if err := tx.QueryRow(`SELECT group_id, unit_id FROM issued_forms WHERE id = ?`, f.ID).Scan(&gid, &uid); err != nil {
				return err
			}
			if maxSerial, err = lastSerial(tx, f.Group, f.Unit); err != nil {
				return err
			}
			if maxSerial+1 > formcode.MaxSerial {
				return fmt.Errorf("%w: không còn số thứ tự để phát phiếu thay thế cho %s", ErrSerialsUsedUp, code)
			}
			var u any
			if uid.Valid {
				u = uid.Int64
			}
			newID, err := insertFormID(tx, f.CampaignID, gid, u, f.Group, f.Unit, maxSerial+1, f.Channel, f.Reserve, f.ID, now)
			if err != nil {
				return err
			}
			// A replacement covers the units its form was issued for.
			if _, err := tx.Exec(`INSERT INTO form_units (form_id, unit_id) SELECT ?, unit_id FROM form_units WHERE form_id = ?`, newID, f.ID); err != nil {
				return fmt.Errorf("store: units of replacement for %s: %w", code, err)
			}
			unit := f.Unit
			if unit == "" {
				unit = unitKey
			}
			newCode = formcode.New(f.Group, unit, maxSerial+1)
			detail["replacement"] = newCode
		}
		return audit(tx, now, userID, "form.void", f.CampaignID, code, detail)
	})
	if err != nil || newCode == "" {
		return nil, err
	}
	return db.FormByCode(ctx, newCode)
}

const formSelect = `SELECT f.id, f.campaign_id, c.version, g.code, ifnull(u.code, ''), ifnull(u.name, ''), f.serial, f.code, f.token, f.short_code, f.channel,
	f.reserve, f.issued_at, ifnull(f.voided_at, ''), f.void_reason, ifnull(f.replaces_id, 0),
	EXISTS (SELECT 1 FROM responses r WHERE r.form_id = f.id), ifnull(e.full_name, ''), ifnull(a.assigned_at, ''), ifnull(f.token_used_at, ''),
	ifnull((SELECT group_concat(su.code, ',') FROM form_units fu JOIN units su ON su.id = fu.unit_id WHERE fu.form_id = f.id), '')
	FROM issued_forms f
	JOIN campaigns c ON c.id = f.campaign_id
	JOIN respondent_groups g ON g.id = f.group_id
	LEFT JOIN units u ON u.id = f.unit_id
	LEFT JOIN assignments a ON a.form_id = f.id
	LEFT JOIN users e ON e.id = a.enumerator_id`

func scanForm(row interface{ Scan(...any) error }) (*IssuedForm, error) {
	var f IssuedForm
	var issued, voided, assigned, used, units string
	if err := row.Scan(&f.ID, &f.CampaignID, &f.CampaignVersion, &f.Group, &f.Unit, &f.UnitName, &f.Serial, &f.Code, &f.Token, &f.Short, &f.Channel,
		&f.Reserve, &issued, &voided, &f.VoidReason, &f.ReplacesID, &f.Answered, &f.Enumerator, &assigned, &used, &units); err != nil {
		return nil, notFound(err)
	}
	if units != "" {
		f.Units = strings.Split(units, ",")
	}
	f.IssuedAt, f.VoidedAt, f.AssignedAt, f.TokenUsedAt = parseTime(issued), parseTime(voided), parseTime(assigned), parseTime(used)
	return &f, nil
}

type queryer interface {
	QueryRow(query string, args ...any) *sql.Row
}

func formWhere(q queryer, where string, args ...any) (*IssuedForm, error) {
	return scanForm(q.QueryRow(formSelect+` WHERE `+where, args...))
}

// FormByCode finds an issued form by its human code.
func (db *DB) FormByCode(ctx context.Context, code string) (*IssuedForm, error) {
	return scanForm(db.read.QueryRowContext(ctx, formSelect+` WHERE f.code = ?`, code))
}

// LinkForm is what a respondent's link needs to know of its form, read with one lean query:
// every request to /p/<token> starts here.
type LinkForm struct {
	ID              int64
	CampaignID      int64
	CampaignVersion int
	GroupID         int64
	UnitID          int64 // 0 for a matrix form
	// Subset lists the ids of the units a matrix form was issued for (form_units) as "3,7,9",
	// or "" when it covers every unit of its kind; read it with UnitIDs.
	Subset   string
	Code     string
	Token    string
	Voided   bool
	Answered bool // the token is consumed in the transaction that stores the response
	// Locked is set once the campaign is closed: read with the form, so that no cache hides it.
	Locked bool
}

// FormByLink finds the form behind a link token.
func (db *DB) FormByLink(ctx context.Context, token string) (*LinkForm, error) {
	db.tokenOnce.Do(func() {
		db.byToken, db.tokenErr = db.read.Prepare(`SELECT f.id, f.campaign_id, c.version, f.group_id, ifnull(f.unit_id, 0), f.code,
			f.voided_at IS NOT NULL, f.token_used_at IS NOT NULL, c.locked_at IS NOT NULL, ` + linkUnits + `
			FROM issued_forms f JOIN campaigns c ON c.id = f.campaign_id WHERE f.token = ?`)
	})
	if db.tokenErr != nil {
		return nil, fmt.Errorf("store: prepare link look-up: %w", db.tokenErr)
	}
	f := &LinkForm{Token: token}
	err := db.byToken.QueryRowContext(ctx, token).Scan(&f.ID, &f.CampaignID, &f.CampaignVersion, &f.GroupID, &f.UnitID, &f.Code, &f.Voided, &f.Answered, &f.Locked, &f.Subset)
	if err != nil {
		return nil, notFound(err)
	}
	return f, nil
}

// FormByShortLink finds the form behind a short link code (see formcode.ReadShortCode), with
// what FormByLink gives; the short link leads to the same respondent page as the token.
func (db *DB) FormByShortLink(ctx context.Context, short string) (*LinkForm, error) {
	f := &LinkForm{}
	err := db.read.QueryRowContext(ctx, `SELECT f.id, f.campaign_id, c.version, f.group_id, ifnull(f.unit_id, 0), f.code, f.token,
		f.voided_at IS NOT NULL, f.token_used_at IS NOT NULL, c.locked_at IS NOT NULL, `+linkUnits+`
		FROM issued_forms f JOIN campaigns c ON c.id = f.campaign_id WHERE f.short_code = ?`, short).
		Scan(&f.ID, &f.CampaignID, &f.CampaignVersion, &f.GroupID, &f.UnitID, &f.Code, &f.Token, &f.Voided, &f.Answered, &f.Locked, &f.Subset)
	if err != nil {
		return nil, fmt.Errorf("store: short link: %w", notFound(err))
	}
	return f, nil
}

// CodeMaps maps a campaign's group and unit ids to their codes.
func (db *DB) CodeMaps(ctx context.Context, campaignID int64) (groups, units map[int64]string, err error) {
	groups, units = map[int64]string{}, map[int64]string{}
	for _, t := range []struct {
		table string
		dst   map[int64]string
	}{{"respondent_groups", groups}, {"units", units}} {
		rows, err := db.read.QueryContext(ctx, `SELECT id, code FROM `+t.table+` WHERE campaign_id = ?`, campaignID)
		if err != nil {
			return nil, nil, fmt.Errorf("store: codes of %s: %w", t.table, err)
		}
		for rows.Next() {
			var id int64
			var code string
			if err := rows.Scan(&id, &code); err != nil {
				rows.Close()
				return nil, nil, err
			}
			t.dst[id] = code
		}
		rows.Close()
	}
	return groups, units, nil
}

// FormFilter narrows a list of issued forms; empty fields match everything.
type FormFilter struct {
	Group      string
	Unit       string
	Channel    string
	WithVoided bool
}

// Forms lists a campaign's issued forms by group, unit and serial, calling fn for each so that
// large lists stream instead of piling up in memory.
func (db *DB) Forms(ctx context.Context, campaignID int64, flt FormFilter, fn func(*IssuedForm) error) error {
	rows, err := db.read.QueryContext(ctx, formSelect+` WHERE f.campaign_id = ?
		AND (? = '' OR g.code = ?) AND (? = '' OR ifnull(u.code, 'MT') = ?) AND (? = '' OR f.channel = ?)
		AND (? = 1 OR f.voided_at IS NULL)
		ORDER BY g.code, ifnull(u.code, ''), f.serial`,
		campaignID, flt.Group, flt.Group, flt.Unit, flt.Unit, flt.Channel, flt.Channel, flt.WithVoided)
	if err != nil {
		return fmt.Errorf("store: list forms: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		f, err := scanForm(rows)
		if err != nil {
			return err
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Assign hands forms (by code) to an enumerator; it returns how many it assigned.
func (db *DB) Assign(ctx context.Context, campaignID int64, codes []string, enumeratorID, byUserID int64) (int, error) {
	n := 0
	err := db.Write(ctx, func(tx *sql.Tx) error {
		now := timeText(db.Now())
		for _, code := range codes {
			res, err := tx.Exec(`INSERT INTO assignments (form_id, enumerator_id, assigned_at, assigned_by)
				SELECT id, ?, ?, ? FROM issued_forms WHERE campaign_id = ? AND code = ? AND voided_at IS NULL
				ON CONFLICT (form_id) DO UPDATE SET enumerator_id = excluded.enumerator_id, assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by`,
				enumeratorID, now, byUserID, campaignID, code)
			if err != nil {
				return fmt.Errorf("store: assign %s: %w", code, err)
			}
			k, _ := res.RowsAffected()
			if k == 0 {
				return fmt.Errorf("store: mã phiếu %s không có hoặc đã bị hủy: %w", code, ErrNotFound)
			}
			n++
		}
		return audit(tx, now, byUserID, "forms.assign", campaignID, "", map[string]any{"enumerator": enumeratorID, "count": n})
	})
	return n, err
}

// QuotaRow is one group × unit line of issuing and collection figures.
type QuotaRow struct {
	Group    string
	Unit     string
	Issued   int
	Voided   int
	Received int
	Valid    int
	Invalid  int
}

// FormCounts returns issued, voided and received counts per group × unit of a campaign.
func (db *DB) FormCounts(ctx context.Context, campaignID int64) ([]QuotaRow, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT g.code, ifnull(u.code, ''),
		count(*) FILTER (WHERE f.voided_at IS NULL), count(*) FILTER (WHERE f.voided_at IS NOT NULL),
		count(r.id), count(r.id) FILTER (WHERE r.valid = 1), count(r.id) FILTER (WHERE r.valid = 0)
		FROM issued_forms f JOIN respondent_groups g ON g.id = f.group_id LEFT JOIN units u ON u.id = f.unit_id
		LEFT JOIN responses r ON r.form_id = f.id
		WHERE f.campaign_id = ? GROUP BY g.code, u.code ORDER BY g.code, u.code`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: form counts: %w", err)
	}
	defer rows.Close()
	var out []QuotaRow
	for rows.Next() {
		var r QuotaRow
		if err := rows.Scan(&r.Group, &r.Unit, &r.Issued, &r.Voided, &r.Received, &r.Valid, &r.Invalid); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
