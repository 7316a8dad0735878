// Package simulate fills a campaign with plausible responses through the paths real ones take:
// respondents open their links and submit over HTTP, enumerators key paper forms on the keying
// screen, and imported groups get their ratios. Institutes rehearse with it; benchmarks use it.
// It runs only on a rehearsal copy (NewRehearsal): a database of its own that holds the
// campaign's definition and is deleted whole, never the live one.
package simulate

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/big"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
	"github.com/parsurvey/parsurvey/internal/web"
)

// Options size a simulation.
type Options struct {
	Responses int    // how many forms to answer at most
	Seed      uint64 // the same seed gives the same answers
	Clients   int    // concurrent respondents
	// BlankRate and DontKnowRate are the shares of items left blank or answered "don't know".
	BlankRate, DontKnowRate float64
	// ShortRate is the share of paper forms that come back too incomplete to be valid.
	ShortRate float64
}

// Defaults fills unset options with realistic shares.
func (o *Options) Defaults() {
	if o.Clients == 0 {
		o.Clients = 32
	}
	if o.BlankRate == 0 {
		o.BlankRate = 0.04
	}
	if o.DontKnowRate == 0 {
		o.DontKnowRate = 0.06
	}
	if o.ShortRate == 0 {
		o.ShortRate = 0.03
	}
}

// Report counts what the simulation did.
type Report struct {
	Online, Paper, Imported, Refused, Failed int
	Elapsed                                  time.Duration
}

func (r Report) String() string {
	tenths := big.NewRat(r.Elapsed.Milliseconds(), 1000)
	return fmt.Sprintf("Trực tuyến %s phiếu, phiếu giấy %s, nhập kết quả %s tỷ lệ, bị từ chối %s, lỗi %s — %s giây",
		vn.Int(int64(r.Online)), vn.Int(int64(r.Paper)), vn.Int(int64(r.Imported)), vn.Int(int64(r.Refused)), vn.Int(int64(r.Failed)), vn.Decimal(tenths, 1))
}

// Simulator runs one simulation against a server on loopback.
type Simulator struct {
	db   *store.DB
	srv  *web.Server
	camp *store.Campaign
	opts Options
	base string
	http *http.Client
	// quality is each unit's true standing: answers lean towards it, so rankings mean something.
	quality map[string]float64
}

// New prepares a simulation of campaign c served by srv (already built over db).
func New(db *store.DB, srv *web.Server, c *store.Campaign, o Options) *Simulator {
	o.Defaults()
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	q := map[string]float64{}
	for _, u := range c.Def.Units {
		q[u.Code] = 0.45 + 0.5*rng.Float64()
	}
	return &Simulator{db: db, srv: srv, camp: c, opts: o, quality: q}
}

