package workbook

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/xuri/excelize/v2"
)

// small is the workbook tests' own small definition: two unit kinds, a single and a matrix
// form, an imported group.
func small(t *testing.T) *campaign.Definition {
	t.Helper()
	def, err := campaign.Load(os.DirFS("testdata"), "small")
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// edited writes the small definition as a workbook, lets edit change it as a person would in Excel, and
// reads it back.
func edited(t *testing.T, edit func(f *excelize.File)) (*campaign.Definition, error) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, small(t)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	edit(f)
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	return Read(out.Bytes())
}

func set(t *testing.T, f *excelize.File, sheet, cell string, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatal(err)
	}
}

// rowOf finds the row whose column col holds value.
func rowOf(t *testing.T, f *excelize.File, sheet string, col int, value string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if col <= len(r) && r[col-1] == value {
			return i + 1
		}
	}
	t.Fatalf("no row of %s has %q in column %d", sheet, value, col)
	return 0
}

func problems(t *testing.T, err error) []string {
	t.Helper()
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want workbook problems, got %v", err)
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

func TestReadLocatesEachProblemAtItsCell(t *testing.T) {
	cases := []struct {
		name string
		edit func(t *testing.T, f *excelize.File) string // returns the cell prefix the problem must carry
		msg  string
	}{
		{"a unit of an undeclared kind is reported at its kind cell", func(t *testing.T, f *excelize.File) string {
			n := rowOf(t, f, SheetUnits, 1, "H01")
			set(t, f, SheetUnits, "B"+itoa(n), "quan")
			return "Trang 'Đơn vị', dòng " + itoa(n) + ", cột B: "
		}, `loại đơn vị "quan" chưa khai báo`},
		{"a quota written in words is reported as not a number", func(t *testing.T, f *excelize.File) string {
			set(t, f, SheetGroups, "E3", "mười lăm")
			return "Trang 'Nhóm đối tượng', dòng 3, cột E: "
		}, `cần một số nguyên, đang là "mười lăm"`},
		{"a question feeding an unknown sub-criterion is reported at its feeds cell", func(t *testing.T, f *excelize.File) string {
			set(t, f, SheetQuestions, "H2", "9.9.9")
			return "Trang 'Câu hỏi', dòng 2, cột H: "
		}, `tiêu chí thành phần "9.9.9" không tồn tại`},
		{"sub-criteria that do not add up are reported at the criterion's points", func(t *testing.T, f *excelize.File) string {
			n := rowOf(t, f, SheetCriteria, 3, "1.1.1")
			set(t, f, SheetCriteria, "E"+itoa(n), 0.75)
			return "Trang 'Tiêu chí', dòng " + itoa(n-1) + ", cột E: "
		}, "nhưng các tiêu chí thành phần cộng lại"},
		{"a closing date before the opening is reported at the date", func(t *testing.T, f *excelize.File) string {
			n := rowOf(t, f, SheetCampaign, settingKeyCol, "closes")
			set(t, f, SheetCampaign, "B"+itoa(n), "01/10/2026")
			return "Trang 'Đợt khảo sát', dòng " + itoa(n) + ", cột B: "
		}, "ngày kết thúc trước ngày mở"},
		{"a date in another spelling is named with the expected one", func(t *testing.T, f *excelize.File) string {
			n := rowOf(t, f, SheetCampaign, settingKeyCol, "opens")
			set(t, f, SheetCampaign, "B"+itoa(n), "mùng 1 tháng 11")
			return "Trang 'Đợt khảo sát', dòng " + itoa(n) + ", cột B: "
		}, "phải có dạng dd/mm/yyyy"},
		{"a missing sheet is named", func(t *testing.T, f *excelize.File) string {
			if err := f.DeleteSheet(SheetScales); err != nil {
				t.Fatal(err)
			}
			return "Trang 'Thang đo': "
		}, `thiếu trang "Thang đo"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var prefix string
			_, err := edited(t, func(f *excelize.File) { prefix = c.edit(t, f) })
			ps := problems(t, err)
			for _, p := range ps {
				if strings.HasPrefix(p, prefix) && strings.Contains(p, c.msg) {
					return
				}
			}
			t.Fatalf("want a problem %q…%q, got:\n%s", prefix, c.msg, strings.Join(ps, "\n"))
		})
	}
}

func TestReadTakesWhatPeopleTypeInExcel(t *testing.T) {
	def, err := edited(t, func(f *excelize.File) {
		// The opening day retyped as an Excel date, a field option with a comma, a quota of
		// a unit on its own line, and columns moved around.
		n := rowOf(t, f, SheetCampaign, settingKeyCol, "opens")
		set(t, f, SheetCampaign, "B"+itoa(n), 46327) // 1 November 2026
		set(t, f, SheetFields, "D2", "Nam\nNữ, khác")
		if err := f.InsertCols(SheetUnits, "A", 1); err != nil {
			t.Fatal(err)
		}
		set(t, f, SheetUnits, "A1", "Ghi chú của Viện")
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := def.Opens.Format("02/01/2006"); got != "01/11/2026" {
		t.Errorf("opens = %s", got)
	}
	if got := def.Questionnaires[0].Fields[0].Options; len(got) != 2 || got[1] != "Nữ, khác" {
		t.Errorf("options = %q", got)
	}
	if want := small(t).Units; len(def.Units) != len(want) || def.Units[2] != want[2] {
		t.Errorf("units moved by a column differ: %v", def.Units)
	}
}

func TestReadRefusesWhatIsNotAWorkbook(t *testing.T) {
	_, err := Read([]byte("code: demo\n"))
	if ps := problems(t, err); len(ps) != 1 || !strings.Contains(ps[0], "không phải là sổ tính Excel") {
		t.Fatalf("got %q", ps)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestReadLocatesWarningsAtTheirCells(t *testing.T) {
	var n int
	def, err := edited(t, func(f *excelize.File) {
		n = rowOf(t, f, SheetCampaign, settingKeyCol, "year")
		set(t, f, SheetCampaign, "B"+itoa(n), 2025)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "Trang 'Đợt khảo sát', dòng " + itoa(n) + ", cột B: năm 2025 không khớp với thời gian khảo sát"
	for _, w := range def.Warnings {
		if strings.HasPrefix(w.String(), want) {
			return
		}
	}
	t.Fatalf("want a warning %q, got %v", want, def.Warnings)
}
