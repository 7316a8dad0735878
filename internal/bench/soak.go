package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
)

// SoakOptions sets the size of the soak and crash run.
type SoakOptions struct {
	N         int // codes answered in the crash phase
	Clients   int // concurrent phones in the crash phase
	Kills     int // SIGKILLs of the server during the crash phase, at least
	Questions int // questions on the soak form (250, as ODK Central's published soak)
	// Rate submissions a second for For: ODK Central's pattern is 50/s for 30 s.
	Rate int
	For  time.Duration
	// Step is the length of each rate of the search for the highest rate at which p99 stays
	// under P99Limit with no failure; the search stops at MaxRate.
	Step     time.Duration
	MaxRate  int
	P99Limit time.Duration
	// Fuzz is how many fuzzed requests each public endpoint takes in the memory check; 0 skips
	// it. RSSTolerance is how far the resident memory after them may be from before (0.2).
	Fuzz         int
	RSSTolerance float64
	Seed         uint64
	Server       string // the parsurvey binary to run; empty is this one
	Dir          string // where the database goes; empty is a temporary folder, removed after
}

// soakForm is one issued code as a phone holds it: the link's token and the answers it sends.
type soakForm struct {
	id          int64
	code, token string
	sid, body   string
	// answers is what the store must hold for it, one character per question.
	answers string
}

// soakRun is the state of one run: the child server, the codes, and what was acknowledged.
type soakRun struct {
	o      SoakOptions
	out    io.Writer
	srv    *child
	db     string
	campID int64
	group  string
	units  []string
	q      *campaign.Questionnaire
	issued map[int64]bool
	// sent are the forms phones answered in the crash and steady phases, acknowledged or not.
	sent   []*soakForm
	quota  int
	rng    *rand.Rand
	client *http.Client

	mu    sync.Mutex
	acked map[string]string // code → receipt acknowledged to the phone
	// ackedForms are the forms acknowledged so far, for replays.
	ackedForms []*soakForm
	violations []string
}

func (r *soakRun) violate(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.violations) < 1000 {
		r.violations = append(r.violations, fmt.Sprintf(format, args...))
	}
}

// Soak runs the soak and crash harness of issue 15 against a child server process on loopback
// and writes its figures to out. A phase of phones answering codes while the server is killed
// with SIGKILL and restarted at random moments proves that every acknowledged submission is
// stored exactly once and whole, with its audit entry; then ODK Central's soak pattern, a
// search for the highest sustained rate, and (with Fuzz set) a check that memory stays flat
// under fuzzed requests. It returns an error when any check fails.
func Soak(ctx context.Context, o SoakOptions, out io.Writer) error {
	if o.Server == "" {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		o.Server = exe
	}
	if o.Dir == "" {
		d, err := os.MkdirTemp("", "parsurvey-soak-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		o.Dir = d
	}
	if o.RSSTolerance == 0 {
		o.RSSTolerance = 0.2
	}
	if o.P99Limit == 0 {
		o.P99Limit = 100 * time.Millisecond
	}
	r := &soakRun{o: o, out: out, db: filepath.Join(o.Dir, "soak.db"), issued: map[int64]bool{}, acked: map[string]string{},
		rng: newRand(o.Seed)}
	if _, err := os.Stat(r.db); err == nil {
		return fmt.Errorf("bench: %s exists: the soak needs a folder without one", r.db)
	}
	if err := r.prepare(ctx); err != nil {
		return err
	}
	crash, err := r.issue(ctx, o.N)
	if err != nil {
		return err
	}
	r.sent = append(r.sent, crash...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	logf, err := os.Create(filepath.Join(o.Dir, "server.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	r.srv = &child{exe: o.Server, db: r.db, addr: addr, base: "http://" + addr, log: logf}
	if _, err := r.srv.start(ctx); err != nil {
		return err
	}
	defer r.srv.stop()
	r.client = &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 0, IdleConnTimeout: 30 * time.Second}}
	fmt.Fprintf(out, "Máy chủ %s trên %s; mẫu phiếu %s có %d câu hỏi; GOMAXPROCS=%d; tải máy %s\n", o.Server, addr, r.q.Code, len(r.q.Questions()), runtimeProcs(), loadAverage())

	if err := r.crashPhase(ctx, crash); err != nil {
		return err
	}
	if o.Rate > 0 && o.For > 0 {
		fig, err := r.steady(ctx, "mẫu ODK Central", o.Rate, o.For)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s  (tải máy %s)\n", fig, loadAverage())
		if o.Step > 0 && o.MaxRate > 0 {
			if err := r.search(ctx); err != nil {
				return err
			}
		}
	}
	if o.Fuzz > 0 {
		if err := r.flatMemory(ctx); err != nil {
			return err
		}
	}
	r.srv.stop()
	if err := r.verify(ctx); err != nil {
		return err
	}
	if len(r.violations) > 0 {
		for _, v := range r.violations {
			fmt.Fprintln(out, "VI PHẠM:", v)
		}
		return fmt.Errorf("bench: soak found %d violations", len(r.violations))
	}
	fmt.Fprintln(out, "Đạt: không có vi phạm")
	return nil
}

// prepare loads the demo campaign into a new database with its window around today and its
// longest single-unit form grown to o.Questions questions.
func (r *soakRun) prepare(ctx context.Context) error {
	def, err := campaign.Load(forms.FS, forms.Demo3Cap)
	if err != nil {
		return err
	}
	today := time.Now().In(campaign.Zone)
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, campaign.Zone)
	def.Opens, def.Closes = campaign.Date{Time: day.AddDate(0, 0, -1)}, campaign.Date{Time: day.AddDate(0, 0, 30)}
	var group *campaign.Group
	for i := range def.Groups {
		g := &def.Groups[i]
		if g.Imported() || !hasChannel(g, campaign.ChannelOnline) {
			continue
		}
		q := def.Questionnaire(g.Form)
		if q.Shape == campaign.ShapeSingle && (group == nil || len(q.Questions()) > len(def.Questionnaire(group.Form).Questions())) {
			group = g
		}
	}
	if group == nil {
		return errors.New("bench: the demo campaign has no online single-unit form")
	}
	q := def.Questionnaire(group.Form)
	if r.o.Questions > 0 {
		growForm(q, r.o.Questions)
	}
	db, err := store.Open(r.db)
	if err != nil {
		return err
	}
	defer db.Close()
	camp, _, err := db.SaveDefinition(ctx, def, 0)
	if err != nil {
		return err
	}
	r.campID, r.group, r.q = camp.ID, group.Code, def.Questionnaire(group.Form)
	for _, u := range def.UnitsOfKind(group.Evaluates) {
		r.units = append(r.units, u.Code)
	}
	return nil
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x50a4)) }

