package web

import (
	"errors"
	"fmt"
	"html/template"
	"math/big"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/chart"
	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// runItem is a line of the list of score runs.
type runItem struct {
	ID                  int64
	At                  string
	By                  string
	Forms               string
	Digest, ShortDigest string
	Current             bool
}

// rankRow is a unit's line in the ranking table.
type rankRow struct {
	Rank                        int
	Code, Name                  string
	Total, Percent, Band, Forms string
	Meter                       template.HTML
	FewForms, NoRatio, NoData   int
	Link                        string
}

// kindRanking is the ranking of one kind of unit.
type kindRanking struct {
	Code, Name string
	// SurveyPoints are the kind's survey points (Definition.SurveyPointsFor), as shown.
	SurveyPoints string
	Rows         []rankRow
}

// runView is what every results page says about the run it shows.
type runView struct {
	ID                      int64
	At, By                  string
	Version                 int
	InputDigest             string
	ResultDigest            string
	Counted                 string
	Received, Valid         string
	Invalid, Pending        string
	Method                  []string
	SurveyPoints            string
	MinForms                int
	Query                   string // "?run=N" for links that keep the run
	Latest                  bool
	DefinitionChangedSince  bool
	SettingsChangedSinceRun bool
}

// resultsData is the view model of the results page.
type resultsData struct {
	campaignData
	Run      *runView
	Runs     []runItem
	Kinds    []kindRanking
	FewForms []fewForms
	CanEdit  bool
}

// fewForms is a unit × group with fewer valid forms than the minimum (domain.md step 4).
type fewForms struct {
	Unit, UnitName, Group, GroupName string
	Forms, Invalid                   string
	Link                             string
}

// campaignRun loads the campaign of the path and the run selectedRun picks for it.
func (s *Server) campaignRun(c *fiber.Ctx) (*store.Campaign, *scorerun.Run, error) {
	cp, err := s.campaign(c)
	if err != nil {
		return nil, nil, err
	}
	run, err := s.selectedRun(c, cp)
	if err != nil {
		return nil, nil, err
	}
	return cp, run, nil
}

// selectedRun loads the run named by ?run=, or the newest; nil without error when there is none.
func (s *Server) selectedRun(c *fiber.Ctx, cp *store.Campaign) (*scorerun.Run, error) {
	var id int64
	if v := c.Query("run"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return nil, &Error{Status: fiber.StatusNotFound, Msg: msgRunNotFound}
		}
		id = n
	}
	run, err := scorerun.Load(c.UserContext(), s.db, cp.ID, id)
	switch {
	case errors.Is(err, store.ErrNotFound) && id == 0:
		return nil, nil
	case errors.Is(err, store.ErrNotFound):
		return nil, &Error{Status: fiber.StatusNotFound, Msg: msgRunNotFound}
	}
	return run, err
}

func shortDigest(d string) string {
	d = strings.TrimPrefix(d, "sha256:")
	if len(d) > 12 {
		return d[:12]
	}
	return d
}

func (s *Server) runView(c *fiber.Ctx, cp *store.Campaign, run *scorerun.Run, latestID int64) *runView {
	t := run.Totals()
	v := &runView{ID: run.ID, At: vn.DateTime(run.CreatedAt), By: run.CreatedBy, Version: run.CampaignVersion,
		InputDigest: run.InputDigest, ResultDigest: run.ResultDigest, Counted: vn.Int(run.Result.Forms),
		Received: vn.Int(t.Forms), Valid: vn.Int(t.Valid), Invalid: vn.Int(t.Invalid), Pending: vn.Int(t.Pending),
		Method: run.Method.Statement, SurveyPoints: vn.Decimal(run.Def.SurveyPoints.Rat(), 2), MinForms: run.Method.MinForms,
		Latest: run.ID == latestID, DefinitionChangedSince: run.CampaignVersion != cp.Version}
	v.By = orCLI(v.By)
	if !v.Latest {
		v.Query = fmt.Sprintf("?run=%d", run.ID)
	}
	if cs, err := s.db.CampaignSettings(c.UserContext(), cp.ID); err == nil {
		v.SettingsChangedSinceRun = cs.Overrides.JSON() != run.Settings.JSON()
	}
	return v
}

// pct is a ratio in [0, 1] as a Vietnamese percentage with 2 decimals; "" for none.
func pct(r *big.Rat) string {
	if r == nil {
		return ""
	}
	return vn.Decimal(new(big.Rat).Mul(r, big.NewRat(100, 1)), 2)
}

