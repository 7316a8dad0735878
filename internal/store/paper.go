package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/fault"
)

// Batch is a batch of filled paper forms brought back: who brought it, for which group and unit,
// how many forms, and the day it was received.
type Batch struct {
	ID         int64
	CampaignID int64
	Group      string
	// Unit is the unit the forms are about; "" for matrix forms.
	Unit           string
	UnitName       string
	ReturnedBy     int64
	ReturnedByName string
	Count          int
	// ReceivedOn is the receipt day, at midnight Asia/Ho_Chi_Minh.
	ReceivedOn time.Time
	Note       string
	RecordedAt time.Time
	// Keyed is how many forms were keyed from the batch at least once; Verified how many of them
	// have an accepted paper response.
	Keyed    int
	Verified int
}

// dayLayout is how a receipt day is stored.
const dayLayout = "2006-01-02"

func parseDay(s string) time.Time {
	t, err := time.ParseInLocation(dayLayout, s, campaign.Zone)
	if err != nil {
		return time.Time{}
	}
	return t
}

// ErrBadBatch is returned for a batch whose group, unit or enumerator does not fit the campaign.
var ErrBadBatch = fault.Sentinel(fault.Invalid, "store: batch does not fit the campaign")

// RecordBatch stores a returned batch; b.ID is set. The group and unit must exist in the
// campaign (unit "" for matrix forms) and the bearer must be an account.
func (db *DB) RecordBatch(ctx context.Context, b *Batch, userID int64) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		gid, uid, err := groupUnitIDs(tx, b.CampaignID, b.Group, b.Unit)
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("%w: %v", ErrBadBatch, err)
		}
		if err != nil {
			return err
		}
		now := db.Now()
		newID, err := insertID(tx, `INSERT INTO paper_batches (campaign_id, group_id, unit_id, returned_by, form_count, received_on, note, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, b.CampaignID, gid, uid, b.ReturnedBy, b.Count,
			b.ReceivedOn.In(campaign.Zone).Format(dayLayout), b.Note, nullID(userID), timeText(now))
		if isForeignKey(err) {
			return fmt.Errorf("%w: người mang phiếu về không có", ErrBadBatch)
		}
		if err != nil {
			return fmt.Errorf("store: record batch %s/%s: %w", b.Group, b.Unit, err)
		}
		b.ID = newID
		b.RecordedAt = now
		return audit(tx, timeText(now), userID, "paper.batch", b.CampaignID, fmt.Sprintf("lô %d", b.ID), map[string]any{
			"group": b.Group, "unit": b.Unit, "returned_by": b.ReturnedBy, "count": b.Count,
			"received_on": b.ReceivedOn.In(campaign.Zone).Format(dayLayout)})
	})
}

func nullID(id int64) any {
	if id > 0 {
		return id
	}
	return nil
}

const batchSelect = `SELECT b.id, b.campaign_id, g.code, ifnull(u.code, ''), ifnull(u.name, ''), b.returned_by, e.full_name,
	b.form_count, b.received_on, b.note, b.recorded_at,
	(SELECT count(DISTINCT k.form_id) FROM keyings k WHERE k.batch_id = b.id),
	(SELECT count(DISTINCT k.form_id) FROM keyings k JOIN responses r ON r.form_id = k.form_id AND r.channel = 'paper' WHERE k.batch_id = b.id)
	FROM paper_batches b
	JOIN respondent_groups g ON g.id = b.group_id
	LEFT JOIN units u ON u.id = b.unit_id
	JOIN users e ON e.id = b.returned_by`

func scanBatch(row interface{ Scan(...any) error }) (*Batch, error) {
	var b Batch
	var day, recorded string
	if err := row.Scan(&b.ID, &b.CampaignID, &b.Group, &b.Unit, &b.UnitName, &b.ReturnedBy, &b.ReturnedByName,
		&b.Count, &day, &b.Note, &recorded, &b.Keyed, &b.Verified); err != nil {
		return nil, notFound(err)
	}
	b.ReceivedOn, b.RecordedAt = parseDay(day), parseTime(recorded)
	return &b, nil
}

// reader is what both the read pool and a write transaction offer, so that the same look-ups
// serve a page and the checks inside a write.
type reader interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func batchByID(ctx context.Context, q reader, id int64) (*Batch, error) {
	return scanBatch(q.QueryRowContext(ctx, batchSelect+` WHERE b.id = ?`, id))
}

// BatchByID returns a batch with its keying progress.
func (db *DB) BatchByID(ctx context.Context, id int64) (*Batch, error) {
	return batchByID(ctx, db.read, id)
}

// Batches lists a campaign's batches, the latest received first.
func (db *DB) Batches(ctx context.Context, campaignID int64) ([]Batch, error) {
	rows, err := db.read.QueryContext(ctx, batchSelect+` WHERE b.campaign_id = ? ORDER BY b.received_on DESC, b.id DESC`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: list batches: %w", err)
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list batches: %w", err)
		}
		out = append(out, *b)
	}
	return out, rows.Err()
}

// KeyedByKeyer counts, per batch of a campaign, the forms one keyer keyed.
func (db *DB) KeyedByKeyer(ctx context.Context, campaignID, keyerID int64) (map[int64]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT batch_id, count(*) FROM keyings WHERE campaign_id = ? AND keyer_id = ? GROUP BY batch_id`, campaignID, keyerID)
	if err != nil {
		return nil, fmt.Errorf("store: keyings of keyer %d: %w", keyerID, err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// AddKeyer lets an account key a campaign's paper forms; adding it twice changes nothing.
func (db *DB) AddKeyer(ctx context.Context, campaignID, userID, byUserID int64) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		now := timeText(db.Now())
		res, err := tx.Exec(`INSERT INTO campaign_keyers (campaign_id, user_id, added_at, added_by) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, campaignID, userID, now, nullID(byUserID))
		if isForeignKey(err) {
			return fmt.Errorf("store: keyer %d: %w", userID, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("store: add keyer %d: %w", userID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit(tx, now, byUserID, "paper.keyer.add", campaignID, "", map[string]int64{"user": userID})
	})
}

// RemoveKeyer stops an account keying a campaign; its keyings stay.
func (db *DB) RemoveKeyer(ctx context.Context, campaignID, userID, byUserID int64) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM campaign_keyers WHERE campaign_id = ? AND user_id = ?`, campaignID, userID)
		if err != nil {
			return fmt.Errorf("store: remove keyer %d: %w", userID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit(tx, timeText(db.Now()), byUserID, "paper.keyer.remove", campaignID, "", map[string]int64{"user": userID})
	})
}

// Keyers lists the accounts that key a campaign's paper forms, by name.
func (db *DB) Keyers(ctx context.Context, campaignID int64) ([]User, error) {
	return db.listUsers(ctx, "keyers", `SELECT `+userColumnsOf("u")+`
		FROM campaign_keyers k JOIN users u ON u.id = k.user_id WHERE k.campaign_id = ? ORDER BY u.full_name`, campaignID)
}

// KeyerCampaigns lists the campaigns an account keys for, newest year first.
func (db *DB) KeyerCampaigns(ctx context.Context, userID int64) ([]CampaignSummary, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT c.id, c.code, c.name, c.year, c.version, c.loaded_at
		FROM campaign_keyers k JOIN campaigns c ON c.id = k.campaign_id WHERE k.user_id = ? ORDER BY c.year DESC, c.code`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: campaigns of keyer %d: %w", userID, err)
	}
	defer rows.Close()
	var out []CampaignSummary
	for rows.Next() {
		var s CampaignSummary
		var loaded string
		if err := rows.Scan(&s.ID, &s.Code, &s.Name, &s.Year, &s.Version, &loaded); err != nil {
			return nil, err
		}
		s.LoadedAt = parseTime(loaded)
		out = append(out, s)
	}
	return out, rows.Err()
}

// IsKeyer reports whether an account keys a campaign's paper forms.
func (db *DB) IsKeyer(ctx context.Context, campaignID, userID int64) (bool, error) {
	var ok bool
	err := db.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM campaign_keyers WHERE campaign_id = ? AND user_id = ?)`, campaignID, userID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: is keyer: %w", err)
	}
	return ok, nil
}

