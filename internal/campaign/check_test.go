package campaign

import "testing"

// Each case breaks one thing in the valid fixture (testdata/valid) and lists every problem the
// checker must report, in order, with file, line, path and a part of the message.

type checkCase struct {
	name  string
	edits []edit
	want  []want
}

func runChecks(t *testing.T, cases []checkCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadEdited(t, c.edits...)
			assertProblems(t, err, c.want)
		})
	}
}

func TestCampaignHeaderChecks(t *testing.T) {
	runChecks(t, []checkCase{
		{
			name:  "a campaign without a code is refused",
			edits: []edit{replace(campaignYAML, "code: test-2026", `code: ""`)},
			want:  []want{{campaignYAML, 1, "code", "thiếu mã đợt khảo sát"}},
		},
		{
			name:  "a campaign whose name is blank is refused",
			edits: []edit{replace(campaignYAML, "name: Đợt khảo sát thử", `name: "  "`)},
			want:  []want{{campaignYAML, 2, "name", "thiếu tên đợt khảo sát"}},
		},
		{
			name:  "a year before 2000 is refused",
			edits: []edit{replace(campaignYAML, "year: 2026", "year: 1926")},
			want:  []want{{campaignYAML, 3, "year", "năm 1926 không hợp lý"}},
		},
		{
			name:  "a missing year is refused",
			edits: []edit{replace(campaignYAML, "year: 2026\n", "")},
			want:  []want{{campaignYAML, 0, "year", "năm 0 không hợp lý"}},
		},
		{
			name:  "a missing opening day is refused",
			edits: []edit{replace(campaignYAML, "opens: 2026-11-01\n", "")},
			want:  []want{{campaignYAML, 0, "opens", "thiếu ngày mở khảo sát"}},
		},
		{
			name:  "a missing closing day is refused",
			edits: []edit{replace(campaignYAML, "closes: 2026-12-31\n", "")},
			want:  []want{{campaignYAML, 0, "closes", "thiếu ngày kết thúc khảo sát"}},
		},
		{
			name:  "a closing day before the opening day is refused",
			edits: []edit{replace(campaignYAML, "closes: 2026-12-31", "closes: 2026-10-31")},
			want:  []want{{campaignYAML, 5, "closes", "ngày kết thúc trước ngày mở"}},
		},
		{
			name:  "a campaign may open and close on the same day",
			edits: []edit{replace(campaignYAML, "closes: 2026-12-31", "closes: 2026-11-01")},
		},
		{
			name:  "a day written dd/mm/yyyy is refused on its line",
			edits: []edit{replace(campaignYAML, "opens: 2026-11-01", "opens: 01/11/2026")},
			want:  []want{{campaignYAML, 4, "opens", `ngày "01/11/2026" phải có dạng YYYY-MM-DD`}},
		},
		{
			name:  "a day that does not exist is refused",
			edits: []edit{replace(campaignYAML, "closes: 2026-12-31", "closes: 2026-02-30")},
			want:  []want{{campaignYAML, 5, "closes", `ngày "2026-02-30" phải có dạng YYYY-MM-DD`}},
		},
		{
			name: "every bad day of a file is reported, not only the first",
			edits: []edit{
				replace(campaignYAML, "opens: 2026-11-01", "opens: 2026-13-01"),
				replace(campaignYAML, "closes: 2026-12-31", "closes: 31-12-2026"),
			},
			want: []want{
				{campaignYAML, 4, "opens", `ngày "2026-13-01"`},
				{campaignYAML, 5, "closes", `ngày "31-12-2026"`},
			},
		},
		{
			name:  "zero survey points are refused",
			edits: []edit{replace(campaignYAML, "survey_points: 10", "survey_points: 0")},
			want: []want{
				{campaignYAML, 6, "survey_points", "điểm phần ĐTXHH phải trong (0, 100], đang là 0"},
				{campaignYAML, 6, "survey_points", "phần ĐTXHH có 0 điểm nhưng các lĩnh vực cộng lại 10"},
			},
		},
		{
			name:  "survey points above 100 are refused",
			edits: []edit{replace(campaignYAML, "survey_points: 10", "survey_points: 100.5")},
			want: []want{
				{campaignYAML, 6, "survey_points", "đang là 100.5"},
				{campaignYAML, 6, "survey_points", "phần ĐTXHH có 100.5 điểm nhưng các lĩnh vực cộng lại 10"},
			},
		},
	})
}

