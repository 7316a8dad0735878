package web

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/paper"
)

// paperImportData is the import page: the layout, templates per group, and an upload's report.
type paperImportData struct {
	paperData
	Groups []campaign.Group
	// Example is the header of the first paper group's template, to show the layout.
	Example []string
	File    string
	Errors  []paper.RowError
	// BadRows counts the lines with at least one error.
	BadRows int
	Stored  bool
	Result  string
}

func (s *Server) importData(c *fiber.Ctx) (paperImportData, error) {
	base, err := s.paperBase(c, "/import")
	if err != nil {
		return paperImportData{}, err
	}
	d := paperImportData{paperData: base, Groups: paperGroups(base.Def)}
	if len(d.Groups) > 0 {
		if l, err := paper.TemplateLayout(base.Def, d.Groups[0].Code); err == nil {
			d.Example = l.Columns()
		}
	}
	return d, nil
}

func (s *Server) paperImportPage(c *fiber.Ctx) error {
	d, err := s.importData(c)
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "paper_import", d)
}

// paperTemplate downloads the import template of a group: XLSX, or CSV with ?format=csv.
func (s *Server) paperTemplate(c *fiber.Ctx) error {
	base, err := s.paperBase(c, "/import")
	if err != nil {
		return err
	}
	g := base.Def.Group(c.Params("group"))
	if g == nil || !g.Has(campaign.ChannelPaper) || g.Imported() {
		return &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
	}
	l, err := paper.TemplateLayout(base.Def, g.Code)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	name := fmt.Sprintf("mau-nhap-%s-%s", base.C.Code, g.Code)
	if c.Query("format") == "csv" {
		err = l.WriteTemplateCSV(&buf)
		name += ".csv"
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	} else {
		err = l.WriteTemplateXLSX(&buf)
		name += ".xlsx"
		c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, name))
	return c.Send(buf.Bytes())
}

// paperImport reads an uploaded file, checks every row like a keyed form, and stores the rows
// all together or not at all; the report lists every rejected row with its reason.
func (s *Server) paperImport(c *fiber.Ctx) error {
	d, err := s.importData(c)
	if err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		d.Message = msgImportNoFile
		return s.renderPage(c, fiber.StatusUnprocessableEntity, "paper_import", d)
	}
	d.File = filepath.Base(fh.Filename)
	f, err := fh.Open()
	if err != nil {
		return fmt.Errorf("web: open upload %s: %w", d.File, err)
	}
	defer f.Close()
	res, err := s.intake.Import(c.UserContext(), intake.ImportFile{CampaignID: d.C.ID, Def: d.Def, UserID: currentUser(c).ID, Name: d.File, Data: f})
	if len(res.Errors) > 0 {
		d.Errors = res.Errors
		return s.importReport(c, d)
	}
	if err != nil {
		return err
	}
	d.Stored = true
	d.Result = fmt.Sprintf(msgImportStored, d.File, res.Stored, res.Already)
	if res.Invalid > 0 {
		d.Result += fmt.Sprintf(msgImportStoredInval, res.Invalid)
	}
	return s.renderPage(c, fiber.StatusOK, "paper_import", d)
}

// importReport shows a refused file's errors, sorted by line; nothing was stored.
func (s *Server) importReport(c *fiber.Ctx, d paperImportData) error {
	sortRowErrors(d.Errors)
	bad := map[int]bool{}
	for _, e := range d.Errors {
		bad[e.Line] = true
	}
	d.BadRows = len(bad)
	d.Message = fmt.Sprintf(msgImportRejected, len(d.Errors), d.BadRows)
	return s.renderPage(c, fiber.StatusUnprocessableEntity, "paper_import", d)
}

func sortRowErrors(errs []paper.RowError) {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
}
