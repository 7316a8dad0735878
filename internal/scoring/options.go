package scoring

import (
	"fmt"
	"strings"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// Options states, in Vietnamese sentences and a fixed order, the method options a definition
// uses, so that every report says how its scores were made (domain.md, "Answers and scoring").
// The same definition always gives the same sentences.
func Options(def *campaign.Definition) []string {
	set := settingsOf(def)
	var out []string

	out = append(out, "Mỗi phương án của câu hỏi có tính điểm mang một trọng số trong khoảng [0, 1]; "+
		"điểm của một nhóm đối tượng cho một câu hỏi là trung bình trọng số của các phiếu hợp lệ.")
	if set.dontKnowZero {
		out = append(out, "Câu trả lời “Không biết / không có ý kiến” được tính là 0 điểm.")
	} else {
		out = append(out, "Câu trả lời “Không biết / không có ý kiến” không được tính vào điểm trung bình.")
	}
	if set.blankZero {
		out = append(out, "Câu bỏ trống (kể cả câu đánh nhiều phương án) được tính là 0 điểm.")
	} else {
		out = append(out, "Câu bỏ trống (kể cả câu đánh nhiều phương án) không được tính vào điểm trung bình.")
	}

	var collected, imported []string
	for i := range def.Groups {
		g := &def.Groups[i]
		w := campaign.Decimal(campaign.DecimalScale)
		if g.Weight != nil {
			w = *g.Weight
		}
		item := fmt.Sprintf("%s: %s", g.Code, decimalVN(w))
		if g.Imported() {
			imported = append(imported, item)
		} else {
			collected = append(collected, item)
		}
	}
	if set.pooled {
		out = append(out, "Các câu trả lời của mọi nhóm thu phiếu được gộp chung thành một điểm trung bình cho mỗi câu hỏi.")
		if len(imported) > 0 {
			out = append(out, fmt.Sprintf("Điểm gộp đó kết hợp với nhóm nhập điểm theo trọng số; điểm gộp mang tổng trọng số các nhóm thu phiếu có dữ liệu (trọng số nhóm: %s).",
				strings.Join(append(append([]string{}, collected...), imported...), "; ")))
		}
	} else {
		out = append(out, fmt.Sprintf("Điểm các nhóm đối tượng được kết hợp cho mỗi câu hỏi theo trọng số nhóm (%s), chỉ tính các nhóm có dữ liệu.",
			strings.Join(append(append([]string{}, collected...), imported...), "; ")))
	}
	if set.minForms <= 1 {
		out = append(out, "Nhóm không có phiếu hợp lệ nào cho một đơn vị không được tính cho đơn vị đó và được ghi chú “thiếu phiếu”.")
	} else {
		out = append(out, fmt.Sprintf("Nhóm có ít hơn %d phiếu hợp lệ cho một đơn vị không được tính cho đơn vị đó và được ghi chú “thiếu phiếu”.", set.minForms))
	}
	if excused := notEvaluating(def); len(excused) > 0 {
		out = append(out, fmt.Sprintf("Nhóm có chỉ tiêu 0 phiếu cho một đơn vị không đánh giá đơn vị đó: không được tính vào điểm của đơn vị đó và không bị ghi chú “thiếu phiếu” (%s).",
			strings.Join(excused, "; ")))
	}
	for i := range def.Groups {
		g := &def.Groups[i]
		if !g.Imported() {
			continue
		}
		target := "mọi tiêu chí thành phần"
		if len(g.Feeds) > 0 {
			target = "các tiêu chí thành phần " + strings.Join(g.Feeds, ", ")
		}
		out = append(out, fmt.Sprintf("%s dùng tỷ lệ hài lòng nhập từ nguồn ngoài cho từng đơn vị, áp dụng cho %s.", groupName(g), target))
	}
	if questionWeights(def) {
		out = append(out, "Điểm tiêu chí thành phần = điểm tối đa × trung bình điểm các câu hỏi của nó, theo trọng số riêng của từng câu hỏi.")
	} else {
		out = append(out, "Điểm tiêu chí thành phần = điểm tối đa × trung bình điểm các câu hỏi của nó, các câu hỏi có trọng số bằng nhau.")
	}
	out = append(out, "Câu hỏi không có câu trả lời dùng được bị bỏ qua; tiêu chí thành phần không có câu hỏi nào có dữ liệu được 0 điểm và ghi chú “không có dữ liệu”.")
	out = append(out, "Điểm tiêu chí, lĩnh vực và tổng điểm là tổng điểm các thành phần. Phiếu dạng ma trận được tính là một phiếu cho mỗi đơn vị mà nó đánh giá.")
	out = append(out, "Mọi phép tính là chính xác (phân số); chỉ làm tròn nửa lên đến 2 chữ số thập phân khi hiển thị. "+
		"Xếp hạng theo giá trị chính xác trong từng loại đơn vị; đơn vị bằng điểm đồng hạng và hạng kế tiếp bị bỏ qua (1, 2, 2, 4).")
	if len(def.Bands) > 0 {
		var bands []string
		for _, b := range def.Bands {
			bands = append(bands, fmt.Sprintf("%s từ %s%%", b.Name, decimalVN(b.MinPercent)))
		}
		out = append(out, fmt.Sprintf("Xếp loại theo tỷ lệ tổng điểm trên %s: %s.", pointsOf(def), strings.Join(bands, "; ")))
	}
	if trees := ownTrees(def); trees != "" {
		out = append(out, "Mỗi loại đơn vị được chấm theo bộ tiêu chí của mình: "+trees+".")
	}
	return out
}

// pointsOf says what a unit's percentage is taken of: "32 điểm" when every kind is worth the
// campaign's survey points, else each kind's ("32 điểm với Sở, ban, ngành; 30 điểm với Xã, phường").
func pointsOf(def *campaign.Definition) string {
	same := true
	for _, k := range def.Kinds {
		same = same && def.SurveyPointsFor(k.Code) == def.SurveyPoints
	}
	if same {
		return decimalVN(def.SurveyPoints) + " điểm"
	}
	var parts []string
	for _, k := range def.Kinds {
		parts = append(parts, fmt.Sprintf("%s điểm với %s", decimalVN(def.SurveyPointsFor(k.Code)), k.Name))
	}
	return "số điểm ĐTXHH của loại đơn vị (" + strings.Join(parts, "; ") + ")"
}

// ownTrees names the kinds scored on a tree of their own, with its size; "" when none is.
func ownTrees(def *campaign.Definition) string {
	var parts []string
	for _, k := range def.Kinds {
		if len(k.Areas) == 0 {
			continue
		}
		subs := 0
		for _, a := range k.Areas {
			for _, c := range a.Criteria {
				subs += len(c.Subs)
			}
		}
		parts = append(parts, fmt.Sprintf("%s theo %d lĩnh vực, %d tiêu chí thành phần, tổng %s điểm", k.Name, len(k.Areas), subs, decimalVN(def.SurveyPointsFor(k.Code))))
	}
	return strings.Join(parts, "; ")
}

// notEvaluating lists, in definition order, each collecting group with the units it has a
// quota of 0 for ("S5: BQLKCN"), as the method statement names them.
func notEvaluating(def *campaign.Definition) []string {
	var out []string
	for i := range def.Groups {
		g := &def.Groups[i]
		if g.Imported() {
			continue
		}
		var units []string
		for _, u := range def.UnitsOfKind(g.Evaluates) {
			if q, ok := g.QuotaOverrides[u.Code]; ok && q == 0 {
				units = append(units, u.Name)
			}
		}
		if len(units) > 0 {
			out = append(out, "nhóm "+g.Code+" không đánh giá "+strings.Join(units, ", "))
		}
	}
	return out
}

// questionWeights reports whether any scored question carries a weight other than 1.
func questionWeights(def *campaign.Definition) bool {
	for qi := range def.Questionnaires {
		for _, s := range def.Questionnaires[qi].Sections {
			for i := range s.Questions {
				if q := &s.Questions[i]; q.Scored() && q.QuestionWeight() != campaign.DecimalScale {
					return true
				}
			}
		}
	}
	return false
}

// decimalVN writes a definition number with a decimal comma ("0,75", "32").
func decimalVN(d campaign.Decimal) string { return strings.Replace(d.String(), ".", ",", 1) }
