package campaign

import (
	"fmt"
	"strings"
	"testing"
)

// withPopulations makes the fixture's G1 a group of two populations and a substitute on F1,
// recorded in a respondent field doi_tuong; its quota comes from theirs.
func withPopulations() []edit {
	return []edit{
		replace(f1YAML, "respondent_fields:\n", "respondent_fields:\n  - key: doi_tuong\n    label: Ông/Bà là\n    options: [Đại biểu, Lãnh đạo, Công chức]\n"),
		replace(campaignYAML, "    quota: 5\n    channels: [paper]\n    quota_overrides:\n      STP: 3\n",
			"    channels: [paper]\n    population_field: doi_tuong\n    populations:\n      - {code: DB, name: Đại biểu, quota: 15}\n      - {code: LD, name: Lãnh đạo, quota: 2}\n      - {code: CC, name: Công chức, substitute_for: LD, cap: 1}\n"),
	}
}

func TestPopulations(t *testing.T) {
	d, err := loadEdited(t, withPopulations()...)
	if err != nil {
		t.Fatal(err)
	}
	g := d.Group("G1")
	t.Run("the group's quota is its populations' together, substitutes aside", func(t *testing.T) {
		if g.Quota != 17 || g.QuotaFor("SNV") != 17 {
			t.Errorf("quota %d, want 15 + 2", g.Quota)
		}
	})
	fill := func(valid map[string]int) string {
		var parts []string
		for _, f := range g.Fill("SNV", valid) {
			parts = append(parts, fmt.Sprintf("%s %d/%d→%d", f.Population.Code, f.Valid, f.Quota, f.Counted))
		}
		return strings.Join(parts, ", ")
	}
	for _, c := range []struct {
		name  string
		valid map[string]int
		want  string
	}{
		{"each population fills its own quota and no more", map[string]int{"DB": 17, "LD": 2}, "DB 17/15→15, LD 2/2→2, CC 0/0→0"},
		{"a substitute fills what its population left, up to its cap", map[string]int{"DB": 15, "CC": 3}, "DB 15/15→15, LD 0/2→0, CC 3/0→1"},
		{"a substitute counts for nothing once its population is full", map[string]int{"LD": 2, "CC": 2}, "DB 0/15→0, LD 2/2→2, CC 2/0→0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := fill(c.valid); got != c.want {
				t.Errorf("fill %s, want %s", got, c.want)
			}
		})
	}
	runChecks(t, []checkCase{
		{
			name:  "a group quota that disagrees with its populations is refused",
			edits: append(withPopulations(), replace(campaignYAML, "    channels: [paper]\n    population_field", "    quota: 5\n    channels: [paper]\n    population_field")),
			want:  []want{{campaignYAML, 40, "groups[0].quota", "chỉ tiêu của nhóm G1 là 5 nhưng chỉ tiêu các đối tượng cộng lại 17"}},
		},
		{
			name:  "a population that is not an option of the field, and an option that is no population, are refused",
			edits: append(withPopulations(), replace(f1YAML, "options: [Đại biểu, Lãnh đạo, Công chức]", "options: [Đại biểu, Lãnh đạo, Khác]")),
			want: []want{
				{campaignYAML, 41, "groups[0].population_field", `lựa chọn "Khác" của doi_tuong (mẫu phiếu F1) không phải tên đối tượng nào của nhóm G1`},
				{campaignYAML, 45, "groups[0].populations[2].name", `đối tượng "Công chức" không có trong các lựa chọn của doi_tuong`},
			},
		},
		{
			name:  "a substitute naming no population, with a quota of its own, is refused",
			edits: append(withPopulations(), replace(campaignYAML, "substitute_for: LD, cap: 1", "substitute_for: XX, quota: 2")),
			want: []want{
				{campaignYAML, 45, "groups[0].populations[2].quota", "đối tượng thay thế không có chỉ tiêu riêng"},
				{campaignYAML, 45, "groups[0].populations[2].substitute_for", `không có đối tượng mã "XX" trong nhóm G1`},
			},
		},
		{
			name:  "a field that is missing from the form is refused",
			edits: append(withPopulations(), replace(campaignYAML, "population_field: doi_tuong", "population_field: vai_tro")),
			want:  []want{{campaignYAML, 41, "groups[0].population_field", `mẫu phiếu F1 không có thông tin người trả lời key "vai_tro"`}},
		},
		{
			name:  "a quota override other than 0 is refused on a group of populations",
			edits: append(withPopulations(), replace(campaignYAML, "substitute_for: LD, cap: 1}\n", "substitute_for: LD, cap: 1}\n    quota_overrides: {STP: 3, SNV: 0}\n")),
			want:  []want{{campaignYAML, 46, "groups[0].quota_overrides.STP", "nhóm chia đối tượng chỉ dùng quota_overrides bằng 0"}},
		},
	})
}
