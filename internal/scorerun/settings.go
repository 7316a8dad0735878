// Package scorerun turns stored responses into score runs: it applies a campaign's stored
// settings to its definition, judges stored responses again when a valid-form rule changes,
// gathers the counted answers and imported ratios from the database in one pass, scores them
// with internal/scoring and keeps the result as a snapshot with a digest of its inputs.
package scorerun

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/scoring"
)

// Settings are the method options and valid-form rules a campaign changed after its
// definition was loaded (domain.md: every option is configurable per campaign). A zero field
// keeps the definition's value, so the effective settings are the definition's overridden by
// these.
type Settings struct {
	DontKnow campaign.Missing `json:"dont_know,omitempty"`
	Blank    campaign.Missing `json:"blank,omitempty"`
	Combine  campaign.Combine `json:"combine,omitempty"`
	MinForms *int             `json:"min_forms,omitempty"`
	// MinAnsweredPercent of 0 turns the answered-share rule off.
	MinAnsweredPercent *campaign.Decimal           `json:"min_answered_percent,omitempty"`
	EnforceWindow      *bool                       `json:"enforce_window,omitempty"`
	DoubleEntry        *bool                       `json:"double_entry,omitempty"`
	GroupWeights       map[string]campaign.Decimal `json:"group_weights,omitempty"`
}

// ParseSettings reads stored settings JSON ("" and "{}" are no overrides).
func ParseSettings(s string) (Settings, error) {
	var out Settings
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return out, fmt.Errorf("scorerun: read settings: %w", err)
	}
	return out, nil
}

// JSON writes the settings as stored: keys in a fixed order, "{}" for none.
func (s Settings) JSON() string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // plain values always marshal
	}
	return string(b)
}

// Apply returns the effective definition: def with the settings laid over its scoring options,
// rules and group weights. def itself is not changed; the rest of it is shared.
func Apply(def *campaign.Definition, s Settings) *campaign.Definition {
	d := *def
	if s.DontKnow != "" {
		d.Scoring.DontKnow = s.DontKnow
	}
	if s.Blank != "" {
		d.Scoring.Blank = s.Blank
	}
	if s.Combine != "" {
		d.Scoring.Combine = s.Combine
	}
	if s.MinForms != nil {
		d.Scoring.MinForms = *s.MinForms
	}
	if s.MinAnsweredPercent != nil {
		d.Rules.MinAnsweredPercent = *s.MinAnsweredPercent
	}
	if s.EnforceWindow != nil {
		v := *s.EnforceWindow
		d.Rules.EnforceWindow = &v
	}
	if s.DoubleEntry != nil {
		v := *s.DoubleEntry
		d.Rules.DoubleEntry = &v
	}
	if len(s.GroupWeights) > 0 {
		d.Groups = slices.Clone(def.Groups)
		for i := range d.Groups {
			if w, ok := s.GroupWeights[d.Groups[i].Code]; ok {
				d.Groups[i].Weight = &w
			}
		}
	}
	return &d
}

// Effective are a definition's settings with every default filled in, as scoring and
// validation apply them; it is what forms show and what a change is compared with.
type Effective struct {
	DontKnow           campaign.Missing
	Blank              campaign.Missing
	Combine            campaign.Combine
	MinForms           int
	MinAnsweredPercent campaign.Decimal
	EnforceWindow      bool
	DoubleEntry        bool
	GroupWeights       map[string]campaign.Decimal
}

// EffectiveOf reads the settings in force in an (effective) definition, defaults included.
func EffectiveOf(def *campaign.Definition) Effective {
	e := Effective{
		DontKnow: def.Scoring.DontKnow, Blank: def.Scoring.Blank, Combine: def.Scoring.Combine,
		MinForms: def.Scoring.MinForms, MinAnsweredPercent: def.Rules.MinAnsweredPercent,
		EnforceWindow: def.Rules.EnforceWindow == nil || *def.Rules.EnforceWindow,
		DoubleEntry:   def.Rules.DoubleEntry == nil || *def.Rules.DoubleEntry,
		GroupWeights:  map[string]campaign.Decimal{},
	}
	if e.DontKnow == "" {
		e.DontKnow = campaign.MissingExclude
	}
	if e.Blank == "" {
		e.Blank = campaign.MissingExclude
	}
	if e.Combine == "" {
		e.Combine = campaign.CombineGroupWeights
	}
	if e.MinForms < 1 {
		e.MinForms = 1 // domain.md step 4: default k = 1
	}
	for _, g := range def.Groups {
		w := campaign.Decimal(campaign.DecimalScale)
		if g.Weight != nil {
			w = *g.Weight
		}
		e.GroupWeights[g.Code] = w
	}
	return e
}

