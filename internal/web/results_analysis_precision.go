package web

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/analysis"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// msgAnalysisOverlaps: how many units a unit cannot be told apart from, and their ranks.
const msgAnalysisOverlaps = "%d đơn vị (hạng %s)"

// precisionView is one kind's precision table.
type precisionView struct {
	Kind string
	Rows []precisionRow
}

type precisionRow struct {
	Rank                    int
	Code, Name, Link        string
	Total, Forms, Low, High string
	Ranks                   string
	Overlaps                string
	Apart, NoForms          bool
}

// precisionData is the view model of the precision page.
type precisionData struct {
	campaignData
	Method    []string
	Precision []precisionView
	Counted   string
}

// analysisPrecisionPage shows each unit's total with its valid forms, its 95% interval and the
// ranks it could hold (a bootstrap re-scoring every resample, analysis.Bootstrap), from the
// responses as they stand. It has a page of its own: 200 re-scorings take seconds on a large
// campaign.
func (s *Server) analysisPrecisionPage(c *fiber.Ctx) error {
	cp, def, data, err := s.analysisInput(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	p, err := analysis.Bootstrap(ctx, def, data, analysis.Replicates, analysis.Seed)
	if err != nil {
		return err
	}
	var counted int64
	for _, u := range p.Units {
		counted += u.Forms
	}
	d := precisionData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "results"}, Method: analysis.PrecisionMethod(p),
		Precision: precisionViewsOf(cp.ID, def, p), Counted: vn.Int(counted)}
	d.Title = "Độ chính xác của tổng điểm"
	return s.renderPage(c, fiber.StatusOK, "results_analysis_precision", d)
}

func precisionViewsOf(campaignID int64, def *campaign.Definition, p *analysis.Precision) []precisionView {
	var out []precisionView
	for _, k := range def.Kinds {
		pv := precisionView{Kind: k.Name}
		for _, u := range p.Units {
			if u.Kind != k.Code {
				continue
			}
			ranks := strconv.Itoa(u.RankLow)
			if u.RankHigh != u.RankLow {
				ranks += "–" + strconv.Itoa(u.RankHigh)
			}
			row := precisionRow{Rank: u.Rank, Code: u.Unit, Name: export.UnitName(def, u.Unit),
				Link:  fmt.Sprintf("/campaigns/%d/results/units/%s", campaignID, u.Unit),
				Total: points(u.Total), Forms: vn.Int(u.Forms), Low: points(u.Low), High: points(u.High), Ranks: ranks,
				Apart: len(u.Overlaps) == 0}
			if len(u.Overlaps) > 0 {
				row.Overlaps = fmt.Sprintf(msgAnalysisOverlaps, len(u.Overlaps), rankSpan(p, u.Overlaps))
			}
			if u.Forms == 0 {
				row.NoForms = true
			}
			pv.Rows = append(pv.Rows, row)
		}
		slices.SortStableFunc(pv.Rows, func(a, b precisionRow) int { return a.Rank - b.Rank })
		if len(pv.Rows) > 0 {
			out = append(out, pv)
		}
	}
	return out
}

// rankSpan is the ranks of some units as a span, "2–12", or one rank, "3".
func rankSpan(p *analysis.Precision, units []string) string {
	lo, hi := 0, 0
	for _, code := range units {
		for _, u := range p.Units {
			if u.Unit != code {
				continue
			}
			if lo == 0 || u.Rank < lo {
				lo = u.Rank
			}
			hi = max(hi, u.Rank)
		}
	}
	if lo == hi {
		return strconv.Itoa(lo)
	}
	return fmt.Sprintf("%d–%d", lo, hi)
}
