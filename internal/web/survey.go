package web

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
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
	// page is the rendered empty page cut at the places where each copy differs, deflated the
	// same page compressed piece by piece (survey_gzip.go), fill the page cut at every answer
	// too, for a page restored from a draft (survey_page.go).
	page     []segment
	deflated [][]byte
	fill     []segment
	size     int
	// names are the fields the page posts (fieldNames); texts the open questions' among them,
	// with their length limits.
	names map[string]int
	texts map[string]int
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
	// fallback is the contact of pages that know no campaign (survey_contact.go), briefly.
	fallback *fallbackContact
	// draftLimit counts draft saves per form (draft.go); made on first use.
	draftOnce  sync.Once
	draftLimit *windowCounter
}

// campaignCodes translates a campaign's group and unit ids and codes both ways.
type campaignCodes struct {
	groups  map[int64]string
	units   map[int64]string
	unitIDs map[string]int64
}

func (s *Server) survey(f *linkForm, loadCampaign func(id int64) (*store.Campaign, error)) (*surveyForm, error) {
	key := fmt.Sprintf("%d/%d/%s/%s/%s", f.CampaignID, f.CampaignVersion, f.Group, f.Unit, f.Subset)
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
	sf, err = s.buildSurvey(camp, f.Group, f.Unit, f.subset())
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

func (s *Server) buildSurvey(camp *store.Campaign, groupCode, unitCode string, subset []string) (*surveyForm, error) {
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
		sf.Units = def.MatrixUnits(g, subset)
	} else if u := def.Unit(unitCode); u != nil {
		sf.Units = []campaign.Unit{*u}
	} else {
		return nil, fmt.Errorf("web: unit %s missing from %s", unitCode, camp.Code)
	}
	v := sf.view(tokenMark, sidMark, codeMark, nil, nil)
	v.Rev, v.NoteMark = revMark, noteMark
	body, err := s.views.render("public", "survey", v)
	if err != nil {
		return nil, err
	}
	sf.page, sf.fill, sf.size = cut(body, false), cut(body, true), len(body)
	if sf.deflated, err = deflatePieces(sf.page); err != nil {
		return nil, fmt.Errorf("web: compress the page of %s: %w", q.Code, err)
	}
	sf.names = sf.fieldNames()
	sf.texts = map[string]int{}
	for i := range sf.Questions {
		if q := &sf.Questions[i]; q.IsText() && !sf.Matrix {
			sf.texts["q_"+q.Code] = q.TextLimit()
		}
	}
	return sf, nil
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
	Units        []unitView
	Sections     []sectionView
	Count        int
	Values       map[string]string
	FieldErrors  map[string]string
	Errors       []fieldError
	// CanSkip is set when a matrix form's questions have a don't-know option to mark a whole
	// unit with (skipField).
	CanSkip bool
	// Rev is the revision of the stored draft the page shows ("0": none). SavedAt is the
	// draft's time when the respondent has just saved it without the page's script,
	// RestoredAt when the page was opened from it; NoteMark holds their place in the cached page.
	Rev        string
	SavedAt    string
	RestoredAt string
	NoteMark   string
	Contact    *campaign.Contact
}

// unitView is one unit of a matrix form: a column of the grid, a step on a phone.
type unitView struct {
	Code string
	Name string
	// Skip is the name of its "not enough information" box, Skipped whether it is ticked.
	Skip    string
	Skipped bool
}

type sectionView struct {
	Title     string
	Questions []questionView
}

type questionView struct {
	Code    string
	Num     int
	Text    string
	Scored  bool
	Options []optionView
	// Legend reads the grid's option keys: "1 Tốt · 2 Khá · … · ? Không biết / không có ý kiến".
	Legend string
	// Cells are the question's answers on a matrix form, one per unit.
	Cells []cellView
	// Open is set for an open-ended question, answered in a text box of MaxLength characters.
	Open      bool
	MaxLength int
	OpenLabel string
	// After is the field of the earlier question that asks this one (show_if), When the option
	// numbers that do, space-separated; Condition says it in words for a page without script.
	After, When, Condition string
}

type optionView struct {
	Value    string
	Label    string
	DontKnow bool
}

// cellView is one question about one unit on a matrix form.
type cellView struct {
	Name string
	Unit string
}

type fieldError struct {
	Anchor string
	Msg    string
}

func (sf *surveyForm) view(token, sid, code string, values map[string]string, errs []fieldError) surveyView {
	v := surveyView{Q: sf.Q, Org: sf.Camp.Def.Organizer, Code: code, Token: token, SubmissionID: sid, Matrix: sf.Matrix,
		Values: values, Errors: errs, FieldErrors: map[string]string{}, Rev: "0", Contact: contactOf(sf.Camp.Def)}
	if !sf.Matrix {
		v.UnitName = sf.Units[0].Name
	}
	for _, e := range errs {
		v.FieldErrors[e.Anchor] = e.Msg
	}
	if sf.Matrix {
		for _, u := range sf.Units {
			name := skipField(u)
			v.Units = append(v.Units, unitView{Code: u.Code, Name: u.Name, Skip: name, Skipped: values[name] != ""})
		}
	}
	n := 0
	asked := map[string]questionView{}
	for _, s := range sf.Q.Sections {
		sv := sectionView{Title: s.Title}
		for _, q := range s.Questions {
			n++
			qv := questionView{Code: q.Code, Num: n, Text: q.Text, Scored: q.Scored(), Open: q.IsText()}
			if qv.Open {
				qv.MaxLength = q.TextLimit()
				qv.OpenLabel = fmt.Sprintf(msgOpenLabel, vn.Int(int64(qv.MaxLength)))
			}
			if c := q.ShowIf; c != nil && !sf.Matrix {
				qv.After, qv.When, qv.Condition = showIf(c, asked[c.Question])
			}
			for i, o := range q.Options {
				qv.Options = append(qv.Options, optionView{Value: strconv.Itoa(i + 1), Label: o.Label, DontKnow: o.DontKnow})
				if o.DontKnow {
					v.CanSkip = sf.Matrix
				}
			}
			if sf.Matrix {
				qv.Legend = legend(q.Options)
				for _, u := range sf.Units {
					qv.Cells = append(qv.Cells, cellView{Name: "q_" + q.Code + "_" + u.Code, Unit: u.Name})
				}
			}
			sv.Questions = append(sv.Questions, qv)
			asked[q.Code] = qv
		}
		v.Sections = append(v.Sections, sv)
	}
	v.Count = n
	return v
}

// showIf is a question's condition as the page writes it: the field of the earlier question, the
// option numbers that ask this one, and the sentence "Chỉ trả lời nếu ở câu 2 Ông/Bà chọn «Có»".
func showIf(c *campaign.Condition, earlier questionView) (after, when, condition string) {
	nums := make([]string, len(c.Answers))
	var labels []string
	for i, a := range c.Answers {
		nums[i] = strconv.Itoa(a)
		if a >= 1 && a <= len(earlier.Options) {
			labels = append(labels, "«"+earlier.Options[a-1].Label+"»")
		}
	}
	return "q_" + c.Question, strings.Join(nums, " "),
		fmt.Sprintf(msgShowIf, earlier.Num, strings.Join(labels, " hoặc "))
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
