package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"github.com/xuri/excelize/v2"
)

// benchEnv is the real server over a real SQLite file for benchmarks, with keyers dtv1..dtvN.
type benchEnv struct {
	srv  *Server
	db   *store.DB
	camp *store.Campaign
}

func newBenchEnv(b *testing.B, keyers int) *benchEnv {
	b.Helper()
	db := testenv.Open(b)
	db.SetClock(func() time.Time { return inWindow })
	camp := testenv.Demo(b, db)
	srv := newServer(b, db)
	testenv.AddUser(b, db, "giamsat", store.RoleSupervisor)
	for i := 1; i <= keyers; i++ {
		u := testenv.AddUser(b, db, fmt.Sprintf("dtv%d", i), store.RoleEnumerator)
		if err := db.AddKeyer(context.Background(), camp.ID, u.ID, 0); err != nil {
			b.Fatal(err)
		}
	}
	return &benchEnv{srv: srv, db: db, camp: camp}
}

// issueH3 issues n forms of group H3 (paper) spread over its units, with one batch per unit.
func (e *benchEnv) issueH3(b *testing.B, n int) (codes []string, batchOf map[string]int64) {
	b.Helper()
	ctx := context.Background()
	units := e.camp.Def.UnitsOfKind("huyen")
	per := (n + len(units) - 1) / len(units)
	var targets []campaign.IssueTarget
	for _, u := range units {
		targets = append(targets, campaign.IssueTarget{Group: "H3", Unit: u.Code, Channel: campaign.ChannelPaper, Quota: per})
	}
	if _, err := e.db.Issue(ctx, e.camp.ID, 0, targets); err != nil {
		b.Fatal(err)
	}
	sup, _ := e.db.UserByName(ctx, "giamsat")
	batchOf = map[string]int64{}
	for _, u := range units {
		bt := &store.Batch{CampaignID: e.camp.ID, Group: "H3", Unit: u.Code, ReturnedBy: sup.ID, Count: per, ReceivedOn: paperDay}
		if err := e.db.RecordBatch(ctx, bt, sup.ID); err != nil {
			b.Fatal(err)
		}
		batchOf[u.Code] = bt.ID
	}
	e.db.Forms(ctx, e.camp.ID, store.FormFilter{Group: "H3"}, func(f *store.IssuedForm) error {
		codes = append(codes, f.Code+"/"+f.Unit)
		return nil
	})
	return codes[:n], batchOf
}

// benchClient is a signed-in browser for app.Test that keeps its cookies and CSRF token.
type benchClient struct {
	srv     *Server
	cookies map[string]string
	csrf    string
}

