package scorerun

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestParseRatios(t *testing.T) {
	def := testDef()
	tests := []struct {
		name   string
		file   string
		data   string
		want   []string // unit/sub=ratio
		errors []string
	}{
		{
			name: "a CSV with a BOM, decimal commas, a percentage and a sub-criterion is read exactly",
			file: "sipas.csv",
			data: "\ufeffMã đơn vị;Tên đơn vị;Tiêu chí thành phần;Tỷ lệ hài lòng\nH1;Huyện Ba Vì;;0,8734\nH2;Huyện Sóc Sơn;S2;87,5%\nH3;Huyện Đông Anh;;1\n",
			want: []string{"H1/=4367/5000", "H2/S2=7/8", "H3/=1"},
		},
		{
			name: "a comma-separated file with dots and English headers is read too",
			file: "ratios.CSV",
			data: "unit,sub,ratio\nH1,,0.5\n\n",
			want: []string{"H1/=1/2"},
		},
		{
			name: "every wrong row is reported with its row number and nothing is kept",
			file: "sipas.csv",
			data: "Mã đơn vị,Tiêu chí,Tỷ lệ\nH9,,0.5\nH1,S1,0.5\nH2,,1.5\nH1,,abc\nH3,,0.4\nH3,,0.6\n,,0.3\nH1,S7,0.2\n",
			errors: []string{
				`Dòng 2: không có đơn vị mã "H9"`,
				"Dòng 3: nhóm GI không được gắn với tiêu chí thành phần S1",
				`Dòng 4: tỷ lệ "1.5" phải nằm trong khoảng 0–1`,
				`Dòng 5: tỷ lệ "abc" không phải là số`,
				"Dòng 7: đơn vị H3 đã có tỷ lệ ở dòng 6",
				"Dòng 8: thiếu mã đơn vị",
				`Dòng 9: không có tiêu chí thành phần "S7"`,
			},
		},
		{
			name:   "a file without the needed columns is refused on its header",
			file:   "sipas.csv",
			data:   "Đơn vị,Điểm\nH1,0.5\n",
			errors: []string{"Dòng 1: dòng tiêu đề phải có cột “Mã đơn vị” và cột “Tỷ lệ”"},
		},
		{
			name:   "another kind of file is refused",
			file:   "sipas.pdf",
			data:   "%PDF",
			errors: []string{"Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, errs := ParseRatios(def, "GI", tc.file, []byte(tc.data))
			var got []string
			for _, r := range rows {
				got = append(got, r.Unit+"/"+r.Sub+"="+r.Ratio)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("rows %v, want %v", got, tc.want)
			}
			if len(errs) != len(tc.errors) {
				t.Fatalf("errors %v, want %v", errs, tc.errors)
			}
			for i, e := range errs {
				if !strings.HasPrefix(e.Error(), tc.errors[i]) {
					t.Errorf("error %d = %q, want it to start with %q", i, e.Error(), tc.errors[i])
				}
			}
		})
	}
	t.Run("only an imported group takes ratios", func(t *testing.T) {
		if _, errs := ParseRatios(def, "G1", "a.csv", []byte("unit,ratio\nH1,1\n")); len(errs) != 1 {
			t.Fatalf("errors %v", errs)
		}
	})
}

func TestRatiosFromAnExcelFileReachTheScores(t *testing.T) {
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	f.SetSheetRow(sheet, "A1", &[]any{"STT", "Mã đơn vị", "Tên đơn vị", "Tỷ lệ hài lòng"})
	f.SetSheetRow(sheet, "A2", &[]any{1, "H1", "Huyện Ba Vì", 0.9})
	f.SetSheetRow(sheet, "A3", &[]any{2, "H2", "Huyện Sóc Sơn", 0.5})
	// A percentage format must not round what is read: 0.8765 shows as 88%.
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 9})
	f.SetSheetRow(sheet, "A4", &[]any{3, "H3", "Huyện Đông Anh", 0.8765})
	f.SetCellStyle(sheet, "D4", "D4", style)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	def := e.camp.Def
	rows, errs := ParseRatios(def, "GI", "SIPAS 2026.xlsx", buf.Bytes())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(rows) != 3 || rows[2].Ratio != "1753/2000" || rows[0].Source != "SIPAS 2026.xlsx, dòng 2" {
		t.Fatalf("rows %+v", rows)
	}
	e.standard()
	if err := e.db.ReplaceRatios(context.Background(), e.camp.ID, e.admin, "GI", "SIPAS 2026.xlsx", rows); err != nil {
		t.Fatal(err)
	}
	run := e.compute()
	equal(t, "H1 total", run.Result.Unit("H1").Total, "83/15")
	if g := run.Result.Unit("H3").Group("GI"); !g.Counted || g.Subs[0].Mean.RatString() != "1753/2000" {
		t.Fatalf("H3's imported group %+v", g)
	}
	t.Run("a second upload replaces the group's ratios", func(t *testing.T) {
		if err := e.db.ReplaceRatios(context.Background(), e.camp.ID, e.admin, "GI", "b.csv", rows[:1]); err != nil {
			t.Fatal(err)
		}
		list, _ := e.db.Ratios(context.Background(), e.camp.ID)
		if len(list) != 1 || list[0].ImportedBy != "admin" {
			t.Fatalf("ratios %+v", list)
		}
	})
}
