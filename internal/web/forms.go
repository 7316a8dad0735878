package web

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/issuing"
	"github.com/parsurvey/parsurvey/internal/jobs"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// formsData is the issuing page's view model.
type formsData struct {
	campaignData
	Counts      []store.QuotaRow
	Enumerators []store.User
	Found       *store.IssuedForm
	FoundLink   string
	Query       string
	QueryError  string
	Jobs        []*jobs.Job
}

func (s *Server) issuingService() *issuing.Service {
	return &issuing.Service{DB: s.db, BaseURL: s.cfg.BaseURL}
}

func (s *Server) formsPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	d := formsData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "forms"}}
	if d.Counts, err = s.db.FormCounts(c.UserContext(), cp.ID); err != nil {
		return err
	}
	if d.Enumerators, err = s.db.Users(c.UserContext(), store.RoleEnumerator); err != nil {
		return err
	}
	if q := vn.NFC(c.Query("code")); q != "" {
		d.Query = q
		code, perr := formcode.Parse(q)
		switch {
		case perr != nil:
			d.QueryError = perr.Error()
		default:
			f, err := s.db.FormByCode(c.UserContext(), code.String())
			switch {
			case errors.Is(err, store.ErrNotFound) || (err == nil && f.CampaignID != cp.ID):
				d.QueryError = fmt.Sprintf(msgCodeUnknown, code.String())
			case err != nil:
				return err
			default:
				d.Found, d.FoundLink = f, s.issuingService().Link(f.Token)
			}
		}
	}
	return s.renderPage(c, fiber.StatusOK, "forms", d)
}

func (s *Server) issueForms(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	reserve, err := strconv.Atoi(strings.TrimSpace(c.FormValue("reserve", "0")))
	if err != nil {
		return &Error{Status: fiber.StatusBadRequest, Msg: "Tỷ lệ dự phòng phải là số nguyên."}
	}
	n, err := s.issuingService().Issue(c.UserContext(), cp, c.FormValue("group"), c.FormValue("unit"), reserve, currentUser(c).ID)
	if err != nil {
		return &Error{Status: fiber.StatusBadRequest, Msg: "Không phát được phiếu: " + err.Error()}
	}
	if n == 0 {
		s.setFlash(c, "Mọi phiếu của lựa chọn này đã được phát trước đó; không phát thêm phiếu nào.")
	} else {
		s.setFlash(c, fmt.Sprintf("Đã phát thêm %s phiếu.", vn.Int(int64(n))))
	}
	return c.Redirect(fmt.Sprintf("/campaigns/%d/forms", cp.ID), fiber.StatusSeeOther)
}

func (s *Server) voidForm(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	code, err := formcode.Parse(c.FormValue("code"))
	if err != nil {
		return &Error{Status: fiber.StatusBadRequest, Msg: err.Error()}
	}
	reason := vn.NFC(c.FormValue("reason"))
	if reason == "" {
		return &Error{Status: fiber.StatusBadRequest, Msg: "Cần ghi lý do hủy phiếu."}
	}
	if f, err := s.db.FormByCode(c.UserContext(), code.String()); err != nil || f.CampaignID != cp.ID {
		return &Error{Status: fiber.StatusNotFound, Msg: fmt.Sprintf(msgCodeUnknown, code.String())}
	}
	rep, err := s.db.VoidForm(c.UserContext(), code.String(), reason, c.FormValue("replace") == "1", currentUser(c).ID)
	switch {
	case errors.Is(err, store.ErrAlreadyVoided):
		return &Error{Status: fiber.StatusConflict, Msg: "Phiếu " + code.String() + " đã bị hủy trước đó."}
	case errors.Is(err, store.ErrAnswered):
		return &Error{Status: fiber.StatusConflict, Msg: "Phiếu " + code.String() + " đã có câu trả lời, không thể hủy."}
	case err != nil:
		return err
	}
	msg := "Đã hủy phiếu " + code.String() + "."
	if rep != nil {
		msg += " Phiếu thay thế: " + rep.Code + "."
	}
	s.setFlash(c, msg)
	return c.Redirect(fmt.Sprintf("/campaigns/%d/forms?code=%s", cp.ID, code.String()), fiber.StatusSeeOther)
}