func (e *benchEnv) login(b *testing.B, name string) *benchClient {
	c := &benchClient{srv: e.srv, cookies: map[string]string{}}
	c.do(b, httptest.NewRequest(http.MethodGet, "/login", nil), nil)
	form := url.Values{"username": {name}, "password": {testPassword}, "_csrf": {c.csrf}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if status := c.do(b, req, nil); status != http.StatusSeeOther {
		b.Fatalf("login %s: %d", name, status)
	}
	return c
}

func (c *benchClient) do(b *testing.B, req *http.Request, body *[]byte) int {
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := c.srv.App().Test(req, -1)
	if err != nil {
		b.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Value != "" {
			c.cookies[ck.Name] = ck.Value
		}
	}
	if tok := testenv.CSRFToken(string(data)); tok != "" {
		c.csrf = tok
	}
	if body != nil {
		*body = data
	}
	return resp.StatusCode
}

// key posts one keying as the keying script does and fails on anything but the wanted outcome.
func (c *benchClient) key(b *testing.B, batch int64, v url.Values, want string) {
	v.Set("_csrf", c.csrf)
	req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/keying/batches/%d", batch), strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	var body []byte
	if status := c.do(b, req, &body); status != 200 || !bytes.Contains(body, []byte(`"kind":"`+want+`"`)) {
		b.Fatalf("keying: %d %s", status, body)
	}
}

// BenchmarkKeying measures paper forms accepted by the server under double entry: each form is
// keyed by two keyers through the whole HTTP stack (session, CSRF, checks, one write
// transaction with synchronous=FULL), the second keying verifying it. Pairs of keyers work
// side by side, as a keying room does.
func BenchmarkKeying(b *testing.B) {
	for _, pairs := range []int{1, 4} {
		b.Run(fmt.Sprintf("keyers=%d", 2*pairs), func(b *testing.B) {
			e := newBenchEnv(b, 2*pairs)
			codes, batchOf := e.issueH3(b, b.N)
			l, err := paper.TemplateLayout(e.camp.Def, "H3")
			if err != nil {
				b.Fatal(err)
			}
			var clients []*benchClient
			for i := 1; i <= 2*pairs; i++ {
				c := e.login(b, fmt.Sprintf("dtv%d", i))
				c.do(b, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/keying/batches/%d", batchOf["H01"]), nil), nil)
				clients = append(clients, c)
			}
			values := func(code string) url.Values {
				v := url.Values{"code": {code}, "duration_ms": {"30000"}}
				for i, it := range l.Items() {
					v.Set(it.Name, fmt.Sprint(1+i%len(it.Options)))
				}
				return v
			}
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for p := 0; p < pairs; p++ {
				wg.Add(1)
				go func(p int) {
					defer wg.Done()
					first, second := clients[2*p], clients[2*p+1]
					for i := p; i < len(codes); i += pairs {
						code, unit, _ := strings.Cut(codes[i], "/")
						first.key(b, batchOf[unit], values(code), "first")
						second.key(b, batchOf[unit], values(code), "verified")
					}
				}(p)
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			var n int
			e.db.ReadRow(context.Background(), `SELECT count(*) FROM responses WHERE channel = 'paper' AND valid = 1`, nil, &n)
			if n != b.N {
				b.Fatalf("%d verified responses, want %d", n, b.N)
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "forms/s")
			b.ReportMetric(float64(2*b.N)/elapsed.Seconds(), "keyings/s")
		})
	}
}

// importXLSX builds an import file of the codes (group H3), every answer 2.
func importXLSX(b *testing.B, def *campaign.Definition, codes []string) []byte {
	l, err := paper.TemplateLayout(def, "H3")
	if err != nil {
		b.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	header := []any{}
	for _, c := range l.Columns() {
		header = append(header, c)
	}
	sw.SetRow("A1", header)
	for i, code := range codes {
		row := []any{strings.SplitN(code, "/", 2)[0], "21/11/2026"}
		for range l.Items() {
			row = append(row, 2)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	sw.Flush()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImport10k measures uploading a 10,000-row XLSX file through the import page: reading
// the workbook, checking every row, judging it and storing all rows in one transaction.
func BenchmarkImport10k(b *testing.B) {
	const rows = 10000
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e := newBenchEnv(b, 0)
		codes, _ := e.issueH3(b, rows)
		data := importXLSX(b, e.camp.Def, codes)
		sup := e.login(b, "giamsat")
		sup.do(b, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/campaigns/%d/paper/import", e.camp.ID), nil), nil)
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		w.WriteField("_csrf", sup.csrf)
		fw, _ := w.CreateFormFile("file", "vien.xlsx")
		fw.Write(data)
		w.Close()
		req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/campaigns/%d/paper/import", e.camp.ID), &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		b.StartTimer()
		start := time.Now()
		var body []byte
		status := sup.do(b, req, &body)
		total += time.Since(start)
		b.StopTimer()
		if status != 200 || !bytes.Contains(body, []byte(fmt.Sprintf("lưu mới %d phiếu", rows))) {
			b.Fatalf("import: %d %s", status, body[:min(len(body), 2000)])
		}
		b.SetBytes(int64(len(data)))
		b.StartTimer()
	}
	b.ReportMetric(float64(rows*b.N)/total.Seconds(), "rows/s")
	b.ReportMetric(total.Seconds()/float64(b.N), "s/file")
}
