package web

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/analysis"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// Words of the analysis page.
const (
	msgAnalysisNoForm = "Không có mẫu phiếu “%s” trong đợt khảo sát; đang hiển thị mẫu %s."
	msgAnalysisNoUnit = "Mẫu phiếu %s không đánh giá đơn vị “%s”; đang hiển thị %s."
)

// analysisChoice is an option of the page's selects.
type analysisChoice struct {
	Code, Name string
	Selected   bool
}

// freqView is a frequency table as the page shows it.
type freqView struct {
	Question, Text, Feeds string
	Options               []string
	ShowMulti, ShowSkip   bool
	Rows                  []freqRowView
}

// freqRowView is one group's line of a frequency table: count and percent per option.
type freqRowView struct {
	Group, Forms          string
	Total                 bool
	Cells                 []freqCell
	Blank, Multi, Skipped freqCell
}

// freqCell is a count with its share.
type freqCell struct{ N, Pct string }

// crossView is a cross-tab as the page shows it.
type crossView struct {
	Kind, Label string
	Values      []crossValueView
	Rows        []crossRowView
}

type crossValueView struct {
	Label, Respondents string
	Suppressed         bool
}

type crossRowView struct {
	Area       bool
	Code, Name string
	Cells      []string
}

// dataFile is a download link of the data files.
type dataFile struct {
	Form, Title string
	Groups      string // the groups that answer it, so that a reader need not know the form codes
	Matrix      bool
	Base        string
}

// analysisData is the view model of the analysis page.
type analysisData struct {
	campaignData
	Errors      []string
	Forms       []analysisChoice
	Units       []analysisChoice
	Form        string
	Groups      []string // "S3: name" for each group answering the questionnaire shown
	UnitName    string
	Frequencies []freqView
	CrossTabs   []crossView
	CrossMethod []string
	MinCell     int
	Files       []dataFile
	Counted     string
}

// analysisInput is what every analysis page and download starts from: the campaign of the
// request, its effective definition and its responses as they stand.
func (s *Server) analysisInput(c *fiber.Ctx) (*store.Campaign, *campaign.Definition, *analysis.Data, error) {
	cp, err := s.campaign(c)
	if err != nil {
		return nil, nil, nil, err
	}
	def, err := s.db.Effective(c.UserContext(), cp)
	if err != nil {
		return nil, nil, nil, err
	}
	data, err := analysis.Load(c.UserContext(), s.db, cp.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	return cp, def, data, nil
}

// analysisPage shows the analysis tables computed from the responses as they stand: frequency
// tables of one questionnaire about one unit and the cross-tabs by respondent characteristic,
// with the links to the data files and to the precision of the totals.
func (s *Server) analysisPage(c *fiber.Ctx) error {
	cp, def, data, err := s.analysisInput(c)
	if err != nil {
		return err
	}
	d := analysisData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "results"}, MinCell: analysis.MinCell, CrossMethod: export.CrossTabMethod()}
	d.Title = "Phân tích số liệu"
	var counted int64
	for i := range data.Forms {
		if data.Forms[i].Counts() {
			counted++
		}
	}
	d.Counted = vn.Int(counted)

	// The questionnaire and unit of the frequency tables, from the query, as typed.
	var forms []*campaign.Questionnaire
	for i := range def.Questionnaires {
		if q := &def.Questionnaires[i]; len(analysis.GroupsOf(def, q.Code)) > 0 {
			forms = append(forms, q)
			d.Files = append(d.Files, dataFile{Form: q.Code, Title: q.Title, Groups: groupNames(def, q.Code), Matrix: q.Shape == campaign.ShapeMatrix,
				Base: fmt.Sprintf("/campaigns/%d/results/data/%s.csv", cp.ID, q.Code)})
		}
	}
	var form *campaign.Questionnaire
	want := vn.NFC(c.Query("form"))
	for _, q := range forms {
		if q.Code == want {
			form = q
		}
	}
	if form == nil && len(forms) > 0 {
		form = forms[0]
		if want != "" {
			d.Errors = append(d.Errors, fmt.Sprintf(msgAnalysisNoForm, want, form.Code))
		}
	}
	if form != nil {
		d.Form = form.Code
		for _, g := range analysis.GroupsOf(def, form.Code) {
			d.Groups = append(d.Groups, g.Code+": "+g.Name)
		}
		for _, q := range forms {
			d.Forms = append(d.Forms, analysisChoice{Code: q.Code, Name: q.Code + " · " + groupNames(def, q.Code), Selected: q == form})
		}
		units := analysis.UnitsOf(def, form.Code)
		unit := ""
		wantUnit := vn.NFC(c.Query("unit"))
		for _, u := range units {
			if u.Code == wantUnit {
				unit = u.Code
			}
		}
		if unit == "" && len(units) > 0 {
			unit = units[0].Code
			if wantUnit != "" {
				d.Errors = append(d.Errors, fmt.Sprintf(msgAnalysisNoUnit, form.Code, wantUnit, units[0].Name))
			}
		}
		for _, u := range units {
			d.Units = append(d.Units, analysisChoice{Code: u.Code, Name: u.Name, Selected: u.Code == unit})
		}
		d.UnitName = export.UnitName(def, unit)
		for _, t := range analysis.Frequencies(def, data) {
			if t.Form == form.Code && t.Unit == unit {
				d.Frequencies = append(d.Frequencies, freqViewOf(def, t))
			}
		}
	}
	for _, ct := range analysis.CrossTabs(def, data) {
		d.CrossTabs = append(d.CrossTabs, crossViewOf(def, ct))
	}
	return s.renderPage(c, fiber.StatusOK, "results_analysis", d)
}

