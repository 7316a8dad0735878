package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/compare"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// yearOnYear is the demo campaign beside an earlier-year copy of it in the same database, both
// answered online and scored through the results page.
type yearOnYear struct {
	*testEnv
	earlier *store.Campaign
	// merged is the unit of this year made from two old units, split[0] and split[1].
	merged string
	split  [2]string
	admin  *client
}

// earlierDefinition is an earlier-year copy of def: a year back, window included; the first unit
// of the kind with the most units split into two old units (the 2025 mergers, backwards); the
// first two sub-criteria of that kind's first criterion with points moved between them;
// don't-know answers counted as 0 (a method change); and the online groups' codes changed.
func earlierDefinition(def *campaign.Definition) (*campaign.Definition, string, [2]string) {
	e := *def
	e.Code, e.Year = strings.Replace(def.Code, fmt.Sprint(def.Year), fmt.Sprint(def.Year-1), 1), def.Year-1
	if e.Code == def.Code {
		e.Code += "-truoc"
	}
	e.Name = "Năm trước: " + def.Name
	e.Opens = campaign.Date{Time: def.Opens.AddDate(-1, 0, 0)}
	e.Closes = campaign.Date{Time: def.Closes.AddDate(-1, 0, 0)}
	e.Scoring.DontKnow = campaign.MissingZero
	// Form codes are unique across campaigns (group, unit, serial) and serials start at 1 in
	// each: the groups answering online take other codes the year before, as they would in a
	// database that held both years' forms.
	e.Groups = slices.Clone(def.Groups)
	for i := range e.Groups {
		if e.Groups[i].Has(campaign.ChannelOnline) {
			e.Groups[i].Code += "T"
		}
	}

	count := map[string]int{}
	for _, u := range def.Units {
		count[u.Kind]++
	}
	kind := def.Kinds[0].Code
	for _, k := range def.Kinds {
		if count[k.Code] > count[kind] {
			kind = k.Code
		}
	}
	merged := def.UnitsOfKind(kind)[0]
	split := [2]string{merged.Code + "A", merged.Code + "B"}
	e.Units = nil
	for _, u := range def.Units {
		if u.Code == merged.Code {
			e.Units = append(e.Units, campaign.Unit{Code: split[0], Kind: kind, Name: merged.Name + " (cũ, phần A)"},
				campaign.Unit{Code: split[1], Kind: kind, Name: merged.Name + " (cũ, phần B)"})
			continue
		}
		e.Units = append(e.Units, u)
	}

	// A deep copy of the kind's tree, so that the demo's own stays as it is.
	moved := func(areas []campaign.Area) []campaign.Area {
		out := slices.Clone(areas)
		for i := range out {
			out[i].Criteria = slices.Clone(out[i].Criteria)
			for j := range out[i].Criteria {
				out[i].Criteria[j].Subs = slices.Clone(out[i].Criteria[j].Subs)
			}
		}
		for i := range out {
			for j := range out[i].Criteria {
				if s := out[i].Criteria[j].Subs; len(s) >= 2 && s[1].Points > campaign.DecimalScale/4 {
					step := campaign.Decimal(campaign.DecimalScale / 4)
					s[0].Points += step
					s[1].Points -= step
					return out
				}
			}
		}
		return out
	}
	e.Kinds = slices.Clone(def.Kinds)
	for i := range e.Kinds {
		if e.Kinds[i].Code == kind && len(e.Kinds[i].Areas) > 0 {
			e.Kinds[i].Areas = moved(e.Kinds[i].Areas)
		}
	}
	if k := def.Kind(kind); k == nil || len(k.Areas) == 0 {
		e.Areas = moved(def.Areas)
	}
	return &e, merged.Code, split
}

