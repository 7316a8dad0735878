package campaign

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Settings are the method options and valid-form rules a campaign changed after its
// definition was loaded (domain.md: every option is configurable per campaign). A zero field
// keeps the definition's value, so the effective settings are the definition's overridden by
// these.
type Settings struct {
	DontKnow Missing `json:"dont_know,omitempty"`
	Blank    Missing `json:"blank,omitempty"`
	Combine  Combine `json:"combine,omitempty"`
	MinForms *int    `json:"min_forms,omitempty"`
	// MinAnsweredPercent of 0 turns the answered-share rule off.
	MinAnsweredPercent *Decimal           `json:"min_answered_percent,omitempty"`
	EnforceWindow      *bool              `json:"enforce_window,omitempty"`
	DoubleEntry        *bool              `json:"double_entry,omitempty"`
	GroupWeights       map[string]Decimal `json:"group_weights,omitempty"`
}

// ParseSettings reads stored settings JSON ("" and "{}" are no overrides).
func ParseSettings(s string) (Settings, error) {
	var out Settings
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return out, fmt.Errorf("campaign: read settings: %w", err)
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
func (s Settings) Apply(def *Definition) *Definition {
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
	DontKnow           Missing
	Blank              Missing
	Combine            Combine
	MinForms           int
	MinAnsweredPercent Decimal
	EnforceWindow      bool
	DoubleEntry        bool
	GroupWeights       map[string]Decimal
}

// EffectiveOf reads the settings in force in an (effective) definition, defaults included.
func EffectiveOf(def *Definition) Effective {
	e := Effective{
		DontKnow: def.Scoring.DontKnow, Blank: def.Scoring.Blank, Combine: def.Scoring.Combine,
		MinForms: def.Scoring.MinForms, MinAnsweredPercent: def.Rules.MinAnsweredPercent,
		EnforceWindow: def.Rules.EnforceWindow == nil || *def.Rules.EnforceWindow,
		DoubleEntry:   def.Rules.DoubleEntry == nil || *def.Rules.DoubleEntry,
		GroupWeights:  map[string]Decimal{},
	}
	if e.DontKnow == "" {
		e.DontKnow = MissingExclude
	}
	if e.Blank == "" {
		e.Blank = MissingExclude
	}
	if e.Combine == "" {
		e.Combine = CombineGroupWeights
	}
	if e.MinForms < 1 {
		e.MinForms = 1 // domain.md step 4: default k = 1
	}
	for _, g := range def.Groups {
		w := Decimal(DecimalScale)
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
func (e Effective) Overrides(def *Definition) Settings {
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
				s.GroupWeights = map[string]Decimal{}
			}
			s.GroupWeights[code] = e.GroupWeights[code]
		}
	}
	return s
}

// Check lists what is wrong with the settings, in Vietnamese, for the settings form.
func (e Effective) Check(def *Definition) []string {
	var out []string
	if e.DontKnow != MissingExclude && e.DontKnow != MissingZero {
		out = append(out, "Cách tính câu “không biết” không hợp lệ.")
	}
	if e.Blank != MissingExclude && e.Blank != MissingZero {
		out = append(out, "Cách tính câu bỏ trống không hợp lệ.")
	}
	if e.Combine != CombineGroupWeights && e.Combine != CombinePooled {
		out = append(out, "Cách kết hợp các nhóm không hợp lệ.")
	}
	if e.MinForms < 1 || e.MinForms > 10000 {
		out = append(out, "Số phiếu hợp lệ tối thiểu phải từ 1 đến 10.000.")
	}
	if e.MinAnsweredPercent < 0 || e.MinAnsweredPercent > 100*DecimalScale {
		out = append(out, "Tỷ lệ câu phải trả lời phải từ 0 đến 100%.")
	}
	positive := false
	for _, g := range def.Groups {
		w := e.GroupWeights[g.Code]
		if w < 0 || w > 1000*DecimalScale {
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
