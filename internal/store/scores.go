package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/fault"
)

// CampaignSettings are a campaign's stored overrides of its method options and valid-form rules.
type CampaignSettings struct {
	// JSON is the overrides object, "{}" when the definition's values all stand; Overrides is
	// it read.
	JSON      string
	Overrides campaign.Settings
	// ValidatedThrough is the highest response id judged under these settings.
	ValidatedThrough int64
	UpdatedAt        time.Time
	UpdatedBy        string
}

// CampaignSettings returns the campaign's overrides; a campaign that never changed them gets "{}".
func (db *DB) CampaignSettings(ctx context.Context, campaignID int64) (CampaignSettings, error) {
	s := CampaignSettings{JSON: "{}"}
	var at string
	err := db.read.QueryRowContext(ctx, `SELECT s.settings, s.validated_through, s.updated_at, ifnull(u.username, '')
		FROM campaign_settings s LEFT JOIN users u ON u.id = s.updated_by WHERE s.campaign_id = ?`, campaignID).
		Scan(&s.JSON, &s.ValidatedThrough, &at, &s.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("store: settings of campaign %d: %w", campaignID, err)
	}
	s.UpdatedAt = parseTime(at)
	if s.Overrides, err = campaign.ParseSettings(s.JSON); err != nil {
		return s, fmt.Errorf("store: settings of campaign %d: %w", campaignID, err)
	}
	return s, nil
}

// Effective returns the campaign's definition with its stored settings laid over it: the
// method and valid-form rules in force. The store is the one reader of stored settings, so
// every path judges and scores by the same definition.
func (db *DB) Effective(ctx context.Context, camp *Campaign) (*campaign.Definition, error) {
	set, err := db.CampaignSettings(ctx, camp.ID)
	if err != nil {
		return nil, err
	}
	return set.Overrides.Apply(camp.Def), nil
}

// StoredResponse is a stored response with what judging it again needs: the issued form's
// group, unit and state, how and when it came, and its answers per unit.
type StoredResponse struct {
	ID int64
	// Group is the code of the group the form was issued to.
	Group string
	// FormUnit is the unit the form was issued for; "" for a matrix form. FormUnits are the
	// units a matrix form was issued for (form_units), empty when it covers its whole kind.
	FormUnit   string
	FormUnits  []string
	Voided     bool
	Channel    string
	ReceivedAt time.Time
	// Judged is false while the response awaits a verdict (valid is NULL).
	Judged  bool
	Valid   bool
	Reasons string
	Answers []StoredAnswers
}

// StoredAnswers are a stored response's answers about one unit.
type StoredAnswers struct {
	UnitID  int64
	Unit    string
	Answers string
	Valid   bool
}

