package web

import (
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/analysis"
	"github.com/parsurvey/parsurvey/internal/export"
)

// analysisTablesXLSX downloads the analysis tables as a workbook: every frequency table, the
// cross-tabs and the precision of each unit's total.
func (s *Server) analysisTablesXLSX(c *fiber.Ctx) error {
	cp, def, data, err := s.analysisInput(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	p, err := analysis.Bootstrap(ctx, def, data, analysis.Replicates, analysis.Seed)
	if err != nil {
		return err
	}
	t := export.Tables{Frequencies: analysis.Frequencies(def, data), CrossTabs: analysis.CrossTabs(def, data), Precision: p}
	attachment(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fmt.Sprintf("bang-phan-tich-%s.xlsx", cp.Code))
	return sendSpooled(c, func(w io.Writer) error { return export.WriteTablesXLSX(w, def, t) })
}
