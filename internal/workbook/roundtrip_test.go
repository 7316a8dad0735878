package workbook

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// campaignDirs lists every campaign folder under forms/ (embedded or not) and the workbook
// tests' own, so that a definition added later is round-tripped too.
func campaignDirs(t *testing.T) map[string]*campaign.Definition {
	t.Helper()
	out := map[string]*campaign.Definition{}
	formsDir := os.DirFS("../../forms")
	err := fs.WalkDir(formsDir, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Base(p) != campaign.CampaignFile {
			return err
		}
		def, err := campaign.Load(formsDir, path.Dir(p))
		if err != nil {
			t.Fatalf("forms/%s does not load: %v", path.Dir(p), err)
		}
		out["forms/"+path.Dir(p)] = def
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	def, err := campaign.Load(os.DirFS("testdata"), "small")
	if err != nil {
		t.Fatalf("testdata/small does not load: %v", err)
	}
	out["testdata/small"] = def
	if len(out) < 2 {
		t.Fatalf("found only %d definitions", len(out))
	}
	return out
}

// sameDefinition fails unless a and b are the same definition, showing the first difference of
// their JSON (which is what Digest fingerprints).
func sameDefinition(t *testing.T, want, got *campaign.Definition) {
	t.Helper()
	if want.Digest() == got.Digest() {
		return
	}
	a, _ := json.MarshalIndent(want, "", " ")
	b, _ := json.MarshalIndent(got, "", " ")
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			from := max(0, i-6)
			t.Fatalf("definitions differ at JSON line %d:\nwant:\n%s\ngot:\n%s", i+1,
				strings.Join(al[from:min(len(al), i+3)], "\n"), strings.Join(bl[from:min(len(bl), i+3)], "\n"))
		}
	}
	t.Fatalf("definitions differ in length: %d and %d JSON lines", len(al), len(bl))
}

func TestEveryShippedDefinitionSurvivesTheWorkbook(t *testing.T) {
	for name, def := range campaignDirs(t) {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, def); err != nil {
				t.Fatal(err)
			}
			got, err := Read(buf.Bytes())
			if err != nil {
				t.Fatalf("the written workbook does not read back:\n%v", err)
			}
			sameDefinition(t, def, got)

			// YAML → XLSX → YAML: the zip of YAML written from the workbook's definition loads
			// as the same definition again.
			var zip bytes.Buffer
			if err := WriteYAMLZip(&zip, got); err != nil {
				t.Fatal(err)
			}
			again, err := ReadYAMLZip(zip.Bytes())
			if err != nil {
				t.Fatalf("the YAML written from the workbook does not load:\n%v", err)
			}
			sameDefinition(t, def, again)
		})
	}
}
