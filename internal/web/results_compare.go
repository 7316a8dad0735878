package web

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/compare"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// compareData is the view model of the year-on-year page: the link to an earlier campaign, the
// form to change it, and the comparison when both campaigns have a score run.
type compareData struct {
	campaignData
	CanEdit bool
	Link    *compareLinkView
	// Options are the campaigns this one can be linked to; Earlier the one selected in the form.
	Options []compareOption
	Earlier int64
	// Errors are the problems of a refused link or mapping sheet, File its name.
	Errors []string
	File   string
	// Problem says why there is no comparison to show (no run yet on one side).
	Problem string
	Cmp     *compareView
}

// compareLinkView is the stored link as the page states it.
type compareLinkView struct {
	EarlierID   int64
	EarlierName string
	EarlierCode string
	EarlierYear int
	Source      string
	Rows        int
	At, By      string
}

// compareOption is a campaign in the list of earlier campaigns.
type compareOption struct {
	ID    int64
	Label string
}

// compareView is the comparison as the page shows it.
type compareView struct {
	Now, Before string // the two labels ("2026", "2025")
	NowRun      int64
	BeforeRun   int64
	BeforeID    int64
	BeforeName  string
	Method      []string
	Trees       []compareTreeView
	Kinds       []compareKindView
	Unused      []string
}

// compareTreeView is a matched pair of criteria trees.
type compareTreeView struct {
	Kinds   string
	Matched int
	Differs bool
	Notes   []string
}

// compareKindView is one kind of unit: its mean change overall and per area, and its units.
type compareKindView struct {
	Code, Name         string
	Units, Comparable  int
	Before, Now        string
	Change, ChangeSign string
	Areas              []compareAreaRow
	Rows               []compareUnitRow
	// Heads are the areas, the columns of the unit × area table.
	Heads []compareAreaRow
}

// compareAreaRow is an area's line: mean percentages, or one unit's points and percentages.
type compareAreaRow struct {
	Code, Name        string
	Units             int
	Before, Now       string
	BeforePct, NowPct string
	Change, PctChange string
	Sign              string
	InBefore          bool
}

// compareUnitRow is a unit's line of the comparison.
type compareUnitRow struct {
	Code, Name, Link string
	Match            string
	// From names the earlier units a unit drawn from a mapping sheet takes its score from.
	From              string
	Comparable        bool
	Before, Now       string
	BeforePct, NowPct string
	Change, PctChange string
	Sign              string
	RankBefore, Rank  int
	Areas             []compareAreaRow
}

// signed writes a change with its sign: "+1,25", "-0,50", "0,00"; "" for none.
func signed(r *big.Rat) string {
	if r == nil {
		return ""
	}
	s := vn.Decimal(r, 2)
	if !strings.HasPrefix(s, "-") && strings.Trim(s, "0,.") != "" {
		s = "+" + s
	}
	return s
}

// sign is the arrow beside a change, so that a rise and a fall read apart without colour.
func sign(r *big.Rat) string {
	switch {
	case r == nil:
		return ""
	case vn.RoundHalfUp(r, 2) == "0.00" || vn.RoundHalfUp(r, 2) == "-0.00":
		return "="
	case r.Sign() > 0:
		return "▲"
	}
	return "▼"
}

func (s *Server) compareView(c *fiber.Ctx, cp *store.Campaign) (compareData, error) {
	u := currentUser(c)
	d := compareData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "results"}, CanEdit: s.allowed(u, "POST", "/campaigns/:id<int>/results/compare")}
	d.Title = "So sánh với năm trước"
	ctx := c.UserContext()
	camps, err := s.db.Campaigns(ctx)
	if err != nil {
		return d, err
	}
	for _, o := range camps {
		if o.ID == cp.ID || o.Year > cp.Year {
			continue
		}
		d.Options = append(d.Options, compareOption{ID: o.ID, Label: fmt.Sprintf("%d · %s (%s)", o.Year, o.Name, o.Code)})
	}
	link, err := s.db.ComparisonLink(ctx, cp.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return d, nil
	case err != nil:
		return d, err
	}
	d.Earlier = link.EarlierID
	lv := &compareLinkView{EarlierID: link.EarlierID, Source: link.Source, Rows: len(link.Mappings),
		At: vn.DateTime(link.LinkedAt), By: orCLI(link.LinkedBy)}
	if ec, err := s.db.Campaign(ctx, link.EarlierID); err == nil {
		lv.EarlierName, lv.EarlierCode, lv.EarlierYear = ec.Name, ec.Code, ec.Year
	}
	d.Link = lv

	cmp, err := compare.Load(ctx, s.db, cp.ID)
	var noRun *compare.NoRunError
	switch {
	case errors.As(err, &noRun) && noRun.Earlier:
		d.Problem = fmt.Sprintf(msgCompareNoRunBefore, noRun.Code)
		return d, nil
	case errors.As(err, &noRun):
		d.Problem = msgCompareNoRunNow
		return d, nil
	case err != nil:
		return d, err
	}
	d.Cmp = comparisonView(cp, cmp)
	return d, nil
}