func TestBandChecks(t *testing.T) {
	runChecks(t, []checkCase{
		{
			name:  "a band without a name is refused",
			edits: []edit{replace(campaignYAML, "{code: A, name: Tốt, min_percent: 90}", `{code: A, name: "", min_percent: 90}`)},
			want:  []want{{campaignYAML, 8, "bands[0]", "xếp loại cần có mã và tên"}},
		},
		{
			name:  "a band without a code is refused",
			edits: []edit{replace(campaignYAML, "{code: B, name: Khá, min_percent: 50}", "{name: Khá, min_percent: 50}")},
			want:  []want{{campaignYAML, 9, "bands[1]", "xếp loại cần có mã và tên"}},
		},
		{
			name:  "a band threshold above 100% is refused",
			edits: []edit{replace(campaignYAML, "min_percent: 90", "min_percent: 120")},
			want:  []want{{campaignYAML, 8, "bands[0].min_percent", "ngưỡng 120% nằm ngoài [0, 100]"}},
		},
		{
			name:  "a negative band threshold is refused",
			edits: []edit{replace(campaignYAML, "min_percent: 50", "min_percent: -10")},
			want:  []want{{campaignYAML, 9, "bands[1].min_percent", "ngưỡng -10% nằm ngoài [0, 100]"}},
		},
		{
			name:  "bands listed from the lowest threshold up are refused",
			edits: []edit{replace(campaignYAML, "min_percent: 50", "min_percent: 95")},
			want:  []want{{campaignYAML, 9, "bands[1].min_percent", "các xếp loại phải theo ngưỡng giảm dần (95% sau 90%)"}},
		},
		{
			name:  "two bands with the same threshold are refused",
			edits: []edit{replace(campaignYAML, "min_percent: 50", "min_percent: 90")},
			want:  []want{{campaignYAML, 9, "bands[1].min_percent", "(90% sau 90%)"}},
		},
		{
			name:  "a campaign may have no bands at all",
			edits: []edit{replaceBetween(campaignYAML, "bands:\n", "scoring:", "")},
		},
	})
}

func TestSettingChecks(t *testing.T) {
	runChecks(t, []checkCase{
		{
			name:  "an unknown treatment of don't-know answers is refused",
			edits: []edit{replace(campaignYAML, "dont_know: exclude", "dont_know: skip")},
			want:  []want{{campaignYAML, 11, "scoring.dont_know", `giá trị "skip" không hợp lệ (exclude hoặc zero)`}},
		},
		{
			name:  "an unknown treatment of blank answers is refused",
			edits: []edit{replace(campaignYAML, "  blank: exclude", "  blank: ignore")},
			want:  []want{{campaignYAML, 12, "scoring.blank", `giá trị "ignore" không hợp lệ (exclude hoặc zero)`}},
		},
		{
			name:  "an unknown way of combining groups is refused",
			edits: []edit{replace(campaignYAML, "combine: group_weights", "combine: average")},
			want:  []want{{campaignYAML, 13, "scoring.combine", `giá trị "average" không hợp lệ (group_weights hoặc pooled)`}},
		},
		{
			name:  "a negative minimum of forms is refused",
			edits: []edit{replace(campaignYAML, "min_forms: 1", "min_forms: -1")},
			want:  []want{{campaignYAML, 14, "scoring.min_forms", "số phiếu tối thiểu phải từ 1 trở lên"}},
		},
		{
			name:  "an answered share above 100% is refused",
			edits: []edit{replace(campaignYAML, "min_answered_percent: 70", "min_answered_percent: 120")},
			want:  []want{{campaignYAML, 16, "rules.min_answered_percent", "tỷ lệ 120% nằm ngoài [0, 100]"}},
		},
		{
			name:  "a negative answered share is refused",
			edits: []edit{replace(campaignYAML, "min_answered_percent: 70", "min_answered_percent: -5")},
			want:  []want{{campaignYAML, 16, "rules.min_answered_percent", "tỷ lệ -5% nằm ngoài [0, 100]"}},
		},
		{
			name:  "a negative honorarium per form is refused",
			edits: []edit{replace(campaignYAML, "per_form: 10000", "per_form: -10000")},
			want:  []want{{campaignYAML, 17, "honoraria", "mức thù lao không được âm"}},
		},
		{
			name:  "a negative honorarium per unit is refused",
			edits: []edit{replace(campaignYAML, "per_unit: 200000", "per_unit: -1")},
			want:  []want{{campaignYAML, 17, "honoraria", "mức thù lao không được âm"}},
		},
		{
			name: "counting missing answers as zero and pooling groups are accepted",
			edits: []edit{
				replace(campaignYAML, "dont_know: exclude", "dont_know: zero"),
				replace(campaignYAML, "  blank: exclude", "  blank: zero"),
				replace(campaignYAML, "combine: group_weights", "combine: pooled"),
			},
		},
	})
}

func TestUnitKindChecks(t *testing.T) {
	runChecks(t, []checkCase{
		{
			// Dropping the kinds shifts every later line up by 4.
			name:  "a campaign without unit kinds is refused, and so is every unit and group naming one",
			edits: []edit{replaceBetween(campaignYAML, "unit_kinds:\n", "units:", "unit_kinds: []\n")},
			want: []want{
				{campaignYAML, 20, "unit_kinds", "chưa khai báo loại đơn vị nào"},
				{campaignYAML, 23, "units[0].kind", `loại đơn vị "so" chưa khai báo trong unit_kinds`},
				{campaignYAML, 26, "units[1].kind", `loại đơn vị "so" chưa khai báo trong unit_kinds`},
				{campaignYAML, 29, "units[2].kind", `loại đơn vị "huyen" chưa khai báo trong unit_kinds`},
				{campaignYAML, 34, "groups[0].evaluates", `loại đơn vị "so" chưa khai báo`},
				{campaignYAML, 42, "groups[1].evaluates", `loại đơn vị "huyen" chưa khai báo`},
				{campaignYAML, 48, "groups[2].evaluates", `loại đơn vị "so" chưa khai báo`},
			},
		},
		{
			name:  "a unit kind without a name is refused",
			edits: []edit{replace(campaignYAML, "name: Sở, ban, ngành", `name: ""`)},
			want:  []want{{campaignYAML, 21, "unit_kinds[0]", "loại đơn vị cần có mã và tên"}},
		},
		{
			name:  "two unit kinds with one code are refused",
			edits: []edit{replace(campaignYAML, "  - code: huyen\n", "  - code: so\n")},
			want: []want{
				{campaignYAML, 23, "unit_kinds[1].code", `trùng mã loại đơn vị "so"`},
				{campaignYAML, 33, "units[2].kind", `loại đơn vị "huyen" chưa khai báo`},
				{campaignYAML, 46, "groups[1].evaluates", `loại đơn vị "huyen" chưa khai báo`},
			},
		},
	})
}

