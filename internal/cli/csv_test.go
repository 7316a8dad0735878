package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readCSV reads back a file the command line wrote, with its byte order mark.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestCSVFilesFromTheCommandLineNeutraliseFormulas(t *testing.T) {
	const hyperlink = `=HYPERLINK("http://evil.example","x")`
	src := copyDir(t, "../../forms/demo-3cap")
	path := filepath.Join(src, "campaign.yaml")
	b, _ := os.ReadFile(path)
	yaml := string(b)
	for _, r := range [][2]string{
		{"name: Sở Nội vụ\n", "name: '" + hyperlink + "'\n"},
		{"name: Lãnh đạo cấp phòng và tương đương thuộc sở, ban, ngành\n", `name: "@Lãnh đạo cấp phòng"` + "\n"},
		{"name: Sở, ban, ngành\n", `name: "+Sở, ban, ngành"` + "\n"},
	} {
		if !strings.Contains(yaml, r[0]) {
			t.Fatalf("demo changed: no %q", r[0])
		}
		yaml = strings.Replace(yaml, r[0], r[1], 1)
	}
	os.WriteFile(path, []byte(yaml), 0o644)
	dir := t.TempDir()
	env := map[string]string{"PARSURVEY_DB": filepath.Join(dir, "cli.db"), "PARSURVEY_BASE_URL": "https://khaosat.example.vn"}
	for _, args := range [][]string{
		{"load", src},
		{"issue", "demo-2026", "--group", "S2", "--unit", "SNV"},
		{"forms", "demo-2026", "--out", filepath.Join(dir, "list.csv")},
		{"score", "demo-2026", "--out", filepath.Join(dir, "diem.csv")},
	} {
		if out, err := runCLI(t, env, args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	list := readCSV(t, filepath.Join(dir, "list.csv"))
	var scores []string
	for _, r := range readCSV(t, filepath.Join(dir, "diem.csv")) {
		if len(r) > 3 && r[2] == "SNV" {
			scores = r
		}
	}
	if len(list) < 2 || scores == nil {
		t.Fatalf("no SNV line: list %q, scores %q", list, scores)
	}
	tests := []struct {
		name, got, want string
	}{
		{"the distribution list quotes a group name starting with an at sign", list[1][2], "'@Lãnh đạo cấp phòng"},
		{"the distribution list quotes a unit named like a formula", list[1][4], "'" + hyperlink},
		{"the scores quote a unit named like a formula", scores[3], "'" + hyperlink},
		{"the scores quote a kind of unit starting with a plus sign", scores[0], "'+Sở, ban, ngành"},
		{"the distribution list leaves the form code as it is", list[1][0][:len("S2-SNV-")], "S2-SNV-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("cell %q, want %q", tt.got, tt.want)
			}
		})
	}
	t.Run("the scores leave the rank a number", func(t *testing.T) {
		if scores[1] == "" || strings.Trim(scores[1], "0123456789") != "" {
			t.Errorf("rank %q", scores[1])
		}
	})
}
