package cli

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/store"
)

// rows counts the campaigns and the accounts in the database at path.
func rows(t *testing.T, path string) (campaigns, users int) {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := db.ReadRow(ctx, `SELECT count(*) FROM campaigns`, nil, &campaigns); err != nil {
		t.Fatal(err)
	}
	if err := db.ReadRow(ctx, `SELECT count(*) FROM users`, nil, &users); err != nil {
		t.Fatal(err)
	}
	return campaigns, users
}

// printsPassword reports whether a command's output hands out a password.
func printsPassword(out string) bool {
	return strings.Contains(out, "mật khẩu:") || strings.Contains(out, "Mật khẩu:")
}

func TestToolsOnAnEmptyDatabaseCreateNothing(t *testing.T) {
	tests := []struct {
		name string
		args []string // $DIR stands for the test's temp folder
		// wantErr is part of the error the command must end with; "" means it succeeds.
		wantErr string
	}{
		{"user list lists nobody and creates no administrator", []string{"user", "list"}, ""},
		{"issue says there is no campaign and how to load one",
			[]string{"issue", "demo-2026", "--group", "S2", "--unit", "SNV"}, "chưa có đợt khảo sát"},
		{"forms says there is no campaign and writes no list",
			[]string{"forms", "demo-2026", "--out", "$DIR/list.csv"}, "chưa có đợt khảo sát"},
		{"print says there is no campaign and writes no PDF",
			[]string{"print", "demo-2026", "--group", "S2", "--unit", "SNV", "--out", "$DIR/s2.pdf"}, "chưa có đợt khảo sát"},
		{"score says there is no campaign", []string{"score", "demo-2026", "--out", "$DIR/diem.csv"}, "chưa có đợt khảo sát"},
		{"void says there is no campaign", []string{"void", "S2-SNV-0001", "--reason", "mất phiếu"}, "chưa có đợt khảo sát"},
		{"simulate says there is no campaign and builds none of its own",
			[]string{"simulate", "demo-2026", "--responses", "5"}, "chưa có đợt khảo sát"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "empty.db")
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "$DIR", dir)
			}
			out, err := runCLI(t, map[string]string{"PARSURVEY_DB": path}, args...)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("error %v\n%s", err, out)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one containing %q\n%s", err, tt.wantErr, out)
			case tt.wantErr != "" && !strings.Contains(err.Error(), "parsurvey load"):
				t.Errorf("error %q does not say to run parsurvey load", err)
			}
			if printsPassword(out) || strings.Contains(out, "tên đăng nhập") {
				t.Errorf("output hands out an administrator:\n%s", out)
			}
			if strings.Contains(out, "Đã nạp") {
				t.Errorf("output reports a load:\n%s", out)
			}
			if c, u := rows(t, path); c != 0 || u != 0 {
				t.Errorf("database holds %d campaigns and %d accounts, want none", c, u)
			}
			for _, f := range []string{"list.csv", "s2.pdf", "diem.csv"} {
				if _, err := os.Stat(filepath.Join(dir, f)); !os.IsNotExist(err) {
					t.Errorf("%s written", f)
				}
			}
		})
	}
}

func TestLoadLoadsOnlyTheGivenFolder(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PARSURVEY_DB": filepath.Join(dir, "cli.db")}
	src := copyDir(t, "../../forms/demo-3cap")
	path := filepath.Join(src, "campaign.yaml")
	b, _ := os.ReadFile(path)
	if !bytes.Contains(b, []byte("code: demo-2026")) {
		t.Fatal("demo changed: no code: demo-2026")
	}
	os.WriteFile(path, bytes.Replace(b, []byte("code: demo-2026"), []byte("code: binhan-2026"), 1), 0o644)
	out, err := runCLI(t, env, "load", src)
	if err != nil {
		t.Fatalf("load: %v\n%s", err, out)
	}
	t.Run("the folder's campaign is loaded and said so, and nothing else", func(t *testing.T) {
		if !strings.Contains(out, "Đã nạp đợt khảo sát binhan-2026") || strings.Contains(out, "demo-2026") {
			t.Errorf("output:\n%s", out)
		}
		if c, _ := rows(t, env["PARSURVEY_DB"]); c != 1 {
			t.Errorf("%d campaigns, want binhan-2026 alone", c)
		}
	})
	t.Run("no administrator is created", func(t *testing.T) {
		if _, u := rows(t, env["PARSURVEY_DB"]); u != 0 || printsPassword(out) {
			t.Errorf("%d accounts after load; output:\n%s", u, out)
		}
	})
	t.Run("a tool asked for another campaign names the ones there are", func(t *testing.T) {
		_, err := runCLI(t, env, "issue", "demo-2026")
		if err == nil || !strings.Contains(err.Error(), `không tìm thấy đợt khảo sát "demo-2026"`) || !strings.Contains(err.Error(), "binhan-2026") {
			t.Errorf("issue demo-2026 = %v", err)
		}
	})
	t.Run("void of an unknown form says the form is not found", func(t *testing.T) {
		_, err := runCLI(t, env, "void", "S2-SNV-9999", "--reason", "mất phiếu")
		if err == nil || !strings.Contains(err.Error(), "không tìm thấy phiếu S2-SNV-9999") {
			t.Errorf("void = %v", err)
		}
	})
}

