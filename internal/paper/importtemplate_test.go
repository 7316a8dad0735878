package paper

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
)

// hostileDemo loads the demo campaign, through the real loader and its checks, with a unit
// named like a formula and a field label starting with a tab.
func hostileDemo(t *testing.T) *campaign.Definition {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(forms.FS, "demo", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(forms.FS, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for file, r := range map[string][2]string{
		"demo/campaign.yaml":           {"name: Sở Nội vụ\n", `name: '=HYPERLINK("http://evil.example","x")'` + "\n"},
		"demo/questionnaires/CH2.yaml": {"label: Giới tính\n", `label: "\tGiới tính"` + "\n"},
	} {
		text := string(m[file].Data)
		if !strings.Contains(text, r[0]) {
			t.Fatalf("demo changed: no %q in %s", r[0], file)
		}
		m[file].Data = []byte(strings.Replace(text, r[0], r[1], 1))
	}
	def, err := campaign.Load(m, "demo")
	if err != nil {
		t.Fatal(err)
	}
	return def
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
