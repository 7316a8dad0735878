package workbook

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

// Read reads a campaign workbook and checks the definition it holds with campaign.Load's
// checks, exactly as a campaign folder in YAML is checked. A workbook with any problem is
// returned with a Problems error listing all of them, each at its sheet, row and column.
func Read(data []byte) (*campaign.Definition, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, Problems{{Msg: "tệp không phải là sổ tính Excel (.xlsx) đọc được"}}
	}
	defer f.Close()
	r := &reader{f: f, locs: map[string]map[string]loc{}, bad: map[loc]bool{}}
	def, omitMin := r.definition()
	files, names, err := yamlFiles(def, omitMin)
	if err != nil {
		return nil, err
	}
	r.rename(names)
	loaded, err := campaign.Load(files, ".")
	var ps campaign.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			r.placed(p)
		}
	} else if err != nil {
		return nil, err
	}
	if len(r.problems) > 0 {
		sortProblems(r.problems)
		return loaded, r.problems
	}
	// Warnings name the workbook's cells too: as a campaign.Problem with the place for its file.
	for i, w := range loaded.Warnings {
		if q, ok := r.locate(w); ok {
			msg := q.Msg
			q.Msg = ""
			loaded.Warnings[i] = campaign.Problem{File: strings.TrimSuffix(q.String(), ": "), Msg: msg}
		}
	}
	return loaded, nil
}

// loc is a place in the workbook: a sheet, a row (0: the whole sheet) and a column (0: the
// whole row).
type loc struct {
	sheet string
	row   int
	col   int
}

type reader struct {
	f        *excelize.File
	problems Problems
	// locs maps a YAML file of the definition and a path in it to the cell it came from.
	locs map[string]map[string]loc
	// bad holds the cells already reported, so that the definition's checks do not report them
	// a second time.
	bad map[loc]bool
}

func (r *reader) add(l loc, format string, args ...any) {
	r.bad[l] = true
	p := Problem{Sheet: l.sheet, Row: l.row, Msg: fmt.Sprintf(format, args...)}
	if l.col > 0 {
		p.Col = colName(l.col)
	}
	r.problems = append(r.problems, p)
}

// at records that the YAML path p of file came from l.
func (r *reader) at(file, p string, l loc) {
	m := r.locs[file]
	if m == nil {
		m = map[string]loc{}
		r.locs[file] = m
	}
	m[p] = l
}

// rename moves the locations recorded for questionnaire i to the file it was written to.
func (r *reader) rename(names []string) {
	for i, n := range names {
		if m, ok := r.locs[formFile(i)]; ok {
			r.locs[n] = m
			delete(r.locs, formFile(i))
		}
	}
}

func formFile(i int) string { return fmt.Sprintf("form#%d", i) }

// placed records a problem of the definition's checks at the cell its path came from, unless
// that cell was reported already.
func (r *reader) placed(p campaign.Problem) {
	if q, ok := r.locate(p); ok {
		r.problems = append(r.problems, q)
	}
}

// locate finds the cell a problem of the definition's checks is about, or the nearest row or
// sheet above it; ok is false when that cell was reported already.
func (r *reader) locate(p campaign.Problem) (Problem, bool) {
	m := r.locs[p.File]
	l, ok := m[p.Path]
	for q := p.Path; !ok && q != ""; {
		i := strings.LastIndexAny(q, ".[")
		if i < 0 {
			q = ""
		} else {
			q = q[:i]
		}
		l, ok = m[q]
	}
	if !ok {
		l = m[""]
	}
	if r.bad[l] || (l.col > 0 && r.bad[loc{l.sheet, l.row, 0}]) {
		return Problem{}, false
	}
	out := Problem{Sheet: l.sheet, Row: l.row, Msg: yamlWords.Replace(p.Msg)}
	if l.col > 0 {
		out.Col = colName(l.col)
	}
	return out, true
}

// yamlWords turns the YAML names in the definition checks' messages into the workbook's.
var yamlWords = strings.NewReplacer("trong unit_kinds", "ở trang '"+SheetKinds+"'")

