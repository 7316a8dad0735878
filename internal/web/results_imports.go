package web

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// ratioRow is an imported ratio as the imports page lists it.
type ratioRow struct {
	Unit, UnitName, Sub, Percent, Source, At, By string
}

// importGroup is an imported group with its ratios.
type importGroup struct {
	Code, Name, Kind, Feeds string
	Ratios                  []ratioRow
	Missing                 []string
}

// importsData is the view model of the imports page.
type importsData struct {
	campaignData
	Groups []importGroup
	Errors []string
	File   string
	Group  string
}

func (s *Server) importsView(c *fiber.Ctx, cp *store.Campaign) (importsData, error) {
	d := importsData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "results"}}
	d.Title = "Nhập tỷ lệ hài lòng"
	ratios, err := s.db.Ratios(c.UserContext(), cp.ID)
	if err != nil {
		return d, err
	}
	def := cp.Def
	for _, g := range def.Groups {
		if !g.Imported() {
			continue
		}
		ig := importGroup{Code: g.Code, Name: g.Name, Kind: export.KindName(def, g.Evaluates), Feeds: strings.Join(g.Feeds, ", ")}
		if ig.Feeds == "" {
			ig.Feeds = "mọi tiêu chí thành phần"
		}
		has := map[string]bool{}
		for _, r := range ratios {
			if r.Group != g.Code {
				continue
			}
			has[r.Unit] = true
			v, _ := new(big.Rat).SetString(r.Ratio)
			ig.Ratios = append(ig.Ratios, ratioRow{Unit: r.Unit, UnitName: export.UnitName(def, r.Unit), Sub: r.Sub, Percent: pct(v),
				Source: r.Source, At: vn.DateTime(r.ImportedAt), By: r.ImportedBy})
		}
		for _, u := range def.UnitsOfKind(g.Evaluates) {
			if !has[u.Code] {
				ig.Missing = append(ig.Missing, u.Name)
			}
		}
		d.Groups = append(d.Groups, ig)
	}
	return d, nil
}

func (s *Server) importsPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	d, err := s.importsView(c, cp)
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "results_imports", d)
}

// maxRatioFile bounds an uploaded ratio file.
const maxRatioFile = 8 << 20

// uploadRatios reads an imported group's ratio file, checks every row and, when all are right,
// replaces the group's ratios.
func (s *Server) uploadRatios(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	group := strings.TrimSpace(c.FormValue("group"))
	name, data, problem := "", []byte(nil), ""
	fh, err := c.FormFile("file")
	switch {
	case group == "":
		problem = msgRatiosNoGroup
	case err != nil || fh == nil || fh.Size == 0:
		problem = msgRatiosNoFile
	case fh.Size > maxRatioFile:
		problem = msgRatiosTooBig
	default:
		name = vn.NFC(fh.Filename)
		if data, err = readPosted(fh, maxRatioFile); err != nil {
			return err
		}
	}
	var errs []string
	if problem != "" {
		errs = []string{problem}
	} else {
		rows, rowErrs := scorerun.ParseRatios(cp.Def, group, name, data)
		for _, e := range rowErrs {
			errs = append(errs, e.Error())
		}
		if len(errs) == 0 {
			if err := s.db.ReplaceRatios(c.UserContext(), cp.ID, currentUser(c).ID, group, name, rows); err != nil {
				return err
			}
			s.setFlash(c, fmt.Sprintf(msgRatiosSaved, vn.Int(int64(len(rows))), group, name))
			return c.Redirect(fmt.Sprintf("/campaigns/%d/results/imports", cp.ID), fiber.StatusSeeOther)
		}
	}
	d, err := s.importsView(c, cp)
	if err != nil {
		return err
	}
	d.Errors, d.File, d.Group = errs, name, group
	return s.renderPage(c, fiber.StatusUnprocessableEntity, "results_imports", d)
}
