package scorerun

import (
	"testing"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
)

func TestMethodStatesEachKindsSurveyPoints(t *testing.T) {
	for _, c := range []struct {
		name, dir string
		want      []MethodKindPoints
	}{
		{"the 2026 demo's agencies and communes have their own points", forms.Demo,
			[]MethodKindPoints{{Kind: "so", Name: "Sở, ban, ngành", Points: "32"}, {Kind: "xa", Name: "Xã, phường, đặc khu", Points: "30"}}},
		{"the three-level example's kinds share the campaign's", forms.Demo3Cap, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			def, err := campaign.Load(forms.FS, c.dir)
			if err != nil {
				t.Fatal(err)
			}
			m := MethodOf(def)
			if m.SurveyPoints != "32" {
				t.Errorf("campaign points %s", m.SurveyPoints)
			}
			if len(m.SurveyPointsByKind) != len(def.Kinds) {
				t.Fatalf("%d kinds stated, want %d", len(m.SurveyPointsByKind), len(def.Kinds))
			}
			for i, k := range m.SurveyPointsByKind {
				want := MethodKindPoints{Kind: def.Kinds[i].Code, Name: def.Kinds[i].Name, Points: "32"}
				if c.want != nil {
					want = c.want[i]
				}
				if k != want {
					t.Errorf("kind %d: %+v, want %+v", i, k, want)
				}
			}
		})
	}
}