// sheetRows is a table sheet as read: its columns found by header, and its rows.
type sheetRows struct {
	t    table
	cols map[string]int // column key → 1-based column
	rows [][]string
}

// row is one data row of a table sheet.
type row struct {
	s     *sheetRows
	n     int
	cells []string
}

func (rw row) get(key string) string {
	c, ok := rw.s.cols[key]
	if !ok || c > len(rw.cells) {
		return ""
	}
	return cellText(rw.cells[c-1])
}

func (rw row) loc(key string) loc {
	return loc{rw.s.t.name, rw.n, rw.s.cols[key]}
}

func (rw row) whole() loc { return loc{rw.s.t.name, rw.n, 0} }

// cellText is a cell's text, NFC-normalised with Windows line ends turned into "\n"; single
// lines lose their surrounding spaces, texts of several lines keep theirs.
func cellText(s string) string {
	s = norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n"))
	if !strings.Contains(s, "\n") {
		return strings.TrimSpace(s)
	}
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

// headerKey is a header as compared: NFC, lower case, single spaces.
func headerKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(s)), " "))
}

// table reads a table sheet; a missing sheet or column is a problem, a missing column's
// cells read as empty.
func (r *reader) table(t table) *sheetRows {
	s := &sheetRows{t: t, cols: map[string]int{}}
	if idx, _ := r.f.GetSheetIndex(t.name); idx < 0 {
		r.add(loc{sheet: t.name}, "thiếu trang %q trong sổ tính", t.name)
		return s
	}
	rows, err := r.f.GetRows(t.name, excelize.Options{RawCellValue: true})
	if err != nil {
		r.add(loc{sheet: t.name}, "không đọc được trang: %v", err)
		return s
	}
	var head []string
	if len(rows) > 0 {
		head = rows[0]
		s.rows = rows[1:]
	}
	for _, c := range t.cols {
		for i, h := range head {
			if headerKey(h) == headerKey(c.header) || headerKey(h) == c.key {
				s.cols[c.key] = i + 1
				break
			}
		}
		if _, ok := s.cols[c.key]; !ok {
			r.add(loc{sheet: t.name, row: 1}, "thiếu cột %q ở dòng tiêu đề", c.header)
		}
	}
	return s
}

// each calls fn for every row that is not empty.
func (s *sheetRows) each(fn func(rw row)) {
	for i, cells := range s.rows {
		empty := true
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				empty = false
				break
			}
		}
		if !empty {
			fn(row{s: s, n: i + 2, cells: cells})
		}
	}
}

// decimal reads an exact number; ok is false when the cell is empty or wrong (reported).
func (r *reader) decimal(rw row, key string) (campaign.Decimal, bool) {
	return r.decimalText(rw.get(key), rw.loc(key))
}

func (r *reader) decimalText(s string, l loc) (campaign.Decimal, bool) {
	if s == "" {
		return 0, false
	}
	d, err := campaign.ParseDecimal(s)
	if err != nil {
		// A number typed or computed in a spreadsheet may come back as a float's digits.
		if f, ferr := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64); ferr == nil {
			if v := math.Round(f * campaign.DecimalScale); math.Abs(v-f*campaign.DecimalScale) < 1e-6 && math.Abs(v) < 1e15 {
				return campaign.Decimal(v), true
			}
		}
		r.add(l, "cần một số (tối đa 4 chữ số thập phân), đang là %q", s)
		return 0, false
	}
	return d, true
}

func (r *reader) decimalPtr(rw row, key string) *campaign.Decimal {
	if d, ok := r.decimal(rw, key); ok {
		return &d
	}
	return nil
}

// integer reads a whole number; an empty cell is 0.
func (r *reader) integer(rw row, key string) int64 {
	return r.integerText(rw.get(key), rw.loc(key))
}

