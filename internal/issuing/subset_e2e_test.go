//go:build e2e

package issuing

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// TestPrintedMatrixFormsForAListAskAboutItsUnitsOnly prints the council delegates' matrix form
// on paper for two lists of agencies and reads each PDF back with pdftotext: a list's
// questionnaires name its agencies and no other; slips of an online list say which units.
func TestPrintedMatrixFormsForAListAskAboutItsUnitsOnly(t *testing.T) {
	t.Parallel()
	need(t, "pdftotext")
	ctx := context.Background()
	db := testenv.Open(t)
	def, err := campaign.Load(forms.FS, forms.Demo3Cap)
	if err != nil {
		t.Fatal(err)
	}
	def.Group("S1").Channels = []campaign.Channel{campaign.ChannelPaper}
	c, _, err := db.SaveDefinition(ctx, def, 0)
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{DB: db, BaseURL: testBaseURL}
	for _, list := range [][]string{{"SNV", "STP"}, {"SXD"}} {
		if _, err := s.IssueUnits(ctx, c, "S1", list, 1, 0); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := s.PrintZIP(ctx, c, Selection{Group: "S1"}, &buf, nil); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 2 {
		t.Fatalf("%d files, want one per list", len(zr.File))
	}
	texts := map[string]string{}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "S1_S1_MT_") {
			t.Errorf("file %s is not named by its first code", f.Name)
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		p := filepath.Join(t.TempDir(), "run.pdf")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		texts[f.Name] = string(out)
	}
	var two, one string
	for _, text := range texts {
		if strings.Contains(text, "Sở Nội vụ") {
			two = text
		} else {
			one = text
		}
	}
	if !strings.Contains(two, "Sở Tư pháp") || strings.Contains(two, "Sở Xây dựng") || strings.Contains(two, "Sở Tài chính") {
		t.Errorf("the list SNV, STP prints other agencies or misses one:\n%s", two)
	}
	if !strings.Contains(one, "Sở Xây dựng") || strings.Contains(one, "Sở Tư pháp") {
		t.Errorf("the list SXD prints other agencies:\n%s", one)
	}
	t.Run("a PDF of lists that differ is refused with the way out", func(t *testing.T) {
		err := s.PrintPDF(ctx, c, Selection{Group: "S1"}, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "in ra tệp ZIP") {
			t.Fatalf("error %v", err)
		}
	})
}
