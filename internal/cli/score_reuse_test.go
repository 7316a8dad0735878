package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/store"
)

func TestScoringTwiceWithoutNewDataReusesTheRun(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PARSURVEY_DB": filepath.Join(dir, "cli.db")}
	loadDemo(t, env)
	if out, err := runCLI(t, env, "score", "demo-2026"); err != nil || !strings.Contains(out, "lần tính điểm số 1") {
		t.Fatalf("first run: %v\n%s", err, out)
	}
	out, err := runCLI(t, env, "score", "demo-2026")
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, out)
	}
	for _, want := range []string{"demo-2026 — lần tính điểm số 1", "không tạo lần tính mới; dùng lại lần số 1", "Sở Nội vụ"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	db, err := store.Open(env["PARSURVEY_DB"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.ReadRow(context.Background(), `SELECT count(*) FROM score_runs`, nil, &n); err != nil || n != 1 {
		t.Fatalf("%d runs stored, %v", n, err)
	}
}
