package workbook

import (
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/xuri/excelize/v2"
)

func changes(cs []Change) string {
	lines := make([]string, len(cs))
	for i, c := range cs {
		lines[i] = c.String()
	}
	return strings.Join(lines, "\n")
}

func TestNextYearMovesYearsAndDatesAndLoadsAgain(t *testing.T) {
	old := small(t)
	old.Questionnaires[0].Intro = "Khảo sát năm 2026, hạn gửi 31/12/2026; mã 120261 không đổi."
	next := NextYear(old, 1)
	data, err := Bytes(next)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Read(data)
	if err != nil {
		t.Fatalf("next year's workbook does not check:\n%v", err)
	}
	if got.Code != "test-2027" || got.Year != 2027 || got.Opens.Format("2006-01-02") != "2027-11-01" || got.Closes.Format("2006-01-02") != "2027-12-31" {
		t.Errorf("got %s %d %s–%s", got.Code, got.Year, got.Opens.Format("2006-01-02"), got.Closes.Format("2006-01-02"))
	}
	if want := "Khảo sát năm 2027, hạn gửi 31/12/2027; mã 120261 không đổi."; got.Questionnaires[0].Intro != want {
		t.Errorf("intro = %q", got.Questionnaires[0].Intro)
	}
	list := changes(Diff(old, got))
	for _, want := range []string{"năm: 2026 → 2027", "ngày bắt đầu: «01/11/2026» → «01/11/2027»", "Mẫu phiếu › F1 › lời mở đầu: "} {
		if !strings.Contains(list, want) {
			t.Errorf("changes lack %q:\n%s", want, list)
		}
	}
	if strings.Contains(list, "Đơn vị") {
		t.Errorf("units should not change:\n%s", list)
	}
}

func TestReplaceUnitsTakesANewUnitSheet(t *testing.T) {
	old := small(t)
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetUnits); err != nil {
		t.Fatal(err)
	}
	for i, row := range [][]any{
		{"Mã đơn vị", "Loại đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên"},
		{"SNV", "so", "Sở Nội vụ"},
		{"X01", "huyen", "Xã Tân Lập"},
		{"X02", "huyen", "Phường Bình Minh"},
	} {
		if err := f.SetSheetRow(SheetUnits, cellName(1, i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf strings.Builder
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	next, err := ReplaceUnits(old, []byte(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Units) != 3 || next.Unit("X02").Name != "Phường Bình Minh" || len(next.Group("G1").QuotaOverrides) != 0 {
		t.Fatalf("units %v, overrides %v", next.Units, next.Group("G1").QuotaOverrides)
	}
	list := changes(Diff(old, next))
	for _, want := range []string{"Đơn vị › X01: thêm «Xã Tân Lập»", "Đơn vị › STP: bỏ «Sở Tư pháp»", "Đơn vị › H01: bỏ"} {
		if !strings.Contains(list, want) {
			t.Errorf("changes lack %q:\n%s", want, list)
		}
	}
	if len(old.Units) != 3 || old.Unit("STP") == nil {
		t.Error("the source definition was changed")
	}
	var _ = campaign.CampaignFile
}
