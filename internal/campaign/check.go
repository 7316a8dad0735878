package campaign

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// codePattern is what unit and group codes may look like: they end up in form codes that
// people read over the phone and key by hand (questionnaire codes do not: formPattern).
// The letter O is left out: form codes read it as the digit 0.
var codePattern = regexp.MustCompile(`^[A-NP-Z0-9]{1,6}$`)

// matrixUnit is the unit part of a matrix form's code; no real unit may take it.
const matrixUnit = "MT"

// check records every problem of a decoded definition; it never stops at the first.
func (l *loader) check(d *Definition) {
	f := l.file(CampaignFile)
	if strings.TrimSpace(d.Code) == "" {
		l.add(f, "code", "thiếu mã đợt khảo sát")
	}
	if strings.TrimSpace(d.Name) == "" {
		l.add(f, "name", "thiếu tên đợt khảo sát")
	}
	if d.Year < 2000 || d.Year > 2100 {
		l.add(f, "year", "năm %d không hợp lý", d.Year)
	}
	if d.Opens.IsZero() {
		l.add(f, "opens", "thiếu ngày mở khảo sát")
	}
	if d.Closes.IsZero() {
		l.add(f, "closes", "thiếu ngày kết thúc khảo sát")
	} else if d.Closes.Before(d.Opens.Time) {
		l.add(f, "closes", "ngày kết thúc trước ngày mở")
	}
	if d.needsCampaignPoints() && (d.SurveyPoints <= 0 || d.SurveyPoints > 100*DecimalScale) {
		l.add(f, "survey_points", "điểm phần ĐTXHH phải trong (0, 100], đang là %s", d.SurveyPoints)
	}
	l.checkBands(d, f)
	l.checkSettings(d, f)
	l.checkContact(d, f)
	kinds := l.checkKinds(d, f)
	l.checkHonoraria(d, f, kinds)
	l.checkUnits(d, f, kinds)
	tr := l.checkTrees(d, f)
	l.checkScales(d, f)
	forms := map[string]*Questionnaire{}
	for i := range d.Questionnaires {
		q := &d.Questionnaires[i]
		if prev, dup := forms[q.Code]; dup {
			l.add(q.File, "code", "trùng mã mẫu phiếu %q với %s", q.Code, prev.File)
		}
		forms[q.Code] = q
		l.checkQuestionnaire(d, q, tr)
	}
	l.checkQuestionKinds(d, f) // options, open questions and show_if: check_questions.go
	l.checkGroups(d, f, kinds, forms, tr)
	l.checkQuestionIdentity(d)
	l.checkYear(d, f)
	for _, t := range tr.all {
		for _, code := range t.order {
			if !t.fed[code] {
				l.add(f, t.path[code], "tiêu chí thành phần %s không có câu hỏi nào hay nhóm nhập điểm nào cho điểm", code)
			}
		}
	}
}

func (l *loader) checkBands(d *Definition, f string) {
	for i, b := range d.Bands {
		p := fmt.Sprintf("bands[%d]", i)
		if b.Code == "" || b.Name == "" {
			l.add(f, p, "xếp loại cần có mã và tên")
		}
		if b.MinPercent < 0 || b.MinPercent > 100*DecimalScale {
			l.add(f, p+".min_percent", "ngưỡng %s%% nằm ngoài [0, 100]", b.MinPercent)
		}
		if i > 0 && b.MinPercent >= d.Bands[i-1].MinPercent {
			l.add(f, p+".min_percent", "các xếp loại phải theo ngưỡng giảm dần (%s%% sau %s%%)", b.MinPercent, d.Bands[i-1].MinPercent)
		}
	}
}

