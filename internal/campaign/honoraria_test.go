package campaign

import (
	"encoding/json"
	"testing"
)

const planHonoraria = `honoraria:
  per_form: 10000
  per_unit: 200000
  respondent:
    default: 5000
    by_kind: {huyen: 10000}
    by_group: {G1: 20000}
  enumerator:
    by_kind: {huyen: 300000}
  online: true
`

func withHonoraria(block string) edit {
	return replaceBetween(campaignYAML, "honoraria:\n", "unit_kinds:", block)
}

func TestHonoraria(t *testing.T) {
	t.Run("rates read as plans state them: per respondent form by group or level, per unit by level", func(t *testing.T) {
		d, err := loadEdited(t, withHonoraria(planHonoraria))
		if err != nil {
			t.Fatal(err)
		}
		h := d.Honoraria
		for _, c := range []struct {
			group string
			want  int64
		}{{"G1", 20000}, {"G2", 10000}} {
			if got := h.RespondentRate(d.Group(c.group)); got != c.want {
				t.Errorf("respondent of %s is paid %d, want %d", c.group, got, c.want)
			}
		}
		g := Group{Code: "G9", Evaluates: "so"}
		if got := h.RespondentRate(&g); got != 5000 {
			t.Errorf("a group without a rate of its own or of its level is paid %d, want the default 5000", got)
		}
		if h.EnumeratorUnitRate("huyen") != 300000 || h.EnumeratorUnitRate("so") != 200000 {
			t.Errorf("per unit %d (huyen), %d (so); want 300000 and the older per_unit 200000", h.EnumeratorUnitRate("huyen"), h.EnumeratorUnitRate("so"))
		}
		if !h.Counts(ChannelOnline) || !h.Counts(ChannelPaper) || h.Counts(ChannelSIPAS) {
			t.Error("with online: true, online and paper forms count and imported ratios do not")
		}
	})
	t.Run("older plans keep per_form and per_unit paid to the enumerator, and their digest", func(t *testing.T) {
		d, err := loadEdited(t)
		if err != nil {
			t.Fatal(err)
		}
		h := d.Honoraria
		if h.PerForm != 10000 || h.EnumeratorUnitRate("so") != 200000 || h.RespondentRate(d.Group("G1")) != 0 {
			t.Errorf("older rates read as %+v", h)
		}
		if h.Counts(ChannelOnline) || !h.Counts(ChannelPaper) {
			t.Error("by default only paper forms earn per-form honoraria")
		}
		b, _ := json.Marshal(h)
		if got := string(b); got != `{"per_form":10000,"per_unit":200000}` {
			t.Errorf("older rates marshal as %s: the stored digest would change", got)
		}
	})
	runChecks(t, []checkCase{
		{
			name:  "rates for an undeclared level, an unknown or imported group, or paid to enumerators by group are refused",
			edits: []edit{withHonoraria("honoraria:\n  respondent:\n    by_kind: {xa: 10000}\n    by_group: {G3: 5000, G9: 5000}\n  enumerator:\n    by_group: {G1: 1}\n")},
			want: []want{
				{campaignYAML, 19, "honoraria.respondent.by_kind.xa", `loại đơn vị "xa" chưa khai báo trong unit_kinds`},
				{campaignYAML, 20, "honoraria.respondent.by_group.G3", "nhóm G3 nhập kết quả từ SIPAS, không có phiếu để trả thù lao"},
				{campaignYAML, 20, "honoraria.respondent.by_group.G9", `nhóm "G9" không tồn tại`},
				{campaignYAML, 22, "honoraria.enumerator.by_group.G1", "không theo nhóm: dùng by_kind"},
			},
		},
		{
			name:  "a negative rate is refused where it is written",
			edits: []edit{withHonoraria("honoraria:\n  respondent:\n    default: -1\n    by_kind: {so: -5}\n")},
			want: []want{
				{campaignYAML, 19, "honoraria.respondent.default", "mức thù lao không được âm"},
				{campaignYAML, 20, "honoraria.respondent.by_kind.so", "mức thù lao không được âm"},
			},
		},
	})
}