// CampaignVersion returns a campaign's definition version, cheaply, for caches keyed by it.
func (db *DB) CampaignVersion(ctx context.Context, id int64) (int, error) {
	var v int
	err := db.read.QueryRowContext(ctx, `SELECT version FROM campaigns WHERE id = ?`, id).Scan(&v)
	return v, notFound(err)
}

// PaperRow is one group × unit line of the paper reconciliation.
type PaperRow struct {
	Group    string
	Unit     string // "" for matrix forms
	UnitName string
	// Issued counts forms not voided; HandedOut those assigned to an enumerator; Returned the
	// forms the recorded batches say came back.
	Issued, HandedOut, Returned int
	// Keyed counts forms keyed at least once; Verified those with an accepted paper response;
	// Imported those with a response from an import file.
	Keyed, Verified, Imported int
	// Valid and Invalid count responses of every channel, as judged.
	Valid, Invalid int
	// Missing counts handed-out forms with neither a keying nor a response; MissingCodes names them.
	Missing      int
	MissingCodes []string
}

// PaperReconciliation returns the paper figures of a campaign per group × unit, by group and
// unit code; groups that never issued a form and recorded no batch have no line.
func (db *DB) PaperReconciliation(ctx context.Context, campaignID int64) ([]PaperRow, error) {
	type key struct{ g, u string }
	byKey := map[key]*PaperRow{}
	var order []key
	line := func(g, u, name string) *PaperRow {
		k := key{g, u}
		if r := byKey[k]; r != nil {
			return r
		}
		r := &PaperRow{Group: g, Unit: u, UnitName: name}
		byKey[k] = r
		order = append(order, k)
		return r
	}
	rows, err := db.read.QueryContext(ctx, `SELECT g.code, ifnull(u.code, ''), ifnull(u.name, ''),
		count(*), count(a.form_id),
		count(*) FILTER (WHERE EXISTS (SELECT 1 FROM keyings k WHERE k.form_id = f.id)),
		count(r.id) FILTER (WHERE r.channel = 'paper'), count(r.id) FILTER (WHERE r.channel = 'import'),
		count(r.id) FILTER (WHERE r.valid = 1), count(r.id) FILTER (WHERE r.valid = 0),
		count(*) FILTER (WHERE a.form_id IS NOT NULL AND r.id IS NULL AND NOT EXISTS (SELECT 1 FROM keyings k WHERE k.form_id = f.id))
		FROM issued_forms f
		JOIN respondent_groups g ON g.id = f.group_id
		LEFT JOIN units u ON u.id = f.unit_id
		LEFT JOIN assignments a ON a.form_id = f.id
		LEFT JOIN responses r ON r.form_id = f.id
		WHERE f.campaign_id = ? AND f.voided_at IS NULL
		GROUP BY g.code, u.code, u.name ORDER BY g.code, u.code`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: paper reconciliation: %w", err)
	}
	for rows.Next() {
		var g, u, name string
		var x PaperRow
		if err := rows.Scan(&g, &u, &name, &x.Issued, &x.HandedOut, &x.Keyed, &x.Verified, &x.Imported, &x.Valid, &x.Invalid, &x.Missing); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: paper reconciliation: %w", err)
		}
		r := line(g, u, name)
		x.Group, x.Unit, x.UnitName = r.Group, r.Unit, r.UnitName
		*r = x
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: paper reconciliation: %w", err)
	}
	if err := db.eachRow(ctx, `SELECT g.code, ifnull(u.code, ''), ifnull(u.name, ''), sum(b.form_count)
		FROM paper_batches b JOIN respondent_groups g ON g.id = b.group_id LEFT JOIN units u ON u.id = b.unit_id
		WHERE b.campaign_id = ? GROUP BY g.code, u.code, u.name`, []any{campaignID}, func(s scanner) error {
		var g, u, name string
		var n int
		if err := s.Scan(&g, &u, &name, &n); err != nil {
			return err
		}
		line(g, u, name).Returned = n
		return nil
	}); err != nil {
		return nil, fmt.Errorf("store: returned forms: %w", err)
	}
	if err := db.eachRow(ctx, `SELECT g.code, ifnull(u.code, ''), f.code
		FROM issued_forms f JOIN respondent_groups g ON g.id = f.group_id LEFT JOIN units u ON u.id = f.unit_id
		JOIN assignments a ON a.form_id = f.id
		WHERE f.campaign_id = ? AND f.voided_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.form_id = f.id)
		AND NOT EXISTS (SELECT 1 FROM keyings k WHERE k.form_id = f.id)
		ORDER BY f.code`, []any{campaignID}, func(s scanner) error {
		var g, u, code string
		if err := s.Scan(&g, &u, &code); err != nil {
			return err
		}
		if r := byKey[key{g, u}]; r != nil {
			r.MissingCodes = append(r.MissingCodes, code)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("store: missing codes: %w", err)
	}
	out := make([]PaperRow, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	sortPaperRows(out)
	return out, nil
}

func sortPaperRows(rows []PaperRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Group != rows[j].Group {
			return rows[i].Group < rows[j].Group
		}
		return rows[i].Unit < rows[j].Unit
	})
}