func (r *reader) integerText(s string, l loc) int64 {
	if s == "" {
		return 0
	}
	clean := strings.NewReplacer(" ", "", "\u00a0", "").Replace(s)
	if thousands.MatchString(clean) {
		clean = strings.ReplaceAll(clean, ".", "")
	}
	if n, err := strconv.ParseInt(clean, 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return int64(f)
	}
	r.add(l, "cần một số nguyên, đang là %q", s)
	return 0
}

// thousands is a whole number written with dots between groups of three digits ("10.000").
var thousands = regexp.MustCompile(`^-?\d{1,3}(\.\d{3})+$`)

// flag reads a yes/no cell: "có", "x", "yes", "true", "1" or "không", "no", "false", "0".
func (r *reader) flag(s string, l loc) (value, set bool) {
	switch strings.ToLower(s) {
	case "":
		return false, false
	case yes, "x", "yes", "true", "1", "đúng":
		return true, true
	case no, "no", "false", "0", "sai":
		return false, true
	}
	r.add(l, "cần «%s» hoặc «%s», đang là %q", yes, no, s)
	return false, false
}

// code turns a cell's word back into its YAML code; other text is kept for the checks to name.
func code(m map[string]string, s string) string {
	for k, w := range m {
		if strings.EqualFold(s, w) || strings.EqualFold(s, k) {
			return k
		}
	}
	return s
}

// lines splits a cell of one item a line (commas stay inside an item: "xã, thị trấn").
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// list splits a cell of codes at line ends, commas and semicolons.
func list(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == ';' })
}

func (r *reader) definition() (*campaign.Definition, bool) {
	d := &campaign.Definition{}
	const cf = campaign.CampaignFile
	omitMin := r.campaignSheet(d)
	r.at(cf, "", loc{sheet: SheetCampaign})

	bands := r.table(bandsTable)
	r.at(cf, "bands", loc{sheet: SheetBands})
	bands.each(func(rw row) {
		p := fmt.Sprintf("bands[%d]", len(d.Bands))
		b := campaign.Band{Code: rw.get("code"), Name: rw.get("name")}
		b.MinPercent, _ = r.decimal(rw, "min_percent")
		r.at(cf, p, rw.whole())
		r.at(cf, p+".min_percent", rw.loc("min_percent"))
		d.Bands = append(d.Bands, b)
	})

	kinds := r.table(kindsTable)
	r.at(cf, "unit_kinds", loc{sheet: SheetKinds})
	kindAt := map[string]int{}
	kinds.each(func(rw row) {
		p := fmt.Sprintf("unit_kinds[%d]", len(d.Kinds))
		k := campaign.Kind{Code: rw.get("code"), Name: rw.get("name"), SurveyPoints: r.decimalPtr(rw, "survey_points")}
		r.at(cf, p, rw.whole())
		r.at(cf, p+".code", rw.loc("code"))
		r.at(cf, p+".name", rw.loc("name"))
		r.at(cf, p+".survey_points", rw.loc("survey_points"))
		if _, dup := kindAt[k.Code]; !dup {
			kindAt[k.Code] = len(d.Kinds)
		}
		d.Kinds = append(d.Kinds, k)
	})

	units := r.table(unitsTable)
	r.at(cf, "units", loc{sheet: SheetUnits})
	units.each(func(rw row) {
		p := fmt.Sprintf("units[%d]", len(d.Units))
		u := campaign.Unit{Code: rw.get("code"), Kind: rw.get("kind"), Name: rw.get("name"), Parent: rw.get("parent")}
		r.at(cf, p, rw.whole())
		for _, k := range []string{"code", "kind", "name", "parent"} {
			r.at(cf, p+"."+k, rw.loc(k))
		}
		d.Units = append(d.Units, u)
	})

	r.groups(d)
	r.criteria(d, kindAt)
	r.scales(d)
	r.questionnaires(d)
	return d, omitMin
}