// Run issues what the quotas still need, answers up to Responses forms and reports. It refuses
// a database not marked as a rehearsal copy, so that no simulated form, account, batch or
// honorarium lands in live data.
func (s *Simulator) Run(ctx context.Context, out io.Writer) (Report, error) {
	start := time.Now()
	var rep Report
	if _, ok, err := ReadRehearsal(ctx, s.db); err != nil || !ok {
		if err == nil {
			err = fmt.Errorf("%w: %s", ErrNotRehearsal, s.db.Path())
		}
		return rep, err
	}
	if err := s.issue(ctx); err != nil {
		return rep, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return rep, err
	}
	go s.srv.App().Listener(ln)
	defer s.srv.App().Shutdown()
	s.base = "http://" + ln.Addr().String()
	jar, _ := cookiejar.New(nil)
	s.http = &http.Client{Jar: jar, Timeout: time.Minute,
		Transport:     &http.Transport{MaxIdleConnsPerHost: s.opts.Clients, MaxConnsPerHost: s.opts.Clients},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// Forms of online groups are answered through their links; paper forms mostly come back on
	// paper and are keyed, and some respondents scan the QR code on theirs instead.
	var online, keyed []*store.IssuedForm
	err = s.db.Forms(ctx, s.camp.ID, store.FormFilter{}, func(f *store.IssuedForm) error {
		if !f.Answered {
			online = append(online, f)
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	// Respondents answer in no particular order: every group and unit fills up alike.
	rng := rand.New(rand.NewPCG(s.opts.Seed, 0xf0))
	rng.Shuffle(len(online), func(i, j int) { online[i], online[j] = online[j], online[i] })
	if len(online) > s.opts.Responses {
		online = online[:s.opts.Responses]
	}
	viaLink := online[:0]
	for _, f := range online {
		if f.Channel == string(campaign.ChannelPaper) && rng.Float64() < 0.85 {
			keyed = append(keyed, f)
		} else {
			viaLink = append(viaLink, f)
		}
	}
	days := s.days()
	fmt.Fprintf(out, "Mô phỏng %d phiếu trực tuyến và %d phiếu giấy trên %d ngày của đợt khảo sát…\n", len(viaLink), len(keyed), len(days))
	ok, refused, failed := s.submitOnline(ctx, viaLink, days)
	rep.Online, rep.Refused, rep.Failed = ok, refused, failed
	ok, refused, failed, err = s.keyPaper(ctx, keyed, days)
	rep.Paper, rep.Refused, rep.Failed = ok, rep.Refused+refused, rep.Failed+failed
	if err != nil {
		return rep, err
	}
	if rep.Imported, err = s.importRatios(ctx); err != nil {
		return rep, err
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// issue issues the quotas, scaled up when more responses are asked for than the quotas hold
// (a rehearsal at the size of a large province).
func (s *Simulator) issue(ctx context.Context) error {
	plan, err := s.camp.Def.IssuePlan("", "", 0)
	if err != nil {
		return err
	}
	total := 0
	for _, t := range plan {
		total += t.Quota
	}
	if factor := (s.opts.Responses + total - 1) / max(total, 1); factor > 1 {
		for i := range plan {
			plan[i].Quota = min(plan[i].Quota*factor, formcode.MaxSerial)
		}
	}
	_, err = s.db.Issue(ctx, s.camp.ID, 0, plan)
	return err
}

// importRatios gives every imported group (the satisfaction index, SIPAS) a ratio per unit,
// read from a CSV file by the same parser and stored by the same call as an upload.
func (s *Simulator) importRatios(ctx context.Context) (int, error) {
	n := 0
	for _, g := range s.camp.Def.Groups {
		if !g.Imported() {
			continue
		}
		var b strings.Builder
		b.WriteString("Mã đơn vị,Tỷ lệ hài lòng\n")
		for _, u := range s.camp.Def.UnitsOfKind(g.Evaluates) {
			r := math.Min(1, math.Max(0, s.quality[u.Code]+0.05))
			fmt.Fprintf(&b, "%s,%.4f\n", u.Code, r)
		}
		name := "sipas-" + g.Code + ".csv"
		rows, errs := scorerun.ParseRatios(s.camp.Def, g.Code, name, []byte(b.String()))
		if len(errs) > 0 {
			return n, fmt.Errorf("simulate: ratios of %s: %v", g.Code, errs[0])
		}
		if err := s.db.ReplaceRatios(ctx, s.camp.ID, 0, g.Code, name, rows); err != nil {
			return n, err
		}
		n += len(rows)
	}
	return n, nil
}

// days are the campaign days responses arrive on: the first weeks of the window, up to today.
func (s *Simulator) days() []time.Time {
	opens, closes := s.camp.Def.Window()
	var out []time.Time
	for d := opens.Add(9 * time.Hour); d.Before(closes) && len(out) < 21; d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

// submitOnline answers online forms day by day over real HTTP: each respondent loads the page,
// then posts; a page refused for too few answers is completed and posted again, as a person would.
func (s *Simulator) submitOnline(ctx context.Context, forms []*store.IssuedForm, days []time.Time) (ok, refused, failed int) {
	var nOK, nRefused, nFailed atomic.Int64
	perDay := (len(forms) + len(days) - 1) / max(len(days), 1)
	for di, day := range days {
		lo, hi := di*perDay, min((di+1)*perDay, len(forms))
		if lo >= hi {
			break
		}
		s.db.SetClock(func() time.Time { return day })
		var next atomic.Int64
		next.Store(int64(lo))
		var wg sync.WaitGroup
		for c := 0; c < s.opts.Clients; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= hi || ctx.Err() != nil {
						return
					}
					switch err := s.answerOnline(forms[i], i); {
					case err == nil:
						nOK.Add(1)
					case err == errRefused:
						nRefused.Add(1)
					default:
						nFailed.Add(1)
					}
				}
			}()
		}
		wg.Wait()
	}
	s.db.SetClock(time.Now)
	return int(nOK.Load()), int(nRefused.Load()), int(nFailed.Load())
}

var errRefused = fmt.Errorf("simulate: refused")

func (s *Simulator) answerOnline(f *store.IssuedForm, i int) error {
	def := s.camp.Def
	g := def.Group(f.Group)
	q := def.Questionnaire(g.Form)
	resp, err := s.http.Get(s.base + "/p/" + f.Token)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("page %s: %d", f.Code, resp.StatusCode)
	}
	rng := rand.New(rand.NewPCG(s.opts.Seed, uint64(i)+1))
	units := def.UnitsOfKind(g.Evaluates)
	if q.Shape != campaign.ShapeMatrix {
		units = []campaign.Unit{*def.Unit(f.Unit)}
	}
	form := url.Values{"sid": {"sim-" + f.Code}}
	for _, fl := range q.Fields {
		form.Set("r_"+fl.Key, strconv.Itoa(1+rng.IntN(len(fl.Options))))
	}
	for _, u := range units {
		for _, qu := range q.Questions() {
			name := "q_" + qu.Code
			if q.Shape == campaign.ShapeMatrix {
				name += "_" + u.Code
			}
			if pick := s.Pick(rng, qu, u.Code); pick > 0 {
				form.Set(name, strconv.Itoa(pick))
			}
		}
	}
	for attempt := 0; attempt < 2; attempt++ {
		resp, err := s.http.Post(s.base+"/p/"+f.Token, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK:
			return nil
		case http.StatusUnprocessableEntity:
			// Too few answers: the respondent goes back and answers the rest.
			for _, u := range units {
				for _, qu := range q.Questions() {
					name := "q_" + qu.Code
					if q.Shape == campaign.ShapeMatrix {
						name += "_" + u.Code
					}
					if form.Get(name) == "" {
						form.Set(name, strconv.Itoa(s.nearest(qu, s.quality[u.Code])))
					}
				}
			}
		case http.StatusConflict, http.StatusGone, http.StatusForbidden, http.StatusNotFound:
			return errRefused
		default:
			return fmt.Errorf("submit %s: %d", f.Code, resp.StatusCode)
		}
	}
	return errRefused
}

// Pick draws an answer to a question about a unit: 0 for blank, else an option number, leaning
// towards the unit's quality with some spread and a share of "don't know".
func (s *Simulator) Pick(rng *rand.Rand, q campaign.Question, unit string) int {
	r := rng.Float64()
	if r < s.opts.BlankRate {
		return 0
	}
	if r < s.opts.BlankRate+s.opts.DontKnowRate {
		for i, o := range q.Options {
			if o.DontKnow {
				return i + 1
			}
		}
	}
	target := s.quality[unit] + rng.NormFloat64()*0.22
	return s.nearest(q, target)
}

// nearest is the weighted option closest to a target weight.
func (s *Simulator) nearest(q campaign.Question, target float64) int {
	best, dist := 1, math.Inf(1)
	for i, o := range q.Options {
		if o.Weight == nil {
			continue
		}
		w := float64(*o.Weight) / campaign.DecimalScale
		if d := math.Abs(w - target); d < dist {
			best, dist = i+1, d
		}
	}
	return best
}
