package web

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/analysis"
	"github.com/parsurvey/parsurvey/internal/compare"
	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/report"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/store"
)

// reportTypes are the content types of the analysis report's formats.
var reportTypes = map[string]string{
	"pdf":  "application/pdf",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

// sendReport downloads the run's analysis report (export.pdf, export.docx) with the campaign's
// frequency tables in its annex, the open-ended answers of valid forms and, for a campaign
// linked to an earlier one, the comparison with it; spooled to a temporary file so that an
// error shows as a page.
func (s *Server) sendReport(c *fiber.Ctx, cp *store.Campaign, run *scorerun.Run, format string) error {
	data, err := analysis.Load(c.UserContext(), s.db, cp.ID)
	if err != nil {
		return fmt.Errorf("web: report of run %d: %w", run.ID, err)
	}
	in := report.Input{Run: run, Frequencies: analysis.Frequencies(run.Def, data), HasFrequencies: true, HasTexts: true}
	texts, err := s.db.TextAnswers(c.UserContext(), cp.ID, store.TextFilter{})
	if err != nil {
		return fmt.Errorf("web: report of run %d: %w", run.ID, err)
	}
	for _, t := range texts {
		if t.Valid { // only forms that count for the unit
			in.Texts = append(in.Texts, report.TextAnswer{Unit: t.Unit, Group: t.Group, Form: t.Questionnaire, Question: t.Question, Body: t.Body})
		}
	}
	if in.YearOnYear, err = reportYearOnYear(c.UserContext(), s.db, cp.ID, run.ID); err != nil {
		return fmt.Errorf("web: report of run %d: %w", run.ID, err)
	}
	attachment(c, reportTypes[format], fmt.Sprintf("bao-cao-%s-lan-%d.%s", run.CampaignCode, run.ID, format))
	return sendSpooled(c, func(w io.Writer) error { return export.WriteReport(w, format, in) })
}

// reportYearOnYear is the report's comparison of the run with the earlier campaign the campaign is
// linked to: nil when it is linked to none, the earlier campaign's code alone when that has
// no score run yet.
func reportYearOnYear(ctx context.Context, db *store.DB, campaignID, runID int64) (*report.YearOnYear, error) {
	cmp, err := compare.LoadRun(ctx, db, campaignID, runID)
	var noRun *compare.NoRunError
	switch {
	case errors.Is(err, compare.ErrNotLinked):
		return nil, nil
	case errors.As(err, &noRun) && noRun.Earlier:
		return &report.YearOnYear{NoRun: noRun.Code}, nil
	case err != nil:
		return nil, fmt.Errorf("year on year: %w", err)
	}
	return &report.YearOnYear{Comparison: cmp}, nil
}
