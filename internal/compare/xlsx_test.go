package compare

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestTemplateReadsBackAsAMapping(t *testing.T) {
	now, before := sides(t)
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, now.Def, before.Def); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows(x.GetSheetList()[0])
	x.Close()
	if len(rows) != 4 || strings.Join(rows[0], "|") != strings.Join(TemplateHeader, "|") {
		t.Fatalf("template rows %q", rows)
	}

	t.Run("as downloaded, the unit without an old code of its own is refused on its row", func(t *testing.T) {
		_, errs := ParseMapping(now.Def, before.Def, "2025", "mau.xlsx", buf.Bytes())
		if len(errs) != 1 || errs[0].Row != 3 || !strings.Contains(errs[0].Msg, "thiếu mã đơn vị cũ") {
			t.Fatalf("errors %v", errs)
		}
	})
	t.Run("filled in, it maps the merged unit and marks the other", func(t *testing.T) {
		x, _ := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		defer x.Close()
		s := x.GetSheetList()[0]
		x.SetSheetRow(s, "A3", &[]any{"B", "Xã B", "B1", "Xã B1", 2, ""})
		x.SetSheetRow(s, "A5", &[]any{"B", "Xã B", "B2", "Xã B2", 1, ""})
		x.SetSheetRow(s, "A4", &[]any{"C", "Xã C", "", "", "", "x"})
		var filled bytes.Buffer
		if err := x.Write(&filled); err != nil {
			t.Fatal(err)
		}
		m, errs := ParseMapping(now.Def, before.Def, "2025", "mau.xlsx", filled.Bytes())
		if errs != nil {
			t.Fatal(errs)
		}
		c := Compare(now, before, m)
		if b := c.Unit("B"); b.Match != MatchSheet || Sources(b.From) != "B1: 66,67%; B2: 33,33%" {
			t.Fatalf("B %s %s", b.Match, Sources(b.From))
		}
		if c.Unit("C").Match != MatchNotComparable || c.Unit("A").Match != MatchSheet {
			t.Fatalf("C %s, A %s", c.Unit("C").Match, c.Unit("A").Match)
		}
	})
}

func TestWorkbookAndFeedHoldTheChanges(t *testing.T) {
	now, before := sides(t)
	c := Compare(now, before, Mapping{Source: "ghep.xlsx", Units: []UnitMap{
		{Unit: "B", From: []Weighted{{Unit: "B1", Weight: r("3")}, {Unit: "B2", Weight: r("1")}}},
		{Unit: "C", NotComparable: true},
	}})
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, c); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := strings.Join(x.GetSheetList(), "|"); got != strings.Join([]string{SheetUnits, SheetAreas, SheetKinds, SheetNotes}, "|") {
		t.Fatalf("sheets %s", got)
	}
	units, _ := x.GetRows(SheetUnits)
	if len(units) != 4 {
		t.Fatalf("%d unit rows", len(units))
	}
	col := func(name string) int {
		for i, h := range UnitHeader {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	at := func(row []string, i int) string {
		if i < len(row) {
			return row[i]
		}
		return ""
	}
	byCode := map[string][]string{}
	for _, row := range units[1:] {
		byCode[row[1]] = row
	}
	// The cells are numbers shown with two decimals: B's change is −0.825 → −0.83 (half away from zero).
	if b := byCode["B"]; at(b, col("Thay đổi (điểm)")) != "-0.83" || at(b, col("Thay đổi tỷ lệ (điểm %)")) != "-5.63" ||
		at(b, col("Ghép với (mã cũ: tỷ trọng)")) != "B1: 75,00%; B2: 25,00%" || at(b, col("Điểm năm trước")) != "2.63" {
		t.Errorf("row B %q", b)
	}
	if cc := byCode["C"]; at(cc, col("Điểm năm trước")) != "" || at(cc, col("Cách ghép")) != MatchNotComparable.Label() {
		t.Errorf("row C %q", cc)
	}
	areas, _ := x.GetRows(SheetAreas)
	if len(areas) != 1+3*2 {
		t.Fatalf("%d area rows", len(areas))
	}
	noted := 0
	for _, a := range areas[1:] {
		if a[1] == "A" && a[3] == "2" {
			noted++
			if got := a[len(AreaHeader)-1]; got != "điểm tối đa năm 2025 là 2, năm 2026 là 1: so sánh theo tỷ lệ" {
				t.Errorf("area 2 of A noted %q", got)
			}
		}
	}
	if noted != 1 {
		t.Fatalf("%d rows for area 2 of A", noted)
	}
	notes, _ := x.GetRows(SheetNotes)
	var text []string
	for _, n := range notes {
		text = append(text, strings.Join(n, " "))
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{"Phương pháp thay đổi", "Số phiếu hợp lệ tối thiểu", "chỉ có năm 2025", "Đơn vị cũ không được ghép", "ghep.xlsx"} {
		if !strings.Contains(all, want) {
			t.Errorf("notes lack %q:\n%s", want, all)
		}
	}

	var feed Feed
	var jb bytes.Buffer
	if err := WriteJSON(&jb, c); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(jb.Bytes(), &feed); err != nil {
		t.Fatal(err)
	}
	for _, u := range feed.Units {
		if u.Code == "B" && (u.Change.Exact != "-33/40" || u.From[0].Share.Exact != "3/4" || u.Before.Percent.Value != "65.63") {
			t.Errorf("feed B %+v %+v", u.Change, u.Before.Percent)
		}
		if u.Code == "C" && u.Before != nil {
			t.Errorf("feed C has a before %+v", u.Before)
		}
	}
	if feed.Format != FeedFormat || len(feed.Method) == 0 || len(feed.Trees[0].OnlyBefore) != 1 {
		t.Errorf("feed %+v", feed)
	}
}
