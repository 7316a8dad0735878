package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/issuing"
)

// distributionList downloads the list of issued forms, for a group and a unit or all of them,
// as XLSX or CSV.
func (s *Server) distributionList(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	sel := issuing.Selection{Group: c.Query("group"), Unit: c.Query("unit")}
	svc := s.issuingService()
	name := fmt.Sprintf("danh-sach-phat-phieu-%s", cp.Code)
	if c.Params("format") == "csv" {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Attachment(name + ".csv")
		return svc.WriteDistributionCSV(c.UserContext(), cp, sel, c.Response().BodyWriter())
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Attachment(name + ".xlsx")
	return svc.WriteDistributionXLSX(c.UserContext(), cp, sel, c.Response().BodyWriter())
}
