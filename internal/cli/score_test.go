package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/parsurvey/parsurvey/internal/export"
)

func TestScoreFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PARSURVEY_DB": filepath.Join(dir, "cli.db")}
	loadDemo(t, env)
	jsonPath := filepath.Join(dir, "ket-qua.json")
	out, err := runCLI(t, env, "score", "demo-2026", "--out", jsonPath)
	if err != nil {
		t.Fatalf("score: %v\n%s", err, out)
	}
	for _, want := range []string{"demo-2026 — lần tính điểm số 1", "sha256:", "Sở, ban, ngành", "Sở Nội vụ", "Đã ghi " + jsonPath} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	var feed export.Feed
	b, _ := os.ReadFile(jsonPath)
	if err := json.Unmarshal(b, &feed); err != nil || feed.Run.ID != 1 || len(feed.Units) != 20 {
		t.Fatalf("feed: %v %+v", err, feed.Run)
	}
	t.Run("an earlier run exports as a workbook with the same figures", func(t *testing.T) {
		xlsx := filepath.Join(dir, "ket-qua.xlsx")
		if out, err := runCLI(t, env, "score", "--run", "1", "demo-2026", "--out", xlsx); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		x, err := excelize.OpenFile(xlsx)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, _ := x.GetRows(export.SheetSummary)
		found := false
		for _, r := range rows {
			if len(r) > 4 && r[2] == feed.Units[0].Code {
				found = r[4] == feed.Units[0].Total.Value
			}
		}
		if !found {
			t.Fatalf("unit %s with total %s not in the workbook", feed.Units[0].Code, feed.Units[0].Total.Value)
		}
	})
	t.Run("a PDF and the two CSV files are written", func(t *testing.T) {
		for _, c := range []struct {
			file, prefix string
			extra        []string
		}{{"bao-cao.pdf", "%PDF-", nil}, {"diem.csv", "\ufeffLoại đơn vị", nil}, {"phieu.csv", "\ufeffSTT", []string{"--responses"}}} {
			path := filepath.Join(dir, c.file)
			args := append([]string{"score", "demo-2026", "--run", "1", "--out", path}, c.extra...)
			if out, err := runCLI(t, env, args...); err != nil {
				t.Fatalf("%s: %v\n%s", c.file, err, out)
			}
			if b, _ := os.ReadFile(path); !bytes.HasPrefix(b, []byte(c.prefix)) {
				t.Errorf("%s starts with %q", c.file, b[:min(len(b), 20)])
			}
		}
	})
	t.Run("mistakes are refused and leave no file", func(t *testing.T) {
		for _, args := range [][]string{
			{"score", "nope", "--out", filepath.Join(dir, "x.json")},
			{"score", "demo-2026", "--out", filepath.Join(dir, "x.docx")},
			{"score", "demo-2026", "--run", "99", "--out", filepath.Join(dir, "x.json")},
			{"score"},
		} {
			if _, err := runCLI(t, env, args...); err == nil {
				t.Errorf("%v accepted", args)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "x.json")); !os.IsNotExist(err) {
			t.Error("a refused export left a file")
		}
	})
}
