package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/auth"
)

const (
	csrfCookie    = "parsurvey_csrf"
	csrfFormField = "_csrf"
	csrfTTL       = 12 * time.Hour
)

// csrf guards staff forms without any server state: a form's token is an HMAC, under the
// server's key, of a random nonce kept in the visitor's own cookie (signed double submit). A
// forged post from another site has neither the cookie's value nor the key, a cookie planted
// by a neighbouring site comes without a matching token, and an anonymous page view writes
// nothing to the database. The token also covers the session cookie, so that a token leaked
// from one session (or taken before sign-in) is worthless in another; a page opened before
// sign-in must be opened again.
func (s *Server) csrf(c *fiber.Ctx) error {
	binding := c.Cookies(csrfCookie)
	if len(binding) < 16 || len(binding) > 64 {
		binding = auth.Token(16)
		c.Cookie(&fiber.Cookie{Name: csrfCookie, Value: binding, Path: "/", HTTPOnly: true, Secure: s.secure,
			SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().Add(csrfTTL)})
	}
	// The token is bound to the session too: a token read while signed out, or in another
	// session, does not post in this one.
	want := s.sign("csrf", binding+"\x00"+c.Cookies(sessionCookie))
	c.Locals(csrfKey, want)
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	got := c.FormValue(csrfFormField)
	if !hmac.Equal([]byte(got), []byte(want)) || !s.sameOrigin(c) {
		s.log.Warn("csrf rejected", "path", c.Path(), "request_id", c.Locals("requestid"))
		return &Error{Status: fiber.StatusForbidden, Msg: msgCSRF}
	}
	return c.Next()
}

// sign is the HMAC under the server's key of value for one purpose (a CSRF nonce, a device).
func (s *Server) sign(purpose, value string) string {
	m := hmac.New(sha256.New, s.signKey)
	m.Write([]byte(purpose + ":" + value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sameOrigin refuses a post whose browser says it came from another site than this request's
// host or the public base URL (a proxy may rewrite the host); a missing Origin (older browsers,
// tools) is left to the token.
func (s *Server) sameOrigin(c *fiber.Ctx) bool {
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" || origin == "null" {
		return origin == ""
	}
	u, err := url.Parse(origin)
	return err == nil && (u.Host == c.Hostname() || u.Host == s.baseHost)
}
