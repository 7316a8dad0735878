// Package campaign holds a survey campaign's definition: units, respondent groups, quotas, the
// criteria tree, scales, questionnaires, scoring options and valid-form rules. It reads the
// definition from YAML files in forms/ and checks it; it knows nothing of HTTP or SQL.
package campaign

import (
	"time"
)

// Channel is how forms reach the survey: a group's channels (the YAML `channels`) say how it
// is collected, a response's channel how that form came in.
type Channel string

// The channels. The strings are what forms/ and the database hold; they never change.
const (
	// ChannelOnline: a group answering through its link or QR code, and a response that came
	// in that way.
	ChannelOnline Channel = "online"
	// ChannelPaper: a group answering on paper, and a paper form keyed in by enumerators.
	ChannelPaper Channel = "paper"
	// ChannelSIPAS is a group's channel only (YAML `imported`): the group answers no forms, its
	// satisfaction ratios per unit are imported from the SIPAS survey (domain.md, "Answers and
	// scoring" step 8).
	ChannelSIPAS Channel = "imported"
	// ChannelFileImport is a response's channel only: a paper group's form read from an
	// institute's import file (bulk import) rather than keyed in one by one.
	ChannelFileImport Channel = "import"
)

// Label is the channel's Vietnamese name as it reads inside a sentence or a list: "trực
// tuyến", "phiếu giấy", "nhập kết quả" (SIPAS), "nhập từ tệp". An unknown channel is its own
// code.
func (c Channel) Label() string {
	if label, _, ok := c.names(); ok {
		return label
	}
	return string(c)
}

// Title is Label with a capital first letter, for a cell or a line of its own: "Trực tuyến",
// "Phiếu giấy". An unknown channel is its own code.
func (c Channel) Title() string {
	if _, title, ok := c.names(); ok {
		return title
	}
	return string(c)
}

// names are the one place a channel's Vietnamese name is written, in both cases.
func (c Channel) names() (label, title string, ok bool) {
	switch c {
	case ChannelOnline:
		return "trực tuyến", "Trực tuyến", true
	case ChannelPaper:
		return "phiếu giấy", "Phiếu giấy", true
	case ChannelSIPAS:
		return "nhập kết quả", "Nhập kết quả", true
	case ChannelFileImport:
		return "nhập từ tệp", "Nhập từ tệp", true
	}
	return "", "", false
}

// Shape tells whether a questionnaire is about one unit or a matrix over several units.
type Shape string

// The two questionnaire shapes of domain.md.
const (
	ShapeSingle Shape = "single"
	ShapeMatrix Shape = "matrix"
)

// Combine is how groups are combined per question (domain.md, scoring step 3).
type Combine string

// The two ways of combining groups.
const (
	CombineGroupWeights Combine = "group_weights"
	CombinePooled       Combine = "pooled"
)

// Missing says what a don't-know or blank answer counts as (domain.md, scoring step 2).
type Missing string

// The two treatments of don't-know and blank answers.
const (
	MissingExclude Missing = "exclude"
	MissingZero    Missing = "zero"
)

// Definition is a whole campaign as written in forms/<code>/.
type Definition struct {
	Code         string    `yaml:"code" json:"code"`
	Name         string    `yaml:"name" json:"name"`
	Year         int       `yaml:"year" json:"year"`
	Level        string    `yaml:"level" json:"level"`
	Organizer    string    `yaml:"organizer" json:"organizer"`
	Opens        Date      `yaml:"opens" json:"opens"`
	Closes       Date      `yaml:"closes" json:"closes"`
	SurveyPoints Decimal   `yaml:"survey_points" json:"survey_points"`
	Bands        []Band    `yaml:"bands" json:"bands"`
	Scoring      Scoring   `yaml:"scoring" json:"scoring"`
	Rules        Rules     `yaml:"rules" json:"rules"`
	Honoraria    Honoraria `yaml:"honoraria" json:"honoraria"`
	// Contact is printed on slips and shown to respondents; omitted from the JSON (and so from
	// the digest) when the definition has none, so older definitions keep their digest.
	Contact Contact `yaml:"contact" json:"contact,omitzero"`
	// Report is the analysis report's heading and sign-off (report.go); omitted from the JSON
	// when empty, like Contact.
	Report ReportInfo `yaml:"report" json:"report,omitzero"`
	Kinds  []Kind     `yaml:"unit_kinds" json:"unit_kinds"`
	Units  []Unit     `yaml:"units" json:"units"`
	Groups []Group    `yaml:"groups" json:"groups"`
	Areas  []Area     `yaml:"criteria" json:"criteria"`
	Scales []Scale    `yaml:"scales" json:"scales"`
	// Questionnaires are read from questionnaires/*.yaml beside campaign.yaml.
	Questionnaires []Questionnaire `yaml:"-" json:"questionnaires"`
	// Warnings are what check reports without refusing the definition (a year that disagrees
	// with the dates, a one-line list that a comma may have split); not stored.
	Warnings Problems `yaml:"-" json:"-"`
}

