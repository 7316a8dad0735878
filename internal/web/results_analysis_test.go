package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/scorerun/scoretest"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// analysisFixture is what the analysis tests submitted: a single-unit group's forms about one
// unit, each with a known pick and sex, and one matrix form.
type analysisFixture struct {
	single, matrix *campaign.Group
	unit           campaign.Unit
	picks          []int    // the option every question got on the i-th single-unit form
	sexes          []int    // the respondent's first field on it, as an option number
	codes          []string // the single-unit forms' codes, in submission order
}

// answerForAnalysis submits, online as respondents do, ten forms of the first online
// single-unit group about one unit (picks 1, 2, 1, 3, 1, …; respondents' first field
// alternating between its first two options) and one matrix form over every unit of its kind.
func (e *testEnv) answerForAnalysis() analysisFixture {
	e.t.Helper()
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	def := e.camp.Def
	var fx analysisFixture
	for i := range def.Groups {
		g := &def.Groups[i]
		if g.Imported() || !g.Has(campaign.ChannelOnline) {
			continue
		}
		q := def.Questionnaire(g.Form)
		switch {
		case q.Shape == campaign.ShapeSingle && fx.single == nil && len(q.Fields) > 0:
			fx.single = g
		case q.Shape == campaign.ShapeMatrix && fx.matrix == nil:
			fx.matrix = g
		}
	}
	if fx.single == nil || fx.matrix == nil {
		e.t.Fatal("the demo has no online single-unit group with respondent fields, or no online matrix group")
	}
	fx.unit = def.UnitsOfKind(fx.single.Evaluates)[0]
	q := def.Questionnaire(fx.single.Form)
	c := e.client()
	for _, f := range forms[fx.single.Code] {
		if f.Unit != fx.unit.Code || len(fx.picks) == 10 {
			continue
		}
		i := len(fx.picks)
		pick := []int{1, 2, 1, 3, 1}[i%5]
		sex := 1 + i%2
		v := answers(q, nil, pick, fmt.Sprintf("an-%d", f.ID))
		v.Set("r_"+q.Fields[0].Key, strconv.Itoa(sex))
		if resp, body := c.post("/p/"+f.Token, v); resp.StatusCode != http.StatusOK {
			e.t.Fatalf("submit %s: %d\n%s", f.Code, resp.StatusCode, body)
		}
		fx.picks, fx.sexes, fx.codes = append(fx.picks, pick), append(fx.sexes, sex), append(fx.codes, f.Code)
	}
	if len(fx.picks) < 10 {
		e.t.Fatalf("only %d forms of %s for %s", len(fx.picks), fx.single.Code, fx.unit.Code)
	}
	m := forms[fx.matrix.Code][0]
	mq := def.Questionnaire(fx.matrix.Form)
	if resp, body := c.post("/p/"+m.Token, answers(mq, def.UnitsOfKind(fx.matrix.Evaluates), 2, "an-matrix")); resp.StatusCode != http.StatusOK {
		e.t.Fatalf("submit matrix: %d\n%s", resp.StatusCode, body)
	}
	return fx
}

// download fetches a file through the real app and fails unless it came as an attachment.
func download(t *testing.T, c *client, path string) []byte {
	t.Helper()
	resp, body := c.get(path)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("GET %s: status %d, %s\n%.500s", path, resp.StatusCode, resp.Header.Get("Content-Disposition"), body)
	}
	return []byte(body)
}

func TestAnalysisPageAndDataFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fx := e.answerForAnalysis()
	def := e.camp.Def
	q := def.Questionnaire(fx.single.Form)
	first := q.Questions()[0]
	base := fmt.Sprintf("/campaigns/%d/results", e.camp.ID)
	admin := e.client()
	admin.login("admin")

	t.Run("the results page links to the analysis", func(t *testing.T) {
		_, body := admin.get(base)
		mustContain(t, body, `href="`+base+`/analysis"`)
	})
	t.Run("the frequency table counts each option of the valid forms with its share", func(t *testing.T) {
		resp, body := admin.get(base + "/analysis?form=" + url.QueryEscape(q.Code) + "&unit=" + fx.unit.Code)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		ones := 0
		for _, p := range fx.picks {
			if p == 1 {
				ones++
			}
		}
		mustContain(t, body, "Bảng tần suất", "Câu "+first.Code+".", first.Options[0].Label,
			fmt.Sprintf(`<td class="num">%d <small>(%s%%)</small></td>`, ones, strings.Replace(fmt.Sprintf("%.1f", 100*float64(ones)/float64(len(fx.picks))), ".", ",", 1)),
			"Mức đánh giá theo đặc điểm người trả lời", "dưới 5", `href="`+base+`/analysis/precision"`)
	})
	t.Run("the precision page gives each unit's total, its interval and the method", func(t *testing.T) {
		resp, body := admin.get(base + "/analysis/precision")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		mustContain(t, body, "Độ chính xác của tổng điểm", "bootstrap", "200 lần", "Khoảng tin cậy 95%", "Khoảng hạng", fx.unit.Name,
			"không có phiếu hợp lệ")
	})
	t.Run("an unknown questionnaire or unit is said on the page, which shows the first", func(t *testing.T) {
		resp, body := admin.get(base + "/analysis?form=KHONGCO&unit=ZZZ")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, `role="alert"`, "Không có mẫu phiếu “KHONGCO”")
	})

	t.Run("the workbook has a sheet per questionnaire with codes, labels, option numbers and dates", func(t *testing.T) {
		f, err := excelize.OpenReader(bytes.NewReader(download(t, admin, base+"/data.xlsx")))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if !slices.Contains(sheets, export.DataSheetName(q.Code)) || !slices.Contains(sheets, export.SheetCodebook) {
			t.Fatalf("sheets %v", sheets)
		}
		rows, err := f.GetRows(export.DataSheetName(q.Code))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2+len(fx.picks) {
			t.Fatalf("%d rows, want 2 header rows and %d forms", len(rows), len(fx.picks))
		}
		col := func(code string) int {
			i := slices.Index(rows[0], code)
			if i < 0 {
				t.Fatalf("no column %s in %v", code, rows[0])
			}
			return i
		}
		if rows[1][col(first.Code)] != first.Text || rows[1][col(q.Fields[0].Key)] != q.Fields[0].Label {
			t.Errorf("row 2 is not the labels: %v", rows[1][:12])
		}
		for i, r := range rows[2:] {
			at := slices.Index(fx.codes, r[col("ma_phieu")])
			if at < 0 {
				t.Fatalf("row %d: form %s not submitted", i+3, r[col("ma_phieu")])
			}
			if r[col(first.Code)] != strconv.Itoa(fx.picks[at]) || r[col(q.Fields[0].Key)] != strconv.Itoa(fx.sexes[at]) || r[col("hop_le")] != "1" {
				t.Errorf("form %s: answer %s, field %s, valid %s; want %d, %d, 1", fx.codes[at], r[col(first.Code)], r[col(q.Fields[0].Key)], r[col("hop_le")], fx.picks[at], fx.sexes[at])
			}
		}
		// The arrival is a real date: a number with a date format, not text.
		axis, _ := excelize.CoordinatesToCellName(col("thoi_diem_nhan")+1, 3)
		raw, _ := f.GetCellValue(export.DataSheetName(q.Code), axis, excelize.Options{RawCellValue: true})
		if _, err := strconv.ParseFloat(raw, 64); err != nil {
			t.Errorf("arrival %s is %q, not a date serial", axis, raw)
		}
		shown, _ := f.GetCellValue(export.DataSheetName(q.Code), axis)
		if want := inWindow.In(campaign.Zone).Format("02/01/2006"); !strings.HasPrefix(shown, want) {
			t.Errorf("arrival shows %q, want %s…", shown, want)
		}
		panes, err := f.GetPanes(export.DataSheetName(q.Code))
		if err != nil || !panes.Freeze || panes.YSplit != 2 || panes.XSplit != 1 {
			t.Errorf("panes %+v, %v: want the two header rows and the first column frozen", panes, err)
		}
		mrows, _ := f.GetRows(export.DataSheetName(def.Group(fx.matrix.Code).Form))
		units := def.UnitsOfKind(fx.matrix.Evaluates)
		mq := def.Questionnaire(fx.matrix.Form)
		mcol := slices.Index(mrows[0], mq.Questions()[0].Code+"_"+units[len(units)-1].Code)
		if len(mrows) != 3 || mcol < 0 || mrows[2][mcol] != "2" {
			t.Errorf("matrix sheet: %d rows, column %d; want one form with a column per question × unit holding 2", len(mrows), mcol)
		}
		book, _ := f.GetRows(export.SheetCodebook)
		found := false
		for _, r := range book {
			if len(r) >= 5 && r[0] == q.Code && r[1] == q.Fields[0].Key && r[3] == "2" && r[4] == q.Fields[0].Options[1] {
				found = true
			}
		}
		if !found {
			t.Errorf("the codebook does not say that %s = 2 is %q", q.Fields[0].Key, q.Fields[0].Options[1])
		}
	})

	for _, d := range []struct {
		name, query string
		comma       rune
		date        string
	}{
		{"comma-separated with ISO dates by default", "", ',', inWindow.In(campaign.Zone).Format("2006-01-02 15:04")},
		{"semicolon-separated with dd/mm/yyyy for Vietnamese Excel", "?dialect=vi", ';', inWindow.In(campaign.Zone).Format("02/01/2006 15:04")},
	} {
		t.Run("the questionnaire's CSV is "+d.name, func(t *testing.T) {
			b := download(t, admin, base+"/data/"+q.Code+".csv"+d.query)
			if !bytes.HasPrefix(b, []byte("\ufeff")) {
				t.Fatal("no BOM")
			}
			r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
			r.Comma = d.comma
			recs, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 2+len(fx.picks) || recs[0][0] != "ma_phieu" || recs[1][0] != "Mã phiếu" {
				t.Fatalf("%d records, header %v / %v", len(recs), recs[0][:3], recs[1][:3])
			}
			at := slices.Index(recs[0], "thoi_diem_nhan")
			if !strings.HasPrefix(recs[2][at], d.date) {
				t.Errorf("arrival %q, want %s…", recs[2][at], d.date)
			}
			qc := slices.Index(recs[0], first.Code)
			for _, rec := range recs[2:] {
				i := slices.Index(fx.codes, rec[0])
				if i < 0 || rec[qc] != strconv.Itoa(fx.picks[i]) {
					t.Errorf("form %s: %s = %q", rec[0], first.Code, rec[qc])
				}
			}
		})
	}
	t.Run("the long CSV has one row per answer", func(t *testing.T) {
		b := download(t, admin, base+"/data/"+q.Code+".csv?layout=long")
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if want := 2 + len(fx.picks)*len(q.Questions()); len(recs) != want {
			t.Fatalf("%d records, want %d", len(recs), want)
		}
		if recs[0][4] != "cau_hoi" || recs[2][4] != first.Code || recs[2][7] == "" {
			t.Errorf("first answer row %v", recs[2])
		}
	})
	t.Run("a bad layout or dialect is refused in Vietnamese", func(t *testing.T) {
		resp, body := admin.get(base + "/data/" + q.Code + ".csv?dialect=excel")
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Kiểu CSV không hợp lệ")
		if resp, _ := admin.get(base + "/data/KHONGCO.csv"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown questionnaire: status %d", resp.StatusCode)
		}
	})
	t.Run("the tables workbook holds frequencies, cross-tabs and precision", func(t *testing.T) {
		f, err := excelize.OpenReader(bytes.NewReader(download(t, admin, base+"/analysis.xlsx")))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		freq, _ := f.GetRows(export.SheetFrequencies)
		title := fmt.Sprintf("Mẫu %s · Câu %s. %s", q.Code, first.Code, first.Text)
		i := slices.IndexFunc(freq, func(r []string) bool { return len(r) > 0 && r[0] == title })
		if i < 0 {
			t.Fatalf("no block %q", title)
		}
		row := freq[i+2] // after the block's header: the first unit with forms
		if row[0] != fx.unit.Name || row[2] != strconv.Itoa(len(fx.picks)) {
			t.Errorf("first row %v, want %s with %d forms", row, fx.unit.Name, len(fx.picks))
		}
		prec, _ := f.GetRows(export.SheetPrecision)
		if len(prec) < 8 || !strings.Contains(prec[1][0], "bootstrap") {
			t.Errorf("precision sheet %v", prec[:min(3, len(prec))])
		}
		cross, _ := f.GetRows(export.SheetCrossTabs)
		if len(cross) < 5 {
			t.Errorf("cross-tab sheet has %d rows", len(cross))
		}
	})
	t.Run("a viewer reads the tables but gets no link to the forms' data", func(t *testing.T) {
		testenv.AddUser(t, e.db, "xem", store.RoleViewer)
		viewer := e.client()
		viewer.login("xem")
		resp, body := viewer.get(base + "/analysis")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Bảng tần suất", "chỉ cán bộ phân tích")
		if strings.Contains(body, base+"/data.xlsx") || strings.Contains(body, "/data/"+q.Code+".csv") {
			t.Error("the viewer's page links to the data files")
		}
		if resp, _ := viewer.get(base + "/data/" + q.Code + ".csv"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("the viewer downloads the data: status %d", resp.StatusCode)
		}
	})
	t.Run("an enumerator may not see the analysis", func(t *testing.T) {
		dtv := e.client()
		dtv.login("dtv1")
		for _, p := range []string{"/analysis", "/analysis/precision", "/data.xlsx", "/data/" + q.Code + ".csv", "/analysis.xlsx"} {
			if resp, _ := dtv.get(base + p); resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d", p, resp.StatusCode)
			}
		}
	})
}

