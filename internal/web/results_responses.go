package web

import (
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/export"
)

// exportResponses downloads every response as CSV, one row per form and unit.
func (s *Server) exportResponses(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	attachment(c, "text/csv; charset=utf-8", fmt.Sprintf("phieu-%s.csv", cp.Code))
	return sendSpooled(c, func(w io.Writer) error { return export.WriteResponsesCSV(w, cp.Def, s.rows(c, cp)) })
}
