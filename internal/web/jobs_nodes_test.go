package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/jobs"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// secondNode is another server on e's database, through a handle of its own and with a work
// folder of its own, as a second node behind the load balancer would be.
func (e *testEnv) secondNode() *testEnv {
	e.t.Helper()
	db, err := store.OpenScratch(e.db.Path())
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	cfg := testenv.Config(e.t, e.db.Path())
	cfg.Work = e.t.TempDir()
	srv, err := New(db, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(srv.Close)
	return &testEnv{t: e.t, db: db, srv: srv, camp: e.camp}
}

// on is a client of another node with this client's session.
func (c *client) on(e *testEnv) *client {
	return &client{e: e, cookies: c.cookies, csrf: c.csrf, ip: c.ip}
}

func TestAPrintRunStartedOnOneNodeIsShownAndDownloadedOnAnother(t *testing.T) {
	a := newEnv(t)
	// Node A runs no jobs: the run can only be done by node B.
	a.srv.jobs.Close()
	runner, err := a.srv.newJobs(jobs.Config{Workers: -1})
	if err != nil {
		t.Fatal(err)
	}
	a.srv.jobs = runner
	b := a.secondNode()
	onA := a.client()
	onA.login("admin")
	g := a.camp.Def.Groups[1]
	unit := a.camp.Def.UnitsOfKind(g.Evaluates)[0].Code
	onA.post(a.formsURL("/issue"), url.Values{"group": {g.Code}, "unit": {unit}, "reserve": {"0"}})
	onA.get(a.formsURL(""))
	jobURL := printJob(t, a, onA, url.Values{"group": {g.Code}, "unit": {unit}})
	id := strings.TrimPrefix(jobURL, "/jobs/")

	t.Run("the node that did not run it serves the file", func(t *testing.T) {
		j, err := b.srv.jobs.Get(t.Context(), id)
		if err != nil || j == nil || j.Node != b.srv.jobs.Node() {
			t.Fatalf("job %s = %+v, %v; want run by node B", id, j, err)
		}
		resp, body := onA.get(jobURL + "/file")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "%PDF-") || resp.ContentLength != int64(len(body)) {
			t.Fatalf("download from A = %d, %d bytes (length %d), starts %q", resp.StatusCode, len(body), resp.ContentLength, body[:min(8, len(body))])
		}
		want := fmt.Sprintf("phieu-%s-%s-%s.pdf", a.camp.Code, g.Code, unit)
		if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, want) {
			t.Errorf("Content-Disposition %q, want %s", cd, want)
		}
	})
	t.Run("the other node shows the same run, its page, history and file", func(t *testing.T) {
		onB := onA.on(b)
		_, fromA := onA.get(jobURL + "/file")
		if resp, page := onB.get(jobURL); resp.StatusCode != http.StatusOK || !strings.Contains(page, "Tải về") {
			t.Fatalf("job page on B = %d", resp.StatusCode)
		}
		if _, page := onB.get("/jobs"); !strings.Contains(page, jobURL+"/file") {
			t.Error("B's history lacks the run")
		}
		if resp, body := onB.get(jobURL + "/file"); resp.StatusCode != http.StatusOK || body != fromA {
			t.Errorf("download from B = %d, %d bytes, want A's %d", resp.StatusCode, len(body), len(fromA))
		}
	})
}
