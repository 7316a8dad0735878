package campaign

import (
	"strings"
	"testing"
)

func TestCheckMatrixMinUnits(t *testing.T) {
	g2 := func(line string) edit {
		return replace(campaignYAML, "    quota: 4\n    channels: [online]\n", "    quota: 4\n    channels: [online]\n"+line)
	}
	runChecks(t, []checkCase{
		{
			name:  "a minimum larger than the kind's units is refused",
			edits: []edit{g2("    min_units: 2\n")},
			want:  []want{{campaignYAML, 50, "groups[1].min_units", `nhóm G2 cần ít nhất 2 đơn vị trên mỗi phiếu nhưng loại "huyen" chỉ có 1 đơn vị`}},
		},
		{
			name:  "a negative minimum is refused",
			edits: []edit{g2("    min_units: -1\n")},
			want:  []want{{campaignYAML, 50, "groups[1].min_units", "số đơn vị tối thiểu không được âm"}},
		},
		{
			name:  "a minimum on a single-unit form is refused",
			edits: []edit{replace(campaignYAML, "    quota: 5\n    channels: [paper]\n", "    quota: 5\n    channels: [paper]\n    min_units: 1\n")},
			want:  []want{{campaignYAML, 42, "groups[0].min_units", "min_units chỉ dùng cho nhóm trả lời phiếu ma trận; mẫu F1 là phiếu một đơn vị"}},
		},
	})
	t.Run("a minimum the kind can meet loads", func(t *testing.T) {
		d, err := loadEdited(t, g2("    min_units: 1\n"))
		if err != nil {
			t.Fatal(err)
		}
		if g := d.Group("G2"); g.MinUnits != 1 {
			t.Errorf("min_units %d, want 1", g.MinUnits)
		}
	})
}

func TestUnitSubset(t *testing.T) {
	d, err := loadEdited(t,
		replace(campaignYAML, "  - code: H01\n    kind: huyen\n    name: Huyện An Hòa\n",
			"  - code: H01\n    kind: huyen\n    name: Huyện An Hòa\n  - code: H02\n    kind: huyen\n    name: Huyện Bình Sơn\n  - code: H03\n    kind: huyen\n    name: Huyện Cát Lâm\n"),
		replace(campaignYAML, "    quota: 4\n    channels: [online]\n", "    quota: 4\n    channels: [online]\n    min_units: 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	g2 := d.Group("G2")
	for _, c := range []struct {
		name, list, want, err string
	}{
		{"a list comes back in definition order, codes matched without regard to case", "h03; H01", "H01,H03", ""},
		{"an unknown code is named", "H01, H09", "", `không có đơn vị "H09" trong đợt khảo sát`},
		{"a unit of another kind is refused", "H01 SNV", "", `đơn vị SNV (Sở Nội vụ) thuộc loại "so", nhóm G2 chỉ đánh giá loại "huyen"`},
		{"a unit twice is refused", "H01,H02,h01", "", "đơn vị H01 ghi hai lần trong danh sách"},
		{"fewer units than the group's minimum are refused", "H02", "", "nhóm G2 cần ít nhất 2 đơn vị trên mỗi phiếu, danh sách mới có 1"},
		{"an empty list is refused", " , ", "", "danh sách đơn vị của phiếu đang trống"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := d.UnitSubset(g2, SplitUnitList(c.list))
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || strings.Join(got, ",") != c.want {
				t.Fatalf("subset %v (%v), want %s", got, err, c.want)
			}
			var names []string
			for _, u := range d.MatrixUnits(g2, got) {
				names = append(names, u.Code)
			}
			if strings.Join(names, ",") != c.want {
				t.Errorf("matrix units %v, want %s", names, c.want)
			}
		})
	}
	t.Run("a single-unit group takes no list", func(t *testing.T) {
		if _, err := d.UnitSubset(d.Group("G1"), []string{"SNV"}); err == nil || !strings.Contains(err.Error(), "chỉ phiếu ma trận") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("a matrix form issued without a list covers every unit of the kind", func(t *testing.T) {
		if n := len(d.MatrixUnits(g2, nil)); n != 3 {
			t.Errorf("%d units, want 3", n)
		}
	})
}
