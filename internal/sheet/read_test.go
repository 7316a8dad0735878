package sheet

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestAnUploadedTableIsReadWhateverItsForm(t *testing.T) {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "Mã đơn vị")
	f.SetCellValue("Sheet1", "B1", "Tỷ lệ")
	f.SetCellValue("Sheet1", "A2", "H01")
	f.SetCellValue("Sheet1", "B2", 0.4)
	f.SetCellStyle("Sheet1", "B2", "B2", 10) // built-in 0.00%: shown "40.00%", stored 0.4
	var xlsx bytes.Buffer
	if err := f.Write(&xlsx); err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Mã đơn vị", "Tỷ lệ"}, {"H01", "0.4"}}
	for _, c := range []struct {
		name, file string
		data       []byte
	}{
		{"an Excel workbook gives its raw values", "tyle.xlsx", xlsx.Bytes()},
		{"a CSV file with commas", "tyle.csv", []byte("Mã đơn vị,Tỷ lệ\nH01,0.4\n")},
		{"a CSV file Excel wrote in a Vietnamese locale, with BOM and semicolons", "TYLE.CSV", []byte("\xef\xbb\xbfMã đơn vị;Tỷ lệ\r\nH01; 0.4\r\n")},
		{"a tab-separated text file", "tyle.txt", []byte("Mã đơn vị\tTỷ lệ\nH01\t0.4\n")},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadTable(c.file, c.data, 100)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("rows %q, want %q", got, want)
			}
		})
	}
}

func TestAnUploadedTableIsReadNoFurtherThanOneRowPastItsCap(t *testing.T) {
	got, err := ReadTable("a.csv", []byte("a\n1\n2\n3\n4\n5\n"), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d rows read, want 3 (the cap and one more)", len(got))
	}
}

func TestAnUnreadableUploadIsRefusedInVietnamese(t *testing.T) {
	for _, c := range []struct{ name, file, data, want string }{
		{"another file type", "a.pdf", "%PDF", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."},
		{"a broken workbook", "a.xlsx", "not a zip", "Không đọc được tệp Excel: tệp hỏng hoặc không phải .xlsx."},
		{"a CSV file with a stray quote", "a.csv", "a,b\n1,\"2\n", "Không đọc được tệp CSV (dòng 2): kiểm tra dấu ngoặc kép và dấu phân cách."},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadTable(c.file, []byte(c.data), 100)
			if err == nil || err.Error() != c.want {
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
}

func TestAHeaderIsFoldedToPlainLowerWords(t *testing.T) {
	if got := FoldHeader("  Mã_Đơn-vị   CŨ "); got != "ma don vi cu" {
		t.Fatalf("%q", got)
	}
}

func TestARowProblemNamesItsRowUnlessItIsTheWholeFiles(t *testing.T) {
	if got := (RowError{Row: 7, Msg: "mã đơn vị trống."}).Error(); got != "Dòng 7: mã đơn vị trống." {
		t.Errorf("%q", got)
	}
	if got := (RowError{Msg: "Tệp không có dữ liệu."}).Error(); got != "Tệp không có dữ liệu." {
		t.Errorf("%q", got)
	}
}
