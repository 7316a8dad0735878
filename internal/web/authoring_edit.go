package web

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
	"github.com/parsurvey/parsurvey/internal/workbook"
)

// editData is the view model of a campaign's small edits: the quotas of its groups and its unit
// list, editable while no form is issued.
type editData struct {
	pageData
	C      *store.Campaign
	Issued int
	Groups []quotaRow
	Units  string
	Errors []string
}

// quotaRow is a group's quota as the form shows it (as typed after an error).
type quotaRow struct {
	Code, Name, Kind, Quota string
}

// unitsText writes a unit list one unit a line, "code; kind; name[; parent]".
func unitsText(units []campaign.Unit) string {
	var b strings.Builder
	for _, u := range units {
		fmt.Fprintf(&b, "%s; %s; %s", u.Code, u.Kind, u.Name)
		if u.Parent != "" {
			fmt.Fprintf(&b, "; %s", u.Parent)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (s *Server) editView(c *fiber.Ctx, cp *store.Campaign) (editData, error) {
	d := editData{pageData: s.page(c), C: cp, Units: unitsText(cp.Def.Units)}
	d.Title = "Chỉ tiêu và đơn vị · " + cp.Code
	sum, err := s.campaignSummary(c, "", cp.ID)
	if err != nil {
		return d, err
	}
	if sum != nil {
		d.Issued = sum.Issued
	}
	for _, g := range cp.Def.Groups {
		if !g.Imported() {
			d.Groups = append(d.Groups, quotaRow{Code: g.Code, Name: g.Name, Kind: g.Evaluates, Quota: strconv.Itoa(g.Quota)})
		}
	}
	if d.Issued > 0 {
		d.Errors = []string{fmt.Sprintf(msgAuthoringEditIssued, d.Issued)}
	}
	return d, nil
}

func (s *Server) definitionEditPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	d, err := s.editView(c, cp)
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "authoring_edit", d)
}

// unitPath finds the unit a definition problem is about.
var unitPath = regexp.MustCompile(`^units\[(\d+)\]`)

// saveDefinitionEdit stores the quotas and unit list as typed, checked as a whole definition,
// while the campaign has issued no form.
func (s *Server) saveDefinitionEdit(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	d, err := s.editView(c, cp)
	if err != nil {
		return err
	}
	if d.Issued > 0 {
		return s.renderPage(c, fiber.StatusConflict, "authoring_edit", d)
	}
	f, err := readForm(c, len(d.Groups)+8, staffBodyLimit)
	if err != nil {
		return err
	}
	quotas := map[string]int{}
	for i := range d.Groups {
		g := &d.Groups[i]
		g.Quota = vn.NFC(f.values["quota_"+g.Code])
		n, err := strconv.Atoi(strings.ReplaceAll(g.Quota, ".", ""))
		if err != nil {
			d.Errors = append(d.Errors, fmt.Sprintf(msgAuthoringQuota, g.Code, g.Quota))
			continue
		}
		quotas[g.Code] = n
	}
	d.Units = vn.NFC(f.values["units"])
	var units []campaign.Unit
	lines := strings.Split(strings.ReplaceAll(d.Units, "\r\n", "\n"), "\n")
	lineOf := []int{}
	for i, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, ";")
		if len(parts) < 3 || len(parts) > 4 {
			d.Errors = append(d.Errors, fmt.Sprintf(msgAuthoringUnitLine, i+1, strings.TrimSpace(line)))
			continue
		}
		u := campaign.Unit{Code: vn.NFC(parts[0]), Kind: vn.NFC(parts[1]), Name: vn.NFC(parts[2])}
		if len(parts) == 4 {
			u.Parent = vn.NFC(parts[3])
		}
		units = append(units, u)
		lineOf = append(lineOf, i+1)
	}
	if len(d.Errors) > 0 {
		return s.renderPage(c, fiber.StatusUnprocessableEntity, "authoring_edit", d)
	}
	def, err := workbook.Check(workbook.WithQuotas(cp.Def, quotas, units))
	var ps campaign.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			msg := p.Msg
			if m := unitPath.FindStringSubmatch(p.Path); m != nil {
				if i, _ := strconv.Atoi(m[1]); i < len(lineOf) {
					msg = fmt.Sprintf("Dòng %d của danh sách đơn vị: %s", lineOf[i], msg)
				}
			}
			d.Errors = append(d.Errors, msg)
		}
		return s.renderPage(c, fiber.StatusUnprocessableEntity, "authoring_edit", d)
	}
	if err != nil {
		return err
	}
	camp, res, err := s.db.SaveDefinition(c.UserContext(), def, currentUser(c).ID)
	if err != nil {
		return err
	}
	if res == store.Unchanged {
		s.setFlash(c, msgAuthoringEditNoop)
	} else {
		s.setFlash(c, fmt.Sprintf(msgAuthoringEditSaved, camp.Version))
	}
	return c.Redirect(fmt.Sprintf("/campaigns/%d/definition", camp.ID), fiber.StatusSeeOther)
}
