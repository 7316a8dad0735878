package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func runCLI(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := Run(context.Background(), args, Env{Stdout: &out, Stderr: &out, Getenv: func(k string) string { return env[k] },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return out.String(), err
}

// loadDemo loads the demo campaign from the source tree into the database env names, as an
// operator would before using the tools.
func loadDemo(t *testing.T, env map[string]string) {
	t.Helper()
	if out, err := runCLI(t, env, "load", "../../forms/demo-3cap"); err != nil {
		t.Fatalf("load demo: %v\n%s", err, out)
	}
}

// copyDir copies the demo campaign so that a test can break it.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestCheck(t *testing.T) {
	t.Run("the demo campaign passes", func(t *testing.T) {
		out, err := runCLI(t, nil, "check", "../../forms/demo-3cap")
		if err != nil || !strings.Contains(out, "hợp lệ") {
			t.Fatalf("check demo: %v\n%s", err, out)
		}
	})
	t.Run("a broken copy fails with every problem located by file and line", func(t *testing.T) {
		dir := copyDir(t, "../../forms/demo-3cap")
		path := filepath.Join(dir, "campaign.yaml")
		b, _ := os.ReadFile(path)
		broken := strings.Replace(string(b), "survey_points: 32", "survey_points: 31", 1)
		if broken == string(b) {
			t.Fatal("fixture changed: no survey_points: 32")
		}
		os.WriteFile(path, []byte(broken), 0o644)
		q := filepath.Join(dir, "questionnaires", "CH2.yaml")
		qb, _ := os.ReadFile(q)
		os.WriteFile(q, []byte(regexp.MustCompile(`feeds: "?[0-9.]+"?`).ReplaceAllString(string(qb), "feeds: 9.9.9")), 0o644)
		out, err := runCLI(t, nil, "check", dir)
		var ee *exitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Fatalf("err = %v, want exit code 1", err)
		}
		for _, want := range []string{
			dir + "/campaign.yaml:",
			"survey_points: phần ĐTXHH có 31 điểm nhưng các lĩnh vực cộng lại 32",
			dir + "/questionnaires/CH2.yaml:",
			`tiêu chí thành phần "9.9.9" không tồn tại`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if !regexp.MustCompile(`campaign\.yaml:\d+: survey_points`).MatchString(out) {
			t.Errorf("no line number for survey_points:\n%s", out)
		}
	})
}

func TestHelpListsSubcommandsAndFlags(t *testing.T) {
	out, err := runCLI(t, nil, "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"serve", "check", "load", "user", "issue", "print", "forms", "void", "bench", "-addr", "PARSURVEY_DB", "PARSURVEY_BASE_URL"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestIssuePrintAndListFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PARSURVEY_DB": filepath.Join(dir, "cli.db"), "PARSURVEY_BASE_URL": "https://khaosat.example.vn"}
	loadDemo(t, env)
	out, err := runCLI(t, env, "issue", "demo-2026", "--group", "S2", "--unit", "SNV", "--reserve", "10")
	if err != nil || !strings.Contains(out, "Đã phát thêm 17 phiếu") {
		t.Fatalf("issue: %v\n%s", err, out)
	}
	out, _ = runCLI(t, env, "issue", "demo-2026", "--group", "S2", "--unit", "SNV", "--reserve", "10")
	if !strings.Contains(out, "Đã phát thêm 0 phiếu") {
		t.Fatalf("re-issue: %s", out)
	}
	pdfPath := filepath.Join(dir, "s2.pdf")
	if out, err := runCLI(t, env, "print", "demo-2026", "--group", "S2", "--unit", "SNV", "--out", pdfPath); err != nil {
		t.Fatalf("print: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(pdfPath); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("print wrote no PDF")
	}
	csvPath := filepath.Join(dir, "list.csv")
	if _, err := runCLI(t, env, "forms", "demo-2026", "--out", csvPath); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(csvPath)
	if lines := strings.Count(string(b), "\n"); lines != 18 || !strings.Contains(string(b), "https://khaosat.example.vn/p/") {
		t.Fatalf("distribution list has %d lines:\n%s", lines, b)
	}
	if _, err := runCLI(t, env, "print", "demo-2026", "--out", filepath.Join(dir, "x.pdf")); err == nil {
		t.Fatal("printing every group into one PDF was accepted")
	}
	if _, err := os.Stat(filepath.Join(dir, "x.pdf")); !os.IsNotExist(err) {
		t.Fatal("a failed print left a file behind")
	}
}
