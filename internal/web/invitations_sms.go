package web

import (
	"bytes"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/outreach"
)

// smsFile downloads the messages of the selection for an SMS gateway, as CSV or XLSX, and
// records them as sent by SMS now: handing the file to the gateway is how an office sends them.
// Only people with a mobile number who are due the message are in it.
func (s *Server) smsFile(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	errs := fieldErrors{}
	sel, kind := selection(c, cp.Def, errs)
	if len(errs) > 0 {
		return &Error{Status: fiber.StatusUnprocessableEntity, Msg: msgKindInvalid}
	}
	box, err := s.outreach.Outbox(c.UserContext(), cp, sel, kind, outreach.SMS)
	if err != nil {
		return err
	}
	if len(box) == 0 {
		return outreach.ErrNobodyDue
	}
	var buf bytes.Buffer
	name := fmt.Sprintf("sms-%s-%s", kind, cp.Code)
	for _, part := range []string{sel.Group, sel.Unit} {
		if part != "" {
			name += "-" + part
		}
	}
	csv := c.Params("format") == "csv"
	if csv {
		err = outreach.WriteSMSCSV(&buf, box)
	} else {
		err = outreach.WriteSMSXLSX(&buf, box)
	}
	if err != nil {
		return err
	}
	ids := make([]int64, len(box))
	for i, o := range box {
		ids[i] = o.Person.ID
	}
	if _, err := s.outreach.RecordSent(c.UserContext(), cp, sel, kind, outreach.SMS, ids, currentUser(c).ID); err != nil {
		return err
	}
	if csv {
		attachment(c, "text/csv; charset=utf-8", name+".csv")
	} else {
		attachment(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx")
	}
	return c.Send(buf.Bytes())
}