func (r *reader) campaignSheet(d *campaign.Definition) (omitMin bool) {
	const cf = campaign.CampaignFile
	omitMin = true
	s := SheetCampaign
	if idx, _ := r.f.GetSheetIndex(s); idx < 0 {
		r.add(loc{sheet: s}, "thiếu trang %q trong sổ tính", s)
		return omitMin
	}
	rows, err := r.f.GetRows(s, excelize.Options{RawCellValue: true})
	if err != nil {
		r.add(loc{sheet: s}, "không đọc được trang: %v", err)
		return omitMin
	}
	byLabel := map[string]string{}
	known := map[string]bool{}
	for _, st := range settings {
		byLabel[headerKey(st.label)] = st.key
		known[st.key] = true
	}
	seen := map[string]int{}
	cell := func(cells []string, col int) string {
		if col <= len(cells) {
			return cellText(cells[col-1])
		}
		return ""
	}
	for i, cells := range rows {
		n := i + 1
		if n == 1 {
			continue
		}
		key := cell(cells, settingKeyCol)
		label := cell(cells, settingLabelCol)
		value := cell(cells, settingValueCol)
		if !known[key] {
			if k, ok := byLabel[headerKey(label)]; ok {
				key = k
			}
		}
		if key == "" && label == "" {
			if value != "" {
				r.add(loc{s, n, settingValueCol}, "giá trị không thuộc mục nào (thiếu tên mục ở cột A)")
			}
			continue
		}
		l := loc{s, n, settingValueCol}
		if !known[key] {
			r.add(loc{s, n, settingKeyCol}, "mục %q không có trong định dạng (gõ sai tên?)", firstNonEmpty(key, label))
			continue
		}
		if prev, dup := seen[key]; dup {
			r.add(loc{s, n, settingKeyCol}, "mục %q đã có ở dòng %d", key, prev)
			continue
		}
		seen[key] = n
		r.at(cf, key, l)
		if section, _, ok := strings.Cut(key, "."); ok {
			if _, done := r.locs[cf][section]; !done {
				r.at(cf, section, loc{s, n, 0})
			}
		}
		if key == "rules.min_answered_percent" && value != "" {
			omitMin = false
		}
		r.setting(d, key, value, l)
	}
	return omitMin
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func (r *reader) date(s string, l loc) campaign.Date {
	if s == "" {
		return campaign.Date{}
	}
	for _, layout := range []string{"02/01/2006", "2/1/2006", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, campaign.Zone); err == nil {
			return campaign.Date{Time: t}
		}
	}
	if serial, err := strconv.ParseFloat(s, 64); err == nil && serial > 0 && serial < 100000 {
		if t, err := excelize.ExcelDateToTime(serial, false); err == nil {
			return campaign.Date{Time: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, campaign.Zone)}
		}
	}
	r.add(l, "ngày %q phải có dạng dd/mm/yyyy", s)
	return campaign.Date{}
}

func (r *reader) boolPtr(s string, l loc) *bool {
	if v, set := r.flag(s, l); set {
		return &v
	}
	return nil
}

