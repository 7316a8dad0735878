package campaign

import "testing"

// huyenTree gives the fixture's kind huyen a tree of its own, worth 30 points, whose only
// sub-criterion reuses the code 1.1.1 of the campaign's tree.
const huyenTree = `  - code: huyen
    name: Huyện, thị xã, thành phố
    survey_points: 30
    criteria:
      - code: "1"
        name: Chỉ đạo, điều hành của huyện
        points: 30
        criteria:
          - code: "1.1"
            name: Kế hoạch của huyện
            points: 30
            sub_criteria:
              - code: "1.1.1"
                name: Tính cụ thể của kế hoạch huyện
                points: 30
`

func withHuyenTree() edit {
	return replace(campaignYAML, "  - code: huyen\n    name: Huyện, thị xã, thành phố\n", huyenTree)
}

func TestKindTrees(t *testing.T) {
	t.Run("a kind with its own tree and points is scored on them, the same code meaning its own sub-criterion", func(t *testing.T) {
		d, err := loadEdited(t, withHuyenTree())
		if err != nil {
			t.Fatal(err)
		}
		if got := d.SubFor("huyen", "1.1.1"); got == nil || got.Points != MustDecimal("30") {
			t.Errorf("huyen's 1.1.1 is %+v, want 30 points", got)
		}
		if got := d.SubFor("so", "1.1.1"); got == nil || got.Points != MustDecimal("1.5") {
			t.Errorf("so's 1.1.1 is %+v, want the campaign's 1.5 points", got)
		}
		if d.SurveyPointsFor("huyen") != MustDecimal("30") || d.SurveyPointsFor("so") != MustDecimal("10") {
			t.Errorf("survey points %s and %s, want 30 (huyen) and 10 (so)", d.SurveyPointsFor("huyen"), d.SurveyPointsFor("so"))
		}
		if d.SubFor("huyen", "2.1.1") != nil {
			t.Error("huyen's tree has 2.1.1, which only the campaign's tree declares")
		}
	})
	runChecks(t, []checkCase{
		{
			name:  "a kind's tree that does not add up to the kind's survey points is refused",
			edits: []edit{withHuyenTree(), replace(campaignYAML, "    survey_points: 30\n", "    survey_points: 25\n")},
			want:  []want{{campaignYAML, 25, "unit_kinds[1].survey_points", "phần ĐTXHH của loại đơn vị huyen có 25 điểm nhưng các lĩnh vực của nó cộng lại 30"}},
		},
		{
			name:  "a kind's tree without survey points of its own adds up to the campaign's",
			edits: []edit{withHuyenTree(), replace(campaignYAML, "    survey_points: 30\n", "")},
			want:  []want{{campaignYAML, 6, "survey_points", "phần ĐTXHH của loại đơn vị huyen có 10 điểm nhưng các lĩnh vực của nó cộng lại 30"}},
		},
		{
			name:  "a kind's survey points outside (0, 100] are refused",
			edits: []edit{withHuyenTree(), replace(campaignYAML, "    survey_points: 30\n", "    survey_points: 130\n")},
			want: []want{
				{campaignYAML, 25, "unit_kinds[1].survey_points", "điểm phần ĐTXHH của loại đơn vị huyen phải trong (0, 100], đang là 130"},
				{campaignYAML, 25, "unit_kinds[1].survey_points", "có 130 điểm nhưng các lĩnh vực của nó cộng lại 30"},
			},
		},
		{
			name:  "a kind with its own points on the campaign's tree is told to declare a tree of its own",
			edits: []edit{replace(campaignYAML, "    name: Huyện, thị xã, thành phố\n", "    name: Huyện, thị xã, thành phố\n    survey_points: 30\n")},
			want:  []want{{campaignYAML, 25, "unit_kinds[1].survey_points", "khai báo criteria riêng dưới loại đơn vị này"}},
		},
		{
			name:  "two sub-criteria with one code inside one kind's tree are refused",
			edits: []edit{withHuyenTree(), replace(campaignYAML, "                points: 30\n", "                points: 15\n              - code: \"1.1.1\"\n                name: Lặp lại\n                points: 15\n")},
			want:  []want{{campaignYAML, 38, "unit_kinds[1].criteria[0].criteria[0].sub_criteria[1].code", `trùng mã tiêu chí "1.1.1"`}},
		},
		{
			name:  "a question feeding a sub-criterion that only another kind's tree has is refused",
			edits: []edit{withHuyenTree(), replace(m1YAML, `feeds: "1.1.1"`, `feeds: "2.1.1"`)},
			want: []want{
				{m1YAML, 9, "sections[0].questions[0].feeds", `tiêu chí thành phần "2.1.1" không có trong cây tiêu chí của loại đơn vị "huyen" mà nhóm G2 dùng mẫu phiếu này đánh giá`},
				{campaignYAML, 35, "unit_kinds[1].criteria[0].criteria[0].sub_criteria[0]", "tiêu chí thành phần 1.1.1 không có câu hỏi nào"},
			},
		},
		{
			name:  "an imported group feeding a sub-criterion outside its kind's tree is refused",
			edits: []edit{withHuyenTree(), replace(campaignYAML, "    evaluates: so\n    channels: [imported]", "    evaluates: huyen\n    channels: [imported]")},
			want: []want{
				{campaignYAML, 67, "groups[2].feeds[0]", `tiêu chí thành phần "2.1.1" không có trong cây tiêu chí của loại đơn vị "huyen"`},
				{campaignYAML, 91, "criteria[1].criteria[0].sub_criteria[0]", "tiêu chí thành phần 2.1.1 không có câu hỏi nào"},
			},
		},
		{
			name: "when every kind has its own tree and points, the campaign needs neither",
			edits: []edit{
				withHuyenTree(),
				replace(campaignYAML, "survey_points: 10\n", ""),
				replace(campaignYAML, "  - code: so\n    name: Sở, ban, ngành\n", "  - code: so\n    name: Sở, ban, ngành\n    survey_points: 10\n    criteria:\n      - code: \"1\"\n        name: Chỉ đạo\n        points: 4\n        criteria:\n          - code: \"1.1\"\n            name: Kế hoạch\n            points: 4\n            sub_criteria:\n              - {code: \"1.1.1\", name: Tính cụ thể, points: 1.5}\n              - {code: \"1.1.2\", name: Tính khả thi, points: 2.5}\n      - code: \"2\"\n        name: Thủ tục\n        points: 6\n        criteria:\n          - code: \"2.1\"\n            name: Giải quyết\n            points: 6\n            sub_criteria:\n              - {code: \"2.1.1\", name: Đúng hạn, points: 6}\n"),
				replaceBetween(campaignYAML, "criteria:\n  - code: \"1\"\n    name: Công tác", "scales:", ""),
			},
		},
	})
}

