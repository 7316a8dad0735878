//go:build e2e

package web

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// unitSection is the text of one unit's section of the report: from its heading ("7.N. name —",
// after a form feed when it starts a page) to the next heading of that part.
func unitSection(t *testing.T, report, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\f?7\.\d+\. ` + regexp.QuoteMeta(name) + ` — `).FindStringIndex(report)
	if m == nil {
		t.Fatalf("the report has no section for %s", name)
	}
	rest := report[m[1]:]
	if next := regexp.MustCompile(`(?m)^\f?7\.\d+\. `).FindStringIndex(rest); next != nil {
		rest = rest[:next[0]]
	}
	return rest
}

func TestReportPDFLeavesOutAGroupWithoutAQuotaForAUnit(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatalf("pdftotext is not installed: %v", err)
	}
	e := newEnv(t)
	e.answerSome() // nobody answers S5, which has a quota of 0 for BQLKCN only
	admin := e.client()
	admin.login("admin")
	e.run(admin)
	resp, body := admin.get(fmt.Sprintf("/campaigns/%d/results/export.pdf", e.camp.ID))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	path := filepath.Join(t.TempDir(), "bao-cao.pdf")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	report := norm.NFC.String(string(out))
	t.Run("the unit the group does not evaluate has no note that it lacks forms", func(t *testing.T) {
		if s := unitSection(t, report, e.camp.Def.Unit("BQLKCN").Name); strings.Contains(s, "Nhóm S5") || !strings.Contains(s, "Nhóm S2") {
			t.Errorf("the Ban's notes:\n%s", s[max(0, len(s)-1200):])
		}
	})
	t.Run("a unit the group evaluates still has it", func(t *testing.T) {
		if s := unitSection(t, report, e.camp.Def.Unit("SNV").Name); !strings.Contains(s, "Nhóm S5") {
			t.Errorf("Sở Nội vụ's notes lack S5:\n%s", s[max(0, len(s)-1200):])
		}
	})
	t.Run("the method says such a group does not evaluate the unit", func(t *testing.T) {
		if !strings.Contains(strings.Join(strings.Fields(report), " "), "không đánh giá đơn vị đó") {
			t.Error("the method statement does not say it")
		}
	})
}
