//go:build e2e

package web

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
)

// zaloUA is what Zalo's in-app browser on Android sends: the system WebView ("; wv") with
// "Zalo android/<build>" and its theme and language at the end.
const zaloUA = "Mozilla/5.0 (Linux; Android 12; SM-A325F Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) " +
	"Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 Zalo android/12100625 ZaloTheme/light ZaloLanguage/vi"

// taps counts what a respondent touches.
type taps struct{ n int }

func (tp *taps) tap(sel string) chromedp.Action {
	tp.n++
	return chromedp.Click(sel, chromedp.ByQuery)
}

// phone is a fresh Chromium profile at 360 × 800 as Zalo's in-app browser.
func phone(t *testing.T) context.Context {
	ctx := newBrowser(t, 360, 800)
	if err := chromedp.Run(ctx, emulation.SetUserAgentOverride(zaloUA)); err != nil {
		t.Fatal(err)
	}
	return ctx
}

func evalInt(t *testing.T, ctx context.Context, js string) int {
	t.Helper()
	var n int
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &n)); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return n
}

func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	var s string
	if err := chromedp.Run(ctx, chromedp.Text(sel, &s, chromedp.ByQuery)); err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// waitDraft waits until the form's draft holds n values.
func waitDraft(t *testing.T, e *testEnv, f *store.IssuedForm, n int) *store.Draft {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		d, err := e.db.Draft(context.Background(), f.ID)
		if err == nil && len(d.Values) == n {
			return d
		}
		if time.Now().After(deadline) {
			got := -1
			if d != nil {
				got = len(d.Values)
			}
			t.Fatalf("the draft holds %d values, want %d (%v)", got, n, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// A council delegate rates twenty agencies on a phone in Zalo's browser: one agency per step,
// two agencies skipped with one tap each, half the form on one device, the rest on another
// (a fresh browser profile, the same link), then sent.
func TestMatrixFormOnAPhoneInChromium(t *testing.T) {
	t.Parallel()
	e, issued := newMatrixEnv(t, 20, 1)
	f := issued[0]
	q := e.camp.Def.Questionnaire("CH1")
	units := e.camp.Def.UnitsOfKind("so")
	questions := q.Questions()
	skip := map[int]bool{3: true, 7: true, 15: true}
	base := e.serve()
	var tp taps

	// answerUnit answers every question of unit k on the step shown, or skips it in one tap,
	// and goes on.
	answerUnit := func(ctx context.Context, k int) {
		t.Helper()
		want := fmt.Sprintf("Đơn vị %d/%d", k+1, len(units))
		if got := textOf(t, ctx, "#tien-do"); !strings.HasPrefix(got, want) {
			t.Fatalf("progress %q, want %s…", got, want)
		}
		if got := textOf(t, ctx, "#mx-title"); got != units[k].Name {
			t.Fatalf("step shows %q, want %s", got, units[k].Name)
		}
		var actions []chromedp.Action
		if skip[k] {
			actions = append(actions, tp.tap(".mx-unit.cur .mx-skip"))
		} else {
			for i, qu := range questions {
				actions = append(actions, tp.tap(fmt.Sprintf(`input[name="q_%s_%s"][value="%d"]`, qu.Code, units[k].Code, 1+(i+k)%4)))
			}
		}
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("unit %d: %v", k+1, err)
		}
		if skip[k] {
			if n := evalInt(t, ctx, `document.querySelectorAll('td.cur .dk input:checked').length`); n != len(questions) {
				t.Fatalf("one tap marked %d questions don't-know, want %d", n, len(questions))
			}
		}
	}

	// The first device: the delegate's phone.
	ctx := phone(t)
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/p/"+f.Token), chromedp.WaitVisible("#mx-start button", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if evalInt(t, ctx, `document.body.classList.contains('mx-steps') ? 1 : 0`) != 1 {
		t.Fatal("a phone does not get the step view")
	}
	browsertest.Screenshot(t, ctx, "matrix-phone-start")
	for _, fl := range q.Fields {
		if !fl.Optional {
			if err := chromedp.Run(ctx, tp.tap(fmt.Sprintf(`input[name="r_%s"][value="1"]`, fl.Key))); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := chromedp.Run(ctx, tp.tap("#mx-start button")); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "matrix-phone-unit-1")
	fits := func(ctx context.Context) {
		t.Helper()
		if w := evalInt(t, ctx, `document.documentElement.scrollWidth`); w > 360 {
			t.Fatalf("page is %d px wide on a 360 px phone", w)
		}
		small := evalInt(t, ctx, `Array.prototype.filter.call(document.querySelectorAll('td.cur .choice, .mx-unit.cur .mx-skip, .mx-nav button'),
			function (el) { return el.getBoundingClientRect().height < 44; }).length`)
		if small > 0 {
			t.Fatalf("%d tap targets lower than 44 px", small)
		}
	}
	fits(ctx)
	half := 10
	for k := 0; k < half; k++ {
		answerUnit(ctx, k)
		if k == 3 {
			browsertest.Screenshot(t, ctx, "matrix-phone-unit-skipped")
		}
		if k == 1 {
			if err := chromedp.Run(ctx, chromedp.ScrollIntoView("#mx-nav", chromedp.ByID)); err != nil {
				t.Fatal(err)
			}
			browsertest.Screenshot(t, ctx, "matrix-phone-unit-2-answered")
		}
		if err := chromedp.Run(ctx, tp.tap(`#mx-next`)); err != nil {
			t.Fatal(err)
		}
	}
	// The jump list shows where the form stands.
	if err := chromedp.Run(ctx, chromedp.Click(".mx-jump summary", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "matrix-phone-unit-list")
	if got := textOf(t, ctx, `#mx-bar .mx-to[data-step="3"] .mx-st`); got != "Không đủ thông tin" {
		t.Fatalf("a skipped unit is listed as %q", got)
	}
	if err := chromedp.Run(ctx, chromedp.Click(".mx-jump summary", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	// Stopping here: everything given is on the server within a moment.
	answeredHalf := (half - 2) * len(questions)
	skippedHalf := 2 * (len(questions) + 1) // don't-know marks and the box
	d := waitDraft(t, e, f, len(q.Fields)-1+answeredHalf+skippedHalf)
	if d.Values["s_"+units[3].Code] != "1" || d.Values["q_"+questions[0].Code+"_"+units[3].Code] != fmt.Sprint(dontKnowOption(&questions[0])) {
		t.Fatal("the skipped unit is not in the draft")
	}
	firstTaps := tp.n

	// The second device: a fresh browser profile, the same link.
	ctx2 := phone(t)
	if err := chromedp.Run(ctx2, chromedp.Navigate(base+"/p/"+f.Token), chromedp.WaitVisible("#mx-title", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx2, "matrix-phone-continued")
	if n := evalInt(t, ctx2, `document.querySelectorAll('input:checked').length`); n != len(d.Values) {
		t.Fatalf("%d answers restored on the second device, want %d", n, len(d.Values))
	}
	fits(ctx2)
	for k := half; k < len(units); k++ {
		answerUnit(ctx2, k)
		if err := chromedp.Run(ctx2, tp.tap(`#mx-next`)); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Run(ctx2, chromedp.WaitVisible("#mx-review", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx2, "matrix-phone-review")
	if got := textOf(t, ctx2, "#tien-do"); got != fmt.Sprintf("Xem lại · đã xong %d/%d đơn vị", len(units), len(units)) {
		t.Fatalf("review says %q", got)
	}
	var receipt string
	if err := chromedp.Run(ctx2, tp.tap("#gui button[type=submit]"), chromedp.WaitVisible(".receipt", chromedp.ByQuery),
		chromedp.Text(".receipt strong", &receipt, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx2, "matrix-phone-receipt")
	mustContain(t, textOf(t, ctx2, ".contact"), "Cần hỗ trợ?", "0200 3812 345")

	// One response, every unit in it, the skipped ones don't-know, the draft gone.
	got := storedAnswers(t, e)
	if len(got) != len(units) || countResponses(t, e) != 1 {
		t.Fatalf("%d responses, %d units stored", countResponses(t, e), len(got))
	}
	for k := range skip {
		if got[units[k].Code] != dontKnowAnswers(q) {
			t.Errorf("skipped %s stored %s", units[k].Code, got[units[k].Code])
		}
	}
	var stored, sid string
	e.db.ReadRow(context.Background(), `SELECT receipt, submission_id FROM responses`, nil, &stored, &sid)
	if stored != receipt || sid != d.SubmissionID {
		t.Fatalf("receipt %s (page %s), submission id %s (draft %s)", stored, receipt, sid, d.SubmissionID)
	}
	if _, err := e.db.Draft(context.Background(), f.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatal("the draft outlived the response")
	}
	answered := (len(units) - len(skip)) * len(questions)
	msg := fmt.Sprintf("matrix form, %d units × %d questions on a 360 px phone: %d taps (%d on the first device, %d on the second): %d answers, "+
		"%d units skipped in one tap each, %d respondent details, one start, %d next, one send; a tap per answer would be %d",
		len(units), len(questions), tp.n, firstTaps, tp.n-firstTaps, answered, len(skip), len(q.Fields)-1, len(units),
		len(units)*len(questions)+len(q.Fields)-1+1)
	t.Log(msg)
	fmt.Println(msg)
}

// The grid on a desktop: questions down, units across, a skip box at the head of each column.
func TestMatrixGridOnADesktopInChromium(t *testing.T) {
	t.Parallel()
	e, issued := newMatrixEnv(t, 20, 1)
	units := e.camp.Def.UnitsOfKind("so")
	q := e.camp.Def.Questionnaire("CH1")
	base := e.serve()
	ctx := newBrowser(t, 1366, 900)
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/p/"+issued[0].Token), chromedp.WaitVisible("#mx", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	if evalInt(t, ctx, `document.body.classList.contains('mx-steps') ? 1 : 0`) != 0 {
		t.Fatal("a desktop gets the step view")
	}
	var actions []chromedp.Action
	for i, qu := range q.Questions()[:6] {
		for k, u := range units[:4] {
			actions = append(actions, chromedp.Click(fmt.Sprintf(`input[name="q_%s_%s"][value="%d"]`, qu.Code, u.Code, 1+(i+k)%4), chromedp.ByQuery))
		}
	}
	actions = append(actions, chromedp.Click(`input[name="s_`+units[2].Code+`"]`, chromedp.ByQuery), chromedp.ScrollIntoView("#mx", chromedp.ByID))
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "matrix-desktop-grid")
	if n := evalInt(t, ctx, `document.querySelectorAll('td .dk input:checked').length`); n != len(q.Questions()) {
		t.Fatalf("the column's box marked %d questions don't-know, want %d", n, len(q.Questions()))
	}
	// The grid is a table: one row per question, the unit names above the columns.
	rowTop := evalInt(t, ctx, `Math.round(document.querySelector('#c-C1 td:nth-child(3)').getBoundingClientRect().top - document.querySelector('#c-C1 td:nth-child(2)').getBoundingClientRect().top)`)
	if rowTop != 0 {
		t.Fatalf("two units of one question are %d px apart vertically", rowTop)
	}
}

// Without its script the page is one plain form: the boxes, the answers and the save button
// work as HTML does.
func TestMatrixFormWithoutJavaScriptInChromium(t *testing.T) {
	t.Parallel()
	e, issued := newMatrixEnv(t, 20, 1)
	f := issued[0]
	q := e.camp.Def.Questionnaire("CH1")
	units := e.camp.Def.UnitsOfKind("so")
	base := e.serve()
	ctx := newBrowser(t, 360, 800)
	if err := chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(true), chromedp.Navigate(base+"/p/"+f.Token),
		chromedp.WaitVisible("#mx", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "matrix-phone-nojs")
	if w := evalInt(t, ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Fatalf("page is %d px wide", w)
	}
	var actions []chromedp.Action
	for _, fl := range q.Fields {
		if !fl.Optional {
			actions = append(actions, chromedp.Click(fmt.Sprintf(`input[name="r_%s"][value="1"]`, fl.Key), chromedp.ByQuery))
		}
	}
	for _, u := range units[1:] {
		actions = append(actions, chromedp.Click(`input[name="s_`+u.Code+`"]`, chromedp.ByQuery))
	}
	for _, qu := range q.Questions() {
		actions = append(actions, chromedp.Click(fmt.Sprintf(`input[name="q_%s_%s"][value="2"]`, qu.Code, units[0].Code), chromedp.ByQuery))
	}
	actions = append(actions, chromedp.Click(".save-draft", chromedp.ByQuery), chromedp.WaitVisible(".draft-note", chromedp.ByQuery))
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "matrix-phone-nojs-saved")
	if n := evalInt(t, ctx, `document.querySelectorAll('input:checked').length`); n != len(q.Fields)-1+len(units)-1+len(q.Questions()) {
		t.Fatalf("%d marks after saving", n)
	}
	var receipt string
	if err := chromedp.Run(ctx, chromedp.Click(`.submit button[type=submit]:not(.save-draft)`, chromedp.ByQuery),
		chromedp.WaitVisible(".receipt", chromedp.ByQuery), chromedp.Text(".receipt strong", &receipt, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	got := storedAnswers(t, e)
	if got[units[5].Code] != dontKnowAnswers(q) || got[units[0].Code] != strings.Repeat("2", len(q.Questions())) {
		t.Fatalf("stored %v", got)
	}
}

// On a link that drops: the page loads over a slow connection, the send fails while offline,
// and the same submission goes through once the connection is back, stored once.
func TestSurveySentWithoutNetworkGoesThroughWhenTheConnectionReturns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	f, q := e.formFor(e.issueAll(), campaign.ShapeSingle)
	base := e.serve()
	ctx := phone(t)
	// A slow mobile link: 400 ms round trips, 50 KB/s down, 20 KB/s up.
	start := time.Now()
	if err := chromedp.Run(ctx, network.Enable(), network.EmulateNetworkConditions(false, 400, 50<<10, 20<<10),
		chromedp.Navigate(base+"/p/"+f.Token), chromedp.WaitVisible("form.survey", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	loaded := time.Since(start)
	var actions []chromedp.Action
	for _, fl := range q.Fields {
		actions = append(actions, chromedp.Click(fmt.Sprintf(`input[name="r_%s"][value="1"]`, fl.Key), chromedp.ByQuery))
	}
	for _, qu := range q.Questions() {
		actions = append(actions, chromedp.Click(fmt.Sprintf(`input[name="q_%s"][value="1"]`, qu.Code), chromedp.ByQuery))
	}
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatal(err)
	}
	var sid string
	if err := chromedp.Run(ctx, network.EmulateNetworkConditions(true, 0, -1, -1),
		chromedp.Click(`.submit button[type=submit]:not(.save-draft)`, chromedp.ByQuery),
		chromedp.Poll(`document.getElementById('mang').getAttribute('data-kind') === 'send'`, nil),
		chromedp.Value(`input[name=sid]`, &sid, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "survey-phone-offline")
	mustContain(t, textOf(t, ctx, "#mang"), "Chưa gửi được phiếu vì mất kết nối mạng")
	if countResponses(t, e) != 0 {
		t.Fatal("stored while offline")
	}
	if err := chromedp.Run(ctx, network.EmulateNetworkConditions(false, 400, 50<<10, 20<<10),
		chromedp.WaitVisible(".receipt", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "survey-phone-sent-after-offline")
	var stored string
	e.db.ReadRow(context.Background(), `SELECT submission_id FROM responses`, nil, &stored)
	if countResponses(t, e) != 1 || stored != sid {
		t.Fatalf("%d responses, submission id %s, page's %s", countResponses(t, e), stored, sid)
	}
	msg := fmt.Sprintf("single form on a slow link (400 ms, 50 KB/s): page ready in %v; sent once after the connection returned", loaded.Round(10*time.Millisecond))
	t.Log(msg)
	fmt.Println(msg)
}
