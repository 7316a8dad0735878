package web

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// noticeView is the model of the one-message pages respondents see.
type noticeView struct {
	Title      string
	Lines      []string
	Receipt    string
	Kind       string
	ClearToken string
	// Ref is the reference number of a failed request; Contact whom to ask (requestContact).
	Ref     string
	Contact *campaign.Contact
}

func (s *Server) notice(c *fiber.Ctx, status int, n noticeView) error {
	if n.Contact == nil {
		n.Contact = s.requestContact(c)
	}
	body, err := s.views.render("public", "survey_done", n)
	if err != nil {
		return err
	}
	return sendRespondent(c, status, body)
}

// respondentErrors answers a respondent's request that failed on a respondent's page (with the
// campaign's contact), or in JSON for the page's script, instead of the staff error page. A 500
// is logged with its request id, which the page shows as a reference number.
func (s *Server) respondentErrors(c *fiber.Ctx) error {
	err := c.Next()
	if err == nil {
		return nil
	}
	status, msg := describe(err)
	ref := ""
	if status >= fiber.StatusInternalServerError {
		ref = fmt.Sprint(c.Locals("requestid"))
		s.log.Error("request failed", "path", c.Path(), "err", err, "request_id", ref)
		msg = msgRespondentInternal
	}
	if wantsJSON(c) {
		return c.Status(status).JSON(draftReply{Error: msg})
	}
	return s.notice(c, status, noticeView{Title: statusTitle(status), Lines: []string{msg}, Kind: "bad", Ref: ref})
}

// unknownForm is the page for an unknown and a voided token alike, so a prober learns nothing;
// an address past its misses gets "too many" instead. Valid links are never counted or refused.
func (s *Server) unknownForm(c *fiber.Ctx) error {
	addr := s.clientIP(c)
	if s.misses.blocked(addr) {
		return s.tooMany(c, msgTooMany)
	}
	s.misses.hit(addr)
	return s.notice(c, fiber.StatusNotFound, noticeView{Title: msgFormNotFoundTitle, Lines: []string{msgFormNotFound}, Kind: "bad"})
}

func (s *Server) tooMany(c *fiber.Ctx, msg string) error {
	return s.notice(c, fiber.StatusTooManyRequests, noticeView{Title: msgTooManyTitle, Lines: []string{msg}, Kind: "bad"})
}

// linkForm is the form behind a respondent's link, with its group and unit codes.
type linkForm struct {
	*store.LinkForm
	Group string
	Unit  string // "" for a matrix form
	codes *campaignCodes
}

// linkCacheSize bounds the links remembered between a page load and its submission.
const linkCacheSize = 200000

// linkCache remembers the forms whose pages were served, so that their submission need not read
// the database first: everything that may have changed since (an answer, a void) is checked
// again by the writer inside the transaction that stores the response.
type linkCache struct {
	mu    sync.Mutex
	forms map[string]*store.LinkForm
}

func (l *linkCache) get(token string) *store.LinkForm {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.forms[token]
}

// forget drops the links drop says to.
func (l *linkCache) forget(drop func(*store.LinkForm) bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, f := range l.forms {
		if drop(f) {
			delete(l.forms, k)
		}
	}
}

func (l *linkCache) put(f *store.LinkForm) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.forms) >= linkCacheSize {
		clear(l.forms)
	}
	l.forms[f.Token] = f
}

// respondentForm finds the form behind /p/:token and answers the cases that end there; a
// submission may take it from the page load's cache.
func (s *Server) respondentForm(c *fiber.Ctx, submitting bool) (*linkForm, *surveyForm, error) {
	tok := c.Params("token")
	if len(tok) < 16 || len(tok) > 64 {
		return nil, nil, s.unknownForm(c)
	}
	var lf *store.LinkForm
	if submitting {
		lf = s.links.get(tok)
	}
	if lf == nil {
		var err error
		lf, err = s.db.FormByLink(c.UserContext(), tok)
		if errors.Is(err, store.ErrNotFound) || (err == nil && lf.Voided) {
			return nil, nil, s.unknownForm(c)
		}
		if err != nil {
			return nil, nil, err
		}
		if !lf.Answered {
			s.links.put(lf)
		}
	}
	codes, err := s.campaignCodes(c, lf.CampaignID, lf.CampaignVersion)
	if err != nil {
		return nil, nil, err
	}
	f := &linkForm{LinkForm: lf, Group: codes.groups[lf.GroupID], Unit: codes.units[lf.UnitID], codes: codes}
	sf, err := s.survey(f, func(id int64) (*store.Campaign, error) { return s.db.Campaign(c.UserContext(), id) })
	if err != nil {
		return nil, nil, err
	}
	c.Locals(contactKey, contactOf(sf.Camp.Def))
	return f, sf, nil
}

