package web

import (
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// POST /p/:token/draft keeps a respondent's answers on the server before the form is sent, so
// that the same link continues on another device. The page's script posts the whole form as it
// is answered (Accept: application/json) with the revision it was loaded or last saved at, and
// a save over a newer revision is refused with that revision's answers for the page to merge.
// Without the script, the page's "Lưu tạm" button posts the form here and comes back to it.
// The post is held to the respondent's limits (publicBodyLimit, readForm); what is kept is
// only the form's own fields with a value each could take.

// draftSaveLimit is how many saves one form's draft may take a minute: the page saves at most
// every couple of seconds while answers are being given.
const draftSaveLimit = 60

// draftLimiter counts draft saves per form.
func (s *Server) draftLimiter() *windowCounter {
	s.surveys.draftOnce.Do(func() { s.surveys.draftLimit = newWindowCounter(draftSaveLimit, time.Minute) })
	return s.surveys.draftLimit
}

// draftReply is what the page's script reads back from a save.
type draftReply struct {
	Revision int               `json:"rev"`
	SavedAt  string            `json:"saved,omitempty"`
	Values   map[string]string `json:"values,omitempty"`
	SID      string            `json:"sid,omitempty"`
	Answered bool              `json:"answered,omitempty"`
	Error    string            `json:"error,omitempty"`
}

// saveDraft stores the posted form as the form's draft.
func (s *Server) saveDraft(c *fiber.Ctx) error {
	f, sf, err := s.respondentForm(c, true)
	if f == nil {
		return err
	}
	script := wantsJSON(c)
	if f.Answered {
		return s.draftAnswered(c, script)
	}
	if !s.draftLimiter().take(f.Token) {
		if script {
			return c.Status(fiber.StatusTooManyRequests).JSON(draftReply{Error: msgTooManyDrafts})
		}
		return s.tooMany(c, msgTooManyDrafts)
	}
	if done, err := s.windowNotice(c, f, sf); done {
		return err
	}
	posted, err := readForm(c, sf.maxFields(), sf.maxValue())
	if err != nil {
		if script {
			return c.Status(fiber.StatusRequestEntityTooLarge).JSON(draftReply{Error: msgBadPost})
		}
		return s.notice(c, fiber.StatusRequestEntityTooLarge, noticeView{Title: msgBadPostTitle, Lines: []string{msgBadPost}, Kind: "bad"})
	}
	d := &store.Draft{FormID: f.ID, Values: sf.draftValues(posted), SubmissionID: submissionID(posted)}
	// The script says which revision its answers were made from; a form post is the whole page
	// the respondent is looking at and saves over whatever is stored.
	base := store.AnyRevision
	if script {
		if base, err = strconv.Atoi(posted.values["_rev"]); err != nil || base < 0 {
			base = 0
		}
	}
	rev, err := s.db.SaveDraft(c.UserContext(), d, base)
	switch {
	case errors.Is(err, store.ErrDraftStale) && script:
		cur, err := s.db.Draft(c.UserContext(), f.ID)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusConflict).JSON(draftReply{Revision: cur.Revision, Values: cur.Values, SID: cur.SubmissionID,
			SavedAt: draftTime(cur.SavedAt), Error: msgDraftStaleJSON})
	case errors.Is(err, store.ErrAnswered):
		return s.draftAnswered(c, script)
	case errors.Is(err, store.ErrVoided):
		return s.unknownForm(c)
	case err != nil:
		return err
	}
	if script {
		return c.JSON(draftReply{Revision: rev, SavedAt: draftTime(s.db.Now())})
	}
	return c.Redirect("/p/"+f.Token+"?luu="+strconv.Itoa(rev), fiber.StatusSeeOther)
}

func (s *Server) draftAnswered(c *fiber.Ctx, script bool) error {
	if script {
		return c.Status(fiber.StatusGone).JSON(draftReply{Answered: true, Error: msgDraftAnsweredJSON})
	}
	return s.answeredNotice(c)
}

// submissionID is the posted submission id, cut to the length a stored id may have.
func submissionID(p postedForm) string {
	sid := p.values["sid"]
	if len(sid) > 64 {
		sid = sid[:64]
	}
	return sid
}

// draftValues keeps of a posted form what a draft may hold: the form's own fields, each with
// an option number it has (a box: 1) or an open answer's text; a name posted twice is a double
// mark and is left out.
func (sf *surveyForm) draftValues(p postedForm) map[string]string {
	out := map[string]string{}
	for name, v := range p.values {
		max, ok := sf.names[name]
		if !ok || p.repeated[name] {
			continue
		}
		if _, open := sf.texts[name]; open {
			// An open answer is kept as typed, even too long: the respondent shortens it later.
			if t := vn.NFC(v); t != "" && utf8.ValidString(t) {
				out[name] = t
			}
			continue
		}
		if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= max && strconv.Itoa(n) == v {
			out[name] = v
		}
	}
	return out
}

// draftTime is when a draft was saved as the page says it: "09:05 ngày 15/11/2026".
func draftTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(campaign.Zone).Format("15:04") + " ngày " + vn.Date(t)
}
