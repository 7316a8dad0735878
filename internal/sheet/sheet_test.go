package sheet

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestATableReadsBackAsTextWithItsHeader(t *testing.T) {
	var buf bytes.Buffer
	rows := [][]string{{"0912345678", "=1+1"}, {"S2-SNV-0012-DX", "Nguyễn Thị Hương"}}
	err := Write(&buf, "Danh sách", []string{"Điện thoại", "Ghi chú"}, []float64{14, 30}, func(emit func([]string) error) error {
		for _, r := range rows {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.GetRows("Danh sách")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0][0] != "Điện thoại" || got[1][0] != "0912345678" || got[2][1] != "Nguyễn Thị Hương" {
		t.Fatalf("rows %q", got)
	}
	if formula, _ := f.GetCellFormula("Danh sách", "B2"); formula != "" || got[1][1] != "=1+1" {
		t.Fatalf("a text cell became a formula: %q %q", formula, got[1][1])
	}
}
