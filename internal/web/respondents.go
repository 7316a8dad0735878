package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/outreach"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
)

// listsData is the respondent lists page: what anonymity means here, the figures of every
// list, the import form with an upload's report, one list's people when one is chosen, and the
// destruction of the lists once the campaign is over.
type listsData struct {
	campaignData
	Promise string
	Lists   []listRow
	// Destroyed is set once the lists were destroyed.
	Destroyed *store.Destroyed
	// Closed says the campaign is over, so that the lists may be destroyed; CanDestroy that the
	// signed-in account may do it.
	Closed, CanDestroy bool

	Import  groupUnitPick
	File    string
	Report  []paper.RowError
	BadRows int
	Confirm string
	Errors  fieldErrors

	// Sel is the list shown, SelName its name; People its people.
	Sel     outreach.Selection
	SelName string
	People  []personRow
}

// listRow is one group × unit list with its figures and the links to it.
type listRow struct {
	store.ListCount
	Name  string
	Query string
}

// personRow is one person as staff see them: who, their form, what they were sent, whether they
// opened the link and whether they answered; nothing of their answers.
type personRow struct {
	*store.Respondent
	Invited, Reminded string
}

// listName names a group × unit list for staff: "S3 · Sở Tư pháp", "S1 · phiếu ma trận".
func listName(d *campaign.Definition, group, unit string) string {
	name := group
	if g := d.Group(group); g != nil {
		name += " (" + g.Name + ")"
	}
	if u := d.Unit(unit); u != nil {
		return name + " · " + u.Name
	}
	return name + " · phiếu ma trận"
}

// listQuery is the query string that picks a list.
func listQuery(group, unit string) string {
	return url.Values{"group": {group}, "unit": {unit}}.Encode()
}

// listsBase reads what every view of the lists page shows.
func (s *Server) listsBase(c *fiber.Ctx) (listsData, error) {
	cp, err := s.campaign(c)
	if err != nil {
		return listsData{}, err
	}
	d := listsData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "respondents"}, Promise: outreach.AnonymityPromise,
		Closed: s.outreach.Closed(cp), CanDestroy: currentUser(c).Role == store.RoleAdmin, Errors: fieldErrors{}}
	d.Import = groupUnitPick{Form: "list", Def: cp.Def}
	if gone, ok, err := s.db.ListsDestroyed(c.UserContext(), cp.ID); err != nil {
		return d, err
	} else if ok {
		d.Destroyed = &gone
	}
	counts, err := s.db.ListCounts(c.UserContext(), cp.ID)
	if err != nil {
		return d, err
	}
	for _, lc := range counts {
		d.Lists = append(d.Lists, listRow{ListCount: lc, Name: listName(cp.Def, lc.Group, lc.Unit), Query: listQuery(lc.Group, lc.Unit)})
	}
	return d, nil
}

// respondentsPage shows the lists; ?group=&unit= shows one list's people.
func (s *Server) respondentsPage(c *fiber.Ctx) error {
	d, err := s.listsBase(c)
	if err != nil {
		return err
	}
	if err := s.pickList(c, &d); err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "respondents", d)
}

// pickList fills the people of the list named in the query, if any.
func (s *Server) pickList(c *fiber.Ctx, d *listsData) error {
	group := c.Query("group")
	if group == "" || d.C.Def.Group(group) == nil {
		return nil
	}
	d.Sel = outreach.Selection{Group: group, Unit: c.Query("unit")}
	d.SelName = listName(d.C.Def, d.Sel.Group, d.Sel.Unit)
	people, err := s.db.Respondents(c.UserContext(), d.C.ID, store.ListFilter{Group: d.Sel.Group, Unit: d.Sel.Unit})
	if err != nil {
		return err
	}
	for _, p := range people {
		d.People = append(d.People, personRow{Respondent: p, Invited: outreach.HistoryText(p.History, outreach.Invitation),
			Reminded: outreach.HistoryText(p.History, outreach.Reminder)})
	}
	return nil
}
