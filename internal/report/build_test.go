package report

import (
	"bytes"
	"image/png"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/analysis"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/store"
)

func dec(s string) campaign.Decimal { return campaign.MustDecimal(s) }

// groupSub is a group's own points on a sub-criterion of 10 points: the share given.
func groupSub(sub string, share int64) scoring.GroupSub {
	m := big.NewRat(share, 100)
	return scoring.GroupSub{Sub: sub, Mean: m, Points: new(big.Rat).Mul(m, big.NewRat(10, 1))}
}

// unit is a unit's result on the one-area, one-criterion, one-sub tree of 10 points, with two
// counted groups A and B giving it the shares a and b.
func unit(code string, rank int, total int64, a, b int64) scoring.UnitResult {
	t := big.NewRat(total, 1)
	return scoring.UnitResult{Unit: code, Kind: "xa", Total: t, Percent: new(big.Rat).Mul(t, big.NewRat(10, 1)), Rank: rank,
		Areas: []scoring.AreaScore{{Code: "1", Max: dec("10"), Points: t, Criteria: []scoring.CriterionScore{{Code: "1.1", Max: dec("10"), Points: t,
			Subs: []scoring.SubScore{{Code: "1.1.1", Max: dec("10"), Points: t}}}}}},
		Groups: []scoring.GroupScore{
			{Group: "A", Counted: true, Forms: 3, Subs: []scoring.GroupSub{groupSub("1.1.1", a)}},
			{Group: "B", Counted: true, Forms: 2, Subs: []scoring.GroupSub{groupSub("1.1.1", b)}},
		}}
}

func sampleRun() *scorerun.Run {
	def := &campaign.Definition{Code: "thu-2026", Name: "Khảo sát thử năm 2026",
		Organizer:    "Viện Nghiên cứu Phát triển tỉnh Bình An (theo đặt hàng của Sở Nội vụ)",
		SurveyPoints: dec("10"), Bands: []campaign.Band{{Code: "A", Name: "Tốt", MinPercent: dec("90")}, {Code: "D", Name: "Yếu"}},
		Kinds: []campaign.Kind{{Code: "xa", Name: "Xã, phường"}},
		Units: []campaign.Unit{{Code: "X1", Kind: "xa", Name: "Xã Một"}, {Code: "X2", Kind: "xa", Name: "Xã Hai"}, {Code: "X3", Kind: "xa", Name: "Xã Ba"}},
		Groups: []campaign.Group{{Code: "A", Name: "Đại biểu HĐND tỉnh", Evaluates: "xa", Quota: 2},
			{Code: "B", Name: "Lãnh đạo sở", Evaluates: "xa", Quota: 2, QuotaOverrides: map[string]int{"X3": 0}}},
		Areas: []campaign.Area{{Code: "1", Name: "Công tác chỉ đạo", Points: dec("10"), Criteria: []campaign.Criterion{{Code: "1.1", Name: "Kế hoạch", Points: dec("10"),
			Subs: []campaign.SubCriterion{{Code: "1.1.1", Name: "Ban hành kế hoạch", Points: dec("10")}}}}}},
	}
	res := &scoring.Result{Units: []scoring.UnitResult{unit("X1", 1, 9, 95, 70), unit("X2", 2, 8, 82, 78), unit("X3", 3, 5, 50, 50)}}
	return &scorerun.Run{ID: 4, CampaignCode: def.Code, CampaignVersion: 2, Def: def, Result: res,
		CreatedAt:   time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC), // 5 December in Hà Nội
		InputDigest: "sha256:aaaa", ResultDigest: "sha256:bbbb", CreatedBy: "admin",
		Method: scorerun.Method{MinForms: 1, Statement: []string{"Phương án A = 1."}},
		Tally:  []store.Tally{{Group: "A", Unit: "X1", Forms: 5, Valid: 5}, {Group: "B", Unit: "X1", Forms: 1, Valid: 0, Invalid: 1}}}
}

// all is every text of a section list, joined.
func all(secs []Section) string {
	var b strings.Builder
	for _, s := range secs {
		b.WriteString(s.Heading + "\n")
		for _, bl := range s.Blocks {
			b.WriteString(bl.Text + bl.Note + strings.Join(bl.Bullets, "\n") + "\n")
			if bl.Table != nil {
				for _, r := range bl.Table.Rows {
					b.WriteString(strings.Join(r.Cells, " | ") + "\n")
				}
			}
		}
	}
	return b.String()
}

func section(t *testing.T, secs []Section, prefix string) Section {
	t.Helper()
	for _, s := range secs {
		if strings.HasPrefix(s.Heading, prefix) {
			return s
		}
	}
	t.Fatalf("no section %q", prefix)
	return Section{}
}

