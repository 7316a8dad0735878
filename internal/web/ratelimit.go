package web

import (
	"sync"
	"time"
)

// missLimit is how many unknown tokens one address may try a minute. Only misses count, so a
// crowd behind one carrier NAT answering real forms is never blocked, while guessing is.
const missLimit = 30

// missLimiter counts failures per key in fixed windows.
type missLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	start  time.Time
	counts map[string]int
}

func newMissLimiter(max int, window time.Duration) *missLimiter {
	return &missLimiter{max: max, window: window, start: time.Now(), counts: map[string]int{}}
}

func (l *missLimiter) roll() {
	if time.Since(l.start) >= l.window {
		l.start = time.Now()
		clear(l.counts)
	}
}

// hit counts one failure for key.
func (l *missLimiter) hit(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.roll()
	l.counts[key]++
}

// blocked reports whether key has used up its failures in this window.
func (l *missLimiter) blocked(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.roll()
	return l.counts[key] >= l.max
}
