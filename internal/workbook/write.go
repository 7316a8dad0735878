package workbook

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/xuri/excelize/v2"
)

// Write writes def as a campaign workbook to w. A question that names a scale is written with
// the scale's code only, as in YAML.
func Write(w io.Writer, def *campaign.Definition) error {
	f := excelize.NewFile()
	defer f.Close()
	wr := &writer{f: f}
	if err := wr.styles(); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetCampaign); err != nil {
		return err
	}
	wr.campaignSheet(def)
	for _, t := range tables {
		if _, err := f.NewSheet(t.name); err != nil {
			return err
		}
		wr.header(t)
	}
	wr.fill(def)
	if wr.err != nil {
		return fmt.Errorf("workbook: write %s: %w", def.Code, wr.err)
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("workbook: write %s: %w", def.Code, err)
	}
	return nil
}

type writer struct {
	f                   *excelize.File
	head, text, general int
	err                 error
}

func (wr *writer) styles() error {
	var err error
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	if wr.head, err = wr.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "7F7F7F", Style: 1}},
	}); err != nil {
		return err
	}
	if wr.text, err = wr.f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: top}); err != nil {
		return err
	}
	wr.general, err = wr.f.NewStyle(&excelize.Style{Alignment: top})
	return err
}

func (wr *writer) keep(err error) {
	if err != nil && wr.err == nil {
		wr.err = err
	}
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

func colName(col int) string {
	name, _ := excelize.ColumnNumberToName(col)
	return name
}

// header writes a table's header row, widths, cell formats and drop lists, and freezes the
// header.
func (wr *writer) header(t table) {
	for i, c := range t.cols {
		col := colName(i + 1)
		wr.keep(wr.f.SetColWidth(t.name, col, col, c.width))
		style := wr.general
		if c.text {
			style = wr.text
		}
		wr.keep(wr.f.SetColStyle(t.name, col, style))
		wr.keep(wr.f.SetCellStr(t.name, cellName(i+1, 1), c.header))
		if c.list != nil || c.source != "" {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, maxRows)
			if c.source != "" {
				dv.SetSqrefDropList(c.source)
			} else {
				wr.keep(dv.SetDropList(c.list))
			}
			dv.SetError(excelize.DataValidationErrorStyleWarning, "Giá trị không có trong danh sách", "Hãy chọn một giá trị trong danh sách của cột "+c.header+".")
			wr.keep(wr.f.AddDataValidation(t.name, dv))
		}
	}
	wr.keep(wr.f.SetCellStyle(t.name, "A1", cellName(len(t.cols), 1), wr.head))
	wr.keep(wr.f.SetRowHeight(t.name, 1, 45))
	wr.freeze(t.name)
}

