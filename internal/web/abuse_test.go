package web

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/paper"
)

// listen serves the env's app on a loopback port, for tests that need a real socket.
func (e *testEnv) listen() string {
	e.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	go e.srv.App().Listener(ln)
	e.t.Cleanup(func() { e.srv.App().ShutdownWithTimeout(5 * time.Second) })
	return ln.Addr().String()
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func TestADeclaredBodyCostsNothingUntilItArrives(t *testing.T) {
	e := newEnv(t)
	addr := e.listen()
	before := heapInUse()
	const conns = 20
	var open []net.Conn
	for i := 0; i < conns; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, c)
		fmt.Fprintf(c, "POST /p/%032d HTTP/1.1\r\nHost: khaosat.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 30000000\r\n\r\nabc", i)
	}
	defer func() {
		for _, c := range open {
			c.Close()
		}
	}()
	time.Sleep(500 * time.Millisecond) // let the server read every header
	if grown := int64(heapInUse()) - int64(before); grown > 64<<20 {
		t.Fatalf("%d connections declaring 30 MB and sending 3 bytes grew the heap by %d MB", conns, grown>>20)
	}
}

func TestABodyOverItsRouteLimitIsRefusedAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	addr := e.listen()
	cases := []struct {
		name, path string
		length     int
		want       int
	}{
		{"a respondent's post declaring 30 MB", "/p/" + strings.Repeat("a", 32), 30000000, http.StatusRequestEntityTooLarge},
		{"an anonymous login declaring 1 MB", "/login", 1 << 20, http.StatusRequestEntityTooLarge},
		{"any request declaring more than an upload may hold", "/healthz", 40 << 20, http.StatusRequestEntityTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: khaosat.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", tc.path, tc.length)
			c.Write([]byte(strings.Repeat("x", 16<<10))) // past the server's 8 KB read-ahead
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatalf("no answer before the body arrived: %v", err)
			}
			if resp.StatusCode != tc.want || !resp.Close {
				t.Fatalf("status %d, close %v; want %d and the connection closed", resp.StatusCode, resp.Close, tc.want)
			}
		})
	}
	t.Run("a chunked or compressed body is refused", func(t *testing.T) {
		for _, h := range []string{"Transfer-Encoding: chunked", "Content-Encoding: gzip\r\nContent-Length: 10"} {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(c, "POST /login HTTP/1.1\r\nHost: khaosat.test\r\nContent-Type: application/x-www-form-urlencoded\r\n%s\r\n\r\n0123456789", h)
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			c.Close()
			if err != nil || (resp.StatusCode != http.StatusLengthRequired && resp.StatusCode != http.StatusUnsupportedMediaType) {
				t.Fatalf("%s: %v %v", h, resp, err)
			}
		}
	})
}

func TestPostedFieldsAreBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	f, q := e.formFor(forms, campaign.ShapeSingle)
	respondent := e.client()
	respondent.get("/p/" + f.Token)

	t.Run("a form repeating one field thousands of times is refused and nothing is stored", func(t *testing.T) {
		body := strings.Repeat("q_C1=1&", 9000)
		req := httptest.NewRequest(http.MethodPost, "/p/"+f.Token, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, page := respondent.do(req)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, msgBadPostTitle) {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if countResponses(t, e) != 0 {
			t.Fatal("a response was stored")
		}
	})
	t.Run("an answer of 800 KB is refused, not echoed", func(t *testing.T) {
		v := answers(q, nil, 1, "sid-long")
		v.Set("q_"+q.Questions()[0].Code, strings.Repeat("9", 100<<10))
		resp, page := respondent.post("/p/"+f.Token, v)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || len(page) > 64<<10 {
			t.Fatalf("status %d, page %d bytes", resp.StatusCode, len(page))
		}
	})
	t.Run("a question posted twice is a double mark, counted as unanswered", func(t *testing.T) {
		v := answers(q, nil, 1, "sid-double")
		first := q.Questions()[0].Code
		v.Add("q_"+first, "2")
		resp, page := respondent.post("/p/"+f.Token, v)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d\n%s", resp.StatusCode, page)
		}
		var answers string
		if err := e.db.ReadRow(t.Context(), `SELECT a.answers FROM response_answers a JOIN responses r ON r.id = a.response_id WHERE r.form_id = ?`,
			[]any{f.ID}, &answers); err != nil {
			t.Fatal(err)
		}
		if answers[0] != '*' || strings.Count(answers, "*") != 1 {
			t.Fatalf("stored answers %q; want a double mark on the first question only", answers)
		}
	})
	t.Run("a keying with 800 KB items is refused without echoing them", func(t *testing.T) {
		sup, k1 := e.client(), e.client()
		sup.login("giamsat")
		k1.login("dtv1")
		batch := e.recordBatch(sup, "S2", "SNV", 10, paperDay)
		e.addKeyer(sup, "dtv1")
		l, err := paper.NewLayout(e.camp.Def, "S2", "SNV")
		if err != nil {
			t.Fatal(err)
		}
		keyURL := fmt.Sprintf("/keying/batches/%d", batch)
		k1.get(keyURL)
		v := keyed(l, forms["S2"][0].Code, func(int, paper.Item) string { return strings.Repeat("1", 2000) })
		resp, page := k1.post(keyURL, v)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || len(page) > 64<<10 {
			t.Fatalf("status %d, page %d bytes", resp.StatusCode, len(page))
		}
	})
}