// StoredResponses streams a campaign's responses with an id above afterID, in id order, each
// with its answers in unit order.
func (db *DB) StoredResponses(ctx context.Context, campaignID, afterID int64, fn func(*StoredResponse) error) error {
	rows, err := db.read.QueryContext(ctx, `SELECT r.id, g.code, ifnull(fu.code, ''),
		ifnull((SELECT group_concat(su.code, ',') FROM form_units fs JOIN units su ON su.id = fs.unit_id WHERE fs.form_id = f.id), ''), f.voided_at IS NOT NULL, r.channel, r.received_at,
		r.valid IS NOT NULL, ifnull(r.valid, 0), r.reasons, ifnull(a.unit_id, 0), ifnull(u.code, ''), ifnull(a.answers, ''), ifnull(a.valid, 0)
		FROM responses r
		JOIN issued_forms f ON f.id = r.form_id
		JOIN respondent_groups g ON g.id = f.group_id
		LEFT JOIN units fu ON fu.id = f.unit_id
		LEFT JOIN response_answers a ON a.response_id = r.id
		LEFT JOIN units u ON u.id = a.unit_id
		WHERE r.campaign_id = ? AND r.id > ?
		ORDER BY r.id, a.unit_id`, campaignID, afterID)
	if err != nil {
		return fmt.Errorf("store: stored responses of campaign %d: %w", campaignID, err)
	}
	defer rows.Close()
	var cur *StoredResponse
	for rows.Next() {
		var r StoredResponse
		var a StoredAnswers
		var received, subset string
		if err := rows.Scan(&r.ID, &r.Group, &r.FormUnit, &subset, &r.Voided, &r.Channel, &received, &r.Judged, &r.Valid, &r.Reasons,
			&a.UnitID, &a.Unit, &a.Answers, &a.Valid); err != nil {
			return fmt.Errorf("store: scan stored response: %w", err)
		}
		if cur == nil || cur.ID != r.ID {
			if cur != nil {
				if err := fn(cur); err != nil {
					return err
				}
			}
			r.ReceivedAt = parseTime(received)
			if subset != "" {
				r.FormUnits = strings.Split(subset, ",")
			}
			cur = &r
		}
		if a.UnitID != 0 {
			cur.Answers = append(cur.Answers, a)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: stored responses of campaign %d: %w", campaignID, err)
	}
	if cur != nil {
		return fn(cur)
	}
	return nil
}

// Verdict is a new judgement on a stored response, as a whole and per unit.
type Verdict struct {
	ResponseID int64
	Valid      bool
	Reasons    string // JSON list of failed rules, "[]" when valid
	Units      []UnitVerdict
}

// UnitVerdict says whether a response counts for one unit.
type UnitVerdict struct {
	UnitID int64
	Valid  bool
}

// Revalidation is the outcome of judging a campaign's responses again, stored in one transaction.
type Revalidation struct {
	CampaignID int64
	UserID     int64
	// Expect is the settings JSON the verdicts were made under; if the stored settings differ
	// when the transaction starts, nothing is written and ErrSettingsChanged is returned.
	Expect string
	// Settings, when set, replaces the stored settings (a rule change).
	Settings *string
	// Through is the highest response id judged.
	Through int64
	// Verdicts are the judgements that differ from the stored ones.
	Verdicts []Verdict
	// Action and Detail are written to the audit log.
	Action string
	Detail any
}

// ErrSettingsChanged is returned when a campaign's settings changed while its responses were
// being judged again; the caller judges them again under the new settings.
var ErrSettingsChanged = fault.Sentinel(fault.Conflict, "store: settings changed during validation")

// SaveRevalidation stores new settings (if any) and the changed verdicts in one write
// transaction, and audits it.
func (db *DB) SaveRevalidation(ctx context.Context, rv *Revalidation) error {
	now := timeText(db.Now())
	return db.Write(ctx, func(tx *sql.Tx) error {
		current := "{}"
		var through int64
		err := tx.QueryRow(`SELECT settings, validated_through FROM campaign_settings WHERE campaign_id = ?`, rv.CampaignID).Scan(&current, &through)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: read settings of campaign %d: %w", rv.CampaignID, err)
		}
		if current != rv.Expect {
			return ErrSettingsChanged
		}
		next := current
		if rv.Settings != nil {
			next = *rv.Settings
		}
		if rv.Settings != nil {
			through = rv.Through // judgements under the old settings no longer count
		} else {
			through = max(through, rv.Through)
		}
		var by any
		if rv.UserID > 0 {
			by = rv.UserID
		}
		if _, err := tx.Exec(`INSERT INTO campaign_settings (campaign_id, settings, validated_through, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (campaign_id) DO UPDATE SET settings = excluded.settings, validated_through = excluded.validated_through,
			updated_at = CASE WHEN campaign_settings.settings = excluded.settings THEN campaign_settings.updated_at ELSE excluded.updated_at END,
			updated_by = CASE WHEN campaign_settings.settings = excluded.settings THEN campaign_settings.updated_by ELSE excluded.updated_by END`,
			rv.CampaignID, next, through, now, by); err != nil {
			return fmt.Errorf("store: save settings of campaign %d: %w", rv.CampaignID, err)
		}
		noteChange(tx, Change{Kind: ChangeCampaign, CampaignID: rv.CampaignID})
		resp, err := tx.Prepare(`UPDATE responses SET valid = ?, reasons = ? WHERE id = ? AND campaign_id = ?`)
		if err != nil {
			return fmt.Errorf("store: prepare verdicts: %w", err)
		}
		defer resp.Close()
		unit, err := tx.Prepare(`UPDATE response_answers SET valid = ? WHERE response_id = ? AND unit_id = ?`)
		if err != nil {
			return fmt.Errorf("store: prepare verdicts: %w", err)
		}
		defer unit.Close()
		for _, v := range rv.Verdicts {
			if _, err := resp.Exec(v.Valid, v.Reasons, v.ResponseID, rv.CampaignID); err != nil {
				return fmt.Errorf("store: verdict on response %d: %w", v.ResponseID, err)
			}
			for _, u := range v.Units {
				if _, err := unit.Exec(u.Valid, v.ResponseID, u.UnitID); err != nil {
					return fmt.Errorf("store: verdict on response %d, unit %d: %w", v.ResponseID, u.UnitID, err)
				}
			}
		}
		if rv.Action == "" {
			return nil
		}
		return audit(tx, now, rv.UserID, rv.Action, rv.CampaignID, "", rv.Detail)
	})
}

