//go:build e2e

package web

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// chromium is the one headless Chromium the package's browser tests share: starting one costs
// about a second, and the tests need some forty. Each test gets a tab in a browser context of
// its own (chromedp.WithNewBrowserContext: cookies, storage and cache of its own, as a fresh
// profile has), so that what one test leaves in the browser no other sees.
var chromium struct {
	once    sync.Once
	ctx     context.Context // the browser's; a tab's context derives from it
	stop    func()
	profile string
	err     error
}

// TestMain runs the tests, then stops the shared Chromium and removes its profile.
func TestMain(m *testing.M) {
	code := m.Run()
	if chromium.stop != nil {
		chromium.stop()
	}
	if chromium.profile != "" {
		// Chromium's helper processes may still be writing when it is gone: try a few times.
		for i := 0; i < 5 && os.RemoveAll(chromium.profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	}
	os.Exit(code)
}

// startChromium starts the shared browser with browsertest.New's options.
func startChromium() {
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		chromium.err = fmt.Errorf("chromium not found: run bash .ci/run, which installs Debian's chromium")
		return
	}
	profile, err := os.MkdirTemp("", "parsurvey-chromium-")
	if err != nil {
		chromium.err = err
		return
	}
	chromium.profile = profile
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// Tabs of parallel tests are all in the foreground: none has its timers slowed.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.WindowSize(1366, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	// The pinned DevTools client does not know every event field a newer Chromium sends
	// ("unknown IPAddressSpace value: Loopback"); those notices are noise, anything else is logged.
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithErrorf(func(format string, args ...any) {
		if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, "could not unmarshal event") {
			log.Print("chromium: " + msg) // not t.Log: it may come after the test has ended
		}
	}))
	chromium.ctx = ctx
	chromium.stop = func() { cancel(); cancelAlloc() }
	if err := chromedp.Run(ctx); err != nil {
		chromium.err = fmt.Errorf("start chromium: %w", err)
	}
}

// newBrowser is browsertest.New on the shared Chromium: a fresh tab of its own browser context,
// its viewport width × height, which focuses as the only window of a browser would; it closes
// when the test ends, and its actions time out after two minutes.
func newBrowser(t *testing.T, width, height int) context.Context {
	t.Helper()
	chromium.once.Do(startChromium)
	if chromium.err != nil {
		t.Fatal(chromium.err)
	}
	tab, closeTab := chromedp.NewContext(chromium.ctx, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(tab, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		closeTab()
	})
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(width), int64(height)),
		emulation.SetFocusEmulationEnabled(true)); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return ctx
}

// NewBrowser is newBrowser for the external tests of package web_test.
var NewBrowser = newBrowser
