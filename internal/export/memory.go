package export

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// exportBudget is how much memory one running export may add to the process. A workbook of
// 100,000 forms adds about 55 MB live (excelize's sheet buffers, on top of the run's figures
// already loaded); left to the default GC pacing its garbage would take the heap past 200 MB.
// With this budget BenchmarkXLSX100k peaks near 110 MB of heap, no slower.
const exportBudget = 64 << 20

// memoryGuard lowers the Go runtime's soft memory limit while exports run, to what the process
// used when the first one started plus a budget per running export, and puts the previous limit
// back when the last one ends. The limit is soft: the collector works harder near it, nothing
// fails beyond it.
var memoryGuard struct {
	sync.Mutex
	running int
	base    int64
	prev    int64
}

// limitMemory starts an export's budget; the returned function ends it.
func limitMemory() (release func()) {
	g := &memoryGuard
	g.Lock()
	defer g.Unlock()
	if g.running == 0 {
		g.prev = debug.SetMemoryLimit(-1)
		// Start from what is live, not from garbage the caller left (decoding the run, say).
		debug.FreeOSMemory()
		g.base = goMemory()
	}
	g.running++
	setLimit(g.base + int64(g.running)*exportBudget)
	return func() {
		g.Lock()
		defer g.Unlock()
		g.running--
		if g.running == 0 {
			debug.SetMemoryLimit(g.prev)
			return
		}
		setLimit(g.base + int64(g.running)*exportBudget)
	}
}

// setLimit lowers the soft limit, never raising it above one set outside the exports.
func setLimit(n int64) {
	if p := memoryGuard.prev; p > 0 && p < math.MaxInt64 && n > p {
		n = p
	}
	debug.SetMemoryLimit(n)
}

// goMemory is the memory the Go runtime holds now (what its soft limit counts).
func goMemory() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64() - s[1].Value.Uint64())
}
