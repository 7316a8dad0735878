package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/store"
)

// campaignData is the view model of every page about one campaign.
type campaignData struct {
	pageData
	C   *store.Campaign
	Tab string
}

// campaign returns the campaign named by the :id parameter.
func (s *Server) campaign(c *fiber.Ctx) (*store.Campaign, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return nil, &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
	}
	return s.campaignByID(c, id)
}

func (s *Server) campaignByID(c *fiber.Ctx, id int64) (*store.Campaign, error) {
	cp, err := s.db.Campaign(c.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
	}
	return cp, err
}

func (s *Server) campaignPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	body, err := s.views.render("layout", "campaign", campaignData{pageData: s.page(c), C: cp, Tab: "overview"})
	if err != nil {
		return err
	}
	return send(c, fiber.StatusOK, body)
}
