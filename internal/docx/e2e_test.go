//go:build e2e

package docx

// Converts a document with LibreOffice and reads it back with pdftotext (poppler-utils):
// go test -tags e2e ./internal/docx/.

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

func TestLibreOfficeOpensTheDocument(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice (LibreOffice) is not installed: the DOCX is not converted; install libreoffice-writer-nogui")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatalf("pdftotext is not installed: %v", err)
	}
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := sample(t, &buf).Close(); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "thu.docx")
	if err := os.WriteFile(in, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// A profile of its own, so that parallel conversions do not share LibreOffice's lock.
	out, err := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "pdf", "--outdir", dir, in).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	text, err := exec.Command("pdftotext", "-layout", filepath.Join(dir, "thu.pdf"), "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, text)
	}
	s := norm.NFC.String(string(text))
	pages := strings.Split(s, "\f")
	// Words are compared with the line breaks of the page closed up: LibreOffice sets Times
	// New Roman in a substitute where the machine lacks it, which may wrap differently.
	first := strings.Join(strings.Fields(pages[0]), " ")
	for _, want := range []string{"BÁO CÁO PHÂN TÍCH", "Điểm & hạng <chính xác>", "Sở Tư pháp", "Không biết: không tính"} {
		if !strings.Contains(first, want) {
			t.Errorf("page 1 lacks %q", want)
		}
	}
	raw, err := exec.Command("pdftotext", "-f", "1", "-l", "1", filepath.Join(dir, "thu.pdf"), "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, raw)
	}
	if !strings.Contains(strings.Join(strings.Fields(norm.NFC.String(string(raw))), " "), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") {
		t.Errorf("no national heading in\n%s", raw)
	}
	if len(pages) < 2 || !strings.Contains(pages[1], "Phụ lục") || !strings.Contains(strings.Fields(pages[1])[0], "2") {
		t.Errorf("the page break or the page number is lost:\n%s", s)
	}
	if strings.Contains(strings.Fields(pages[0])[0], "1") {
		t.Errorf("the first page carries a number: %q", strings.Fields(pages[0])[0])
	}
}
