package bench

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
)

// AbuseOptions sets the size of the hostile-load check.
type AbuseOptions struct {
	Slow       int // connections that declare a large body and send 3 bytes
	SlowLength int // the Content-Length they declare
	Hold       time.Duration
	Floods     int    // posts with duplicated fields
	FloodSize  int    // bytes of the largest flood body
	Clients    int    // concurrent flood posts
	LimitMB    int    // the RSS the server must stay under
	Server     string // the parsurvey binary to attack; empty is this one
	Dir        string // where the database goes
}

// Abuse starts a parsurvey server as a child process on loopback, attacks it as issue 10's
// probe did (sockets that declare 30 MB and send 3 bytes; posts of duplicated fields up to
// 8 MB), samples the child's resident memory throughout, and fails when the peak passes the
// limit or the server stops answering real respondents.
func Abuse(ctx context.Context, o AbuseOptions, out io.Writer) error {
	if o.Server == "" {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		o.Server = exe
	}
	if o.Dir == "" {
		d, err := os.MkdirTemp("", "parsurvey-abuse-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		o.Dir = d
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr
	db := filepath.Join(o.Dir, "abuse.db")
	srv := exec.CommandContext(ctx, o.Server, "serve", "--db", db, "--addr", addr, "--base-url", base)
	srv.Stdout, srv.Stderr = io.Discard, io.Discard
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() {
		srv.Process.Signal(os.Interrupt)
		srv.Wait()
	}()
	if err := waitHealthy(ctx, base); err != nil {
		return err
	}
	links, err := onlineLinks(ctx, o.Server, db, filepath.Join(o.Dir, "list.csv"))
	if err != nil {
		return err
	}
	rss := newRSSWatch(srv.Process.Pid)
	defer rss.stop()
	time.Sleep(300 * time.Millisecond)
	fmt.Fprintf(out, "Máy chủ %s (pid %d): RSS lúc rảnh %d MB; %d đường dẫn trực tuyến\n", o.Server, srv.Process.Pid, rss.now()>>20, len(links))

	// Phase 1: sockets that declare a large body and trickle 3 bytes.
	rss.reset()
	var conns []net.Conn
	refused := 0
	for i := 0; i < o.Slow; i++ {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			refused++
			continue
		}
		conns = append(conns, c)
		fmt.Fprintf(c, "POST /p/%s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\nabc", strings.Repeat("x", 32), addr, o.SlowLength)
	}
	time.Sleep(o.Hold)
	healthy := respondentWorks(base, links[0])
	for _, c := range conns {
		c.Close()
	}
	fmt.Fprintf(out, "%d kết nối khai báo %d MB, gửi 3 byte, giữ %v: RSS đỉnh %d MB; %d kết nối bị từ chối; người trả lời thật vẫn mở được phiếu: %v\n",
		len(conns), o.SlowLength>>20, o.Hold, rss.peak()>>20, refused, healthy)
	peak1 := rss.peak()

	// Phase 2: posts of one field repeated, from a few KB up to FloodSize, to real links.
	rss.reset()
	statuses := map[int]int{}
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < o.Clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= o.Floods {
					return
				}
				size := o.FloodSize >> (i % 8) // 8 MB, 4 MB, … 64 KB
				status := floodPost(addr, links[i%len(links)], size)
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	time.Sleep(500 * time.Millisecond)
	healthy2 := respondentWorks(base, links[len(links)-1])
	fmt.Fprintf(out, "%d lần gửi trường lặp (tới %d MB, %d đồng thời): RSS đỉnh %d MB, sau đó %d MB; mã trả lời %v; người trả lời thật vẫn mở được phiếu: %v\n",
		o.Floods, o.FloodSize>>20, o.Clients, rss.peak()>>20, rss.now()>>20, statuses, healthy2)
	peak2 := rss.peak()

	limit := uint64(o.LimitMB) << 20
	if peak1 > limit || peak2 > limit || !healthy || !healthy2 {
		return fmt.Errorf("bench: RSS peaks %d MB and %d MB (limit %d MB), server answering %v/%v", peak1>>20, peak2>>20, o.LimitMB, healthy, healthy2)
	}
	fmt.Fprintf(out, "Đạt: RSS luôn dưới %d MB\n", o.LimitMB)
	return nil
}

func waitHealthy(ctx context.Context, base string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return errors.New("bench: the server did not answer /healthz within 60 s")
}

// onlineLinks issues the demo campaign's forms with the server's own command line and returns
// the links of its online forms, read from the distribution list.
func onlineLinks(ctx context.Context, exe, db, list string) ([]string, error) {
	def, err := campaign.Load(forms.FS, forms.Demo3Cap)
	if err != nil {
		return nil, err
	}
	for _, args := range [][]string{{"issue", def.Code, "--db", db}, {"forms", def.Code, "--db", db, "--out", list}} {
		if b, err := exec.CommandContext(ctx, exe, args...).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("bench: parsurvey %s: %v\n%s", strings.Join(args, " "), err, b)
		}
	}
	f, err := os.Open(list)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	var links []string
	for _, row := range rows[1:] {
		for _, cell := range row {
			if _, tok, ok := strings.Cut(cell, "/p/"); ok && strings.HasPrefix(cell, "http") {
				links = append(links, "/p/"+tok)
			}
		}
	}
	if len(links) == 0 {
		return nil, errors.New("bench: the distribution list has no online links")
	}
	return links, nil
}

func respondentWorks(base, link string) bool {
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(base + link)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == 200
}

// floodPost sends size bytes of one repeated answer field and returns the status, or 0 when
// the server closed the connection before answering.
func floodPost(addr, link string, size int) int {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return 0
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", link, addr, size)
	chunk := []byte(strings.Repeat("q_C1=1&", 1<<13))
	go func() {
		for sent := 0; sent < size; {
			n := min(len(chunk), size-sent)
			if _, err := c.Write(chunk[:n]); err != nil {
				return
			}
			sent += n
		}
	}()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// rssWatch samples a process's resident memory every 50 ms.
type rssWatch struct {
	pid  int
	mu   sync.Mutex
	max  uint64
	done chan struct{}
}

func newRSSWatch(pid int) *rssWatch {
	w := &rssWatch{pid: pid, done: make(chan struct{})}
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-t.C:
				v := w.now()
				w.mu.Lock()
				w.max = max(w.max, v)
				w.mu.Unlock()
			}
		}
	}()
	return w
}

// now reads VmRSS from /proc (Linux), in bytes.
func (w *rssWatch) now() uint64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", w.pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func (w *rssWatch) peak() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return max(w.max, w.now())
}

func (w *rssWatch) reset() {
	w.mu.Lock()
	w.max = 0
	w.mu.Unlock()
}

func (w *rssWatch) stop() { close(w.done) }
