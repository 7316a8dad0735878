package app

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/testenv"
)

// TestShutdownWhileRequestsAreInFlight cancels Serve while signed-in staff keep loading pages
// that query the database, then closes the app. Run with -race it fails if a request's
// database work shares anything with the server's shutdown, as it did when handlers handed
// fasthttp's pooled RequestCtx to database/sql (its Done reads what Shutdown writes).
func TestShutdownWhileRequestsAreInFlight(t *testing.T) {
	for round := 0; round < 3; round++ {
		a, out, closeApp := openClosable(t, testConfig(t))
		pw := adminPassword(out.String()) // read before Serve, which writes to out
		base, stop := serve(t, a)
		staff := testenv.SignIn(t, base, "admin", pw)
		var answered atomic.Int64
		var wg sync.WaitGroup
		done := make(chan struct{})
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				client := &http.Client{Jar: staff.Jar, Timeout: 5 * time.Second}
				for {
					select {
					case <-done:
						return
					default:
					}
					for _, p := range []string{"/", "/campaigns/1/dashboard"} {
						resp, err := client.Get(base + p)
						if err != nil {
							return // the server has stopped
						}
						resp.Body.Close()
						if resp.StatusCode == http.StatusOK {
							answered.Add(1)
						}
					}
				}
			}()
		}
		for deadline := time.Now().Add(10 * time.Second); answered.Load() < 50; {
			if time.Now().After(deadline) {
				t.Fatalf("only %d pages answered in 10 s", answered.Load())
			}
			time.Sleep(time.Millisecond)
		}
		if err := stop(); err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
		close(done)
		wg.Wait()
		if err := closeApp(); err != nil {
			t.Errorf("Close = %v", err)
		}
	}
}

// TestServeCancelledBeforeItStartsStillStopsTheServer covers a context that ends before
// fasthttp has taken the listener: Shutdown then finds nothing to stop, and a Serve relying on
// it alone returned while the server went on answering over a database about to be closed.
func TestServeCancelledBeforeItStartsStillStopsTheServer(t *testing.T) {
	a, _ := open(t, testConfig(t))
	client := &http.Client{Timeout: time.Second}
	for i := range 10 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := a.Serve(ctx, ln); err != nil {
			t.Fatalf("start %d: Serve = %v, want nil", i, err)
		}
		if resp, err := client.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
			resp.Body.Close()
			t.Fatalf("start %d: the server answered %d after Serve returned", i, resp.StatusCode)
		} else if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("start %d: the listener still accepts connections after Serve returned", i)
		}
	}
}