// windowNotice answers a form opened outside the campaign window, or after the campaign was
// locked; it reports whether it did.
func (s *Server) windowNotice(c *fiber.Ctx, f *linkForm, sf *surveyForm) (bool, error) {
	def := sf.Camp.Def
	now := s.db.Now()
	opens, closes := def.Window()
	switch {
	case now.Before(opens):
		return true, s.notice(c, fiber.StatusForbidden, noticeView{Title: msgNotOpenTitle, Kind: "bad",
			Lines: []string{fmt.Sprintf(msgNotOpen, vn.Date(opens))}})
	case !now.Before(closes) || f.Locked:
		return true, s.notice(c, fiber.StatusGone, noticeView{Title: msgClosedTitle, Kind: "bad",
			Lines: []string{fmt.Sprintf(msgClosed, vn.Date(def.Closes.Time))}})
	}
	return false, nil
}

func (s *Server) answeredNotice(c *fiber.Ctx) error {
	return s.notice(c, fiber.StatusOK, noticeView{Title: msgAlreadyTitle, Lines: []string{msgAlready}, Kind: "ok", ClearToken: c.Params("token")})
}

// surveyPage shows the questionnaire: the cached page with this copy's token, code and a new
// submission id, compressed once (survey_gzip.go); or, when the form has a draft, that page
// with the draft's answers (draftPage).
func (s *Server) surveyPage(c *fiber.Ctx) error {
	f, sf, err := s.respondentForm(c, false)
	if f == nil {
		return err
	}
	s.db.MarkOpened(c.UserContext(), f.ID) // a listed person's first visit (outreach); never waits on the writer
	if f.Answered {
		return s.answeredNotice(c)
	}
	if done, err := s.windowNotice(c, f, sf); done {
		return err
	}
	switch d, err := s.db.Draft(c.UserContext(), f.ID); {
	case err == nil:
		return s.draftPage(c, f, sf, d)
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	buf := bytes.NewBuffer(make([]byte, 0, 64<<10))
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Vary(fiber.HeaderAcceptEncoding)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	if acceptsGzip(c) {
		sf.writeGzip(buf, f.Token, f.Code, auth.Token(16))
		c.Set(fiber.HeaderContentEncoding, "gzip")
	} else {
		sf.write(buf, f.Token, f.Code, auth.Token(16))
	}
	return c.Send(buf.Bytes())
}

// draftPage is the questionnaire restored from its draft, on whatever device opens the link:
// the cached page with the draft's answers checked, its revision, and its submission id, so
// that every device submits as one.
func (s *Server) draftPage(c *fiber.Ctx, f *linkForm, sf *surveyForm, d *store.Draft) error {
	sid := d.SubmissionID
	if sid == "" {
		sid = auth.Token(16)
	}
	var v surveyView
	if c.Query("luu") != "" {
		v.SavedAt = draftTime(d.SavedAt)
	} else {
		v.RestoredAt = draftTime(d.SavedAt)
	}
	note, err := s.views.render("draft-note", "survey", v)
	if err != nil {
		return err
	}
	buf := bytes.NewBuffer(make([]byte, 0, sf.size+len(note)+8<<10))
	writeCopy(buf, sf.fill, &copyValues{token: f.Token, code: f.Code, sid: sid, rev: strconv.Itoa(d.Revision), note: note, answers: d.Values})
	return sendRespondent(c, fiber.StatusOK, buf.Bytes())
}

// submitSurvey validates and stores a response; acknowledged means committed to disk.
func (s *Server) submitSurvey(c *fiber.Ctx) error {
	f, sf, err := s.respondentForm(c, true)
	if f == nil {
		return err
	}
	if !s.posts.take(f.Token) {
		return s.tooMany(c, msgTooManyPosts)
	}
	if done, err := s.windowNotice(c, f, sf); done {
		return err
	}
	def, err := s.effectiveDefinition(c, sf.Camp)
	if err != nil {
		return err
	}
	posted, err := readForm(c, sf.maxFields(), sf.maxValue())
	if err != nil {
		return s.notice(c, fiber.StatusRequestEntityTooLarge, noticeView{Title: msgBadPostTitle, Lines: []string{msgBadPost}, Kind: "bad"})
	}
	sid := submissionID(posted)
	sf.applySkips(posted)
	r, err := s.intake.Submit(c.UserContext(), intake.Online{Form: f.LinkForm, Group: f.Group, Unit: f.Unit, Units: sf.Units, IssuedUnits: f.subset(),
		UnitIDs: f.codes.unitIDs, Def: def, Questionnaire: sf.Q, Values: posted.values, Repeated: posted.repeated,
		SubmissionID: sid, At: s.db.Now()})
	if fe := fault.As(err); fe != nil && fe.Kind == fault.Invalid {
		if f.Answered {
			return s.answeredNotice(c)
		}
		errs := make([]fieldError, len(fe.Fields))
		for i, fl := range fe.Fields {
			errs[i] = fieldError{fl.Name, fl.Msg}
		}
		v := sf.view(f.Token, sid, f.Code, posted.values, errs)
		// The page's script goes on saving the draft from the revision stored.
		if d, err := s.db.Draft(c.UserContext(), f.ID); err == nil {
			v.Rev = strconv.Itoa(d.Revision)
		}
		body, err := s.views.render("public", "survey", v)
		if err != nil {
			return err
		}
		return sendRespondent(c, fiber.StatusUnprocessableEntity, body)
	}
	switch {
	case errors.Is(err, store.ErrSubmissionReused):
		return s.notice(c, fiber.StatusConflict, noticeView{Title: msgReusedTitle, Lines: []string{msgReused}, Kind: "bad"})
	case errors.Is(err, store.ErrConflict):
		return s.notice(c, fiber.StatusConflict, noticeView{Title: msgConflictTitle, Lines: []string{msgConflict}, Kind: "bad"})
	case errors.Is(err, store.ErrVoided):
		return s.unknownForm(c)
	case errors.Is(err, store.ErrCampaignLocked):
		return s.notice(c, fiber.StatusGone, noticeView{Title: msgClosedTitle, Kind: "bad",
			Lines: []string{fmt.Sprintf(msgClosed, vn.Date(sf.Camp.Def.Closes.Time))}})
	case err != nil:
		return err
	}
	return s.notice(c, fiber.StatusOK, noticeView{Title: msgThanksTitle, Lines: []string{sf.Q.Thanks, msgThanks}, Receipt: r.Number, Kind: "ok", ClearToken: f.Token})
}

// settingsTTL is how long an effective definition is reused between submissions; the settings
// page also forgets it when it saves.
const settingsTTL = 2 * time.Second

// effectiveDef is a campaign's definition with its stored settings laid over it.
type effectiveDef struct {
	def     *campaign.Definition
	version int
	at      time.Time
}

// effectiveDefinition lays the campaign's stored settings (rules changed after loading) over
// its definition, so that a new response is judged by the rules in force.
func (s *Server) effectiveDefinition(c *fiber.Ctx, camp *store.Campaign) (*campaign.Definition, error) {
	s.surveys.mu.Lock()
	e, ok := s.surveys.effective[camp.ID]
	s.surveys.mu.Unlock()
	if ok && e.version == camp.Version && time.Since(e.at) < settingsTTL {
		return e.def, nil
	}
	def, err := s.db.Effective(c.UserContext(), camp)
	if err != nil {
		return nil, err
	}
	s.surveys.mu.Lock()
	s.surveys.effective[camp.ID] = effectiveDef{def: def, version: camp.Version, at: time.Now()}
	s.surveys.mu.Unlock()
	return def, nil
}

// forgetSettings drops a campaign's cached effective definition after its settings change.
func (s *Server) forgetSettings(campaignID int64) {
	s.surveys.mu.Lock()
	delete(s.surveys.effective, campaignID)
	s.surveys.mu.Unlock()
}

// campaignCodes returns the campaign's id and code maps, cached per definition version.
func (s *Server) campaignCodes(c *fiber.Ctx, campaignID int64, version int) (*campaignCodes, error) {
	key := fmt.Sprintf("%d/%d", campaignID, version)
	s.surveys.mu.Lock()
	cc, ok := s.surveys.codes[key]
	s.surveys.mu.Unlock()
	if ok {
		return cc, nil
	}
	groups, units, err := s.db.CodeMaps(c.UserContext(), campaignID)
	if err != nil {
		return nil, err
	}
	cc = &campaignCodes{groups: groups, units: units, unitIDs: map[string]int64{}}
	for id, code := range units {
		cc.unitIDs[code] = id
	}
	s.surveys.mu.Lock()
	s.surveys.codes[key] = cc
	s.surveys.mu.Unlock()
	return cc, nil
}
