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
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/validation"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// situation turns what the database holds about a keyed code into the facts the immediate checks
// and double entry decide on.
func situation(st *store.KeyingState) paper.Situation {
	b := st.Batch
	s := paper.Situation{BatchID: b.ID, BatchGroup: b.Group, BatchUnit: b.Unit, ReceivedOn: b.ReceivedOn, BatchCount: b.Count, Locked: st.Locked}
	f := st.Form
	if f == nil {
		return s
	}
	s.Found, s.Voided, s.Group, s.Unit = true, f.Voided(), f.Group, f.Unit
	if st.FormBatch != 0 && st.FormBatch != b.ID {
		s.OtherBatch = st.FormBatch
	}
	s.BatchFull = st.FormBatch != b.ID && st.KeyedInBatch >= b.Count
	s.KeyedByMe = st.Mine != nil
	s.Keyings = len(st.Others)
	if st.Response != nil {
		s.Answered = st.Response.Channel
	}
	s.OpenConflict, s.KeptFirst = st.OpenConflict, st.KeptFirst
	return s
}

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
}

// checkCode runs the immediate checks on a typed code: its check character first, then what the
// database knows (issued, voided, its group's channels, the batch, earlier keyings, answers).
func (s *Server) checkCode(c *fiber.Ctx, b *store.Batch, def *campaign.Definition, raw string) (checkResult, error) {
	code, err := formcode.Parse(raw)
	if err != nil {
		return checkResult{Message: err.Error(), Field: "code"}, nil
	}
	st, err := s.db.KeyingState(c.UserContext(), b.ID, code.String(), currentUser(c).ID)
	if err != nil {
		return checkResult{}, err
	}
	warnings, err := paper.Admit(def, situation(st))
	var ref *paper.Refusal
	if errors.As(err, &ref) {
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
	b, _, def, _, err := s.keyingBatchFor(c)
	if err != nil {
		return err
	}
	res, err := s.checkCode(c, b, def, vn.NFC(c.Query("code")))
	if err != nil {
		return err
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
	form, err := readForm(c, len(l.Items())+formFieldSlack, maxValueBytes)
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

// saveKeying stores a keying and decides, inside the write transaction, what it does: wait for
// the second keyer, verify the form, send it to a supervisor, or queue it as a conflict with a
// response from another channel. The response is stored only when the form is accepted, judged
// by the valid-form rules with the batch's receipt day as its arrival.
func (s *Server) saveKeying(c *fiber.Ctx, b *store.Batch, def *campaign.Definition, l *paper.Layout, code string,
	entry paper.Entry, durationMS int64) (checkResult, error) {
	unitIDs, err := s.db.UnitIDs(c.UserContext(), b.CampaignID)
	if err != nil {
		return checkResult{}, err
	}
	var outcome paper.Outcome
	var diffs []paper.Difference
	var sit paper.Situation
	var sub *store.Submission
	k := &store.NewKeying{BatchID: b.ID, KeyerID: currentUser(c).ID, Code: code, Respondent: l.KeyedJSON(entry),
		Digest: entry.Digest(), DurationMS: durationMS}
	for _, u := range entry.Units {
		k.Units = append(k.Units, store.KeyingUnit{Unit: u.Unit, Answers: string(u.Answers)})
	}
	saved, err := s.db.SaveKeying(c.UserContext(), k, func(st *store.KeyingState) (*store.KeyingPlan, error) {
		sit = situation(st)
		if _, err := paper.Admit(def, sit); err != nil {
			return nil, err
		}
		var previous *paper.Entry
		if len(st.Others) > 0 {
			e, err := l.FromKeyed(st.Others[0].Respondent, st.Others[0].Answers)
			if err != nil {
				return nil, err
			}
			previous = &e
		}
		outcome, diffs = paper.Decide(def, l, sit, entry, previous)
		switch outcome {
		case paper.Accepted:
			sub = paperSubmission(l, entry, b.ReceivedOn, unitIDs)
			judge(def, paper.Facts(sit, entry, len(st.Others)+1, previous != nil, false), sub)
			return &store.KeyingPlan{Submission: sub}, nil
		case paper.Differs:
			names := make([]string, len(diffs))
			for i, d := range diffs {
				names[i] = d.Item.Name
			}
			return &store.KeyingPlan{Conflict: store.ConflictKeyingsDiffer, ConflictDetail: map[string]any{"items": names}}, nil
		case paper.Conflicting:
			return &store.KeyingPlan{Conflict: store.ConflictAlreadyAnswered, ConflictDetail: map[string]any{"channel": sit.Answered}}, nil
		}
		return &store.KeyingPlan{}, nil
	})
	if err != nil {
		return checkResult{}, err
	}
	res := checkResult{OK: true, Code: code}
	switch outcome {
	case paper.Waiting:
		res.Kind, res.Message = "first", fmt.Sprintf(msgSavedFirst, code)
	case paper.Accepted:
		res.Kind, res.Message = "verified", fmt.Sprintf(msgSavedVerified, code, saved.Receipt.Number)
		if !paper.DoubleEntry(def) {
			res.Kind, res.Message = "saved", fmt.Sprintf(msgSavedSingle, code, saved.Receipt.Number)
		}
		if !sub.Valid {
			res.Kind = "invalid"
			res.Message += fmt.Sprintf(msgSavedInvalid, reasonsText(sub.Reasons))
		}
	case paper.Differs:
		res.Kind, res.Message = "differs", fmt.Sprintf(msgSavedDiffers, code, len(diffs))
	case paper.Conflicting:
		res.Kind, res.Message = "conflict", fmt.Sprintf(msgSavedConflicting, code, paper.ChannelPhrase(sit.Answered))
	}
	return res, nil
}

// paperSubmission builds the response of an accepted paper form; judge fills its verdict.
func paperSubmission(l *paper.Layout, e paper.Entry, receivedOn time.Time, unitIDs map[string]int64) *store.Submission {
	sub := &store.Submission{Channel: "paper", Digest: e.Digest(), Respondent: l.RespondentJSON(e), ReceivedAt: receivedOn}
	for _, u := range e.Units {
		sub.Answers = append(sub.Answers, store.UnitAnswers{UnitID: unitIDs[u.Unit], Answers: string(u.Answers)})
	}
	return sub
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
