package paper

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// hostileDemo loads the demo campaign, through the real loader and its checks, with a unit
// named like a formula and a field label starting with a tab.
func hostileDemo(t *testing.T) *campaign.Definition {
	return testenv.EditedDemo(t,
		testenv.Edit{File: "campaign.yaml", Old: "name: Sở Nội vụ\n", New: `name: '=HYPERLINK("http://evil.example","x")'` + "\n"},
		testenv.Edit{File: "questionnaires/CH2.yaml", Old: "label: Giới tính\n", New: `label: "\tGiới tính"` + "\n"})
}

// The template's cells are the importer's column names (ma_phieu, ngay_nhan, r_<key>, q_<code>),
// which never start like a formula whatever the campaign's names: the neutralising writer must
// leave every one of them as the importer expects it.
func TestTemplateCSVKeepsTheImportColumns(t *testing.T) {
	def := hostileDemo(t)
	for _, g := range def.Groups {
		if g.Imported() {
			continue
		}
		t.Run("the template of group "+g.Code+" reads back as the importer's columns", func(t *testing.T) {
			l, err := TemplateLayout(def, g.Code)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := l.WriteTemplateCSV(&buf); err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1 || !slices.Equal(recs[0], l.Columns()) {
				t.Errorf("template %q, want the columns %q", recs, l.Columns())
			}
		})
	}
}
