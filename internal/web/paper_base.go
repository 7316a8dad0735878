package web

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
)

// paperCampaign returns a campaign decoded once per definition version, with its effective
// definition: the stored settings laid over it, since double entry and the valid-form rules may
// have been changed after the definition was loaded.
func (s *Server) paperCampaign(ctx context.Context, id int64) (*store.Campaign, *campaign.Definition, error) {
	version, err := s.db.CampaignVersion(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
	}
	if err != nil {
		return nil, nil, err
	}
	camp, err := s.cachedCampaign(id, version, func(id int64) (*store.Campaign, error) { return s.db.Campaign(ctx, id) })
	if err != nil {
		return nil, nil, err
	}
	def, err := s.db.Effective(ctx, camp)
	if err != nil {
		return nil, nil, err
	}
	return camp, def, nil
}

// wantsJSON reports whether the request comes from the keying script rather than a plain form.
func wantsJSON(c *fiber.Ctx) bool {
	return strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON)
}

// navLink is one entry of the paper pages' own navigation.
type navLink struct {
	Href    string
	Label   string
	Current bool
}

// paperData is what every supervisor's paper page starts from.
type paperData struct {
	campaignData
	Def  *campaign.Definition
	Nav  []navLink
	Open int
	// Double is set when the campaign keys every paper form twice.
	Double bool
}

// paperBase loads the campaign of a supervisor's paper page and its navigation.
func (s *Server) paperBase(c *fiber.Ctx, current string) (paperData, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return paperData{}, err
	}
	camp, def, err := s.paperCampaign(c.UserContext(), id)
	if err != nil {
		return paperData{}, err
	}
	open, err := s.db.OpenConflicts(c.UserContext(), id)
	if err != nil {
		return paperData{}, err
	}
	d := paperData{campaignData: campaignData{pageData: s.page(c), C: camp, Tab: "paper"}, Def: def, Open: open, Double: paper.DoubleEntry(def)}
	base := fmt.Sprintf("/campaigns/%d/paper", id)
	queue := "Hàng chờ xử lý"
	if open > 0 {
		queue = fmt.Sprintf("Hàng chờ xử lý (%d)", open)
	}
	for _, l := range []navLink{
		{Href: base, Label: "Nhận phiếu và đối chiếu"},
		{Href: base + "/queue", Label: queue},
		{Href: base + "/honoraria", Label: "Thù lao"},
		{Href: base + "/stats", Label: "Năng suất nhập"},
		{Href: base + "/import", Label: "Nhập từ tệp"},
	} {
		l.Current = l.Href == base+current
		d.Nav = append(d.Nav, l)
	}
	return d, nil
}

// paperGroups lists the campaign's groups that take paper forms.
func paperGroups(def *campaign.Definition) []campaign.Group {
	var out []campaign.Group
	for _, g := range def.Groups {
		if g.Has(campaign.ChannelPaper) && !g.Imported() {
			out = append(out, g)
		}
	}
	return out
}

// unitLabel names a unit for people; a matrix form has none.
func unitLabel(def *campaign.Definition, code, name string) string {
	switch {
	case code == "":
		return "phiếu ma trận (nhiều đơn vị)"
	case name != "":
		return name
	}
	if u := def.Unit(code); u != nil {
		return u.Name
	}
	return code
}
