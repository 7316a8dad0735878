package paper

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/xuri/excelize/v2"
)

// importTable builds a file for group S2 about SNV: the template's header and n complete rows.
func importTable(t *testing.T, def *campaign.Definition, n int) [][]string {
	t.Helper()
	l, err := TemplateLayout(def, "S2")
	if err != nil {
		t.Fatal(err)
	}
	table := [][]string{l.Columns()}
	for i := 1; i <= n; i++ {
		row := []string{formcode.New("S2", "SNV", i), "20/11/2026"}
		for range l.Items() {
			row = append(row, "1")
		}
		table = append(table, row)
	}
	return table
}

func TestParseTable(t *testing.T) {
	def := demo(t)
	t.Run("complete rows are read with their unit, date and a digest", func(t *testing.T) {
		rows, errs := ParseTable(def, importTable(t, def, 3))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if len(rows) != 3 || rows[0].Unit != "SNV" || rows[0].Line != 2 || rows[0].Digest == "" {
			t.Fatalf("rows %+v", rows[0])
		}
		if !rows[0].ReceivedOn.Equal(time.Date(2026, 11, 20, 0, 0, 0, 0, campaign.Zone)) {
			t.Fatalf("date %v", rows[0].ReceivedOn)
		}
	})
	t.Run("every bad cell is reported with its line and column", func(t *testing.T) {
		table := importTable(t, def, 6)
		l, _ := TemplateLayout(def, "S2")
		col := func(name string) int {
			for j, c := range table[0] {
				if c == name {
					return j
				}
			}
			t.Fatalf("no column %s", name)
			return 0
		}
		good := table[2][0]
		table[2][0] = good[:len(good)-1] + "Z"    // line 3: wrong check character
		table[3][col(l.Items()[2].Name)] = "9"    // line 4: no option 9
		table[4][col(ColumnDate)] = "31/02/2026"  // line 5: no such day
		table[5][0] = table[1][0]                 // line 6: code of line 2 again
		table[6][0] = formcode.New("S1", "MT", 1) // line 7: online-only group
		table[0] = append(table[0], "cot_la")     // unknown column
		rows, errs := ParseTable(def, table)
		if len(rows) != 1 {
			t.Fatalf("%d rows read, want only line 2", len(rows))
		}
		want := []string{
			"Dòng 1, cột cot_la: cột không có trong mẫu nhập",
			"Dòng 3, cột ma_phieu: Mã phiếu sai ký tự kiểm tra",
			"Dòng 4, cột " + l.Items()[2].Name + ": “9” không phải lựa chọn",
			"Dòng 5, cột ngay_nhan: ngày nhận “31/02/2026” không đúng dạng",
			"Dòng 6, cột ma_phieu: mã phiếu " + table[1][0] + " trùng với dòng 2",
			"Dòng 7, cột ma_phieu: nhóm S1 chỉ trả lời trực tuyến",
		}
		var got []string
		for _, e := range errs {
			got = append(got, e.String())
		}
		all := strings.Join(got, "\n")
		for _, w := range want {
			if !strings.Contains(all, w) {
				t.Errorf("missing %q in\n%s", w, all)
			}
		}
		if len(errs) != len(want) {
			t.Errorf("%d errors, want %d:\n%s", len(errs), len(want), all)
		}
	})
	t.Run("a file without the code column is refused at its header", func(t *testing.T) {
		_, errs := ParseTable(def, [][]string{{"ngay_nhan"}, {"20/11/2026"}})
		if len(errs) != 1 || errs[0].Line != 1 || errs[0].Column != ColumnCode {
			t.Fatalf("errors %v", errs)
		}
	})
}

func TestReadTable(t *testing.T) {
	def := demo(t)
	l, _ := TemplateLayout(def, "S2")
	t.Run("a CSV written by a spreadsheet with semicolons and a byte order mark is read", func(t *testing.T) {
		var buf bytes.Buffer
		l.WriteTemplateCSV(&buf)
		text := strings.ReplaceAll(buf.String(), ",", ";") + formcode.New("S2", "SNV", 1) + ";20/11/2026" + strings.Repeat(";1", len(l.Items())) + "\n"
		table, err := ReadTable("phieu.csv", strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		rows, errs := ParseTable(def, table)
		if len(errs) > 0 || len(rows) != 1 {
			t.Fatalf("rows %d errors %v", len(rows), errs)
		}
	})
	t.Run("the XLSX template filled in a spreadsheet, with a real date cell, is read back", func(t *testing.T) {
		var buf bytes.Buffer
		if err := l.WriteTemplateXLSX(&buf); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		row := []any{formcode.New("S2", "SNV", 2), time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)}
		for range l.Items() {
			row = append(row, 2)
		}
		if err := f.SetSheetRow(SheetData, "A2", &row); err != nil {
			t.Fatal(err)
		}
		guide, _ := f.GetRows(SheetGuide)
		if len(guide) != len(l.Items())+3 || !strings.Contains(guide[3][2], "0 hoặc để trống = bỏ trống") {
			t.Fatalf("guide sheet: %d rows", len(guide))
		}
		var out bytes.Buffer
		f.Write(&out)
		table, err := ReadTable("phieu.xlsx", &out)
		if err != nil {
			t.Fatal(err)
		}
		rows, errs := ParseTable(def, table)
		if len(errs) > 0 || len(rows) != 1 {
			t.Fatalf("rows %d errors %v", len(rows), errs)
		}
		if rows[0].ReceivedOn.Format("2006-01-02") != "2026-11-21" {
			t.Fatalf("date read as %v", rows[0].ReceivedOn)
		}
	})
	t.Run("a file of another type is refused", func(t *testing.T) {
		if _, err := ReadTable("phieu.pdf", strings.NewReader("x")); err != ErrFileType {
			t.Fatalf("err %v", err)
		}
	})
}

func TestCheckRow(t *testing.T) {
	r := Row{Line: 9, Code: "S2-SNV-0001X", Digest: "d1"}
	for _, c := range []struct {
		name   string
		facts  RowFacts
		stored bool
		msg    string
	}{
		{"a fresh issued code is taken", RowFacts{Found: true}, false, ""},
		{"the same row imported before is recognised, not stored twice", RowFacts{Found: true, Answered: "import", Digest: "d1"}, true, ""},
		{"a code imported before with other content is refused", RowFacts{Found: true, Answered: "import", Digest: "d0"}, false, "nội dung khác"},
		{"a code answered online is refused", RowFacts{Found: true, Answered: "online"}, false, "trực tuyến"},
		{"a code being keyed from paper is refused", RowFacts{Found: true, Keyed: true}, false, "nhập tay"},
		{"an unissued code is refused", RowFacts{}, false, "chưa được phát hành"},
		{"a voided code is refused", RowFacts{Found: true, Voided: true}, false, "hủy"},
	} {
		t.Run(c.name, func(t *testing.T) {
			stored, errs := CheckRow(r, c.facts)
			if stored != c.stored || (c.msg == "") != (len(errs) == 0) || (c.msg != "" && !strings.Contains(errs[0].Msg, c.msg)) || (len(errs) > 0 && errs[0].Line != 9) {
				t.Fatalf("stored %v errors %v", stored, errs)
			}
		})
	}
}
