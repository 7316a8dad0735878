package export

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/parsurvey/parsurvey/internal/analysis"
	"github.com/parsurvey/parsurvey/internal/report"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scorerun/scoretest"
	"github.com/parsurvey/parsurvey/internal/store"
)

// BenchmarkReport150Units is the report target: the analysis report of 150 units and
// 20,400 forms (150 × 4 groups × 34), from loading the stored run and every form for the
// frequency annex and the open-ended answers to the last byte of the file, under 10 s and 200 MB, as DOCX and as PDF.
func BenchmarkReport150Units(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(b.TempDir(), "bao-cao.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	camp, err := scoretest.Populate(ctx, db, 150, 34)
	if err != nil {
		b.Fatal(err)
	}
	run, err := scorerun.ComputeAndSave(ctx, db, camp.ID, 0)
	if err != nil {
		b.Fatal(err)
	}
	runID := run.ID
	run = nil
	for _, format := range []string{"docx", "pdf"} {
		b.Run(format, func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "bao-cao."+format)
			mem := scoretest.WatchMemory()
			b.ResetTimer()
			for b.Loop() {
				loaded, err := scorerun.Load(ctx, db, camp.ID, runID)
				if err != nil {
					b.Fatal(err)
				}
				data, err := analysis.Load(ctx, db, camp.ID)
				if err != nil {
					b.Fatal(err)
				}
				texts, err := db.TextAnswers(ctx, camp.ID, store.TextFilter{})
				if err != nil {
					b.Fatal(err)
				}
				in := report.Input{Run: loaded, Frequencies: analysis.Frequencies(loaded.Def, data), HasFrequencies: true, HasTexts: true}
				for _, t := range texts {
					in.Texts = append(in.Texts, report.TextAnswer{Unit: t.Unit, Group: t.Group, Form: t.Questionnaire, Question: t.Question, Body: t.Body})
				}
				writeOut(b, out, func(w io.Writer) error { return WriteReport(w, format, in) })
			}
			reportFile(b, mem, "s/report", out)
		})
	}
}
