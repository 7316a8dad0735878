package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// routeParam is a parameter of a route's path, with its constraint if any.
var routeParam = regexp.MustCompile(`:([a-z]+)(<[^>]*>)?`)

// samplePath fills a route's parameters with values that reach its handler. An account in the
// path is the spare enumerator dtv2, so that a reset or a lock walked as the administrator
// ends nobody's session the walk goes on with.
func samplePath(e *testEnv, path string) string {
	return routeParam.ReplaceAllStringFunc(path, func(p string) string {
		m := routeParam.FindStringSubmatch(p)
		switch {
		case m[1] == "id" && !strings.HasPrefix(path, "/jobs/"):
			return fmt.Sprint(e.camp.ID)
		case m[1] == "format":
			return strings.SplitN(strings.TrimPrefix(m[2], "<regex("), "|", 2)[0]
		case m[1] == "unit":
			return "SNV"
		case m[1] == "group":
			return "S2"
		case m[1] == "user":
			u, err := e.db.UserByName(e.t.Context(), "dtv2")
			if err != nil {
				e.t.Fatal(err)
			}
			return fmt.Sprint(u.ID)
		case strings.HasPrefix(m[2], "<int"):
			return "1"
		}
		return "x"
	})
}

// walkAccounts are a signed-in client per role (the testenv staff plus an analyst and a
// viewer), each holding a CSRF token of its session.
func walkAccounts(t *testing.T, e *testEnv) map[store.Role]*client {
	t.Helper()
	e.addUser("phantich", store.RoleAnalyst)
	e.addUser("xem", store.RoleViewer)
	accounts := map[store.Role]*client{}
	for name, role := range map[string]store.Role{"admin": store.RoleAdmin, "phantich": store.RoleAnalyst, "giamsat": store.RoleSupervisor,
		"dtv1": store.RoleEnumerator, "xem": store.RoleViewer} {
		c := e.client()
		c.login(name)
		c.get("/password") // a page with a CSRF token of the session, for the posts
		accounts[role] = c
	}
	return accounts
}

// send makes the route's request, a post with the client's token and nothing else.
func (c *client) send(method, path string) (*http.Response, string) {
	if method == http.MethodGet {
		return c.get(path)
	}
	return c.post(path, nil)
}

// TestTheAuthorizationMatrix walks every staff route of the routes table, the lines other
// changes add included, as every role and as an anonymous visitor: a role the route lists
// reaches its handler, any other is refused by the role check, a visitor is sent to sign in.
func TestTheAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	accounts := walkAccounts(t, e)
	anon := e.client()
	anon.get("/login") // a token, so that a post meets the sign-in check, not the CSRF check
	for _, r := range e.srv.staffRoutes() {
		if len(r.roles) == 0 {
			t.Errorf("%s %s has no entry in the authorization matrix: give it its roles in routes.go", r.method, r.path)
			continue
		}
		path := samplePath(e, r.path)
		for _, role := range store.Roles {
			allowed := slices.Contains(r.roles, role)
			verb := "is refused to"
			if allowed {
				verb = "is open to"
			}
			t.Run(fmt.Sprintf("%s %s %s %s accounts", r.method, r.path, verb, role), func(t *testing.T) {
				resp, body := accounts[role].send(r.method, path)
				forbidden := resp.StatusCode == http.StatusForbidden && strings.Contains(body, msgForbidden)
				switch {
				case !allowed && !forbidden:
					t.Fatalf("%s %s as %s: status %d, want the role check's 403", r.method, path, role, resp.StatusCode)
				case allowed && forbidden:
					t.Fatalf("%s %s as %s: refused by the role check", r.method, path, role)
				case allowed && resp.StatusCode >= 500:
					t.Fatalf("%s %s as %s: status %d: %.300s", r.method, path, role, resp.StatusCode, text(body))
				case allowed && strings.HasPrefix(resp.Header.Get("Location"), "/login"):
					t.Fatalf("%s %s as %s: sent to sign in", r.method, path, role)
				}
			})
		}
		t.Run(fmt.Sprintf("%s %s sends an anonymous visitor to sign in", r.method, r.path), func(t *testing.T) {
			resp, _ := anon.send(r.method, path)
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
				t.Fatalf("%s %s anonymous: status %d, location %q", r.method, path, resp.StatusCode, resp.Header.Get("Location"))
			}
		})
	}
}

