package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestIssueMatrixFormsForAListOfUnits(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PARSURVEY_DB": filepath.Join(dir, "cli.db"), "PARSURVEY_BASE_URL": "https://khaosat.example.vn"}
	loadDemo(t, env)
	for _, c := range []struct {
		name string
		args []string
		want string
		fail bool
	}{
		{"a list issues its count", []string{"--group", "S1", "--units", "SNV,STP", "--count", "3"}, "Đã phát thêm 3 phiếu", false},
		{"the same list again issues nothing", []string{"--group", "S1", "--units", "STP, SNV", "--count", "3"}, "Đã phát thêm 0 phiếu", false},
		{"an unknown unit is named", []string{"--group", "S1", "--units", "SNV,SXX"}, `"SXX"`, true},
		{"a list needs a group", []string{"--units", "SNV"}, "--units cần --group", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := runCLI(t, env, append([]string{"issue", "demo-2026"}, c.args...)...)
			text := out
			if err != nil {
				text += err.Error()
			}
			if (err != nil) != c.fail || !strings.Contains(text, c.want) {
				t.Fatalf("err %v, out %q; want %q", err, out, c.want)
			}
		})
	}
}