func TestUnitChecks(t *testing.T) {
	runChecks(t, []checkCase{
		{
			// Dropping the units shifts every later line up by 9.
			name:  "a campaign without units is refused, and so is every group left with nothing to evaluate",
			edits: []edit{replaceBetween(campaignYAML, "units:\n", "groups:", "units: []\n")},
			want: []want{
				{campaignYAML, 25, "units", "chưa khai báo đơn vị được đánh giá nào"},
				{campaignYAML, 29, "groups[0].evaluates", `không có đơn vị nào thuộc loại "so"`},
				{campaignYAML, 34, "groups[0].quota_overrides.STP", `đơn vị "STP" không tồn tại`},
				{campaignYAML, 37, "groups[1].evaluates", `không có đơn vị nào thuộc loại "huyen"`},
				{campaignYAML, 43, "groups[2].evaluates", `không có đơn vị nào thuộc loại "so"`},
			},
		},
		{
			name:  "a unit code in lower case is refused",
			edits: []edit{replace(campaignYAML, "code: SNV", "code: snv")},
			want:  []want{{campaignYAML, 26, "units[0].code", `mã đơn vị "snv" phải gồm 1–6 chữ in hoa hoặc chữ số`}},
		},
		{
			name:  "a unit code longer than six characters is refused",
			edits: []edit{replace(campaignYAML, "code: SNV", "code: SNOIVU1")},
			want:  []want{{campaignYAML, 26, "units[0].code", `mã đơn vị "SNOIVU1" phải gồm 1–6 chữ`}},
		},
		{
			name:  "a unit code with the letter O, which form codes read as zero, is refused",
			edits: []edit{replace(campaignYAML, "code: SNV", "code: SOV")},
			want:  []want{{campaignYAML, 26, "units[0].code", `mã đơn vị "SOV" phải gồm 1–6 chữ in hoa hoặc chữ số (không dùng chữ O)`}},
		},
		{
			name:  "a unit may not take the matrix forms' code MT",
			edits: []edit{replace(campaignYAML, "code: SNV", "code: MT")},
			want:  []want{{campaignYAML, 26, "units[0].code", `mã đơn vị "MT" dành cho phiếu ma trận`}},
		},
		{
			name:  "a unit code with Vietnamese letters is refused",
			edits: []edit{replace(campaignYAML, "code: SNV", "code: SỞNV")},
			want:  []want{{campaignYAML, 26, "units[0].code", `mã đơn vị "SỞNV"`}},
		},
		{
			name:  "two units with one code are refused",
			edits: []edit{replace(campaignYAML, "code: STP", "code: SNV")},
			want: []want{
				{campaignYAML, 29, "units[1].code", `trùng mã đơn vị "SNV"`},
				{campaignYAML, 43, "groups[0].quota_overrides.STP", `đơn vị "STP" không tồn tại`},
			},
		},
		{
			name:  "a unit of an undeclared kind is refused",
			edits: []edit{replace(campaignYAML, "    kind: so\n    name: Sở Nội vụ", "    kind: phong\n    name: Sở Nội vụ")},
			want:  []want{{campaignYAML, 27, "units[0].kind", `loại đơn vị "phong" chưa khai báo trong unit_kinds`}},
		},
		{
			name:  "a unit without a name is refused",
			edits: []edit{replace(campaignYAML, "name: Sở Nội vụ", `name: ""`)},
			want:  []want{{campaignYAML, 28, "units[0].name", "thiếu tên đơn vị SNV"}},
		},
		{
			name:  "a parent unit that does not exist is refused",
			edits: []edit{replace(campaignYAML, "name: Huyện An Hòa", "name: Huyện An Hòa\n    parent: XYZ")},
			want:  []want{{campaignYAML, 35, "units[2].parent", `đơn vị cấp trên "XYZ" không tồn tại`}},
		},
		{
			name: "parents that form a loop are refused on every unit of the loop",
			edits: []edit{
				replace(campaignYAML, "name: Sở Nội vụ", "name: Sở Nội vụ\n    parent: STP"),
				replace(campaignYAML, "name: Sở Tư pháp", "name: Sở Tư pháp\n    parent: SNV"),
			},
			want: []want{
				{campaignYAML, 29, "units[0].parent", "quan hệ cấp trên của SNV tạo thành vòng lặp"},
				{campaignYAML, 33, "units[1].parent", "quan hệ cấp trên của STP tạo thành vòng lặp"},
			},
		},
		{
			name:  "a unit that is its own parent is refused",
			edits: []edit{replace(campaignYAML, "name: Huyện An Hòa", "name: Huyện An Hòa\n    parent: H01")},
			want:  []want{{campaignYAML, 35, "units[2].parent", "quan hệ cấp trên của H01 tạo thành vòng lặp"}},
		},
		{
			name: "a parent chain through a missing unit reports the missing unit without crashing",
			edits: []edit{
				replace(campaignYAML, "name: Sở Nội vụ", "name: Sở Nội vụ\n    parent: STP"),
				replace(campaignYAML, "name: Sở Tư pháp", "name: Sở Tư pháp\n    parent: XYZ"),
			},
			want: []want{{campaignYAML, 33, "units[1].parent", `đơn vị cấp trên "XYZ" không tồn tại`}},
		},
		{
			name:  "a unit may name an existing parent",
			edits: []edit{replace(campaignYAML, "name: Sở Nội vụ", "name: Sở Nội vụ\n    parent: STP")},
		},
	})
}

