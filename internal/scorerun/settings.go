// Package scorerun turns stored responses into score runs: it applies a campaign's stored
// settings to its definition, judges stored responses again when a valid-form rule changes,
// gathers the counted answers and imported ratios from the database in one pass, scores them
// with internal/scoring and keeps the result as a snapshot with a digest of its inputs.
package scorerun

import (
	"fmt"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/scoring"
)

// Method is the effective scoring method and valid-form rules of a run, as the report and the
// JSON feed state them (domain.md: "The report always states the options used").
type Method struct {
	DontKnow           campaign.Missing `json:"dont_know"`
	Blank              campaign.Missing `json:"blank"`
	Combine            campaign.Combine `json:"combine"`
	MinForms           int              `json:"min_forms"`
	MinAnsweredPercent string           `json:"min_answered_percent"`
	EnforceWindow      bool             `json:"enforce_window"`
	DoubleEntry        bool             `json:"double_entry"`
	// SurveyPoints is the campaign's survey points, which a kind without its own index set
	// takes; SurveyPointsByKind gives every kind's (Definition.SurveyPointsFor), since each level
	// may have its own (issue 12). Runs stored before it have none.
	SurveyPoints       string             `json:"survey_points"`
	SurveyPointsByKind []MethodKindPoints `json:"survey_points_by_kind,omitempty"`
	Groups             []MethodGroup      `json:"groups"`
	Bands              []MethodBand       `json:"bands"`
	// Statement is the method in Vietnamese sentences, as every report prints it.
	Statement []string `json:"statement"`
}

// MethodKindPoints is one unit kind's survey points in a run.
type MethodKindPoints struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Points string `json:"points"`
}

// MethodGroup is a respondent group's weight in a run.
type MethodGroup struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Weight   string `json:"weight"`
	Imported bool   `json:"imported"`
}

// MethodBand is a result band in a run.
type MethodBand struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	MinPercent string `json:"min_percent"`
}

// MethodOf states the method of an effective definition.
func MethodOf(def *campaign.Definition) Method {
	e := campaign.EffectiveOf(def)
	m := Method{
		DontKnow: e.DontKnow, Blank: e.Blank, Combine: e.Combine, MinForms: e.MinForms,
		MinAnsweredPercent: e.MinAnsweredPercent.String(), EnforceWindow: e.EnforceWindow, DoubleEntry: e.DoubleEntry,
		SurveyPoints: def.SurveyPoints.String(), Statement: scoring.Options(def),
		Groups: []MethodGroup{}, Bands: []MethodBand{},
	}
	for _, k := range def.Kinds {
		m.SurveyPointsByKind = append(m.SurveyPointsByKind, MethodKindPoints{Kind: k.Code, Name: k.Name, Points: def.SurveyPointsFor(k.Code).String()})
	}
	for _, g := range def.Groups {
		m.Groups = append(m.Groups, MethodGroup{Code: g.Code, Name: g.Name, Weight: e.GroupWeights[g.Code].String(), Imported: g.Imported()})
	}
	for _, b := range def.Bands {
		m.Bands = append(m.Bands, MethodBand{Code: b.Code, Name: b.Name, MinPercent: b.MinPercent.String()})
	}
	m.Statement = append(m.Statement, rulesStatement(e))
	return m
}

// rulesStatement says which valid-form rules were in force, in one Vietnamese sentence.
func rulesStatement(e campaign.Effective) string {
	parts := []string{"Chỉ tính phiếu hợp lệ: mã phiếu đã phát, chưa hủy, đúng nhóm và đơn vị; mỗi mã một phiếu"}
	if e.EnforceWindow {
		parts = append(parts, "nhận trong thời gian khảo sát")
	}
	if e.MinAnsweredPercent > 0 {
		parts = append(parts, fmt.Sprintf("trả lời ít nhất %s%% số câu hỏi có tính điểm (câu “không biết” tính là đã trả lời)",
			strings.Replace(e.MinAnsweredPercent.String(), ".", ",", 1)))
	}
	if e.DoubleEntry {
		parts = append(parts, "phiếu giấy được nhập hai lần khớp nhau hoặc đã được giám sát viên xử lý")
	}
	return strings.Join(parts, "; ") + "."
}