// answerOnline issues one online form per group and unit (one matrix form per matrix group) and
// submits each with an option that depends on the unit and on shift, so that the two years
// differ; it returns how many it submitted.
func (e *testEnv) answerOnline(cp *store.Campaign, shift int) int {
	e.t.Helper()
	ctx := context.Background()
	def := cp.Def
	e.db.SetClock(func() time.Time { return def.Opens.Add(10 * 24 * time.Hour).Add(9 * time.Hour) })
	var plan []campaign.IssueTarget
	for _, g := range def.Groups {
		if g.Imported() || !g.Has(campaign.ChannelOnline) {
			continue
		}
		if def.Questionnaire(g.Form).Shape == campaign.ShapeMatrix {
			plan = append(plan, campaign.IssueTarget{Group: g.Code, Channel: campaign.ChannelOnline, Quota: 1})
			continue
		}
		for _, u := range def.UnitsOfKind(g.Evaluates) {
			if g.QuotaFor(u.Code) > 0 {
				plan = append(plan, campaign.IssueTarget{Group: g.Code, Unit: u.Code, Channel: campaign.ChannelOnline, Quota: 1})
			}
		}
	}
	if _, err := e.db.Issue(ctx, cp.ID, 0, plan); err != nil {
		e.t.Fatal(err)
	}
	var forms []*store.IssuedForm
	e.db.Forms(ctx, cp.ID, store.FormFilter{}, func(f *store.IssuedForm) error {
		forms = append(forms, f)
		return nil
	})
	index := map[string]int{}
	for i, u := range def.Units {
		index[u.Code] = i
	}
	c := e.client()
	for _, f := range forms {
		g := def.Group(f.Group)
		q := def.Questionnaire(g.Form)
		pick := 1 + (index[f.Unit]+shift)%4
		resp, body := c.post("/p/"+f.Token, answers(q, def.UnitsOfKind(g.Evaluates), pick, fmt.Sprintf("%s-%d", cp.Code, f.ID)))
		if resp.StatusCode != http.StatusOK {
			e.t.Fatalf("submit %s: %d\n%s", f.Code, resp.StatusCode, body)
		}
	}
	return len(forms)
}

func newYearOnYear(t *testing.T) *yearOnYear {
	t.Helper()
	e := newEnv(t)
	def, merged, split := earlierDefinition(e.camp.Def)
	earlier, _, err := e.db.SaveDefinition(context.Background(), def, 0)
	if err != nil {
		t.Fatal(err)
	}
	y := &yearOnYear{testEnv: e, earlier: earlier, merged: merged, split: split}
	if y.answerOnline(earlier, 1) == 0 || y.answerOnline(e.camp, 0) == 0 {
		t.Fatal("no form answered")
	}
	y.admin = e.client()
	y.admin.login("admin")
	for _, cp := range []*store.Campaign{earlier, e.camp} {
		y.admin.get(fmt.Sprintf("/campaigns/%d/results", cp.ID))
		if resp, body := y.admin.post(fmt.Sprintf("/campaigns/%d/results/runs", cp.ID), nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("score run of %s: %d\n%s", cp.Code, resp.StatusCode, body)
		}
	}
	return y
}

func (y *yearOnYear) url(suffix string) string {
	return fmt.Sprintf("/campaigns/%d/results/compare%s", y.camp.ID, suffix)
}

// mappingCSV is a mapping sheet: the merged unit from its two old units, 3 to 1, then rows.
func (y *yearOnYear) mappingCSV(rows ...string) []byte {
	lines := append([]string{"Mã đơn vị mới;Mã đơn vị cũ;Trọng số;Không so sánh",
		y.merged + ";" + y.split[0] + ";3;", y.merged + ";" + y.split[1] + ";1;"}, rows...)
	return []byte(strings.Join(lines, "\n") + "\n")
}