// Band is a result band: units whose survey score reaches MinPercent of the survey points get it.
type Band struct {
	Code       string  `yaml:"code" json:"code"`
	Name       string  `yaml:"name" json:"name"`
	MinPercent Decimal `yaml:"min_percent" json:"min_percent"`
}

// Scoring holds the configurable choices of the scoring method (domain.md, "Answers and scoring").
type Scoring struct {
	DontKnow Missing `yaml:"dont_know" json:"dont_know"`
	Blank    Missing `yaml:"blank" json:"blank"`
	Combine  Combine `yaml:"combine" json:"combine"`
	MinForms int     `yaml:"min_forms" json:"min_forms"`
}

// Rules holds the configurable valid-form rules (domain.md, "Valid forms").
type Rules struct {
	MinAnsweredPercent Decimal `yaml:"min_answered_percent" json:"min_answered_percent"`
	EnforceWindow      *bool   `yaml:"enforce_window" json:"enforce_window"`
	DoubleEntry        *bool   `yaml:"double_entry" json:"double_entry"`
	// TextKeying is what keyers type for an open-ended question on paper: "text" (the
	// default) the text as written, "flag" only "có ý kiến / không có ý kiến".
	TextKeying string `yaml:"text_keying,omitempty" json:"text_keying,omitempty"`
}

// Honoraria are the rates a plan pays, in đồng (domain.md, "Work in a campaign", step 2); see
// honoraria.go for who is paid what.
type Honoraria struct {
	// PerForm is paid to the enumerator for every returned form, PerUnit once for every unit
	// an enumerator surveyed: the rates of older plans, kept with that meaning.
	PerForm int64 `yaml:"per_form" json:"per_form"`
	PerUnit int64 `yaml:"per_unit" json:"per_unit"`
	// Respondent is paid to the respondent for each form answered, by level (unit kind) or by
	// group, e.g. 10.000 đ per commune-level form. Omitted from the JSON when unset.
	Respondent Rates `yaml:"respondent" json:"respondent,omitzero"`
	// Enumerator is paid to the enumerator once per unit surveyed, by level, e.g. 200.000 đ per
	// commune; a level without a rate of its own takes PerUnit.
	Enumerator Rates `yaml:"enumerator" json:"enumerator,omitzero"`
	// Online says whether forms answered online (by link, Zalo, e-mail) earn the per-form
	// honoraria too; by default only forms collected on paper do.
	Online bool `yaml:"online" json:"online,omitempty"`
}

// Rates is an amount in đồng with exceptions: by unit kind (level), and for the respondent
// also by group; the most specific one applies.
type Rates struct {
	Default int64            `yaml:"default" json:"default,omitempty"`
	ByKind  map[string]int64 `yaml:"by_kind" json:"by_kind,omitempty"`
	ByGroup map[string]int64 `yaml:"by_group" json:"by_group,omitempty"`
}

