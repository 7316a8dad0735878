package web

import (
	"io"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/store"
)

// exportLists downloads the people of the lists, every list or one (?group=&unit=), as XLSX or
// CSV: who they are, their form's code and link, what they were sent, whether they opened the
// link and whether they answered. Nothing of their answers is in it.
func (s *Server) exportLists(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	flt := store.ListFilter{Group: c.Query("group"), Unit: c.Query("unit")}
	people, err := s.db.Respondents(c.UserContext(), cp.ID, flt)
	if err != nil {
		return err
	}
	name := "danh-sach-moi-" + cp.Code
	for _, part := range []string{flt.Group, flt.Unit} {
		if part != "" {
			name += "-" + part
		}
	}
	if c.Params("format") == "csv" {
		attachment(c, "text/csv; charset=utf-8", name+".csv")
		return sendSpooled(c, func(w io.Writer) error { return s.outreach.WriteListCSV(w, cp.Def, people) })
	}
	attachment(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx")
	return sendSpooled(c, func(w io.Writer) error { return s.outreach.WriteListXLSX(w, cp.Def, people) })
}