func (l *loader) checkSettings(d *Definition, f string) {
	s := d.Scoring
	if s.DontKnow != MissingExclude && s.DontKnow != MissingZero {
		l.add(f, "scoring.dont_know", "giá trị %q không hợp lệ (exclude hoặc zero)", s.DontKnow)
	}
	if s.Blank != MissingExclude && s.Blank != MissingZero {
		l.add(f, "scoring.blank", "giá trị %q không hợp lệ (exclude hoặc zero)", s.Blank)
	}
	if s.Combine != CombineGroupWeights && s.Combine != CombinePooled {
		l.add(f, "scoring.combine", "giá trị %q không hợp lệ (group_weights hoặc pooled)", s.Combine)
	}
	if s.MinForms < 1 {
		l.add(f, "scoring.min_forms", "số phiếu tối thiểu phải từ 1 trở lên")
	}
	if p := d.Rules.MinAnsweredPercent; p < 0 || p > 100*DecimalScale {
		l.add(f, "rules.min_answered_percent", "tỷ lệ %s%% nằm ngoài [0, 100]", p)
	}
}

func (l *loader) checkKinds(d *Definition, f string) map[string]bool {
	kinds := map[string]bool{}
	if len(d.Kinds) == 0 {
		l.add(f, "unit_kinds", "chưa khai báo loại đơn vị nào")
	}
	for i, k := range d.Kinds {
		p := fmt.Sprintf("unit_kinds[%d]", i)
		if k.Code == "" || k.Name == "" {
			l.add(f, p, "loại đơn vị cần có mã và tên")
		}
		if kinds[k.Code] {
			l.add(f, p+".code", "trùng mã loại đơn vị %q", k.Code)
		}
		kinds[k.Code] = true
		if sp := k.SurveyPoints; sp != nil && (*sp <= 0 || *sp > 100*DecimalScale) {
			l.add(f, p+".survey_points", "điểm phần ĐTXHH của loại đơn vị %s phải trong (0, 100], đang là %s", k.Code, *sp)
		}
	}
	return kinds
}

func (l *loader) checkUnits(d *Definition, f string, kinds map[string]bool) {
	seen := map[string]bool{}
	if len(d.Units) == 0 {
		l.add(f, "units", "chưa khai báo đơn vị được đánh giá nào")
	}
	for i, u := range d.Units {
		p := fmt.Sprintf("units[%d]", i)
		if msg := keyCodeProblem("đơn vị", u.Code); msg != "" {
			l.add(f, p+".code", "%s", msg)
		}
		if u.Code == matrixUnit {
			l.add(f, p+".code", "mã đơn vị %q dành cho phiếu ma trận, hãy chọn mã khác", u.Code)
		}
		if seen[u.Code] {
			l.add(f, p+".code", "trùng mã đơn vị %q", u.Code)
		}
		seen[u.Code] = true
		if !kinds[u.Kind] {
			l.add(f, p+".kind", "loại đơn vị %q chưa khai báo trong unit_kinds", u.Kind)
		}
		if strings.TrimSpace(u.Name) == "" {
			l.add(f, p+".name", "thiếu tên đơn vị %s", u.Code)
		}
	}
	for i, u := range d.Units {
		if u.Parent == "" {
			continue
		}
		p := fmt.Sprintf("units[%d].parent", i)
		if !seen[u.Parent] {
			l.add(f, p, "đơn vị cấp trên %q không tồn tại", u.Parent)
			continue
		}
		// Walk up the parents: a loop would make the tree endless.
		cur, steps := u.Parent, 0
		for cur != "" && steps <= len(d.Units) {
			if cur == u.Code {
				l.add(f, p, "quan hệ cấp trên của %s tạo thành vòng lặp", u.Code)
				break
			}
			next := d.Unit(cur)
			if next == nil {
				break // a missing parent is reported on the unit that names it
			}
			cur, steps = next.Parent, steps+1
		}
	}
}

// subIndex is one criteria tree as the checker sees it: where each sub-criterion was
// declared, and which of them a question or an imported group feeds.
type subIndex struct {
	order []string
	path  map[string]string
	fed   map[string]bool
}

// trees holds every criteria tree of a definition: the campaign's (`criteria`, nil when every
// kind has its own) and each kind's own (`unit_kinds[i].criteria`).
type trees struct {
	byKind map[string]*subIndex
	all    []*subIndex
}

// pathOf is where the tree declares the sub-criterion; a nil tree declares none.
func (s *subIndex) pathOf(code string) (string, bool) {
	if s == nil {
		return "", false
	}
	p, ok := s.path[code]
	return p, ok
}

