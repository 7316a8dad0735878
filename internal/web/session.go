package web

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

const (
	sessionCookie = "parsurvey_session"
	flashCookie   = "parsurvey_flash"
	sessionTTL    = 12 * time.Hour
	userKey       = "user"
	csrfKey       = "csrf"
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
		u, err := s.db.SessionUser(c.Context(), tok)
		switch {
		case err == nil:
			c.Locals(userKey, u)
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	return c.Next()
}

// requireUser sends anyone not signed in to the login page.
func (s *Server) requireUser(c *fiber.Ctx) error {
	if currentUser(c) == nil {
		return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
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

// loginLimiter allows ten attempts a minute from one address.
func (s *Server) loginLimiter() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:        10,
		Expiration: time.Minute,
		LimitReached: func(c *fiber.Ctx) error {
			return &Error{Status: fiber.StatusTooManyRequests, Msg: msgLoginThrottle}
		},
	})
}

type loginData struct {
	pageData
	Error    string
	Next     string
	Username string
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) {
		return "/"
	}
	return next
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

func (s *Server) login(c *fiber.Ctx) error {
	username := vn.NFC(c.FormValue("username"))
	password := c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	u, err := s.db.UserByName(c.Context(), username)
	switch {
	case errors.Is(err, store.ErrNotFound):
		auth.CheckNobody(password)
	case err != nil:
		return err
	case u.Disabled:
		auth.CheckNobody(password)
		u = nil
	case auth.CheckPassword(u.PasswordHash, password) != nil:
		u = nil
	}
	if u == nil {
		s.log.Info("login failed", "username", username)
		return s.renderLogin(c, fiber.StatusUnauthorized, loginData{pageData: s.page(c), Error: msgLoginFailed, Next: next, Username: username})
	}
	tok := auth.Token(32)
	if err := s.db.CreateSession(c.Context(), tok, u.ID, sessionTTL); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: tok, Path: "/", HTTPOnly: true, Secure: s.secure,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().Add(sessionTTL)})
	if u.Role == store.RoleEnumerator && next == "/" {
		next = "/keying"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

func (s *Server) logout(c *fiber.Ctx) error {
	if tok := c.Cookies(sessionCookie); tok != "" {
		if err := s.db.DeleteSession(c.Context(), tok); err != nil {
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
