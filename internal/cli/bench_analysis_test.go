package cli

import (
	"path/filepath"
	"regexp"
	"testing"
)

func TestBenchAnalysisPrintsEachPhaseAgainstItsTarget(t *testing.T) {
	db := filepath.Join(t.TempDir(), "bench.db")
	out, err := runCLI(t, nil, "bench", "analysis", "--units", "6", "--per-unit", "5", "--db", db, "--bootstrap")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		`stored 120 forms`,
		`frequency tables \(load \+ count\) +\d+\.\d\ds  peak heap +\d+\.\d MB  peak RSS +\d+\.\d MB \(\d+\.\d MB at start\)  \(target < 2s: ok\)`,
		`120 forms per unit read, \d+ tables`,
		`per-questionnaire XLSX +\d+\.\d\ds .*\(target < 10s: ok\)  \(target < 150 MB: (ok|OVER)\)`,
		`95% intervals \(bootstrap\) +\d+\.\d\ds`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// A second run reuses the database it kept.
	again, err := runCLI(t, nil, "bench", "analysis", "--units", "6", "--per-unit", "5", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if regexp.MustCompile(`stored \d+ forms`).MatchString(again) {
		t.Errorf("the kept database was filled again:\n%s", again)
	}
}
