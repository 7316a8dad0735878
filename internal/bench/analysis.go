package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/parsurvey/parsurvey/internal/analysis"
	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/scorerun/scoretest"
	"github.com/parsurvey/parsurvey/internal/store"
)

// AnalysisOptions sizes the analysis benchmark: Units × 4 groups × PerUnit forms.
type AnalysisOptions struct {
	Units, PerUnit int
	// DB, when set, keeps the synthetic database in that file and reuses it on later runs.
	DB string
	// Bootstrap also times the 95% intervals (200 re-scorings).
	Bootstrap bool
}

// Analysis fills a database with a synthetic campaign (internal/scorerun/scoretest) and times
// the analysis outputs against the targets: the frequency tables of 100,000 forms in
// under 2 s, and their per-questionnaire workbook in under 10 s and 150 MB, with the peak Go
// heap and resident memory of each phase.
func Analysis(ctx context.Context, o AnalysisOptions, out io.Writer) error {
	if o.Units <= 0 {
		o.Units = 500
	}
	if o.PerUnit <= 0 {
		o.PerUnit = 50
	}
	dir, err := os.MkdirTemp("", "parsurvey-bench-analysis-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := o.DB
	if path == "" {
		path = filepath.Join(dir, "bench.db")
	}
	db, camp, took, err := scoretest.Open(ctx, path, o.Units, o.PerUnit)
	if db != nil {
		defer db.Close()
	}
	if err != nil {
		return fmt.Errorf("bench: database %s: %w", path, err)
	}
	if took > 0 {
		fmt.Fprintf(out, "stored %d forms in %.1fs\n", o.Units*scoretest.Groups*o.PerUnit, took.Seconds())
	}
	fmt.Fprintf(out, "campaign %s: %d units, %d groups, %d questions per form\n", camp.Code, len(camp.Def.Units), scoretest.Groups, scoretest.Questions)

	var data *analysis.Data
	var tables int
	if err := phase(out, "frequency tables (load + count)", 2*time.Second, 0, func() error {
		var err error
		if data, err = analysis.Load(ctx, db, camp.ID); err != nil {
			return err
		}
		tables = len(analysis.Frequencies(camp.Def, data))
		return nil
	}); err != nil {
		return err
	}
	fmt.Fprintf(out, "  %d forms per unit read, %d tables\n", len(data.Forms), tables)
	if err := phase(out, "cross-tabs", 0, 0, func() error { analysis.CrossTabs(camp.Def, data); return nil }); err != nil {
		return err
	}
	file := filepath.Join(dir, "du-lieu.xlsx")
	rows := func(groups []string, fn func(*store.ResponseRow) error) error {
		return db.DataRows(ctx, camp.ID, groups, fn)
	}
	data = nil
	if err := phase(out, "per-questionnaire XLSX", 10*time.Second, 150, func() error {
		f, err := os.Create(file)
		if err != nil {
			return err
		}
		if err := export.WriteDataXLSX(f, camp.Def, rows, nil); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}); err != nil {
		return err
	}
	if st, err := os.Stat(file); err == nil {
		fmt.Fprintf(out, "  file %.1f MB\n", float64(st.Size())/(1<<20))
	}
	if !o.Bootstrap {
		return nil
	}
	return phase(out, "95% intervals (bootstrap)", 0, 0, func() error {
		d, err := analysis.Load(ctx, db, camp.ID)
		if err != nil {
			return err
		}
		_, err = analysis.Bootstrap(ctx, camp.Def, d, analysis.Replicates, analysis.Seed)
		return err
	})
}

// phase runs fn once and prints its time and peak memory, against a time limit and a memory
// limit in MB when given (0: none).
func phase(out io.Writer, name string, limit time.Duration, limitMB float64, fn func() error) error {
	mem := scoretest.WatchMemory()
	start := time.Now()
	err := fn()
	elapsed := time.Since(start)
	mem.End()
	heap, rss := mem.Heap, mem.RSS
	if err != nil {
		return fmt.Errorf("bench: %s: %w", name, err)
	}
	verdict := ""
	if limit > 0 {
		verdict = fmt.Sprintf("  (target < %v: %s)", limit, okOrOver(elapsed <= limit))
	}
	if limitMB > 0 {
		verdict += fmt.Sprintf("  (target < %.0f MB: %s)", limitMB, okOrOver(float64(rss)/(1<<20) <= limitMB))
	}
	// The process's resident set holds what earlier phases and the database's page cache left:
	// the RSS at the phase's start is printed beside its peak, so the phase's own share shows.
	fmt.Fprintf(out, "%-34s %6.2fs  peak heap %6.1f MB  peak RSS %6.1f MB (%.1f MB at start)%s\n", name, elapsed.Seconds(),
		float64(heap)/(1<<20), float64(rss)/(1<<20), float64(mem.Baseline)/(1<<20), verdict)
	return nil
}

func okOrOver(ok bool) string {
	if ok {
		return "ok"
	}
	return "OVER"
}
