package scoretest

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// Peak samples the Go heap in use and the process's resident memory every 10 ms, from
// WatchMemory until End, for the benchmarks' memory targets.
type Peak struct {
	// Heap and RSS are the highest heap in use (with stacks) and resident set seen, in bytes;
	// Baseline is the resident set when the watch began.
	Heap, RSS, Baseline uint64
	stop, done          chan struct{}
}

// WatchMemory collects garbage, hands freed memory back to the system, then starts sampling.
func WatchMemory() *Peak {
	runtime.GC()
	debug.FreeOSMemory()
	p := &Peak{stop: make(chan struct{}), done: make(chan struct{}), Baseline: ResidentBytes()}
	go func() {
		defer close(p.done)
		var ms runtime.MemStats
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			p.Heap = max(p.Heap, ms.HeapInuse+ms.StackInuse)
			p.RSS = max(p.RSS, ResidentBytes())
			select {
			case <-p.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

// End stops the sampling; Heap and RSS are final once it returns.
func (p *Peak) End() { close(p.stop); <-p.done }

// ResidentBytes is the process's resident set size in bytes (Linux), 0 elsewhere.
func ResidentBytes() uint64 {
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