func TestCriteriaChecks(t *testing.T) {
	runChecks(t, []checkCase{
		{
			name:  "a campaign without criteria is refused, and so is everything that feeds one",
			edits: []edit{replaceBetween(campaignYAML, "criteria:\n  - code: \"1\"", "scales:", "criteria: []\n")},
			want: []want{
				{campaignYAML, 55, "criteria", "chưa khai báo lĩnh vực nào"},
				{f1YAML, 14, "sections[0].questions[0].feeds", `tiêu chí thành phần "1.1.1" không tồn tại`},
				{f1YAML, 18, "sections[0].questions[1].feeds", `tiêu chí thành phần "1.1.2" không tồn tại`},
				{m1YAML, 9, "sections[0].questions[0].feeds", `tiêu chí thành phần "1.1.1" không tồn tại`},
				{campaignYAML, 54, "groups[2].feeds[0]", `tiêu chí thành phần "2.1.1" không tồn tại`},
			},
		},
		{
			name:  "an area without criteria is refused",
			edits: []edit{replaceBetween(campaignYAML, "    criteria:\n      - code: \"2.1\"", "scales:", "    criteria: []\n")},
			want: []want{
				{campaignYAML, 70, "criteria[1]", "lĩnh vực 2 chưa có tiêu chí nào"},
				{campaignYAML, 54, "groups[2].feeds[0]", `tiêu chí thành phần "2.1.1" không tồn tại`},
			},
		},
		{
			name:  "a criterion without sub-criteria is refused",
			edits: []edit{replaceBetween(campaignYAML, "        sub_criteria:\n          - code: \"2.1.1\"", "scales:", "        sub_criteria: []\n")},
			want: []want{
				{campaignYAML, 74, "criteria[1].criteria[0]", "tiêu chí 2.1 chưa có tiêu chí thành phần nào"},
				{campaignYAML, 54, "groups[2].feeds[0]", `tiêu chí thành phần "2.1.1" không tồn tại`},
			},
		},
		{
			name:  "a criterion without a code is refused",
			edits: []edit{replace(campaignYAML, `code: "1.1"`+"\n", `code: ""`+"\n")},
			want:  []want{{campaignYAML, 60, "criteria[0].criteria[0].code", "thiếu mã"}},
		},
		{
			name:  "two areas with one code are refused",
			edits: []edit{replace(campaignYAML, `code: "2"`+"\n", `code: "1"`+"\n")},
			want:  []want{{campaignYAML, 70, "criteria[1].code", `trùng mã tiêu chí "1"`}},
		},
		{
			name:  "two criteria with one code are refused",
			edits: []edit{replace(campaignYAML, `code: "2.1"`+"\n", `code: "1.1"`+"\n")},
			want:  []want{{campaignYAML, 74, "criteria[1].criteria[0].code", `trùng mã tiêu chí "1.1"`}},
		},
		{
			name:  "two sub-criteria with one code are refused",
			edits: []edit{replace(campaignYAML, `code: "1.1.2"`, `code: "1.1.1"`)},
			want: []want{
				{campaignYAML, 67, "criteria[0].criteria[0].sub_criteria[1].code", `trùng mã tiêu chí "1.1.1"`},
				{f1YAML, 18, "sections[0].questions[1].feeds", `tiêu chí thành phần "1.1.2" không tồn tại`},
			},
		},
		{
			name:  "a sub-criterion may not reuse the code of a criterion",
			edits: []edit{replace(campaignYAML, `code: "1.1.2"`, `code: "2.1"`)},
			want: []want{
				{campaignYAML, 74, "criteria[1].criteria[0].code", `trùng mã tiêu chí "2.1"`},
				{f1YAML, 18, "sections[0].questions[1].feeds", `tiêu chí thành phần "1.1.2" không tồn tại`},
				{campaignYAML, 67, "criteria[0].criteria[0].sub_criteria[1]", "tiêu chí thành phần 2.1 không có câu hỏi nào"},
			},
		},
		{
			name:  "a sub-criterion worth zero points is refused",
			edits: []edit{replace(campaignYAML, "points: 1.5", "points: 0")},
			want: []want{
				{campaignYAML, 66, "criteria[0].criteria[0].sub_criteria[0].points", "điểm tối đa của 1.1.1 phải lớn hơn 0"},
				{campaignYAML, 62, "criteria[0].criteria[0].points", "tiêu chí 1.1 có 4 điểm nhưng các tiêu chí thành phần cộng lại 2.5"},
			},
		},
		{
			name:  "sub-criteria that do not add up to their criterion are refused",
			edits: []edit{replace(campaignYAML, "points: 2.5", "points: 2")},
			want:  []want{{campaignYAML, 62, "criteria[0].criteria[0].points", "tiêu chí 1.1 có 4 điểm nhưng các tiêu chí thành phần cộng lại 3.5"}},
		},
		{
			name: "criteria that do not add up to their area are refused",
			edits: []edit{
				replace(campaignYAML, "name: Kế hoạch cải cách hành chính\n        points: 4", "name: Kế hoạch cải cách hành chính\n        points: 3"),
				replace(campaignYAML, "points: 2.5", "points: 1.5"),
			},
			want: []want{{campaignYAML, 58, "criteria[0].points", "lĩnh vực 1 có 4 điểm nhưng các tiêu chí cộng lại 3"}},
		},
		{
			name:  "areas that do not add up to the survey points are refused",
			edits: []edit{replace(campaignYAML, "survey_points: 10", "survey_points: 12")},
			want:  []want{{campaignYAML, 6, "survey_points", "phần ĐTXHH có 12 điểm nhưng các lĩnh vực cộng lại 10"}},
		},
		{
			name: "an area whose points are off is refused at both its own level and the total",
			edits: []edit{
				replace(campaignYAML, "name: Công tác chỉ đạo, điều hành\n    points: 4", "name: Công tác chỉ đạo, điều hành\n    points: 5"),
			},
			want: []want{
				{campaignYAML, 58, "criteria[0].points", "lĩnh vực 1 có 5 điểm nhưng các tiêu chí cộng lại 4"},
				{campaignYAML, 6, "survey_points", "phần ĐTXHH có 10 điểm nhưng các lĩnh vực cộng lại 11"},
			},
		},
		{
			name: "points with four decimals add up exactly",
			edits: []edit{
				replace(campaignYAML, "points: 1.5", "points: 1.3333"),
				replace(campaignYAML, "points: 2.5", "points: 2.6667"),
			},
		},
	})
}

