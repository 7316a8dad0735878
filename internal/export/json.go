// Package export writes what the institute hands over: the score run as a JSON feed for the
// index's aggregation system, as an XLSX workbook (streamed) and CSV files, every figure
// rounded half up to 2 decimals from the exact value (domain.md step 7) and, in the feed and
// the workbook, also given exactly.
package export

import (
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scoring"
)

// FeedFormat names the layout of the JSON feed; a change that breaks readers gets a new name.
const FeedFormat = "parsurvey.scores.v1"

// Feed is the JSON document of a score run (GET /api/v1/campaigns/{id}/scores), as the README
// documents it.
type Feed struct {
	Format   string       `json:"format"`
	Campaign FeedCampaign `json:"campaign"`
	Run      FeedRun      `json:"run"`
	Units    []FeedUnit   `json:"units"`
}

// FeedCampaign says which campaign and definition version the figures are about.
type FeedCampaign struct {
	ID                int64  `json:"id"`
	Code              string `json:"code"`
	Name              string `json:"name"`
	Year              int    `json:"year"`
	Level             string `json:"level"`
	Organizer         string `json:"organizer"`
	DefinitionVersion int    `json:"definition_version"`
	// SurveyPoints is the campaign's survey points, kept for readers of earlier feeds;
	// SurveyPointsByKind gives each unit kind's own (Definition.SurveyPointsFor).
	SurveyPoints       string                      `json:"survey_points"`
	SurveyPointsByKind []scorerun.MethodKindPoints `json:"survey_points_by_kind"`
}

// FeedRun is the run's identity, inputs and method.
type FeedRun struct {
	ID           int64           `json:"id"`
	CreatedAt    time.Time       `json:"created_at"`
	CreatedBy    string          `json:"created_by"`
	InputDigest  string          `json:"input_digest"`
	ResultDigest string          `json:"result_digest"`
	Forms        FeedForms       `json:"forms"`
	Method       scorerun.Method `json:"method"`
}

// FeedForms counts the forms behind the run; a matrix form counts once per unit it covers.
type FeedForms struct {
	Counted  int64 `json:"counted"`
	Received int64 `json:"received"`
	Valid    int64 `json:"valid"`
	Invalid  int64 `json:"invalid"`
	Pending  int64 `json:"pending"`
}

// Figure is a number both as shown (rounded half up to 2 decimals, dot decimal mark) and
// exactly, as a fraction "a/b" or a whole number (scoring.Figure, shared with the comparison
// feed).
type Figure = scoring.Figure

// FeedUnit is one unit's survey score with its breakdown.
type FeedUnit struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	KindName string `json:"kind_name"`
	// Rank is among units of the same kind; equal totals share a rank (1, 2, 2, 4).
	Rank     int     `json:"rank"`
	Total    Figure  `json:"total"`
	Percent  *Figure `json:"percent"`
	Band     string  `json:"band"`
	BandName string  `json:"band_name"`
	// ValidForms counts the valid forms about the unit, all groups together.
	ValidForms int64       `json:"valid_forms"`
	Areas      []FeedNode  `json:"areas"`
	Groups     []FeedGroup `json:"groups"`
	Flags      []FeedFlag  `json:"flags"`
}

// FeedNode is an area, criterion or sub-criterion with its points.
type FeedNode struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Max    string `json:"max"`
	Points Figure `json:"points"`
	// Percent is the sub-criterion's mean as a percentage; null when it had no data.
	Percent   *Figure        `json:"percent,omitempty"`
	NoData    bool           `json:"no_data,omitempty"`
	Questions []FeedQuestion `json:"questions,omitempty"`
	Children  []FeedNode     `json:"children,omitempty"`
}

// FeedQuestion is m(u,q), the groups combined for one question, as a percentage.
type FeedQuestion struct {
	Code    string  `json:"code"`
	Weight  string  `json:"weight"`
	Percent *Figure `json:"percent"`
}

// FeedGroup is one respondent group's own result for the unit.
type FeedGroup struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Weight   string `json:"weight"`
	Imported bool   `json:"imported"`
	Forms    int64  `json:"forms"`
	// Counted is false when the group was left out (too few forms, no ratio, weight 0, or a
	// quota of 0 for the unit: the group does not evaluate it).
	Counted bool           `json:"counted"`
	Subs    []FeedGroupSub `json:"sub_criteria"`
}

// FeedGroupSub is a group's mean on one sub-criterion and the points it alone would give.
type FeedGroupSub struct {
	Code    string  `json:"code"`
	Percent *Figure `json:"percent"`
	Points  *Figure `json:"points"`
}

// FeedFlag is a warning on a unit's score.
type FeedFlag struct {
	Code    string `json:"code"`
	Label   string `json:"label"`
	Group   string `json:"group,omitempty"`
	Sub     string `json:"sub,omitempty"`
	Message string `json:"message"`
}

// fig is an exact value as a Figure.
func fig(r *big.Rat) Figure { return *scoring.FigureOf(r) }

var hundred = big.NewRat(100, 1)

