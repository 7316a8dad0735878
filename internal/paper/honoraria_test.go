package paper

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/xuri/excelize/v2"
)

func TestHonoraria(t *testing.T) {
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, campaign.Zone)
	rates := campaign.Honoraria{PerForm: 10000, PerUnit: 200000}
	returns := []Return{
		{EnumeratorID: 2, Enumerator: "Trần Văn Bình", Group: "S2", Unit: "SNV", UnitName: "Sở Nội vụ", Code: "S2-SNV-0001X", ReceivedOn: day, Valid: true},
		{EnumeratorID: 2, Enumerator: "Trần Văn Bình", Group: "S2", Unit: "SNV", UnitName: "Sở Nội vụ", Code: "S2-SNV-0002X", ReceivedOn: day, Valid: false},
		{EnumeratorID: 2, Enumerator: "Trần Văn Bình", Group: "S2", Unit: "STP", UnitName: "Sở Tư pháp", Code: "S2-STP-0001X", ReceivedOn: day, Valid: true},
		{EnumeratorID: 1, Enumerator: "Đỗ Thị An", Group: "S2", Unit: "SNV", UnitName: "Sở Nội vụ", Code: "S2-SNV-0003X", ReceivedOn: day, Valid: true},
		{EnumeratorID: 1, Enumerator: "Đỗ Thị An", Group: "S1", Code: "S1-MT-0001X", ReceivedOn: day, Valid: true},
	}
	p := Honoraria(rates, returns)
	t.Run("each enumerator is owed per form and once per unit worked, names in Vietnamese order", func(t *testing.T) {
		if len(p.ByEnumerator) != 2 {
			t.Fatalf("%d enumerators", len(p.ByEnumerator))
		}
		an, binh := p.ByEnumerator[0], p.ByEnumerator[1]
		if binh.Name != "Trần Văn Bình" || binh.Forms != 3 || binh.Total != 3*10000+2*200000 {
			t.Fatalf("Bình: %+v", binh)
		}
		if an.Name != "Đỗ Thị An" || an.Forms != 2 || an.Total != 2*10000+1*200000 || len(an.Codes) != 2 {
			t.Fatalf("An: %+v", an)
		}
	})
	t.Run("the unit view pays each enumerator's unit rate and totals the same", func(t *testing.T) {
		var snv *UnitPay
		var total int64
		for i := range p.ByUnit {
			total += p.ByUnit[i].Total
			if p.ByUnit[i].Unit == "SNV" {
				snv = &p.ByUnit[i]
			}
		}
		if snv == nil || snv.Forms != 3 || snv.UnitAmount != 2*200000 || len(snv.Enumerators) != 2 {
			t.Fatalf("SNV: %+v", snv)
		}
		if total != p.Total || p.Total != 5*10000+3*200000 {
			t.Fatalf("unit view %d, enumerator view %d", total, p.Total)
		}
	})
	t.Run("the workbook carries names, amounts as numbers and the codes behind them", func(t *testing.T) {
		var buf bytes.Buffer
		if err := p.WriteXLSX(&buf, "Đợt thử"); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(SheetByEnumerator, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		row := rows[honorariaHeaderRow] // first data row
		if row[1] != "Đỗ Thị An" || row[6] != "220000" || !strings.Contains(row[8], "S1-MT-0001X") {
			t.Fatalf("first row %q", row)
		}
		detail, _ := f.GetRows(SheetDetail)
		if len(detail) != honorariaHeaderRow+len(returns) {
			t.Fatalf("detail has %d rows", len(detail))
		}
	})
}