// of is the tree that scores units of the kind (Definition.TreeFor), or nil.
func (t *trees) of(kind string) *subIndex { return t.byKind[kind] }

// anywhere reports whether some tree declares the sub-criterion.
func (t *trees) anywhere(code string) bool {
	for _, s := range t.all {
		if _, ok := s.path[code]; ok {
			return true
		}
	}
	return false
}

// needsCampaignPoints reports whether some kind takes the campaign's survey_points, having none
// of its own (or there is no kind at all).
func (d *Definition) needsCampaignPoints() bool {
	if len(d.Kinds) == 0 {
		return true
	}
	for _, k := range d.Kinds {
		if k.SurveyPoints == nil {
			return true
		}
	}
	return false
}

// needsCampaignTree reports whether some kind is scored on the campaign's tree, having none of
// its own (or there is no kind at all).
func (d *Definition) needsCampaignTree() bool {
	if len(d.Kinds) == 0 {
		return true
	}
	for _, k := range d.Kinds {
		if len(k.Areas) == 0 {
			return true
		}
	}
	return false
}

// checkTrees checks the campaign's tree and every kind's own: one index set per level
// (domain.md, "The index"). Codes need only be unique inside one tree; each tree adds up to the
// survey points of the kinds it scores.
func (l *loader) checkTrees(d *Definition, f string) *trees {
	tr := &trees{byKind: map[string]*subIndex{}}
	var shared *subIndex
	if d.needsCampaignTree() || len(d.Areas) > 0 {
		shared = l.checkCriteria(f, "criteria", d.Areas, d.needsCampaignTree())
		if d.needsCampaignTree() {
			tr.all = append(tr.all, shared)
		} else {
			l.warn(f, "criteria", "mọi loại đơn vị đều có cây tiêu chí riêng: cây criteria chung không được dùng để tính điểm")
		}
		if d.needsCampaignPoints() {
			l.checkTotal(f, "survey_points", "phần ĐTXHH có %s điểm nhưng các lĩnh vực cộng lại %s", d.SurveyPoints, d.Areas)
		}
	}
	for i, k := range d.Kinds {
		p := fmt.Sprintf("unit_kinds[%d]", i)
		if len(k.Areas) == 0 {
			tr.byKind[k.Code] = shared
			if k.SurveyPoints != nil && shared != nil && *k.SurveyPoints != d.SurveyPoints {
				l.checkTotal(f, p+".survey_points", "loại đơn vị "+k.Code+" có %s điểm ĐTXHH nhưng cây tiêu chí chung (criteria) cộng lại %s: khai báo criteria riêng dưới loại đơn vị này", *k.SurveyPoints, d.Areas)
			}
			continue
		}
		t := l.checkCriteria(f, p+".criteria", k.Areas, true)
		tr.byKind[k.Code] = t
		tr.all = append(tr.all, t)
		points, pp := d.SurveyPoints, "survey_points"
		if k.SurveyPoints != nil {
			points, pp = *k.SurveyPoints, p+".survey_points"
		}
		l.checkTotal(f, pp, "phần ĐTXHH của loại đơn vị "+k.Code+" có %s điểm nhưng các lĩnh vực của nó cộng lại %s", points, k.Areas)
	}
	return tr
}

// checkTotal reports a tree whose areas do not add up to the survey points it is worth.
func (l *loader) checkTotal(f, p, format string, points Decimal, areas []Area) {
	if len(areas) == 0 {
		return
	}
	var total Decimal
	for _, a := range areas {
		total += a.Points
	}
	if total != points {
		l.add(f, p, format, points, total)
	}
}