// Contact is whom respondents and enumerators call or write to about the campaign: an office,
// optionally a named person, and a phone number or an e-mail address (or both). Every field is
// optional; a contact block that is written must give a phone or an e-mail.
type Contact struct {
	// Office is the unit that answers, e.g. "Phòng Khảo sát – Viện Nghiên cứu Phát triển".
	Office string `yaml:"office" json:"office,omitempty"`
	// Person is the name (and title) of the person to ask for.
	Person string `yaml:"person" json:"person,omitempty"`
	// Phone is written as people read it ("0222 3812 345"); Dial gives the number to call.
	Phone string `yaml:"phone" json:"phone,omitempty"`
	Email string `yaml:"email" json:"email,omitempty"`
}

// Kind is a kind of evaluated unit (sở, huyện, phòng, xã …).
type Kind struct {
	Code string `yaml:"code" json:"code"`
	Name string `yaml:"name" json:"name"`
	// SurveyPoints and Areas, when given, are this kind's own survey share and criteria tree
	// (one index set per level); otherwise the campaign's apply (Definition.TreeFor).
	SurveyPoints *Decimal `yaml:"survey_points,omitempty" json:"survey_points,omitempty"`
	Areas        []Area   `yaml:"criteria,omitempty" json:"criteria,omitempty"`
}

// Unit is an evaluated unit.
type Unit struct {
	Code   string `yaml:"code" json:"code"`
	Kind   string `yaml:"kind" json:"kind"`
	Name   string `yaml:"name" json:"name"`
	Parent string `yaml:"parent,omitempty" json:"parent,omitempty"`
}

// Group is a respondent group: who answers which form about which kind of unit, and how many.
type Group struct {
	Code      string    `yaml:"code" json:"code"`
	Name      string    `yaml:"name" json:"name"`
	Evaluates string    `yaml:"evaluates" json:"evaluates"`
	Form      string    `yaml:"form,omitempty" json:"form,omitempty"`
	Quota     int       `yaml:"quota" json:"quota"`
	Weight    *Decimal  `yaml:"weight" json:"weight"`
	Channels  []Channel `yaml:"channels" json:"channels"`
	// Substitute names the population that fills the quota when this group cannot.
	Substitute string `yaml:"substitute,omitempty" json:"substitute,omitempty"`
	// QuotaOverrides sets a different quota for some units.
	QuotaOverrides map[string]int `yaml:"quota_overrides,omitempty" json:"quota_overrides,omitempty"`
	// Feeds lists the sub-criteria an imported group's ratio applies to (domain.md step 8).
	Feeds []string `yaml:"feeds,omitempty" json:"feeds,omitempty"`
	// Populations split the group into populations answering the same form, each with its own
	// quota per unit (populations.go); the group is scored as one. PopulationField is the
	// respondent field of the form that records who answered: its options are the populations'
	// names.
	Populations     []Population `yaml:"populations,omitempty" json:"populations,omitempty"`
	PopulationField string       `yaml:"population_field,omitempty" json:"population_field,omitempty"`
	// MinUnits is, for a matrix group whose forms are issued for a subset of units
	// (check_matrix.go), the fewest units one form may cover; 0 sets no minimum.
	MinUnits int `yaml:"min_units,omitempty" json:"min_units,omitempty"`
}

// Population is one part of a respondent group: council delegates and commune leaders on one
// form, or citizens standing in for businesses.
type Population struct {
	Code string `yaml:"code" json:"code"`
	// Name is the population as the option of the group's PopulationField reads.
	Name  string `yaml:"name" json:"name"`
	Quota int    `yaml:"quota" json:"quota"`
	// SubstituteFor names (by code) the population whose shortfall this one may fill; its own
	// quota is then 0. Cap, when set, is the most of its forms that count toward that quota.
	SubstituteFor string `yaml:"substitute_for,omitempty" json:"substitute_for,omitempty"`
	Cap           *int   `yaml:"cap,omitempty" json:"cap,omitempty"`
}

// Area is a lĩnh vực, the top level of the criteria tree.
type Area struct {
	Code     string      `yaml:"code" json:"code"`
	Name     string      `yaml:"name" json:"name"`
	Points   Decimal     `yaml:"points" json:"points"`
	Criteria []Criterion `yaml:"criteria" json:"criteria"`
}