func TestHeadingAndSignOff(t *testing.T) {
	t.Run("without a report block the organizer issues it, without its parenthesis, and the number is left to fill in", func(t *testing.T) {
		d := Build(Input{Run: sampleRun()})
		if d.Head.Issuer != "VIỆN NGHIÊN CỨU PHÁT TRIỂN TỈNH BÌNH AN" || d.Head.Superior != "" || d.Head.Number != "Số:        /BC" {
			t.Errorf("head %+v", d.Head)
		}
		if d.Head.PlaceDate != "Ngày 05 tháng 12 năm 2026" {
			t.Errorf("date line %q", d.Head.PlaceDate)
		}
		if d.Sign.Title != "THỦ TRƯỞNG ĐƠN VỊ" || len(d.Sign.Recipients) != 2 || d.Sign.Recipients[1] != "Lưu: Viện Nghiên cứu Phát triển tỉnh Bình An." {
			t.Errorf("sign-off %+v", d.Sign)
		}
	})
	t.Run("the report block sets every line", func(t *testing.T) {
		run := sampleRun()
		run.Def.Report = campaign.ReportInfo{Superior: "UBND tỉnh Bình An", Issuer: "Viện Nghiên cứu Phát triển", Number: "Số: 25/BC-VNCPT",
			Place: "Bình An", SignerTitle: "Viện trưởng", Signer: "Nguyễn Văn An", Recipients: []string{"Sở Nội vụ;", " "}}
		d := Build(Input{Run: run})
		want := Head{Superior: "UBND TỈNH BÌNH AN", Issuer: "VIỆN NGHIÊN CỨU PHÁT TRIỂN", Number: "Số: 25/BC-VNCPT", PlaceDate: "Bình An, ngày 05 tháng 12 năm 2026"}
		if d.Head != want {
			t.Errorf("head %+v", d.Head)
		}
		if d.Sign.Title != "VIỆN TRƯỞNG" || d.Sign.Signer != "Nguyễn Văn An" || len(d.Sign.Recipients) != 1 {
			t.Errorf("sign-off %+v", d.Sign)
		}
	})
	t.Run("the body names no account and carries no digest; the technical annex does", func(t *testing.T) {
		d := Build(Input{Run: sampleRun()})
		body := all(d.Sections)
		if strings.Contains(body, "admin") || strings.Contains(body, "sha256") {
			t.Errorf("body:\n%s", body)
		}
		if annex := all(d.Annexes); !strings.Contains(annex, "sha256:aaaa") || !strings.Contains(annex, "sha256:bbbb") {
			t.Errorf("annex:\n%s", annex)
		}
	})
}

func TestResultsParts(t *testing.T) {
	d := Build(Input{Run: sampleRun()})
	t.Run("a group over its quota does not make up for another under it, and a quota of 0 is a dash", func(t *testing.T) {
		s := all([]Section{section(t, d.Sections, "3.2. Tỷ lệ phản hồi")})
		if !strings.Contains(s, "Xã Một | 5/2 (250%) | 0/2 (0%) | 2/4 (50%)") {
			t.Errorf("rates:\n%s", s)
		}
		if !strings.Contains(s, "Xã Ba | 0/2 (0%) | — | 0/2 (0%)") {
			t.Errorf("rates:\n%s", s)
		}
	})
	t.Run("groups that differ by the threshold or more about a unit are listed, smaller gaps are not", func(t *testing.T) {
		s := all([]Section{section(t, d.Sections, "6.1.")})
		if !strings.Contains(s, "Xã Một | A Đại biểu HĐND tỉnh | 95,00 | B Lãnh đạo sở | 70,00 | 25,00") {
			t.Errorf("disagreements:\n%s", s)
		}
		if strings.Contains(s, "Xã Hai |") || !strings.Contains(s, "1 trong 3 cặp nhóm") {
			t.Errorf("disagreements:\n%s", s)
		}
	})
	t.Run("the strongest and weakest units of an area are named with their points", func(t *testing.T) {
		s := all([]Section{section(t, d.Sections, "5.1.1. Lĩnh vực 1")})
		if !strings.Contains(s, "Cao nhất: Xã Một (9,00 điểm).") || !strings.Contains(s, "Thấp nhất: Xã Ba (5,00 điểm).") {
			t.Errorf("extremes:\n%s", s)
		}
	})
	t.Run("the ranking chart marks the bands on the scale of points", func(t *testing.T) {
		c := section(t, d.Sections, "4.1. Xếp hạng").Blocks[0].Chart
		if c == nil || c.Max != 10 || len(c.Marks) != 1 || c.Marks[0].Value != 9 || len(c.Bars) != 3 || c.Bars[0].Label != "Xã Một" {
			t.Errorf("chart %+v", c)
		}
	})
}