func hasChannel(g *campaign.Group, ch campaign.Channel) bool {
	for _, c := range g.Channels {
		if c == ch {
			return true
		}
	}
	return len(g.Channels) == 0
}

// growForm makes q's closed questions n long, repeating its own under new codes; open-ended
// and conditional questions are left out so that every question takes an option.
func growForm(q *campaign.Questionnaire, n int) {
	var src []campaign.Question
	for _, x := range q.Questions() {
		if x.Kind != campaign.QuestionText && x.ShowIf == nil && len(x.Options) > 0 {
			src = append(src, x)
		}
	}
	if len(src) == 0 {
		return
	}
	out := make([]campaign.Question, n)
	for i := range out {
		out[i] = src[i%len(src)]
		out[i].Code = fmt.Sprintf("Q%03d", i+1)
		out[i].Text = fmt.Sprintf("%s (%d)", out[i].Text, i+1)
	}
	q.Sections = []campaign.Section{{Title: q.Sections[0].Title, Questions: out}}
}

// issue issues n more codes of the soak group, spread over its units, and returns them with
// the answers each phone will send.
func (r *soakRun) issue(ctx context.Context, n int) ([]*soakForm, error) {
	db, err := store.Open(r.db)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	r.quota += (n + len(r.units) - 1) / len(r.units)
	var targets []campaign.IssueTarget
	for _, u := range r.units {
		targets = append(targets, campaign.IssueTarget{Group: r.group, Unit: u, Channel: campaign.ChannelOnline, Quota: r.quota})
	}
	if _, err := db.Issue(ctx, r.campID, 0, targets); err != nil {
		return nil, err
	}
	var out []*soakForm
	err = db.Forms(ctx, r.campID, store.FormFilter{Group: r.group}, func(f *store.IssuedForm) error {
		if r.issued[f.ID] || len(out) >= n {
			return nil
		}
		r.issued[f.ID] = true
		out = append(out, r.form(f))
		return nil
	})
	return out, err
}

