package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/formcode"
)

// NewRespondent is one person of a list on its way into the database.
type NewRespondent struct {
	// Line is the person's row in the uploaded file, for the report and the source column.
	Line      int
	Name      string
	Position  string
	Workplace string
	Phone     string // normalised by the caller; "" for none
	Email     string // normalised by the caller; "" for none
}

// RespondentList is a list of people of one group × unit (Unit "" for a matrix group), read
// from one file.
type RespondentList struct {
	Group, Unit string
	// File names the uploaded file, kept with each person as their source.
	File   string
	People []NewRespondent
}

// ContactTakenError is returned when a person's mobile number or e-mail address is already on
// the list of the same group × unit (a UNIQUE constraint decides it).
type ContactTakenError struct {
	Line int
	// Column is "phone" or "email".
	Column string
}

func (e *ContactTakenError) Error() string {
	return fmt.Sprintf("store: line %d: %s already on the list", e.Line, e.Column)
}

// ErrListClosed is returned when a list is changed for a locked campaign.
var ErrListClosed = fault.Sentinel(fault.Closed, "store: campaign locked")

// AddRespondents stores a list and issues a new online form for each person, in one
// transaction: either every person is stored with their form, or nothing is. Forms are issued
// through the same path as issuing by quota (insertForm), with the next serials of the group ×
// unit, so codes and links are like any other; a form already issued (perhaps printed or handed
// out) is never given to a person.
func (db *DB) AddRespondents(ctx context.Context, campaignID, userID int64, l RespondentList) (int, error) {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var locked bool
		if err := tx.QueryRow(`SELECT locked_at IS NOT NULL FROM campaigns WHERE id = ?`, campaignID).Scan(&locked); err != nil {
			return fmt.Errorf("store: campaign %d: %w", campaignID, notFound(err))
		}
		if locked {
			return ErrListClosed
		}
		gid, uid, err := groupUnitIDs(tx, campaignID, l.Group, l.Unit)
		if err != nil {
			return err
		}
		maxSerial, err := lastSerial(tx, l.Group, l.Unit)
		if err != nil {
			return err
		}
		if maxSerial+len(l.People) > formcode.MaxSerial {
			return fmt.Errorf("%w: nhóm %s, đơn vị %s còn %d số thứ tự của mã phiếu, danh sách có %d người", ErrSerialsUsedUp, l.Group, l.Unit, formcode.MaxSerial-maxSerial, len(l.People))
		}
		now := timeText(db.Now())
		for i, p := range l.People {
			serial := maxSerial + 1 + i
			if err := insertForm(tx, campaignID, gid, uid, l.Group, l.Unit, serial, "online", false, 0, now); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO respondents (campaign_id, group_id, unit_id, form_id, full_name, position, workplace, phone, email, source, imported_at, imported_by)
				SELECT ?, ?, ?, id, ?, ?, ?, ?, ?, ?, ?, ? FROM issued_forms WHERE group_id = ? AND ifnull(unit_id, 0) = ifnull(?, 0) AND serial = ?`,
				campaignID, gid, uid, p.Name, p.Position, p.Workplace, p.Phone, p.Email, fmt.Sprintf("%s:%d", l.File, p.Line), now, nullID(userID),
				gid, uid, serial); err != nil {
				if isUnique(err) {
					col := "email"
					if strings.Contains(err.Error(), "respondents_phone") {
						col = "phone"
					}
					return &ContactTakenError{Line: p.Line, Column: col}
				}
				return fmt.Errorf("store: add respondent of line %d: %w", p.Line, err)
			}
		}
		return audit(tx, now, userID, "respondents.import", campaignID, listScope(l.Group, l.Unit),
			map[string]any{"file": l.File, "people": len(l.People), "forms_issued": len(l.People)})
	})
	if err != nil {
		return 0, err
	}
	return len(l.People), nil
}

// listScope names a group × unit for the audit log: "S3/SNV", or "S1" for a matrix group.
func listScope(group, unit string) string {
	if unit == "" {
		return group
	}
	return group + "/" + unit
}

// ListContacts returns the mobile numbers and e-mail addresses already on the list of a group ×
// unit, so that an import can report a person given twice by their line.
func (db *DB) ListContacts(ctx context.Context, campaignID int64, group, unit string) (phones, emails map[string]bool, err error) {
	rows, err := db.read.QueryContext(ctx, `SELECT p.phone, p.email FROM respondents p
		JOIN respondent_groups g ON g.id = p.group_id LEFT JOIN units u ON u.id = p.unit_id
		WHERE p.campaign_id = ? AND g.code = ? AND ifnull(u.code, '') = ?`, campaignID, group, unit)
	if err != nil {
		return nil, nil, fmt.Errorf("store: contacts of %s: %w", listScope(group, unit), err)
	}
	defer rows.Close()
	phones, emails = map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var ph, em string
		if err := rows.Scan(&ph, &em); err != nil {
			return nil, nil, err
		}
		if ph != "" {
			phones[ph] = true
		}
		if em != "" {
			emails[em] = true
		}
	}
	return phones, emails, rows.Err()
}

// Respondent is one person of a list: who they are, the form issued to them and what they were
// sent. Whether they answered is all that is known of their response.
type Respondent struct {
	ID        int64
	Group     string
	Unit      string // "" on a matrix group's list
	Name      string
	Position  string
	Workplace string
	Phone     string
	Email     string
	Source    string
	Imported  time.Time
	// Opened is when the link was first opened; zero when never.
	Opened time.Time
	FormID int64
	Code   string
	Token  string
	// Short is the form's short link code (<base URL>/<Short>), for messages that count characters.
	Short    string
	Voided   bool
	Answered bool
	// History is every invitation and reminder, oldest first.
	History []Message
}

// Message is one invitation or reminder sent, or being sent, to a person.
type Message struct {
	ID       int64
	Kind     string // invitation or reminder
	Channel  string // email, sms or zalo
	Status   string // queued, sent or failed
	Attempts int
	Error    string
	Created  time.Time
	Sent     time.Time
}

// ListFilter narrows respondents to a group and a unit; empty fields match everything.
type ListFilter struct {
	Group, Unit string
}

const respondentFilter = `p.campaign_id = ? AND (? = '' OR g.code = ?) AND (? = '' OR ifnull(u.code, '') = ?)`

// Respondents returns the people of a campaign's lists, by group, unit and the order of their
// files, each with their history; both are read in one snapshot.
func (db *DB) Respondents(ctx context.Context, campaignID int64, flt ListFilter) ([]*Respondent, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store: respondents: %w", err)
	}
	defer tx.Rollback()
	args := []any{campaignID, flt.Group, flt.Group, flt.Unit, flt.Unit}
	rows, err := tx.QueryContext(ctx, `SELECT p.id, g.code, ifnull(u.code, ''), p.full_name, p.position, p.workplace, p.phone, p.email,
		p.source, p.imported_at, ifnull(p.opened_at, ''), f.id, f.code, f.token, f.short_code, f.voided_at IS NOT NULL,
		EXISTS (SELECT 1 FROM responses r WHERE r.form_id = f.id)
		FROM respondents p
		JOIN respondent_groups g ON g.id = p.group_id
		LEFT JOIN units u ON u.id = p.unit_id
		JOIN issued_forms f ON f.id = p.form_id
		WHERE `+respondentFilter+` ORDER BY g.code, ifnull(u.code, ''), p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: respondents: %w", err)
	}
	var out []*Respondent
	byID := map[int64]*Respondent{}
	for rows.Next() {
		var r Respondent
		var imported, opened string
		if err := rows.Scan(&r.ID, &r.Group, &r.Unit, &r.Name, &r.Position, &r.Workplace, &r.Phone, &r.Email,
			&r.Source, &imported, &opened, &r.FormID, &r.Code, &r.Token, &r.Short, &r.Voided, &r.Answered); err != nil {
			rows.Close()
			return nil, err
		}
		r.Imported, r.Opened = parseTime(imported), parseTime(opened)
		out = append(out, &r)
		byID[r.ID] = &r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT m.respondent_id, m.id, m.kind, m.channel, m.status, m.attempts, m.error, m.created_at, ifnull(m.sent_at, '')
		FROM outreach_messages m
		JOIN respondents p ON p.id = m.respondent_id
		JOIN respondent_groups g ON g.id = p.group_id
		LEFT JOIN units u ON u.id = p.unit_id
		WHERE `+respondentFilter+` ORDER BY m.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: respondents' messages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var m Message
		var created, sent string
		if err := rows.Scan(&pid, &m.ID, &m.Kind, &m.Channel, &m.Status, &m.Attempts, &m.Error, &created, &sent); err != nil {
			return nil, err
		}
		m.Created, m.Sent = parseTime(created), parseTime(sent)
		if r := byID[pid]; r != nil {
			r.History = append(r.History, m)
		}
	}
	return out, rows.Err()
}

