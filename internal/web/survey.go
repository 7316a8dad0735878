package web

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
)

// surveyForm is a questionnaire as one group answers it about one unit (or, for a matrix form,
// about every unit of its kind): what the page shows and what a submission must contain.
type surveyForm struct {
	Camp      *store.Campaign
	Group     *campaign.Group
	Q         *campaign.Questionnaire
	Units     []campaign.Unit // the units answered about, in order
	Matrix    bool
	Questions []campaign.Question
	// page is the rendered empty page cut at the places where each copy differs.
	page []segment
}

// The marks stand for what differs per copy in the page rendered once per form; they are plain
// letters and digits so that no HTML or URL escaping changes them.
const (
	tokenMark = "ps9TOKEN9ps"
	sidMark   = "ps9SID9ps"
	codeMark  = "ps9CODE9ps"
)

// segment is a piece of a cached page followed by the value of one slot (slotNone at the end).
type segment struct {
	text []byte
	slot int
}

const (
	slotNone = iota
	slotToken
	slotSID
	slotCode
)

var marks = regexp.MustCompile(`ps9(TOKEN|SID|CODE)9ps`)

// cut splits a rendered page at its marks.
func cut(page []byte) []segment {
	var out []segment
	slots := map[string]int{tokenMark: slotToken, sidMark: slotSID, codeMark: slotCode}
	last := 0
	for _, m := range marks.FindAllIndex(page, -1) {
		out = append(out, segment{text: page[last:m[0]], slot: slots[string(page[m[0]:m[1]])]})
		last = m[1]
	}
	return append(out, segment{text: page[last:]})
}

// surveyCache keeps one surveyForm per campaign version, group and unit: the page is the same
// for every copy of a form but for its token, so it is rendered once, not per request.
type surveyCache struct {
	mu    sync.Mutex
	forms map[string]*surveyForm
	camps map[int64]*store.Campaign
	codes map[string]*campaignCodes
	// effective holds each campaign's definition with its stored settings, briefly.
	effective map[int64]effectiveDef
}

// campaignCodes translates a campaign's group and unit ids and codes both ways.
type campaignCodes struct {
	groups  map[int64]string
	units   map[int64]string
	unitIDs map[string]int64
}

func (s *Server) survey(f *linkForm, loadCampaign func(id int64) (*store.Campaign, error)) (*surveyForm, error) {
	key := fmt.Sprintf("%d/%d/%s/%s", f.CampaignID, f.CampaignVersion, f.Group, f.Unit)
	s.surveys.mu.Lock()
	sf, ok := s.surveys.forms[key]
	s.surveys.mu.Unlock()
	if ok {
		return sf, nil
	}
	camp, err := s.cachedCampaign(f.CampaignID, f.CampaignVersion, loadCampaign)
	if err != nil {
		return nil, err
	}
	sf, err = s.buildSurvey(camp, f.Group, f.Unit)
	if err != nil {
		return nil, err
	}
	s.surveys.mu.Lock()
	s.surveys.forms[key] = sf
	s.surveys.mu.Unlock()
	return sf, nil
}

// cachedCampaign returns a campaign decoded once per version.
func (s *Server) cachedCampaign(id int64, version int, load func(id int64) (*store.Campaign, error)) (*store.Campaign, error) {
	s.surveys.mu.Lock()
	c, ok := s.surveys.camps[id]
	s.surveys.mu.Unlock()
	if ok && c.Version == version {
		return c, nil
	}
	c, err := load(id)
	if err != nil {
		return nil, err
	}
	s.surveys.mu.Lock()
	s.surveys.camps[id] = c
	s.surveys.mu.Unlock()
	return c, nil
}

func (s *Server) buildSurvey(camp *store.Campaign, groupCode, unitCode string) (*surveyForm, error) {
	def := camp.Def
	g := def.Group(groupCode)
	if g == nil {
		return nil, fmt.Errorf("web: group %s missing from %s v%d", groupCode, camp.Code, camp.Version)
	}
	q := def.Questionnaire(g.Form)
	if q == nil {
		return nil, fmt.Errorf("web: questionnaire %s missing from %s", g.Form, camp.Code)
	}
	sf := &surveyForm{Camp: camp, Group: g, Q: q, Matrix: q.Shape == campaign.ShapeMatrix, Questions: q.Questions()}
	if sf.Matrix {
		sf.Units = def.UnitsOfKind(g.Evaluates)
	} else if u := def.Unit(unitCode); u != nil {
		sf.Units = []campaign.Unit{*u}
	} else {
		return nil, fmt.Errorf("web: unit %s missing from %s", unitCode, camp.Code)
	}
	body, err := s.views.render("public", "survey", sf.view(tokenMark, sidMark, codeMark, nil, nil))
	if err != nil {
		return nil, err
	}
	sf.page = cut(body)
	return sf, nil
}

// write fills the cached page with one copy's token, code and a fresh submission id.
func (sf *surveyForm) write(buf *bytes.Buffer, token, code, sid string) {
	for _, seg := range sf.page {
		buf.Write(seg.text)
		switch seg.slot {
		case slotToken:
			buf.WriteString(token)
		case slotSID:
			buf.WriteString(sid)
		case slotCode:
			buf.WriteString(code)
		}
	}
}

// surveyView is the survey page's view model.
type surveyView struct {
	Q            *campaign.Questionnaire
	Org          string
	Code         string
	UnitName     string
	Token        string
	SubmissionID string
	Matrix       bool
	Units        []campaign.Unit
	Sections     []sectionView
	Count        int
	Values       map[string]string
	FieldErrors  map[string]string
	Errors       []fieldError
}

type sectionView struct {
	Title     string
	Questions []questionView
}

type questionView struct {
	Code    string
	Num     int
	Text    string
	Options []optionView
}

type optionView struct {
	Value string
	Label string
}

type fieldError struct {
	Anchor string
	Msg    string
}

func (sf *surveyForm) view(token, sid, code string, values map[string]string, errs []fieldError) surveyView {
	v := surveyView{Q: sf.Q, Org: sf.Camp.Def.Organizer, Code: code, Token: token, SubmissionID: sid, Matrix: sf.Matrix,
		Units: sf.Units, Values: values, Errors: errs, FieldErrors: map[string]string{}}
	if !sf.Matrix {
		v.UnitName = sf.Units[0].Name
	}
	for _, e := range errs {
		v.FieldErrors[e.Anchor] = e.Msg
	}
	n := 0
	for _, s := range sf.Q.Sections {
		sv := sectionView{Title: s.Title}
		for _, q := range s.Questions {
			n++
			qv := questionView{Code: q.Code, Num: n, Text: q.Text}
			for i, o := range q.Options {
				qv.Options = append(qv.Options, optionView{Value: strconv.Itoa(i + 1), Label: o.Label})
			}
			sv.Questions = append(sv.Questions, qv)
		}
		v.Sections = append(v.Sections, sv)
	}
	v.Count = n
	return v
}

func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.TrimSpace(s), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.Join(strings.Fields(p), " "))
		}
	}
	return out
}
