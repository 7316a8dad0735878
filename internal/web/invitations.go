package web

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/outreach"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// invitationsData is the page that sends invitations and reminders: the selection, the texts
// for Zalo with their copy buttons (one per person, one for a group chat), and the SMS file and
// e-mail forms with how many people each reaches.
type invitationsData struct {
	campaignData
	Pick    groupUnitPick
	Kind    outreach.Kind
	Sel     outreach.Selection
	SelName string
	// Query is the selection as a query string, for the forms' hidden fields and links.
	Query string
	// List is set when one list is chosen: per-person texts are shown for one list at a time.
	List         bool
	GroupText    string
	Zalo         []zaloRow
	SMS, Email   int
	EmailEnabled bool
	Sending      bool
	Sends        []*store.Send
	Errors       fieldErrors
}

// zaloRow is one person's message to paste into Zalo, with what they were sent before.
type zaloRow struct {
	outreach.Outgoing
	History string
}

// Kinds are the two kinds of message, for the page's select.
func (invitationsData) Kinds() []outreach.Kind {
	return []outreach.Kind{outreach.Invitation, outreach.Reminder}
}

// selection reads the group, unit and kind from the query or the posted form, checked against
// the definition: an unknown group or unit is reported next to its select.
func selection(c *fiber.Ctx, def *campaign.Definition, errs fieldErrors) (outreach.Selection, outreach.Kind) {
	value := func(k string) string {
		if v := postedText(c, k); v != "" {
			return v
		}
		return vn.NFC(c.Query(k))
	}
	sel := outreach.Selection{Group: value("group"), Unit: value("unit")}
	checkGroupUnit(def, "invite", sel.Group, sel.Unit, errs)
	if len(errs) > 0 {
		sel = outreach.Selection{}
	}
	return sel, outreach.ParseKind(value("kind"))
}

// invitationsPage shows what the selection's people are due, by channel.
func (s *Server) invitationsPage(c *fiber.Ctx) error {
	d, err := s.invitationsData(c)
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "invitations", d)
}

func (s *Server) invitationsData(c *fiber.Ctx) (invitationsData, error) {
	cp, err := s.campaign(c)
	if err != nil {
		return invitationsData{}, err
	}
	d := invitationsData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "respondents"}, Errors: fieldErrors{},
		EmailEnabled: s.outreach.EmailEnabled(), Sending: s.outreach.Sending()}
	d.Sel, d.Kind = selection(c, cp.Def, d.Errors)
	d.Pick = groupUnitPick{Form: "invite", Def: cp.Def, Group: d.Sel.Group, Unit: d.Sel.Unit,
		GroupError: d.Errors["invite-group"], UnitError: d.Errors["invite-unit"]}
	d.Query = url.Values{"group": {d.Sel.Group}, "unit": {d.Sel.Unit}, "kind": {string(d.Kind)}}.Encode()
	d.List = d.Sel.Group != "" && outreach.CheckList(cp.Def, d.Sel.Group, d.Sel.Unit) == nil
	if d.Sel.Group != "" {
		d.SelName = listName(cp.Def, d.Sel.Group, d.Sel.Unit)
	}
	due, err := s.outreach.Audience(c.UserContext(), cp, d.Sel, d.Kind)
	if err != nil {
		return d, err
	}
	d.SMS, d.Email = len(due[outreach.SMS]), len(due[outreach.Email])
	if d.List {
		d.GroupText = outreach.GroupChat(d.Kind, cp.Def, d.Sel.Group, d.Sel.Unit)
		for _, o := range s.outreach.Letters(cp, d.Kind, outreach.Zalo, due[outreach.Zalo]) {
			d.Zalo = append(d.Zalo, zaloRow{Outgoing: o, History: historyLine(o.Person)})
		}
	}
	if d.Sends, err = s.db.Sends(c.UserContext(), cp.ID, 10); err != nil {
		return d, err
	}
	return d, nil
}

// historyLine is what a person was sent before, on one line.
func historyLine(p *store.Respondent) string {
	inv, rem := outreach.HistoryText(p.History, outreach.Invitation), outreach.HistoryText(p.History, outreach.Reminder)
	switch {
	case inv != "" && rem != "":
		return "Thư mời: " + inv + " · Nhắc: " + rem
	case inv != "":
		return "Thư mời: " + inv
	case rem != "":
		return "Nhắc: " + rem
	}
	return ""
}

// recordZalo records that staff pasted the message into Zalo: for one person (id), or for every
// person of the list still due it (all).
func (s *Server) recordZalo(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	errs := fieldErrors{}
	sel, kind := selection(c, cp.Def, errs)
	if len(errs) > 0 {
		return &Error{Status: fiber.StatusUnprocessableEntity, Msg: msgKindInvalid}
	}
	var ids []int64
	if postedText(c, "all") == "" {
		id, err := strconv.ParseInt(postedText(c, "id"), 10, 64)
		if err != nil {
			return &Error{Status: fiber.StatusUnprocessableEntity, Msg: msgKindInvalid}
		}
		ids = []int64{id}
	}
	n, err := s.outreach.RecordSent(c.UserContext(), cp, sel, kind, outreach.Zalo, ids, currentUser(c).ID)
	if err != nil {
		return err
	}
	s.setFlash(c, fmt.Sprintf(msgInviteRecorded, kindWord(kind), outreach.Zalo.Label(), vn.Int(int64(n))))
	q := url.Values{"group": {sel.Group}, "unit": {sel.Unit}, "kind": {string(kind)}}.Encode()
	return c.Redirect(fmt.Sprintf("/campaigns/%d/invitations?%s#zalo", cp.ID, q), fiber.StatusSeeOther)
}

// kindWord is a kind of message inside a sentence.
func kindWord(k outreach.Kind) string {
	if k == outreach.Reminder {
		return "lời nhắc"
	}
	return "thư mời"
}
