package web

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/store"
)

// Words of the JSON API (its errors are {"error": "…"}).
const (
	msgAPIUnauthorized = "Cần đăng nhập hoặc khóa truy cập (Authorization: Bearer …)."
	msgAPIForbidden    = "Khóa truy cập này không được đọc đợt khảo sát này."
	msgAPINoRun        = "Đợt khảo sát chưa có lần tính điểm nào."
)

// apiAuth lets through a request with a live API token of the campaign (or of every campaign)
// in "Authorization: Bearer …", or from a signed-in user of apiRoles whose scope holds the campaign.
func (s *Server) apiAuth(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		scheme, value, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(value) == "" {
			return s.unauthorized(c)
		}
		tok, err := s.db.APITokenByValue(c.UserContext(), strings.TrimSpace(value))
		if errors.Is(err, store.ErrNotFound) {
			return s.unauthorized(c)
		}
		if err != nil {
			return err
		}
		if tok.CampaignID != 0 && tok.CampaignID != id {
			return &Error{Status: fiber.StatusForbidden, Msg: msgAPIForbidden}
		}
		if err := s.db.TouchAPIToken(c.UserContext(), tok); err != nil {
			s.log.Warn("api token not touched", "err", err)
		}
		c.Locals(apiTokenKey, tok.ID)
		return c.Next()
	}
	if tok := c.Cookies(sessionCookie); tok != "" {
		u, err := s.db.SessionUser(c.UserContext(), tok, sessionIdle)
		switch {
		case err == nil && slices.Contains(apiRoles, u.Role): // routes.go
			c.Locals(userKey, u)
			return s.requireScope(c)
		case err == nil:
			return &Error{Status: fiber.StatusForbidden, Msg: msgForbidden}
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	return s.unauthorized(c)
}

func (s *Server) unauthorized(c *fiber.Ctx) error {
	c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="parsurvey"`)
	return &Error{Status: fiber.StatusUnauthorized, Msg: msgAPIUnauthorized}
}

// apiScores is the JSON feed of a campaign's newest score run (or ?run=N), for the index's
// aggregation system; the README documents it. The result digest is its ETag.
func (s *Server) apiScores(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	var id int64
	if v := c.Query("run"); v != "" {
		if id, err = strconv.ParseInt(v, 10, 64); err != nil || id <= 0 {
			return &Error{Status: fiber.StatusNotFound, Msg: msgRunNotFound}
		}
	}
	run, err := scorerun.Load(c.UserContext(), s.db, cp.ID, id)
	switch {
	case errors.Is(err, store.ErrNotFound) && id == 0:
		return &Error{Status: fiber.StatusNotFound, Msg: msgAPINoRun}
	case errors.Is(err, store.ErrNotFound):
		return &Error{Status: fiber.StatusNotFound, Msg: msgRunNotFound}
	case err != nil:
		return err
	}
	etag := `"` + strings.TrimPrefix(run.ResultDigest, "sha256:") + `-` + strconv.FormatInt(run.ID, 10) + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	var buf bytes.Buffer
	if err := export.WriteJSON(&buf, run); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(buf.Bytes())
}