// checkCriteria checks one tree written at path root; required says an empty tree is a problem.
func (l *loader) checkCriteria(f, root string, areas []Area, required bool) *subIndex {
	idx := &subIndex{path: map[string]string{}, fed: map[string]bool{}}
	codes := map[string]bool{}
	code := func(p, c string) {
		if c == "" {
			l.add(f, p+".code", "thiếu mã")
		} else if codes[c] {
			l.add(f, p+".code", "trùng mã tiêu chí %q", c)
		}
		codes[c] = true
	}
	if len(areas) == 0 && required {
		l.add(f, root, "chưa khai báo lĩnh vực nào")
	}
	for ai, a := range areas {
		ap := fmt.Sprintf("%s[%d]", root, ai)
		code(ap, a.Code)
		var sum Decimal
		if len(a.Criteria) == 0 {
			l.add(f, ap, "lĩnh vực %s chưa có tiêu chí nào", a.Code)
		}
		for ci, c := range a.Criteria {
			cp := fmt.Sprintf("%s.criteria[%d]", ap, ci)
			code(cp, c.Code)
			sum += c.Points
			var subSum Decimal
			if len(c.Subs) == 0 {
				l.add(f, cp, "tiêu chí %s chưa có tiêu chí thành phần nào", c.Code)
			}
			for si, s := range c.Subs {
				sp := fmt.Sprintf("%s.sub_criteria[%d]", cp, si)
				code(sp, s.Code)
				if s.Points <= 0 {
					l.add(f, sp+".points", "điểm tối đa của %s phải lớn hơn 0", s.Code)
				}
				subSum += s.Points
				idx.order = append(idx.order, s.Code)
				idx.path[s.Code] = sp
			}
			if len(c.Subs) > 0 && subSum != c.Points {
				l.add(f, cp+".points", "tiêu chí %s có %s điểm nhưng các tiêu chí thành phần cộng lại %s", c.Code, c.Points, subSum)
			}
		}
		if len(a.Criteria) > 0 && sum != a.Points {
			l.add(f, ap+".points", "lĩnh vực %s có %s điểm nhưng các tiêu chí cộng lại %s", a.Code, a.Points, sum)
		}
	}
	return idx
}

func (l *loader) checkOptions(file, p string, opts []Option) {
	if len(opts) < 2 {
		l.add(file, p, "cần ít nhất 2 phương án trả lời")
	}
	if len(opts) > 9 {
		l.add(file, p, "tối đa 9 phương án (mỗi phương án nhập bằng một phím số)")
	}
	labels := make([]string, len(opts))
	for i, o := range opts {
		labels[i] = o.Label
	}
	l.checkDuplicateLabels(file, p, labels)
	weighted := 0
	for i, o := range opts {
		op := fmt.Sprintf("%s[%d]", p, i)
		if strings.TrimSpace(o.Label) == "" {
			l.add(file, op+".label", "phương án thiếu nội dung")
		}
		switch {
		case o.DontKnow && o.Weight != nil:
			l.add(file, op+".weight", "phương án \"không biết\" không có trọng số")
		case !o.DontKnow && o.Weight == nil:
			l.add(file, op+".weight", "thiếu trọng số cho phương án %q", o.Label)
		case o.Weight != nil && (*o.Weight < 0 || *o.Weight > DecimalScale):
			l.add(file, op+".weight", "trọng số %s nằm ngoài [0, 1]", *o.Weight)
		}
		if o.Weight != nil {
			weighted++
		}
	}
	if len(opts) >= 2 && weighted == 0 {
		l.add(file, p, "không có phương án nào có trọng số")
	}
}

func (l *loader) checkScales(d *Definition, f string) {
	seen := map[string]bool{}
	for i, s := range d.Scales {
		p := fmt.Sprintf("scales[%d]", i)
		if s.Code == "" {
			l.add(f, p+".code", "thang đo thiếu mã")
		}
		if seen[s.Code] {
			l.add(f, p+".code", "trùng mã thang đo %q", s.Code)
		}
		seen[s.Code] = true
		l.checkOptions(f, p+".options", s.Options)
	}
}

