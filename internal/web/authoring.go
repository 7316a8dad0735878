package web

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
	"github.com/parsurvey/parsurvey/internal/workbook"
)

// Authoring: an administrator uploads a campaign workbook (or a zip of the YAML folder), sees
// it checked as `parsurvey check` would, keeps it as a draft, previews its questionnaires as
// respondents and printers see them, and publishes it (authoring_*.go).

// maxDefinitionFile bounds an uploaded definition: a workbook of 170 units and eight forms is
// well under a megabyte.
const maxDefinitionFile = 8 << 20

// authoringData is the view model of the authoring home page.
type authoringData struct {
	pageData
	Drafts    []defDraftRow
	Campaigns []store.CampaignSummary
	// Errors are the upload's, shown by its form; NextErrors the new-year form's.
	Errors     []string
	NextErrors []string
	NextFrom   int64
}

// defDraftRow is a draft's line in the list.
type defDraftRow struct {
	ID                   int64
	FileName, Code, Name string
	Updated              string
	Published            bool
	PublishedID          int64
}

func (s *Server) authoringView(c *fiber.Ctx) (authoringData, error) {
	d := authoringData{pageData: s.page(c)}
	d.Title = "Soạn đợt khảo sát"
	ctx := c.UserContext()
	drafts, err := s.db.DefinitionDrafts(ctx)
	if err != nil {
		return d, err
	}
	for _, dr := range drafts {
		d.Drafts = append(d.Drafts, defDraftRow{ID: dr.ID, FileName: dr.FileName, Code: dr.Code, Name: dr.Name,
			Updated: vn.DateTime(dr.UpdatedAt), Published: dr.Published(), PublishedID: dr.PublishedID})
	}
	if d.Campaigns, err = s.db.Campaigns(ctx); err != nil {
		return d, err
	}
	return d, nil
}

func (s *Server) authoringPage(c *fiber.Ctx) error {
	d, err := s.authoringView(c)
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "authoring", d)
}

// upload is a definition file as posted.
type upload struct {
	name   string
	format string
	data   []byte
}

// readUpload reads the file posted in field; problem is what a person is told when there is
// none or it is not one of ours.
func readUpload(c *fiber.Ctx, field string) (up upload, problem string, err error) {
	fh, ferr := c.FormFile(field)
	switch {
	case ferr != nil || fh == nil || fh.Size == 0:
		return up, msgAuthoringNoFile, nil
	case fh.Size > maxDefinitionFile:
		return up, msgAuthoringTooBig, nil
	}
	up.name = vn.NFC(filepath.Base(fh.Filename))
	switch strings.ToLower(filepath.Ext(up.name)) {
	case ".xlsx":
		up.format = "xlsx"
	case ".zip":
		up.format = "zip"
	default:
		return up, fmt.Sprintf(msgAuthoringFileType, up.name), nil
	}
	up.data, err = readPosted(fh, maxDefinitionFile)
	return up, "", err
}

// problemRow is one defect of a draft as the draft page lists it: where (sheet, row and column
// of a workbook; file and line of YAML) and what.
type problemRow struct {
	Place string
	Row   string
	Col   string
	Msg   string
}

// readDefinition reads and checks an uploaded definition as `parsurvey check` does; a
// definition with problems comes back nil with them listed.
func readDefinition(format string, data []byte) (*campaign.Definition, []problemRow, error) {
	var def *campaign.Definition
	var err error
	if format == "zip" {
		def, err = workbook.ReadYAMLZip(data)
	} else {
		def, err = workbook.Read(data)
	}
	var rows []problemRow
	var wps workbook.Problems
	var cps campaign.Problems
	switch {
	case err == nil:
		return def, nil, nil
	case errors.As(err, &wps):
		for _, p := range wps {
			r := problemRow{Place: p.Sheet, Col: p.Col, Msg: p.Msg}
			if p.Row > 0 {
				r.Row = strconv.Itoa(p.Row)
			}
			rows = append(rows, r)
		}
	case errors.As(err, &cps):
		for _, p := range cps {
			r := problemRow{Place: p.File, Col: p.Path, Msg: p.Msg}
			if p.Line > 0 {
				r.Row = strconv.Itoa(p.Line)
			}
			rows = append(rows, r)
		}
	default:
		return nil, nil, err
	}
	return nil, rows, nil
}

// createDefDraft keeps an upload as a new draft, whether it checks or not, so that fixing it is
// one more upload; the draft page shows its check.
func (s *Server) createDefDraft(c *fiber.Ctx) error {
	up, problem, err := readUpload(c, "file")
	if err != nil {
		return err
	}
	if problem != "" {
		d, err := s.authoringView(c)
		if err != nil {
			return err
		}
		d.Errors = []string{problem}
		return s.renderPage(c, fiber.StatusUnprocessableEntity, "authoring", d)
	}
	dr := &store.DefinitionDraft{FileName: up.name, Format: up.format, Content: up.data, CreatedBy: currentUser(c).ID}
	if def, _, err := readDefinition(up.format, up.data); err != nil {
		return err
	} else if def != nil {
		dr.Code, dr.Name = def.Code, def.Name
	}
	if err := s.db.CreateDefinitionDraft(c.UserContext(), dr); err != nil {
		return err
	}
	s.setFlash(c, fmt.Sprintf(msgAuthoringSaved, up.name))
	return c.Redirect(fmt.Sprintf("/authoring/drafts/%d", dr.ID), fiber.StatusSeeOther)
}
