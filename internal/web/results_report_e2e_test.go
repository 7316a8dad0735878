//go:build e2e

package web

// The analysis report as Word and PDF, from a scored demo campaign through the real app: the
// DOCX is unzipped, converted with LibreOffice (libreoffice-writer-nogui) and read back with
// pdftotext. With REPORT_PAGES set to a folder, its pages are rendered there with pdftoppm.

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/report"
)

// closeUp joins a text's words with single spaces, so that a phrase is found across the line
// breaks of a PDF's columns.
func closeUp(s string) string { return strings.Join(strings.Fields(norm.NFC.String(s)), " ") }

func TestAnalysisReportAsWordOpensInLibreOffice(t *testing.T) {
	t.Parallel()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice (LibreOffice) is not installed: the DOCX report is not converted; install libreoffice-writer-nogui")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatalf("pdftotext is not installed: %v", err)
	}
	e := newEnv(t)
	e.answerSome()
	admin := e.client()
	admin.login("admin")
	e.run(admin)
	base := fmt.Sprintf("/campaigns/%d/results", e.camp.ID)
	var feed export.Feed
	if _, body := admin.get(base + "/export.json"); json.Unmarshal([]byte(body), &feed) != nil || len(feed.Units) == 0 {
		t.Fatalf("no feed: %.200s", body)
	}
	resp, body := admin.get(base + "/export.docx")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), fmt.Sprintf(`bao-cao-%s-lan-1.docx`, e.camp.Code)) {
		t.Fatalf("status %d, %s, %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}

	t.Run("the download is a ZIP of well-formed XML parts with the charts as PNG", func(t *testing.T) {
		z, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		charts := 0
		for _, f := range z.File {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			if strings.HasSuffix(f.Name, ".png") {
				if !bytes.HasPrefix(b, []byte("\x89PNG")) {
					t.Errorf("%s is not a PNG", f.Name)
				}
				charts++
				continue
			}
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				_, err := dec.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("%s is not well-formed: %v", f.Name, err)
				}
			}
		}
		if charts < 3 {
			t.Errorf("%d charts", charts)
		}
	})

	dir := t.TempDir()
	in := filepath.Join(dir, "bao-cao.docx")
	if err := os.WriteFile(in, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// A profile of its own, so that parallel conversions do not share LibreOffice's lock.
	if out, err := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "pdf", "--outdir", dir, in).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdfPath := filepath.Join(dir, "bao-cao.pdf")
	out, err := exec.Command("pdftotext", pdfPath, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	pages := strings.Split(norm.NFC.String(string(out)), "\f")
	text := closeUp(string(out))
	if shots := os.Getenv("REPORT_PAGES"); shots != "" {
		if out, err := exec.Command("pdftoppm", "-r", "70", "-png", pdfPath, filepath.Join(shots, "trang")).CombinedOutput(); err != nil {
			t.Errorf("pdftoppm: %v\n%s", err, out)
		}
	}

	t.Run("the first page carries the national heading, the issuer, the number and the date line", func(t *testing.T) {
		first := closeUp(pages[0])
		date := report.DateLine("Bình An", feed.Run.CreatedAt)
		for _, want := range []string{report.NationalName, report.NationalMotto, "UBND TỈNH BÌNH AN", "VIỆN NGHIÊN CỨU PHÁT TRIỂN",
			"Số: 25/BC-VNCPT", date, "BÁO CÁO", "Kết quả điều tra xã hội học xác định Chỉ số cải cách hành chính"} {
			if !strings.Contains(first, want) {
				t.Errorf("page 1 lacks %q:\n%s", want, first)
			}
		}
	})
	t.Run("the parts of the report are there in order, the digests only in the technical annex", func(t *testing.T) {
		at := 0
		for _, want := range []string{"1. Thông tin chung", "2. Phương pháp tính điểm", "3. Tỷ lệ phản hồi", "4. Xếp hạng", "4.1. Xếp hạng: Sở, ban, ngành",
			"5. Kết quả theo lĩnh vực và tiêu chí", "Cao nhất:", "Thấp nhất:", "6. Khác biệt giữa các nhóm đối tượng", "7. Điểm chi tiết từng đơn vị",
			"8. Ý kiến, kiến nghị của người trả lời", "Nơi nhận:", "VIỆN TRƯỞNG", "Nguyễn Văn An", "Phụ lục 1. Bảng tần suất trả lời", "Phụ lục 2. Thông tin kỹ thuật",
			// A digest is longer than a line: its first characters are enough.
			feed.Run.InputDigest[:20]} {
			i := strings.Index(text[at:], want)
			if i < 0 {
				t.Fatalf("no %q after position %d", want, at)
			}
			at += i
		}
		if strings.Contains(text, "người thực hiện") || strings.Contains(text, ": admin") {
			t.Error("the report names the account that ran the scores")
		}
	})
	t.Run("the ranking shows every unit's name and total, with Vietnamese diacritics intact", func(t *testing.T) {
		rank := text[strings.Index(text, "4.1. Xếp hạng"):strings.Index(text, "5. Kết quả theo lĩnh vực")]
		for _, u := range feed.Units {
			if !strings.Contains(rank, closeUp(u.Name)) || !strings.Contains(rank, strings.Replace(u.Total.Value, ".", ",", 1)) {
				t.Errorf("the ranking lacks %s with %s", u.Name, u.Total.Value)
			}
		}
	})
	t.Run("page numbers start on the second page", func(t *testing.T) {
		if len(pages) < 5 {
			t.Fatalf("%d pages", len(pages))
		}
		if f := strings.Fields(pages[1]); len(f) == 0 || f[0] != "2" {
			t.Errorf("page 2 starts with %q", f[:min(3, len(f))])
		}
	})
	t.Run("the PDF download is the same report", func(t *testing.T) {
		resp, body := admin.get(base + "/export.pdf")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "%PDF-") {
			t.Fatalf("status %d", resp.StatusCode)
		}
		p := filepath.Join(dir, "ban.pdf")
		os.WriteFile(p, []byte(body), 0o600)
		out, err := exec.Command("pdftotext", p, "-").CombinedOutput()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		s := closeUp(string(out))
		for _, want := range []string{report.NationalName, "Số: 25/BC-VNCPT", "3. Tỷ lệ phản hồi", "6. Khác biệt giữa các nhóm đối tượng", "Phụ lục 1. Bảng tần suất trả lời", "Nguyễn Văn An"} {
			if !strings.Contains(s, want) {
				t.Errorf("the PDF lacks %q", want)
			}
		}
	})
}
