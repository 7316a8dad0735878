package web

import (
	"crypto/hmac"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

const (
	sessionCookie = "parsurvey_session"
	flashCookie   = "parsurvey_flash"
	deviceCookie  = "parsurvey_device"
	deviceTTL     = 365 * 24 * time.Hour
	sessionTTL    = 12 * time.Hour
	// sessionIdle ends a session unused this long: a keyer's pause for lunch is shorter, a
	// screen left signed in overnight at a commune office is not.
	sessionIdle = 2 * time.Hour
	userKey     = "user"
	csrfKey     = "csrf"
	// apiTokenKey holds the id of the API token a JSON API request came with.
	apiTokenKey = "api_token"
)

func currentUser(c *fiber.Ctx) *store.User {
	u, _ := c.Locals(userKey).(*store.User)
	return u
}

func csrfToken(c *fiber.Ctx) string {
	t, _ := c.Locals(csrfKey).(string)
	return t
}

// loadUser puts the signed-in user, if any, into the request's locals.
func (s *Server) loadUser(c *fiber.Ctx) error {
	if tok := c.Cookies(sessionCookie); tok != "" {
		u, err := s.db.SessionUser(c.UserContext(), tok, sessionIdle)
		switch {
		case err == nil:
			c.Locals(userKey, u)
			c.SetUserContext(store.WithUser(c.UserContext(), u.ID))
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	return c.Next()
}

// requireUser sends anyone not signed in to the login page, and someone whose password an
// administrator set to the password page until they have chosen their own.
func (s *Server) requireUser(c *fiber.Ctx) error {
	u := currentUser(c)
	switch {
	case u == nil:
		return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	case u.MustChangePassword && c.Path() != "/password":
		s.setFlash(c, "!"+msgMustChangePassword)
		return c.Redirect("/password", fiber.StatusSeeOther)
	}
	return c.Next()
}

// requireRole lets through only the listed roles.
func (s *Server) requireRole(roles ...store.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		for _, r := range roles {
			if u != nil && u.Role == r {
				return c.Next()
			}
		}
		return &Error{Status: fiber.StatusForbidden, Msg: msgForbidden}
	}
}

// requireScope answers a campaign outside the signed-in user's scope as one that does not
// exist: 404, not 403, so that its existence is not told either.
func (s *Server) requireScope(c *fiber.Ctx) error {
	ok, err := s.inScope(c, currentUser(c))
	if err != nil {
		return err
	}
	if !ok {
		return &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
	}
	return c.Next()
}

// inScope reports whether the campaign of the route's :id is in u's scope.
func (s *Server) inScope(c *fiber.Ctx, u *store.User) (bool, error) {
	if u == nil || !u.Scoped() {
		return true, nil
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return false, nil
	}
	return s.db.CampaignInScope(c.UserContext(), u, id)
}

// audited records each successful use of a route under action, after its handler: who, which
// campaign, the path and its query. A use that cannot be recorded fails, so nothing leaves
// the service unrecorded.
func (s *Server) audited(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := c.Next(); err != nil {
			return err
		}
		if st := c.Response().StatusCode(); st < 200 || st >= 300 {
			return nil
		}
		var userID int64
		if u := currentUser(c); u != nil {
			userID = u.ID
		}
		campaignID, _ := strconv.ParseInt(c.Params("id"), 10, 64)
		if !campaignRoute(c.Route().Path) {
			campaignID = 0
		}
		detail := map[string]any{"path": c.Path()}
		if q := string(c.Request().URI().QueryString()); q != "" {
			detail["query"] = q
		}
		// What was chosen, in the query or the posted form (a print run's group and unit).
		for _, k := range []string{"group", "unit", "run"} {
			v := c.Query(k)
			if v == "" && c.Method() == fiber.MethodPost {
				v = c.FormValue(k)
			}
			if v != "" {
				detail[k] = cutText(v, 64)
			}
		}
		if f := c.Params("format"); f != "" {
			detail["format"] = f
		}
		if t, ok := c.Locals(apiTokenKey).(int64); ok {
			detail["token"] = t
		}
		if err := s.db.Audit(c.UserContext(), userID, action, campaignID, c.Params("format"), detail); err != nil {
			return fmt.Errorf("web: audit %s: %w", action, err)
		}
		return nil
	}
}

type loginData struct {
	pageData
	Error    string
	Next     string
	Username string
}

// safeNext keeps a post-login redirect on this site: a path of ours, parsed and written out
// again, or "/". Browsers drop tabs and newlines from a URL and read a backslash as a slash, so
// "/\t/evil.example" would leave the site: any control character, space or backslash is refused.
func safeNext(next string) string {
	if strings.ContainsFunc(next, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '\\' }) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	out := (&url.URL{Path: u.Path, RawPath: u.RawPath, RawQuery: u.RawQuery}).String()
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") {
		return "/"
	}
	return out
}

