//go:build e2e

package export

// Reads the PDF report back with pdftotext (poppler-utils): go test -tags e2e ./internal/export/.

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestReportReadsBackInVietnamese(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatalf("pdftotext is not installed: %v", err)
	}
	f := newFixture(t)
	var buf bytes.Buffer
	if err := WriteReportPDF(&buf, f.run); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bao-cao.pdf")
	os.WriteFile(path, buf.Bytes(), 0o600)
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	text := norm.NFC.String(string(out))
	feed := f.feed(t)
	wants := []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO",
		"Kết quả điều tra xã hội học xác định Chỉ số cải cách hành chính", "Phương pháp tính điểm", "Tỷ lệ phản hồi", "Xếp hạng: Xã, phường, thị trấn",
		"Tổng điểm điều tra xã hội học", "Điểm theo lĩnh vực", "Cảnh báo", "thiếu phiếu", "Nơi nhận:", "Trang 1/", "Phụ lục 2. Thông tin kỹ thuật", f.run.InputDigest}
	for _, u := range feed.Units {
		wants = append(wants, u.Name, strings.Replace(u.Total.Value, ".", ",", 1))
	}
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("report lacks %q", w)
		}
	}
	// Digests belong to the technical annex, after the signature; nobody is named as the one
	// who ran the scores.
	if sign, digest := strings.Index(text, "Nơi nhận:"), strings.Index(text, f.run.InputDigest); sign < 0 || digest < sign {
		t.Errorf("the input digest is in the body (at %d, signature at %d)", digest, sign)
	}
	if strings.Contains(text, "người thực hiện") {
		t.Error("the report names who ran the scores")
	}
}
