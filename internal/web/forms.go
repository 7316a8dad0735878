package web

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/issuing"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// formsData is the issuing page's view model: the look-up, the forms to issue, print, assign and
// void with what was typed in them, and the issued counts.
type formsData struct {
	campaignData
	Counts      []store.QuotaRow
	Enumerators []store.User
	Found       *store.IssuedForm
	FoundLink   string // the short link printed on the form
	// FoundFullLink is the link by token, which links printed before the short ones carry.
	FoundFullLink string
	Query         string
	QueryError    string

	Issue  issueForm
	Print  printForm
	Assign assignForm
	Void   voidCodeForm
	// Errors are the refused form's problems by input id; Problem says which form was refused
	// and ProblemAt is the id of its section.
	Errors    fieldErrors
	Problem   string
	ProblemAt string
}

// groupUnitPick is the group and unit selects of one of the issuing page's forms.
type groupUnitPick struct {
	// Form prefixes the inputs' ids: issue, print or assign.
	Form                  string
	Def                   *campaign.Definition
	Group, Unit           string
	GroupError, UnitError string
}

// Pick is the group and unit selects of the form named, with what was picked and its problems.
func (d formsData) Pick(form string) groupUnitPick {
	p := groupUnitPick{Form: form, Def: d.C.Def, GroupError: d.Errors[form+"-group"], UnitError: d.Errors[form+"-unit"]}
	switch form {
	case "issue":
		p.Group, p.Unit = d.Issue.Group, d.Issue.Unit
	case "print":
		p.Group, p.Unit = d.Print.Group, d.Print.Unit
	case "assign":
		p.Group, p.Unit = d.Assign.Group, d.Assign.Unit
	}
	return p
}

func (s *Server) issuingService() *issuing.Service {
	return &issuing.Service{DB: s.db, BaseURL: s.cfg.BaseURL}
}

// formsView loads the issuing page with its forms empty.
func (s *Server) formsView(c *fiber.Ctx, cp *store.Campaign) (formsData, error) {
	d := formsData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "forms"},
		Issue: issueForm{Reserve: "10"}, Void: voidCodeForm{Replace: true}}
	var err error
	if d.Counts, err = s.db.FormCounts(c.UserContext(), cp.ID); err != nil {
		return d, err
	}
	if d.Enumerators, err = s.db.Users(c.UserContext(), store.RoleEnumerator); err != nil {
		return d, err
	}
	return d, nil
}

// refuseForms shows the issuing page again with a refused form's problems next to its inputs;
// fill puts what was typed back into that form.
func (s *Server) refuseForms(c *fiber.Ctx, cp *store.Campaign, status int, errs fieldErrors, problem, at string, fill func(*formsData)) error {
	d, err := s.formsView(c, cp)
	if err != nil {
		return err
	}
	fill(&d)
	d.Errors, d.Problem, d.ProblemAt = errs, problem, at
	return s.renderPage(c, status, "forms", d)
}

func (s *Server) formsPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	d, err := s.formsView(c, cp)
	if err != nil {
		return err
	}
	if q := vn.NFC(c.Query("code")); q != "" {
		d.Query = q
		code, perr := formcode.Parse(q)
		switch {
		case perr != nil:
			d.QueryError = perr.Error()
		default:
			f, err := s.db.FormByCode(c.UserContext(), code.String())
			switch {
			case errors.Is(err, store.ErrNotFound) || (err == nil && f.CampaignID != cp.ID):
				d.QueryError = fmt.Sprintf(msgCodeUnknown, code.String())
			case err != nil:
				return err
			default:
				svc := s.issuingService()
				d.Found, d.FoundLink, d.FoundFullLink = f, svc.FormLink(f), svc.Link(f.Token)
			}
		}
	}
	return s.renderPage(c, fiber.StatusOK, "forms", d)
}

// checkGroupUnit checks a group and a unit picked together on the issuing page, either of which
// may be empty for all of them, and records what is wrong under the form's input ids. A unit
// must be of the kind the group evaluates, and a matrix form covers every unit of its kind.
func checkGroupUnit(def *campaign.Definition, form, group, unit string, errs fieldErrors) {
	var g *campaign.Group
	if group != "" {
		if g = def.Group(group); g == nil {
			errs.add(form+"-group", fmt.Sprintf(msgGroupUnknown, group))
		} else if g.Imported() {
			errs.add(form+"-group", fmt.Sprintf(msgGroupImported, g.Code, g.Name))
		}
	}
	var u *campaign.Unit
	if unit != "" {
		if u = def.Unit(unit); u == nil {
			errs.add(form+"-unit", fmt.Sprintf(msgUnitUnknown, unit))
		}
	}
	if g == nil || u == nil || g.Imported() {
		return
	}
	kind := export.KindName(def, g.Evaluates)
	switch q := def.Questionnaire(g.Form); {
	case q != nil && q.Shape == campaign.ShapeMatrix:
		errs.add(form+"-unit", fmt.Sprintf(msgGroupUnitMatrix, g.Code, g.Name, kind))
	case u.Kind != g.Evaluates:
		errs.add(form+"-unit", fmt.Sprintf(msgGroupUnitKind, g.Code, g.Name, kind, u.Code, u.Name, export.KindName(def, u.Kind)))
	}
}

// matrixGroup reports whether a group's form covers every unit of its kind on one form.
func matrixGroup(def *campaign.Definition, group string) bool {
	if g := def.Group(group); g != nil {
		q := def.Questionnaire(g.Form)
		return q != nil && q.Shape == campaign.ShapeMatrix
	}
	return false
}
