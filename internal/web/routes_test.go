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
)

// routeParam is a parameter of a route's path, with its constraint if any.
var routeParam = regexp.MustCompile(`:([a-z]+)(<[^>]*>)?`)

// samplePath fills a route's parameters with values that reach its handler.
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
		case strings.HasPrefix(m[2], "<int"):
			return "1"
		}
		return "x"
	})
}

func TestEveryStaffRouteRefusesTheRolesNotListedForIt(t *testing.T) {
	e := newEnv(t)
	accounts := map[store.Role]*client{}
	for name, role := range map[string]store.Role{"admin": store.RoleAdmin, "giamsat": store.RoleSupervisor, "dtv1": store.RoleEnumerator} {
		c := e.client()
		c.login(name)
		c.get("/password") // a page with a CSRF token, for the posts
		accounts[role] = c
	}
	for _, r := range e.srv.staffRoutes() {
		if r.roles == nil {
			continue
		}
		for role, c := range accounts {
			if slices.Contains(r.roles, role) {
				continue
			}
			t.Run(fmt.Sprintf("%s %s is refused to %s accounts", r.method, r.path, role), func(t *testing.T) {
				path := samplePath(e, r.path)
				var resp *http.Response
				var body string
				if r.method == http.MethodGet {
					resp, body = c.get(path)
				} else {
					resp, body = c.post(path, nil)
				}
				// The role check's refusal, not the CSRF check's, which is a 403 too.
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, msgForbidden) {
					t.Fatalf("%s %s: status %d", r.method, path, resp.StatusCode)
				}
			})
		}
	}
}

func TestTheRoutesTableListsEveryRouteOfTheApp(t *testing.T) {
	e := newEnv(t)
	listed := map[string]bool{
		// Registered in routes() before the staff middleware, with who may use them beside them.
		"GET /healthz": true, "GET /p/:token": true, "POST /p/:token": true, "POST /p/:token/draft": true, "GET /:short<len(12)>": true, "GET /api/v1/campaigns/:id/scores": true,
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
