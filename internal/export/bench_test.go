package export

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scorerun/scoretest"
	"github.com/parsurvey/parsurvey/internal/store"
)

func TestMain(m *testing.M) {
	code := m.Run()
	scoretest.CloseLarge()
	os.Exit(code)
}

// peak samples the Go heap in use and the process's resident memory while it runs.
type peak struct {
	stop     chan struct{}
	done     chan struct{}
	heap     uint64
	rss      uint64
	baseline uint64
}

func watchMemory() *peak {
	runtime.GC()
	debug.FreeOSMemory()
	p := &peak{stop: make(chan struct{}), done: make(chan struct{}), baseline: rss()}
	go func() {
		defer close(p.done)
		var ms runtime.MemStats
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			p.heap = max(p.heap, ms.HeapInuse+ms.StackInuse)
			p.rss = max(p.rss, rss())
			select {
			case <-p.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

func (p *peak) end() { close(p.stop); <-p.done }

// rss is the process's resident set size in bytes (Linux), 0 elsewhere.
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
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
	mem := watchMemory()
	b.ResetTimer()
	for b.Loop() {
		loaded, err := scorerun.Load(ctx, db, camp.ID, runID)
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteXLSX(f, loaded, rows); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	mem.end()
	st, _ := os.Stat(out)
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/workbook")
	b.ReportMetric(float64(mem.heap)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(mem.rss)/(1<<20), "peak-rss-MB")
	b.ReportMetric(float64(mem.rss-min(mem.rss, mem.baseline))/(1<<20), "rss-growth-MB")
	b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
}

// BenchmarkResponsesCSV100k writes every form as CSV.
func BenchmarkResponsesCSV100k(b *testing.B) {
	db, camp := scoretest.LargeDB(b)
	ctx := context.Background()
	out := filepath.Join(b.TempDir(), "phieu.csv")
	rows := func(only bool, fn func(*store.ResponseRow) error) error {
		return db.ResponseRows(ctx, camp.ID, only, fn)
	}
	def := camp.Def
	mem := watchMemory()
	b.ResetTimer()
	for b.Loop() {
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteResponsesCSV(f, def, rows); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	b.StopTimer()
	mem.end()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/file")
	b.ReportMetric(float64(mem.heap)/(1<<20), "peak-heap-MB")
}
