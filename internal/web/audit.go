package web

import (
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/csvcell"
	"github.com/parsurvey/parsurvey/internal/sheet"
	"github.com/parsurvey/parsurvey/internal/store"
)

// auditLimit is how many of the latest entries the audit log page lists; the export has all.
const auditLimit = 500

// auditKind is one choice of the audit page's "what" filter: a Vietnamese name over action
// prefixes.
type auditKind struct {
	Code, Name string
	prefixes   []string
}

// auditKinds are the "what" filter's choices, in the order the page lists them.
var auditKinds = []auditKind{
	{"tai-khoan", "Tài khoản, đăng nhập, đăng xuất", []string{"user."}},
	{"dot", "Định nghĩa đợt khảo sát, khóa sổ, khóa API", []string{"campaign.", "definition_draft.", "comparison.", "api_token."}},
	{"phat-phieu", "Phát, hủy, giao và in phiếu", []string{"forms.", "form.", "print."}},
	{"phieu", "Phiếu nhận được, nhập phiếu giấy, xử lý khác biệt", []string{"response.", "paper."}},
	{"tinh-diem", "Quy tắc, tỷ lệ nhập và tính điểm", []string{"settings.", "scores.", "ratios.", "responses."}},
	{"danh-sach", "Danh sách người trả lời và thư mời", []string{"respondents.", "invitations."}},
	{"tai-xuong", "Tải xuống và đọc qua API", []string{"download.", "api."}},
	{"ngoai", "Thay đổi ngoài parsurvey", []string{"db."}},
}

// auditQuery is the audit page's filter as typed: who (an account id), what (an auditKinds
// code) and the dates, yyyy-mm-dd as a date input sends them.
type auditQuery struct {
	Who, What, From, To string
}

// newAuditQuery copies the filter out of the request and turns it into a store filter; a bad
// value is a problem by input id, the rest of the filter still applies.
func newAuditQuery(c *fiber.Ctx) (auditQuery, store.AuditFilter, fieldErrors) {
	q := auditQuery{Who: c.Query("who"), What: c.Query("what"), From: c.Query("from"), To: c.Query("to")}
	var f store.AuditFilter
	errs := fieldErrors{}
	if q.Who != "" {
		id, err := strconv.ParseInt(q.Who, 10, 64)
		if err != nil || id <= 0 {
			errs.add("who", msgAuditWho)
		}
		f.UserID = id
	}
	if q.What != "" {
		found := false
		for _, k := range auditKinds {
			if k.Code == q.What {
				f.Actions, found = k.prefixes, true
			}
		}
		if !found {
			errs.add("what", msgAuditWhat)
		}
	}
	day := func(id, v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, v, campaign.Zone)
		if err != nil {
			errs.add(id, fmt.Sprintf(msgAuditDate, v))
		}
		return t
	}
	f.From = day("from", q.From)
	if to := day("to", q.To); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1) // the whole last day
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		errs.add("to", msgAuditRange)
	}
	return q, f, errs
}

// encode is the filter as a query string, for the export links.
func (q auditQuery) encode() string {
	v := url.Values{}
	for k, s := range map[string]string{"who": q.Who, "what": q.What, "from": q.From, "to": q.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// auditData is the audit log page's view model: the campaign's log, or the whole log (C nil)
// with the account events.
type auditData struct {
	campaignData
	Limit   int
	Entries []auditRow
	Query   auditQuery
	Errors  fieldErrors
	Kinds   []auditKind
	Users   []store.User
	// Export is the path of the exports without extension; ExportQuery the filter for them.
	Export, ExportQuery string
	// Scoped is set for an account limited to campaigns or an organisation: the whole log is
	// then its campaigns' entries and its own.
	Scoped bool
}

// auditRow is one line of the audit log as staff read it: a Vietnamese sentence, with the
// stored action, subject and detail kept for whoever needs them.
type auditRow struct {
	At                      time.Time
	By                      string
	Campaign                string
	Sentence                string
	Action, Subject, Detail string
	RequestID               string
}

// auditRows turns entries into the lines staff read.
func auditRows(entries []store.AuditEntry, names auditNames) []auditRow {
	var out []auditRow
	for _, e := range entries {
		row := auditRow{At: e.At, By: e.Username, Sentence: auditSentence(e, names), Action: e.Action, Subject: e.Subject, RequestID: e.RequestID}
		if u, ok := names.users[e.UserID]; ok && u.FullName != "" {
			row.By = u.FullName + " (" + u.Username + ")"
		}
		if e.Detail != "null" {
			row.Detail = e.Detail
		}
		if e.CampaignID != 0 {
			row.Campaign = names.campaigns[e.CampaignID]
			if row.Campaign == "" {
				row.Campaign = fmt.Sprintf("đợt số %d", e.CampaignID)
			}
		}
		out = append(out, row)
	}
	return out
}

// auditNamesFor are the names audit sentences use: the campaign's definition, if any, every
// account and every campaign.
func (s *Server) auditNamesFor(c *fiber.Ctx, cp *store.Campaign) (auditNames, []store.User, error) {
	ctx := c.UserContext()
	users, err := s.db.Users(ctx, "")
	if err != nil {
		return auditNames{}, nil, err
	}
	camps, err := s.db.Campaigns(ctx)
	if err != nil {
		return auditNames{}, nil, err
	}
	n := auditNames{users: map[int64]store.User{}, campaigns: map[int64]string{}}
	if cp != nil {
		n.def = cp.Def
	}
	for _, u := range users {
		n.users[u.ID] = u
	}
	for _, cs := range camps {
		n.campaigns[cs.ID] = cs.Name
	}
	// A limited account's filter offers the staff of its own scope only: its organisation, or
	// campaigns it shares. Every name in the entries it may see is still written out.
	if me := currentUser(c); me != nil && me.Scoped() {
		var mine []store.User
		for _, u := range users {
			if u.ID == me.ID || (me.Organisation != "" && strings.EqualFold(u.Organisation, me.Organisation)) ||
				slices.ContainsFunc(u.Campaigns, me.HasCampaign) {
				mine = append(mine, u)
			}
		}
		users = mine
	}
	return n, users, nil
}

// campaignAuditPage lists the campaign's latest audited actions: loads, issues, voids, keyings
// decided, rule changes, score runs, downloads, the lock.
func (s *Server) campaignAuditPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	return s.renderAudit(c, cp)
}

// auditPage lists the whole audit log, account events and sign-ins included, for the
// administrator.
func (s *Server) auditPage(c *fiber.Ctx) error {
	return s.renderAudit(c, nil)
}

func (s *Server) renderAudit(c *fiber.Ctx, cp *store.Campaign) error {
	q, f, errs := newAuditQuery(c)
	names, users, err := s.auditNamesFor(c, cp)
	if err != nil {
		return err
	}
	d := auditData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "audit"}, Limit: auditLimit, Query: q, Errors: errs,
		Kinds: auditKinds, Users: users, Export: "/audit", ExportQuery: q.encode(), Scoped: currentUser(c).Scoped()}
	status := fiber.StatusOK
	if len(errs) > 0 {
		status = fiber.StatusUnprocessableEntity
	}
	if cp != nil {
		f.CampaignID = cp.ID
		d.Export = fmt.Sprintf("/campaigns/%d/audit", cp.ID)
	} else if f.Scope, err = s.db.ScopeOf(c.UserContext(), currentUser(c)); err != nil {
		return err
	}
	f.Limit = auditLimit
	entries, err := s.db.AuditEntries(c.UserContext(), f)
	if err != nil {
		return err
	}
	d.Entries = auditRows(entries, names)
	return s.renderPage(c, status, "audit", d)
}

