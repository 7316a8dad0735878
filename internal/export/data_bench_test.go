package export

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/parsurvey/parsurvey/internal/scorerun/scoretest"
	"github.com/parsurvey/parsurvey/internal/store"
)

// BenchmarkDataXLSX100k is the target for the analysis-ready workbook: 100,000 forms
// × 40 answers on one questionnaire's sheet, with the codebook, from the database to the last
// byte on disk in under 10 s and 150 MB.
func BenchmarkDataXLSX100k(b *testing.B) {
	db, camp := scoretest.LargeDB(b)
	ctx := context.Background()
	out := filepath.Join(b.TempDir(), "du-lieu.xlsx")
	rows := func(groups []string, fn func(*store.ResponseRow) error) error {
		return db.DataRows(ctx, camp.ID, groups, fn)
	}
	mem := scoretest.WatchMemory()
	b.ResetTimer()
	for b.Loop() {
		writeOut(b, out, func(w io.Writer) error { return WriteDataXLSX(w, camp.Def, rows, nil) })
	}
	reportFile(b, mem, "s/workbook", out)
}

// BenchmarkDataCSV100k writes the same forms as one questionnaire's CSV.
func BenchmarkDataCSV100k(b *testing.B) {
	db, camp := scoretest.LargeDB(b)
	ctx := context.Background()
	out := filepath.Join(b.TempDir(), "du-lieu.csv")
	rows := func(groups []string, fn func(*store.ResponseRow) error) error {
		return db.DataRows(ctx, camp.ID, groups, fn)
	}
	mem := scoretest.WatchMemory()
	b.ResetTimer()
	for b.Loop() {
		writeOut(b, out, func(w io.Writer) error { return WriteDataCSV(w, camp.Def, "PX", false, DialectDefault, rows, nil) })
	}
	reportFile(b, mem, "s/file", out)
}