// form is a phone's complete answer to an issued form, varied by the form.
func (r *soakRun) form(f *store.IssuedForm) *soakForm {
	x := &soakForm{id: f.ID, code: f.Code, token: f.Token, sid: fmt.Sprintf("soak-%d-%d", f.ID, r.rng.Uint32())}
	v := url.Values{"sid": {x.sid}}
	for _, fl := range r.q.Fields {
		v.Set("r_"+fl.Key, strconv.Itoa(1+int(f.ID)%len(fl.Options)))
	}
	ans := make([]byte, 0, len(r.q.Questions()))
	for j, q := range r.q.Questions() {
		pick := 1 + (int(f.ID)+j)%len(q.Options)
		v.Set("q_"+q.Code, strconv.Itoa(pick))
		ans = append(ans, byte('0'+pick))
	}
	x.body, x.answers = v.Encode(), string(ans)
	return x
}

// conflicting is another answer to the same form, under a new submission id.
func (r *soakRun) conflicting(x *soakForm) string {
	v, _ := url.ParseQuery(x.body)
	v.Set("sid", x.sid+"-khac")
	q := r.q.Questions()[0]
	n, _ := strconv.Atoi(v.Get("q_" + q.Code))
	v.Set("q_"+q.Code, strconv.Itoa(1+n%len(q.Options)))
	return v.Encode()
}

var receiptRE = regexp.MustCompile(`Số biên nhận: <strong>([^<]+)</strong>`)

// post sends one submission and returns the status and the receipt on the page, if any.
func (r *soakRun) post(ctx context.Context, token, body string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.srv.base+"/p/"+token, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", err
	}
	receipt := ""
	if m := receiptRE.FindSubmatch(b); m != nil {
		receipt = string(m[1])
	}
	return resp.StatusCode, receipt, nil
}

// submit sends a phone's submission until the server acknowledges it, as the respondent page's
// script does: a lost connection, a server error or a refusal to take more is retried with the
// same submission id and answers after a growing pause. It returns the receipt, or "" once
// the run is cancelled or a definite answer other than a receipt comes.
func (r *soakRun) submit(ctx context.Context, x *soakForm, body string, rng *rand.Rand) (receipt string, status, retries int) {
	pause := 50 * time.Millisecond
	for ctx.Err() == nil {
		st, rc, err := r.post(ctx, x.token, body)
		switch {
		case err == nil && st == http.StatusOK && rc != "":
			return rc, st, retries
		case err == nil && st != http.StatusTooManyRequests && st != http.StatusServiceUnavailable && st < 500:
			return "", st, retries
		}
		retries++
		select {
		case <-ctx.Done():
		case <-time.After(pause/2 + time.Duration(rng.Int64N(int64(pause)))):
		}
		pause = min(2*pause, time.Second)
	}
	return "", 0, retries
}

// ack records a receipt acknowledged for a form; a second, different receipt for the same
// code is a violation.
func (r *soakRun) ack(x *soakForm, receipt string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.acked[x.code]; ok {
		if old != receipt {
			r.violations = append(r.violations, fmt.Sprintf("mã %s nhận hai biên nhận %s và %s", x.code, old, receipt))
		}
		return
	}
	r.acked[x.code] = receipt
	r.ackedForms = append(r.ackedForms, x)
}

// crashTotals counts what the crash phase did.
type crashTotals struct {
	submits, replays, doubles, conflicts, refused, retries, pages atomic.Int64
}

