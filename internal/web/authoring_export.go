package web

import (
	"bytes"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/workbook"
)

// workbookType is the content type of an .xlsx download.
const workbookType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// campaignWorkbook sends a campaign's definition as a campaign workbook, to be edited in Excel
// and uploaded again as a draft.
func (s *Server) campaignWorkbook(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := workbook.Write(&buf, cp.Def); err != nil {
		return err
	}
	attachment(c, workbookType, fmt.Sprintf("dot-khao-sat-%s-v%d.xlsx", cp.Code, cp.Version))
	return c.Send(buf.Bytes())
}

// defDraftWorkbook sends a draft that checks as a campaign workbook: a zip of YAML uploaded once
// is edited in Excel from then on.
func (s *Server) defDraftWorkbook(c *fiber.Ctx) error {
	dr, def, err := s.defDraftDefinition(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := workbook.Write(&buf, def); err != nil {
		return err
	}
	attachment(c, workbookType, fmt.Sprintf("ban-nhap-%d-%s.xlsx", dr.ID, def.Code))
	return c.Send(buf.Bytes())
}
