package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The workbook tests use the workbook package's own small definition, which stays put while
// the demo changes.
const smallDir = "../workbook/testdata/small"

func TestWorkbookCommands(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "plan.xlsx")
	env := map[string]string{"PARSURVEY_DB": filepath.Join(dir, "db.sqlite")}

	t.Run("a folder is written out as a workbook that checks", func(t *testing.T) {
		out, err := runCLI(t, nil, "export-workbook", smallDir, book)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		out, err = runCLI(t, nil, "check", book)
		if err != nil || !strings.Contains(out, "plan.xlsx: hợp lệ — test-2026\n  3 đơn vị (Sở, ban, ngành: 2; Huyện, thị xã, thành phố: 1), 3 nhóm đối tượng") {
			t.Fatalf("check: %v\n%s", err, out)
		}
	})
	t.Run("a broken workbook fails check with its problems located by sheet, row and column", func(t *testing.T) {
		f, err := excelize.OpenFile(book)
		if err != nil {
			t.Fatal(err)
		}
		f.SetCellValue("Đơn vị", "B4", "quan")
		broken := filepath.Join(dir, "broken.xlsx")
		if err := f.SaveAs(broken); err != nil {
			t.Fatal(err)
		}
		f.Close()
		out, err := runCLI(t, nil, "check", broken)
		var ee *exitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Fatalf("err = %v, want exit code 1\n%s", err, out)
		}
		if !strings.Contains(out, "broken.xlsx: Trang 'Đơn vị', dòng 4, cột B: loại đơn vị \"quan\" chưa khai báo") {
			t.Fatalf("out:\n%s", out)
		}
		if out, err := runCLI(t, env, "load", broken); err == nil || !strings.Contains(err.Error(), "Trang 'Đơn vị', dòng 4, cột B") {
			t.Fatalf("load of a broken workbook: %v\n%s", err, out)
		}
	})
	t.Run("a workbook loads, and loads again unchanged", func(t *testing.T) {
		out, err := runCLI(t, env, "load", book)
		if err != nil || !strings.Contains(out, "Đã nạp đợt khảo sát test-2026") {
			t.Fatalf("load: %v\n%s", err, out)
		}
		out, err = runCLI(t, env, "load", book)
		if err != nil || !strings.Contains(out, "không thay đổi") {
			t.Fatalf("second load: %v\n%s", err, out)
		}
	})
	t.Run("a loaded campaign is written out as YAML that checks", func(t *testing.T) {
		zip := filepath.Join(dir, "plan.zip")
		if out, err := runCLI(t, env, "export-workbook", "test-2026", zip); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if st, err := os.Stat(zip); err != nil || st.Size() == 0 {
			t.Fatalf("zip: %v", err)
		}
	})
}