// points is an exact value as the pages show it: rounded half up, 2 decimals, "1.234,56".
func points(r *big.Rat) string {
	if r == nil {
		return ""
	}
	return scoring.FormatVN(r)
}

// hundredths is r × 100 rounded down, for a meter's integer scale.
func hundredths(r *big.Rat) int {
	if r == nil || r.Sign() <= 0 {
		return 0
	}
	q := new(big.Int).Quo(new(big.Int).Mul(r.Num(), big.NewInt(100)), r.Denom())
	return int(q.Int64())
}

func rankingOf(cp *store.Campaign, run *scorerun.Run) []kindRanking {
	def := run.Def
	var out []kindRanking
	index := map[string]int{}
	for _, u := range export.Ranking(run.Result, def) {
		i, ok := index[u.Kind]
		if !ok {
			i = len(out)
			index[u.Kind] = i
			out = append(out, kindRanking{Code: u.Kind, Name: export.KindName(def, u.Kind), SurveyPoints: vn.Decimal(def.SurveyPointsFor(u.Kind).Rat(), 2)})
		}
		var forms int64
		for _, g := range u.Groups {
			forms += g.Forms
		}
		row := rankRow{Rank: u.Rank, Code: u.Unit, Name: export.UnitName(def, u.Unit), Total: points(u.Total),
			Band: u.BandName, Forms: vn.Int(forms),
			Link: fmt.Sprintf("/campaigns/%d/results/units/%s", cp.ID, u.Unit)}
		if row.Band == "" {
			row.Band = "—"
		}
		if u.Percent != nil {
			row.Percent = vn.Decimal(u.Percent, 2)
		}
		row.Meter = chart.Meter{Value: hundredths(u.Total), Max: hundredths(def.SurveyPointsFor(u.Kind).Rat()),
			Title: fmt.Sprintf("%s/%s điểm", row.Total, vn.Decimal(def.SurveyPointsFor(u.Kind).Rat(), 2))}.SVG()
		for _, f := range u.Flags {
			switch f.Code {
			case scoring.FlagFewForms:
				row.FewForms++
			case scoring.FlagNoRatio:
				row.NoRatio++
			case scoring.FlagNoData:
				row.NoData++
			}
		}
		out[i].Rows = append(out[i].Rows, row)
	}
	return out
}

func (s *Server) resultsPage(c *fiber.Ctx) error {
	cp, run, err := s.campaignRun(c)
	if err != nil {
		return err
	}
	runs, err := s.db.ScoreRuns(c.UserContext(), cp.ID)
	if err != nil {
		return err
	}
	u := currentUser(c)
	d := resultsData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "results"}, CanEdit: u != nil && u.Role == store.RoleAdmin}
	d.Title = "Kết quả"
	if run != nil {
		d.Run = s.runView(c, cp, run, runs[0].ID)
		d.Kinds = rankingOf(cp, run)
		for _, ur := range run.Result.Units {
			for _, f := range ur.Flags {
				if f.Code != scoring.FlagFewForms {
					continue
				}
				t := run.TallyFor(f.Group, ur.Unit)
				d.FewForms = append(d.FewForms, fewForms{Unit: ur.Unit, UnitName: export.UnitName(run.Def, ur.Unit), Group: f.Group,
					GroupName: export.GroupName(run.Def, f.Group), Forms: vn.Int(t.Valid), Invalid: vn.Int(t.Invalid),
					Link: fmt.Sprintf("/campaigns/%d/results/units/%s%s", cp.ID, ur.Unit, d.Run.Query)})
			}
		}
		for i := range d.Kinds {
			for j := range d.Kinds[i].Rows {
				d.Kinds[i].Rows[j].Link += d.Run.Query
			}
		}
	}
	for _, r := range runs {
		d.Runs = append(d.Runs, runItem{ID: r.ID, At: vn.DateTime(r.CreatedAt), By: orCLI(r.CreatedBy), Forms: vn.Int(r.Forms),
			Digest: r.InputDigest, ShortDigest: shortDigest(r.InputDigest), Current: run != nil && r.ID == run.ID})
	}
	return s.renderPage(c, fiber.StatusOK, "results", d)
}

// orCLI names who made a run: the user, or the command line when there was none.
func orCLI(by string) string {
	if by == "" {
		return "dòng lệnh"
	}
	return by
}
