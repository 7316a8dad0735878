package testenv

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"
	"time"
)

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// CSRFToken returns the CSRF token of the first form in a page, or "" when it has none.
func CSRFToken(page string) string {
	if m := csrfField.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return ""
}

// Browser returns an HTTP client for a server on a real listener that keeps cookies as a browser
// does but follows no redirect, so that tests see them.
func Browser(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Get fetches u with c and returns the response, its body read and closed, and the body.
func Get(t testing.TB, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read the body: %v", u, err)
	}
	return resp, string(b)
}

// Login signs in to the server at base with c as a person would: it fetches /login for its CSRF
// token and posts the credentials with it. It returns the answer to the post, body closed,
// whatever its status, for tests of a refusal too.
func Login(t testing.TB, c *http.Client, base, username, password string) *http.Response {
	t.Helper()
	_, page := Get(t, c, base+"/login")
	token := CSRFToken(page)
	if token == "" {
		t.Fatalf("login page has no CSRF field:\n%s", page)
	}
	resp, err := c.PostForm(base+"/login", url.Values{"_csrf": {token}, "username": {username}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// SignIn returns a new Browser signed in to the server at base, failing the test unless the
// server took the credentials (303 See Other).
func SignIn(t testing.TB, base, username, password string) *http.Client {
	t.Helper()
	c := Browser(t)
	if resp := Login(t, c, base, username, password); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s = %d, want 303", username, resp.StatusCode)
	}
	return c
}