func (r *reader) setting(d *campaign.Definition, key, v string, l loc) {
	switch key {
	case "code":
		d.Code = v
	case "name":
		d.Name = v
	case "year":
		d.Year = int(r.integerText(v, l))
	case "level":
		d.Level = v
	case "organizer":
		d.Organizer = v
	case "opens":
		d.Opens = r.date(v, l)
	case "closes":
		d.Closes = r.date(v, l)
	case "survey_points":
		d.SurveyPoints, _ = r.decimalText(v, l)
	case "scoring.dont_know":
		d.Scoring.DontKnow = campaign.Missing(code(missingWords, v))
	case "scoring.blank":
		d.Scoring.Blank = campaign.Missing(code(missingWords, v))
	case "scoring.combine":
		d.Scoring.Combine = campaign.Combine(code(combineWords, v))
	case "scoring.min_forms":
		d.Scoring.MinForms = int(r.integerText(v, l))
	case "rules.min_answered_percent":
		d.Rules.MinAnsweredPercent, _ = r.decimalText(v, l)
	case "rules.enforce_window":
		d.Rules.EnforceWindow = r.boolPtr(v, l)
	case "rules.double_entry":
		d.Rules.DoubleEntry = r.boolPtr(v, l)
	case "honoraria.per_form":
		d.Honoraria.PerForm = r.integerText(v, l)
	case "honoraria.per_unit":
		d.Honoraria.PerUnit = r.integerText(v, l)
	case "honoraria.respondent.default":
		d.Honoraria.Respondent.Default = r.integerText(v, l)
	case "honoraria.respondent.by_kind":
		d.Honoraria.Respondent.ByKind = r.amounts(v, l)
	case "honoraria.respondent.by_group":
		d.Honoraria.Respondent.ByGroup = r.amounts(v, l)
	case "honoraria.enumerator.default":
		d.Honoraria.Enumerator.Default = r.integerText(v, l)
	case "honoraria.enumerator.by_kind":
		d.Honoraria.Enumerator.ByKind = r.amounts(v, l)
	case "honoraria.enumerator.by_group":
		d.Honoraria.Enumerator.ByGroup = r.amounts(v, l)
	case "honoraria.online":
		d.Honoraria.Online, _ = r.flag(v, l)
	case "rules.text_keying":
		d.Rules.TextKeying = code(keyingWords, v)
	case "contact.office":
		d.Contact.Office = v
	case "contact.person":
		d.Contact.Person = v
	case "contact.phone":
		d.Contact.Phone = v
	case "contact.email":
		d.Contact.Email = v
	case "report.superior":
		d.Report.Superior = v
	case "report.issuer":
		d.Report.Issuer = v
	case "report.number":
		d.Report.Number = v
	case "report.place":
		d.Report.Place = v
	case "report.signer_title":
		d.Report.SignerTitle = v
	case "report.signer":
		d.Report.Signer = v
	case "report.recipients":
		d.Report.Recipients = lines(v)
	}
}

// amounts reads amounts by code, one "CODE: amount" a line.
func (r *reader) amounts(s string, l loc) map[string]int64 {
	var out map[string]int64
	for _, line := range lines(s) {
		k, n, ok := strings.Cut(line, ":")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			r.add(l, "mỗi dòng viết «MÃ: số đồng», đang là %q", line)
			continue
		}
		if out == nil {
			out = map[string]int64{}
		}
		out[k] = r.integerText(strings.TrimSpace(n), l)
	}
	return out
}

func (r *reader) groups(d *campaign.Definition) {
	const cf = campaign.CampaignFile
	groups := r.table(groupsTable)
	r.at(cf, "groups", loc{sheet: SheetGroups})
	groups.each(func(rw row) {
		p := fmt.Sprintf("groups[%d]", len(d.Groups))
		g := campaign.Group{Code: rw.get("code"), Name: rw.get("name"), Evaluates: rw.get("evaluates"), Form: rw.get("form"),
			Quota: int(r.integer(rw, "quota")), Weight: r.decimalPtr(rw, "weight"), Substitute: rw.get("substitute"),
			PopulationField: rw.get("population_field"), MinUnits: int(r.integer(rw, "min_units"))}
		r.at(cf, p, rw.whole())
		for _, k := range []string{"code", "name", "evaluates", "form", "quota", "weight", "channels", "substitute", "quota_overrides", "feeds", "population_field", "min_units"} {
			r.at(cf, p+"."+k, rw.loc(k))
		}
		for i, c := range list(rw.get("channels")) {
			g.Channels = append(g.Channels, campaign.Channel(code(channelWords, strings.TrimSpace(c))))
			r.at(cf, fmt.Sprintf("%s.channels[%d]", p, i), rw.loc("channels"))
		}
		for i, s := range list(rw.get("feeds")) {
			g.Feeds = append(g.Feeds, strings.TrimSpace(s))
			r.at(cf, fmt.Sprintf("%s.feeds[%d]", p, i), rw.loc("feeds"))
		}
		for _, line := range list(rw.get("quota_overrides")) {
			unit, n, ok := strings.Cut(line, ":")
			if !ok {
				unit, n, ok = strings.Cut(line, "=")
			}
			unit = strings.TrimSpace(unit)
			if !ok || unit == "" {
				r.add(rw.loc("quota_overrides"), "mỗi dòng số phiếu riêng viết «MÃ ĐƠN VỊ: số phiếu», đang là %q", line)
				continue
			}
			if g.QuotaOverrides == nil {
				g.QuotaOverrides = map[string]int{}
			}
			g.QuotaOverrides[unit] = int(r.integerText(strings.TrimSpace(n), rw.loc("quota_overrides")))
		}
		d.Groups = append(d.Groups, g)
	})
	index := map[string]int{}
	for i, g := range d.Groups {
		if _, dup := index[g.Code]; !dup {
			index[g.Code] = i
		}
	}
	r.table(popsTable).each(func(rw row) {
		gi, ok := index[rw.get("group")]
		if !ok {
			r.add(rw.loc("group"), "nhóm %q chưa khai báo ở trang '%s'", rw.get("group"), SheetGroups)
			return
		}
		g := &d.Groups[gi]
		p := fmt.Sprintf("groups[%d].populations[%d]", gi, len(g.Populations))
		pop := campaign.Population{Code: rw.get("code"), Name: rw.get("name"), Quota: int(r.integer(rw, "quota")),
			SubstituteFor: rw.get("substitute_for")}
		if rw.get("cap") != "" {
			n := int(r.integer(rw, "cap"))
			pop.Cap = &n
		}
		r.at(cf, p, rw.whole())
		for _, k := range []string{"code", "name", "quota", "substitute_for", "cap"} {
			r.at(cf, p+"."+k, rw.loc(k))
		}
		if len(g.Populations) == 0 {
			r.at(cf, fmt.Sprintf("groups[%d].populations", gi), rw.whole())
		}
		g.Populations = append(g.Populations, pop)
	})
}

