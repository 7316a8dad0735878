package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/compare"
	"github.com/parsurvey/parsurvey/internal/store"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// loadComparison builds the campaign's comparison with its earlier campaign; no link, or no
// run on either side, is a page not found that says which.
func (s *Server) loadComparison(c *fiber.Ctx) (*compare.Comparison, error) {
	cp, err := s.campaign(c)
	if err != nil {
		return nil, err
	}
	cmp, err := compare.Load(c.UserContext(), s.db, cp.ID)
	var noRun *compare.NoRunError
	switch {
	case errors.Is(err, compare.ErrNotLinked):
		return nil, &Error{Status: fiber.StatusNotFound, Msg: msgCompareNotLinked}
	case errors.As(err, &noRun) && noRun.Earlier:
		return nil, &Error{Status: fiber.StatusNotFound, Msg: fmt.Sprintf(msgCompareNoRunBefore, noRun.Code)}
	case errors.As(err, &noRun):
		return nil, &Error{Status: fiber.StatusNotFound, Msg: msgCompareNoRunNow}
	}
	return cmp, err
}

// exportComparison downloads the comparison with the earlier campaign as XLSX or JSON.
func (s *Server) exportComparison(c *fiber.Ctx) error {
	cmp, err := s.loadComparison(c)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("so-sanh-%s-voi-%s", cmp.Now.Code, cmp.Before.Code)
	switch c.Params("format") {
	case "json":
		return sendBuffered(c, fiber.MIMEApplicationJSONCharsetUTF8, name+".json", func(w io.Writer) error { return compare.WriteJSON(w, cmp) })
	default:
		return sendBuffered(c, xlsxType, name+".xlsx", func(w io.Writer) error { return compare.WriteXLSX(w, cmp) })
	}
}

// apiComparison is the comparison in the JSON API, for an API token of the campaign or a
// signed-in reader (apiAuth): the same feed as the JSON download.
func (s *Server) apiComparison(c *fiber.Ctx) error {
	cmp, err := s.loadComparison(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := compare.WriteJSON(&buf, cmp); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(buf.Bytes())
}

// compareTemplate downloads the mapping sheet's template against the earlier campaign named by
// ?earlier=, or the linked one.
func (s *Server) compareTemplate(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	raw := c.Query("earlier")
	if raw == "" {
		link, err := s.db.ComparisonLink(c.UserContext(), cp.ID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return &Error{Status: fiber.StatusBadRequest, Msg: msgCompareTemplateFor}
		case err != nil:
			return err
		}
		raw = fmt.Sprint(link.EarlierID)
	}
	ec, problem, err := s.earlierCampaign(c, cp, raw)
	if err != nil {
		return err
	}
	if problem != "" {
		return &Error{Status: fiber.StatusBadRequest, Msg: problem}
	}
	name := fmt.Sprintf("bang-ghep-don-vi-%s-%s.xlsx", cp.Code, ec.Code)
	return sendBuffered(c, xlsxType, name, func(w io.Writer) error { return compare.WriteTemplate(w, cp.Def, ec.Def) })
}
