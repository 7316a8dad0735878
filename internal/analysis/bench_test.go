package analysis

import (
	"context"
	"os"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/scorerun/scoretest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	scoretest.CloseLarge()
	os.Exit(code)
}

// largeData is the benchmark database's campaign definition and its 100,000 forms, loaded.
func largeData(b *testing.B) (*campaign.Definition, *Data) {
	b.Helper()
	db, camp := scoretest.LargeDB(b)
	data, err := Load(context.Background(), db, camp.ID)
	if err != nil {
		b.Fatal(err)
	}
	return camp.Def, data
}

// BenchmarkFrequencies100k is the target for the frequency tables: 100,000 forms read
// from the database and counted per question × unit × group in under 2 s.
func BenchmarkFrequencies100k(b *testing.B) {
	db, camp := scoretest.LargeDB(b)
	ctx := context.Background()
	var tables int
	b.ResetTimer()
	for b.Loop() {
		data, err := Load(ctx, db, camp.ID)
		if err != nil {
			b.Fatal(err)
		}
		tables = len(Frequencies(camp.Def, data))
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/tables")
	b.ReportMetric(float64(tables), "tables")
}

// BenchmarkFrequenciesOnly counts 100,000 forms already in memory.
func BenchmarkFrequenciesOnly(b *testing.B) {
	def, data := largeData(b)
	b.ResetTimer()
	for b.Loop() {
		Frequencies(def, data)
	}
}

// BenchmarkCrossTabs100k computes the cross-tabs of 100,000 forms in memory.
func BenchmarkCrossTabs100k(b *testing.B) {
	def, data := largeData(b)
	b.ResetTimer()
	for b.Loop() {
		CrossTabs(def, data)
	}
}

// BenchmarkBootstrap100k re-scores 100,000 forms 200 times for the 95% intervals.
func BenchmarkBootstrap100k(b *testing.B) {
	def, data := largeData(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Bootstrap(context.Background(), def, data, Replicates, Seed); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/bootstrap")
}
