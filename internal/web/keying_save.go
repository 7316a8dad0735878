package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/validation"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// msgProbeLimit answers a keyer who typed too many refused codes (probeLimit in probeWindow).
const msgProbeLimit = "Bạn đã nhập quá nhiều mã phiếu không nhận được trong ít phút. Vui lòng đợi 10 phút rồi nhập tiếp, hoặc báo giám sát viên nếu lô phiếu có vấn đề."

// probeLimit refused codes a keyer may type in probeWindow: a batch of typos, not a scan.
const (
	probeLimit  = 40
	probeWindow = 10 * time.Minute
)

// checkResult is the keying script's answer about a typed code.
type checkResult struct {
	OK       bool     `json:"ok"`
	Code     string   `json:"code,omitempty"`
	Message  string   `json:"message"`
	Warnings []string `json:"warnings,omitempty"`
	// Field names the input a refusal is about ("code" or an item); Kind is the outcome of a save.
	Field string `json:"field,omitempty"`
	Kind  string `json:"kind,omitempty"`
	// Errors are the problems of a save, by item.
	Errors []paper.Problem `json:"errors,omitempty"`
	// Units are the unit codes of a matrix form issued for a list of units: only their items
	// are keyed.
	Units []string `json:"units,omitempty"`
}

// msgCodeSubset follows the accepted code of a matrix form issued for a list of units.
const msgCodeSubset = " Phiếu chỉ đánh giá %d đơn vị: %s — chỉ nhập câu trả lời cho các đơn vị này."

// formLayout is the layout an accepted code is keyed with (intake.FormLayout): a matrix form
// issued for a list of units is keyed, and shown again, for those units only, and the check
// says which they are.
func (s *Server) formLayout(c *fiber.Ctx, b *store.Batch, def *campaign.Definition, l *paper.Layout, check *checkResult) (*paper.Layout, error) {
	fl, err := s.intake.FormLayout(c.UserContext(), b, def, l, check.Code)
	if err != nil || len(fl.Issued) == 0 {
		return fl, err
	}
	names := make([]string, len(fl.Units))
	for i, u := range fl.Units {
		names[i] = u.Name
	}
	check.Units = fl.Issued
	check.Message += fmt.Sprintf(msgCodeSubset, len(names), strings.Join(names, ", "))
	return fl, nil
}

// checkCode runs the immediate checks on a typed code: its check character first, then what the
// database knows (issued, voided, its group's channels, the batch, earlier keyings, answers).
func (s *Server) checkCode(c *fiber.Ctx, b *store.Batch, def *campaign.Definition, raw string) (checkResult, error) {
	// Refused codes are counted per keyer: past the limit no code is checked until the window
	// ends, so that nobody probes the state of codes by the thousand.
	keyer := strconv.FormatInt(currentUser(c).ID, 10)
	if s.probes.blocked(keyer) {
		return checkResult{Message: msgProbeLimit, Field: "code"}, nil
	}
	code, err := formcode.Parse(raw)
	if err != nil {
		s.probes.hit(keyer)
		return checkResult{Message: err.Error(), Field: "code"}, nil
	}
	warnings, err := s.intake.Check(c.UserContext(), b, def, code.String(), currentUser(c).ID)
	var ref *paper.Refusal
	if errors.As(err, &ref) {
		s.probes.hit(keyer)
		return checkResult{Code: code.String(), Message: ref.Msg, Field: "code"}, nil
	}
	if err != nil {
		return checkResult{}, err
	}
	return checkResult{OK: true, Code: code.String(), Warnings: warnings,
		Message: fmt.Sprintf(msgCodeAccepted, code.String(), unitLabel(def, b.Unit, b.UnitName))}, nil
}