// SameRules reports whether two effective settings judge forms alike (domain.md, valid forms).
func (e Effective) SameRules(o Effective) bool {
	return e.MinAnsweredPercent == o.MinAnsweredPercent && e.EnforceWindow == o.EnforceWindow && e.DoubleEntry == o.DoubleEntry
}

// Overrides returns the settings that turn def's effective settings into e: only what differs
// from the definition is kept, so a definition value is never masked needlessly.
func (e Effective) Overrides(def *campaign.Definition) Settings {
	base := EffectiveOf(def)
	var s Settings
	if e.DontKnow != base.DontKnow {
		s.DontKnow = e.DontKnow
	}
	if e.Blank != base.Blank {
		s.Blank = e.Blank
	}
	if e.Combine != base.Combine {
		s.Combine = e.Combine
	}
	if e.MinForms != base.MinForms {
		v := e.MinForms
		s.MinForms = &v
	}
	if e.MinAnsweredPercent != base.MinAnsweredPercent {
		v := e.MinAnsweredPercent
		s.MinAnsweredPercent = &v
	}
	if e.EnforceWindow != base.EnforceWindow {
		v := e.EnforceWindow
		s.EnforceWindow = &v
	}
	if e.DoubleEntry != base.DoubleEntry {
		v := e.DoubleEntry
		s.DoubleEntry = &v
	}
	for _, code := range slices.Sorted(maps.Keys(e.GroupWeights)) {
		if w, ok := base.GroupWeights[code]; ok && w != e.GroupWeights[code] {
			if s.GroupWeights == nil {
				s.GroupWeights = map[string]campaign.Decimal{}
			}
			s.GroupWeights[code] = e.GroupWeights[code]
		}
	}
	return s
}

// Check lists what is wrong with the settings, in Vietnamese, for the settings form.
func (e Effective) Check(def *campaign.Definition) []string {
	var out []string
	if e.DontKnow != campaign.MissingExclude && e.DontKnow != campaign.MissingZero {
		out = append(out, "Cách tính câu “không biết” không hợp lệ.")
	}
	if e.Blank != campaign.MissingExclude && e.Blank != campaign.MissingZero {
		out = append(out, "Cách tính câu bỏ trống không hợp lệ.")
	}
	if e.Combine != campaign.CombineGroupWeights && e.Combine != campaign.CombinePooled {
		out = append(out, "Cách kết hợp các nhóm không hợp lệ.")
	}
	if e.MinForms < 1 || e.MinForms > 10000 {
		out = append(out, "Số phiếu hợp lệ tối thiểu phải từ 1 đến 10.000.")
	}
	if e.MinAnsweredPercent < 0 || e.MinAnsweredPercent > 100*campaign.DecimalScale {
		out = append(out, "Tỷ lệ câu phải trả lời phải từ 0 đến 100%.")
	}
	positive := false
	for _, g := range def.Groups {
		w := e.GroupWeights[g.Code]
		if w < 0 || w > 1000*campaign.DecimalScale {
			out = append(out, fmt.Sprintf("Trọng số nhóm %s phải từ 0 đến 1.000.", g.Code))
		}
		if w > 0 {
			positive = true
		}
	}
	if len(def.Groups) > 0 && !positive {
		out = append(out, "Phải có ít nhất một nhóm có trọng số lớn hơn 0.")
	}
	return out
}

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
	SurveyPoints       string           `json:"survey_points"`
	Groups             []MethodGroup    `json:"groups"`
	Bands              []MethodBand     `json:"bands"`
	// Statement is the method in Vietnamese sentences, as every report prints it.
	Statement []string `json:"statement"`
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
	e := EffectiveOf(def)
	m := Method{
		DontKnow: e.DontKnow, Blank: e.Blank, Combine: e.Combine, MinForms: e.MinForms,
		MinAnsweredPercent: e.MinAnsweredPercent.String(), EnforceWindow: e.EnforceWindow, DoubleEntry: e.DoubleEntry,
		SurveyPoints: def.SurveyPoints.String(), Statement: scoring.Options(def),
		Groups: []MethodGroup{}, Bands: []MethodBand{},
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
func rulesStatement(e Effective) string {
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
