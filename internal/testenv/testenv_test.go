package testenv_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/app"
	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/config"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"golang.org/x/crypto/bcrypt"
)

func TestOpenAndDemo(t *testing.T) {
	var db *store.DB
	t.Run("a test gets an empty database of its own that takes the demo campaign", func(t *testing.T) {
		db = testenv.Open(t)
		if list, err := db.Campaigns(context.Background()); err != nil || len(list) != 0 {
			t.Fatalf("campaigns in a new database = %v, %v", list, err)
		}
		if camp := testenv.Demo(t, db); camp.Code != "demo-2026" || camp.Def == nil {
			t.Fatalf("Demo = %+v", camp)
		}
	})
	t.Run("the database is closed and its file gone once the test has ended", func(t *testing.T) {
		var n int
		if err := db.ReadRow(context.Background(), `SELECT count(*) FROM campaigns`, nil, &n); err == nil {
			t.Error("the database still answers")
		}
		if _, err := os.Stat(db.Path()); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("stat %s = %v, want it removed", db.Path(), err)
		}
	})
}

func TestBothExamplesLoadSideBySide(t *testing.T) {
	db := testenv.Open(t)
	three, two := testenv.Demo(t, db), testenv.Demo2026(t, db)
	t.Run("Demo is the three-level example most tests describe", func(t *testing.T) {
		if three.Code != "demo-2026" || len(three.Def.UnitsOfKind("huyen")) != 8 {
			t.Errorf("Demo = %s with %d districts", three.Code, len(three.Def.UnitsOfKind("huyen")))
		}
	})
	t.Run("Demo2026 is the default two-level demo, a campaign of its own", func(t *testing.T) {
		if two.Code != "binhan-2026" || two.ID == three.ID || len(two.Def.UnitsOfKind("xa")) < 60 || len(two.Def.Kind("xa").Areas) == 0 {
			t.Errorf("Demo2026 = %s (id %d), %d communes", two.Code, two.ID, len(two.Def.UnitsOfKind("xa")))
		}
	})
	t.Run("EditedDemo2026 edits the two-level demo through the loader", func(t *testing.T) {
		def := testenv.EditedDemo2026(t, testenv.Edit{File: "campaign.yaml", Old: "quota: 30", New: "quota: 40"})
		if g := def.Group("S1"); g == nil || g.Quota != 40 {
			t.Errorf("S1 after the edit: %+v", g)
		}
	})
}

func TestConfig(t *testing.T) {
	cfg := testenv.Config(t, "/tmp/x/parsurvey.db")
	want := config.Config{Addr: "127.0.0.1:0", DB: "/tmp/x/parsurvey.db", BaseURL: "http://khaosat.test",
		ProxyHeader: "X-Forwarded-For", TrustedProxies: "0.0.0.0/32"}
	if cfg != want {
		t.Errorf("Config = %+v, want %+v", cfg, want)
	}
}

func TestAccounts(t *testing.T) {
	db := testenv.Open(t)
	users := testenv.AddStaff(t, db)
	for _, s := range testenv.Staff {
		t.Run(s.Username+" is stored with its role and the shared password", func(t *testing.T) {
			u, err := db.UserByName(context.Background(), s.Username)
			if err != nil {
				t.Fatal(err)
			}
			if u.ID != users[s.Username].ID || u.Role != s.Role || u.FullName != "Cán bộ "+s.Username {
				t.Errorf("stored %+v, want %s as %s", u, s.Username, s.Role)
			}
			if err := auth.CheckPassword(u.PasswordHash, testenv.Password); err != nil {
				t.Errorf("password does not match: %v", err)
			}
		})
	}
	t.Run("passwords are hashed at bcrypt's lowest cost, so signing in is cheap", func(t *testing.T) {
		if c, err := bcrypt.Cost([]byte(users["admin"].PasswordHash)); err != nil || c != bcrypt.MinCost {
			t.Errorf("cost = %d, %v; want %d", c, err, bcrypt.MinCost)
		}
		h, err := auth.HashPassword("mot-mat-khau-khac")
		if c, _ := bcrypt.Cost([]byte(h)); err != nil || c != bcrypt.MinCost {
			t.Errorf("auth.HashPassword cost = %d, %v; want %d for the whole test binary", c, err, bcrypt.MinCost)
		}
	})
}

// serve runs the real app, with a supervisor giamsat, on a loopback listener until the test
// ends, and returns its address.
func serve(t *testing.T) string {
	t.Helper()
	cfg := testenv.Config(t, filepath.Join(t.TempDir(), "parsurvey.db"))
	a, err := app.New(context.Background(), cfg, io.Discard, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Error(err)
		}
	})
	testenv.AddUser(t, a.DB, "giamsat", store.RoleSupervisor)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Serve did not return within 5 s")
		}
	})
	return "http://" + ln.Addr().String()
}

func TestSigningInOverRealHTTP(t *testing.T) {
	base := serve(t)
	t.Run("a signed-in client reaches a staff page", func(t *testing.T) {
		c := testenv.SignIn(t, base, "giamsat", testenv.Password)
		resp, body := testenv.Get(t, c, base+"/")
		if resp.StatusCode != http.StatusOK || testenv.CSRFToken(body) == "" {
			t.Errorf("GET / = %d, want 200 with a form token:\n%s", resp.StatusCode, body)
		}
	})
	t.Run("a client that has not signed in is sent to the login page", func(t *testing.T) {
		resp, _ := testenv.Get(t, testenv.Browser(t), base+"/")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("GET / = %d to %q, want 303 to /login", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("Login hands back a refusal for the test to check", func(t *testing.T) {
		if resp := testenv.Login(t, testenv.Browser(t), base, "giamsat", "sai-mat-khau-roi"); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("login with a wrong password = %d, want 401", resp.StatusCode)
		}
	})
}

func TestCSRFToken(t *testing.T) {
	tests := []struct{ name, page, want string }{
		{"the token of the first form is found", `<form><input type="hidden" name="_csrf" value="abc-1"></form><input name="_csrf" value="def">`, "abc-1"},
		{"a page without a form has none", `<p>Xin chào</p>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testenv.CSRFToken(tt.page); got != tt.want {
				t.Errorf("CSRFToken = %q, want %q", got, tt.want)
			}
		})
	}
}