// ScoringRow is one unit's answers of a stored response, as scoring reads them.
type ScoringRow struct {
	ResponseID int64
	Group      string
	Unit       string
	// Judged is false while the response awaits a verdict; Valid says whether it counts for
	// this unit (a matrix form is judged per unit).
	Judged bool
	Valid  bool
	// Answers is only valid during the call.
	Answers []byte
}

// ScoringRows streams every unit's answers of a campaign's responses, in response and unit
// order, with their verdicts: one query, no per-row allocation for the codes, so that 100,000
// forms are read in a fraction of a second.
func (db *DB) ScoringRows(ctx context.Context, campaignID int64, fn func(*ScoringRow) error) error {
	return db.unitAnswers(ctx, campaignID, "scoring rows", false, func(r *ScoringRow, _ []byte) error { return fn(r) })
}

// unitAnswers streams the rows of ScoringRows, handing fn the respondent's details too (the
// JSON object, valid during the call) when withRespondent is set, nil otherwise; what names the
// rows in errors.
func (db *DB) unitAnswers(ctx context.Context, campaignID int64, what string, withRespondent bool, fn func(r *ScoringRow, respondent []byte) error) error {
	groups, err := db.codes(ctx, `SELECT id, code FROM respondent_groups WHERE campaign_id = ?`, campaignID)
	if err != nil {
		return err
	}
	units, err := db.codes(ctx, `SELECT id, code FROM units WHERE campaign_id = ?`, campaignID)
	if err != nil {
		return err
	}
	var r ScoringRow
	var gid, uid int64
	var respondent, answers sql.RawBytes
	cols, dest := "a.answers", []any{&r.ResponseID, &gid, &uid, &r.Judged, &r.Valid, &answers}
	if withRespondent {
		cols, dest = "r.respondent, a.answers", []any{&r.ResponseID, &gid, &uid, &r.Judged, &r.Valid, &respondent, &answers}
	}
	// Ordered by r.id, which the plan walks anyway (responses_campaign index): no sort.
	rows, err := db.read.QueryContext(ctx, `SELECT a.response_id, f.group_id, a.unit_id, r.valid IS NOT NULL, a.valid, `+cols+`
		FROM responses r
		JOIN response_answers a ON a.response_id = r.id
		JOIN issued_forms f ON f.id = r.form_id
		WHERE r.campaign_id = ?
		ORDER BY r.id, a.unit_id`, campaignID)
	if err != nil {
		return fmt.Errorf("store: %s of campaign %d: %w", what, campaignID, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("store: scan %s: %w", what, err)
		}
		r.Group, r.Unit, r.Answers = groups[gid], units[uid], answers
		if err := fn(&r, respondent); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: %s of campaign %d: %w", what, campaignID, err)
	}
	return nil
}

func (db *DB) codes(ctx context.Context, query string, campaignID int64) (map[int64]string, error) {
	rows, err := db.read.QueryContext(ctx, query, campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: codes: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		out[id] = code
	}
	return out, rows.Err()
}

// Tally is how many forms one group returned about one unit and how they were judged; a
// matrix form counts once for each unit it covers.
type Tally struct {
	Group   string `json:"group"`
	Unit    string `json:"unit"`
	Forms   int64  `json:"forms"`
	Valid   int64  `json:"valid"`
	Invalid int64  `json:"invalid"`
	// Pending are forms not judged yet (paper forms awaiting their second keying).
	Pending int64 `json:"pending"`
}

