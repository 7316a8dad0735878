package store

import (
	"context"
	"fmt"
)

// AnalysisForm is one form's answers about one unit as the analysis tables read them: its
// group and unit, its verdict for that unit and its respondent's details.
type AnalysisForm struct {
	ResponseID int64
	Group      string
	Unit       string
	// Judged is false while the response awaits a verdict; Valid says whether it counts for
	// this unit (a matrix form is judged per unit).
	Judged bool
	Valid  bool
	// Respondent (the JSON object of respondent fields) and Answers are only valid during the
	// call.
	Respondent []byte
	Answers    []byte
}

// AnalysisForms streams every unit's answers of a campaign's responses, in response and unit
// order, with the respondent's details: one query, codes looked up from maps, no allocation per
// row: the query of ScoringRows, with the respondent column.
func (db *DB) AnalysisForms(ctx context.Context, campaignID int64, fn func(*AnalysisForm) error) error {
	var f AnalysisForm
	return db.unitAnswers(ctx, campaignID, "analysis forms", true, func(r *ScoringRow, respondent []byte) error {
		f = AnalysisForm{ResponseID: r.ResponseID, Group: r.Group, Unit: r.Unit, Judged: r.Judged, Valid: r.Valid, Respondent: respondent, Answers: r.Answers}
		return fn(&f)
	})
}

// DataRows streams the responses of some respondent groups (those answering one
// questionnaire), one row per form and unit, ordered by form code, response and unit, so that
// the rows of one matrix form come together. No groups gives no rows.
func (db *DB) DataRows(ctx context.Context, campaignID int64, groups []string, fn func(*ResponseRow) error) error {
	if len(groups) == 0 {
		return nil
	}
	args := []any{campaignID}
	for _, g := range groups {
		args = append(args, g)
	}
	in := placeholders(len(groups))
	return db.responseRows(ctx, fmt.Sprintf("data rows of campaign %d", campaignID),
		`WHERE r.campaign_id = ? AND g.code IN (`+in+`)
		ORDER BY f.code, r.id, a.unit_id`, args, fn)
}
