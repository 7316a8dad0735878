package export

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/parsurvey/parsurvey/internal/analysis"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
)

// dataDef is a campaign of two communes, one named like a formula, with a single-unit form
// and a matrix form.
func dataDef() *campaign.Definition {
	w := func(s string) *campaign.Decimal { d := campaign.MustDecimal(s); return &d }
	opts := []campaign.Option{{Label: "Tốt", Weight: w("1")}, {Label: "Kém", Weight: w("0")}, {Label: "Không biết", DontKnow: true}}
	sex := campaign.Field{Key: "gioi_tinh", Label: "Giới tính", Options: []string{"Nam", "Nữ"}}
	qs := []campaign.Question{{Code: "C1", Text: "Câu một", Feeds: "1.1.1", Options: opts}, {Code: "C2", Text: "Câu hai", Feeds: "1.1.1", Options: opts}}
	return &campaign.Definition{Code: "t",
		Kinds: []campaign.Kind{{Code: "xa", Name: "Xã"}},
		Units: []campaign.Unit{{Code: "X1", Kind: "xa", Name: `=HYPERLINK("http://evil.example","x")`}, {Code: "X2", Kind: "xa", Name: "Xã Hai; Ba"}},
		Questionnaires: []campaign.Questionnaire{
			{Code: "P1", Shape: campaign.ShapeSingle, Fields: []campaign.Field{sex}, Sections: []campaign.Section{{Questions: append(slices.Clone(qs),
				campaign.Question{Code: "Y", Text: "Ý kiến khác", Kind: campaign.QuestionText})}}},
			{Code: "M1", Shape: campaign.ShapeMatrix, Fields: []campaign.Field{sex}, Sections: []campaign.Section{{Questions: qs}}},
		},
		Groups: []campaign.Group{{Code: "G1", Name: "Nhóm một", Evaluates: "xa", Form: "P1"}, {Code: "G2", Name: "Nhóm hai", Evaluates: "xa", Form: "M1"}},
	}
}

var dataAt = time.Date(2026, 11, 15, 9, 30, 0, 0, campaign.Zone)

// dataRows hands out stored rows as the store does: one row value reused for every call.
func dataRows(groups []string, fn func(*store.ResponseRow) error) error {
	all := []store.ResponseRow{
		{ResponseID: 1, Code: "G1-X1-0001", Receipt: "R1", Group: "G1", Channel: "online", ReceivedAt: dataAt.UTC(), Judged: true, Valid: true, UnitValid: true,
			Reasons: "[]", Respondent: `{"gioi_tinh":"Nữ"}`, Unit: "X1", Answers: "131"},
		{ResponseID: 2, Code: "G1-X2-0001", Receipt: "R2", Group: "G1", Channel: "paper", ReceivedAt: dataAt.UTC(), Judged: true, Valid: false,
			Reasons: `[{"Code":"too_few_answers","Unit":"X2","Message":"Xã Hai; Ba: chỉ trả lời 0/2 câu"}]`, Respondent: `{}`, Unit: "X2", Answers: "0*1"},
		{ResponseID: 3, Code: "G2-0001", Receipt: "R3", Group: "G2", Channel: "online", ReceivedAt: dataAt.UTC(), Judged: true, Valid: false, UnitValid: true,
			Reasons: `[{"Code":"too_few_answers","Unit":"X2","Message":"X2: chỉ trả lời 0/2 câu"}]`, Respondent: `{"gioi_tinh":"Nam"}`, Unit: "X1", Answers: "21"},
		{ResponseID: 3, Code: "G2-0001", Receipt: "R3", Group: "G2", Channel: "online", ReceivedAt: dataAt.UTC(), Judged: true, Valid: false, UnitValid: false,
			Reasons: `[{"Code":"too_few_answers","Unit":"X2","Message":"X2: chỉ trả lời 0/2 câu"}]`, Respondent: `{"gioi_tinh":"Nam"}`, Unit: "X2", Answers: "00"},
	}
	var r store.ResponseRow
	for _, x := range all {
		if slices.Contains(groups, x.Group) {
			r = x
			if err := fn(&r); err != nil {
				return err
			}
		}
	}
	return nil
}