func (s *Server) loginPage(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	return s.renderLogin(c, fiber.StatusOK, loginData{pageData: s.page(c), Next: safeNext(c.Query("next"))})
}

func (s *Server) renderLogin(c *fiber.Ctx, status int, d loginData) error {
	return s.renderPage(c, status, "login", d)
}

// login signs a member of staff in. Failed attempts are counted per client address and per
// account name (whether or not it exists, so the refusal tells nothing): past either limit
// every attempt is refused, the right password included, until the window ends. A browser that
// signed in to the account before carries a device cookie and is counted apart, so guessing
// from elsewhere does not lock the account's owner out (OWASP's device cookies).
func (s *Server) login(c *fiber.Ctx) error {
	username := strings.ReplaceAll(strings.ToValidUTF8(vn.NFC(c.FormValue("username")), "\uFFFD"), "\x00", "")
	password := c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	addr, account := s.clientIP(c), strings.ToLower(username)
	if len(account) > 64 {
		account = account[:64]
	}
	device := s.deviceToken(account)
	if hmac.Equal([]byte(c.Cookies(deviceCookie)), []byte(device)) {
		account = "device:" + account
	}
	if s.loginAddrs.blocked(addr) || s.loginUsers.blocked(account) {
		s.log.Warn("login throttled", "username", account, "addr", addr)
		return s.renderLogin(c, fiber.StatusTooManyRequests, loginData{pageData: s.page(c), Error: msgLoginThrottle, Next: next, Username: username})
	}
	u, err := s.db.UserByName(c.UserContext(), username)
	reason := ""
	switch {
	case errors.Is(err, store.ErrNotFound):
		auth.CheckNobody(password)
		reason = "unknown"
	case err != nil:
		return err
	case u.Disabled:
		auth.CheckNobody(password)
		u, reason = nil, "disabled"
	case auth.CheckPassword(u.PasswordHash, password) != nil:
		u, reason = nil, "password"
	}
	if u == nil {
		s.loginAddrs.hit(addr)
		s.loginUsers.hit(account)
		s.log.Info("login failed", "username", username, "addr", addr)
		if err := s.db.LoginFailed(c.UserContext(), username, addr, reason); err != nil {
			return err
		}
		return s.renderLogin(c, fiber.StatusUnauthorized, loginData{pageData: s.page(c), Error: msgLoginFailed, Next: next, Username: username})
	}
	tok := auth.Token(32)
	// A new session id at every sign-in: the one this browser had before ends.
	if err := s.db.CreateSession(c.UserContext(), tok, c.Cookies(sessionCookie), u.ID, sessionTTL); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: tok, Path: "/", HTTPOnly: true, Secure: s.secure,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().Add(sessionTTL)})
	c.Cookie(&fiber.Cookie{Name: deviceCookie, Value: device, Path: "/login", HTTPOnly: true, Secure: s.secure,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().Add(deviceTTL)})
	if u.Role == store.RoleEnumerator && next == "/" {
		next = "/keying"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// deviceToken is the device cookie of a browser that signed in to account.
func (s *Server) deviceToken(account string) string {
	return s.sign("device", account)
}

func (s *Server) logout(c *fiber.Ctx) error {
	if tok := c.Cookies(sessionCookie); tok != "" {
		if err := s.db.DeleteSession(c.UserContext(), tok); err != nil {
			return err
		}
	}
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: "", Path: "/", HTTPOnly: true, Secure: s.secure, Expires: time.Unix(1, 0)})
	s.setFlash(c, msgLoggedOut)
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// setFlash leaves a one-time message for the next page.
func (s *Server) setFlash(c *fiber.Ctx, msg string) {
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HTTPOnly: true, Secure: s.secure,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().Add(time.Minute)})
}

func (s *Server) takeFlash(c *fiber.Ctx) string {
	v := c.Cookies(flashCookie)
	if v == "" {
		return ""
	}
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: "", Path: "/", Expires: time.Unix(1, 0)})
	msg, _ := url.QueryUnescape(v)
	return msg
}

// cutText cuts s to at most n bytes without splitting a character.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
