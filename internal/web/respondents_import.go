package web

import (
	"bytes"
	"fmt"
	"path/filepath"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/outreach"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// importList reads an uploaded list for one group × unit, checks every row, and stores the
// people with a new form each, all together or, when a row is wrong, none: the report lists
// every wrong row with its line, column and reason, as the paper import does.
func (s *Server) importList(c *fiber.Ctx) error {
	d, err := s.listsBase(c)
	if err != nil {
		return err
	}
	d.Import.Group, d.Import.Unit = postedText(c, "group"), postedText(c, "unit")
	if err := outreach.CheckList(d.C.Def, d.Import.Group, d.Import.Unit); err != nil {
		return s.refuseList(c, d, err)
	}
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		d.Errors.add("list-file", msgListImportNoFile)
		d.Message = msgListRefused
		return s.renderPage(c, fiber.StatusUnprocessableEntity, "respondents", d)
	}
	d.File = filepath.Base(fh.Filename)
	f, err := fh.Open()
	if err != nil {
		return fmt.Errorf("web: open upload %s: %w", d.File, err)
	}
	defer f.Close()
	res, err := s.outreach.Import(c.UserContext(), outreach.ImportFile{Campaign: d.C, Group: d.Import.Group, Unit: d.Import.Unit,
		Name: d.File, Data: f, UserID: currentUser(c).ID})
	if err != nil {
		return s.refuseList(c, d, err)
	}
	if len(res.Errors) > 0 {
		sortRowErrors(res.Errors)
		bad := map[int]bool{}
		for _, e := range res.Errors {
			bad[e.Line] = true
		}
		d.Report, d.BadRows = res.Errors, len(bad)
		d.Message = fmt.Sprintf(msgListImportRejected, len(res.Errors), d.BadRows)
		return s.renderPage(c, fiber.StatusUnprocessableEntity, "respondents", d)
	}
	s.setFlash(c, fmt.Sprintf(msgListImported, vn.Int(int64(res.Stored)), d.File, listName(d.C.Def, d.Import.Group, d.Import.Unit)))
	return c.Redirect(fmt.Sprintf("/campaigns/%d/respondents?%s", d.C.ID, listQuery(d.Import.Group, d.Import.Unit)), fiber.StatusSeeOther)
}

// refuseList shows the lists page again with a refused import's problem next to its field, or
// as the page's message when it is about the campaign.
func (s *Server) refuseList(c *fiber.Ctx, d listsData, err error) error {
	fe := fault.As(err)
	if fe == nil {
		return err
	}
	for _, fl := range fe.Fields {
		d.Errors.add("list-"+fl.Name, fl.Msg)
	}
	d.Import.GroupError, d.Import.UnitError = d.Errors["list-group"], d.Errors["list-unit"]
	d.Message = msgListRefused
	if len(fe.Fields) == 0 && fe.Msg != "" {
		d.Message = fe.Msg
	}
	return s.renderPage(c, kindStatus[fe.Kind], "respondents", d)
}

// listTemplate downloads an empty list with its columns: XLSX, or CSV with ?format=csv.
func (s *Server) listTemplate(c *fiber.Ctx) error {
	var buf bytes.Buffer
	if c.Params("format") == "csv" {
		if err := outreach.WriteTemplateCSV(&buf); err != nil {
			return err
		}
		attachment(c, "text/csv; charset=utf-8", "mau-danh-sach.csv")
	} else {
		if err := outreach.WriteTemplateXLSX(&buf); err != nil {
			return err
		}
		attachment(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "mau-danh-sach.xlsx")
	}
	return c.Send(buf.Bytes())
}