// TestTheJSONAPIMatrix walks every route of the JSON API as every role signed in and as an
// anonymous visitor: apiRoles read, the other roles are refused, a visitor without a token is
// asked for one.
func TestTheJSONAPIMatrix(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	accounts := walkAccounts(t, e)
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		path := samplePath(e, r.Path)
		for _, role := range store.Roles {
			t.Run(fmt.Sprintf("%s as %s", r.Path, role), func(t *testing.T) {
				resp, _ := accounts[role].get(path)
				if allowed := slices.Contains(apiRoles, role); allowed != (resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusUnauthorized) {
					t.Fatalf("status %d; apiRoles holds %s: %v", resp.StatusCode, role, allowed)
				}
			})
		}
		t.Run(r.Path+" anonymous", func(t *testing.T) {
			if resp, _ := e.client().get(path); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d", resp.StatusCode)
			}
		})
	}
}

// TestACampaignOutOfScopeDoesNotExist walks every campaign route as an analyst limited to
// another campaign: every one answers 404 like a campaign that does not exist, the API too,
// and the home page does not list it.
func TestACampaignOutOfScopeDoesNotExist(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	other := testenv.EditedDemo(t)
	other.Code, other.Name, other.Organizer = "khac-2026", "Đợt khảo sát khác", "Sở Nội vụ tỉnh khác"
	oc, _, err := e.db.SaveDefinition(ctx, other, 0)
	if err != nil {
		t.Fatal(err)
	}
	e.addUser("phantich", store.RoleAnalyst)
	u, err := e.db.UserByName(ctx, "phantich")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetScope(ctx, u.ID, "", []int64{oc.ID}, 0); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.login("phantich")
	_, home := c.get("/")
	if strings.Contains(home, e.camp.Name) || !strings.Contains(home, "Đợt khảo sát khác") {
		t.Fatalf("the home page of a scoped account:\n%s", text(home))
	}
	for _, r := range e.srv.staffRoutes() {
		if !campaignRoute(r.path) || !slices.Contains(r.roles, store.RoleAnalyst) {
			continue
		}
		t.Run(fmt.Sprintf("%s %s answers 404", r.method, r.path), func(t *testing.T) {
			resp, _ := c.send(r.method, samplePath(e, r.path))
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("status %d", resp.StatusCode)
			}
			// The campaign in scope stays reachable.
			if r.method == http.MethodGet && !strings.Contains(r.path, ".") && !strings.Contains(r.path, ":unit") && !strings.Contains(r.path, ":send") {
				path := strings.Replace(samplePath(e, r.path), fmt.Sprint(e.camp.ID), fmt.Sprint(oc.ID), 1)
				if resp, _ := c.get(path); resp.StatusCode != http.StatusOK {
					t.Fatalf("%s in scope: status %d", path, resp.StatusCode)
				}
			}
		})
	}
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		t.Run(fmt.Sprintf("the JSON API's %s answers 404 too", r.Path), func(t *testing.T) {
			resp, _ := c.get(samplePath(e, r.Path))
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("status %d", resp.StatusCode)
			}
		})
	}
	t.Run("an account of the campaign's organizer sees it", func(t *testing.T) {
		if err := e.db.SetScope(ctx, u.ID, e.camp.Def.Organizer, nil, 0); err != nil {
			t.Fatal(err)
		}
		if resp, _ := c.get(fmt.Sprintf("/campaigns/%d", e.camp.ID)); resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if resp, _ := c.get(fmt.Sprintf("/campaigns/%d", oc.ID)); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("the other organisation's campaign: status %d", resp.StatusCode)
		}
	})
}