// keyingCheck answers the keying script as soon as a code is typed.
func (s *Server) keyingCheck(c *fiber.Ctx) error {
	b, _, def, l, err := s.keyingBatchFor(c)
	if err != nil {
		return err
	}
	res, err := s.checkCode(c, b, def, vn.NFC(c.Query("code")))
	if err != nil {
		return err
	}
	if res.OK {
		if _, err := s.formLayout(c, b, def, l, &res); err != nil {
			return err
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(res)
}

// keyingSave takes a posted form: with only a code it runs the immediate checks (the plain-HTML
// first step); with answers it stores the keying and says what became of it.
func (s *Server) keyingSave(c *fiber.Ctx) error {
	b, camp, def, l, err := s.keyingBatchFor(c)
	if err != nil {
		return err
	}
	form, err := readForm(c, 2*len(l.Items())+formFieldSlack, keyingValueBytes(l))
	if err != nil {
		return &Error{Status: fiber.StatusRequestEntityTooLarge, Msg: err.Error()}
	}
	values := form.values
	raw := vn.NFC(values["code"])
	empty := true
	for _, it := range l.Items() {
		if strings.TrimSpace(values[it.Name]) != "" {
			empty = false
			break
		}
	}
	check, err := s.checkCode(c, b, def, raw)
	if err != nil {
		return err
	}
	if check.OK {
		values["code"] = check.Code
		if l, err = s.formLayout(c, b, def, l, &check); err != nil {
			return err
		}
	}
	if empty || !check.OK {
		return s.keyingAnswer(c, b, camp, def, l, values, check, nil)
	}
	entry, probs := l.Read(func(name string) string { return values[name] }, false)
	if len(probs) > 0 {
		check.OK = false
		check.Field = probs[0].Name
		check.Message = fmt.Sprintf(msgKeyingFix, len(probs))
		check.Errors = probs
		return s.keyingAnswer(c, b, camp, def, l, values, check, probs)
	}
	res, err := s.saveKeying(c, b, def, l, check.Code, entry, keyingDuration(values))
	var ref *paper.Refusal
	switch {
	case errors.As(err, &ref):
		check = checkResult{Code: check.Code, Message: ref.Msg, Field: "code"}
		return s.keyingAnswer(c, b, camp, def, l, values, check, nil)
	case errors.Is(err, store.ErrKeyedTwice) || errors.Is(err, store.ErrInReview) || errors.Is(err, store.ErrConflict):
		check = checkResult{Code: check.Code, Message: msgKeyingBusy, Field: "code"}
		return s.keyingAnswer(c, b, camp, def, l, values, check, nil)
	case err != nil:
		return err
	}
	if wantsJSON(c) {
		return c.JSON(res)
	}
	flash := res.Message
	if res.Kind != "verified" && res.Kind != "saved" && res.Kind != "first" {
		flash = "!" + flash
	}
	s.setFlash(c, flash)
	return c.Redirect(fmt.Sprintf("/keying/batches/%d", b.ID), fiber.StatusSeeOther)
}

// keyingValueBytes is the longest value a keying post may carry: a key, or an open answer's
// text of twice its question's limit in the widest UTF-8, so that a text too long is refused
// with its length rather than as a broken post.
func keyingValueBytes(l *paper.Layout) int {
	n := maxValueBytes
	if l.KeysText {
		for _, q := range l.Form.Questions() {
			if q.IsText() {
				n = max(n, 2*4*q.TextLimit())
			}
		}
	}
	return n
}

// keyingAnswer answers a code check or a refused save: JSON to the script, or the screen again
// with every value kept and the cursor where the problem is.
func (s *Server) keyingAnswer(c *fiber.Ctx, b *store.Batch, camp *store.Campaign, def *campaign.Definition, l *paper.Layout,
	values map[string]string, check checkResult, probs []paper.Problem) error {
	status := fiber.StatusOK
	if !check.OK {
		status = fiber.StatusUnprocessableEntity
	}
	if wantsJSON(c) {
		return c.Status(status).JSON(check)
	}
	d, err := s.keyingView(c, b, camp, def, l, values, probs)
	if err != nil {
		return err
	}
	d.Code, d.CodeOK, d.CodeMsg, d.Warnings, d.Flash = values["code"], check.OK, check.Message, check.Warnings, ""
	if check.Field == "code" || check.Field == "" {
		d.CodeMsg = check.Message
	}
	switch {
	case check.OK && len(l.Items()) > 0:
		d.Focus = l.Items()[0].Name
	case check.Field != "":
		d.Focus = check.Field
	}
	if len(probs) > 0 {
		d.CodeMsg = ""
		d.Status, d.StatusKind = check.Message, "bad"
	}
	// The time spent keying runs from the page the code was accepted on, kept through corrections.
	if started, err := strconv.ParseInt(values["started"], 10, 64); err == nil && len(probs) > 0 {
		d.Started = started
	}
	return s.renderPage(c, status, "keying", d)
}

// keyingDuration is the time spent keying a form: measured by the script from the code accepted
// to the save, or from the page the code was accepted on; an hour at most, so that a screen
// left open does not count as work.
func keyingDuration(values map[string]string) int64 {
	const max = int64(time.Hour / time.Millisecond)
	if ms, err := strconv.ParseInt(values["duration_ms"], 10, 64); err == nil && ms > 0 {
		return min(ms, max)
	}
	if started, err := strconv.ParseInt(values["started"], 10, 64); err == nil && started > 0 {
		return min(max, max64(0, time.Now().UnixMilli()-started))
	}
	return 0
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// saveKeying hands a keying to intake and says what became of it, for the keyer.
func (s *Server) saveKeying(c *fiber.Ctx, b *store.Batch, def *campaign.Definition, l *paper.Layout, code string,
	entry paper.Entry, durationMS int64) (checkResult, error) {
	k, err := s.intake.Key(c.UserContext(), intake.Keying{Batch: b, Def: def, Layout: l, KeyerID: currentUser(c).ID,
		Code: code, Entry: entry, DurationMS: durationMS})
	if err != nil {
		return checkResult{}, err
	}
	res := checkResult{OK: true, Code: code}
	switch k.Outcome {
	case paper.Waiting:
		res.Kind, res.Message = "first", fmt.Sprintf(msgSavedFirst, code)
	case paper.Accepted:
		res.Kind, res.Message = "verified", fmt.Sprintf(msgSavedVerified, code, k.Receipt.Number)
		if !paper.DoubleEntry(def) {
			res.Kind, res.Message = "saved", fmt.Sprintf(msgSavedSingle, code, k.Receipt.Number)
		}
		if !k.Valid {
			res.Kind = "invalid"
			res.Message += fmt.Sprintf(msgSavedInvalid, reasonsText(k.Reasons))
		}
	case paper.Differs:
		res.Kind, res.Message = "differs", fmt.Sprintf(msgSavedDiffers, code, len(k.Differences))
	case paper.Conflicting:
		res.Kind, res.Message = "conflict", fmt.Sprintf(msgSavedConflicting, code, paper.ChannelPhrase(k.Answered))
	}
	return res, nil
}

// reasonsText joins the messages of a stored verdict's reasons.
func reasonsText(reasons string) string {
	var list []validation.Reason
	if err := json.Unmarshal([]byte(reasons), &list); err != nil || len(list) == 0 {
		return reasons
	}
	v := validation.Verdict{Reasons: list}
	return v.Message()
}