// percentFig is a ratio in [0, 1] as a percentage Figure; nil stays nil.
func percentFig(r *big.Rat) *Figure {
	if r == nil {
		return nil
	}
	f := fig(new(big.Rat).Mul(r, hundred))
	return &f
}

func figp(r *big.Rat) *Figure { return scoring.FigureOf(r) }

// FeedOf builds the feed of a run.
func FeedOf(run *scorerun.Run) *Feed {
	def := run.Def
	tot := run.Totals()
	f := &Feed{
		Format: FeedFormat,
		Campaign: FeedCampaign{ID: run.CampaignID, Code: def.Code, Name: def.Name, Year: def.Year, Level: def.Level, Organizer: def.Organizer,
			DefinitionVersion: run.CampaignVersion, SurveyPoints: def.SurveyPoints.String(), SurveyPointsByKind: []scorerun.MethodKindPoints{}},
		Run: FeedRun{ID: run.ID, CreatedAt: run.CreatedAt.UTC(), CreatedBy: run.CreatedBy, InputDigest: run.InputDigest, ResultDigest: run.ResultDigest,
			Forms:  FeedForms{Counted: run.Result.Forms, Received: tot.Forms, Valid: tot.Valid, Invalid: tot.Invalid, Pending: tot.Pending},
			Method: run.Method},
		Units: []FeedUnit{},
	}
	for _, k := range def.Kinds {
		f.Campaign.SurveyPointsByKind = append(f.Campaign.SurveyPointsByKind,
			scorerun.MethodKindPoints{Kind: k.Code, Name: k.Name, Points: def.SurveyPointsFor(k.Code).String()})
	}
	for i := range run.Result.Units {
		f.Units = append(f.Units, feedUnit(run, &run.Result.Units[i]))
	}
	return f
}

func feedUnit(run *scorerun.Run, u *scoring.UnitResult) FeedUnit {
	def := run.Def
	fu := FeedUnit{Code: u.Unit, Name: UnitName(def, u.Unit), Kind: u.Kind, KindName: KindName(def, u.Kind), Rank: u.Rank,
		Total: fig(u.Total), Percent: figp(u.Percent), Band: u.Band, BandName: u.BandName,
		Areas: []FeedNode{}, Groups: []FeedGroup{}, Flags: []FeedFlag{}}
	for _, g := range u.Groups {
		fu.ValidForms += g.Forms
	}
	for ai, a := range u.Areas {
		da := def.TreeFor(u.Kind)[ai]
		an := FeedNode{Code: a.Code, Name: da.Name, Max: a.Max.String(), Points: fig(a.Points)}
		for ci, c := range a.Criteria {
			dc := da.Criteria[ci]
			cn := FeedNode{Code: c.Code, Name: dc.Name, Max: c.Max.String(), Points: fig(c.Points)}
			for si, s := range c.Subs {
				sn := FeedNode{Code: s.Code, Name: dc.Subs[si].Name, Max: s.Max.String(), Points: fig(s.Points), Percent: percentFig(s.Mean), NoData: s.NoData}
				for _, q := range s.Questions {
					sn.Questions = append(sn.Questions, FeedQuestion{Code: q.Code, Weight: q.Weight.String(), Percent: percentFig(q.Mean)})
				}
				cn.Children = append(cn.Children, sn)
			}
			an.Children = append(an.Children, cn)
		}
		fu.Areas = append(fu.Areas, an)
	}
	for _, g := range u.Groups {
		fg := FeedGroup{Code: g.Group, Name: GroupName(def, g.Group), Weight: g.Weight.String(), Imported: g.Imported, Forms: g.Forms,
			Counted: g.Counted, Subs: []FeedGroupSub{}}
		for _, s := range g.Subs {
			fg.Subs = append(fg.Subs, FeedGroupSub{Code: s.Sub, Percent: percentFig(s.Mean), Points: figp(s.Points)})
		}
		fu.Groups = append(fu.Groups, fg)
	}
	for _, fl := range u.Flags {
		fu.Flags = append(fu.Flags, FeedFlag{Code: string(fl.Code), Label: fl.Code.Label(), Group: fl.Group, Sub: fl.Sub, Message: fl.Message})
	}
	return fu
}

// WriteJSON writes the run's feed, indented, UTF-8.
func WriteJSON(w io.Writer, run *scorerun.Run) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(FeedOf(run)); err != nil {
		return fmt.Errorf("export: JSON of run %d: %w", run.ID, err)
	}
	return nil
}

// UnitName is a unit's name, or its code when the definition has none.
func UnitName(def *campaign.Definition, code string) string {
	if u := def.Unit(code); u != nil && u.Name != "" {
		return u.Name
	}
	return code
}

// KindName is a unit kind's name, or its code.
func KindName(def *campaign.Definition, code string) string {
	if k := def.Kind(code); k != nil && k.Name != "" {
		return k.Name
	}
	return code
}

// GroupName is a respondent group's name, or its code.
func GroupName(def *campaign.Definition, code string) string {
	if g := def.Group(code); g != nil && g.Name != "" {
		return g.Name
	}
	return code
}