// Criterion is a tiêu chí inside an area.
type Criterion struct {
	Code   string         `yaml:"code" json:"code"`
	Name   string         `yaml:"name" json:"name"`
	Points Decimal        `yaml:"points" json:"points"`
	Subs   []SubCriterion `yaml:"sub_criteria" json:"sub_criteria"`
}

// SubCriterion is a tiêu chí thành phần: survey questions feed it.
type SubCriterion struct {
	Code   string  `yaml:"code" json:"code"`
	Name   string  `yaml:"name" json:"name"`
	Points Decimal `yaml:"points" json:"points"`
}

// Scale is a named list of answer options shared by many questions.
type Scale struct {
	Code    string   `yaml:"code" json:"code"`
	Options []Option `yaml:"options" json:"options"`
}

// Option is one answer option; a don't-know option carries no weight.
type Option struct {
	Label    string   `yaml:"label" json:"label"`
	Weight   *Decimal `yaml:"weight,omitempty" json:"weight,omitempty"`
	DontKnow bool     `yaml:"dont_know,omitempty" json:"dont_know,omitempty"`
}

// Questionnaire is a mẫu phiếu: its text, respondent fields and questions.
type Questionnaire struct {
	Code   string  `yaml:"code" json:"code"`
	Title  string  `yaml:"title" json:"title"`
	Intro  string  `yaml:"intro" json:"intro"`
	Shape  Shape   `yaml:"shape" json:"shape"`
	Fields []Field `yaml:"respondent_fields" json:"respondent_fields"`
	// Sections group the questions; their order is the order of answers everywhere.
	Sections []Section `yaml:"sections" json:"sections"`
	Thanks   string    `yaml:"thanks" json:"thanks"`
	File     string    `yaml:"-" json:"-"`
}

// Field is a respondent detail asked as a closed list (sex, age band, position).
type Field struct {
	Key      string   `yaml:"key" json:"key"`
	Label    string   `yaml:"label" json:"label"`
	Options  []string `yaml:"options" json:"options"`
	Optional bool     `yaml:"optional,omitempty" json:"optional,omitempty"`
}

// Section is a titled block of questions.
type Section struct {
	Title     string     `yaml:"title" json:"title"`
	Questions []Question `yaml:"questions" json:"questions"`
}

// Question is one item; Feeds names the sub-criterion it scores, empty for an unscored item.
type Question struct {
	Code string `yaml:"code" json:"code"`
	Text string `yaml:"text" json:"text"`
	// Kind is "" or "choice" for a closed question (scored when it Feeds a sub-criterion,
	// unscored otherwise) and "text" for an open-ended answer, never scored.
	Kind QuestionKind `yaml:"kind,omitempty" json:"kind,omitempty"`
	// MaxLength caps an open-ended answer, in characters.
	MaxLength int `yaml:"max_length,omitempty" json:"max_length,omitempty"`
	// ShowIf, when set, asks the question only after the given answers to an earlier one.
	ShowIf  *Condition `yaml:"show_if,omitempty" json:"show_if,omitempty"`
	Feeds   string     `yaml:"feeds,omitempty" json:"feeds,omitempty"`
	Weight  *Decimal   `yaml:"weight,omitempty" json:"weight,omitempty"`
	Scale   string     `yaml:"scale,omitempty" json:"scale,omitempty"`
	Options []Option   `yaml:"options,omitempty" json:"options,omitempty"`
}

// QuestionKind tells a closed question from an open-ended one.
type QuestionKind string

// The question kinds.
const (
	QuestionChoice QuestionKind = "choice"
	QuestionText   QuestionKind = "text"
)

// Condition is simple skip logic: the question is asked only when the earlier question
// Question was answered with one of Answers (option numbers, counted from 1).
type Condition struct {
	Question string `yaml:"question" json:"question"`
	Answers  []int  `yaml:"answers" json:"answers"`
}

// IsText reports whether the question is open-ended.
func (q *Question) IsText() bool { return q.Kind == QuestionText }

// Date is a calendar day in Asia/Ho_Chi_Minh, written YYYY-MM-DD.
type Date struct{ time.Time }
