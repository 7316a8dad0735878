package web

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/store"
)

func TestEveryKindOfErrorHasOneStatusAndMessage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		err    error
		status int
		msg    string
	}{
		{"a row the store does not have is not found", fmt.Errorf("web: load: %w", store.ErrNotFound), 404, msgNotFound},
		{"an answered form is a conflict", store.ErrConflict, 409, msgKindConflict},
		{"a locked campaign is closed", store.ErrCampaignLocked, 410, msgKindClosed},
		{"invalid input shows its own message", fault.Fields("Thiếu tên đơn vị.", fault.Field{Name: "unit"}), 422, "Thiếu tên đơn vị."},
		{"a forbidden action", fault.New(fault.Forbidden, "", nil), 403, msgForbidden},
		{"an unclassified error is internal and says nothing of its cause", errors.New("sqlite: disk I/O error"), 500, msgInternal},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, msg := describe(tc.err)
			if status != tc.status || msg != tc.msg {
				t.Fatalf("describe = %d %q; want %d %q", status, msg, tc.status, tc.msg)
			}
		})
	}
}

func TestADatabaseFaultGivesAReferenceNumberNotItsText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var logged bytes.Buffer
	e.srv.log = slog.New(slog.NewTextHandler(&logged, nil))
	c := e.client()
	c.login("admin")
	e.db.Close() // every query now fails with "sql: database is closed"
	resp, page := c.get("/")
	if resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if strings.Contains(page, "sql:") || strings.Contains(page, "closed") {
		t.Fatalf("the page shows the internal error:\n%s", page)
	}
	m := regexp.MustCompile(`Mã tham chiếu để báo quản trị viên: <code>([^<]+)</code>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no reference number on the page:\n%s", page)
	}
	if !strings.Contains(logged.String(), "request_id="+m[1]) || !strings.Contains(logged.String(), "database is closed") {
		t.Fatalf("the log does not hold reference %s with the detail:\n%s", m[1], logged.String())
	}
}

func TestStaffPagesAreNotCachedAndAskForNoDeviceFeatures(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	c.login("admin")
	resp, _ := c.get("/")
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Fatalf("Cache-Control %q", got)
	}
	if got := resp.Header.Get("Permissions-Policy"); !strings.Contains(got, "camera=()") {
		t.Fatalf("Permissions-Policy %q", got)
	}
}