func (s *Server) assignForms(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	enumerator, _ := strconv.ParseInt(c.FormValue("enumerator"), 10, 64)
	from, err1 := strconv.Atoi(c.FormValue("from"))
	to, err2 := strconv.Atoi(c.FormValue("to"))
	group, unit := c.FormValue("group"), c.FormValue("unit")
	if enumerator == 0 || group == "" || unit == "" || err1 != nil || err2 != nil || from < 1 || to < from {
		return &Error{Status: fiber.StatusBadRequest, Msg: "Cần chọn điều tra viên, nhóm, đơn vị và khoảng số thứ tự (từ ≤ đến)."}
	}
	if u, err := s.db.UserByID(c.UserContext(), enumerator); err != nil || u.Role != store.RoleEnumerator {
		return &Error{Status: fiber.StatusBadRequest, Msg: "Người được giao phải là điều tra viên."}
	}
	var codes []string
	err = s.db.Forms(c.UserContext(), cp.ID, store.FormFilter{Group: group, Unit: unit}, func(f *store.IssuedForm) error {
		if f.Serial >= from && f.Serial <= to {
			codes = append(codes, f.Code)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(codes) == 0 {
		return &Error{Status: fiber.StatusBadRequest, Msg: "Không có phiếu nào trong khoảng số thứ tự này."}
	}
	n, err := s.db.Assign(c.UserContext(), cp.ID, codes, enumerator, currentUser(c).ID)
	if err != nil {
		return err
	}
	s.setFlash(c, fmt.Sprintf("Đã giao %d phiếu (%s … %s) cho điều tra viên.", n, codes[0], codes[len(codes)-1]))
	return c.Redirect(fmt.Sprintf("/campaigns/%d/forms", cp.ID), fiber.StatusSeeOther)
}

func (s *Server) distributionList(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	sel := issuing.Selection{Group: c.Query("group"), Unit: c.Query("unit")}
	svc := s.issuingService()
	name := fmt.Sprintf("danh-sach-phat-phieu-%s", cp.Code)
	if c.Params("format") == "csv" {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Attachment(name + ".csv")
		return svc.WriteDistributionCSV(c.UserContext(), cp, sel, c.Response().BodyWriter())
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Attachment(name + ".xlsx")
	return svc.WriteDistributionXLSX(c.UserContext(), cp, sel, c.Response().BodyWriter())
}

// startPrint starts a print run as a background job and sends the user to its progress page.
func (s *Server) startPrint(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	sel := issuing.Selection{Group: c.FormValue("group"), Unit: c.FormValue("unit")}
	svc := s.issuingService()
	n, err := svc.Count(c.UserContext(), cp, sel)
	if err != nil {
		return err
	}
	if n == 0 {
		return &Error{Status: fiber.StatusBadRequest, Msg: "Chưa có phiếu nào được phát cho lựa chọn này: hãy phát phiếu trước khi in."}
	}
	name := cp.Code
	if sel.Group != "" {
		name += "-" + sel.Group
	}
	if sel.Unit != "" {
		name += "-" + sel.Unit
	}
	title := fmt.Sprintf("In %s bản phiếu (%s)", vn.Int(int64(n)), name)
	user := currentUser(c).ID
	j, err := s.jobs.Start(title, "phieu-"+name+".zip", user, func(ctx context.Context, f *os.File, j *jobs.Job) error {
		err := svc.PrintZIP(ctx, cp, sel, f, j.Set)
		if err != nil {
			s.log.Error("print job failed", "job", j.ID, "campaign", cp.ID, "user", user, "err", err)
		}
		return err
	})
	switch {
	case errors.Is(err, jobs.ErrUserBusy):
		return &Error{Status: fiber.StatusTooManyRequests, Msg: fmt.Sprintf(msgJobUserBusy, s.jobs.Limits().Running)}
	case errors.Is(err, jobs.ErrBusy):
		return &Error{Status: fiber.StatusTooManyRequests, Msg: msgJobBusy}
	case err != nil:
		return err
	}
	return c.Redirect("/jobs/"+j.ID, fiber.StatusSeeOther)
}

type jobData struct {
	pageData
	Job         *jobs.Job
	Done, Total int
	Finished    bool
	Err         error
}

// jobPage shows a print job's progress, then its download link. Another user's job is not
// found, like one that has expired.
func (s *Server) jobPage(c *fiber.Ctx) error {
	j := s.jobs.Get(c.Params("id"))
	if j == nil || j.UserID != currentUser(c).ID {
		lim := s.jobs.Limits()
		return &Error{Status: fiber.StatusNotFound, Msg: fmt.Sprintf(msgJobNotFound, int(lim.TTL.Hours()), lim.KeptPerUser)}
	}
	d := jobData{pageData: s.page(c), Job: j}
	d.Done, d.Total, d.Finished, d.Err = j.Progress()
	if d.Err != nil {
		d.Err = errors.New(msgJobFailed) // the detail went to the log when the job failed
	}
	return s.renderPage(c, fiber.StatusOK, "job", d)
}

// jobFile sends a finished print job's file to the user who started it.
func (s *Server) jobFile(c *fiber.Ctx) error {
	j := s.jobs.Get(c.Params("id"))
	if j == nil || j.UserID != currentUser(c).ID {
		lim := s.jobs.Limits()
		return &Error{Status: fiber.StatusNotFound, Msg: fmt.Sprintf(msgJobNotFound, int(lim.TTL.Hours()), lim.KeptPerUser)}
	}
	path := j.Path()
	if path == "" {
		return &Error{Status: fiber.StatusNotFound, Msg: msgNotFound}
	}
	c.Attachment(j.FileName)
	return c.SendFile(path)
}