// AnswerTally counts a campaign's returned forms per group × unit, in group and unit code order.
func (db *DB) AnswerTally(ctx context.Context, campaignID int64) ([]Tally, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT g.code, u.code, count(*),
		count(*) FILTER (WHERE r.valid IS NOT NULL AND a.valid = 1),
		count(*) FILTER (WHERE r.valid IS NOT NULL AND a.valid = 0),
		count(*) FILTER (WHERE r.valid IS NULL)
		FROM responses r
		JOIN response_answers a ON a.response_id = r.id
		JOIN issued_forms f ON f.id = r.form_id
		JOIN respondent_groups g ON g.id = f.group_id
		JOIN units u ON u.id = a.unit_id
		WHERE r.campaign_id = ?
		GROUP BY g.code, u.code ORDER BY g.code, u.code`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: tally of campaign %d: %w", campaignID, err)
	}
	defer rows.Close()
	var out []Tally
	for rows.Next() {
		var t Tally
		if err := rows.Scan(&t.Group, &t.Unit, &t.Forms, &t.Valid, &t.Invalid, &t.Pending); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ResponseRow is one form's answers about one unit, as exports list them: a single-unit form
// gives one row, a matrix form one per unit it covers.
type ResponseRow struct {
	ResponseID int64
	Code       string
	Receipt    string
	Group      string
	Channel    string
	ReceivedAt time.Time
	// Judged is false while the response awaits a verdict.
	Judged bool
	// Valid is the verdict on the whole form; UnitValid whether it counts for this unit.
	Valid      bool
	UnitValid  bool
	Reasons    string // JSON list of failed rules
	Respondent string // JSON object of respondent fields
	Unit       string
	Answers    string
}

// ResponseRows streams a campaign's responses one row per form and unit, ordered by form code
// and unit. With onlyInvalid, only rows that do not count (the form or that unit judged invalid).
func (db *DB) ResponseRows(ctx context.Context, campaignID int64, onlyInvalid bool, fn func(*ResponseRow) error) error {
	return db.responseRows(ctx, fmt.Sprintf("responses of campaign %d", campaignID),
		`WHERE r.campaign_id = ? AND (? = 0 OR (r.valid IS NOT NULL AND a.valid = 0))
		ORDER BY f.code, a.unit_id`, []any{campaignID, onlyInvalid}, fn)
}

// responseRows runs the query of ResponseRow's columns with a WHERE and ORDER BY clause (tail)
// and hands each row to fn, reusing one ResponseRow; what names the rows in errors.
func (db *DB) responseRows(ctx context.Context, what, tail string, args []any, fn func(*ResponseRow) error) error {
	rows, err := db.read.QueryContext(ctx, `SELECT r.id, f.code, r.receipt, g.code, r.channel, r.received_at,
		r.valid IS NOT NULL, ifnull(r.valid, 0), a.valid, r.reasons, r.respondent, u.code, a.answers
		FROM responses r
		JOIN issued_forms f ON f.id = r.form_id
		JOIN respondent_groups g ON g.id = f.group_id
		JOIN response_answers a ON a.response_id = r.id
		JOIN units u ON u.id = a.unit_id
		`+tail, args...)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var r ResponseRow
	var received string
	for rows.Next() {
		if err := rows.Scan(&r.ResponseID, &r.Code, &r.Receipt, &r.Group, &r.Channel, &received, &r.Judged, &r.Valid, &r.UnitValid,
			&r.Reasons, &r.Respondent, &r.Unit, &r.Answers); err != nil {
			return fmt.Errorf("store: scan a row of %s: %w", what, err)
		}
		r.ReceivedAt = parseTime(received)
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}

// ScoreRun is a stored score run: what it used and every figure it gave.
type ScoreRun struct {
	ID              int64
	CampaignID      int64
	CampaignVersion int
	// Settings is the JSON of the overrides in force; Method the JSON of the effective options.
	Settings     string
	Method       string
	InputDigest  string
	ResultDigest string
	Forms        int64
	// Result is the JSON of every figure; empty when listed without it.
	Result      []byte
	CreatedAt   time.Time
	CreatedByID int64
	CreatedBy   string
	// Reused is set by SaveScoreRun when it stored nothing because the campaign's newest run
	// already had these inputs and figures; the other fields then describe that run.
	Reused bool
}

// SaveScoreRun stores a run (never changed afterwards) and audits it; it sets the run's id.
// When the campaign's newest run has the same input digest, figures and definition version, it
// stores nothing and fills r with that run instead (Reused): a run is a snapshot of 100s of KB
// that can never be deleted, and another copy of the newest one would say nothing new. Only the
// newest run counts: inputs that changed and then changed back make a new run, so that the
// list of runs, read in order, shows each change. The check runs in the write transaction,
// which is immediate, so identical saves at the same time store one run.
func (db *DB) SaveScoreRun(ctx context.Context, r *ScoreRun) error {
	now := db.Now()
	return db.Write(ctx, func(tx *sql.Tx) error {
		newest, err := scanRun(tx.QueryRowContext(ctx, `SELECT `+runColumns+` FROM score_runs s LEFT JOIN users u ON u.id = s.created_by
			WHERE s.campaign_id = ? ORDER BY s.id DESC LIMIT 1`, r.CampaignID), false)
		switch {
		case err == nil && newest.InputDigest == r.InputDigest && newest.ResultDigest == r.ResultDigest &&
			newest.CampaignVersion == r.CampaignVersion:
			// The figures are equal by their digest: r keeps its own copy of them.
			newest.Result, newest.Reused = r.Result, true
			*r = *newest
			return nil
		case err != nil && !errors.Is(err, ErrNotFound):
			return fmt.Errorf("store: newest score run of campaign %d: %w", r.CampaignID, err)
		}
		var by any
		if r.CreatedByID > 0 {
			by = r.CreatedByID
		}
		newID, err := insertID(tx, `INSERT INTO score_runs (campaign_id, campaign_version, settings, method, input_digest, result_digest, forms, result, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.CampaignID, r.CampaignVersion, r.Settings, r.Method, r.InputDigest, r.ResultDigest,
			r.Forms, string(r.Result), timeText(now), by)
		if err != nil {
			return fmt.Errorf("store: save score run of campaign %d: %w", r.CampaignID, err)
		}
		r.ID = newID
		r.CreatedAt, r.Reused = now, false
		return audit(tx, timeText(now), r.CreatedByID, "scores.run", r.CampaignID, fmt.Sprint(r.ID),
			map[string]any{"version": r.CampaignVersion, "input_digest": r.InputDigest, "result_digest": r.ResultDigest, "forms": r.Forms})
	})
}