// ListCount is the figures of one group × unit list: people on it, invited (an invitation
// went out on some channel), reminded, who opened their link, who answered.
type ListCount struct {
	Group, Unit                                 string
	Listed, Invited, Reminded, Opened, Answered int
	// Failed counts people whose latest e-mail could not be delivered.
	Failed int
}

// ListCounts returns the figures of every list of a campaign, by group and unit code.
func (db *DB) ListCounts(ctx context.Context, campaignID int64) ([]ListCount, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT g.code, ifnull(u.code, ''), count(*),
		count(*) FILTER (WHERE EXISTS (SELECT 1 FROM outreach_messages m WHERE m.respondent_id = p.id AND m.kind = 'invitation' AND m.status = 'sent')),
		count(*) FILTER (WHERE EXISTS (SELECT 1 FROM outreach_messages m WHERE m.respondent_id = p.id AND m.kind = 'reminder' AND m.status = 'sent')),
		count(p.opened_at),
		count(*) FILTER (WHERE EXISTS (SELECT 1 FROM responses r WHERE r.form_id = p.form_id)),
		count(*) FILTER (WHERE (SELECT m.status FROM outreach_messages m WHERE m.respondent_id = p.id AND m.channel = 'email' ORDER BY m.id DESC LIMIT 1) = 'failed')
		FROM respondents p JOIN respondent_groups g ON g.id = p.group_id LEFT JOIN units u ON u.id = p.unit_id
		WHERE p.campaign_id = ? GROUP BY g.code, u.code ORDER BY g.code, ifnull(u.code, '')`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: list counts: %w", err)
	}
	defer rows.Close()
	var out []ListCount
	for rows.Next() {
		var c ListCount
		if err := rows.Scan(&c.Group, &c.Unit, &c.Listed, &c.Invited, &c.Reminded, &c.Opened, &c.Answered, &c.Failed); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MarkOpened records that the link of a listed person's form was opened, the first time only.
// The respondent's page must not wait on the writer for it: a cheap read tells whether there is
// anything to record (only a listed person's first visit has), and the write is done in the
// background. A failure is not the respondent's problem and is dropped.
func (db *DB) MarkOpened(ctx context.Context, formID int64) {
	var id int64
	if err := db.read.QueryRowContext(ctx, `SELECT id FROM respondents WHERE form_id = ? AND opened_at IS NULL`, formID).Scan(&id); err != nil {
		return
	}
	at := timeText(db.Now())
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		db.write.ExecContext(ctx, `UPDATE respondents SET opened_at = ? WHERE id = ? AND opened_at IS NULL`, at, id)
	}()
}

// Destroyed is the destruction of a campaign's lists: how many people and messages were
// deleted, when and by whom.
type Destroyed struct {
	People, Messages int
	At               time.Time
	By               string
}

// DestroyRespondents deletes every list of a campaign with every message sent: names, phones,
// e-mail addresses and the person ↔ form mapping. The forms and their responses stay, now
// anonymous. The audit log records the counts, never a name. Deleted content is overwritten
// (secure_delete) and the write-ahead log is emptied afterwards, so that no name stays in the
// database files.
func (db *DB) DestroyRespondents(ctx context.Context, campaignID, userID int64) (Destroyed, error) {
	var d Destroyed
	// secure_delete is set for this one deletion on the writer, the pool's only connection, and
	// put back afterwards: the service deletes little else, and nothing else needs it.
	var was int
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if !db.pg() {
			if err := tx.QueryRow(`PRAGMA secure_delete`).Scan(&was); err != nil {
				return fmt.Errorf("store: secure delete: %w", err)
			}
			if _, err := tx.Exec(`PRAGMA secure_delete = ON`); err != nil {
				return fmt.Errorf("store: secure delete: %w", err)
			}
		}
		if err := tx.QueryRow(`SELECT (SELECT count(*) FROM respondents WHERE campaign_id = ?1), (SELECT count(*) FROM outreach_messages WHERE campaign_id = ?1)`,
			campaignID).Scan(&d.People, &d.Messages); err != nil {
			return fmt.Errorf("store: count lists: %w", err)
		}
		for _, q := range []string{
			`DELETE FROM outreach_messages WHERE campaign_id = ?`,
			`DELETE FROM outreach_sends WHERE campaign_id = ?`,
			`DELETE FROM respondents WHERE campaign_id = ?`,
		} {
			if _, err := tx.Exec(q, campaignID); err != nil {
				return fmt.Errorf("store: destroy lists: %w", err)
			}
		}
		now := db.Now()
		d.At = now
		return audit(tx, timeText(now), userID, "respondents.destroy", campaignID, "", map[string]int{"people": d.People, "messages": d.Messages})
	})
	if err != nil {
		return Destroyed{}, err
	}
	if db.pg() {
		// PostgreSQL keeps deleted rows in their pages until they are reused. VACUUM FULL
		// writes each table anew and deletes its old file, so that no name stays in the
		// tables' files; it runs outside a transaction and locks only these small tables, for
		// the moment it takes. (The server's write-ahead log keeps the rows until its segments
		// are recycled, as SQLite's log did until the checkpoint below.)
		for _, table := range []string{"outreach_messages", "outreach_sends", "respondents"} {
			if _, err := db.write.ExecContext(ctx, `VACUUM FULL `+table); err != nil {
				return d, fmt.Errorf("store: vacuum %s after destroying lists: %w", table, err)
			}
		}
		return d, nil
	}
	// The deleted rows' old pages are still in the write-ahead log until a checkpoint copies the
	// new ones over them and the log is cut.
	// A reader in the middle of a transaction keeps the log from being cut: try again a few times
	// (the next checkpoint overwrites the old frames anyway).
	for try := 0; try < 20; try++ {
		var busy, frames, done int
		if err := db.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
			return d, fmt.Errorf("store: checkpoint after destroying lists: %w", err)
		}
		if busy == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := db.write.ExecContext(ctx, fmt.Sprintf(`PRAGMA secure_delete = %d`, was)); err != nil {
		return d, fmt.Errorf("store: secure delete: %w", err)
	}
	return d, nil
}

// ListsDestroyed returns when a campaign's lists were destroyed, and whether they were.
func (db *DB) ListsDestroyed(ctx context.Context, campaignID int64) (Destroyed, bool, error) {
	var d Destroyed
	var at, detail string
	err := db.read.QueryRowContext(ctx, `SELECT a.at, ifnull(u.full_name, ''), a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
		WHERE a.campaign_id = ? AND a.action = 'respondents.destroy' ORDER BY a.id DESC LIMIT 1`, campaignID).Scan(&at, &d.By, &detail)
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, nil
	}
	if err != nil {
		return d, false, fmt.Errorf("store: lists destroyed: %w", err)
	}
	d.At = parseTime(at)
	var counts struct{ People, Messages int }
	if err := json.Unmarshal([]byte(detail), &counts); err != nil {
		return d, true, fmt.Errorf("store: lists destroyed: %w", err)
	}
	d.People, d.Messages = counts.People, counts.Messages
	return d, true, nil
}