func TestHooks(t *testing.T) {
	t.Run("without a reader of open-ended answers or a comparison the parts are left out", func(t *testing.T) {
		s := all(Build(Input{Run: sampleRun()}).Sections)
		if strings.Contains(s, "Ý kiến, kiến nghị") || strings.Contains(s, "So sánh với") {
			t.Errorf("sections:\n%s", s)
		}
	})
	t.Run("open-ended answers are listed by unit in definition order", func(t *testing.T) {
		d := Build(Input{Run: sampleRun(), HasTexts: true, Texts: []TextAnswer{
			{Unit: "X2", Group: "A", Form: "M1", Question: "C10", Body: "Cần rút ngắn thời gian giải quyết hồ sơ."},
			{Unit: "X1", Group: "B", Form: "M2", Question: "C10", Body: "Thái độ tốt."}}})
		s := all(d.Sections)
		one, two := strings.Index(s, "8.1. Xã Một"), strings.Index(s, "8.2. Xã Hai")
		if one < 0 || two < one || !strings.Contains(s, "A | M1, C10 | Cần rút ngắn thời gian giải quyết hồ sơ.") ||
			!strings.Contains(s, "Phiếu M1, câu C10\nPhiếu M2, câu C10") {
			t.Errorf("sections:\n%s", s)
		}
	})
	t.Run("the frequency annex counts each option, don't-know and blanks, per unit and group", func(t *testing.T) {
		f := analysis.FrequencyTable{Form: "M1", Question: "C1", Text: "Mức độ công khai", Unit: "X1",
			Options: []campaign.Option{{Label: "Tốt"}, {Label: "Không biết", DontKnow: true}},
			Rows: []analysis.FrequencyRow{{Group: "A", Forms: 4, Counts: []int64{3, 1}}, {Group: "B", Forms: 4, Counts: []int64{1, 1}, Blank: 1, Multi: 1},
				{Group: "", Forms: 8, Counts: []int64{4, 2}, Blank: 1, Multi: 1}}}
		d := Build(Input{Run: sampleRun(), HasFrequencies: true, Frequencies: []analysis.FrequencyTable{f}})
		s := all(d.Annexes)
		for _, want := range []string{"PL1.1. Phiếu M1, câu C1: Mức độ công khai", "Xã Một | A | 4 | 3 (75,0) | 1 (25,0) | 0 (0,0)",
			" | B | 4 | 1 (25,0) | 1 (25,0) | 2 (50,0)", " | Chung | 8 | 4 (50,0) | 2 (25,0) | 2 (25,0)"} {
			if !strings.Contains(s, want) {
				t.Errorf("annex lacks %q:\n%s", want, s)
			}
		}
	})
}

func TestChartImages(t *testing.T) {
	c := &Chart{Title: "Điểm lĩnh vực 1", Max: 10, Axis: "điểm", Marks: []Mark{{Value: 9, Label: "Tốt 90%"}}}
	for i := 0; i < ChartBarsPerImage+1; i++ {
		c.Bars = append(c.Bars, Bar{Label: "Xã Thử Nghiệm có tên rất dài để bị cắt bớt", Value: float64(i % 11), Text: "9,00"})
	}
	imgs, err := c.PNGs()
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs) != 2 {
		t.Fatalf("%d images for %d bars", len(imgs), len(c.Bars))
	}
	for _, b := range imgs {
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil || img.Bounds().Dx() != pngW {
			t.Fatalf("image: %v %v", err, img.Bounds())
		}
	}
	if _, err := (&Chart{Title: "x"}).PNGs(); err == nil {
		t.Error("a chart without a scale is drawn")
	}
}

func TestBandLabelsDoNotOverlap(t *testing.T) {
	// Labels 100 wide at 0, 50 and 300: the second overlaps the first and goes one row down;
	// the third is clear of both and stays on the first row.
	marks := []Mark{{Value: 0, Label: "Tốt 90%"}, {Value: 50, Label: "Khá 80%"}, {Value: 300, Label: "Trung bình 70%"}}
	rows, n := markRowsOf(marks, func(m Mark) (int, int) { return int(m.Value), 100 })
	if n != 2 || rows[0] != 0 || rows[1] != 1 || rows[2] != 0 {
		t.Errorf("rows %v of %d", rows, n)
	}
}