// crashPhase has o.Clients phones answer the codes while the server is killed and restarted
// o.Kills times at random moments. Some phones submit twice at once (a double tap), some send
// their acknowledged answers again (a replay), some send other answers for an answered code
// (which must be refused). Phones go on replaying until every kill is done.
func (r *soakRun) crashPhase(ctx context.Context, forms []*soakForm) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	var tot crashTotals
	queue := make(chan *soakForm, len(forms))
	for _, x := range forms {
		queue <- x
	}
	close(queue)
	killsDone := make(chan struct{})
	var downs []time.Duration
	var killErr error
	start := time.Now()
	go func() {
		defer close(killsDone)
		rng := rand.New(rand.NewPCG(r.o.Seed, 0x4b11))
		for i := 0; i < r.o.Kills; i++ {
			select {
			case <-ctx.Done():
				return
			case <-time.After(200*time.Millisecond + time.Duration(rng.Int64N(int64(1300*time.Millisecond)))):
			}
			r.srv.kill()
			down, err := r.srv.start(ctx)
			if err != nil {
				killErr = err
				cancel()
				return
			}
			downs = append(downs, down)
		}
	}()
	var wg sync.WaitGroup
	for c := 0; c < r.o.Clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(r.o.Seed, uint64(c)+1))
			for x := range queue {
				r.phone(ctx, x, rng, &tot)
			}
			// Every code is answered: replays go on until the last kill.
			for {
				select {
				case <-killsDone:
					return
				case <-ctx.Done():
					return
				default:
				}
				r.mu.Lock()
				var x *soakForm
				if len(r.ackedForms) > 0 {
					x = r.ackedForms[rng.IntN(len(r.ackedForms))]
				}
				r.mu.Unlock()
				if x == nil {
					time.Sleep(10 * time.Millisecond)
					continue
				}
				r.replay(ctx, x, rng, &tot)
			}
		}(c)
	}
	wg.Wait()
	<-killsDone
	if killErr != nil {
		return fmt.Errorf("bench: restart after SIGKILL: %w", killErr)
	}
	elapsed := time.Since(start)
	r.mu.Lock()
	acked := len(r.acked)
	r.mu.Unlock()
	sort.Slice(downs, func(i, j int) bool { return downs[i] < downs[j] })
	fmt.Fprintf(r.out, "Pha đánh sập: %d máy khách, %d mã phiếu, %.1f s; SIGKILL %d lần (máy chủ ngừng %v … %v mỗi lần)\n",
		r.o.Clients, len(forms), elapsed.Seconds(), len(downs), first(downs), last(downs))
	fmt.Fprintf(r.out, "  gửi %d, gửi lại sau khi máy chủ chết %d, gửi đúp cùng lúc %d, gửi lặp phiếu đã nhận %d, gửi câu trả lời khác cho mã đã trả lời %d (bị từ chối %d), mở trang %d\n",
		tot.submits.Load(), tot.retries.Load(), tot.doubles.Load(), tot.replays.Load(), tot.conflicts.Load(), tot.refused.Load(), tot.pages.Load())
	fmt.Fprintf(r.out, "  được xác nhận %d/%d mã phiếu\n", acked, len(forms))
	if len(downs) < r.o.Kills {
		r.violate("chỉ đánh sập máy chủ %d/%d lần", len(downs), r.o.Kills)
	}
	for _, x := range forms {
		if _, ok := r.acked[x.code]; !ok {
			r.violate("mã %s không được xác nhận", x.code)
		}
	}
	return nil
}

func first(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[0].Round(time.Millisecond)
}

func last(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[len(d)-1].Round(time.Millisecond)
}

// phone answers one code: it may load the page first, may tap submit twice, and once
// acknowledged may resend or send other answers.
func (r *soakRun) phone(ctx context.Context, x *soakForm, rng *rand.Rand, tot *crashTotals) {
	if rng.Float64() < 0.3 {
		if resp, err := r.client.Get(r.srv.base + "/p/" + x.token); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			tot.pages.Add(1)
		}
	}
	tot.submits.Add(1)
	if rng.Float64() < 0.1 {
		// A double tap: two posts of the same submission at once must give one receipt.
		tot.doubles.Add(1)
		var wg sync.WaitGroup
		receipts := make([]string, 2)
		for i := range receipts {
			wg.Add(1)
			seed := rng.Uint64()
			go func() {
				defer wg.Done()
				rc, st, n := r.submit(ctx, x, x.body, rand.New(rand.NewPCG(seed, 1)))
				tot.retries.Add(int64(n))
				if rc == "" && ctx.Err() == nil {
					r.violate("mã %s: lần gửi đúp bị trả lời %d", x.code, st)
				}
				receipts[i] = rc
			}()
		}
		wg.Wait()
		for _, rc := range receipts {
			if rc != "" {
				r.ack(x, rc)
			}
		}
		return
	}
	rc, st, n := r.submit(ctx, x, x.body, rng)
	tot.retries.Add(int64(n))
	if rc == "" {
		if ctx.Err() == nil {
			r.violate("mã %s: phiếu đầy đủ bị trả lời %d", x.code, st)
		}
		return
	}
	r.ack(x, rc)
	if rng.Float64() < 0.2 {
		r.replay(ctx, x, rng, tot)
	}
	if rng.Float64() < 0.05 {
		tot.conflicts.Add(1)
		rc, st, n := r.submit(ctx, x, r.conflicting(x), rng)
		tot.retries.Add(int64(n))
		switch {
		case st == http.StatusConflict:
			tot.refused.Add(1)
		case ctx.Err() == nil:
			r.violate("mã %s: câu trả lời khác cho mã đã trả lời được trả lời %d %q", x.code, st, rc)
		}
	}
}

