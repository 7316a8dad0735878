package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// TextAnswer is an open-ended answer on its way into the database with its response: the text
// written (or keyed) for one question about one unit, already NFC-normalised and checked
// against the question's length.
type TextAnswer struct {
	UnitID   int64
	Question string
	Body     string
}

// TextAnswerRow is one stored open-ended answer as exports and reports read it.
type TextAnswerRow struct {
	ResponseID int64
	Receipt    string
	// FormCode is the issued form's code (mã phiếu); Questionnaire its group's form (mẫu phiếu).
	FormCode      string
	Group         string
	Questionnaire string
	Unit          string
	UnitName      string
	Question      string
	Body          string
	Channel       string
	// Valid says whether the form counts for the unit (a matrix form is judged per unit).
	Valid      bool
	ReceivedAt time.Time
}

// TextFilter narrows TextAnswers; an empty field matches every value.
type TextFilter struct {
	Unit, Group, Questionnaire string
}

// insertTexts stores a submission's open answers inside its transaction.
func insertTexts(tx *sql.Tx, responseID int64, texts []TextAnswer) error {
	for _, t := range texts {
		if _, err := tx.Exec(`INSERT INTO text_answers (response_id, unit_id, question, body) VALUES (?, ?, ?, ?)`,
			responseID, t.UnitID, t.Question, t.Body); err != nil {
			return fmt.Errorf("store: insert open answer %s of response %d: %w", t.Question, responseID, err)
		}
	}
	return nil
}

// insertKeyingTexts stores the open answers a keying typed, inside its transaction.
func insertKeyingTexts(ctx context.Context, tx *sql.Tx, keyingID int64, texts map[string]string) error {
	for item, body := range texts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO keying_texts (keying_id, item, body) VALUES (?, ?, ?)`, keyingID, item, body); err != nil {
			return fmt.Errorf("store: insert keyed open answer %s of keying %d: %w", item, keyingID, err)
		}
	}
	return nil
}

// keyingTexts fills in the open answers of a form's keyings.
func keyingTexts(ctx context.Context, q reader, formID int64, keyings []Keying) error {
	rows, err := q.QueryContext(ctx, `SELECT t.keying_id, t.item, t.body FROM keying_texts t
		JOIN keyings k ON k.id = t.keying_id WHERE k.form_id = ?`, formID)
	if err != nil {
		return fmt.Errorf("store: keyed open answers of form %d: %w", formID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var item, body string
		if err := rows.Scan(&id, &item, &body); err != nil {
			return fmt.Errorf("store: keyed open answers of form %d: %w", formID, err)
		}
		for i := range keyings {
			if keyings[i].ID == id {
				if keyings[i].Texts == nil {
					keyings[i].Texts = map[string]string{}
				}
				keyings[i].Texts[item] = body
			}
		}
	}
	return rows.Err()
}

// TextAnswers lists a campaign's open-ended answers, by unit, group and questionnaire code
// when the filter names them, in the order unit, question, time received.
func (db *DB) TextAnswers(ctx context.Context, campaignID int64, f TextFilter) ([]TextAnswerRow, error) {
	q := `SELECT r.id, r.receipt, fo.code, g.code, g.form_code, u.code, u.name, t.question, t.body, r.channel,
			ifnull(a.valid, 0), r.received_at
		FROM text_answers t
		JOIN responses r ON r.id = t.response_id
		JOIN issued_forms fo ON fo.id = r.form_id
		JOIN respondent_groups g ON g.id = fo.group_id
		JOIN units u ON u.id = t.unit_id
		LEFT JOIN response_answers a ON a.response_id = t.response_id AND a.unit_id = t.unit_id
		WHERE r.campaign_id = ?`
	args := []any{campaignID}
	var where []string
	for _, c := range []struct{ col, v string }{{"u.code", f.Unit}, {"g.code", f.Group}, {"g.form_code", f.Questionnaire}} {
		if c.v != "" {
			where = append(where, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	if len(where) > 0 {
		q += " AND " + strings.Join(where, " AND ")
	}
	q += " ORDER BY u.code, t.question, r.received_at, r.id"
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: open answers of campaign %d: %w", campaignID, err)
	}
	defer rows.Close()
	var out []TextAnswerRow
	for rows.Next() {
		var r TextAnswerRow
		var at string
		if err := rows.Scan(&r.ResponseID, &r.Receipt, &r.FormCode, &r.Group, &r.Questionnaire, &r.Unit, &r.UnitName,
			&r.Question, &r.Body, &r.Channel, &r.Valid, &at); err != nil {
			return nil, fmt.Errorf("store: open answers of campaign %d: %w", campaignID, err)
		}
		r.ReceivedAt = parseTime(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
