package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/store"
)

// startServe runs the serve command until the test ends and returns its address.
func startServe(t *testing.T, env map[string]string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out lockedBuffer
	errc := make(chan error, 1)
	go func() {
		errc <- Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, Env{Stdout: &out, Stderr: &out,
			Getenv: func(k string) string { return env[k] }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	re := regexp.MustCompile(`parsurvey đang chạy tại http://(\S+)`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("serve did not listen:\n%s", out.String())
	return ""
}

var firstOption = regexp.MustCompile(`name="((?:q|r)_[^"]+)" value="1"`)

// answerAll opens a respondent's link and submits the first option of every item.
func answerAll(client *http.Client, link string, sid string) error {
	resp, err := client.Get(link)
	if err != nil {
		return err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %d", link, resp.StatusCode)
	}
	link = resp.Request.URL.String() // a short link sends the browser on to the form's page
	form := url.Values{"sid": {sid}}
	for _, m := range firstOption.FindAllStringSubmatch(string(page), -1) {
		form.Set(m[1], "1")
	}
	resp, err = client.PostForm(link, form)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("POST %s: %d", link, resp.StatusCode)
	}
	return nil
}

func TestABackupDuringSubmissionsRestoresIntoAFreshService(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	env := map[string]string{"PARSURVEY_DB": live}
	// The demo with its window around today, so that online answers are taken whatever the date.
	demo := copyDir(t, "../../forms/demo-3cap")
	yaml, _ := os.ReadFile(filepath.Join(demo, "campaign.yaml"))
	window := regexp.MustCompile(`(?m)^(opens|closes): .*$`)
	yaml = window.ReplaceAllFunc(yaml, func(line []byte) []byte {
		if strings.HasPrefix(string(line), "opens") {
			return []byte("opens: " + time.Now().AddDate(0, 0, -10).Format("2006-01-02"))
		}
		return []byte("closes: " + time.Now().AddDate(0, 0, 20).Format("2006-01-02"))
	})
	os.WriteFile(filepath.Join(demo, "campaign.yaml"), yaml, 0o644)
	if out, err := runCLI(t, env, "load", demo); err != nil {
		t.Fatalf("load: %v\n%s", err, out)
	}
	addr := startServe(t, env)
	env["PARSURVEY_BASE_URL"] = "http://" + addr
	if out, err := runCLI(t, env, "issue", "demo-2026"); err != nil {
		t.Fatalf("issue: %v\n%s", err, out)
	}
	list := filepath.Join(dir, "list.csv")
	if out, err := runCLI(t, env, "forms", "demo-2026", "--out", list); err != nil {
		t.Fatalf("forms: %v\n%s", err, out)
	}
	f, _ := os.Open(list)
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, _ := r.ReadAll()
	f.Close()
	var links []string
	for _, row := range rows[1:] {
		for _, cell := range row {
			if strings.HasPrefix(cell, "http://"+addr+"/") && row[5] == "Trực tuyến" {
				links = append(links, cell)
				break
			}
		}
	}
	if len(links) < 100 {
		t.Fatalf("only %d online links", len(links))
	}
	links = links[:100]

	var acked, next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			for i := int(next.Add(1)) - 1; i < len(links); i = int(next.Add(1)) - 1 {
				if err := answerAll(client, links[i], fmt.Sprintf("sid-%d", i)); err != nil {
					errs <- err
					return
				}
				acked.Add(1)
			}
		}()
	}
	for deadline := time.Now().Add(30 * time.Second); acked.Load() < 30; time.Sleep(time.Millisecond) {
		select {
		case err := <-errs:
			t.Fatalf("a submission failed: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d submissions in 30 s", acked.Load())
		}
	}
	before := acked.Load()
	backup := filepath.Join(dir, "backup.db")
	if out, err := runCLI(t, env, "backup", backup); err != nil || !strings.Contains(out, "Đã sao lưu") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	t.Run("restoring over the running service's database is refused", func(t *testing.T) {
		out, err := runCLI(t, env, "restore", backup)
		if err == nil || !strings.Contains(err.Error(), "đang chạy") {
			t.Fatalf("restore under the service: %v\n%s", err, out)
		}
	})

	fresh := filepath.Join(dir, "fresh.db")
	freshEnv := map[string]string{"PARSURVEY_DB": fresh}
	if out, err := runCLI(t, freshEnv, "restore", backup); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	startServe(t, freshEnv) // a fresh service opens the restored copy
	db, err := store.Open(fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var responses, halfStored, audits, adminRows int
	ctx := context.Background()
	db.ReadRow(ctx, `SELECT count(*) FROM responses`, nil, &responses)
	db.ReadRow(ctx, `SELECT count(*) FROM responses WHERE id NOT IN (SELECT response_id FROM response_answers)`, nil, &halfStored)
	db.ReadRow(ctx, `SELECT count(*) FROM audit_log`, nil, &audits)
	db.ReadRow(ctx, `SELECT count(*) FROM users WHERE role = 'admin'`, nil, &adminRows)
	if int64(responses) < before || halfStored != 0 || audits == 0 || adminRows != 1 {
		t.Fatalf("restored copy: %d responses (%d acknowledged before the backup), %d half stored, %d audit rows, %d administrators",
			responses, before, halfStored, audits, adminRows)
	}
}