// criteria reads the criteria sheet: each row is an area, a criterion or a sub-criterion of the
// tree of its kind (the campaign's when the kind is empty), under the row above it.
func (r *reader) criteria(d *campaign.Definition, kindAt map[string]int) {
	const cf = campaign.CampaignFile
	crit := r.table(criteriaTable)
	r.at(cf, "criteria", loc{sheet: SheetCriteria})
	crit.each(func(rw row) {
		kind := rw.get("kind")
		tree, base := &d.Areas, "criteria"
		if kind != "" {
			ki, ok := kindAt[kind]
			if !ok {
				r.add(rw.loc("kind"), "loại đơn vị %q chưa khai báo ở trang '%s'", kind, SheetKinds)
				return
			}
			tree, base = &d.Kinds[ki].Areas, fmt.Sprintf("unit_kinds[%d].criteria", ki)
			if len(*tree) == 0 {
				r.at(cf, base, rw.whole())
			}
		}
		points, _ := r.decimal(rw, "points")
		c, name := rw.get("code"), rw.get("name")
		areas := *tree
		var p string
		switch lv := headerKey(rw.get("level")); lv {
		case headerKey(levelArea), "area":
			p = fmt.Sprintf("%s[%d]", base, len(areas))
			*tree = append(areas, campaign.Area{Code: c, Name: name, Points: points})
		case headerKey(levelCrit), "criterion":
			if len(areas) == 0 {
				r.add(rw.loc("level"), "tiêu chí %s đứng trước mọi lĩnh vực: thêm dòng lĩnh vực ở trên", c)
				return
			}
			a := &areas[len(areas)-1]
			p = fmt.Sprintf("%s[%d].criteria[%d]", base, len(areas)-1, len(a.Criteria))
			a.Criteria = append(a.Criteria, campaign.Criterion{Code: c, Name: name, Points: points})
		case headerKey(levelSub), "sub_criterion":
			var cr *campaign.Criterion
			if len(areas) > 0 {
				if a := &areas[len(areas)-1]; len(a.Criteria) > 0 {
					cr = &a.Criteria[len(a.Criteria)-1]
					p = fmt.Sprintf("%s[%d].criteria[%d].sub_criteria[%d]", base, len(areas)-1, len(a.Criteria)-1, len(cr.Subs))
				}
			}
			if cr == nil {
				r.add(rw.loc("level"), "tiêu chí thành phần %s đứng trước mọi tiêu chí: thêm dòng tiêu chí ở trên", c)
				return
			}
			cr.Subs = append(cr.Subs, campaign.SubCriterion{Code: c, Name: name, Points: points})
		default:
			r.add(rw.loc("level"), "cấp %q không hợp lệ (%s, %s hoặc %s)", rw.get("level"), levelArea, levelCrit, levelSub)
			return
		}
		r.at(cf, p, rw.whole())
		r.at(cf, p+".code", rw.loc("code"))
		r.at(cf, p+".name", rw.loc("name"))
		r.at(cf, p+".points", rw.loc("points"))
	})
}