func (wr *writer) freeze(sheet string) {
	wr.keep(wr.f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
}

// set writes one cell: strings as text, numbers as numbers; nil and "" leave it empty.
func (wr *writer) set(sheet string, col, row int, v any) {
	cell := cellName(col, row)
	switch x := v.(type) {
	case nil:
	case string:
		if x != "" {
			wr.keep(wr.f.SetCellStr(sheet, cell, x))
		}
	case int:
		wr.keep(wr.f.SetCellInt(sheet, cell, int64(x)))
	case int64:
		wr.keep(wr.f.SetCellInt(sheet, cell, x))
	case campaign.Decimal:
		wr.keep(wr.f.SetCellFloat(sheet, cell, float64(x)/campaign.DecimalScale, -1, 64))
	case *campaign.Decimal:
		if x != nil {
			wr.set(sheet, col, row, *x)
		}
	case *int:
		if x != nil {
			wr.set(sheet, col, row, *x)
		}
	default:
		wr.keep(fmt.Errorf("workbook: cell %s!%s: unexpected %T", sheet, cell, v))
	}
}

// row writes the values of a table row by column key.
func (wr *writer) row(t table, n int, values map[string]any) {
	for key, v := range values {
		wr.set(t.name, t.col(key)+1, n, v)
	}
}

func (wr *writer) campaignSheet(def *campaign.Definition) {
	s := SheetCampaign
	wr.keep(wr.f.SetColWidth(s, "A", "A", 44))
	wr.keep(wr.f.SetColWidth(s, "B", "B", 80))
	wr.keep(wr.f.SetColWidth(s, "C", "C", 28))
	wr.keep(wr.f.SetColStyle(s, "A:B", wr.general))
	wr.keep(wr.f.SetColStyle(s, "C", wr.text))
	for i, h := range []string{"Mục", "Giá trị", "Khóa (không sửa)"} {
		wr.keep(wr.f.SetCellStr(s, cellName(i+1, 1), h))
	}
	wr.keep(wr.f.SetCellStyle(s, "A1", "C1", wr.head))
	for i, st := range settings {
		n := i + 2
		wr.set(s, settingLabelCol, n, st.label)
		wr.set(s, settingKeyCol, n, st.key)
		wr.set(s, settingValueCol, n, settingValue(def, st.key))
		if st.list != nil {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = cellName(settingValueCol, n)
			wr.keep(dv.SetDropList(st.list))
			wr.keep(wr.f.AddDataValidation(s, dv))
		}
	}
	wr.freeze(s)
}

// zeroless leaves an amount of 0 (not set) out of its cell.
func zeroless(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// amounts writes amounts by code one a line, "CODE: amount", in code order.
func amounts(m map[string]int64) string {
	lines := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		lines = append(lines, fmt.Sprintf("%s: %d", k, m[k]))
	}
	return strings.Join(lines, "\n")
}

func boolWord(b *bool) any {
	switch {
	case b == nil:
		return nil
	case *b:
		return yes
	}
	return no
}

func word(m map[string]string, code string) string {
	if w, ok := m[code]; ok {
		return w
	}
	return code
}

func dateText(d campaign.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Format("02/01/2006")
}

func settingValue(d *campaign.Definition, key string) any {
	switch key {
	case "code":
		return d.Code
	case "name":
		return d.Name
	case "year":
		if d.Year == 0 {
			return nil
		}
		return d.Year
	case "level":
		return d.Level
	case "organizer":
		return d.Organizer
	case "opens":
		return dateText(d.Opens)
	case "closes":
		return dateText(d.Closes)
	case "survey_points":
		return d.SurveyPoints
	case "scoring.dont_know":
		return word(missingWords, string(d.Scoring.DontKnow))
	case "scoring.blank":
		return word(missingWords, string(d.Scoring.Blank))
	case "scoring.combine":
		return word(combineWords, string(d.Scoring.Combine))
	case "scoring.min_forms":
		return d.Scoring.MinForms
	case "rules.min_answered_percent":
		return d.Rules.MinAnsweredPercent
	case "rules.enforce_window":
		return boolWord(d.Rules.EnforceWindow)
	case "rules.double_entry":
		return boolWord(d.Rules.DoubleEntry)
	case "honoraria.per_form":
		return d.Honoraria.PerForm
	case "honoraria.per_unit":
		return d.Honoraria.PerUnit
	case "honoraria.respondent.default":
		return zeroless(d.Honoraria.Respondent.Default)
	case "honoraria.respondent.by_kind":
		return amounts(d.Honoraria.Respondent.ByKind)
	case "honoraria.respondent.by_group":
		return amounts(d.Honoraria.Respondent.ByGroup)
	case "honoraria.enumerator.default":
		return zeroless(d.Honoraria.Enumerator.Default)
	case "honoraria.enumerator.by_kind":
		return amounts(d.Honoraria.Enumerator.ByKind)
	case "honoraria.enumerator.by_group":
		return amounts(d.Honoraria.Enumerator.ByGroup)
	case "honoraria.online":
		if d.Honoraria.Online {
			return yes
		}
		return nil
	case "rules.text_keying":
		return word(keyingWords, d.Rules.TextKeying)
	case "contact.office":
		return d.Contact.Office
	case "contact.person":
		return d.Contact.Person
	case "contact.phone":
		return d.Contact.Phone
	case "contact.email":
		return d.Contact.Email
	case "report.superior":
		return d.Report.Superior
	case "report.issuer":
		return d.Report.Issuer
	case "report.number":
		return d.Report.Number
	case "report.place":
		return d.Report.Place
	case "report.signer_title":
		return d.Report.SignerTitle
	case "report.signer":
		return d.Report.Signer
	case "report.recipients":
		return strings.Join(d.Report.Recipients, "\n")
	}
	panic("workbook: no setting " + key)
}

// fill writes every table sheet's rows.
func (wr *writer) fill(d *campaign.Definition) {
	for i, b := range d.Bands {
		wr.row(bandsTable, i+2, map[string]any{"code": b.Code, "name": b.Name, "min_percent": b.MinPercent})
	}
	for i, k := range d.Kinds {
		wr.row(kindsTable, i+2, map[string]any{"code": k.Code, "name": k.Name, "survey_points": k.SurveyPoints})
	}
	for i, u := range d.Units {
		wr.row(unitsTable, i+2, map[string]any{"code": u.Code, "kind": u.Kind, "name": u.Name, "parent": u.Parent})
	}
	for i, g := range d.Groups {
		channels := make([]string, len(g.Channels))
		for ci, c := range g.Channels {
			channels[ci] = word(channelWords, string(c))
		}
		var overrides []string
		for _, u := range slices.Sorted(maps.Keys(g.QuotaOverrides)) {
			overrides = append(overrides, fmt.Sprintf("%s: %d", u, g.QuotaOverrides[u]))
		}
		wr.row(groupsTable, i+2, map[string]any{
			"code": g.Code, "name": g.Name, "evaluates": g.Evaluates, "form": g.Form, "quota": g.Quota,
			"weight": g.Weight, "channels": strings.Join(channels, ", "), "substitute": g.Substitute,
			"quota_overrides": strings.Join(overrides, "\n"), "feeds": strings.Join(g.Feeds, "\n"),
			"population_field": g.PopulationField, "min_units": positive(g.MinUnits),
		})
	}
	n := 2
	for _, g := range d.Groups {
		for _, p := range g.Populations {
			wr.row(popsTable, n, map[string]any{"group": g.Code, "code": p.Code, "name": p.Name, "quota": p.Quota,
				"substitute_for": p.SubstituteFor, "cap": p.Cap})
			n++
		}
	}
	n = 2
	tree := func(kind string, areas []campaign.Area) {
		for _, a := range areas {
			wr.row(criteriaTable, n, map[string]any{"kind": kind, "level": levelArea, "code": a.Code, "name": a.Name, "points": a.Points})
			n++
			for _, c := range a.Criteria {
				wr.row(criteriaTable, n, map[string]any{"kind": kind, "level": levelCrit, "code": c.Code, "name": c.Name, "points": c.Points})
				n++
				for _, s := range c.Subs {
					wr.row(criteriaTable, n, map[string]any{"kind": kind, "level": levelSub, "code": s.Code, "name": s.Name, "points": s.Points})
					n++
				}
			}
		}
	}
	tree("", d.Areas)
	for _, k := range d.Kinds {
		tree(k.Code, k.Areas)
	}
	n = 2
	for _, s := range d.Scales {
		for i, o := range s.Options {
			code := ""
			if i == 0 {
				code = s.Code
			}
			dk := ""
			if o.DontKnow {
				dk = yes
			}
			wr.row(scalesTable, n, map[string]any{"code": code, "label": o.Label, "weight": o.Weight, "dont_know": dk})
			n++
		}
		if len(s.Options) == 0 {
			wr.row(scalesTable, n, map[string]any{"code": s.Code})
			n++
		}
	}
	fieldRow, questionRow := 2, 2
	for i, q := range d.Questionnaires {
		shape := string(q.Shape)
		switch q.Shape {
		case campaign.ShapeSingle:
			shape = shapeSingle
		case campaign.ShapeMatrix:
			shape = shapeMatrix
		}
		wr.row(formsTable, i+2, map[string]any{"code": q.Code, "title": q.Title, "shape": shape, "intro": q.Intro, "thanks": q.Thanks})
		for _, fl := range q.Fields {
			opt := ""
			if fl.Optional {
				opt = yes
			}
			wr.row(fieldsTable, fieldRow, map[string]any{"form": q.Code, "key": fl.Key, "label": fl.Label,
				"options": strings.Join(fl.Options, "\n"), "optional": opt})
			fieldRow++
		}
		for _, s := range q.Sections {
			for _, item := range s.Questions {
				wr.row(questionsTable, questionRow, questionCells(q.Code, s.Title, item))
				questionRow++
			}
		}
	}
}

func questionCells(form, section string, q campaign.Question) map[string]any {
	kind := string(q.Kind)
	switch q.Kind {
	case campaign.QuestionChoice:
		kind = kindChoice
	case campaign.QuestionText:
		kind = kindText
	}
	cells := map[string]any{"form": form, "section": section, "code": q.Code, "text": q.Text, "kind": kind,
		"feeds": q.Feeds, "weight": q.Weight, "scale": q.Scale}
	if q.MaxLength != 0 {
		cells["max_length"] = q.MaxLength
	}
	if q.ShowIf != nil {
		answers := make([]string, len(q.ShowIf.Answers))
		for i, a := range q.ShowIf.Answers {
			answers[i] = strconv.Itoa(a)
		}
		cells["show_if"] = q.ShowIf.Question + " = " + strings.Join(answers, ", ")
	}
	if q.Scale == "" {
		lines := make([]string, len(q.Options))
		for i, o := range q.Options {
			lines[i] = optionLine(o)
		}
		cells["options"] = strings.Join(lines, "\n")
	}
	return cells
}

// optionLine writes an option as "label = weight", "label = không biết", or the bare label.
func optionLine(o campaign.Option) string {
	switch {
	case o.DontKnow:
		return o.Label + " = " + dontKnow
	case o.Weight != nil:
		return o.Label + " = " + o.Weight.String()
	}
	return o.Label
}

// positive is n for a cell, or nil (an empty cell) for an optional count left at 0.
func positive(n int) any {
	if n > 0 {
		return n
	}
	return nil
}