func TestToolsTakeOnlyTheFlagsThatMeanSomethingToThem(t *testing.T) {
	env := map[string]string{"PARSURVEY_DB": filepath.Join(t.TempDir(), "cli.db")}
	for _, args := range [][]string{
		{"user", "list", "--forms", "../../forms/demo-3cap"},
		{"issue", "demo-2026", "--no-demo"},
		{"score", "demo-2026", "--addr", ":9000"},
	} {
		if _, err := runCLI(t, env, args...); err == nil || !strings.Contains(err.Error(), "flag provided but not defined") {
			t.Errorf("%v = %v, want the service flag refused", args, err)
		}
	}
	if c, u := rows(t, env["PARSURVEY_DB"]); c != 0 || u != 0 {
		t.Errorf("database holds %d campaigns and %d accounts, want none", c, u)
	}
}

// lockedBuffer is a buffer that a running command writes to while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serveOnce runs the serve command on a free port until it says it listens, then stops it and
// returns what it printed.
func serveOnce(t *testing.T, env map[string]string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out lockedBuffer
	errc := make(chan error, 1)
	go func() {
		errc <- Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, Env{Stdout: &out, Stderr: &out,
			Getenv: func(k string) string { return env[k] }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	}()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "parsurvey đang chạy tại"); {
		select {
		case err := <-errc:
			t.Fatalf("serve returned before listening: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not listen within 10 s:\n%s", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("serve: %v\n%s", err, out.String())
	}
	return out.String()
}

func TestServeLoadsTheDemoAndCreatesTheAdministratorOnce(t *testing.T) {
	env := map[string]string{"PARSURVEY_DB": filepath.Join(t.TempDir(), "cli.db")}
	if out, err := runCLI(t, env, "user", "list"); err != nil || printsPassword(out) {
		t.Fatalf("user list before serve: %v\n%s", err, out)
	}
	first := serveOnce(t, env)
	t.Run("the first serve loads the demo and prints the administrator's password", func(t *testing.T) {
		if !strings.Contains(first, "Đã nạp đợt khảo sát binhan-2026") || !strings.Contains(first, "tên đăng nhập: admin, mật khẩu:") {
			t.Errorf("output:\n%s", first)
		}
		if c, u := rows(t, env["PARSURVEY_DB"]); c != 1 || u != 1 {
			t.Errorf("%d campaigns and %d accounts, want the demo and the administrator", c, u)
		}
	})
	t.Run("a second serve loads nothing and prints no password", func(t *testing.T) {
		second := serveOnce(t, env)
		if printsPassword(second) || strings.Contains(second, "Đã nạp") {
			t.Errorf("output:\n%s", second)
		}
		if c, u := rows(t, env["PARSURVEY_DB"]); c != 1 || u != 1 {
			t.Errorf("%d campaigns and %d accounts after a second serve", c, u)
		}
	})
	t.Run("user list then shows the administrator serve created", func(t *testing.T) {
		out, err := runCLI(t, env, "user", "list")
		if err != nil || !strings.Contains(out, "admin") || printsPassword(out) {
			t.Errorf("user list: %v\n%s", err, out)
		}
	})
}

func TestServeAfterLoadCreatesTheAdministratorButNoDemo(t *testing.T) {
	env := map[string]string{"PARSURVEY_DB": filepath.Join(t.TempDir(), "cli.db")}
	src := copyDir(t, "../../forms/demo-3cap")
	path := filepath.Join(src, "campaign.yaml")
	b, _ := os.ReadFile(path)
	os.WriteFile(path, bytes.Replace(b, []byte("code: demo-2026"), []byte("code: binhan-2026"), 1), 0o644)
	if out, err := runCLI(t, env, "load", src); err != nil {
		t.Fatalf("load: %v\n%s", err, out)
	}
	out := serveOnce(t, env)
	if strings.Contains(out, "Đã nạp") || !strings.Contains(out, "tên đăng nhập: admin") {
		t.Errorf("serve after load:\n%s", out)
	}
	if c, u := rows(t, env["PARSURVEY_DB"]); c != 1 || u != 1 {
		t.Errorf("%d campaigns and %d accounts, want binhan-2026 and the administrator", c, u)
	}
}

func TestSimulateFillsALoadedCampaignWithoutAnAdministrator(t *testing.T) {
	env := map[string]string{"PARSURVEY_DB": filepath.Join(t.TempDir(), "cli.db")}
	loadDemo(t, env)
	out, err := runCLI(t, env, "simulate", "demo-2026", "--responses", "30", "--clients", "4")
	if err != nil || !strings.Contains(out, "lỗi 0") {
		t.Fatalf("simulate: %v\n%s", err, out)
	}
	if printsPassword(out) {
		t.Errorf("simulate printed a password:\n%s", out)
	}
	// The simulator's staff are made in the rehearsal copy (simulate_test.go), never in the
	// live database.
	rehearsal := map[string]string{"PARSURVEY_DB": filepath.Join(filepath.Dir(env["PARSURVEY_DB"]), "cli.dien-tap-demo-2026.db")}
	users, _ := runCLI(t, rehearsal, "user", "list")
	if strings.Contains(users, "admin ") || !strings.Contains(users, "mophong-") {
		t.Errorf("accounts of the rehearsal, want the simulator's staff and no administrator:\n%s", users)
	}
	if _, u := rows(t, env["PARSURVEY_DB"]); u != 0 {
		t.Errorf("%d accounts in the live database after simulate, want none", u)
	}
}