// replay sends an acknowledged submission again: it must get the same receipt.
func (r *soakRun) replay(ctx context.Context, x *soakForm, rng *rand.Rand, tot *crashTotals) {
	tot.replays.Add(1)
	rc, st, n := r.submit(ctx, x, x.body, rng)
	tot.retries.Add(int64(n))
	if rc == "" {
		if ctx.Err() == nil {
			r.violate("mã %s: gửi lại bị trả lời %d", x.code, st)
		}
		return
	}
	r.ack(x, rc)
}

// steady sends rate new submissions a second for d, each on its own schedule (open loop: a
// slow answer does not delay the next request), and measures each from its scheduled moment.
func (r *soakRun) steady(ctx context.Context, name string, rate int, d time.Duration) (Figures, error) {
	n := int(float64(rate) * d.Seconds())
	list, err := r.issue(ctx, n)
	if err != nil {
		return Figures{}, err
	}
	if len(list) < n {
		return Figures{}, fmt.Errorf("bench: %d codes issued, %d needed", len(list), n)
	}
	r.sent = append(r.sent, list...)
	lat := make([]time.Duration, n)
	var failures atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	interval := time.Second / time.Duration(rate)
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i) * interval)
		if wait := time.Until(at); wait > 0 {
			select {
			case <-ctx.Done():
				return Figures{}, ctx.Err()
			case <-time.After(wait):
			}
		}
		wg.Add(1)
		go func(i int, at time.Time) {
			defer wg.Done()
			x := list[i]
			st, rc, err := r.post(ctx, x.token, x.body)
			lat[i] = time.Since(at)
			if err == nil && st == http.StatusOK && rc != "" {
				r.ack(x, rc)
				return
			}
			failures.Add(1)
			if err == nil {
				err = fmt.Errorf("status %d", st)
			}
			firstErr.CompareAndSwap(nil, err.Error())
		}(i, at)
	}
	wg.Wait()
	fig := Figures{Name: fmt.Sprintf("%s: %d phiếu/s × %v", name, rate, d), Count: n, Failures: int(failures.Load()), Elapsed: time.Since(start)}
	if e, ok := firstErr.Load().(string); ok {
		fig.FirstError = e
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if n > 0 {
		fig.P50, fig.P99 = lat[n/2], lat[n*99/100]
	}
	return fig, nil
}

// search raises the rate step by step from o.Rate until p99 passes the limit or a submission
// fails, and reports the highest rate that held; when o.Rate itself does not hold, it halves
// the rate until one does. Each step prints the machine's load average, since on a shared
// machine the tail follows the neighbours' work more than the server's.
func (r *soakRun) search(ctx context.Context) error {
	best := 0
	step := func(rate int) (bool, error) {
		fig, err := r.steady(ctx, "tìm tốc độ bền vững", rate, r.o.Step)
		if err != nil {
			return false, err
		}
		fmt.Fprintf(r.out, "%s  (tải máy %s)\n", fig, loadAverage())
		return fig.Failures == 0 && fig.P99 < r.o.P99Limit, nil
	}
	for rate := r.o.Rate; rate <= r.o.MaxRate; rate += max(r.o.Rate, rate/4) {
		ok, err := step(rate)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		best = rate
	}
	for rate := r.o.Rate / 2; best == 0 && rate >= 5; rate /= 2 {
		ok, err := step(rate)
		if err != nil {
			return err
		}
		if ok {
			best = rate
		}
	}
	fmt.Fprintf(r.out, "Tốc độ bền vững cao nhất với p99 < %v và không lỗi: %d phiếu/s (%d câu hỏi mỗi phiếu)\n", r.o.P99Limit, best, len(r.q.Questions()))
	return nil
}

// loadAverage is the machine's 1-minute load average (Linux), or "?".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