// campaignAuditExport downloads the campaign's audit log, filtered like the page, as XLSX or CSV.
func (s *Server) campaignAuditExport(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	return s.sendAudit(c, cp)
}

// auditExport downloads the whole audit log, filtered like the page, as XLSX or CSV.
func (s *Server) auditExport(c *fiber.Ctx) error {
	return s.sendAudit(c, nil)
}

// auditHeader is the export's header row.
var auditHeader = []string{"Thời điểm (giờ Việt Nam)", "Người thực hiện", "Đợt khảo sát", "Thao tác", "Mã thao tác", "Đối tượng", "Chi tiết", "Mã yêu cầu"}

func (s *Server) sendAudit(c *fiber.Ctx, cp *store.Campaign) error {
	_, f, errs := newAuditQuery(c)
	if len(errs) > 0 {
		for _, m := range errs {
			return &Error{Status: fiber.StatusUnprocessableEntity, Msg: m}
		}
	}
	names, _, err := s.auditNamesFor(c, cp)
	if err != nil {
		return err
	}
	name := "nhat-ky"
	if cp != nil {
		f.CampaignID = cp.ID
		name += "-" + cp.Code
	} else if f.Scope, err = s.db.ScopeOf(c.UserContext(), currentUser(c)); err != nil {
		return err
	}
	entries, err := s.db.AuditEntries(c.UserContext(), f)
	if err != nil {
		return err
	}
	rows := auditRows(entries, names)
	record := func(r auditRow) []string {
		return []string{r.At.In(campaign.Zone).Format("02/01/2006 15:04:05"), r.By, r.Campaign, r.Sentence, r.Action, r.Subject, r.Detail, r.RequestID}
	}
	if c.Params("format") == "csv" {
		attachment(c, "text/csv; charset=utf-8", name+".csv")
		body := c.Response().BodyWriter()
		if _, err := io.WriteString(body, "\ufeff"); err != nil { // Excel reads UTF-8 with a BOM
			return err
		}
		w := csvcell.NewWriter(body)
		if err := w.Write(auditHeader); err != nil {
			return err
		}
		for _, r := range rows {
			if err := w.Write(record(r)); err != nil {
				return err
			}
		}
		w.Flush()
		return w.Error()
	}
	attachment(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx")
	return sheet.Write(c.Response().BodyWriter(), "Nhật ký", auditHeader, []float64{20, 28, 28, 70, 22, 20, 40, 24},
		func(emit func([]string) error) error {
			for _, r := range rows {
				if err := emit(record(r)); err != nil {
					return err
				}
			}
			return nil
		})
}

// Words of the audit page.
const (
	msgAuditWho   = "Người thực hiện không hợp lệ; hãy chọn trong danh sách."
	msgAuditWhat  = "Loại thao tác không hợp lệ; hãy chọn trong danh sách."
	msgAuditDate  = "Ngày “%s” không đúng dạng; hãy chọn ngày trên lịch."
	msgAuditRange = "Ngày kết thúc phải từ ngày bắt đầu trở đi."
)