func readDataCSV(t *testing.T, b []byte, comma rune) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatal("no BOM")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.Comma = comma
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestDataCSVNeutralisesFormulasAndKeepsSemicolonsInsideCells(t *testing.T) {
	def := dataDef()
	var buf bytes.Buffer
	texts := func(form string) (map[analysis.TextKey]string, error) {
		if form != "P1" {
			t.Errorf("texts asked for %s", form)
		}
		return map[analysis.TextKey]string{{Response: 1, Unit: "X1", Question: "Y"}: "=cần nhanh hơn; rõ hơn"}, nil
	}
	if err := WriteDataCSV(&buf, def, "P1", false, DialectVietnamese, dataRows, texts); err != nil {
		t.Fatal(err)
	}
	recs := readDataCSV(t, buf.Bytes(), ';')
	col := func(code string) int { return slices.Index(recs[0], code) }
	if len(recs) != 4 {
		t.Fatalf("%d records", len(recs))
	}
	if got := recs[2][col("ten_don_vi")]; got != `'=HYPERLINK("http://evil.example","x")` {
		t.Errorf("a unit named like a formula is written %q", got)
	}
	if got := recs[3][col("ten_don_vi")]; got != "Xã Hai; Ba" {
		t.Errorf("a semicolon inside a name: %q", got)
	}
	if got := recs[2][col("thoi_diem_nhan")]; got != "15/11/2026 09:30:00" {
		t.Errorf("arrival %q, want the Vietnamese date in Asia/Ho_Chi_Minh", got)
	}
	second := recs[3]
	if second[col("hop_le")] != "0" || second[col("ma_ly_do")] != "too_few_answers" || second[col("ly_do")] != "Trả lời chưa đủ số câu hỏi tính điểm tối thiểu" {
		t.Errorf("invalid form: valid %q, codes %q, words %q", second[col("hop_le")], second[col("ma_ly_do")], second[col("ly_do")])
	}
	if second[col("C1")] != "" || second[col("C2")] != "-1" || second[col("gioi_tinh")] != "" {
		t.Errorf("blank, multi-marked and no respondent: %q %q %q", second[col("C1")], second[col("C2")], second[col("gioi_tinh")])
	}
	if first := recs[2]; first[col("gioi_tinh")] != "2" || first[col("C1")] != "1" || first[col("C2")] != "3" {
		t.Errorf("first form: sex %q, answers %q %q", first[col("gioi_tinh")], first[col("C1")], first[col("C2")])
	}
	if got := recs[2][col("Y")]; got != "'=cần nhanh hơn; rõ hơn" {
		t.Errorf("an open answer, formula-safe: %q", got)
	}
	if got := recs[3][col("Y")]; got != "Có ý kiến (không ghi nội dung)" {
		t.Errorf("an open question marked without text: %q", got)
	}
}

func TestDataXLSXPutsAMatrixFormOnOneRowWithAColumnPerQuestionAndUnit(t *testing.T) {
	def := dataDef()
	var buf bytes.Buffer
	if err := WriteDataXLSX(&buf, def, dataRows, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"P1", "M1", SheetCodebook}) {
		t.Fatalf("sheets %v", got)
	}
	rows, _ := f.GetRows("M1")
	if len(rows) != 3 {
		t.Fatalf("matrix sheet has %d rows, want codes, labels and one form", len(rows))
	}
	want := map[string]string{"ma_phieu": "G2-0001", "hop_le": "0", "gioi_tinh": "1", "hop_le_X1": "1", "C1_X1": "2", "C2_X1": "1", "hop_le_X2": "0"}
	for code, v := range want {
		i := slices.Index(rows[0], code)
		if i < 0 || i >= len(rows[2]) || rows[2][i] != v {
			t.Errorf("%s: column %d, want %q in %v", code, i, v, rows[2])
		}
	}
	if slices.Contains(rows[0], "don_vi") {
		t.Error("a matrix sheet has a unit column")
	}
	if i := slices.Index(rows[0], "C1_X2"); i < 0 || rows[1][i] != "Xã Hai; Ba – C1. Câu một" {
		t.Errorf("label of C1_X2: %v", rows[1])
	}
	p1, _ := f.GetRows("P1")
	cell, _ := excelize.CoordinatesToCellName(slices.Index(p1[0], "ten_don_vi")+1, 3)
	if formula, _ := f.GetCellFormula("P1", cell); formula != "" {
		t.Errorf("the unit name became a formula: %q", formula)
	}
	book, _ := f.GetRows(SheetCodebook)
	var matrixVars []string
	for _, r := range book {
		if r[0] == "M1" && !slices.Contains(matrixVars, r[1]) {
			matrixVars = append(matrixVars, r[1])
		}
	}
	if !slices.Contains(matrixVars, "C1_<mã đơn vị>") || slices.Contains(matrixVars, "C1_X2") {
		t.Errorf("the codebook lists the matrix columns once, per question: %v", matrixVars)
	}
}

func TestLongCSVHasOneRowPerAnswerWithItsLabel(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDataCSV(&buf, dataDef(), "M1", true, DialectDefault, dataRows, nil); err != nil {
		t.Fatal(err)
	}
	recs := readDataCSV(t, buf.Bytes(), ',')
	if len(recs) != 2+2*2 {
		t.Fatalf("%d records, want 2 header rows and 2 units × 2 questions", len(recs))
	}
	if got := recs[2]; got[2] != "X1" || got[4] != "C1" || got[6] != "2" || got[7] != "Kém" {
		t.Errorf("first answer %v", got)
	}
	if got := recs[5]; got[2] != "X2" || got[3] != "0" || got[6] != "" || got[7] != "Bỏ trống" {
		t.Errorf("last answer %v", got)
	}
}
