package export

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scorerun/scoretest"
	"github.com/parsurvey/parsurvey/internal/store"
)

func TestMain(m *testing.M) {
	code := m.Run()
	scoretest.CloseLarge()
	os.Exit(code)
}

// writeOut creates out, writes it with write and closes it, failing the benchmark on any error.
func writeOut(b *testing.B, out string, write func(io.Writer) error) {
	f, err := os.Create(out)
	if err != nil {
		b.Fatal(err)
	}
	if err := write(f); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// reportFile stops the timer and the memory watch and reports the seconds per file (as unit),
// the peak memory and the size of the file out.
func reportFile(b *testing.B, mem *scoretest.Peak, unit, out string) {
	b.StopTimer()
	mem.End()
	st, _ := os.Stat(out)
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), unit)
	b.ReportMetric(float64(mem.Heap)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(mem.RSS)/(1<<20), "peak-rss-MB")
	b.ReportMetric(float64(mem.RSS-min(mem.RSS, mem.Baseline))/(1<<20), "rss-growth-MB")
	b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
}

// BenchmarkXLSX100k is the export target: the whole workbook of 100,000 forms × 40
// answers, from loading the stored run to the last byte on disk, in under 30 s and 200 MB.
func BenchmarkXLSX100k(b *testing.B) {
	db, camp := scoretest.LargeDB(b)
	ctx := context.Background()
	// Only the run's id is kept: the export is measured with one run in memory, the one it
	// loads, as the results page has it.
	run, err := scorerun.ComputeAndSave(ctx, db, camp.ID, 0)
	if err != nil {
		b.Fatal(err)
	}
	runID := run.ID
	out := filepath.Join(b.TempDir(), "ket-qua.xlsx")
	rows := func(only bool, fn func(*store.ResponseRow) error) error {
		return db.ResponseRows(ctx, camp.ID, only, fn)
	}
	mem := scoretest.WatchMemory()
	b.ResetTimer()
	for b.Loop() {
		loaded, err := scorerun.Load(ctx, db, camp.ID, runID)
		if err != nil {
			b.Fatal(err)
		}
		writeOut(b, out, func(w io.Writer) error { return WriteXLSX(w, loaded, rows) })
	}
	reportFile(b, mem, "s/workbook", out)
}

// BenchmarkResponsesCSV100k writes every form as CSV.
func BenchmarkResponsesCSV100k(b *testing.B) {
	db, camp := scoretest.LargeDB(b)
	ctx := context.Background()
	out := filepath.Join(b.TempDir(), "phieu.csv")
	rows := func(only bool, fn func(*store.ResponseRow) error) error {
		return db.ResponseRows(ctx, camp.ID, only, fn)
	}
	mem := scoretest.WatchMemory()
	b.ResetTimer()
	for b.Loop() {
		writeOut(b, out, func(w io.Writer) error { return WriteResponsesCSV(w, camp.Def, rows) })
	}
	reportFile(b, mem, "s/file", out)
}