func TestAnUnusedCampaignTreeIsFlagged(t *testing.T) {
	// Both kinds with a tree of their own: so takes the campaign's tree copied under it.
	d, err := loadEdited(t, withHuyenTree(), replace(campaignYAML, "  - code: so\n    name: Sở, ban, ngành\n", "  - code: so\n    name: Sở, ban, ngành\n    survey_points: 10\n    criteria:\n      - code: \"1\"\n        name: Chỉ đạo\n        points: 4\n        criteria:\n          - code: \"1.1\"\n            name: Kế hoạch\n            points: 4\n            sub_criteria:\n              - {code: \"1.1.1\", name: Tính cụ thể, points: 1.5}\n              - {code: \"1.1.2\", name: Tính khả thi, points: 2.5}\n      - code: \"2\"\n        name: Thủ tục\n        points: 6\n        criteria:\n          - code: \"2.1\"\n            name: Giải quyết\n            points: 6\n            sub_criteria:\n              - {code: \"2.1.1\", name: Đúng hạn, points: 6}\n"))
	if err != nil {
		t.Fatalf("a campaign tree no kind uses stopped the load: %v", err)
	}
	assertProblems(t, d.Warnings, []want{{campaignYAML, 89, "criteria", "cây criteria chung không được dùng để tính điểm"}})
}