func (l *loader) checkQuestionnaire(d *Definition, q *Questionnaire, tr *trees) {
	f := q.File
	users := formUsers(d, q.Code)
	if msg := formCodeProblem(q.Code); msg != "" {
		l.add(f, "code", "%s", msg)
	}
	if strings.TrimSpace(q.Title) == "" {
		l.add(f, "title", "thiếu tiêu đề phiếu")
	}
	if q.Shape != ShapeSingle && q.Shape != ShapeMatrix {
		l.add(f, "shape", "dạng phiếu %q không hợp lệ (single hoặc matrix)", q.Shape)
	}
	keys := map[string]bool{}
	for i, fl := range q.Fields {
		p := fmt.Sprintf("respondent_fields[%d]", i)
		if fl.Key == "" || fl.Label == "" {
			l.add(f, p, "thông tin người trả lời cần có key và label")
		}
		if keys[fl.Key] {
			l.add(f, p+".key", "trùng key %q", fl.Key)
		}
		keys[fl.Key] = true
		if len(fl.Options) < 2 {
			l.add(f, p+".options", "cần ít nhất 2 lựa chọn")
		}
		l.checkDuplicateLabels(f, p+".options", fl.Options)
	}
	codes := map[string]bool{}
	n := 0
	for si, s := range q.Sections {
		for qi, item := range s.Questions {
			n++
			p := fmt.Sprintf("sections[%d].questions[%d]", si, qi)
			if item.Code == "" {
				l.add(f, p+".code", "câu hỏi thiếu mã")
			} else if codes[item.Code] {
				l.add(f, p+".code", "trùng mã câu hỏi %q", item.Code)
			}
			codes[item.Code] = true
			if strings.TrimSpace(item.Text) == "" {
				l.add(f, p+".text", "câu hỏi %s thiếu nội dung", item.Code)
			}
			if item.Feeds != "" {
				l.checkFeeds(f, p+".feeds", item.Feeds, users, tr)
			}
			if item.Weight != nil && *item.Weight <= 0 {
				l.add(f, p+".weight", "trọng số câu hỏi phải lớn hơn 0")
			}
		}
	}
	if n == 0 {
		l.add(f, "sections", "mẫu phiếu %s chưa có câu hỏi nào", q.Code)
	}
}

// formUsers lists the collecting groups that answer the questionnaire, in definition order.
func formUsers(d *Definition, form string) []*Group {
	var out []*Group
	for i := range d.Groups {
		if g := &d.Groups[i]; !g.Imported() && g.Form == form {
			out = append(out, g)
		}
	}
	return out
}

// checkFeeds resolves a question's sub-criterion in the tree of each kind its groups evaluate
// (domain.md rule 9: identity is "within a unit kind"); a form no group uses is checked against
// every tree.
func (l *loader) checkFeeds(f, p, sub string, users []*Group, tr *trees) {
	if !tr.anywhere(sub) {
		l.add(f, p, "tiêu chí thành phần %q không tồn tại", sub)
		return
	}
	done := map[string]bool{}
	for _, g := range users {
		t := tr.of(g.Evaluates)
		if t == nil || done[g.Evaluates] {
			continue
		}
		done[g.Evaluates] = true
		if _, ok := t.path[sub]; !ok {
			l.add(f, p, "tiêu chí thành phần %q không có trong cây tiêu chí của loại đơn vị %q mà nhóm %s dùng mẫu phiếu này đánh giá", sub, g.Evaluates, g.Code)
			continue
		}
		t.fed[sub] = true
	}
	if len(done) == 0 {
		// No known kind uses the form (its problems are reported on the groups): count it as
		// feeding wherever the code is declared, so as not to pile a coverage problem on top.
		for _, t := range tr.all {
			if _, ok := t.path[sub]; ok {
				t.fed[sub] = true
			}
		}
	}
}