func TestScaleAndOptionChecks(t *testing.T) {
	const lastOption = "      - {label: Không biết / không có ý kiến, dont_know: true}\n"
	runChecks(t, []checkCase{
		{
			name:  "a scale without a code is refused, and so are the questions that named it",
			edits: []edit{replace(campaignYAML, "code: bon-muc", `code: ""`)},
			want: []want{
				{campaignYAML, 82, "scales[0].code", "thang đo thiếu mã"},
				{f1YAML, 15, "sections[0].questions[0].scale", `thang đo "bon-muc" không tồn tại`},
				{m1YAML, 10, "sections[0].questions[0].scale", `thang đo "bon-muc" không tồn tại`},
			},
		},
		{
			name: "two scales with one code are refused",
			edits: []edit{replace(campaignYAML, lastOption, lastOption+
				"  - code: bon-muc\n    options:\n      - {label: Có, weight: 1}\n      - {label: Không, weight: 0}\n")},
			want: []want{{campaignYAML, 89, "scales[1].code", `trùng mã thang đo "bon-muc"`}},
		},
		{
			name:  "an option weight above 1 is refused",
			edits: []edit{replace(campaignYAML, "{label: Tốt, weight: 1}", "{label: Tốt, weight: 1.5}")},
			want:  []want{{campaignYAML, 84, "scales[0].options[0].weight", "trọng số 1.5 nằm ngoài [0, 1]"}},
		},
		{
			name:  "a negative option weight is refused",
			edits: []edit{replace(campaignYAML, "{label: Kém, weight: 0}", "{label: Kém, weight: -0.2}")},
			want:  []want{{campaignYAML, 87, "scales[0].options[3].weight", "trọng số -0.2 nằm ngoài [0, 1]"}},
		},
		{
			name:  "an inline option weight outside [0, 1] is refused",
			edits: []edit{replace(f1YAML, "{label: Có, weight: 1}", "{label: Có, weight: 2}")},
			want:  []want{{f1YAML, 20, "sections[0].questions[1].options[0].weight", "trọng số 2 nằm ngoài [0, 1]"}},
		},
		{
			name:  "an option without a weight is refused",
			edits: []edit{replace(campaignYAML, "{label: Kém, weight: 0}", "{label: Kém}")},
			want:  []want{{campaignYAML, 87, "scales[0].options[3].weight", `thiếu trọng số cho phương án "Kém"`}},
		},
		{
			name:  "a don't-know option with a weight is refused",
			edits: []edit{replace(campaignYAML, "dont_know: true}", "dont_know: true, weight: 0}")},
			want:  []want{{campaignYAML, 88, "scales[0].options[4].weight", `phương án "không biết" không có trọng số`}},
		},
		{
			name:  "an option without a label is refused",
			edits: []edit{replace(campaignYAML, "{label: Khá, weight: 0.6}", `{label: "", weight: 0.6}`)},
			want:  []want{{campaignYAML, 85, "scales[0].options[1].label", "phương án thiếu nội dung"}},
		},
		{
			name:  "a question with a single option is refused",
			edits: []edit{replace(f1YAML, "          - {label: Không, weight: 0}\n", "")},
			want:  []want{{f1YAML, 19, "sections[0].questions[1].options", "cần ít nhất 2 phương án trả lời"}},
		},
		{
			name: "more than nine options are refused, since each is keyed with one digit",
			edits: []edit{replace(f1YAML, "          - {label: Không, weight: 0}\n", "          - {label: Không, weight: 0}\n"+
				"          - {label: A3, weight: 0}\n          - {label: A4, weight: 0}\n          - {label: A5, weight: 0}\n"+
				"          - {label: A6, weight: 0}\n          - {label: A7, weight: 0}\n          - {label: A8, weight: 0}\n"+
				"          - {label: A9, weight: 0}\n          - {label: A10, weight: 0}\n")},
			want: []want{{f1YAML, 19, "sections[0].questions[1].options", "tối đa 9 phương án"}},
		},
		{
			name: "options of which none carries a weight are refused",
			edits: []edit{
				replace(f1YAML, "{label: Có, weight: 1}", "{label: Có, dont_know: true}"),
				replace(f1YAML, "{label: Không, weight: 0}", "{label: Không, dont_know: true}"),
			},
			want: []want{{f1YAML, 19, "sections[0].questions[1].options", "không có phương án nào có trọng số"}},
		},
		{
			name:  "a question with neither a scale nor options is refused",
			edits: []edit{replaceBetween(f1YAML, "        options:\n", "thanks:", "")},
			want:  []want{{f1YAML, 16, "sections[0].questions[1].options", "cần ít nhất 2 phương án trả lời"}},
		},
	})
}

