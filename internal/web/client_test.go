package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/config"
	"github.com/parsurvey/parsurvey/internal/store"
)

// testEnv is a real server over a real SQLite file with the demo campaign loaded.
type testEnv struct {
	t    *testing.T
	db   *store.DB
	srv  *Server
	camp *store.Campaign
}

const testPassword = "mat-khau-thu-nghiem"

func newEnv(t *testing.T) *testEnv {
	t.Helper()
	dbPath := filepath.Join(t.TempDir(), "web.db")
	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	def, err := campaign.Load(forms.FS, "demo")
	if err != nil {
		t.Fatal(err)
	}
	camp, _, err := db.SaveDefinition(context.Background(), def, 0)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DB = dbPath
	cfg.BaseURL = "http://khaosat.test"
	cfg.ProxyHeader = "X-Forwarded-For"
	cfg.TrustedProxies = "0.0.0.0/32" // app.Test's connection: the reverse proxy of these tests
	srv, err := New(db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, db: db, srv: srv, camp: camp}
	for _, u := range []struct {
		name string
		role store.Role
	}{{"admin", store.RoleAdmin}, {"giamsat", store.RoleSupervisor}, {"dtv1", store.RoleEnumerator}, {"dtv2", store.RoleEnumerator}} {
		hash, _ := auth.HashPassword(testPassword)
		if err := db.CreateUser(context.Background(), &store.User{Username: u.name, FullName: "Cán bộ " + u.name, Role: u.role, PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
	}
	return e
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

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

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
	if m := csrfField.FindStringSubmatch(body); m != nil {
		c.csrf = m[1]
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
}

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}
