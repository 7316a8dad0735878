// Package browsertest drives Debian's headless Chromium from Go tests (through the DevTools
// protocol) so that pages people use are tested as they see them, with screenshots kept.
package browsertest

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ScreenshotDir is where screenshots go: $PARSURVEY_SCREENSHOTS, or out/screenshots in the module.
func ScreenshotDir() string {
	if d := os.Getenv("PARSURVEY_SCREENSHOTS"); d != "" {
		return d
	}
	wd, _ := os.Getwd()
	for dir := wd; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "out", "screenshots")
		}
	}
	return filepath.Join(os.TempDir(), "parsurvey-screenshots")
}

// chromiumPath finds the browser the project's test script installs.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a headless Chromium with a phone- or laptop-sized window and returns a browser
// context; the browser ends with the test. A missing browser fails the test: bash .ci/run
// installs it.
func New(t *testing.T, width, height int) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Fatal("chromium not found: run bash .ci/run, which installs Debian's chromium")
	}
	// A profile folder of our own, removed after the browser, ignoring what its helper processes
	// may still be writing: t.TempDir would fail the test over that.
	profile, err := os.MkdirTemp("", "parsurvey-chromium-")
	if err != nil {
		t.Fatal(err)
	}
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
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	// The pinned DevTools client does not know every event field a newer Chromium sends
	// ("unknown IPAddressSpace value: Loopback"); those notices are noise, anything else is logged.
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithErrorf(func(format string, args ...any) {
		if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, "could not unmarshal event") {
			log.Print("chromium: " + msg) // not t.Log: it may come after the test has ended
		}
	}))
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
		cancelAlloc()
		for i := 0; i < 5 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Screenshot saves a PNG of what the window shows under ScreenshotDir and returns its path.
func Screenshot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	return capture(t, ctx, name, chromedp.CaptureScreenshot)
}

// FullScreenshot saves a PNG of the whole page, beyond the window, and returns its path.
func FullScreenshot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	return capture(t, ctx, name, func(png *[]byte) chromedp.Action { return chromedp.FullScreenshot(png, 100) })
}

func capture(t *testing.T, ctx context.Context, name string, shot func(*[]byte) chromedp.Action) string {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, shot(&png)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := ScreenshotDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}
