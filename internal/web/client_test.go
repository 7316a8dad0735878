package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// testEnv is a real server over a real SQLite file with the demo campaign loaded.
type testEnv struct {
	t    *testing.T
	db   *store.DB
	srv  *Server
	camp *store.Campaign
}

// testPassword is the password of every test account.
const testPassword = testenv.Password

// newEnv is the server over a temp database holding the demo campaign and the staff accounts
// admin, giamsat, dtv1 and dtv2 (testenv.Staff); the server and the database close when the
// test ends.
func newEnv(t *testing.T) *testEnv {
	t.Helper()
	db := testenv.Open(t)
	camp := testenv.Demo(t, db)
	srv := newServer(t, db)
	testenv.AddStaff(t, db)
	return &testEnv{t: t, db: db, srv: srv, camp: camp}
}

// newServer is the server over db with the test configuration, closed when the test ends
// (before db, which was opened first).
func newServer(tb testing.TB, db *store.DB) *Server {
	tb.Helper()
	srv, err := New(db, testenv.Config(tb, db.Path()), slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(srv.Close)
	return srv
}

// client is a browser-like client for app.Test: it keeps cookies and the last CSRF token.
type client struct {
	e       *testEnv
	cookies map[string]string
	csrf    string
	ip      string
}

func (e *testEnv) client() *client {
	return &client{e: e, cookies: map[string]string{}, ip: "192.0.2.10"}
}

// do sends a request through the real Fiber app and returns status and body.
func (c *client) do(req *http.Request) (*http.Response, string) {
	c.e.t.Helper()
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	req.Header.Set("X-Forwarded-For", c.ip)
	req.RemoteAddr = c.ip + ":1234"
	resp, err := c.e.srv.App().Test(req, -1)
	if err != nil {
		c.e.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Value == "" || ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	body := string(b)
	if tok := testenv.CSRFToken(body); tok != "" {
		c.csrf = tok
	}
	return resp, body
}

func (c *client) get(path string) (*http.Response, string) {
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends a form; the CSRF token from the last page is added unless the form sets _csrf.
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", c.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// login signs in as one of the test accounts.
func (c *client) login(username string) {
	c.e.t.Helper()
	c.get("/login")
	resp, body := c.post("/login", url.Values{"username": {username}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		c.e.t.Fatalf("login %s: status %d\n%s", username, resp.StatusCode, body)
	}
	c.get("/password") // the CSRF token is bound to the session: take one of the new session
}

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}