// verify reads the database the server wrote and checks every acknowledged submission: stored
// once, under its receipt, whole (an answer row per unit with one answer per question, the
// token consumed) and sealed by its audit entry; no code has two responses.
func (r *soakRun) verify(ctx context.Context) error {
	db, err := store.Open(r.db)
	if err != nil {
		return err
	}
	defer db.Close()
	var integrity string
	if err := db.ReadRow(ctx, `PRAGMA integrity_check`, nil, &integrity); err != nil {
		return err
	}
	if integrity != "ok" {
		r.violate("integrity_check: %s", integrity)
	}
	var stored, twice, noAnswers, badAnswers, unconsumed, audited, auditedTwice int
	qs := []any{r.campID}
	db.ReadRow(ctx, `SELECT count(*) FROM responses WHERE campaign_id = ?`, qs, &stored)
	db.ReadRow(ctx, `SELECT count(*) FROM (SELECT form_id FROM responses WHERE campaign_id = ? GROUP BY form_id HAVING count(*) > 1)`, qs, &twice)
	db.ReadRow(ctx, `SELECT count(*) FROM responses r WHERE r.campaign_id = ? AND NOT EXISTS (SELECT 1 FROM response_answers a WHERE a.response_id = r.id)`, qs, &noAnswers)
	db.ReadRow(ctx, `SELECT count(*) FROM response_answers a JOIN responses r ON r.id = a.response_id WHERE r.campaign_id = ? AND length(a.answers) != ?`,
		[]any{r.campID, len(r.q.Questions())}, &badAnswers)
	db.ReadRow(ctx, `SELECT count(*) FROM responses r JOIN issued_forms f ON f.id = r.form_id WHERE r.campaign_id = ? AND f.token_used_at IS NULL`, qs, &unconsumed)
	db.ReadRow(ctx, `SELECT count(DISTINCT json_extract(a.detail, '$.response')), count(*) - count(DISTINCT json_extract(a.detail, '$.response'))
		FROM audit_log a JOIN responses r ON r.id = json_extract(a.detail, '$.response') WHERE a.action = 'response.store' AND r.campaign_id = ?`, qs, &audited, &auditedTwice)
	if twice > 0 {
		r.violate("%d mã phiếu có hai phiếu trả lời", twice)
	}
	if noAnswers > 0 || badAnswers > 0 || unconsumed > 0 {
		r.violate("phiếu lưu dở: %d không có câu trả lời, %d dòng câu trả lời sai độ dài, %d mã chưa đánh dấu đã dùng", noAnswers, badAnswers, unconsumed)
	}
	if audited != stored {
		r.violate("%d/%d phiếu trả lời có mục nhật ký response.store", audited, stored)
	}
	r.mu.Lock()
	acked := r.acked
	r.mu.Unlock()
	wrong, ackedN, unacked := 0, 0, 0
	for _, x := range r.sent {
		var n int
		var receipt, answers string
		err := db.ReadRow(ctx, `SELECT count(*), ifnull(max(r.receipt), ''), ifnull(max(a.answers), '') FROM responses r
			LEFT JOIN response_answers a ON a.response_id = r.id WHERE r.form_id = ?`, []any{x.id}, &n, &receipt, &answers)
		if err != nil {
			return err
		}
		want, ok := acked[x.code]
		switch {
		case !ok:
			// Never acknowledged (a steady-phase failure): it may be stored or not, but whole.
			unacked += n
		case n != 1 || receipt != want || answers != x.answers:
			wrong++
			r.violate("mã %s: %d phiếu lưu, biên nhận %q (đã xác nhận %q), câu trả lời khớp: %v", x.code, n, receipt, want, answers == x.answers)
		}
		if ok {
			ackedN++
		}
	}
	fmt.Fprintf(r.out, "Kiểm tra cơ sở dữ liệu (integrity_check: %s): %d phiếu được xác nhận, %d lưu đúng một lần với đúng biên nhận và câu trả lời; %d lưu mà không được xác nhận; cả đợt có %d phiếu trả lời (kể cả từ pha làm nhiễu); mã có hai phiếu %d; phiếu lưu dở %d; có mục nhật ký response.store %d/%d (trùng %d)\n",
		integrity, ackedN, ackedN-wrong, unacked, stored, twice, noAnswers+badAnswers+unconsumed, audited, stored, auditedTwice)
	return nil
}

// child is a parsurvey server process on loopback that can be killed and started again.
type child struct {
	exe, db, addr, base string
	log                 io.Writer
	mu                  sync.Mutex
	cmd                 *exec.Cmd
}

// start runs the server and waits until it answers /healthz; it returns how long that took.
func (c *child) start(ctx context.Context) (time.Duration, error) {
	t0 := time.Now()
	cmd := exec.Command(c.exe, "serve", "--db", c.db, "--addr", c.addr, "--base-url", c.base)
	cmd.Stdout, cmd.Stderr = c.log, c.log
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	c.mu.Lock()
	c.cmd = cmd
	c.mu.Unlock()
	hc := http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		if resp, err := hc.Get(c.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(t0), nil
			}
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return 0, errors.New("bench: the server did not answer /healthz within 60 s")
}

// pid is the running server's process id.
func (c *child) pid() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cmd.Process.Pid
}

