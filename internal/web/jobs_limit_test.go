package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/jobs"
)

// fakeClock is a clock for the job runner that moves only when the test says.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// useJobClock swaps the server's job runner for one with the default limits on clk.
func (e *testEnv) useJobClock(clk *fakeClock) *jobs.Runner {
	e.t.Helper()
	e.srv.jobs.Close()
	r, err := e.srv.newJobs(jobs.Config{Now: clk.Now})
	if err != nil {
		e.t.Fatal(err)
	}
	e.srv.jobs = r
	e.t.Cleanup(r.Close)
	return r
}

func TestPrintJobsAreBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clk := &fakeClock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	runner := e.useJobClock(clk)
	c := e.client()
	c.login("admin")
	c.get(e.formsURL("")) // the page a print run is started from, and its form token
	admin, err := e.db.UserByName(context.Background(), "admin")
	if err != nil {
		t.Fatal(err)
	}
	g := e.camp.Def.Groups[1]
	unit := e.camp.Def.UnitsOfKind(g.Evaluates)[0].Code
	c.post(e.formsURL("/issue"), url.Values{"group": {g.Code}, "unit": {unit}, "reserve": {"0"}})
	printURL := fmt.Sprintf("/campaigns/%d/print", e.camp.ID)
	printForm := func() url.Values { return url.Values{"group": {g.Code}, "unit": {unit}} } // post adds each client's token

	release := make(chan struct{})
	runner.Handle("hold", func(context.Context, []byte, *os.File, *jobs.Job) error {
		<-release
		return nil
	})
	var held []*jobs.Job
	for range runner.Limits().Running {
		j, err := runner.Start(context.Background(), "hold", "đang in", "x.zip", admin.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, j)
	}
	t.Run("a user with as many print runs going as allowed is refused another, in Vietnamese", func(t *testing.T) {
		resp, body := c.post(printURL, printForm())
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("print = %d, want 429", resp.StatusCode)
		}
		mustContain(t, body, fmt.Sprintf("Bạn đang có %d lượt in chưa xong", runner.Limits().Running), "Quá nhiều yêu cầu")
	})
	t.Run("another staff member may still print", func(t *testing.T) {
		other := e.client()
		other.login("phantich")
		other.get(e.formsURL(""))
		if resp, body := other.post(printURL, printForm()); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("print by another user = %d\n%s", resp.StatusCode, body)
		}
	})
	close(release)
	for _, j := range held {
		waitJob(t, runner, j.ID)
	}

	resp, _ := c.post(printURL, printForm())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("print once the runs finished = %d", resp.StatusCode)
	}
	jobURL := resp.Header.Get("Location")
	id := strings.TrimPrefix(jobURL, "/jobs/")
	waitJob(t, runner, id)
	t.Run("a finished run is downloaded within its TTL", func(t *testing.T) {
		clk.Add(runner.Limits().TTL - time.Minute)
		_, page := c.get(jobURL)
		mustContain(t, page, "Tải về")
		if resp, _ := c.get(jobURL + "/file"); resp.StatusCode != http.StatusOK {
			t.Fatalf("download = %d", resp.StatusCode)
		}
	})
	t.Run("a run past its TTL is not found and its file is deleted", func(t *testing.T) {
		clk.Add(time.Minute)
		resp, body := c.get(jobURL + "/file")
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("download after the TTL = %d, want 404", resp.StatusCode)
		}
		mustContain(t, body, "Không tìm thấy lượt in này")
		if resp, _ := c.get(jobURL); resp.StatusCode != http.StatusNotFound {
			t.Errorf("job page after the TTL = %d, want 404", resp.StatusCode)
		}
		var n int
		if err := e.db.ReadRow(context.Background(), `SELECT count(*) FROM job_chunks WHERE job_id = ?`, []any{id}, &n); err != nil || n != 0 {
			t.Errorf("%d chunks of the file after the TTL (%v)", n, err)
		}
	})
}

// waitJob waits until the job of id has finished, failing after half a minute (a real print
// run).
func waitJob(t *testing.T, r *jobs.Runner, id string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		j, err := r.Get(context.Background(), id)
		if err != nil || j == nil {
			t.Fatalf("job %s: %v, %v", id, j, err)
		}
		_, _, finished, err := j.Progress()
		if finished {
			if err != nil {
				t.Fatalf("job %s failed: %v", id, err)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s did not finish", id)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
