package compare

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// methodNotes lists, in Vietnamese sentences, every difference between the two effective
// definitions in what decides a score: the scoring options and valid-form rules (domain.md,
// "Answers and scoring" and "Valid forms"), the groups and their weights, the option weights
// of shared scales, the survey points and the bands. A score that moved because the method
// moved must say so beside the change.
func methodNotes(now, before *campaign.Definition, kinds map[string]string, nowLabel, beforeLabel string) []string {
	en, eb := campaign.EffectiveOf(now), campaign.EffectiveOf(before)
	var out []string
	differ := func(what, b, n string) {
		if b != n {
			out = append(out, fmt.Sprintf("%s: năm %s %s; năm %s %s.", what, beforeLabel, b, nowLabel, n))
		}
	}
	differ("Câu trả lời “không biết”", missing(eb.DontKnow), missing(en.DontKnow))
	differ("Câu bỏ trống", missing(eb.Blank), missing(en.Blank))
	differ("Cách kết hợp các nhóm", combine(eb.Combine), combine(en.Combine))
	differ("Số phiếu hợp lệ tối thiểu của một nhóm cho một đơn vị", fmt.Sprint(eb.MinForms), fmt.Sprint(en.MinForms))
	differ("Tỷ lệ câu có tính điểm phải trả lời để phiếu hợp lệ", dec(eb.MinAnsweredPercent)+"%", dec(en.MinAnsweredPercent)+"%")
	differ("Phiếu đến ngoài thời gian khảo sát", window(eb.EnforceWindow), window(en.EnforceWindow))
	differ("Phiếu giấy", doubleEntry(eb.DoubleEntry), doubleEntry(en.DoubleEntry))

	for _, k := range now.Kinds {
		differ("Điểm tối đa phần điều tra xã hội học ("+kindName(now, k.Code)+")",
			dec(before.SurveyPointsFor(kinds[k.Code]))+" điểm", dec(now.SurveyPointsFor(k.Code))+" điểm")
	}

	for _, g := range now.Groups {
		if before.Group(g.Code) == nil {
			out = append(out, fmt.Sprintf("Nhóm %s (%s) chỉ có năm %s.", g.Code, g.Name, nowLabel))
			continue
		}
		differ("Trọng số nhóm "+g.Code, dec(eb.GroupWeights[g.Code]), dec(en.GroupWeights[g.Code]))
		bg := before.Group(g.Code)
		if bg.Imported() != g.Imported() {
			differ("Nguồn dữ liệu của nhóm "+g.Code, source(bg), source(&g))
		}
	}
	for _, g := range before.Groups {
		if now.Group(g.Code) == nil {
			out = append(out, fmt.Sprintf("Nhóm %s (%s) chỉ có năm %s.", g.Code, g.Name, beforeLabel))
		}
	}

	for _, s := range now.Scales {
		bs := before.Scale(s.Code)
		if bs == nil {
			continue
		}
		differ("Trọng số các phương án của thang "+s.Code, weights(bs.Options), weights(s.Options))
	}

	differ("Xếp loại", bands(before.Bands), bands(now.Bands))

	// domain.md step 5 and 9: a sub-criterion's points are the mean over the questions that
	// feed it; other questions under the same code measure something else.
	for _, k := range now.Kinds {
		qn, qb := questionsOf(now, k.Code), questionsOf(before, kinds[k.Code])
		var subs []string
		for _, a := range now.TreeFor(k.Code) {
			for _, c := range a.Criteria {
				for _, sc := range c.Subs {
					if b, ok := qb[sc.Code]; ok && !slices.Equal(b, qn[sc.Code]) {
						subs = append(subs, sc.Code)
					}
				}
			}
		}
		if len(subs) > 0 {
			out = append(out, fmt.Sprintf("Câu hỏi tính điểm của %d tiêu chí thành phần (%s) khác giữa năm %s và năm %s: %s.",
				len(subs), kindName(now, k.Code), beforeLabel, nowLabel, strings.Join(subs, ", ")))
		}
	}
	return out
}

// questionsOf lists, per sub-criterion of a kind's tree, the codes of the questions that feed
// it on the forms of the groups evaluating the kind, sorted.
func questionsOf(def *campaign.Definition, kind string) map[string][]string {
	out := map[string][]string{}
	for _, a := range def.TreeFor(kind) {
		for _, c := range a.Criteria {
			for _, sc := range c.Subs {
				out[sc.Code] = []string{}
			}
		}
	}
	for _, g := range def.Groups {
		if g.Evaluates != kind || g.Imported() {
			continue
		}
		q := def.Questionnaire(g.Form)
		if q == nil {
			continue
		}
		for _, qu := range q.Questions() {
			if list, ok := out[qu.Feeds]; ok && qu.Feeds != "" && !slices.Contains(list, qu.Code) {
				out[qu.Feeds] = append(list, qu.Code)
			}
		}
	}
	for k := range out {
		slices.Sort(out[k])
	}
	return out
}

func missing(m campaign.Missing) string {
	if m == campaign.MissingZero {
		return "tính là 0 điểm"
	}
	return "không tính vào điểm trung bình"
}

func combine(c campaign.Combine) string {
	if c == campaign.CombinePooled {
		return "gộp chung mọi câu trả lời"
	}
	return "theo trọng số nhóm"
}

func window(on bool) string {
	if on {
		return "không hợp lệ"
	}
	return "vẫn được tính"
}

func doubleEntry(on bool) string {
	if on {
		return "nhập hai lần, đối chiếu"
	}
	return "nhập một lần"
}

func source(g *campaign.Group) string {
	if g.Imported() {
		return "nhập tỷ lệ hài lòng từ nguồn ngoài"
	}
	return "phát phiếu"
}

func weights(opts []campaign.Option) string {
	var parts []string
	for _, o := range opts {
		switch {
		case o.DontKnow:
			parts = append(parts, "không biết")
		case o.Weight == nil:
			parts = append(parts, "—")
		default:
			parts = append(parts, dec(*o.Weight))
		}
	}
	return strings.Join(parts, "; ")
}

func bands(bs []campaign.Band) string {
	sorted := slices.Clone(bs)
	slices.SortFunc(sorted, func(a, b campaign.Band) int { return int(b.MinPercent - a.MinPercent) })
	var parts []string
	for _, b := range sorted {
		parts = append(parts, fmt.Sprintf("%s từ %s%%", b.Name, dec(b.MinPercent)))
	}
	return strings.Join(parts, ", ")
}