// kill ends the server with SIGKILL: no shutdown, no flush, as a power-less crash of the process.
func (c *child) kill() {
	c.mu.Lock()
	cmd := c.cmd
	c.mu.Unlock()
	if cmd != nil && cmd.ProcessState == nil {
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
}

// stop asks the server to shut down and kills it if it has not within 10 s.
func (c *child) stop() {
	c.mu.Lock()
	cmd := c.cmd
	c.mu.Unlock()
	if cmd == nil || cmd.ProcessState != nil {
		return
	}
	cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
	}
}

// fuzzEndpoint is one public endpoint and a maker of hostile requests to it.
type fuzzEndpoint struct {
	name string
	req  func(rng *rand.Rand) (*http.Request, error)
}

// flatMemory sends o.Fuzz fuzzed requests to each public endpoint and compares the server's
// resident memory before and after: within o.RSSTolerance, or the run fails. A first round of a
// tenth as many lets the server's pools and caches reach their working size before "before".
func (r *soakRun) flatMemory(ctx context.Context) error {
	fresh, err := r.issue(ctx, 500)
	if err != nil {
		return err
	}
	r.mu.Lock()
	answered := append([]*soakForm(nil), r.ackedForms...)
	r.mu.Unlock()
	eps := r.endpoints(fresh, answered)
	rss := newRSSWatch(r.srv.pid())
	defer rss.stop()
	idle := rss.now()
	round := func(n int) (map[string]map[int]int, error) {
		statuses := map[string]map[int]int{}
		var mu sync.Mutex
		for _, ep := range eps {
			statuses[ep.name] = map[int]int{}
			var next atomic.Int64
			var wg sync.WaitGroup
			for w := 0; w < 16; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					rng := rand.New(rand.NewPCG(r.o.Seed, uint64(w)<<32|uint64(len(ep.name))))
					for next.Add(1) <= int64(n) && ctx.Err() == nil {
						st := 0
						if req, err := ep.req(rng); err == nil {
							if resp, err := r.client.Do(req.WithContext(ctx)); err == nil {
								io.Copy(io.Discard, resp.Body)
								resp.Body.Close()
								st = resp.StatusCode
							}
						}
						mu.Lock()
						statuses[ep.name][st]++
						mu.Unlock()
					}
				}(w)
			}
			wg.Wait()
		}
		return statuses, ctx.Err()
	}
	// A hostile request the server refuses without reading its body (413) leaves the body on
	// the wire, and the client library logs the server's answer to it as unsolicited: that
	// noise is not the bench's output.
	defer log.SetOutput(log.Writer())
	log.SetOutput(io.Discard)
	if _, err := round(max(r.o.Fuzz/10, 1)); err != nil {
		return err
	}
	time.Sleep(time.Second)
	before := rss.now()
	rss.reset()
	t0 := time.Now()
	statuses, err := round(r.o.Fuzz)
	if err != nil {
		return err
	}
	elapsed := time.Since(t0)
	peak := rss.peak()
	time.Sleep(2 * time.Second)
	after := rss.now()
	healthy := respondentWorks(r.srv.base, "/p/"+fresh[len(fresh)-1].token)
	change := float64(after)/float64(max(before, 1)) - 1
	fmt.Fprintf(r.out, "Bộ nhớ: %d yêu cầu làm nhiễu cho mỗi điểm công khai, %.1f s; mã trả lời (0: không có trả lời):\n", r.o.Fuzz, elapsed.Seconds())
	for _, ep := range eps {
		fmt.Fprintf(r.out, "  %-16s %v\n", ep.name, statuses[ep.name])
	}
	fmt.Fprintf(r.out, "  RSS lúc rảnh %d MB, trước %.1f MB, đỉnh %.1f MB, sau %.1f MB: thay đổi %+.1f%% (cho phép ±%.0f%%); người trả lời thật vẫn mở được phiếu: %v\n",
		idle>>20, mb(before), mb(peak), mb(after), 100*change, 100*r.o.RSSTolerance, healthy)
	if change > r.o.RSSTolerance || change < -r.o.RSSTolerance {
		r.violate("RSS đổi %+.1f%% sau %d yêu cầu làm nhiễu mỗi điểm (%.1f MB → %.1f MB)", 100*change, r.o.Fuzz, mb(before), mb(after))
	}
	if !healthy {
		r.violate("sau các yêu cầu làm nhiễu, người trả lời không mở được phiếu")
	}
	return nil
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }

