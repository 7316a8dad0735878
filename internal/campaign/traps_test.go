package campaign

import (
	"fmt"
	"strings"
	"testing"
)

// distinctLabels is "Nhóm 1, Nhóm 2, …, " for a one-line list of n options that differ.
func distinctLabels(prefix string, n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%s %d, ", prefix, i)
	}
	return b.String()
}

func TestTraps(t *testing.T) {
	runChecks(t, []checkCase{
		{
			name: "one question code feeding one sub-criterion with two weights on two forms of a kind is refused",
			edits: []edit{
				replace(campaignYAML, "evaluates: huyen\n    form: M1", "evaluates: so\n    form: M1"),
				replace(campaignYAML, "kind: huyen\n    name: Huyện An Hòa", "kind: so\n    name: Huyện An Hòa"),
				replace(campaignYAML, "  - code: huyen\n    name: Huyện, thị xã, thành phố\n", ""),
				replace(m1YAML, "        feeds: \"1.1.1\"\n", "        feeds: \"1.1.1\"\n        weight: 2\n"),
			},
			want: []want{{m1YAML, 10, "sections[0].questions[0].weight",
				`câu Q1 cho điểm tiêu chí thành phần 1.1.1 với trọng số 2, nhưng trên mẫu phiếu F1 là 1: cùng mã và cùng tiêu chí thành phần là một câu hỏi trên mọi mẫu phiếu của loại đơn vị "so"`}},
		},
		{
			name:  "the same code with two weights is two questions when the forms score two kinds",
			edits: []edit{replace(m1YAML, "        feeds: \"1.1.1\"\n", "        feeds: \"1.1.1\"\n        weight: 2\n")},
		},
		{
			name:  "two options of a respondent detail that read the same are refused",
			edits: []edit{replace(f1YAML, "options: [Nam, Nữ]", "options: [Nam, Nữ, nam ]")},
			want:  []want{{f1YAML, 8, "respondent_fields[0].options[2]", `lựa chọn "nam" trùng với lựa chọn thứ 1 ("Nam")`}},
		},
		{
			name:  "two answer options that read the same are refused",
			edits: []edit{replace(f1YAML, "{label: Không, weight: 0}", "{label: Có, weight: 0}")},
			want:  []want{{f1YAML, 21, "sections[0].questions[1].options[1]", `lựa chọn "Có" trùng với lựa chọn thứ 1 ("Có")`}},
		},
	})
}

func TestWarnings(t *testing.T) {
	cases := []struct {
		name  string
		edits []edit
		want  []want
	}{
		{
			name:  "a one-line list split at the comma of an option is flagged with the quoted spelling",
			edits: []edit{replace(f1YAML, "options: [Nam, Nữ]", "options: [Phường, xã, thị trấn, Đặc khu]")},
			want: []want{{f1YAML, 8, "respondent_fields[0].options[1]",
				`danh sách viết trên một dòng được tách ở mỗi dấu phẩy: "Phường" và "xã" thành hai mục; nếu là một mục, đặt trong ngoặc kép: "Phường, xã"`}},
		},
		{
			name:  "a quoted option holding a comma is not flagged",
			edits: []edit{replace(f1YAML, "options: [Nam, Nữ]", `options: [Phường, "xã, thị trấn", Đặc khu]`)},
		},
		{
			name:  "a year that is neither the opening nor the closing year is flagged",
			edits: []edit{replace(campaignYAML, "year: 2026", "year: 2027")},
			want:  []want{{campaignYAML, 3, "year", "năm 2027 không khớp với thời gian khảo sát 01/11/2026 – 31/12/2026"}},
		},
		{
			name:  "a survey of one year that runs into the next is not flagged",
			edits: []edit{replace(campaignYAML, "closes: 2026-12-31", "closes: 2027-01-15")},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := loadEdited(t, c.edits...)
			if err != nil {
				t.Fatalf("a warning stopped the load: %v", err)
			}
			assertProblems(t, d.Warnings, c.want)
		})
	}
}
