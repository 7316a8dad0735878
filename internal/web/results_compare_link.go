package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/compare"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// maxMappingFile bounds an uploaded mapping sheet.
const maxMappingFile = 8 << 20

// earlierCampaign reads the earlier campaign chosen in a form or a query: one that exists, is
// not cp, and is not of a later year. The message says why not, in Vietnamese.
func (s *Server) earlierCampaign(c *fiber.Ctx, cp *store.Campaign, raw string) (*store.Campaign, string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, msgCompareNoEarlier, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 || id == cp.ID {
		return nil, msgCompareBadEarlier, nil
	}
	ec, err := s.db.Campaign(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, msgCompareBadEarlier, nil
	}
	if err != nil {
		return nil, "", err
	}
	if ec.Year > cp.Year {
		return nil, fmt.Sprintf(msgCompareLaterEarlier, ec.Code, ec.Year, cp.Year), nil
	}
	return ec, "", nil
}

// beforeLabel names the earlier campaign in the mapping sheet's messages: "đợt 2025".
func beforeLabel(cp, ec *store.Campaign) string {
	if ec.Year == cp.Year {
		return ec.Code
	}
	return fmt.Sprint(ec.Year)
}

// linkComparison links the campaign to an earlier one, with an optional mapping sheet checked
// row by row: on any error nothing is stored and the page lists every problem, the choice
// kept. Without a file, a link to the campaign already linked keeps its stored mapping unless
// "by code" is ticked.
func (s *Server) linkComparison(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	chosen := c.FormValue("earlier")
	byCode := c.FormValue("by_code") != ""
	ec, problem, err := s.earlierCampaign(c, cp, chosen)
	if err != nil {
		return err
	}
	var name string
	var data []byte
	if problem == "" {
		fh, ferr := c.FormFile("file")
		switch {
		case ferr != nil || fh == nil || fh.Size == 0:
		case fh.Size > maxMappingFile:
			problem = msgCompareTooBig
		default:
			name = vn.NFC(fh.Filename)
			if data, err = readPosted(fh, maxMappingFile); err != nil {
				return err
			}
		}
	}
	var errs []string
	if problem != "" {
		errs = []string{problem}
	}
	link := &store.ComparisonLink{CampaignID: cp.ID}
	if ec != nil {
		link.EarlierID = ec.ID
	}
	if len(errs) == 0 && data != nil {
		m, rowErrs := compare.ParseMapping(cp.Def, ec.Def, beforeLabel(cp, ec), name, data)
		for _, e := range rowErrs {
			errs = append(errs, e.Error())
		}
		link.Source, link.Mappings = m.Source, m.Rows()
	}
	if len(errs) > 0 {
		d, err := s.compareView(c, cp)
		if err != nil {
			return err
		}
		d.Errors, d.File = errs, name
		if id, err := strconv.ParseInt(strings.TrimSpace(chosen), 10, 64); err == nil {
			d.Earlier = id
		}
		return s.renderPage(c, fiber.StatusUnprocessableEntity, "results_compare", d)
	}
	keep := data == nil && !byCode
	if err := s.db.SaveComparisonLink(c.UserContext(), link, keep, currentUser(c).ID); err != nil {
		return err
	}
	switch {
	case data != nil:
		s.setFlash(c, fmt.Sprintf(msgCompareLinkedSheet, ec.Code, vn.Int(int64(len(link.Mappings))), link.Source))
	case link.Source != "":
		s.setFlash(c, fmt.Sprintf(msgCompareLinkedKept, ec.Code, link.Source))
	default:
		s.setFlash(c, fmt.Sprintf(msgCompareLinked, ec.Code))
	}
	return c.Redirect(fmt.Sprintf("/campaigns/%d/results/compare", cp.ID), fiber.StatusSeeOther)
}

// unlinkComparison removes the campaign's link to an earlier campaign and its mapping.
func (s *Server) unlinkComparison(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	err = s.db.DeleteComparisonLink(c.UserContext(), cp.ID, currentUser(c).ID)
	if errors.Is(err, store.ErrNotFound) {
		return &Error{Status: fiber.StatusNotFound, Msg: msgCompareNotLinked}
	}
	if err != nil {
		return err
	}
	s.setFlash(c, msgCompareUnlinked)
	return c.Redirect(fmt.Sprintf("/campaigns/%d/results/compare", cp.ID), fiber.StatusSeeOther)
}
