package web

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	resp, body := e.client().get("/healthz")
	if resp.StatusCode != 200 || body != "ok" {
		t.Fatalf("healthz = %d %q", resp.StatusCode, body)
	}
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	t.Run("a visitor is sent to the login page with the page it wanted", func(t *testing.T) {
		resp, _ := e.client().get("/campaigns/1")
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next=%2Fcampaigns%2F1" {
			t.Fatalf("got %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("the right password opens a session and the home page lists campaigns", func(t *testing.T) {
		c := e.client()
		c.login("admin")
		resp, body := c.get("/")
		if resp.StatusCode != 200 {
			t.Fatalf("home = %d", resp.StatusCode)
		}
		mustContain(t, body, "Các đợt khảo sát", e.camp.Name, "Đăng xuất")
	})
	t.Run("a wrong password is refused in Vietnamese and opens no session", func(t *testing.T) {
		c := e.client()
		c.get("/login")
		resp, body := c.post("/login", url.Values{"username": {"admin"}, "password": {"sai-mat-khau-roi"}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Tên đăng nhập hoặc mật khẩu không đúng")
		if _, ok := c.cookies[sessionCookie]; ok {
			t.Fatal("session cookie set after a failed login")
		}
	})
	t.Run("a login redirect never leaves the site", func(t *testing.T) {
		c := e.client()
		c.get("/login")
		resp, _ := c.post("/login", url.Values{"username": {"admin"}, "password": {testPassword}, "next": {"//evil.example/x"}})
		if loc := resp.Header.Get("Location"); loc != "/" {
			t.Fatalf("redirected to %q", loc)
		}
	})
	t.Run("sessions live in the database, so a new server keeps users signed in", func(t *testing.T) {
		c := e.client()
		c.login("admin")
		srv2 := newServer(t, e.db)
		old := e.srv
		e.srv = srv2
		defer func() { e.srv = old }()
		resp, _ := c.get("/")
		if resp.StatusCode != 200 {
			t.Fatalf("after restart home = %d", resp.StatusCode)
		}
	})
	t.Run("logging out ends the session", func(t *testing.T) {
		c := e.client()
		c.login("admin")
		tok := c.cookies[sessionCookie]
		c.get("/")
		resp, _ := c.post("/logout", nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout = %d", resp.StatusCode)
		}
		c.cookies[sessionCookie] = tok
		if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("old session still works: %d", resp.StatusCode)
		}
	})
	t.Run("an enumerator cannot open campaign pages", func(t *testing.T) {
		c := e.client()
		c.login("dtv1")
		resp, body := c.get(fmt.Sprintf("/campaigns/%d", e.camp.ID))
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "không có quyền")
	})
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	t.Run("a login form posted without its token is refused", func(t *testing.T) {
		c := e.client()
		c.get("/login")
		resp, body := c.post("/login", url.Values{"_csrf": {""}, "username": {"admin"}, "password": {testPassword}})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Biểu mẫu đã hết hạn")
	})
	t.Run("a token from another browser is refused", func(t *testing.T) {
		a, b := e.client(), e.client()
		a.get("/login")
		b.get("/login")
		resp, _ := b.post("/login", url.Values{"_csrf": {a.csrf}, "username": {"admin"}, "password": {testPassword}})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("logout without a token is refused and the session stays", func(t *testing.T) {
		c := e.client()
		c.login("admin")
		resp, _ := c.post("/logout", url.Values{"_csrf": {"forged"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if resp, _ := c.get("/"); resp.StatusCode != 200 {
			t.Fatal("session lost")
		}
	})
}

func TestLoginIsRateLimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.get("/login")
	var last int
	for i := 0; i < 12; i++ {
		resp, _ := c.post("/login", url.Values{"username": {"admin"}, "password": {"doan-mo-mat-khau"}})
		last = resp.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("12th attempt got %d, want 429", last)
	}
	other := e.client()
	other.ip = "198.51.100.7"
	other.login("giamsat")
}

func TestEveryStaffPageRenders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.login("admin")
	for _, path := range []string{"/", fmt.Sprintf("/campaigns/%d", e.camp.ID)} {
		resp, body := c.get(path)
		if resp.StatusCode != 200 {
			t.Errorf("%s = %d", path, resp.StatusCode)
		}
		mustContain(t, body, "<html lang=\"vi\">", "</html>")
	}
	resp, body := c.get("/campaigns/999")
	if resp.StatusCode != 404 {
		t.Errorf("unknown campaign = %d", resp.StatusCode)
	}
	mustContain(t, body, "Không tìm thấy")
}
