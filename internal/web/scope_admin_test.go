package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// TestAnAdministratorOfOneOrganisation is a service shared by several organisations (one
// PostgreSQL database for a ministry, say): an administrator limited to one organisation keeps to
// its campaigns, sees nobody else's staff or audit entries, and cannot lift its own limits.
func TestAnAdministratorOfOneOrganisation(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	other := testenv.EditedDemo(t)
	other.Code, other.Name, other.Organizer = "khac-2026", "Đợt khảo sát khác", "Sở Nội vụ tỉnh khác"
	oc, _, err := e.db.SaveDefinition(ctx, other, 0)
	if err != nil {
		t.Fatal(err)
	}
	e.addUser("qtkhac", store.RoleAdmin)
	e.addUser("qttinh", store.RoleAdmin)
	limited, err := e.db.UserByName(ctx, "qtkhac")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetScope(ctx, limited.ID, other.Organizer, nil, 0); err != nil {
		t.Fatal(err)
	}
	// Entries the limited administrator must not see: the other organisation's staff signing
	// in, and work on the first campaign.
	e.client().login("qttinh")
	if err := e.db.Audit(ctx, 0, "forms.issue", e.camp.ID, "S1", map[string]int{"n": 1}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.Audit(ctx, 0, "forms.issue", oc.ID, "S1", map[string]int{"n": 2}); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.login("qtkhac")

	t.Run("account management is refused, and the menu does not offer it", func(t *testing.T) {
		for _, r := range []struct{ method, path string }{
			{"GET", "/users"},
			{"POST", "/users"},
			{"POST", fmt.Sprintf("/users/%d/scope", limited.ID)},
			{"POST", fmt.Sprintf("/users/%d/role", limited.ID)},
		} {
			resp, body := c.send(r.method, r.path)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, msgAccountsUnlimited) {
				t.Errorf("%s %s: %d", r.method, r.path, resp.StatusCode)
			}
		}
		if _, home := c.get("/"); strings.Contains(home, `href="/users"`) {
			t.Error("the menu offers account management")
		}
	})
	t.Run("lifting its own limits changes nothing", func(t *testing.T) {
		c.post(fmt.Sprintf("/users/%d/scope", limited.ID), url.Values{"organisation": {""}})
		u, err := e.db.UserByName(ctx, "qtkhac")
		if err != nil || u.Organisation != other.Organizer {
			t.Fatalf("scope now %+v, %v", u, err)
		}
	})
	t.Run("the audit log holds its organisation's campaigns and its own entries only", func(t *testing.T) {
		resp, body := c.get("/audit")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		page := text(body)
		if !strings.Contains(page, other.Name) || strings.Contains(page, e.camp.Name) || strings.Contains(page, "qttinh") {
			t.Fatalf("the limited administrator's audit page:\n%s", page)
		}
		resp, csv := c.get("/audit.csv")
		if resp.StatusCode != http.StatusOK || strings.Contains(csv, e.camp.Name) || strings.Contains(csv, "qttinh") || !strings.Contains(csv, other.Name) {
			t.Fatalf("export %d:\n%s", resp.StatusCode, csv)
		}
	})
	t.Run("an administrator without limits still sees everything", func(t *testing.T) {
		a := e.client()
		a.login("qttinh")
		_, body := a.get("/audit")
		if page := text(body); !strings.Contains(page, e.camp.Name) || !strings.Contains(page, other.Name) {
			t.Fatalf("the whole audit page:\n%s", page)
		}
		if resp, _ := a.get("/users"); resp.StatusCode != http.StatusOK {
			t.Fatalf("/users: %d", resp.StatusCode)
		}
	})
}
