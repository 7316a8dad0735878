package cli

import (
	"strings"
	"testing"
)

func TestCheckSummary(t *testing.T) {
	out, err := runCLI(t, nil, "check", "../../forms/demo")
	if err != nil {
		t.Fatalf("check the two-level demo: %v\n%s", err, out)
	}
	for _, want := range []string{"hợp lệ — binhan-2026\n", "84 đơn vị (Sở, ban, ngành: 20; Xã, phường, đặc khu: 64), 8 nhóm đối tượng, 6 mẫu phiếu (135 câu hỏi)", "Xã, phường, đặc khu: bộ tiêu chí riêng, 6 lĩnh vực", "Quy tắc nhận diện câu hỏi: câu hỏi cùng mã và cùng tiêu chí thành phần là MỘT câu hỏi", "Câu hỏi dùng chung, Sở, ban, ngành"} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Cảnh báo") {
		t.Errorf("the demo draws warnings:\n%s", out)
	}
}