func TestQuestionnaireChecks(t *testing.T) {
	runChecks(t, []checkCase{
		{
			name:  "a questionnaire code with a space is refused with a legal spelling, and so is the group using it",
			edits: []edit{replace(f1YAML, "code: F1", "code: Mẫu 01CT/2016")},
			want: []want{
				{f1YAML, 1, "code", `mã mẫu phiếu "Mẫu 01CT/2016" không dùng được: có khoảng trắng (chỉ gồm chữ cái không dấu, chữ số và các dấu _ - . /, bắt đầu bằng chữ hoặc số, tối đa 32 ký tự); gợi ý: Mau_01CT/2016`},
				{campaignYAML, 39, "groups[0].form", `mẫu phiếu "F1" không tồn tại`},
			},
		},
		{
			name:  "two questionnaires with one code are refused in the second file",
			edits: []edit{replace(m1YAML, "code: M1", "code: F1")},
			want: []want{
				{m1YAML, 1, "code", `trùng mã mẫu phiếu "F1" với valid/questionnaires/F1.yaml`},
				{campaignYAML, 42, "groups[0].quota_overrides", "phiếu dạng ma trận"},
				{campaignYAML, 47, "groups[1].form", `mẫu phiếu "M1" không tồn tại`},
			},
		},
		{
			name:  "a questionnaire without a title is refused",
			edits: []edit{replace(f1YAML, "title: PHIẾU KHẢO SÁT THỬ", `title: ""`)},
			want:  []want{{f1YAML, 2, "title", "thiếu tiêu đề phiếu"}},
		},
		{
			name:  "an unknown questionnaire shape is refused",
			edits: []edit{replace(f1YAML, "shape: single", "shape: grid")},
			want:  []want{{f1YAML, 4, "shape", `dạng phiếu "grid" không hợp lệ (single hoặc matrix)`}},
		},
		{
			name:  "a questionnaire without a shape is taken to be about one unit",
			edits: []edit{replace(f1YAML, "shape: single\n", "")},
		},
		{
			name:  "a respondent detail without a label is refused",
			edits: []edit{replace(f1YAML, "label: Giới tính", `label: ""`)},
			want:  []want{{f1YAML, 6, "respondent_fields[0]", "thông tin người trả lời cần có key và label"}},
		},
		{
			name:  "two respondent details with one key are refused",
			edits: []edit{replace(f1YAML, "    options: [Nam, Nữ]\n", "    options: [Nam, Nữ]\n  - key: gioi_tinh\n    label: Phái\n    options: [Nam, Nữ]\n")},
			want:  []want{{f1YAML, 9, "respondent_fields[1].key", `trùng key "gioi_tinh"`}},
		},
		{
			name:  "a respondent detail with a single choice is refused",
			edits: []edit{replace(f1YAML, "options: [Nam, Nữ]", "options: [Nam]")},
			want:  []want{{f1YAML, 8, "respondent_fields[0].options", "cần ít nhất 2 lựa chọn"}},
		},
		{
			name:  "a question without a code is refused",
			edits: []edit{replace(f1YAML, "code: Q1", `code: ""`)},
			want:  []want{{f1YAML, 12, "sections[0].questions[0].code", "câu hỏi thiếu mã"}},
		},
		{
			name:  "two questions with one code are refused",
			edits: []edit{replace(f1YAML, "code: Q2", "code: Q1")},
			want:  []want{{f1YAML, 16, "sections[0].questions[1].code", `trùng mã câu hỏi "Q1"`}},
		},
		{
			name: "two questions with one code in different sections are refused",
			edits: []edit{replace(f1YAML, "thanks:", "  - title: II. KHÁC\n    questions:\n      - code: Q1\n"+
				"        text: Câu hỏi khác.\n        feeds: \"1.1.1\"\n        scale: bon-muc\nthanks:")},
			want: []want{{f1YAML, 24, "sections[1].questions[0].code", `trùng mã câu hỏi "Q1"`}},
		},
		{
			name:  "a question without text is refused",
			edits: []edit{replace(f1YAML, "text: Kế hoạch cải cách hành chính có cụ thể không?", `text: " "`)},
			want:  []want{{f1YAML, 13, "sections[0].questions[0].text", "câu hỏi Q1 thiếu nội dung"}},
		},
		{
			name:  "a question feeding an unknown sub-criterion is refused",
			edits: []edit{replace(f1YAML, `feeds: "1.1.1"`, `feeds: "1.1.9"`)},
			want:  []want{{f1YAML, 14, "sections[0].questions[0].feeds", `tiêu chí thành phần "1.1.9" không tồn tại`}},
		},
		{
			name:  "a question weight of zero is refused",
			edits: []edit{replace(f1YAML, "        scale: bon-muc\n", "        scale: bon-muc\n        weight: 0\n")},
			want:  []want{{f1YAML, 16, "sections[0].questions[0].weight", "trọng số câu hỏi phải lớn hơn 0"}},
		},
		{
			name:  "a question with both a scale and its own options is refused",
			edits: []edit{replace(f1YAML, "        scale: bon-muc\n", "        scale: bon-muc\n        options:\n          - {label: Có, weight: 1}\n          - {label: Không, weight: 0}\n")},
			want:  []want{{f1YAML, 12, "sections[0].questions[0]", "câu Q1 vừa có scale vừa có options: chỉ dùng một"}},
		},
		{
			name:  "a question naming an unknown scale is refused",
			edits: []edit{replace(f1YAML, "scale: bon-muc", "scale: nam-muc")},
			want:  []want{{f1YAML, 15, "sections[0].questions[0].scale", `thang đo "nam-muc" không tồn tại`}},
		},
		{
			name:  "a questionnaire without questions is refused",
			edits: []edit{replaceBetween(m1YAML, "sections:\n", "thanks:", "sections: []\n")},
			want:  []want{{m1YAML, 4, "sections", "mẫu phiếu M1 chưa có câu hỏi nào"}},
		},
	})
}

