package web

import (
	"fmt"
	"math/big"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// treeRow is one line of a unit's criteria tree.
type treeRow struct {
	Level                   string // area, crit or sub
	Code, Name              string
	Max, Points, Percent    string
	NoData                  bool
	Groups                  []groupCell
	Questions               []questionCell
	HasQuestions, Collapsed bool
}

// groupCell is one group's own result on a sub-criterion.
type groupCell struct {
	Percent, Points string
	Counted         bool
}

// questionCell is m(u,q) for one question of a sub-criterion.
type questionCell struct {
	Code, Weight, Percent string
}

// groupCol is a group's column head on the unit page.
type groupCol struct {
	Code, Name, Weight, Forms, Invalid string
	Imported, Counted                  bool
	// NotEvaluating: the group has a quota of 0 for the unit and does not evaluate it; Flag
	// then says so instead of naming a warning.
	NotEvaluating bool
	Flag          string
}

// unitData is the view model of one unit's result.
type unitData struct {
	campaignData
	Run                        *runView
	Code, Name, Kind           string
	Total, Percent, Band, Rank string
	// Max is the survey's points for the unit's kind: each level has its own share.
	Max    string
	Groups []groupCol
	Tree   []treeRow
	Flags  []string
	Back   string
}

func (s *Server) unitResultPage(c *fiber.Ctx) error {
	cp, run, err := s.campaignRun(c)
	if err != nil {
		return err
	}
	if run == nil {
		return &Error{Status: fiber.StatusNotFound, Msg: msgNoRun}
	}
	ur := run.Result.Unit(c.Params("unit"))
	if ur == nil {
		return &Error{Status: fiber.StatusNotFound, Msg: msgUnitNotFound}
	}
	runs, err := s.db.ScoreRuns(c.UserContext(), cp.ID)
	if err != nil {
		return err
	}
	def := run.Def
	d := unitData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "results"}, Run: s.runView(c, cp, run, runs[0].ID),
		Code: ur.Unit, Name: export.UnitName(def, ur.Unit), Kind: export.KindName(def, ur.Kind),
		Total: points(ur.Total), Band: ur.BandName, Rank: strconv.Itoa(ur.Rank),
		Max: vn.Decimal(def.SurveyPointsFor(ur.Kind).Rat(), 2)}
	d.Title = d.Name
	d.Back = fmt.Sprintf("/campaigns/%d/results%s", cp.ID, d.Run.Query)
	if ur.Percent != nil {
		d.Percent = vn.Decimal(ur.Percent, 2)
	}
	for _, g := range ur.Groups {
		t := run.TallyFor(g.Group, ur.Unit)
		col := groupCol{Code: g.Group, Name: export.GroupName(def, g.Group), Weight: vn.Decimal(g.Weight.Rat(), 2), Forms: vn.Int(g.Forms),
			Invalid: vn.Int(t.Invalid), Imported: g.Imported, Counted: g.Counted, NotEvaluating: g.NotEvaluating}
		for _, f := range ur.Flags {
			if f.Group == g.Group {
				col.Flag = f.Code.Label()
			}
		}
		if g.NotEvaluating {
			col.Flag = scoring.NotEvaluatingLabel
		}
		d.Groups = append(d.Groups, col)
	}
	for _, f := range ur.Flags {
		d.Flags = append(d.Flags, f.Message)
	}
	for ai, a := range ur.Areas {
		da := def.TreeFor(ur.Kind)[ai]
		d.Tree = append(d.Tree, totalRow("area", a.Code, da.Name, a.Points, a.Max))
		for ci, cr := range a.Criteria {
			dc := da.Criteria[ci]
			d.Tree = append(d.Tree, totalRow("crit", cr.Code, dc.Name, cr.Points, cr.Max))
			for si, sc := range cr.Subs {
				row := treeRow{Level: "sub", Code: sc.Code, Name: dc.Subs[si].Name, Max: vn.Decimal(sc.Max.Rat(), 2), Points: points(sc.Points),
					Percent: pct(sc.Mean), NoData: sc.NoData}
				for _, g := range ur.Groups {
					cell := groupCell{Counted: g.Counted}
					for _, gs := range g.Subs {
						if gs.Sub == sc.Code {
							cell.Percent, cell.Points = pct(gs.Mean), points(gs.Points)
						}
					}
					row.Groups = append(row.Groups, cell)
				}
				for _, q := range sc.Questions {
					code := q.Code
					if code == "" {
						code = "(tỷ lệ nhập)"
					}
					row.Questions = append(row.Questions, questionCell{Code: code, Weight: vn.Decimal(q.Weight.Rat(), 2), Percent: pct(q.Mean)})
				}
				row.HasQuestions = len(row.Questions) > 0
				d.Tree = append(d.Tree, row)
			}
		}
	}
	return s.renderPage(c, fiber.StatusOK, "results_unit", d)
}

// totalRow is the tree's line of an area or a criterion: its points, and its percent of the maximum.
func totalRow(level, code, name string, got *big.Rat, max campaign.Decimal) treeRow {
	return treeRow{Level: level, Code: code, Name: name, Max: vn.Decimal(max.Rat(), 2), Points: points(got),
		Percent: pct(ratioOfMax(got, max))}
}

func ratioOfMax(points *big.Rat, max campaign.Decimal) *big.Rat {
	if max <= 0 {
		return nil
	}
	return new(big.Rat).Quo(points, max.Rat())
}