func TestYearOnYearThroughTheApp(t *testing.T) {
	t.Parallel()
	y := newYearOnYear(t)
	admin := y.admin
	earlierID := fmt.Sprint(y.earlier.ID)
	label := fmt.Sprint(y.earlier.Year)

	t.Run("the results page links to the comparison, which says it has no link yet", func(t *testing.T) {
		mustContain(t, admin.page(fmt.Sprintf("/campaigns/%d/results", y.camp.ID)), y.url(""))
		mustContain(t, admin.page(y.url("")), "chưa được liên kết", y.earlier.Name, "Tải mẫu (.xlsx)")
	})

	t.Run("a mapping sheet with a wrong old code is refused on its row, nothing stored, the choice kept", func(t *testing.T) {
		admin.get(y.url(""))
		resp, body := admin.uploadForm(y.url(""), map[string]string{"earlier": earlierID}, "ghep.csv", y.mappingCSV("ZZZ;H09;1;", y.camp.Def.Units[1].Code+";H09;1;"))
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Dòng 4: mã đơn vị mới &#39;ZZZ&#39; không có trong đợt này",
			fmt.Sprintf("Dòng 5: mã đơn vị cũ &#39;H09&#39; không có trong đợt %s.", label),
			"Tệp “ghep.csv” chưa được nhập", fmt.Sprintf(`<option value="%s" selected>`, earlierID))
		if _, err := y.db.ComparisonLink(context.Background(), y.camp.ID); err != store.ErrNotFound {
			t.Fatalf("a refused sheet stored a link: %v", err)
		}
	})

	t.Run("a campaign of a later year, or a campaign without a run, cannot stand for the year before", func(t *testing.T) {
		from := fmt.Sprintf("/campaigns/%d/results/compare", y.earlier.ID)
		admin.get(from)
		resp, body := admin.uploadForm(from, map[string]string{"earlier": fmt.Sprint(y.camp.ID)}, "", nil)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, fmt.Sprintf("Đợt %s là năm %d, sau năm %d của đợt này", y.camp.Code, y.camp.Year, y.earlier.Year))
		older := *y.earlier.Def
		older.Code, older.Year = y.earlier.Code+"-cu", y.earlier.Year-1
		oc, _, err := y.db.SaveDefinition(context.Background(), &older, 0)
		if err != nil {
			t.Fatal(err)
		}
		admin.get(from)
		if resp, _ := admin.uploadForm(from, map[string]string{"earlier": fmt.Sprint(oc.ID)}, "", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, admin.page(from), fmt.Sprintf("Đợt năm trước (%s) chưa có lần tính điểm nào", oc.Code))
		if resp, _ := admin.get(from + "/export.xlsx"); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("export without the earlier run: %d", resp.StatusCode)
		}
	})

	t.Run("the template downloads with the units matched by code filled in", func(t *testing.T) {
		resp, body := admin.get(y.url("/template.xlsx?earlier=" + earlierID))
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("status %d %v", resp.StatusCode, resp.Header)
		}
		x, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, _ := x.GetRows(x.GetSheetList()[0])
		if len(rows) != 1+len(y.camp.Def.Units) || rows[0][0] != compare.ColumnNew {
			t.Fatalf("%d rows, head %q", len(rows), rows[0])
		}
		for _, r := range rows[1:] {
			filled := len(r) > 2 && r[2] != ""
			if (r[0] == y.merged) == filled {
				t.Errorf("template row %q", r)
			}
		}
	})

	t.Run("readers of the results read the comparison; only the administrator changes the link", func(t *testing.T) {
		for _, s := range testenv.Staff {
			if s.Role != store.RoleViewer && s.Role != store.RoleAnalyst {
				continue
			}
			v := y.client()
			v.login(s.Username)
			mustContain(t, v.page(y.url("")), "So sánh với năm trước")
			if strings.Contains(v.page(y.url("")), "Lưu liên kết") {
				t.Errorf("%s sees the link form", s.Username)
			}
			if resp, _ := v.uploadForm(y.url(""), map[string]string{"earlier": earlierID}, "ghep.csv", y.mappingCSV()); resp.StatusCode != http.StatusForbidden {
				t.Fatalf("%s linked: %d", s.Username, resp.StatusCode)
			}
		}
	})

	t.Run("a good sheet links the campaigns and the page shows the change per unit and area", func(t *testing.T) {
		admin.get(y.url(""))
		resp, body := admin.uploadForm(y.url(""), map[string]string{"earlier": earlierID}, "ghep.csv", y.mappingCSV())
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		page := admin.page(y.url(""))
		mustContain(t, page, "2 dòng ghép đơn vị từ tệp ghep.csv", "Phương pháp tính điểm khác giữa hai năm",
			"Câu trả lời “không biết”: năm "+label+" tính là 0 điểm", "Cây tiêu chí", "điểm tối đa",
			y.split[0]+": 75,00%; "+y.split[1]+": 25,00%", "Bình quân theo lĩnh vực", "Thay đổi theo đơn vị và lĩnh vực", "ghép từ "+y.split[0], "điểm %")
	})

	now, err := scorerun.Load(context.Background(), y.db, y.camp.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	before, err := scorerun.Load(context.Background(), y.db, y.earlier.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	byCode := y.camp.Def.Units[len(y.camp.Def.Units)-1].Code // a unit matched by code

	t.Run("the JSON holds each change exactly as the two runs give it", func(t *testing.T) {
		resp, body := admin.get(y.url("/export.json"))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		var feed compare.Feed
		if err := json.Unmarshal([]byte(body), &feed); err != nil {
			t.Fatal(err)
		}
		if feed.Now.RunID != now.ID || feed.Before.RunID != before.ID || len(feed.Units) != len(y.camp.Def.Units) {
			t.Fatalf("feed runs %d/%d, %d units", feed.Now.RunID, feed.Before.RunID, len(feed.Units))
		}
		for _, u := range feed.Units {
			switch u.Code {
			case byCode:
				want := new(big.Rat).Sub(now.Result.Unit(byCode).Total, before.Result.Unit(byCode).Total)
				if u.Match != compare.MatchCode || u.Change.Exact != want.RatString() {
					t.Errorf("%s: %s change %s, want %s", u.Code, u.Match, u.Change.Exact, want.RatString())
				}
			case y.merged:
				a, b := before.Result.Unit(y.split[0]).Total, before.Result.Unit(y.split[1]).Total
				want := new(big.Rat).Add(new(big.Rat).Mul(big.NewRat(3, 4), a), new(big.Rat).Mul(big.NewRat(1, 4), b))
				if u.Match != compare.MatchSheet || u.Before.Points.Exact != want.RatString() {
					t.Errorf("%s: %s before %s, want %s", u.Code, u.Match, u.Before.Points.Exact, want.RatString())
				}
			}
		}
		if len(feed.Method) == 0 || len(feed.Trees) == 0 {
			t.Errorf("feed method %v trees %+v", feed.Method, feed.Trees)
		}
		resp, api := admin.get(fmt.Sprintf("/api/v1/campaigns/%d/comparison", y.camp.ID))
		if resp.StatusCode != http.StatusOK || api != body {
			t.Errorf("the API answers %d and differs from the download", resp.StatusCode)
		}
	})

	t.Run("the workbook reads back with the same figures", func(t *testing.T) {
		resp, body := admin.get(y.url("/export.xlsx"))
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != xlsxType {
			t.Fatalf("status %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, _ := x.GetRows(compare.SheetUnits)
		if len(rows) != 1+len(y.camp.Def.Units) {
			t.Fatalf("%d rows", len(rows))
		}
		change := slices.Index(compare.UnitHeader, "Thay đổi (điểm)")
		found := false
		for _, r := range rows[1:] {
			if r[1] != byCode {
				continue
			}
			found = true
			want := new(big.Rat).Sub(now.Result.Unit(byCode).Total, before.Result.Unit(byCode).Total)
			if r[change] != want.FloatString(2) {
				t.Errorf("workbook change %q, runs give %s", r[change], want.FloatString(3))
			}
		}
		if !found {
			t.Fatalf("no row for %s", byCode)
		}
		notes, _ := x.GetRows(compare.SheetNotes)
		if len(notes) < 5 {
			t.Fatalf("notes %q", notes)
		}
		if n := y.count(`SELECT count(*) FROM audit_log WHERE action = 'download.results' AND campaign_id = ? AND detail LIKE '%compare%'`, y.camp.ID); n < 2 {
			t.Errorf("%d comparison downloads audited, want the JSON and the workbook", n)
		}
	})

	t.Run("relinking without a file keeps the sheet; ticking by code drops it", func(t *testing.T) {
		admin.get(y.url(""))
		if resp, _ := admin.uploadForm(y.url(""), map[string]string{"earlier": earlierID}, "", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if l, _ := y.db.ComparisonLink(context.Background(), y.camp.ID); l == nil || l.Source != "ghep.csv" || len(l.Mappings) != 2 {
			t.Fatalf("link after relinking %+v", l)
		}
		admin.get(y.url(""))
		admin.uploadForm(y.url(""), map[string]string{"earlier": earlierID, "by_code": "1"}, "", nil)
		mustContain(t, admin.page(y.url("")), "Đơn vị được ghép theo mã.", "không có đơn vị tương ứng năm trước")
	})

	t.Run("unlinking removes the comparison and is audited", func(t *testing.T) {
		admin.get(y.url(""))
		if resp, _ := admin.post(y.url("/unlink"), url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, admin.page(y.url("")), "chưa được liên kết")
		if resp, _ := admin.get(y.url("/export.xlsx")); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("export without a link: %d", resp.StatusCode)
		}
		if n := y.count(`SELECT count(*) FROM audit_log WHERE action IN ('comparison.link', 'comparison.unlink') AND campaign_id = ?`, y.camp.ID); n != 4 {
			t.Fatalf("%d audit entries", n)
		}
		mustContain(t, admin.page(fmt.Sprintf("/campaigns/%d/audit", y.camp.ID)),
			"Liên kết với đợt "+y.earlier.Code+" để so sánh với năm trước; 2 dòng ghép đơn vị từ tệp ghep.csv",
			"Bỏ liên kết so sánh với đợt "+y.earlier.Code)
	})
}
