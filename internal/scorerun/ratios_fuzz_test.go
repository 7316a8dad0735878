package scorerun

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/xuri/excelize/v2"
)

// FuzzParseRatios feeds the SIPAS ratio reader any file, CSV or XLSX: it must never panic,
// accept only ratios in [0, 1] of units and sub-criteria of the group, and give each refusal a
// message.
func FuzzParseRatios(f *testing.F) {
	def := testDef()
	f.Add(false, []byte("\ufeffMã đơn vị;Tên đơn vị;Tiêu chí thành phần;Tỷ lệ hài lòng\nH1;Huyện Ba Vì;;0,8734\nH2;Huyện Sóc Sơn;S2;87,5%\nH3;Huyện Đông Anh;;1\n"))
	f.Add(false, []byte("unit,sub,ratio\nH1,,0.5\n\n"))
	f.Add(false, []byte("unit,ratio\nH1,1e400\nH2,-0\nH3,0x1p-2\n=cmd|' /C calc'!A0,1\n"))
	f.Add(false, []byte("unit,ratio\nH1,100.0000000000000000000001%\nH1,NaN\n<script>,Infinity\n"))
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"Mã đơn vị", "Tỷ lệ"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"H1", 0.75})
	x.SetSheetRow("Sheet1", "A3", &[]any{"H2", "80%"})
	var xb bytes.Buffer
	if err := x.Write(&xb); err != nil {
		f.Fatal(err)
	}
	f.Add(true, xb.Bytes())
	units := map[string]bool{"H1": true, "H2": true, "H3": true}
	one := big.NewRat(1, 1)
	f.Fuzz(func(t *testing.T, xlsx bool, data []byte) {
		name := "sipas.csv"
		if xlsx {
			name = "sipas.xlsx"
		}
		rows, errs := ParseRatios(def, "GI", name, data)
		for _, e := range errs {
			if e.Msg == "" {
				t.Fatalf("refusal %+v without a message", e)
			}
		}
		if len(errs) > 0 && len(rows) > 0 {
			t.Fatalf("%d ratios returned with %d problems: rows come back only when every row is right", len(rows), len(errs))
		}
		for _, r := range rows {
			v, ok := new(big.Rat).SetString(r.Ratio)
			if !ok || v.Sign() < 0 || v.Cmp(one) > 0 {
				t.Fatalf("ratio %q accepted for %s", r.Ratio, r.Unit)
			}
			if !units[r.Unit] || (r.Sub != "" && r.Sub != "S2") || r.Group != "GI" {
				t.Fatalf("ratio for %s/%s/%s accepted", r.Group, r.Unit, r.Sub)
			}
		}
	})
}