func (r *reader) scales(d *campaign.Definition) {
	const cf = campaign.CampaignFile
	scales := r.table(scalesTable)
	r.at(cf, "scales", loc{sheet: SheetScales})
	scales.each(func(rw row) {
		c := rw.get("code")
		if c != "" {
			p := fmt.Sprintf("scales[%d]", len(d.Scales))
			r.at(cf, p, rw.whole())
			r.at(cf, p+".code", rw.loc("code"))
			r.at(cf, p+".options", rw.whole())
			d.Scales = append(d.Scales, campaign.Scale{Code: c})
		} else if len(d.Scales) == 0 {
			r.add(rw.loc("code"), "thiếu mã thang đo ở dòng đầu tiên của thang đo")
			return
		}
		s := &d.Scales[len(d.Scales)-1]
		label := rw.get("label")
		if label == "" && c != "" && rw.get("weight") == "" {
			return // a scale written without options: the checks say it needs them
		}
		o := campaign.Option{Label: label, Weight: r.decimalPtr(rw, "weight")}
		o.DontKnow, _ = r.flag(rw.get("dont_know"), rw.loc("dont_know"))
		p := fmt.Sprintf("scales[%d].options[%d]", len(d.Scales)-1, len(s.Options))
		r.at(cf, p, rw.whole())
		r.at(cf, p+".label", rw.loc("label"))
		r.at(cf, p+".weight", rw.loc("weight"))
		s.Options = append(s.Options, o)
	})
}

func (r *reader) questionnaires(d *campaign.Definition) {
	forms := r.table(formsTable)
	index := map[string]int{}
	forms.each(func(rw row) {
		i := len(d.Questionnaires)
		f := formFile(i)
		q := campaign.Questionnaire{Code: rw.get("code"), Title: rw.get("title"), Intro: rawText(rw, "intro"), Thanks: rawText(rw, "thanks")}
		switch s := rw.get("shape"); headerKey(s) {
		case headerKey(shapeSingle), "single":
			q.Shape = campaign.ShapeSingle
		case headerKey(shapeMatrix), "matrix":
			q.Shape = campaign.ShapeMatrix
		case "":
		default:
			q.Shape = campaign.Shape(s)
		}
		r.at(f, "", rw.whole())
		for _, k := range []string{"code", "title", "shape", "intro", "thanks"} {
			r.at(f, k, rw.loc(k))
		}
		r.at(f, "sections", loc{sheet: SheetQuestions})
		r.at(f, "respondent_fields", loc{sheet: SheetFields})
		if _, dup := index[q.Code]; !dup {
			index[q.Code] = i
		}
		d.Questionnaires = append(d.Questionnaires, q)
	})
	form := func(rw row) int {
		c := rw.get("form")
		i, ok := index[c]
		if !ok {
			r.add(rw.loc("form"), "mẫu phiếu %q chưa khai báo ở trang '%s'", c, SheetForms)
			return -1
		}
		return i
	}
	r.table(fieldsTable).each(func(rw row) {
		i := form(rw)
		if i < 0 {
			return
		}
		q := &d.Questionnaires[i]
		fl := campaign.Field{Key: rw.get("key"), Label: rw.get("label"), Options: lines(rw.get("options"))}
		fl.Optional, _ = r.flag(rw.get("optional"), rw.loc("optional"))
		p := fmt.Sprintf("respondent_fields[%d]", len(q.Fields))
		f := formFile(i)
		r.at(f, p, rw.whole())
		for _, k := range []string{"key", "label", "options", "optional"} {
			r.at(f, p+"."+k, rw.loc(k))
		}
		q.Fields = append(q.Fields, fl)
	})
	current := map[int]string{} // each questionnaire's section so far
	r.table(questionsTable).each(func(rw row) {
		i := form(rw)
		if i < 0 {
			return
		}
		q := &d.Questionnaires[i]
		title := rw.get("section")
		if len(q.Sections) == 0 || (title != "" && title != current[i]) {
			q.Sections = append(q.Sections, campaign.Section{Title: title})
			current[i] = title
		}
		s := &q.Sections[len(q.Sections)-1]
		p := fmt.Sprintf("sections[%d].questions[%d]", len(q.Sections)-1, len(s.Questions))
		f := formFile(i)
		r.at(f, p, rw.whole())
		for _, k := range []string{"code", "text", "kind", "max_length", "show_if", "feeds", "weight", "scale", "options"} {
			r.at(f, p+"."+k, rw.loc(k))
		}
		s.Questions = append(s.Questions, r.question(rw, f, p))
	})
}