func (l *loader) checkGroups(d *Definition, f string, kinds map[string]bool, forms map[string]*Questionnaire, tr *trees) {
	seen := map[string]bool{}
	if len(d.Groups) == 0 {
		l.add(f, "groups", "chưa khai báo nhóm đối tượng nào")
	}
	for i, g := range d.Groups {
		p := fmt.Sprintf("groups[%d]", i)
		if msg := keyCodeProblem("nhóm", g.Code); msg != "" {
			l.add(f, p+".code", "%s", msg)
		}
		if seen[g.Code] {
			l.add(f, p+".code", "trùng mã nhóm %q", g.Code)
		}
		seen[g.Code] = true
		if strings.TrimSpace(g.Name) == "" {
			l.add(f, p+".name", "thiếu tên nhóm %s", g.Code)
		}
		if !kinds[g.Evaluates] {
			l.add(f, p+".evaluates", "loại đơn vị %q chưa khai báo", g.Evaluates)
		} else if len(d.UnitsOfKind(g.Evaluates)) == 0 {
			l.add(f, p+".evaluates", "không có đơn vị nào thuộc loại %q", g.Evaluates)
		}
		if g.Weight != nil && *g.Weight < 0 {
			l.add(f, p+".weight", "trọng số nhóm không được âm")
		}
		if len(g.Channels) == 0 {
			l.add(f, p+".channels", "nhóm %s chưa có kênh thu thập (online, paper, imported)", g.Code)
		}
		for ci, c := range g.Channels {
			if c != ChannelOnline && c != ChannelPaper && c != ChannelSIPAS {
				l.add(f, fmt.Sprintf("%s.channels[%d]", p, ci), "kênh %q không hợp lệ (online, paper, imported)", c)
			}
		}
		l.checkPopulations(d, f, p, &d.Groups[i], forms[g.Form])
		l.checkMatrix(d, f, p, &d.Groups[i], forms[g.Form])
		if g.Imported() {
			if len(g.Channels) > 1 {
				l.add(f, p+".channels", "nhóm nhập điểm (imported) không dùng kênh khác")
			}
			if g.Form != "" {
				l.add(f, p+".form", "nhóm nhập điểm không dùng mẫu phiếu")
			}
			t := tr.of(g.Evaluates)
			for fi, s := range g.Feeds {
				switch _, ok := t.pathOf(s); {
				case !tr.anywhere(s):
					l.add(f, fmt.Sprintf("%s.feeds[%d]", p, fi), "tiêu chí thành phần %q không tồn tại", s)
				case !ok && t != nil:
					l.add(f, fmt.Sprintf("%s.feeds[%d]", p, fi), "tiêu chí thành phần %q không có trong cây tiêu chí của loại đơn vị %q", s, g.Evaluates)
				case ok:
					t.fed[s] = true
				}
			}
			if t == nil {
				// An undeclared kind is reported above; do not add coverage problems to it.
				for _, x := range tr.all {
					for _, s := range x.order {
						x.fed[s] = x.fed[s] || len(g.Feeds) == 0 || slices.Contains(g.Feeds, s)
					}
				}
			} else if len(g.Feeds) == 0 {
				for _, s := range t.order {
					t.fed[s] = true
				}
			}
			continue
		}
		if len(g.Feeds) > 0 {
			l.add(f, p+".feeds", "chỉ nhóm nhập điểm mới khai báo feeds; nhóm thu phiếu cho điểm qua câu hỏi")
		}
		if g.Quota < 1 {
			l.add(f, p+".quota", "chỉ tiêu số phiếu của nhóm %s phải từ 1 trở lên", g.Code)
		}
		if q, ok := forms[g.Form]; !ok {
			l.add(f, p+".form", "mẫu phiếu %q không tồn tại", g.Form)
		} else if q.Shape == ShapeMatrix && len(g.QuotaOverrides) > 0 {
			l.add(f, p+".quota_overrides", "phiếu dạng ma trận đánh giá mọi đơn vị cùng lúc: không đặt chỉ tiêu riêng từng đơn vị")
		}
		for _, unit := range sortedKeys(g.QuotaOverrides) {
			n := g.QuotaOverrides[unit]
			up := p + ".quota_overrides." + unit
			switch u := d.Unit(unit); {
			case u == nil:
				l.add(f, up, "đơn vị %q không tồn tại", unit)
			case u.Kind != g.Evaluates:
				l.add(f, up, "đơn vị %s thuộc loại %q, nhóm %s chỉ đánh giá loại %q", unit, u.Kind, g.Code, g.Evaluates)
			}
			if n < 0 {
				l.add(f, up, "chỉ tiêu không được âm")
			}
		}
	}
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
