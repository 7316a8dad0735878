package campaign

import (
	"fmt"
	"strings"
)

// Population returns the group's population with the code, or nil.
func (g *Group) Population(code string) *Population {
	for i := range g.Populations {
		if g.Populations[i].Code == code {
			return &g.Populations[i]
		}
	}
	return nil
}

// PopulationNamed returns the group's population whose name an answer to PopulationField
// gives, or nil.
func (g *Group) PopulationNamed(name string) *Population {
	for i := range g.Populations {
		if g.Populations[i].Name == name {
			return &g.Populations[i]
		}
	}
	return nil
}

// PopulationQuota is how many forms a population needs for a unit: its quota, or 0 where the
// group does not evaluate the unit (a quota override of 0).
func (g *Group) PopulationQuota(p *Population, unit string) int {
	if q, ok := g.QuotaOverrides[unit]; ok && q == 0 {
		return 0
	}
	return p.Quota
}

// PopulationFill is how far one population went toward a unit's quota.
type PopulationFill struct {
	Population *Population
	// Quota is the population's own quota for the unit (0 for a substitute).
	Quota int
	// Valid counts its valid forms; Counted those that count toward the group's quota: up to
	// its own quota, or for a substitute up to the shortfall it fills and its cap.
	Valid, Counted int
}

// Fill says, for one unit, how much of the quota each population filled from its valid forms
// (valid maps a population's code to its count), in definition order. Substitutes are counted
// after the population they stand in for, against what it left unfilled.
func (g *Group) Fill(unit string, valid map[string]int) []PopulationFill {
	out := make([]PopulationFill, len(g.Populations))
	short := map[string]int{}
	for i := range g.Populations {
		p := &g.Populations[i]
		out[i] = PopulationFill{Population: p, Valid: valid[p.Code]}
		if p.SubstituteFor != "" {
			continue
		}
		out[i].Quota = g.PopulationQuota(p, unit)
		out[i].Counted = min(out[i].Valid, out[i].Quota)
		short[p.Code] = out[i].Quota - out[i].Counted
	}
	for i := range out {
		p := out[i].Population
		if p.SubstituteFor == "" {
			continue
		}
		n := min(out[i].Valid, short[p.SubstituteFor])
		if p.Cap != nil {
			n = min(n, *p.Cap)
		}
		out[i].Counted = n
		short[p.SubstituteFor] -= n
	}
	return out
}

// populationQuota is the group's quota when its populations set it: the sum of theirs.
func populationQuota(g *Group) int {
	n := 0
	for _, p := range g.Populations {
		if p.SubstituteFor == "" {
			n += p.Quota
		}
	}
	return n
}

// checkPopulations checks a group made of several populations on one form: codes and names,
// quotas that add up to the group's, substitutes that name a population, and the respondent
// field that records who answered, whose options are exactly the populations' names.
func (l *loader) checkPopulations(d *Definition, f, p string, g *Group, form *Questionnaire) {
	if len(g.Populations) == 0 {
		if g.PopulationField != "" {
			l.add(f, p+".population_field", "population_field chỉ dùng cùng populations")
		}
		return
	}
	if g.Imported() {
		l.add(f, p+".populations", "nhóm nhập điểm không chia đối tượng")
		return
	}
	codes, names := map[string]bool{}, map[string]bool{}
	for i, pop := range g.Populations {
		pp := fmt.Sprintf("%s.populations[%d]", p, i)
		switch {
		case strings.TrimSpace(pop.Code) == "":
			l.add(f, pp+".code", "đối tượng thiếu mã")
		case codes[pop.Code]:
			l.add(f, pp+".code", "trùng mã đối tượng %q", pop.Code)
		}
		codes[pop.Code] = true
		switch {
		case strings.TrimSpace(pop.Name) == "":
			l.add(f, pp+".name", "đối tượng %s thiếu tên", pop.Code)
		case names[pop.Name]:
			l.add(f, pp+".name", "trùng tên đối tượng %q", pop.Name)
		}
		names[pop.Name] = true
		if pop.Quota < 0 {
			l.add(f, pp+".quota", "chỉ tiêu không được âm")
		}
		if pop.Cap != nil && pop.SubstituteFor == "" {
			l.add(f, pp+".cap", "cap chỉ dùng cho đối tượng thay thế (substitute_for)")
		}
		if pop.Cap != nil && *pop.Cap < 0 {
			l.add(f, pp+".cap", "mức tối đa không được âm")
		}
		if pop.SubstituteFor == "" {
			if pop.Quota < 1 {
				l.add(f, pp+".quota", "chỉ tiêu của đối tượng %s phải từ 1 trở lên (đối tượng thay thế thì khai báo substitute_for)", pop.Code)
			}
			continue
		}
		if pop.Quota != 0 {
			l.add(f, pp+".quota", "đối tượng thay thế không có chỉ tiêu riêng: nó bù phần thiếu của %s", pop.SubstituteFor)
		}
		switch t := g.Population(pop.SubstituteFor); {
		case t == nil:
			l.add(f, pp+".substitute_for", "không có đối tượng mã %q trong nhóm %s", pop.SubstituteFor, g.Code)
		case t.SubstituteFor != "" || t.Code == pop.Code:
			l.add(f, pp+".substitute_for", "đối tượng %s không thể thay cho %s, vốn là đối tượng thay thế", pop.Code, t.Code)
		}
	}
	if sum := populationQuota(g); g.Quota != sum {
		l.add(f, p+".quota", "chỉ tiêu của nhóm %s là %d nhưng chỉ tiêu các đối tượng cộng lại %d (bỏ quota để lấy tổng)", g.Code, g.Quota, sum)
	}
	for _, unit := range sortedKeys(g.QuotaOverrides) {
		if g.QuotaOverrides[unit] != 0 {
			l.add(f, p+".quota_overrides."+unit, "nhóm chia đối tượng chỉ dùng quota_overrides bằng 0 (không đánh giá đơn vị); chỉ tiêu riêng đặt trong từng đối tượng")
		}
	}
	if form == nil {
		return
	}
	if form.Shape == ShapeMatrix {
		l.add(f, p+".populations", "phiếu ma trận không chia đối tượng")
	}
	var field *Field
	for i := range form.Fields {
		if form.Fields[i].Key == g.PopulationField {
			field = &form.Fields[i]
		}
	}
	switch {
	case g.PopulationField == "":
		l.add(f, p+".population_field", "nhóm chia đối tượng cần population_field: thông tin người trả lời trên mẫu phiếu %s cho biết ai trả lời", form.Code)
		return
	case field == nil:
		l.add(f, p+".population_field", "mẫu phiếu %s không có thông tin người trả lời key %q", form.Code, g.PopulationField)
		return
	case field.Optional:
		l.add(f, p+".population_field", "thông tin %q ghi ai trả lời nên không được để tùy chọn (optional)", g.PopulationField)
	}
	opts := map[string]bool{}
	for _, o := range field.Options {
		opts[o] = true
		if g.PopulationNamed(o) == nil {
			l.add(f, p+".population_field", "lựa chọn %q của %s (mẫu phiếu %s) không phải tên đối tượng nào của nhóm %s", o, g.PopulationField, form.Code, g.Code)
		}
	}
	for i, pop := range g.Populations {
		if pop.Name != "" && !opts[pop.Name] {
			l.add(f, fmt.Sprintf("%s.populations[%d].name", p, i), "đối tượng %q không có trong các lựa chọn của %s (mẫu phiếu %s)", pop.Name, g.PopulationField, form.Code)
		}
	}
}
