// Package bench measures parsurvey under load on loopback: it issues codes, opens and submits
// questionnaires over real HTTP with many concurrent clients, and compares the rate with the
// limit of group-committing the same rows straight into the database, on SQLite and, when it is
// given one, on PostgreSQL.
package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/config"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/store/pgschema"
	"github.com/parsurvey/parsurvey/internal/web"
)

// SubmitOptions sets the size of a submit benchmark.
type SubmitOptions struct {
	N       int    // forms to issue and submit
	Clients int    // concurrent HTTP clients
	Dir     string // where the temporary databases go
	// CPUProfile, when set, is a file receiving a CPU profile of the submit phase.
	CPUProfile string
	// Postgres, when set, is the postgres:// address of a database the benchmark may make
	// throw-away schemas in: the phases run there too, and the ratios are printed.
	Postgres string
}

// Figures are one measured phase.
type Figures struct {
	Name     string
	Count    int
	Failures int
	Elapsed  time.Duration
	P50, P99 time.Duration
	// FirstError is the first failure's message, if any.
	FirstError string
}

// Rate is operations per second.
func (f Figures) Rate() float64 { return float64(f.Count) / f.Elapsed.Seconds() }

func (f Figures) String() string {
	s := fmt.Sprintf("%-34s %7d in %6.2fs  %8.0f/s", f.Name, f.Count, f.Elapsed.Seconds(), f.Rate())
	if f.P50 > 0 {
		s += fmt.Sprintf("  p50 %6.2fms  p99 %6.2fms", ms(f.P50), ms(f.P99))
	}
	s += fmt.Sprintf("  failures %d", f.Failures)
	if f.FirstError != "" {
		s += " (first: " + f.FirstError + ")"
	}
	return s
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// fixture is a database with the demo campaign and N issued forms of its longest single-unit
// questionnaire.
type fixture struct {
	db    *store.DB
	camp  *store.Campaign
	q     *campaign.Questionnaire
	forms []*store.IssuedForm
}

func newFixture(ctx context.Context, path string, n int) (*fixture, error) {
	db, err := store.Open(path)
	if err != nil {
		return nil, err
	}
	def, err := campaign.Load(forms.FS, forms.Demo3Cap)
	if err != nil {
		return nil, err
	}
	camp, _, err := db.SaveDefinition(ctx, def, 0)
	if err != nil {
		return nil, err
	}
	// Inside the campaign window whatever today is.
	opens, _ := def.Window()
	db.SetClock(func() time.Time { return opens.Add(36 * time.Hour) })
	var group *campaign.Group
	for i := range def.Groups {
		g := &def.Groups[i]
		if g.Imported() {
			continue
		}
		q := def.Questionnaire(g.Form)
		if q.Shape == campaign.ShapeSingle && (group == nil || len(q.Questions()) > len(def.Questionnaire(group.Form).Questions())) {
			group = g
		}
	}
	units := def.UnitsOfKind(group.Evaluates)
	var targets []campaign.IssueTarget
	for i, u := range units {
		q := n / len(units)
		if i < n%len(units) {
			q++
		}
		targets = append(targets, campaign.IssueTarget{Group: group.Code, Unit: u.Code, Channel: campaign.ChannelOnline, Quota: q})
	}
	if _, err := db.Issue(ctx, camp.ID, 0, targets); err != nil {
		return nil, err
	}
	f := &fixture{db: db, camp: camp, q: def.Questionnaire(group.Form)}
	err = db.Forms(ctx, camp.ID, store.FormFilter{Group: group.Code}, func(x *store.IssuedForm) error {
		f.forms = append(f.forms, x)
		return nil
	})
	return f, err
}

// body is a complete, valid submission with varied answers.
func (f *fixture) body(i int) string {
	v := url.Values{"sid": {"bench-" + strconv.Itoa(i)}}
	for _, fl := range f.q.Fields {
		v.Set("r_"+fl.Key, strconv.Itoa(1+i%len(fl.Options)))
	}
	for j, q := range f.q.Questions() {
		v.Set("q_"+q.Code, strconv.Itoa(1+(i+j)%len(q.Options)))
	}
	return v.Encode()
}

// submitFigures are one database's phases.
type submitFigures struct {
	pages, submits, limit Figures
}

// Submit runs the whole benchmark and writes its figures to out: on SQLite, and then, when
// o.Postgres names a PostgreSQL database, the same phases there (each in a throw-away schema),
// the ratio of each figure, and the submissions spread over two nodes on that database.
func Submit(ctx context.Context, o SubmitOptions, out io.Writer) error {
	if o.Dir == "" {
		d, err := os.MkdirTemp("", "parsurvey-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		o.Dir = d
	}
	fmt.Fprintln(out, "== SQLite ==")
	lite, err := submitOn(ctx, o, out, "SQLite", filepath.Join(o.Dir, "http.db"), filepath.Join(o.Dir, "direct.db"), 1)
	if err != nil || o.Postgres == "" {
		return err
	}
	var targets [3]string
	for i := range targets {
		addr, drop, err := pgschema.Temp(ctx, o.Postgres, "parsurvey_bench")
		if err != nil {
			return err
		}
		defer drop()
		targets[i] = addr
	}
	fmt.Fprintf(out, "== PostgreSQL (%s) ==\n", store.Shown(o.Postgres))
	o.CPUProfile = ""
	pg, err := submitOn(ctx, o, out, "PostgreSQL", targets[0], targets[1], 1)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "== PostgreSQL / SQLite, cùng máy, cùng lần chạy ==")
	for _, r := range []struct {
		name   string
		pg, sq Figures
	}{{"trang phiếu", pg.pages, lite.pages}, {"gửi phiếu qua HTTP", pg.submits, lite.submits}, {"ghi nhóm trực tiếp", pg.limit, lite.limit}} {
		fmt.Fprintf(out, "%-22s %8.0f/s so với %8.0f/s: %.2f lần; p99 %.2fms so với %.2fms\n",
			r.name, r.pg.Rate(), r.sq.Rate(), r.pg.Rate()/r.sq.Rate(), ms(r.pg.P99), ms(r.sq.P99))
	}
	fmt.Fprintln(out, "== PostgreSQL, hai máy chủ parsurvey trên một cơ sở dữ liệu ==")
	_, err = submitOn(ctx, o, out, "", targets[2], "", 2)
	return err
}

// submitOn runs the phases on one database: page loads and submissions over HTTP through nodes
// web servers, each with its own store.DB on target (the clients take them in turn), and,
// unless direct is "", group commit straight into the database at direct without HTTP.
func submitOn(ctx context.Context, o SubmitOptions, out io.Writer, name, target, direct string, nodes int) (submitFigures, error) {
	var figs submitFigures
	f, err := newFixture(ctx, target, o.N)
	if err != nil {
		return figs, err
	}
	defer f.db.Close()
	fmt.Fprintf(out, "Mẫu phiếu %s: %d câu hỏi; %d mã phiếu; %d máy khách đồng thời; %d máy chủ; GOMAXPROCS=%d\n",
		f.q.Code, len(f.q.Questions()), len(f.forms), o.Clients, nodes, runtimeProcs())

	bases := make([]string, nodes)
	for n := range nodes {
		db := f.db
		if n > 0 {
			if db, err = store.Open(target); err != nil {
				return figs, err
			}
			defer db.Close()
			db.SetClock(f.db.Now)
		}
		cfg := config.Default()
		cfg.DB = target
		cfg.Work = filepath.Join(o.Dir, fmt.Sprintf("node-%d", n))
		cfg.BaseURL = "http://127.0.0.1"
		srv, err := web.New(db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			return figs, err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return figs, err
		}
		go srv.App().Listener(ln)
		defer func() {
			srv.App().Shutdown()
			srv.Close()
		}()
		bases[n] = "http://" + ln.Addr().String()
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.Clients, MaxConnsPerHost: o.Clients}, Timeout: 30 * time.Second}
	// Before the servers shut down (deferred above, so run after this): a server's shutdown
	// waits for every open connection, and an idle keep-alive one only ends at its read
	// timeout, 30 s later.
	defer client.CloseIdleConnections()

	figs.pages = run("trang phiếu (GET /p/…)", len(f.forms), o.Clients, func(i int) error {
		return expect(client.Get(bases[i%nodes] + "/p/" + f.forms[i].Token))
	})
	fmt.Fprintln(out, figs.pages)

	bodies := make([]string, len(f.forms))
	for i := range bodies {
		bodies[i] = f.body(i)
	}
	if o.CPUProfile != "" {
		pf, err := os.Create(o.CPUProfile)
		if err != nil {
			return figs, err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return figs, err
		}
	}
	figs.submits = run("gửi phiếu bền vững (POST /p/…)", len(f.forms), o.Clients, func(i int) error {
		// On two nodes, the page came from one and the submission goes to the other.
		return expect(client.Post(bases[(i+1)%nodes]+"/p/"+f.forms[i].Token, "application/x-www-form-urlencoded", strings.NewReader(bodies[i])))
	})
	pprof.StopCPUProfile()
	fmt.Fprintln(out, figs.submits)
	stored, err := f.db.CountResponses(ctx, f.camp.ID)
	if err != nil {
		return figs, err
	}
	fmt.Fprintf(out, "Cơ sở dữ liệu giữ %d phiếu trả lời (cần đúng %d)\n", stored, len(f.forms))
	if stored != len(f.forms) || figs.submits.Failures > 0 {
		return figs, fmt.Errorf("bench: %d responses stored for %d forms, %d failures", stored, len(f.forms), figs.submits.Failures)
	}
	if direct == "" {
		return figs, nil
	}
	if figs.limit, err = directLimit(ctx, direct, o.N, o.Clients, name); err != nil {
		return figs, err
	}
	fmt.Fprintln(out, figs.limit)
	fmt.Fprintf(out, "Tốc độ qua HTTP bằng %.0f%% giới hạn ghi nhóm trực tiếp vào %s\n", 100*figs.submits.Rate()/figs.limit.Rate(), name)
	return figs, nil
}

