package campaign

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// FuzzLoadDefinition feeds the YAML definition loader any campaign file and questionnaire: it
// must never panic, list each problem with a message, and load a definition it accepts to the
// same digest every time. It starts from the small valid definition in testdata/valid (the
// demo's 30 KB files leave the fuzzer mutating slowly); its other questionnaire is loaded as
// it is.
func FuzzLoadDefinition(f *testing.F) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "valid", name))
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	camp, single, matrix := read(CampaignFile), read(QuestionnaireDir+"/F1.yaml"), read(QuestionnaireDir+"/M1.yaml")
	f.Add(camp, single)
	f.Add(camp, []byte("code: F1\ntitle: <script>alert(1)</script>\nshape: single\nsections: []\n"))
	f.Add([]byte("code: x\nname: <script>alert(1)</script>\nyear: 2026\n"), []byte("code: X1\nshape: matrix\n"))
	f.Add([]byte("code: &a [*a, *a]\n"), []byte("- - - - - - - -\n"))
	f.Add([]byte("code: \"\xff\xfe\"\nunknown_field: 1\nopens: 2026-02-30\n"), []byte(""))
	f.Add([]byte("code: x\nname: \"=HYPERLINK(\\\"http://x\\\")\"\n"), []byte("code: F1\ntitle: \"Nô\u0323i vu\u0323\"\n"))
	f.Fuzz(func(t *testing.T, campaignYAML, questionnaireYAML []byte) {
		m := fstest.MapFS{
			"c/" + CampaignFile:                  {Data: campaignYAML},
			"c/" + QuestionnaireDir + "/F1.yaml": {Data: questionnaireYAML},
			"c/" + QuestionnaireDir + "/M1.yaml": {Data: matrix},
		}
		def, err := Load(m, "c")
		if err != nil {
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("Load returned %T %v, want Problems", err, err)
			}
			for _, p := range ps {
				if p.Msg == "" {
					t.Fatalf("problem %+v without a message", p)
				}
			}
			return
		}
		again, err := Load(m, "c")
		if err != nil || again.Digest() != def.Digest() {
			t.Fatalf("a definition loaded once loads again to %v (digest %s, was %s)", err, again.Digest(), def.Digest())
		}
	})
}
