package scorerun

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/scorerun/scoretest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	scoretest.CloseLarge()
	os.Exit(code)
}

// BenchmarkScore100kFromDatabase is the target: scoring 100,000 forms × 40 answers
// end-to-end from the database (one streaming query, ratios, result) in under a second.
func BenchmarkScore100kFromDatabase(b *testing.B) {
	db, camp := scoretest.LargeDB(b)
	ctx := context.Background()
	var run *Run
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		var err error
		if run, err = Score(ctx, db, camp.ID, 0); err != nil {
			b.Fatal(err)
		}
	}
	cpu = cpuTime() - cpu
	b.StopTimer()
	b.ReportMetric(float64(run.Result.Forms), "forms")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/score")
	// CPU time tells the cost apart from waiting for a busy machine.
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/score")
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSaveAndLoadRun100k measures keeping a run as a snapshot and reading it back.
func BenchmarkSaveAndLoadRun100k(b *testing.B) {
	db, camp := scoretest.LargeDB(b)
	ctx := context.Background()
	run, err := Score(ctx, db, camp.ID, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if err := Save(ctx, db, run, 0); err != nil {
			b.Fatal(err)
		}
		if _, err := Load(ctx, db, camp.ID, run.ID); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	sr, _ := db.ScoreRun(ctx, camp.ID, run.ID)
	b.ReportMetric(float64(len(sr.Result))/1e6, "MB-stored")
}

// BenchmarkChangeRule100k measures a rule change on 100,000 stored forms: every form judged
// again and the changed verdicts written in one transaction.
func BenchmarkChangeRule100k(b *testing.B) {
	db, camp := scoretest.LargeDB(b)
	ctx := context.Background()
	base := campaign.EffectiveOf(camp.Def)
	b.Cleanup(func() {
		if _, err := intake.ChangeSettings(ctx, db, camp.ID, 0, base); err != nil {
			b.Error(err)
		}
	})
	var rv intake.Revalidation
	b.ResetTimer()
	i := 0
	for b.Loop() {
		next := base
		next.MinAnsweredPercent = dec([]string{"80", "70"}[i%2])
		i++
		var err error
		if rv, err = intake.ChangeSettings(ctx, db, camp.ID, 0, next); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(rv.Judged), "forms")
	b.ReportMetric(float64(rv.Changed), "changed")
}