type scanner interface{ Scan(...any) error }

// eachRow runs a query on the read pool and calls fn for every row.
func (db *DB) eachRow(ctx context.Context, query string, args []any, fn func(scanner) error) error {
	return eachRowIn(ctx, db.read, query, args, fn)
}

// eachRowIn runs a query on q, the read pool or a transaction, and calls fn for every row.
func eachRowIn(ctx context.Context, q reader, query string, args []any, fn func(scanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PaperReturn is one accepted paper response with the batch it came back in, for honoraria.
type PaperReturn struct {
	EnumeratorID int64
	Enumerator   string
	Group        string
	Unit         string // "" for a matrix form
	UnitName     string
	UnitKind     string
	Code         string
	ReceivedOn   time.Time
	Valid        bool
}

// PaperReturns lists a campaign's accepted paper responses (verified or adjudicated under double
// entry) with the enumerator who brought each back.
func (db *DB) PaperReturns(ctx context.Context, campaignID int64) ([]PaperReturn, error) {
	var out []PaperReturn
	err := db.eachRow(ctx, `SELECT b.returned_by, e.full_name, g.code, ifnull(u.code, ''), ifnull(u.name, ''), ifnull(u.kind, ''), f.code, b.received_on, ifnull(r.valid, 0)
		FROM responses r
		JOIN issued_forms f ON f.id = r.form_id
		JOIN respondent_groups g ON g.id = f.group_id
		LEFT JOIN units u ON u.id = f.unit_id
		JOIN paper_batches b ON b.id = (SELECT k.batch_id FROM keyings k WHERE k.form_id = f.id ORDER BY k.id LIMIT 1)
		JOIN users e ON e.id = b.returned_by
		WHERE r.campaign_id = ? AND r.channel = 'paper'
		ORDER BY e.full_name, f.code`, []any{campaignID}, func(s scanner) error {
		var p PaperReturn
		var day string
		if err := s.Scan(&p.EnumeratorID, &p.Enumerator, &p.Group, &p.Unit, &p.UnitName, &p.UnitKind, &p.Code, &day, &p.Valid); err != nil {
			return err
		}
		p.ReceivedOn = parseDay(day)
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: paper returns: %w", err)
	}
	return out, nil
}

// ChannelCount is how many stored forms of a group came in through one channel.
type ChannelCount struct {
	Group   string
	Channel string
	Forms   int
}

// AnsweredByChannel counts a campaign's stored responses per group and channel (online, paper,
// import), for the honoraria paid to respondents per form.
func (db *DB) AnsweredByChannel(ctx context.Context, campaignID int64) ([]ChannelCount, error) {
	var out []ChannelCount
	err := db.eachRow(ctx, `SELECT g.code, r.channel, count(*)
		FROM responses r JOIN issued_forms f ON f.id = r.form_id JOIN respondent_groups g ON g.id = f.group_id
		WHERE r.campaign_id = ? GROUP BY g.code, r.channel ORDER BY g.code, r.channel`, []any{campaignID}, func(s scanner) error {
		var c ChannelCount
		if err := s.Scan(&c.Group, &c.Channel, &c.Forms); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: answered forms by channel: %w", err)
	}
	return out, nil
}

// KeyerDay is one keyer's work on one day (Asia/Ho_Chi_Minh).
type KeyerDay struct {
	KeyerID int64
	Name    string
	Day     time.Time
	// Keyed is how many forms the keyer keyed; Duration the time spent keying them, from the
	// code accepted to the form saved.
	Keyed    int
	Duration time.Duration
	// Compared is how many of those forms have been keyed by a second keyer; Differing how many
	// of those pairs differed.
	Compared, Differing int
}

// KeyerStats returns each keyer's keyings per day, the latest day first.
func (db *DB) KeyerStats(ctx context.Context, campaignID int64) ([]KeyerDay, error) {
	_, offset := time.Now().In(campaign.Zone).Zone()
	modifier := fmt.Sprintf("%+d seconds", offset)
	var out []KeyerDay
	err := db.eachRow(ctx, `SELECT k.keyer_id, u.full_name, date(k.keyed_at, ?) AS day, count(*), sum(k.duration_ms),
		count(*) FILTER (WHERE (SELECT count(*) FROM keyings k2 WHERE k2.form_id = k.form_id) >= 2),
		count(*) FILTER (WHERE EXISTS (SELECT 1 FROM paper_conflicts c WHERE c.form_id = k.form_id AND c.kind = 'keyings_differ'))
		FROM keyings k JOIN users u ON u.id = k.keyer_id
		WHERE k.campaign_id = ?
		GROUP BY k.keyer_id, u.full_name, day ORDER BY day DESC, u.full_name`, []any{modifier, campaignID}, func(s scanner) error {
		var d KeyerDay
		var day string
		var ms int64
		if err := s.Scan(&d.KeyerID, &d.Name, &day, &d.Keyed, &ms, &d.Compared, &d.Differing); err != nil {
			return err
		}
		d.Day, d.Duration = parseDay(day), time.Duration(ms)*time.Millisecond
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: keyer statistics: %w", err)
	}
	return out, nil
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