func expect(resp *http.Response, err error) error {
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: status %d", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode)
	}
	return nil
}

// run calls op for 0..n-1 from `clients` goroutines and measures each call.
func run(name string, n, clients int, op func(i int) error) Figures {
	lat := make([]time.Duration, n)
	var next, failures atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				t0 := time.Now()
				if err := op(i); err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	fig := Figures{Name: name, Count: n, Failures: int(failures.Load()), Elapsed: time.Since(start)}
	if e, ok := firstErr.Load().(string); ok {
		fig.FirstError = e
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if n > 0 {
		fig.P50, fig.P99 = lat[n/2], lat[n*99/100]
	}
	return fig
}

// directLimit group-commits the same kind of rows straight into the database, without HTTP:
// the ceiling the web path is measured against.
func directLimit(ctx context.Context, path string, n, clients int, name string) (Figures, error) {
	f, err := newFixture(ctx, path, n)
	if err != nil {
		return Figures{}, err
	}
	defer f.db.Close()
	ids, err := f.db.UnitIDs(ctx, f.camp.ID)
	if err != nil {
		return Figures{}, err
	}
	answers := strings.Repeat("2", len(f.q.Questions()))
	c := f.db.NewCommitter()
	defer c.Close()
	fig := run("giới hạn: ghi nhóm trực tiếp "+name, len(f.forms), clients, func(i int) error {
		x := f.forms[i]
		_, err := c.Submit(ctx, &store.Submission{FormID: x.ID, CampaignID: x.CampaignID, Channel: "online",
			SubmissionID: "direct-" + strconv.Itoa(i), Digest: "d" + strconv.Itoa(i), Respondent: "{}",
			Answers:    []store.UnitAnswers{{UnitID: ids[x.Unit], Answers: answers, Valid: true}},
			ReceivedAt: f.db.Now(), Valid: true, Reasons: "[]"})
		return err
	})
	return fig, nil
}
