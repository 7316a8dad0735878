package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var shownPassword = regexp.MustCompile(`<code class="secret">([^<]+)</code>`)

func TestAccountsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.client()
	admin.login("admin")
	t.Run("only administrators reach it", func(t *testing.T) {
		sup := e.client()
		sup.login("giamsat")
		if resp, _ := sup.get("/users"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("supervisor = %d", resp.StatusCode)
		}
	})
	resp, body := admin.get("/users")
	if resp.StatusCode != 200 {
		t.Fatalf("users page = %d", resp.StatusCode)
	}
	mustContain(t, body, "Thêm tài khoản", "giamsat", "dtv1")
	var password string
	t.Run("a new enumerator gets a generated password, shown once, that signs in", func(t *testing.T) {
		resp, body := admin.post("/users", url.Values{"username": {"dtv9"}, "full_name": {"Lê Văn Chín"}, "role": {"enumerator"}})
		if resp.StatusCode != 200 {
			t.Fatalf("create = %d", resp.StatusCode)
		}
		m := shownPassword.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no password shown")
		}
		password = m[1]
		_, again := admin.get("/users")
		if shownPassword.MatchString(again) {
			t.Fatal("the password is shown a second time")
		}
		k := e.client()
		k.get("/login")
		resp, _ = k.post("/login", url.Values{"username": {"dtv9"}, "password": {password}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/keying" {
			t.Fatalf("new enumerator sign-in = %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("a taken user name is refused", func(t *testing.T) {
		resp, body := admin.post("/users", url.Values{"username": {"DTV9"}, "full_name": {"x"}, "role": {"enumerator"}})
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("duplicate = %d", resp.StatusCode)
		}
		mustContain(t, body, "đã có người dùng")
	})
	t.Run("a disabled account loses its session and cannot sign in", func(t *testing.T) {
		k := e.client()
		k.login("dtv2")
		id := e.userID("dtv2")
		admin.get("/users")
		if resp, _ := admin.post("/users/"+itoa(id)+"/toggle", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("toggle = %d", resp.StatusCode)
		}
		if resp, _ := k.get("/keying"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("disabled user still signed in: %d", resp.StatusCode)
		}
		k2 := e.client()
		k2.get("/login")
		if resp, _ := k2.post("/login", url.Values{"username": {"dtv2"}, "password": {testPassword}}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("disabled sign-in = %d", resp.StatusCode)
		}
	})
	t.Run("anyone changes their own password with the current one", func(t *testing.T) {
		u := e.client()
		u.login("giamsat")
		u.get("/password")
		resp, body := u.post("/password", url.Values{"current": {"sai-mat-khau-cu"}, "new": {"mat-khau-moi-dai"}, "repeat": {"mat-khau-moi-dai"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong current = %d", resp.StatusCode)
		}
		mustContain(t, body, "Mật khẩu hiện tại không đúng")
		resp, _ = u.post("/password", url.Values{"current": {testPassword}, "new": {"mat-khau-moi-dai"}, "repeat": {"mat-khau-moi-dai"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("change = %d", resp.StatusCode)
		}
		v := e.client()
		v.get("/login")
		if resp, _ := v.post("/login", url.Values{"username": {"giamsat"}, "password": {"mat-khau-moi-dai"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("new password sign-in = %d", resp.StatusCode)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestAPasswordAnAdministratorSetMustBeChangedFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.client()
	admin.login("admin")
	_, body := admin.post(fmt.Sprintf("/users/%d/password", e.userID("dtv1")), nil)
	m := shownPassword.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no password shown")
	}
	k := e.client()
	k.get("/login")
	if resp, _ := k.post("/login", url.Values{"username": {"dtv1"}, "password": {m[1]}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in with the reset password = %d", resp.StatusCode)
	}
	for _, path := range []string{"/keying", "/"} {
		if resp, _ := k.get(path); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/password" {
			t.Fatalf("%s before the change = %d %s; want the password page", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	_, page := k.get("/password")
	mustContain(t, page, msgMustChangePassword)
	resp, _ := k.post("/password", url.Values{"current": {m[1]}, "new": {"mat-khau-moi-cua-toi"}, "repeat": {"mat-khau-moi-cua-toi"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change = %d", resp.StatusCode)
	}
	k.get("/login")
	k.post("/login", url.Values{"username": {"dtv1"}, "password": {"mat-khau-moi-cua-toi"}})
	if resp, _ := k.get("/keying"); resp.StatusCode != http.StatusOK {
		t.Fatalf("keying after the change = %d", resp.StatusCode)
	}
}

func TestSigningInRotatesTheSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.login("admin")
	first := c.cookies[sessionCookie]
	c.login("admin")
	if c.cookies[sessionCookie] == first {
		t.Fatal("the session id did not change at sign-in")
	}
	old := e.client()
	old.cookies[sessionCookie] = first
	if resp, _ := old.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the previous session still signs in: %d", resp.StatusCode)
	}
}

func TestAccountFieldsRefuseWhatNobodyTypes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.client()
	admin.login("admin")
	cases := map[string]string{
		"a user name of bytes that are not UTF-8": "dtv\xffx",
		"a user name with a NUL":                  "dtv\x00x",
		"a user name of 65 characters":            strings.Repeat("á", 65),
	}
	for name, username := range cases {
		t.Run(name, func(t *testing.T) {
			resp, _ := admin.post("/users", url.Values{"username": {username}, "full_name": {"Lê Văn Chín"}, "role": {"enumerator"}})
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if n := countWhere(t, e, `SELECT count(*) FROM users WHERE full_name = 'Lê Văn Chín'`); n != 0 {
				t.Fatal("the account was created")
			}
		})
	}
}