const runColumns = `s.id, s.campaign_id, s.campaign_version, s.settings, s.method, s.input_digest, s.result_digest, s.forms,
	s.created_at, ifnull(s.created_by, 0), ifnull(u.username, '')`

func scanRun(row interface{ Scan(...any) error }, withResult bool) (*ScoreRun, error) {
	var r ScoreRun
	var at string
	dest := []any{&r.ID, &r.CampaignID, &r.CampaignVersion, &r.Settings, &r.Method, &r.InputDigest, &r.ResultDigest, &r.Forms,
		&at, &r.CreatedByID, &r.CreatedBy}
	if withResult {
		dest = append(dest, &r.Result)
	}
	if err := row.Scan(dest...); err != nil {
		return nil, notFound(err)
	}
	r.CreatedAt = parseTime(at)
	return &r, nil
}

// ScoreRun returns one run of a campaign with its figures, or ErrNotFound.
func (db *DB) ScoreRun(ctx context.Context, campaignID, id int64) (*ScoreRun, error) {
	r, err := scanRun(db.read.QueryRowContext(ctx, `SELECT `+runColumns+`, s.result FROM score_runs s LEFT JOIN users u ON u.id = s.created_by
		WHERE s.campaign_id = ? AND s.id = ?`, campaignID, id), true)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("store: score run %d: %w", id, err)
	}
	return r, err
}

// LatestScoreRun returns a campaign's newest run with its figures, or ErrNotFound.
func (db *DB) LatestScoreRun(ctx context.Context, campaignID int64) (*ScoreRun, error) {
	r, err := scanRun(db.read.QueryRowContext(ctx, `SELECT `+runColumns+`, s.result FROM score_runs s LEFT JOIN users u ON u.id = s.created_by
		WHERE s.campaign_id = ? ORDER BY s.id DESC LIMIT 1`, campaignID), true)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("store: latest score run of campaign %d: %w", campaignID, err)
	}
	return r, err
}

// ScoreRuns lists a campaign's runs, newest first, without their figures.
func (db *DB) ScoreRuns(ctx context.Context, campaignID int64) ([]ScoreRun, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+runColumns+` FROM score_runs s LEFT JOIN users u ON u.id = s.created_by
		WHERE s.campaign_id = ? ORDER BY s.id DESC`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: score runs of campaign %d: %w", campaignID, err)
	}
	defer rows.Close()
	var out []ScoreRun
	for rows.Next() {
		r, err := scanRun(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// DefinitionVersion returns the definition a campaign had at a version, as it was loaded.
func (db *DB) DefinitionVersion(ctx context.Context, campaignID int64, version int) (*campaign.Definition, error) {
	var body []byte
	err := db.read.QueryRowContext(ctx, `SELECT definition FROM campaign_versions WHERE campaign_id = ? AND version = ?`, campaignID, version).Scan(&body)
	if err != nil {
		return nil, fmt.Errorf("store: definition %d of campaign %d: %w", version, campaignID, notFound(err))
	}
	def := &campaign.Definition{}
	if err := json.Unmarshal(body, def); err != nil {
		return nil, fmt.Errorf("store: decode definition %d of campaign %d: %w", version, campaignID, err)
	}
	return def, nil
}
