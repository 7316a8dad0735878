package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
)

// keyingHomeData is the keyer's start page: the campaigns they key for and their batches.
type keyingHomeData struct {
	pageData
	Campaigns []keyingCampaign
	Today     int
}

type keyingCampaign struct {
	Camp    store.CampaignSummary
	Double  bool
	Batches []keyingBatch
}

type keyingBatch struct {
	store.Batch
	Label string
	Mine  int
	Done  bool
}

// keyingHome lists the batches an enumerator may key, campaign by campaign.
func (s *Server) keyingHome(c *fiber.Ctx) error {
	u := currentUser(c)
	camps, err := s.db.KeyerCampaigns(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	d := keyingHomeData{pageData: s.page(c)}
	if len(camps) == 0 {
		d.Message = msgKeyingNoCampaign
	}
	today := time.Now().In(campaign.Zone).Format("2006-01-02")
	for _, cs := range camps {
		_, def, err := s.paperCampaign(c.UserContext(), cs.ID)
		if err != nil {
			return err
		}
		batches, err := s.db.Batches(c.UserContext(), cs.ID)
		if err != nil {
			return err
		}
		mine, err := s.db.KeyedByKeyer(c.UserContext(), cs.ID, u.ID)
		if err != nil {
			return err
		}
		kc := keyingCampaign{Camp: cs, Double: paper.DoubleEntry(def)}
		for _, b := range batches {
			kc.Batches = append(kc.Batches, keyingBatch{Batch: b, Label: unitLabel(def, b.Unit, b.UnitName), Mine: mine[b.ID], Done: b.Verified >= b.Count})
		}
		d.Campaigns = append(d.Campaigns, kc)
		stats, err := s.db.KeyerStats(c.UserContext(), cs.ID)
		if err != nil {
			return err
		}
		for _, st := range stats {
			if st.KeyerID == u.ID && st.Day.Format("2006-01-02") == today {
				d.Today += st.Keyed
			}
		}
	}
	return s.renderPage(c, fiber.StatusOK, "keying_home", d)
}

// keyingBatchFor loads the batch of a keying route and checks the keyer may key it.
func (s *Server) keyingBatchFor(c *fiber.Ctx) (*store.Batch, *store.Campaign, *campaign.Definition, *paper.Layout, error) {
	id, err := paramID(c, "batch")
	if err != nil {
		return nil, nil, nil, nil, err
	}
	b, err := s.db.BatchByID(c.UserContext(), id)
	if err != nil {
		if err == store.ErrNotFound {
			return nil, nil, nil, nil, &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
		}
		return nil, nil, nil, nil, err
	}
	ok, err := s.db.IsKeyer(c.UserContext(), b.CampaignID, currentUser(c).ID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if !ok {
		return nil, nil, nil, nil, &Error{Status: fiber.StatusForbidden, Msg: msgKeyingNotKeyer}
	}
	camp, def, err := s.paperCampaign(c.UserContext(), b.CampaignID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	l, err := paper.NewLayout(def, b.Group, b.Unit)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("web: layout of batch %d: %w", b.ID, err)
	}
	return b, camp, def, l, nil
}

// keyingData is the keying screen's view model.
type keyingData struct {
	pageData
	Camp     *store.Campaign
	Batch    *store.Batch
	Group    *campaign.Group
	UnitName string
	Outside  bool
	Double   bool
	Mine     int
	Items    []keyItem
	Code     string
	CodeOK   bool
	CodeMsg  string
	Warnings []string
	Errors   []paper.Problem
	Status   string
	// StatusKind is ok, warn or bad.
	StatusKind string
	// Focus is the name of the field the cursor starts in.
	Focus   string
	Started int64
	// KeysText is set when open answers are keyed as text, not only "có ý kiến".
	KeysText bool
}

// keyItem is one keyed item on the screen, with the heading that starts a part of the form.
type keyItem struct {
	paper.Item
	// UnitCode is the unit a matrix form's item is about: the keying script sets aside the
	// items of units a form issued for a list does not rate.
	UnitCode string
	Heading  string
	Value    string
	Error    string
	// Open is set for an open question; TextName, Text and TextError are its typed text's.
	Open                      bool
	TextName, Text, TextError string
	// After is the item whose key decides whether this question is asked (show_if), When the
	// keys that ask it, space-separated; Two is set when options need two digits.
	After, When string
	Two         bool
}

// keyingView builds the keying screen for a batch with the values and problems of a post.
func (s *Server) keyingView(c *fiber.Ctx, b *store.Batch, camp *store.Campaign, def *campaign.Definition, l *paper.Layout,
	values map[string]string, probs []paper.Problem) (keyingData, error) {
	mine, err := s.db.KeyedByKeyer(c.UserContext(), b.CampaignID, currentUser(c).ID)
	if err != nil {
		return keyingData{}, err
	}
	enforce := def.Rules.EnforceWindow == nil || *def.Rules.EnforceWindow
	d := keyingData{pageData: s.page(c), Camp: camp, Batch: b, Group: l.Group, UnitName: unitLabel(def, b.Unit, b.UnitName),
		Outside: enforce && !def.InWindow(b.ReceivedOn), Double: paper.DoubleEntry(def), Mine: mine[b.ID], Errors: probs,
		Focus: "code", Started: time.Now().UnixMilli(), KeysText: l.KeysText}
	errs := map[string]string{}
	for _, p := range probs {
		errs[p.Name] = p.Msg
	}
	headings := sectionHeadings(l)
	for _, it := range l.Items() {
		ki := keyItem{Item: it, Value: values[it.Name], Error: errs[it.Name], Two: len(it.Options) > 9}
		if l.IsText(it) {
			ki.Open, ki.TextName = true, paper.TextName(it)
			ki.Text, ki.TextError = values[ki.TextName], errs[ki.TextName]
		}
		if l.Matrix && it.Question >= 0 {
			ki.UnitCode = l.Units[it.Unit].Code
		}
		if it.Question >= 0 {
			if fi := l.Answers[it.Question]; fi.After >= 0 {
				ki.After = "q_" + l.Questions[fi.After].Code
				if l.Matrix {
					ki.After += "_" + l.Units[it.Unit].Code
				}
				ki.When = joinInts(fi.When)
			}
		}
		switch {
		case it.Field == 0:
			ki.Heading = "Thông tin người trả lời"
		case it.Question >= 0:
			ki.Heading = headings[it.Question]
			if l.Matrix && it.Question == 0 {
				ki.Heading = l.Units[it.Unit].Name + " — " + ki.Heading
			}
		}
		d.Items = append(d.Items, ki)
	}
	return d, nil
}

// joinInts writes option numbers as the keying script reads them: "1 2".
func joinInts(list []int) string {
	out := make([]string, len(list))
	for i, n := range list {
		out[i] = strconv.Itoa(n)
	}
	return strings.Join(out, " ")
}

// sectionHeadings maps the index of each section's first question to the section's title.
func sectionHeadings(l *paper.Layout) map[int]string {
	out := map[int]string{}
	n := 0
	for _, sec := range l.Form.Sections {
		if len(sec.Questions) > 0 {
			out[n] = sec.Title
		}
		n += len(sec.Questions)
	}
	return out
}

// keyingPage shows the keying screen of a batch, empty, with the last save's result.
func (s *Server) keyingPage(c *fiber.Ctx) error {
	b, camp, def, l, err := s.keyingBatchFor(c)
	if err != nil {
		return err
	}
	d, err := s.keyingView(c, b, camp, def, l, nil, nil)
	if err != nil {
		return err
	}
	// The last save's result shows in the status line; a leading "!" marks one to look at.
	if msg, warn := strings.CutPrefix(d.Flash, "!"); d.Flash != "" {
		d.Status, d.StatusKind, d.Flash = msg, "ok", ""
		if warn {
			d.StatusKind = "warn"
		}
	}
	return s.renderPage(c, fiber.StatusOK, "keying", d)
}