func TestDataFilesCarryOpenAnswersAsText(t *testing.T) {
	t.Parallel()
	db := testenv.Open(t)
	ctx := context.Background()
	def := scoretest.Definition(2)
	sec := &def.Questionnaires[0].Sections[0]
	sec.Questions = append(sec.Questions, campaign.Question{Code: "Y", Text: "Ý kiến, kiến nghị khác", Kind: campaign.QuestionText, MaxLength: 500})
	camp, _, err := db.SaveDefinition(ctx, def, 0)
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, db: db, srv: newServer(t, db), camp: camp}
	testenv.AddStaff(t, db)
	db.SetClock(func() time.Time { return scoretest.InWindow })
	forms := e.issueAll()["G1"]
	q := &camp.Def.Questionnaires[0]
	respondent := e.client()
	const said = "=Cần trả kết quả đúng hẹn hơn; thái độ tốt"
	for i, f := range forms[:2] {
		v := answers(q, nil, 1, fmt.Sprintf("open-%d", i))
		v.Set("q_Y", "")
		if i == 0 {
			v.Set("q_Y", said)
		}
		if resp, body := respondent.post("/p/"+f.Token, v); resp.StatusCode != http.StatusOK {
			t.Fatalf("submit %s: %d\n%s", f.Code, resp.StatusCode, body)
		}
	}
	admin := e.client()
	admin.login("admin")
	b := download(t, admin, fmt.Sprintf("/campaigns/%d/results/data/%s.csv", camp.ID, q.Code))
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	y := slices.Index(recs[0], "Y")
	if y < 0 || len(recs) != 4 {
		t.Fatalf("column Y at %d, %d records", y, len(recs))
	}
	byCode := map[string]string{}
	for _, r := range recs[2:] {
		byCode[r[0]] = r[y]
	}
	if got := byCode[forms[0].Code]; got != "'"+said {
		t.Errorf("the open answer is %q, want it as written, formula-safe", got)
	}
	if got := byCode[forms[1].Code]; got != "" {
		t.Errorf("no open answer, yet %q", got)
	}
}