// groupNames names the groups answering a questionnaire.
func groupNames(def *campaign.Definition, form string) string {
	var names []string
	for _, g := range analysis.GroupsOf(def, form) {
		names = append(names, g.Name)
	}
	return strings.Join(names, "; ")
}

func freqViewOf(def *campaign.Definition, t analysis.FrequencyTable) freqView {
	v := freqView{Question: t.Question, Text: t.Text, Feeds: t.Feeds}
	for _, o := range t.Options {
		label := o.Label
		if o.DontKnow {
			label += " (không tính điểm)"
		}
		v.Options = append(v.Options, label)
	}
	for _, r := range t.Rows {
		v.ShowMulti = v.ShowMulti || r.Multi > 0
		v.ShowSkip = v.ShowSkip || r.Skipped > 0
		rv := freqRowView{Group: "Tất cả các nhóm", Total: r.Group == "", Forms: vn.Int(r.Forms),
			Blank: freqCell{vn.Int(r.Blank), r.Percent(r.Blank)}, Multi: freqCell{vn.Int(r.Multi), r.Percent(r.Multi)},
			Skipped: freqCell{vn.Int(r.Skipped), r.Percent(r.Skipped)}}
		if r.Group != "" {
			rv.Group = r.Group // named once above the tables (analysisData.Groups)
		}
		for _, n := range r.Counts {
			rv.Cells = append(rv.Cells, freqCell{vn.Int(n), r.Percent(n)})
		}
		v.Rows = append(v.Rows, rv)
	}
	return v
}

func crossViewOf(def *campaign.Definition, ct analysis.CrossTab) crossView {
	v := crossView{Kind: export.KindName(def, ct.Kind), Label: ct.Label}
	for _, x := range ct.Values {
		v.Values = append(v.Values, crossValueView{Label: x.Label, Respondents: vn.Int(x.Respondents), Suppressed: x.Suppressed})
	}
	for _, r := range ct.Rows {
		rv := crossRowView{Area: r.Area, Code: r.Code, Name: r.Name}
		for i, m := range r.Means {
			switch {
			case ct.Values[i].Suppressed:
				rv.Cells = append(rv.Cells, "–")
			case m == nil:
				rv.Cells = append(rv.Cells, "")
			default:
				rv.Cells = append(rv.Cells, vn.Decimal(new(big.Rat).Mul(m, big.NewRat(100, 1)), 1))
			}
		}
		v.Rows = append(v.Rows, rv)
	}
	return v
}