// comparisonView turns a comparison into the page's rows, every figure rounded half up.
func comparisonView(cp *store.Campaign, cmp *compare.Comparison) *compareView {
	v := &compareView{Now: cmp.Now.Label, Before: cmp.Before.Label, NowRun: cmp.Now.RunID, BeforeRun: cmp.Before.RunID,
		BeforeID: cmp.Before.CampaignID, BeforeName: cmp.Before.Name, Method: cmp.Method}
	for _, t := range cmp.Trees {
		kinds := strings.Join(t.Kinds, ", ")
		if len(t.BeforeKinds) > 0 {
			kinds += fmt.Sprintf(", so với %s năm %s", strings.Join(t.BeforeKinds, ", "), cmp.Before.Label)
		}
		v.Trees = append(v.Trees, compareTreeView{Kinds: kinds, Matched: t.Matched, Differs: t.Differs(), Notes: t.Notes})
	}
	for _, u := range cmp.Unused {
		v.Unused = append(v.Unused, fmt.Sprintf("%s (%s)", u.Name, u.Code))
	}
	for _, k := range cmp.Kinds {
		kv := compareKindView{Code: k.Kind, Name: k.Name, Units: k.Units, Comparable: k.Comparable,
			Before: pctText(k.Before), Now: pctText(k.Now), Change: signed(k.Change), ChangeSign: sign(k.Change)}
		for _, a := range k.Areas {
			kv.Heads = append(kv.Heads, compareAreaRow{Code: a.Code, Name: a.Name})
			kv.Areas = append(kv.Areas, compareAreaRow{Code: a.Code, Name: a.Name, Units: a.Units, BeforePct: pctText(a.Before),
				NowPct: pctText(a.Now), PctChange: signed(a.Change), Sign: sign(a.Change), InBefore: a.Units > 0})
		}
		for i := range cmp.Units {
			u := &cmp.Units[i]
			if u.Kind != k.Kind {
				continue
			}
			row := compareUnitRow{Code: u.Unit, Name: u.Name, Link: fmt.Sprintf("/campaigns/%d/results/units/%s", cp.ID, u.Unit),
				Match: u.Match.Label(), Comparable: u.Comparable(),
				Now: points(u.Now.Points), NowPct: pctText(u.Now.Percent), Rank: u.Rank, RankBefore: u.RankBefore}
			if u.Match == compare.MatchSheet {
				row.From = compare.Sources(u.From)
			}
			if u.Before != nil {
				row.Before, row.BeforePct = points(u.Before.Points), pctText(u.Before.Percent)
				row.Change, row.PctChange, row.Sign = signed(u.Change), signed(u.PercentChange), sign(u.PercentChange)
			}
			// One cell per area of the kind, in the kind's order, so that the table's columns hold.
			byArea := map[string]compare.AreaChange{}
			for _, a := range u.Areas {
				byArea[a.Code] = a
			}
			for _, h := range kv.Heads {
				a, ok := byArea[h.Code]
				if !ok {
					row.Areas = append(row.Areas, compareAreaRow{Code: h.Code, Name: h.Name})
					continue
				}
				ar := compareAreaRow{Code: a.Code, Name: a.Name, Now: points(a.Now.Points), NowPct: pctText(a.Now.Percent), InBefore: a.Before != nil}
				if a.Before != nil {
					ar.Before, ar.BeforePct = points(a.Before.Points), pctText(a.Before.Percent)
					ar.Change, ar.PctChange, ar.Sign = signed(a.Change), signed(a.PercentChange), sign(a.PercentChange)
				}
				row.Areas = append(row.Areas, ar)
			}
			kv.Rows = append(kv.Rows, row)
		}
		v.Kinds = append(v.Kinds, kv)
	}
	return v
}

// pctText is a percentage (already × 100) with 2 decimals; "" for none.
func pctText(r *big.Rat) string {
	if r == nil {
		return ""
	}
	return vn.Decimal(r, 2) + "%"
}

func (s *Server) comparePage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	d, err := s.compareView(c, cp)
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "results_compare", d)
}
