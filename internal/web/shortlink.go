package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/store"
)

// shortLink sends a short link, <base URL>/<short code>, on to its form's page /p/<token>, so
// that the respondent meets the same page, cache and limits as through the token. A code that
// is malformed, unknown or voided gets the unknown-form page and counts as a miss, exactly like
// an unknown token; a real code is never counted or refused. The route takes every path of one
// segment of twelve characters, so no staff page may have such a path.
func (s *Server) shortLink(c *fiber.Ctx) error {
	short, ok := formcode.ReadShortCode(c.Params("short"))
	if !ok {
		return s.unknownForm(c)
	}
	f, err := s.db.FormByShortLink(c.UserContext(), short)
	if errors.Is(err, store.ErrNotFound) || (err == nil && f.Voided) {
		return s.unknownForm(c)
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect("/p/"+f.Token, fiber.StatusSeeOther)
}
