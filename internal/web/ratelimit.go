package web

import (
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

const (
	// missLimit is how many unknown tokens one address may try a minute. Only misses count and
	// only misses are refused, so a crowd behind one carrier NAT answering real forms is never
	// blocked, while guessing is.
	missLimit = 30
	// submitLimit is how many posts one form may take a minute: enough for a respondent who
	// corrects mistakes, too few to hammer one form.
	submitLimit = 20
	// loginAddrLimit is how many failed sign-ins one address may make in loginWindow: a whole
	// commune office behind one NAT address mistypes far fewer.
	loginAddrLimit = 50
	// loginUserLimit is how many failed sign-ins one account may take in loginWindow from any
	// address, so rotating addresses does not buy more guesses.
	loginUserLimit = 10
	loginWindow    = 15 * time.Minute
	// counterKeys bounds the keys one counter holds in a window; past it the window starts
	// again, so a flood of new keys costs memory no longer than a window.
	counterKeys = 100000
)

// windowCounter counts events per key in fixed windows.
type windowCounter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	start  time.Time
	counts map[string]int
}

func newWindowCounter(max int, window time.Duration) *windowCounter {
	return &windowCounter{max: max, window: window, start: time.Now(), counts: map[string]int{}}
}

func (l *windowCounter) roll() {
	if time.Since(l.start) >= l.window || len(l.counts) >= counterKeys {
		l.start = time.Now()
		clear(l.counts)
	}
}

// hit counts one event for key.
func (l *windowCounter) hit(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.roll()
	l.counts[key]++
}

// take counts one event for key and reports whether it is still within the limit.
func (l *windowCounter) take(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.roll()
	l.counts[key]++
	return l.counts[key] <= l.max
}

// blocked reports whether key has used up its events in this window.
func (l *windowCounter) blocked(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.roll()
	return l.counts[key] >= l.max
}

// clientIP is the address rate limits count: the connection's peer, or, when the peer is a
// trusted proxy and a proxy header is configured, the right-most address in that header that is
// not itself a trusted proxy. Addresses a client writes on the left cannot move it.
func (s *Server) clientIP(c *fiber.Ctx) string {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	peer = peer.Unmap()
	if s.cfg.ProxyHeader == "" || !s.trustedProxy(peer) {
		return limitKey(peer)
	}
	var hops []string
	c.Request().Header.VisitAll(func(k, v []byte) {
		if strings.EqualFold(string(k), s.cfg.ProxyHeader) {
			hops = append(hops, strings.Split(string(v), ",")...)
		}
	})
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a hop nobody trusted wrote: what lies left of it is the client's to invent
		}
		client = a.Unmap()
		if !s.trustedProxy(client) {
			break
		}
	}
	return limitKey(client)
}

func (s *Server) trustedProxy(a netip.Addr) bool {
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// limitKey counts an IPv6 client by its /64, the block one subscriber is given.
func limitKey(a netip.Addr) string {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