func TestRateLimitsCountTheRealClient(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wrong := url.Values{"username": {"admin"}, "password": {"doan-mo-mat-khau"}}
	t.Run("rotating X-Forwarded-For on the left does not buy guesses", func(t *testing.T) {
		c := e.client()
		c.get("/login")
		got429 := 0
		for i := 0; i < 30; i++ {
			req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(wrong.Encode()+"&_csrf="+url.QueryEscape(c.csrf)))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range c.cookies {
				req.AddCookie(&http.Cookie{Name: k, Value: v})
			}
			// A client prepends an address of its choosing; the trusted proxy appends the real one.
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.0.1, 192.0.2.77", i))
			resp, err := e.srv.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode == http.StatusTooManyRequests {
				got429++
			}
		}
		if got429 < 30-loginUserLimit {
			t.Fatalf("only %d of 30 guesses were refused", got429)
		}
	})
	t.Run("an untrusted peer's X-Forwarded-For is ignored", func(t *testing.T) {
		srv := e.srv
		saved := srv.proxies
		srv.proxies = nil
		defer func() { srv.proxies = saved }()
		var seen string
		app := fiber.New()
		app.Get("/", func(c *fiber.Ctx) error { seen = srv.clientIP(c); return nil })
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		if _, err := app.Test(req, -1); err != nil {
			t.Fatal(err)
		}
		if seen != "0.0.0.0" {
			t.Fatalf("client address %q; want the socket's peer", seen)
		}
	})
	t.Run("a victim's address is not locked out by guesses for another account", func(t *testing.T) {
		attacker := e.client()
		attacker.ip = "198.51.100.20"
		attacker.get("/login")
		for i := 0; i < loginUserLimit+2; i++ {
			attacker.post("/login", url.Values{"username": {"khong-ton-tai"}, "password": {"x"}})
		}
		victim := e.client()
		victim.ip = "198.51.100.21"
		victim.login("giamsat")
	})
	t.Run("an office behind one address is not locked out by ten mistakes", func(t *testing.T) {
		office := e.client()
		office.ip = "198.51.100.30"
		office.get("/login")
		for i := 0; i < 12; i++ {
			office.post("/login", url.Values{"username": {fmt.Sprintf("canbo%d", i)}, "password": {"sai"}})
		}
		office.login("dtv2")
	})
	t.Run("the account's own browser still signs in while guesses lock the account elsewhere", func(t *testing.T) {
		owner := e.client()
		owner.ip = "198.51.100.40"
		owner.login("dtv1")
		owner.post("/logout", nil)
		guesser := e.client()
		guesser.ip = "198.51.100.41"
		guesser.get("/login")
		for i := 0; i < loginUserLimit; i++ {
			guesser.post("/login", url.Values{"username": {"dtv1"}, "password": {"sai"}})
		}
		if resp, _ := guesser.post("/login", url.Values{"username": {"dtv1"}, "password": {testPassword}}); resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("the right password after %d guesses got %d; want 429", loginUserLimit, resp.StatusCode)
		}
		owner.get("/login")
		owner.login("dtv1")
	})
}

func TestNextAfterLoginStaysOnTheSite(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"/campaigns/1/results?run=2": "/campaigns/1/results?run=2",
		"/\t/evil.example/x":         "/",
		"/\n/evil.example":           "/",
		"//evil.example":             "/",
		"/\\evil.example":            "/",
		"https://evil.example/":      "/",
		"javascript:alert(1)":        "/",
		"/%2F%2Fevil.example":        "/",
		"/a%20b?x=1#frag":            "/a%20b?x=1",
		" /x":                        "/",
		"":                           "/",
	}
	for in, want := range cases {
		t.Run(fmt.Sprintf("%q becomes %q", in, want), func(t *testing.T) {
			if got := safeNext(in); got != want {
				t.Fatalf("safeNext(%q) = %q", in, got)
			}
		})
	}
	t.Run("the login redirect carries no tab", func(t *testing.T) {
		e := newEnv(t)
		c := e.client()
		c.get("/login")
		resp, _ := c.post("/login", url.Values{"username": {"admin"}, "password": {testPassword}, "next": {"/\t/evil.example/x"}})
		if loc := resp.Header.Get("Location"); loc != "/" {
			t.Fatalf("Location %q", loc)
		}
	})
}

func TestAnonymousPagesCreateNoServerState(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rows := func() int {
		return countWhere(t, e, `SELECT (SELECT count(*) FROM kv) + (SELECT count(*) FROM sessions)`)
	}
	before := rows()
	for i := 0; i < 50; i++ {
		e.client().get("/login")
		e.client().get("/")
	}
	if after := rows(); after != before {
		t.Fatalf("50 anonymous visits wrote %d rows", after-before)
	}
	t.Run("the login form still works and a forged post is refused", func(t *testing.T) {
		c := e.client()
		c.login("admin")
		forger := e.client()
		forger.get("/login")
		forger.csrf = c.csrf // a token stolen from another browser does not fit this browser's cookie
		if resp, _ := forger.post("/login", url.Values{"username": {"admin"}, "password": {testPassword}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("forged post got %d", resp.StatusCode)
		}
		req := httptest.NewRequest(http.MethodPost, "/logout", strings.NewReader("_csrf="+url.QueryEscape(c.csrf)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		if resp, _ := c.do(req); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a post from another origin got %d", resp.StatusCode)
		}
	})
}
