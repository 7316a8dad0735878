package app

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/config"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// testConfig is the test configuration with its database in a fresh temp folder.
func testConfig(t *testing.T) config.Config {
	t.Helper()
	return testenv.Config(t, filepath.Join(t.TempDir(), "parsurvey.db"))
}

// open builds the app and closes it when the test ends; out gets the operator messages.
func open(t *testing.T, cfg config.Config) (*App, *bytes.Buffer) {
	a, out, _ := openClosable(t, cfg)
	return a, out
}

// openClosable is open for tests that close the app themselves before it ends: App.Close
// may be called only once, so the returned close does nothing the second time.
func openClosable(t *testing.T, cfg config.Config) (*App, *bytes.Buffer, func() error) {
	t.Helper()
	var out bytes.Buffer
	a, err := New(context.Background(), cfg, &out, slog.New(slog.NewTextHandler(t.Output(), nil)))
	if err != nil {
		t.Fatal(err)
	}
	closeOnce := sync.OnceValue(a.Close)
	t.Cleanup(func() { closeOnce() })
	return a, &out, closeOnce
}

var printedPassword = regexp.MustCompile(`tên đăng nhập: admin, mật khẩu: (\S+)\n`)

// adminPassword returns the password New printed, or "" when it printed none.
func adminPassword(out string) string {
	if m := printedPassword.FindStringSubmatch(out); m != nil {
		return m[1]
	}
	return ""
}

func campaignCodes(t *testing.T, db *store.DB) []string {
	t.Helper()
	list, err := db.Campaigns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range list {
		codes = append(codes, c.Code)
	}
	return codes
}

// copyDemo writes the built-in three-level example (code demo-2026) into dir.
func copyDemo(t *testing.T, dir string) {
	t.Helper()
	demo, err := fs.Sub(forms.FS, forms.Demo3Cap)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(dir, demo); err != nil {
		t.Fatal(err)
	}
}

// editFile replaces old with new in a file, failing if old is absent.
func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s lacks %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestNewOnAnEmptyDatabase(t *testing.T) {
	cfg := testConfig(t)
	first, out, closeFirst := openClosable(t, cfg)
	text := out.String()
	t.Run("loads the two-level demo campaign and says so", func(t *testing.T) {
		if got := campaignCodes(t, first.DB); len(got) != 1 || got[0] != "binhan-2026" {
			t.Errorf("campaigns = %v, want [binhan-2026]", got)
		}
		if !strings.Contains(text, "Đã nạp đợt khảo sát binhan-2026") {
			t.Errorf("output lacks the load message:\n%s", text)
		}
		camp, err := first.DB.CampaignByCode(context.Background(), "binhan-2026")
		if err != nil {
			t.Fatal(err)
		}
		def := camp.Def
		if len(def.UnitsOfKind("so")) != 20 || len(def.UnitsOfKind("xa")) < 60 || len(def.UnitsOfKind("huyen")) != 0 {
			t.Errorf("the demo scores %d agencies, %d communes and %d districts; want 20, 60 or more and none",
				len(def.UnitsOfKind("so")), len(def.UnitsOfKind("xa")), len(def.UnitsOfKind("huyen")))
		}
	})
	t.Run("creates one administrator and prints a generated password", func(t *testing.T) {
		n, err := first.DB.CountUsers(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("users = %d, %v", n, err)
		}
		if pw := adminPassword(text); len(pw) != 16 {
			t.Errorf("printed password %q is not the 16 generated characters:\n%s", pw, text)
		}
	})
	if err := closeFirst(); err != nil {
		t.Fatal(err)
	}

	second, out2 := open(t, cfg)
	t.Run("a second start on the same database prints no password", func(t *testing.T) {
		if strings.Contains(out2.String(), "mật khẩu") {
			t.Errorf("second start printed a password:\n%s", out2)
		}
		if n, _ := second.DB.CountUsers(context.Background()); n != 1 {
			t.Errorf("users = %d after a second start, want 1", n)
		}
	})
	t.Run("a second start loads nothing again", func(t *testing.T) {
		if out2.Len() != 0 {
			t.Errorf("second start printed:\n%s", out2)
		}
		if got := campaignCodes(t, second.DB); len(got) != 1 {
			t.Errorf("campaigns = %v after a second start, want the one demo", got)
		}
	})
}

