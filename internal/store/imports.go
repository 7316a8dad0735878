package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/parsurvey/parsurvey/internal/fault"
)

// CodeFacts is what the database holds about a form code named in an import file.
type CodeFacts struct {
	FormID int64
	Group  string
	Unit   string // "" for a matrix form
	Voided bool
	// Answered is the channel of the form's accepted response, "" when none; Digest is its digest.
	Answered string
	Digest   string
	// Keyed is set when the form has keyings from the paper keying screen.
	Keyed bool
	// Units are the unit codes a matrix form was issued for (form_units), empty when it covers
	// every unit of its kind.
	Units []string
}

// importChunk is how many codes one look-up names: well under SQLite's variable limit.
const importChunk = 500

// CodeFacts looks up the codes of an import file in a campaign; codes not issued are absent.
func (db *DB) CodeFacts(ctx context.Context, campaignID int64, codes []string) (map[string]CodeFacts, error) {
	out := make(map[string]CodeFacts, len(codes))
	for start := 0; start < len(codes); start += importChunk {
		chunk := codes[start:min(start+importChunk, len(codes))]
		args := []any{campaignID}
		for _, c := range chunk {
			args = append(args, c)
		}
		err := db.eachRow(ctx, `SELECT f.code, f.id, g.code, ifnull(u.code, ''), f.voided_at IS NOT NULL,
			ifnull(r.channel, ''), ifnull(r.body_digest, ''), EXISTS (SELECT 1 FROM keyings k WHERE k.form_id = f.id),
			ifnull((SELECT group_concat(su.code, ',') FROM form_units fs JOIN units su ON su.id = fs.unit_id WHERE fs.form_id = f.id), '')
			FROM issued_forms f JOIN respondent_groups g ON g.id = f.group_id LEFT JOIN units u ON u.id = f.unit_id
			LEFT JOIN responses r ON r.form_id = f.id
			WHERE f.campaign_id = ? AND f.code IN (`+placeholders(len(chunk))+`)`, args, func(s scanner) error {
			var code, subset string
			var f CodeFacts
			if err := s.Scan(&code, &f.FormID, &f.Group, &f.Unit, &f.Voided, &f.Answered, &f.Digest, &f.Keyed, &subset); err != nil {
				return err
			}
			if subset != "" {
				f.Units = strings.Split(subset, ",")
			}
			out[code] = f
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("store: look up import codes: %w", err)
		}
	}
	return out, nil
}

// ErrKeyingInProgress is returned for an import row whose form is being keyed from paper.
var ErrKeyingInProgress = fault.Sentinel(fault.Conflict, "store: form is being keyed from paper")

// ErrImportRefused is returned when some rows of an import could not be stored; nothing was.
var ErrImportRefused = fault.Sentinel(fault.Invalid, "store: import refused")

// ImportResult says what an import stored.
type ImportResult struct {
	// Stored counts the responses added; Already those found stored by an earlier upload.
	Stored, Already int
	// Failed maps the index of each submission that could not be stored to why; when it is not
	// empty nothing was stored.
	Failed map[int]error
}

// ImportSubmissions stores the responses of an import file all together or not at all, in one
// transaction: a submission identical to the response already stored for its form is counted as
// already there (so a re-upload never duplicates), any other clash refuses the whole file.
func (db *DB) ImportSubmissions(ctx context.Context, campaignID, userID int64, file string, subs []*Submission) (ImportResult, error) {
	res := ImportResult{Failed: map[int]error{}}
	err := db.Write(ctx, func(tx *sql.Tx) error {
		res.Stored, res.Already = 0, 0
		for i, s := range subs {
			var keyed bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM keyings WHERE form_id = ?)`, s.FormID).Scan(&keyed); err != nil {
				return fmt.Errorf("store: import row %d: %w", i, err)
			}
			if keyed {
				res.Failed[i] = ErrKeyingInProgress
				continue
			}
			s.CampaignID = campaignID
			r, err := db.insertSubmission(tx, s)
			switch {
			case errors.Is(err, ErrConflict) || errors.Is(err, ErrVoided) || errors.Is(err, ErrNotFound):
				res.Failed[i] = err
			case err != nil:
				return fmt.Errorf("store: import row %d: %w", i, err)
			case r.Replayed:
				res.Already++
			default:
				res.Stored++
			}
		}
		if len(res.Failed) > 0 {
			return ErrImportRefused
		}
		return audit(tx, timeText(db.Now()), userID, "paper.import", campaignID, file, map[string]int{"stored": res.Stored, "already": res.Already})
	})
	if err != nil {
		res.Stored = 0
		return res, err
	}
	return res, nil
}