// rawText is a long text cell as written, paragraphs and final line end included.
func rawText(rw row, key string) string {
	c, ok := rw.s.cols[key]
	if !ok || c > len(rw.cells) {
		return ""
	}
	s := norm.NFC.String(strings.ReplaceAll(rw.cells[c-1], "\r\n", "\n"))
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

func (r *reader) question(rw row, file, p string) campaign.Question {
	q := campaign.Question{Code: rw.get("code"), Text: rw.get("text"), Feeds: rw.get("feeds"), Scale: rw.get("scale"),
		Weight: r.decimalPtr(rw, "weight"), MaxLength: int(r.integer(rw, "max_length"))}
	switch k := rw.get("kind"); headerKey(k) {
	case "":
	case headerKey(kindChoice), "choice":
		q.Kind = campaign.QuestionChoice
	case headerKey(kindText), "text":
		q.Kind = campaign.QuestionText
	default:
		q.Kind = campaign.QuestionKind(k)
	}
	if s := rw.get("show_if"); s != "" {
		other, answers, ok := strings.Cut(s, "=")
		cond := &campaign.Condition{Question: strings.TrimSpace(other)}
		for _, a := range list(answers) {
			n, err := strconv.Atoi(strings.TrimSpace(a))
			if err != nil {
				ok = false
				break
			}
			cond.Answers = append(cond.Answers, n)
		}
		if !ok || cond.Question == "" || len(cond.Answers) == 0 {
			r.add(rw.loc("show_if"), "điều kiện viết «MÃ CÂU = số thứ tự phương án, …» (ví dụ «C3 = 1, 2»), đang là %q", s)
		} else {
			q.ShowIf = cond
		}
	}
	for i, line := range lines(rw.get("options")) {
		o := campaign.Option{Label: line}
		if at := strings.LastIndex(line, "="); at >= 0 {
			o.Label = strings.TrimSpace(line[:at])
			w := strings.TrimSpace(line[at+1:])
			if strings.EqualFold(w, dontKnow) {
				o.DontKnow = true
			} else if d, ok := r.decimalText(w, rw.loc("options")); ok {
				o.Weight = &d
			}
		}
		r.at(file, fmt.Sprintf("%s.options[%d]", p, i), rw.loc("options"))
		q.Options = append(q.Options, o)
	}
	return q
}

// sortProblems orders problems by sheet (in workbook order), row and column.
func sortProblems(ps Problems) {
	order := map[string]int{SheetCampaign: 0}
	for i, t := range tables {
		order[t.name] = i + 1
	}
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if order[a.Sheet] != order[b.Sheet] {
			return order[a.Sheet] < order[b.Sheet]
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return len(a.Col) < len(b.Col) || (len(a.Col) == len(b.Col) && a.Col < b.Col)
	})
}