func TestTwoDatabasesGetDifferentPasswords(t *testing.T) {
	_, out1 := open(t, testConfig(t))
	_, out2 := open(t, testConfig(t))
	p1, p2 := adminPassword(out1.String()), adminPassword(out2.String())
	if p1 == "" || p1 == p2 {
		t.Errorf("passwords %q and %q: want two different generated ones", p1, p2)
	}
}

func TestNewWithNoDemoLeavesTheDatabaseEmpty(t *testing.T) {
	cfg := testConfig(t)
	cfg.NoDemo = true
	a, out := open(t, cfg)
	if got := campaignCodes(t, a.DB); len(got) != 0 {
		t.Errorf("campaigns = %v, want none", got)
	}
	if strings.Contains(out.String(), "Đã nạp") {
		t.Errorf("output mentions a load:\n%s", out)
	}
	if adminPassword(out.String()) == "" {
		t.Errorf("no administrator password printed: an empty database still needs one\n%s", out)
	}
}

func TestNewLoadsFormsDir(t *testing.T) {
	t.Run("a folder holding one campaign loads that campaign and not the demo twice", func(t *testing.T) {
		dir := t.TempDir()
		copyDemo(t, dir)
		editFile(t, filepath.Join(dir, "campaign.yaml"), "code: demo-2026", "code: binhan-2026")
		cfg := testConfig(t)
		cfg.FormsDir = dir
		a, out := open(t, cfg)
		if got := campaignCodes(t, a.DB); len(got) != 1 || got[0] != "binhan-2026" {
			t.Errorf("campaigns = %v, want only binhan-2026", got)
		}
		if !strings.Contains(out.String(), "Đã nạp đợt khảo sát binhan-2026") {
			t.Errorf("output:\n%s", out)
		}
	})
	t.Run("a folder of campaign folders loads every one of them", func(t *testing.T) {
		dir := t.TempDir()
		for _, code := range []string{"tinh-a", "tinh-b"} {
			sub := filepath.Join(dir, code)
			copyDemo(t, sub)
			editFile(t, filepath.Join(sub, "campaign.yaml"), "code: demo-2026", "code: "+code)
		}
		if err := os.Mkdir(filepath.Join(dir, "not-a-campaign"), 0o755); err != nil {
			t.Fatal(err)
		}
		cfg := testConfig(t)
		cfg.FormsDir = dir
		a, _ := open(t, cfg)
		if got := campaignCodes(t, a.DB); len(got) != 2 {
			t.Errorf("campaigns = %v, want tinh-a and tinh-b", got)
		}
	})
	t.Run("loading a changed folder again updates the campaign to a new version", func(t *testing.T) {
		dir := t.TempDir()
		copyDemo(t, dir)
		cfg := testConfig(t)
		cfg.FormsDir = dir
		_, _, closeFirst := openClosable(t, cfg)
		closeFirst()

		_, out, closeAgain := openClosable(t, cfg)
		if strings.Contains(out.String(), "Đã") {
			t.Errorf("an unchanged folder printed:\n%s", out)
		}
		closeAgain()

		editFile(t, filepath.Join(dir, "campaign.yaml"), "per_form: 10000", "per_form: 12000")
		_, out = open(t, cfg)
		if !strings.Contains(out.String(), "Đã cập nhật đợt khảo sát demo-2026 lên phiên bản 2") {
			t.Errorf("output after a change:\n%s", out)
		}
	})
	t.Run("a folder without any campaign is refused", func(t *testing.T) {
		cfg := testConfig(t)
		cfg.FormsDir = t.TempDir()
		_, err := New(context.Background(), cfg, io.Discard, slog.New(slog.DiscardHandler))
		if err == nil || !strings.Contains(err.Error(), "không có campaign.yaml") {
			t.Fatalf("New = %v, want the missing campaign.yaml named", err)
		}
	})
	t.Run("a definition with problems is refused with its folder named", func(t *testing.T) {
		dir := t.TempDir()
		copyDemo(t, dir)
		editFile(t, filepath.Join(dir, "campaign.yaml"), "survey_points: 32", "survey_points: 31")
		cfg := testConfig(t)
		cfg.FormsDir = dir
		_, err := New(context.Background(), cfg, io.Discard, slog.New(slog.DiscardHandler))
		if err == nil || !strings.Contains(err.Error(), "có lỗi") {
			t.Fatalf("New = %v, want the definition's problems", err)
		}
	})
}

