package campaign

import "time"

// Unit returns the unit with the code, or nil.
func (d *Definition) Unit(code string) *Unit {
	for i := range d.Units {
		if d.Units[i].Code == code {
			return &d.Units[i]
		}
	}
	return nil
}

// Kind returns the unit kind with the code, or nil.
func (d *Definition) Kind(code string) *Kind {
	for i := range d.Kinds {
		if d.Kinds[i].Code == code {
			return &d.Kinds[i]
		}
	}
	return nil
}

// Group returns the respondent group with the code, or nil.
func (d *Definition) Group(code string) *Group {
	for i := range d.Groups {
		if d.Groups[i].Code == code {
			return &d.Groups[i]
		}
	}
	return nil
}

// Questionnaire returns the questionnaire with the code, or nil.
func (d *Definition) Questionnaire(code string) *Questionnaire {
	for i := range d.Questionnaires {
		if d.Questionnaires[i].Code == code {
			return &d.Questionnaires[i]
		}
	}
	return nil
}

// Scale returns the named scale, or nil.
func (d *Definition) Scale(code string) *Scale {
	for i := range d.Scales {
		if d.Scales[i].Code == code {
			return &d.Scales[i]
		}
	}
	return nil
}

// Sub returns the sub-criterion with the code in the campaign's tree or, failing that, in the
// first kind's own tree that has it, or nil. Codes are unique only inside one tree: where the
// unit kind is known, use SubFor.
func (d *Definition) Sub(code string) *SubCriterion {
	if s := subIn(d.Areas, code); s != nil {
		return s
	}
	for i := range d.Kinds {
		if s := subIn(d.Kinds[i].Areas, code); s != nil {
			return s
		}
	}
	return nil
}

// SubFor returns the sub-criterion with the code in the tree that scores units of the kind
// (TreeFor), or nil.
func (d *Definition) SubFor(kind, code string) *SubCriterion { return subIn(d.TreeFor(kind), code) }

func subIn(areas []Area, code string) *SubCriterion {
	for ai := range areas {
		for ci := range areas[ai].Criteria {
			for si := range areas[ai].Criteria[ci].Subs {
				if s := &areas[ai].Criteria[ci].Subs[si]; s.Code == code {
					return s
				}
			}
		}
	}
	return nil
}

// UnitsOfKind lists the units of a kind in definition order.
func (d *Definition) UnitsOfKind(kind string) []Unit {
	var out []Unit
	for _, u := range d.Units {
		if u.Kind == kind {
			out = append(out, u)
		}
	}
	return out
}

// Window returns the instants the campaign opens and closes: from the start of the opening day to
// the end of the closing day, Asia/Ho_Chi_Minh.
func (d *Definition) Window() (opens, closes time.Time) {
	return d.Opens.Time, d.Closes.Time.AddDate(0, 0, 1)
}

// InWindow reports whether t falls inside the campaign window.
func (d *Definition) InWindow(t time.Time) bool {
	o, c := d.Window()
	return !t.Before(o) && t.Before(c)
}

// Has reports whether the group uses a channel.
func (g *Group) Has(c Channel) bool {
	for _, x := range g.Channels {
		if x == c {
			return true
		}
	}
	return false
}

// Imported reports whether the group's score is imported from SIPAS (ChannelSIPAS) rather than
// collected on forms.
func (g *Group) Imported() bool { return g.Has(ChannelSIPAS) }

// QuotaFor returns the number of respondents the group needs for a unit.
func (g *Group) QuotaFor(unit string) int {
	if q, ok := g.QuotaOverrides[unit]; ok {
		return q
	}
	return g.Quota
}

// Questions lists the questionnaire's questions in answer order.
func (q *Questionnaire) Questions() []Question {
	var out []Question
	for _, s := range q.Sections {
		out = append(out, s.Questions...)
	}
	return out
}

// Scored reports whether the question feeds a sub-criterion.
func (q *Question) Scored() bool { return q.Feeds != "" }

// QuestionWeight is the question's weight inside its sub-criterion's mean (default 1).
func (q *Question) QuestionWeight() Decimal {
	if q.Weight == nil {
		return DecimalScale
	}
	return *q.Weight
}

// TreeFor is the criteria tree that scores units of the kind. A kind without a tree of its
// own is scored on the campaign's tree (`criteria`).
func (d *Definition) TreeFor(kind string) []Area {
	if k := d.Kind(kind); k != nil && len(k.Areas) > 0 {
		return k.Areas
	}
	return d.Areas
}

// SurveyPointsFor is the survey's share of the index for units of the kind: the kind's own
// `survey_points` when it has one, else the campaign's.
func (d *Definition) SurveyPointsFor(kind string) Decimal {
	if k := d.Kind(kind); k != nil && k.SurveyPoints != nil {
		return *k.SurveyPoints
	}
	return d.SurveyPoints
}

// AreaCount is the number of areas (lĩnh vực) over every tree of the definition: the
// campaign's and each kind's own.
func (d *Definition) AreaCount() int {
	n := len(d.Areas)
	for _, k := range d.Kinds {
		n += len(k.Areas)
	}
	return n
}