// endpoints are the public endpoints with their fuzzers: bodies are real submissions mutated
// (bytes flipped, cut, fields repeated, overlong or invalid UTF-8 values, unknown fields),
// tokens are real or made up.
func (r *soakRun) endpoints(fresh, answered []*soakForm) []fuzzEndpoint {
	pool := append(append([]*soakForm(nil), fresh...), answered...)
	pick := func(rng *rand.Rand) *soakForm { return pool[rng.IntN(len(pool))] }
	token := func(rng *rand.Rand) string {
		switch rng.IntN(4) {
		case 0:
			return randomText(rng, 1+rng.IntN(80))
		default:
			return pick(rng).token
		}
	}
	form := func(method, path, body string) (*http.Request, error) {
		req, err := http.NewRequest(method, r.srv.base+path, strings.NewReader(body))
		if err == nil && method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		return req, err
	}
	return []fuzzEndpoint{
		{"GET /healthz", func(rng *rand.Rand) (*http.Request, error) {
			return form(http.MethodGet, "/healthz?"+url.QueryEscape(randomText(rng, rng.IntN(64))), "")
		}},
		{"GET /p/…", func(rng *rand.Rand) (*http.Request, error) {
			return form(http.MethodGet, "/p/"+url.PathEscape(token(rng)), "")
		}},
		{"POST /p/…", func(rng *rand.Rand) (*http.Request, error) {
			return form(http.MethodPost, "/p/"+url.PathEscape(token(rng)), mutate(rng, pick(rng).body))
		}},
		{"POST /p/…/draft", func(rng *rand.Rand) (*http.Request, error) {
			return form(http.MethodPost, "/p/"+url.PathEscape(token(rng))+"/draft", mutate(rng, pick(rng).body)+"&rev="+strconv.Itoa(rng.IntN(5)))
		}},
		{"GET /mã-ngắn", func(rng *rand.Rand) (*http.Request, error) {
			return form(http.MethodGet, "/"+url.PathEscape(randomText(rng, 12)), "")
		}},
		{"GET /login", func(rng *rand.Rand) (*http.Request, error) {
			return form(http.MethodGet, "/login?next="+url.QueryEscape(randomText(rng, rng.IntN(200))), "")
		}},
		{"POST /login", func(rng *rand.Rand) (*http.Request, error) {
			v := url.Values{"username": {randomText(rng, rng.IntN(300))}, "password": {randomText(rng, rng.IntN(300))}, "_csrf": {randomText(rng, rng.IntN(60))}}
			return form(http.MethodPost, "/login", mutate(rng, v.Encode()))
		}},
	}
}

// randomText is n bytes of hostile text: markup, quotes, SQL, NUL, invalid UTF-8, Vietnamese
// in NFD.
func randomText(rng *rand.Rand, n int) string {
	parts := []string{"<script>", "'", "\"", "--", ";", "%", "\x00", "\xff\xfe", "=1+1", "@x", "Nội vụ", "Nô\u0323i vu\u0323", "../", "&", "=", "a", "7"}
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(parts[rng.IntN(len(parts))])
	}
	return b.String()[:n]
}

// mutate damages an urlencoded body in one of the ways a broken or hostile client would.
func mutate(rng *rand.Rand, body string) string {
	b := []byte(body)
	switch rng.IntN(8) {
	case 0: // bytes flipped
		for i := 0; i < 1+rng.IntN(8) && len(b) > 0; i++ {
			b[rng.IntN(len(b))] = byte(rng.IntN(256))
		}
	case 1: // cut short
		b = b[:rng.IntN(len(b)+1)]
	case 2: // every field twice
		b = append(append(b, '&'), body...)
	case 3: // an overlong value
		b = append(b, "&q_X="+strings.Repeat("9", 100+rng.IntN(5000))...)
	case 4: // invalid UTF-8 and NUL, escaped and raw
		b = append(b, "&r_x=%ff%fe%00&q_"+randomText(rng, 20)+"=\xff"...)
	case 5: // unknown fields
		for i := 0; i < rng.IntN(50); i++ {
			b = append(b, "&z"+strconv.Itoa(i)+"="+url.QueryEscape(randomText(rng, 10))...)
		}
	case 6: // markup and SQL in every value
		v, _ := url.ParseQuery(body)
		for k := range v {
			v.Set(k, "<img src=x onerror=alert(1)>' OR 1=1 --")
		}
		b = []byte(v.Encode())
	case 7: // untouched: a real submission, replayed
	}
	return string(b)
}