// serve runs the app on a real listener and returns its base URL and stop, which cancels
// Serve's context and returns what Serve returned (or fails after 5 s); stop also runs when the
// test ends.
func serve(t *testing.T, a *App) (string, func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- a.Serve(ctx, ln) }()
	stop := sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-errc:
			return err
		case <-time.After(5 * time.Second):
			t.Error("Serve did not return within 5 s of its context being cancelled")
			return context.DeadlineExceeded
		}
	})
	t.Cleanup(func() { stop() })
	return "http://" + ln.Addr().String(), stop
}

func TestServe(t *testing.T) {
	a, out := open(t, testConfig(t))
	base, stop := serve(t, a)
	client := &http.Client{Timeout: 5 * time.Second}

	t.Run("GET /healthz answers 200 ok over real HTTP", func(t *testing.T) {
		resp, err := client.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(body) != "ok" {
			t.Errorf("healthz = %d %q", resp.StatusCode, body)
		}
	})
	t.Run("Serve returns nil once its context is cancelled", func(t *testing.T) {
		if err := stop(); err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
	})
	t.Run("the server no longer answers after Serve returned", func(t *testing.T) {
		if resp, err := client.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			t.Errorf("healthz still answered %d", resp.StatusCode)
		}
	})
	t.Run("Serve told the operator where it listens", func(t *testing.T) {
		if !strings.Contains(out.String(), "parsurvey đang chạy tại "+base) {
			t.Errorf("output:\n%s", out)
		}
	})
}

func TestPrintedAdminPasswordLogsIn(t *testing.T) {
	a, out := open(t, testConfig(t))
	pw := adminPassword(out.String())
	if pw == "" {
		t.Fatalf("no password printed:\n%s", out)
	}
	base, _ := serve(t, a)

	t.Run("a stranger is sent to the login page", func(t *testing.T) {
		resp, _ := testenv.Get(t, testenv.Browser(t), base+"/")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("GET / = %d to %q, want 303 to /login", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("a wrong password is refused, so there is no fixed password to guess", func(t *testing.T) {
		for _, guess := range []string{"admin", "password", "parsurvey", strings.ToLower(pw)} {
			if guess == pw {
				continue
			}
			if resp := testenv.Login(t, testenv.Browser(t), base, "admin", guess); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("login with %q = %d, want 401", guess, resp.StatusCode)
			}
		}
	})
	t.Run("the printed password signs the administrator in", func(t *testing.T) {
		c := testenv.Browser(t)
		resp := testenv.Login(t, c, base, "admin", pw)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
			t.Fatalf("login = %d to %q, want 303 to /", resp.StatusCode, resp.Header.Get("Location"))
		}
		home, body := testenv.Get(t, c, base+"/")
		if home.StatusCode != http.StatusOK {
			t.Fatalf("GET / after login = %d", home.StatusCode)
		}
		if !strings.Contains(body, "demo-2026") && !strings.Contains(body, "Bình An") {
			t.Errorf("home page does not list the demo campaign:\n%s", body)
		}
	})
}

func TestNewOpensADatabaseWhosePathHoldsURLCharacters(t *testing.T) {
	for _, folder := range []string{"khảo sát 100%", "a?b", "số #2", "x%41y"} {
		t.Run("a folder named "+strings.NewReplacer("%", " percent ", "?", " question mark ", "#", " hash ").Replace(folder)+" holds the database", func(t *testing.T) {
			cfg := testConfig(t)
			cfg.DB = filepath.Join(filepath.Dir(cfg.DB), folder, "parsurvey.db")
			a, err := New(context.Background(), cfg, io.Discard, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatalf("New = %v", err)
			}
			defer a.Close()
			if _, err := os.Stat(cfg.DB); err != nil {
				t.Errorf("database not at %s: %v", cfg.DB, err)
			}
		})
	}
}
