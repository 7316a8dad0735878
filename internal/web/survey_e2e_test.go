//go:build e2e

package web

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
	"github.com/parsurvey/parsurvey/internal/campaign"
)

// serve runs the test server on a loopback port for a real browser.
func (e *testEnv) serve() string {
	e.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	go e.srv.App().Listener(ln)
	e.t.Cleanup(func() { e.srv.App().Shutdown() })
	return "http://" + ln.Addr().String()
}

// staffSignIn signs a test account in through the login page, as a person types it.
func staffSignIn(base, username string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Navigate(base + "/login"),
		chromedp.WaitVisible("#username", chromedp.ByID),
		chromedp.SendKeys("#username", username, chromedp.ByID),
		chromedp.SendKeys("#password", testPassword, chromedp.ByID),
		chromedp.Submit("#password", chromedp.ByID),
		// The login page has a heading too: wait for the signed-in header instead.
		chromedp.WaitVisible(`form[action="/logout"]`, chromedp.ByQuery),
	}
}

func TestPhoneAnswersAndSubmitsInChromium(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	f, q := e.formFor(e.issueAll(), campaign.ShapeSingle)
	base := e.serve()
	ctx := newBrowser(t, 360, 800)

	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/p/"+f.Token), chromedp.WaitVisible("form.survey")); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "survey-phone-open")

	// The page must fit a 360 px phone: nothing wider than the viewport.
	var scrollWidth int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth)); err != nil {
		t.Fatal(err)
	}
	if scrollWidth > 360 {
		t.Errorf("page is %d px wide on a 360 px phone", scrollWidth)
	}

	var actions []chromedp.Action
	for _, fl := range q.Fields {
		actions = append(actions, chromedp.Click(fmt.Sprintf(`input[name="r_%s"][value="1"]`, fl.Key), chromedp.ByQuery))
	}
	for i, qu := range q.Questions() {
		actions = append(actions, chromedp.Click(fmt.Sprintf(`input[name="q_%s"][value="%d"]`, qu.Code, 1+i%2), chromedp.ByQuery))
	}
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatal(err)
	}
	var progress string
	chromedp.Run(ctx, chromedp.Text("#tien-do", &progress, chromedp.ByID))
	if want := fmt.Sprintf("Đã trả lời %d/%d câu", len(q.Questions()), len(q.Questions())); progress != want {
		t.Errorf("progress says %q, want %q", progress, want)
	}

	// A reload keeps every answer (saved in the browser as given).
	var checked int
	if err := chromedp.Run(ctx, chromedp.Reload(), chromedp.WaitVisible("form.survey"),
		chromedp.Evaluate(`document.querySelectorAll('input[type=radio]:checked').length`, &checked)); err != nil {
		t.Fatal(err)
	}
	if want := len(q.Fields) + len(q.Questions()); checked != want {
		t.Fatalf("%d answers restored after reload, want %d", checked, want)
	}
	browsertest.Screenshot(t, ctx, "survey-phone-answered")

	var receipt string
	if err := chromedp.Run(ctx, chromedp.Click(`form.survey button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".receipt", chromedp.ByQuery), chromedp.Text(".receipt strong", &receipt, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "survey-phone-receipt")
	if len(receipt) != 9 || !strings.Contains(receipt, "-") {
		t.Fatalf("receipt %q", receipt)
	}
	if n := countResponses(t, e); n != 1 {
		t.Fatalf("%d responses stored", n)
	}
	var stored string
	e.db.ReadRow(context.Background(), `SELECT receipt FROM responses`, nil, &stored)
	if stored != receipt {
		t.Fatalf("page shows %s, database holds %s", receipt, stored)
	}
}