func TestGroupChecks(t *testing.T) {
	runChecks(t, []checkCase{
		{
			// Dropping the groups shifts every later line up by 19.
			name:  "a campaign without groups is refused, and so is the sub-criterion only a group fed",
			edits: []edit{replaceBetween(campaignYAML, "groups:\n", "criteria:\n  - code: \"1\"", "groups: []\n")},
			want: []want{
				{campaignYAML, 35, "groups", "chưa khai báo nhóm đối tượng nào"},
				{campaignYAML, 59, "criteria[1].criteria[0].sub_criteria[0]", "tiêu chí thành phần 2.1.1 không có câu hỏi nào hay nhóm nhập điểm nào cho điểm"},
			},
		},
		{
			name:  "a group code in lower case is refused",
			edits: []edit{replace(campaignYAML, "code: G1", "code: g1")},
			want:  []want{{campaignYAML, 36, "groups[0].code", `mã nhóm "g1" phải gồm 1–6 chữ in hoa hoặc chữ số`}},
		},
		{
			name:  "two groups with one code are refused",
			edits: []edit{replace(campaignYAML, "code: G2", "code: G1")},
			want:  []want{{campaignYAML, 44, "groups[1].code", `trùng mã nhóm "G1"`}},
		},
		{
			name:  "a group without a name is refused",
			edits: []edit{replace(campaignYAML, "name: Lãnh đạo cấp phòng thuộc sở", `name: ""`)},
			want:  []want{{campaignYAML, 37, "groups[0].name", "thiếu tên nhóm G1"}},
		},
		{
			name:  "a group evaluating an undeclared kind is refused, and so are its quota overrides",
			edits: []edit{replace(campaignYAML, "evaluates: so\n    form: F1", "evaluates: xa\n    form: F1")},
			want: []want{
				{campaignYAML, 38, "groups[0].evaluates", `loại đơn vị "xa" chưa khai báo`},
				{campaignYAML, 43, "groups[0].quota_overrides.STP", `đơn vị STP thuộc loại "so", nhóm G1 chỉ đánh giá loại "xa"`},
			},
		},
		{
			name:  "a group evaluating a kind that has no units is refused",
			edits: []edit{replace(campaignYAML, "kind: huyen\n    name: Huyện An Hòa", "kind: so\n    name: Huyện An Hòa")},
			want:  []want{{campaignYAML, 46, "groups[1].evaluates", `không có đơn vị nào thuộc loại "huyen"`}},
		},
		{
			name:  "a negative group weight is refused",
			edits: []edit{replace(campaignYAML, "    quota: 5\n", "    quota: 5\n    weight: -1\n")},
			want:  []want{{campaignYAML, 41, "groups[0].weight", "trọng số nhóm không được âm"}},
		},
		{
			name:  "a group weight of zero is accepted",
			edits: []edit{replace(campaignYAML, "    quota: 5\n", "    quota: 5\n    weight: 0\n")},
		},
		{
			name:  "a group without channels is refused",
			edits: []edit{replace(campaignYAML, "channels: [paper]", "channels: []")},
			want:  []want{{campaignYAML, 41, "groups[0].channels", "nhóm G1 chưa có kênh thu thập (online, paper, imported)"}},
		},
		{
			name:  "an unknown channel is refused",
			edits: []edit{replace(campaignYAML, "channels: [paper]", "channels: [paper, fax]")},
			want:  []want{{campaignYAML, 41, "groups[0].channels[1]", `kênh "fax" không hợp lệ (online, paper, imported)`}},
		},
		{
			name:  "a group may collect both online and on paper",
			edits: []edit{replace(campaignYAML, "channels: [paper]", "channels: [online, paper]")},
		},
		{
			name:  "an imported group that also collects forms is refused",
			edits: []edit{replace(campaignYAML, "channels: [imported]", "channels: [imported, online]")},
			want:  []want{{campaignYAML, 53, "groups[2].channels", "nhóm nhập điểm (imported) không dùng kênh khác"}},
		},
		{
			name:  "an imported group with a form is refused",
			edits: []edit{replace(campaignYAML, "    channels: [imported]\n", "    form: F1\n    channels: [imported]\n")},
			want:  []want{{campaignYAML, 53, "groups[2].form", "nhóm nhập điểm không dùng mẫu phiếu"}},
		},
		{
			name:  "an imported group feeding an unknown sub-criterion is refused",
			edits: []edit{replace(campaignYAML, `feeds: ["2.1.1"]`, `feeds: ["2.1.9"]`)},
			want: []want{
				{campaignYAML, 54, "groups[2].feeds[0]", `tiêu chí thành phần "2.1.9" không tồn tại`},
				{campaignYAML, 78, "criteria[1].criteria[0].sub_criteria[0]", "tiêu chí thành phần 2.1.1 không có câu hỏi nào"},
			},
		},
		{
			name:  "an imported group without feeds scores every sub-criterion",
			edits: []edit{replace(campaignYAML, "    feeds: [\"2.1.1\"]\n", "")},
		},
		{
			name:  "a group that collects forms may not declare feeds",
			edits: []edit{replace(campaignYAML, "    channels: [paper]\n", "    channels: [paper]\n    feeds: [\"1.1.1\"]\n")},
			want:  []want{{campaignYAML, 42, "groups[0].feeds", "chỉ nhóm nhập điểm mới khai báo feeds"}},
		},
		{
			name:  "a quota of zero is refused for a group that collects forms",
			edits: []edit{replace(campaignYAML, "quota: 5", "quota: 0")},
			want:  []want{{campaignYAML, 40, "groups[0].quota", "chỉ tiêu số phiếu của nhóm G1 phải từ 1 trở lên"}},
		},
		{
			name:  "a group naming an unknown form is refused",
			edits: []edit{replace(campaignYAML, "form: F1", "form: F9")},
			want:  []want{{campaignYAML, 39, "groups[0].form", `mẫu phiếu "F9" không tồn tại`}},
		},
		{
			name:  "a group that collects forms without naming one is refused",
			edits: []edit{replace(campaignYAML, "    form: F1\n", "")},
			want:  []want{{campaignYAML, 36, "groups[0].form", `mẫu phiếu "" không tồn tại`}},
		},
		{
			name:  "per-unit quotas on a matrix form are refused",
			edits: []edit{replace(campaignYAML, "    quota: 4\n", "    quota: 4\n    quota_overrides:\n      H01: 2\n")},
			want:  []want{{campaignYAML, 49, "groups[1].quota_overrides", "phiếu dạng ma trận đánh giá mọi đơn vị cùng lúc"}},
		},
		{
			name:  "a quota override for an unknown unit is refused",
			edits: []edit{replace(campaignYAML, "STP: 3", "XYZ: 3")},
			want:  []want{{campaignYAML, 43, "groups[0].quota_overrides.XYZ", `đơn vị "XYZ" không tồn tại`}},
		},
		{
			name:  "a quota override on a unit of another kind is refused",
			edits: []edit{replace(campaignYAML, "STP: 3", "H01: 3")},
			want:  []want{{campaignYAML, 43, "groups[0].quota_overrides.H01", `đơn vị H01 thuộc loại "huyen", nhóm G1 chỉ đánh giá loại "so"`}},
		},
		{
			name:  "a negative quota override is refused",
			edits: []edit{replace(campaignYAML, "STP: 3", "STP: -1")},
			want:  []want{{campaignYAML, 43, "groups[0].quota_overrides.STP", "chỉ tiêu không được âm"}},
		},
		{
			name:  "problems with several quota overrides are listed in unit-code order",
			edits: []edit{replace(campaignYAML, "STP: 3", "ZZZ: 1\n      AAA: 2")},
			want: []want{
				{campaignYAML, 44, "groups[0].quota_overrides.AAA", `đơn vị "AAA" không tồn tại`},
				{campaignYAML, 43, "groups[0].quota_overrides.ZZZ", `đơn vị "ZZZ" không tồn tại`},
			},
		},
		{
			name:  "a quota override of zero leaves a unit out of a group",
			edits: []edit{replace(campaignYAML, "STP: 3", "STP: 0")},
		},
	})
}

func TestCoverageChecks(t *testing.T) {
	runChecks(t, []checkCase{
		{
			name:  "a sub-criterion that no question or imported group feeds is refused",
			edits: []edit{replace(f1YAML, `feeds: "1.1.2"`, `feeds: "1.1.1"`)},
			want:  []want{{campaignYAML, 67, "criteria[0].criteria[0].sub_criteria[1]", "tiêu chí thành phần 1.1.2 không có câu hỏi nào hay nhóm nhập điểm nào cho điểm"}},
		},
		{
			name:  "a question without feeds scores nothing",
			edits: []edit{replace(f1YAML, "        feeds: \"1.1.2\"\n", "")},
			want:  []want{{campaignYAML, 67, "criteria[0].criteria[0].sub_criteria[1]", "tiêu chí thành phần 1.1.2 không có câu hỏi nào"}},
		},
	})
}
