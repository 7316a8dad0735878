//go:build e2e

package simulate

import (
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"github.com/parsurvey/parsurvey/internal/web"
)

// A rehearsal seen in the web, at phone size: served on its own, its campaign says on the home
// page and on its own page that it is a rehearsal, and holds the simulated responses.
func TestARehearsalInTheBrowserSaysItIsOne(t *testing.T) {
	live := testenv.Open(t)
	db, rc, rep := rehearse(t, live, testenv.Demo(t, live), 120, 9)
	if rep.Online == 0 {
		t.Fatalf("report %+v", rep)
	}
	testenv.AddUser(t, db, "xem", store.RoleAdmin)
	srv, err := web.New(db, testenv.Config(t, db.Path()), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.App().Listener(ln)
	t.Cleanup(func() { srv.App().Shutdown() })
	base := "http://" + ln.Addr().String()
	ctx := browsertest.New(t, 390, 844)
	var home, page string
	err = chromedp.Run(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible("#username", chromedp.ByID),
		chromedp.SendKeys("#username", "xem", chromedp.ByID),
		chromedp.SendKeys("#password", testenv.Password, chromedp.ByID),
		chromedp.Submit("#password", chromedp.ByID),
		chromedp.WaitVisible(`form[action="/logout"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.body.innerText`, &home),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "rehearsal-home-390")
	err = chromedp.Run(ctx, chromedp.Navigate(base+"/campaigns/"+strconv.FormatInt(rc.ID, 10)), chromedp.WaitVisible("main h1", chromedp.ByQuery),
		chromedp.Evaluate(`document.body.innerText`, &page))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "rehearsal-campaign-390")
	for name, text := range map[string]string{"home": home, "campaign": page} {
		if !strings.Contains(text, strings.TrimSpace(RehearsalPrefix)) {
			t.Errorf("the %s page does not say it is a rehearsal:\n%.800s", name, text)
		}
	}
}
