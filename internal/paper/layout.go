// Package paper turns paper forms into data: what is keyed from a form (its layout), reading and
// comparing keyings under double entry, deciding what a keying does, the honoraria owed to
// enumerators for returned forms, and reading institutes' import files. It is pure: the caller
// brings facts from storage and stores what it decides.
package paper

import (
	"fmt"
	"slices"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
)

// Layout is what is keyed from one paper form of a group: the respondent fields, then every
// question for each unit the form is about (one unit, or every unit of the kind on a matrix form).
type Layout struct {
	Group     *campaign.Group
	Form      *campaign.Questionnaire
	Matrix    bool
	Fields    []campaign.Field
	Questions []Question
	Units     []campaign.Unit
	// Answers is the questionnaire as answers see it: the skip rule (show_if) keyed forms follow.
	Answers response.Form
	// KeysText is set when keyers type an open answer's text (TextName), not only "có ý kiến".
	KeysText bool
	// Issued are the unit codes a matrix form was issued for, empty when it is about every unit
	// of its kind; outside are then the items of the kind's other units, which must stay blank.
	Issued  []string
	items   []Item
	byName  map[string]int
	outside []Item
}

// Question is a question as keyed: its code, its number on the form, its text and its options.
type Question struct {
	Code    string
	Num     int
	Text    string
	Options []string
	Scored  bool
	// Open is set for an open-ended question: keyed 1 (có ý kiến) or 0, its text beside.
	Open bool
}

// Item is one keyed mark: a respondent field, or a question about one unit.
type Item struct {
	// Name is the item's form field and import column: r_<key> for a field, q_<code> for a
	// question, q_<code>_<unit> for a question of a matrix form.
	Name string
	// Field is the index in Layout.Fields, or -1 for a question.
	Field int
	// Question is the index in Layout.Questions, or -1 for a field.
	Question int
	// Unit is the index in Layout.Units for a question.
	Unit int
	// Label names the item for people: "Giới tính", "Câu 3", "Câu 3 · Sở Nội vụ".
	Label   string
	Text    string
	Options []string
}

// NewLayout returns the layout of a group's paper form about a unit; the unit is ignored for a
// matrix form, which covers every unit of the kind the group evaluates.
func NewLayout(def *campaign.Definition, group, unit string) (*Layout, error) {
	return NewFormLayout(def, group, unit, nil)
}

// NewFormLayout returns the layout of one issued paper form: as NewLayout, except that a matrix
// form issued for a list of units (issued, by code; issue 12, item 6) is keyed for those units
// only, in definition order. Its other units' items are not keyed: Read refuses a mark on them.
func NewFormLayout(def *campaign.Definition, group, unit string, issued []string) (*Layout, error) {
	g := def.Group(group)
	if g == nil {
		return nil, fmt.Errorf("paper: group %s not in campaign %s", group, def.Code)
	}
	q := def.Questionnaire(g.Form)
	if q == nil {
		return nil, fmt.Errorf("paper: group %s has no questionnaire %q", group, g.Form)
	}
	l := &Layout{Group: g, Form: q, Matrix: q.Shape == campaign.ShapeMatrix, Fields: q.Fields, KeysText: def.KeysText(), byName: map[string]int{}}
	var others []campaign.Unit
	if l.Matrix {
		l.Units = def.MatrixUnits(g, issued)
		if len(issued) > 0 {
			if len(l.Units) == 0 {
				return nil, fmt.Errorf("paper: matrix form of group %s issued for units %v the campaign no longer has", group, issued)
			}
			l.Issued = l.UnitCodes()
			for _, u := range def.UnitsOfKind(g.Evaluates) {
				if !slices.Contains(l.Issued, u.Code) {
					others = append(others, u)
				}
			}
		}
	} else if u := def.Unit(unit); u != nil && u.Kind == g.Evaluates {
		l.Units = []campaign.Unit{*u}
	} else {
		return nil, fmt.Errorf("paper: unit %q is not evaluated by group %s", unit, group)
	}
	questions := q.Questions()
	for i, qu := range questions {
		if qu.IsText() {
			l.Questions = append(l.Questions, Question{Code: qu.Code, Num: i + 1, Text: qu.Text, Options: []string{labelHasText}, Open: true})
			continue
		}
		opts := qu.Options
		if len(opts) == 0 && qu.Scale != "" {
			if s := def.Scale(qu.Scale); s != nil {
				opts = s.Options
			}
		}
		labels := make([]string, len(opts))
		for j, o := range opts {
			labels[j] = o.Label
		}
		l.Questions = append(l.Questions, Question{Code: qu.Code, Num: i + 1, Text: qu.Text, Options: labels, Scored: qu.Scored()})
		questions[i].Options = opts
	}
	l.Answers = response.FormOf(questions)
	for i, f := range l.Fields {
		l.add(Item{Name: "r_" + f.Key, Field: i, Question: -1, Label: f.Label, Text: f.Label, Options: f.Options})
	}
	for ui, u := range l.Units {
		for qi, qu := range l.Questions {
			it := Item{Name: "q_" + qu.Code, Field: -1, Question: qi, Unit: ui, Label: fmt.Sprintf("Câu %d", qu.Num), Text: qu.Text, Options: qu.Options}
			if l.Matrix {
				it.Name += "_" + u.Code
				it.Label += " · " + u.Name
			}
			l.add(it)
		}
	}
	for _, u := range others {
		for qi, qu := range l.Questions {
			l.outside = append(l.outside, Item{Name: "q_" + qu.Code + "_" + u.Code, Field: -1, Question: qi, Unit: -1,
				Label: fmt.Sprintf("Câu %d · %s", qu.Num, u.Name), Text: qu.Text, Options: qu.Options})
		}
	}
	return l, nil
}

func (l *Layout) add(it Item) {
	l.byName[it.Name] = len(l.items)
	l.items = append(l.items, it)
}

// labelHasText is the one option an open question is keyed with; 0 is "không có ý kiến".
const labelHasText = "Có ý kiến"

// TextName is the form field and import column of an open question's text: t_<item name>.
func TextName(it Item) string { return "t_" + it.Name }

// IsText reports whether the item is an open question.
func (l *Layout) IsText(it Item) bool { return it.Question >= 0 && l.Questions[it.Question].Open }

// Items lists the items in keying order: the respondent fields, then the questions unit by unit.
func (l *Layout) Items() []Item { return l.items }

// Item returns the item with the name.
func (l *Layout) Item(name string) (Item, bool) {
	i, ok := l.byName[name]
	if !ok {
		return Item{}, false
	}
	return l.items[i], true
}

// UnitCodes lists the codes of the units the form is about, in order.
func (l *Layout) UnitCodes() []string {
	out := make([]string, len(l.Units))
	for i, u := range l.Units {
		out[i] = u.Code
	}
	return out
}

// Empty returns an entry of the layout's shape with every item blank.
func (l *Layout) Empty() Entry {
	e := Entry{Fields: blanks(len(l.Fields))}
	for _, u := range l.Units {
		e.Units = append(e.Units, unitAnswers(u.Code, response.Answers(blanks(len(l.Questions)))))
	}
	return e
}

func blanks(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(response.Blank)
	}
	return string(b)
}