func TestTheRoutesTableListsEveryRouteOfTheApp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	listed := map[string]bool{
		// Registered in routes() before the staff middleware, with who may use them beside them.
		"GET /healthz": true, "GET /p/:token": true, "POST /p/:token": true, "POST /p/:token/draft": true, "GET /:short<len(12)>": true, "GET /api/v1/campaigns/:id/scores": true, "GET /api/v1/campaigns/:id/comparison": true,
		"GET /login": true, "POST /login": true, "POST /logout": true,
	}
	for _, r := range e.srv.staffRoutes() {
		listed[r.method+" "+r.path] = true
	}
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method == http.MethodHead || r.Method == "USE" || strings.HasPrefix(r.Path, "/static") {
			continue
		}
		if !listed[r.Method+" "+r.Path] {
			t.Errorf("%s %s is registered but not in the routes table", r.Method, r.Path)
		}
	}
	// Every GET answers HEAD too, as fiber's Get registers it.
	resp, err := e.srv.App().Test(httptest.NewRequest(http.MethodHead, "/healthz", nil), -1)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("HEAD /healthz: %v %v", resp, err)
	}
}

func TestEveryFileLeavingTheServiceIsAudited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, r := range e.srv.staffRoutes() {
		key := r.method + " " + r.path
		last := r.path[strings.LastIndex(r.path, "/")+1:]
		if (strings.Contains(last, ".") || last == "file") && !blankTemplates[key] && auditedAction(r) == "" {
			t.Errorf("%s sends a file but is not audited", key)
		}
		if a := auditedAction(r); a != "" && strings.HasPrefix(auditSentence(store.AuditEntry{Action: a, Detail: "{}"}, auditNames{}), "Thao tác khác") {
			t.Errorf("%s is audited as %s, which has no sentence in audit_messages.go", key, a)
		}
	}
	for key := range auditedRoutes {
		found := false
		for _, r := range e.srv.staffRoutes() {
			found = found || r.method+" "+r.path == key
		}
		if !found {
			t.Errorf("auditedRoutes names %s, which is not a route", key)
		}
	}
}

// TestPagesOfferOnlyWhatTheRoleMayDo: a button or a tab the role would be refused is not shown.
func TestPagesOfferOnlyWhatTheRoleMayDo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	accounts := walkAccounts(t, e)
	base := fmt.Sprintf("/campaigns/%d", e.camp.ID)
	for _, c := range []struct {
		name       string
		role       store.Role
		path       string
		shown, not []string
	}{
		{"a supervisor's forms page has no issuing, printing or voiding", store.RoleSupervisor, base + "/forms",
			[]string{`action="` + base + `/forms/assign"`, base + "/forms/list.xlsx"},
			[]string{`action="` + base + `/forms/issue"`, `action="` + base + `/print"`, `action="` + base + `/forms/void"`, `href="` + base + `/respondents"`}},
		{"an analyst's forms page has them all", store.RoleAnalyst, base + "/forms",
			[]string{`action="` + base + `/forms/issue"`, `action="` + base + `/print"`, `action="` + base + `/forms/void"`, `href="` + base + `/respondents"`}, nil},
		{"a viewer's results page reads only", store.RoleViewer, base + "/results",
			[]string{`href="` + base + `/results"`},
			[]string{`action="` + base + `/results/runs"`, base + "/settings", base + "/results/imports", `href="` + base + `/paper"`, `href="` + base + `/audit"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := accounts[c.role].page(c.path)
			mustContain(t, body, c.shown...)
			for _, n := range c.not {
				if strings.Contains(body, n) {
					t.Errorf("the page offers %s", n)
				}
			}
		})
	}
}
