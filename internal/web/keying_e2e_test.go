//go:build e2e

package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/parsurvey/parsurvey/internal/browsertest"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
)

// keyInBrowser signs a keyer in and keys one whole form of the batch with keyboard events only:
// the code and Enter, one key per item, Enter to save. It returns the status line and the time
// from the first key of the code to the saved status.
func keyInBrowser(t *testing.T, ctx context.Context, base, user string, batch int64, code string, marks []string, shots string) (string, time.Duration) {
	t.Helper()
	if err := chromedp.Run(ctx,
		network.ClearBrowserCookies(),
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible("#username", chromedp.ByID),
		chromedp.KeyEvent(user),
		chromedp.KeyEvent(kb.Tab),
		chromedp.KeyEvent(testPassword+kb.Enter),
		chromedp.WaitVisible("a.k-go", chromedp.ByQuery),
		chromedp.Navigate(fmt.Sprintf("%s/keying/batches/%d", base, batch)),
		chromedp.WaitVisible("#code", chromedp.ByID),
	); err != nil {
		t.Fatal(err)
	}
	if shots != "" {
		browsertest.Screenshot(t, ctx, shots+"-open")
	}
	start := time.Now()
	// The code is typed as a keyer might: lower case, spaces for dashes. Its check runs on Enter.
	loose := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	if err := chromedp.Run(ctx,
		chromedp.KeyEvent(loose+kb.Enter),
		chromedp.WaitVisible("#code-msg.k-ok", chromedp.ByQuery),
		// The page moves the cursor to the first item once it has laid the items out, a moment
		// after the check's answer shows: a keyer looks up before typing, and so does this test.
		chromedp.Poll(`document.activeElement !== null && document.activeElement.classList.contains("k-key")`, nil,
			chromedp.WithPollingTimeout(10*time.Second)),
	); err != nil {
		t.Fatal(err)
	}
	half := len(marks) / 2
	for i, m := range marks {
		if err := chromedp.Run(ctx, chromedp.KeyEvent(m)); err != nil {
			t.Fatal(err)
		}
		if i == half && shots != "" {
			// The cursor moved by itself, and the current item is on screen.
			var inView bool
			if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => { const r = document.activeElement.getBoundingClientRect();
				return document.activeElement.classList.contains("k-key") && r.top >= 0 && r.bottom <= innerHeight; })()`, &inView)); err != nil {
				t.Fatal(err)
			}
			if !inView {
				t.Errorf("item %d is not in view while it is keyed", i+2)
			}
			browsertest.Screenshot(t, ctx, shots+"-half")
		}
	}
	var active string
	chromedp.Run(ctx, chromedp.Evaluate(`document.activeElement.id`, &active))
	if active != "k-save" {
		t.Errorf("after the last item the cursor is on %q, not on the save button", active)
	}
	var status string
	if err := chromedp.Run(ctx,
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible("#k-status.k-ok", chromedp.ByQuery),
		chromedp.Text("#k-status", &status, chromedp.ByID),
	); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	if shots != "" {
		browsertest.Screenshot(t, ctx, shots+"-saved")
	}
	var codeValue, focused string
	chromedp.Run(ctx, chromedp.Value("#code", &codeValue, chromedp.ByID), chromedp.Evaluate(`document.activeElement.id`, &focused))
	if codeValue != "" || focused != "code" {
		t.Errorf("after saving the screen should be empty with the cursor in the code: code %q, cursor on %q", codeValue, focused)
	}
	return status, took
}

func TestKeyingAWholeFormWithTheKeyboardInChromium(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	ctx := context.Background()
	e.issueAll()
	sup := e.userID("giamsat")
	for _, name := range []string{"dtv1", "dtv2"} {
		if err := e.db.AddKeyer(ctx, e.camp.ID, e.userID(name), sup); err != nil {
			t.Fatal(err)
		}
	}
	b := &store.Batch{CampaignID: e.camp.ID, Group: "S2", Unit: "SNV", ReturnedBy: e.userID("dtv1"), Count: 15, ReceivedOn: paperDay}
	if err := e.db.RecordBatch(ctx, b, sup); err != nil {
		t.Fatal(err)
	}
	l, err := paper.NewLayout(e.camp.Def, "S2", "SNV")
	if err != nil {
		t.Fatal(err)
	}
	// Every kind of key: options, a blank item (0), an item with several marks (*).
	var marks []string
	for i, it := range l.Items() {
		switch {
		case i == len(l.Fields)+4:
			marks = append(marks, "0")
		case i == len(l.Fields)+7:
			marks = append(marks, "*")
		default:
			marks = append(marks, fmt.Sprint(1+i%len(it.Options)))
		}
	}
	code := "S2-SNV-0001" // completed below with its check character
	for _, f := range mustForms(t, e, "S2", "SNV") {
		if strings.HasPrefix(f, code) {
			code = f
		}
	}
	base := e.serve()
	browser := newBrowser(t, 1366, 768)

	status, took := keyInBrowser(t, browser, base, "dtv1", b.ID, code, marks, "keying")
	t.Logf("%d items keyed and saved in %v", len(marks), took)
	if !strings.Contains(status, "Đã lưu lần nhập thứ nhất của phiếu "+code) {
		t.Fatalf("status after the first keying: %q", status)
	}
	if took > time.Minute {
		t.Errorf("keying one form took %v", took)
	}
	status, _ = keyInBrowser(t, browser, base, "dtv2", b.ID, code, marks, "")
	if !strings.Contains(status, "lần nhập thứ hai khớp lần thứ nhất") {
		t.Fatalf("status after the second keying: %q", status)
	}
	browsertest.Screenshot(t, browser, "keying-verified")
	var answers, respondent string
	if err := e.db.ReadRow(ctx, `SELECT a.answers, r.respondent FROM responses r JOIN response_answers a ON a.response_id = r.id`, nil, &answers, &respondent); err != nil {
		t.Fatal(err)
	}
	want := strings.Join(marks[len(l.Fields):], "")
	if answers != want {
		t.Fatalf("stored answers %s, keyed %s", answers, want)
	}
	if !strings.Contains(respondent, l.Fields[0].Options[0]) {
		t.Fatalf("respondent %s", respondent)
	}

	// Two keyings that differ on two items, then the supervisor decides them side by side.
	other := mustForms(t, e, "S2", "SNV")[1]
	k1, k2 := e.client(), e.client()
	k1.login("dtv1")
	k2.login("dtv2")
	batchURL := fmt.Sprintf("/keying/batches/%d", b.ID)
	k1.get(batchURL)
	k2.get(batchURL)
	qa, qb := len(l.Fields)+1, len(l.Fields)+6
	k1.postJSON(batchURL, keyed(l, other, ones))
	if _, res := k2.postJSON(batchURL, keyed(l, other, func(i int, it paper.Item) string {
		if i == qa || i == qb {
			return "3"
		}
		return "1"
	})); res.Kind != "differs" {
		t.Fatalf("second keying: %+v", res)
	}
	var item int64
	e.db.ReadRow(ctx, `SELECT id FROM paper_conflicts`, nil, &item)
	var flash string
	if err := chromedp.Run(browser,
		network.ClearBrowserCookies(),
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible("#username", chromedp.ByID),
		chromedp.KeyEvent("giamsat"+kb.Tab+testPassword+kb.Enter),
		// The login page has a heading too: wait for the signed-in header instead, so the next
		// navigation does not cut the login post short.
		chromedp.WaitVisible(`form[action="/logout"]`, chromedp.ByQuery),
		chromedp.Navigate(base+e.paperURL(fmt.Sprintf("/queue/%d", item))),
		chromedp.WaitVisible("form.adj", chromedp.ByQuery),
		chromedp.ScrollIntoView("tr.adj-differs", chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, browser, "paper-adjudicate")
	if err := chromedp.Run(browser,
		chromedp.SetValue(`select[name="d_`+l.Items()[qa].Name+`"]`, "3", chromedp.ByQuery),
		chromedp.SetValue(`select[name="d_`+l.Items()[qb].Name+`"]`, "1", chromedp.ByQuery),
		chromedp.Click(`form.adj button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery),
		chromedp.Text("p.flash", &flash, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(flash, "Đã xử lý phiếu "+other+": 2 mục") {
		t.Fatalf("after the decision: %q", flash)
	}
	if err := chromedp.Run(browser, chromedp.Navigate(base+e.paperURL("")), chromedp.WaitVisible("table.grid", chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("doi-chieu").scrollIntoView()`, nil)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, browser, "paper-reconciliation")
}

func mustForms(t *testing.T, e *testEnv, group, unit string) []string {
	t.Helper()
	var out []string
	e.db.Forms(context.Background(), e.camp.ID, store.FormFilter{Group: group, Unit: unit}, func(f *store.IssuedForm) error {
		out = append(out, f.Code)
		return nil
	})
	return out
}
