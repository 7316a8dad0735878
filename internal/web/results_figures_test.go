package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// Figures that agree (issue 14): the dashboard and the results count forms each their own way
// and say so, totals never hide a shortfall, percentages round half up, a group without a
// quota for a unit is not "thiếu phiếu", and staff pages show no raw fractions.

// run computes a score run through the results page, as staff do.
func (e *testEnv) run(admin *client) {
	e.t.Helper()
	admin.get(fmt.Sprintf("/campaigns/%d/results", e.camp.ID))
	if resp, body := admin.post(fmt.Sprintf("/campaigns/%d/results/runs", e.camp.ID), nil); resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("score run: status %d\n%s", resp.StatusCode, body)
	}
}

// page gets a staff page and fails the test on any status but 200.
func (c *client) page(path string) string {
	c.e.t.Helper()
	resp, body := c.get(path)
	if resp.StatusCode != http.StatusOK {
		c.e.t.Fatalf("GET %s: status %d\n%s", path, resp.StatusCode, body)
	}
	return body
}

var (
	resultsValidRe = regexp.MustCompile(`phiếu được tính điểm: <strong>[\d.]+</strong> \(thu về [\d.]+, hợp lệ ([\d.]+),`)
	dashUnitValid  = regexp.MustCompile(`<dt>Hợp lệ theo đơn vị</dt><dd>([\d.]+) `)
)

func TestDashboardAndResultsSayWhichCountIsWhich(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.answerSome() // two S3 forms for each of the 12 agencies, one H1 matrix form about 8 districts
	admin := e.client()
	admin.login("admin")
	e.run(admin)
	results := admin.page(fmt.Sprintf("/campaigns/%d/results", e.camp.ID))
	dash := admin.page(fmt.Sprintf("/campaigns/%d/dashboard", e.camp.ID))

	m := resultsValidRe.FindStringSubmatch(results)
	if m == nil {
		t.Fatal("the results page states no valid count")
	}
	t.Run("the results count the matrix form once for each unit, and say so", func(t *testing.T) {
		if m[1] != "32" {
			t.Errorf("results count %s valid forms, want 24 + 8", m[1])
		}
		mustContain(t, results, "Số phiếu đếm theo đơn vị được đánh giá", "mỗi phiếu ma trận tính một lần cho mỗi đơn vị mà nó đánh giá",
			"Trang Tiến độ thu phiếu đếm mỗi phiếu một lần")
	})
	t.Run("the dashboard counts forms, gives the per-unit count the results show, and says which is which", func(t *testing.T) {
		total := row(t, dash, "Tổng cộng các nhóm phát phiếu")
		if total[5] != "25" {
			t.Errorf("dashboard counts %s valid forms, want 24 + 1", total[5])
		}
		d := dashUnitValid.FindStringSubmatch(dash)
		if d == nil || d[1] != m[1] {
			t.Fatalf("dashboard's per-unit count %v, results %s", d, m[1])
		}
		mustContain(t, dash, "mỗi phiếu ma trận tính một lần cho mỗi đơn vị", "Trang Kết quả đếm phiếu theo đơn vị được đánh giá",
			"nên ở đó có 32 phiếu hợp lệ thay vì 25")
	})
}

// shortfallEnv posts valid online forms so that one unit is over its quota and others under it:
// 12 S3 forms about Sở Nội vụ (quota 10), 5 about Sở Tư pháp (quota 10), 3 S5 forms about
// Thanh tra tỉnh (quota 8).
func shortfallEnv(t *testing.T) (*testEnv, string) {
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	ctx := context.Background()
	e.issueAll()
	extra, err := e.camp.Def.IssuePlan("S3", "SNV", 50) // 10 + 5 in reserve
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Issue(ctx, e.camp.ID, 0, extra); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	post := func(group, unit string, n int) {
		var forms []*store.IssuedForm
		e.db.Forms(ctx, e.camp.ID, store.FormFilter{Group: group, Unit: unit}, func(f *store.IssuedForm) error {
			forms = append(forms, f)
			return nil
		})
		if len(forms) < n {
			t.Fatalf("%d forms of %s/%s, need %d", len(forms), group, unit, n)
		}
		q := e.camp.Def.Questionnaire(e.camp.Def.Group(group).Form)
		for i, f := range forms[:n] {
			if resp, body := c.post("/p/"+f.Token, answers(q, nil, 1+i%3, "short-"+f.Code)); resp.StatusCode != http.StatusOK {
				t.Fatalf("submit %s: %d\n%s", f.Code, resp.StatusCode, body)
			}
		}
	}
	post("S3", "SNV", 12)
	post("S3", "STP", 5)
	post("S5", "TTT", 3)
	admin := e.client()
	admin.login("admin")
	return e, admin.page(fmt.Sprintf("/campaigns/%d/dashboard", e.camp.ID))
}

func TestDashboardTotalsNeverHideAShortfall(t *testing.T) {
	t.Parallel()
	e, body := shortfallEnv(t)
	quota, _ := demoQuota(e.camp.Def)
	// Each group × unit short of its quota adds what it lacks; Sở Nội vụ's two extra forms fill
	// nothing elsewhere. Valid forms that count: 10 + 5 + 3.
	short := quota - 18
	t.Run("a group's total adds the shortfall of each unit, not its forms against its quota", func(t *testing.T) {
		s3 := row(t, section(t, body, "S3"), "Tổng nhóm")
		if figures(s3) != "120 125 17 17 0" || !strings.Contains(s3[1], "thiếu 105") {
			t.Errorf("S3 total reads %q", s3)
		}
	})
	t.Run("a unit over its quota is full and says so", func(t *testing.T) {
		if cells := row(t, section(t, body, "S3"), "Sở Nội vụ"); !strings.Contains(cells[1], "120% đủ") {
			t.Errorf("Sở Nội vụ reads %q", cells[1])
		}
	})
	t.Run("the overall total and the key figures say every form still missing", func(t *testing.T) {
		want := "thiếu " + vn.Int(int64(short))
		if total := row(t, body, "Tổng cộng các nhóm phát phiếu"); !strings.Contains(total[1], want) {
			t.Errorf("overall total reads %q, want %q", total[1], want)
		}
		kpis := text(body[strings.Index(body, `<dl class="dash-kpis">`):strings.Index(body, "</dl>")])
		if !strings.Contains(kpis, "chỉ tiêu, "+want) {
			t.Errorf("key figures read %q, want %q", kpis, want)
		}
	})
}

func TestDashboardPercentagesRoundHalfUp(t *testing.T) {
	t.Parallel()
	_, body := shortfallEnv(t)
	for _, c := range []struct{ name, group, row, want string }{
		{"3 of 8 forms (37.5%) show 38%", "S5", "Thanh tra tỉnh", "38% thiếu 5"},
		{"a group with 15 of 120 forms that count (12.5%) shows 13%", "S3", "Tổng nhóm", "13% thiếu 105"},
		{"exactly half shows 50%", "S3", "Sở Tư pháp", "50% thiếu 5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cells := row(t, section(t, body, c.group), c.row)
			if !strings.Contains(cells[1], c.want) {
				t.Errorf("%s reads %q, want %q", c.row, cells[1], c.want)
			}
		})
	}
}

var fewFormsRowRe = regexp.MustCompile(`(?s)<tr><th scope="row"><a href="[^"]*">([^<]+)</a></th><td>([A-Z0-9]+) · `)

func TestResultsLeaveOutAGroupWithoutAQuotaForAUnit(t *testing.T) {
	t.Parallel()
	// The demo gives S5 a quota of 0 for Ban Quản lý các khu công nghiệp tỉnh (BQLKCN):
	// "nhóm không đánh giá đơn vị này" (forms/README.md). Nobody answered S5, so S5 is short
	// of forms for every other agency.
	e := newEnv(t)
	e.answerSome()
	admin := e.client()
	admin.login("admin")
	e.run(admin)
	base := fmt.Sprintf("/campaigns/%d/results", e.camp.ID)
	bql := e.camp.Def.Unit("BQLKCN").Name
	snv := e.camp.Def.Unit("SNV").Name

	t.Run("the list of groups short of forms leaves it out for that unit only", func(t *testing.T) {
		body := admin.page(base)
		section := body[strings.Index(body, `id="thieu-phieu"`):]
		short := map[string]bool{}
		for _, m := range fewFormsRowRe.FindAllStringSubmatch(section, -1) {
			short[m[2]+" "+m[1]] = true
		}
		if short["S5 "+bql] {
			t.Errorf("S5 is listed short of forms for %s", bql)
		}
		if !short["S5 "+snv] || !short["S2 "+bql] {
			t.Errorf("short of forms: %v", short)
		}
	})
	t.Run("the ranking counts one group fewer short of forms for that unit", func(t *testing.T) {
		body := admin.page(base)
		// S1 and S2 have no forms; S5 also lacks forms for Sở Nội vụ, not for the Ban.
		if cells := rankRowOf(t, body, "BQLKCN"); !strings.Contains(cells[7], "2 nhóm thiếu phiếu") {
			t.Errorf("%s notes %q", bql, cells[7])
		}
		if cells := rankRowOf(t, body, "SNV"); !strings.Contains(cells[7], "3 nhóm thiếu phiếu") {
			t.Errorf("%s notes %q", snv, cells[7])
		}
	})
	t.Run("the unit's page says the group does not evaluate it, without a warning", func(t *testing.T) {
		body := admin.page(base + "/units/BQLKCN")
		cells := row(t, body, "S5 · "+e.camp.Def.Group("S5").Name)
		if got := cells[len(cells)-1]; got != "không, vì nhóm không đánh giá đơn vị này (chỉ tiêu 0 phiếu)" {
			t.Errorf("S5 counted: %q", got)
		}
		if strings.Contains(body, "Nhóm S5 (") {
			t.Error("the Ban's page warns about S5")
		}
	})
	t.Run("the workbook lists no warning for it and says why it is not counted", func(t *testing.T) {
		resp, body := admin.get(base + "/export.xlsx")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		x, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		flags, _ := x.GetRows(export.SheetFlags)
		warned := map[string]bool{}
		for _, r := range flags[1:] {
			if len(r) > 3 && r[2] == "thiếu phiếu" {
				warned[r[3]+" "+r[0]] = true
			}
		}
		if warned["S5 BQLKCN"] || !warned["S5 SNV"] || !warned["S2 BQLKCN"] {
			t.Errorf("warnings: %v", warned)
		}
		groups, _ := x.GetRows(export.SheetGroups)
		seen := false
		for _, r := range groups[1:] {
			if len(r) > 11 && r[0] == "BQLKCN" && r[2] == "S5" {
				seen = true
				if r[7] != "Không" || r[11] != "Không tính vào điểm vì nhóm không đánh giá đơn vị này (chỉ tiêu 0 phiếu)" {
					t.Fatalf("S5 on the Ban: %q", r)
				}
			}
		}
		if !seen {
			t.Error("no S5 line for the Ban in the groups sheet")
		}
	})
}

// rankRowOf returns the cells (as text) of the ranking row of the unit with the code.
func rankRowOf(t *testing.T, body, code string) []string {
	t.Helper()
	for _, m := range rowRe.FindAllStringSubmatch(body, -1) {
		if !strings.Contains(m[1], "<small>("+code+")</small>") {
			continue
		}
		var out []string
		for _, c := range cellRe.FindAllStringSubmatch(m[1], -1) {
			out = append(out, text(c[1]))
		}
		return out
	}
	t.Fatalf("no ranking row for %s", code)
	return nil
}

// exactFractions lists every exact figure of the feed that is a fraction, as the JSON has it.
func exactFractions(feed *export.Feed) []string {
	var out []string
	var walk func([]export.FeedNode)
	walk = func(ns []export.FeedNode) {
		for _, n := range ns {
			if strings.Contains(n.Points.Exact, "/") {
				out = append(out, n.Points.Exact)
			}
			walk(n.Children)
		}
	}
	for _, u := range feed.Units {
		if strings.Contains(u.Total.Exact, "/") {
			out = append(out, u.Total.Exact)
		}
		walk(u.Areas)
	}
	return out
}

func TestResultPagesShowNoRawFractions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.answerSome()
	admin := e.client()
	admin.login("admin")
	e.run(admin)
	base := fmt.Sprintf("/campaigns/%d/results", e.camp.ID)
	resp, body := admin.get(base + "/export.json")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("JSON: status %d", resp.StatusCode)
	}
	var feed export.Feed
	if err := json.Unmarshal([]byte(body), &feed); err != nil {
		t.Fatal(err)
	}
	exact := exactFractions(&feed)
	if len(exact) == 0 {
		t.Fatal("the feed has no fraction to look for")
	}
	t.Run("the JSON feed keeps the exact values", func(t *testing.T) {
		if !strings.Contains(body, `"exact": "`+exact[0]+`"`) {
			t.Errorf("feed lacks %s", exact[0])
		}
	})
	// Every fraction-shaped run of the page is looked up in the set of exact values: one scan
	// of a page, not one per value.
	isExact := map[string]bool{}
	for _, x := range exact {
		isExact[x] = true
	}
	// Runs of numbers joined by slashes; a date (31/12/2026) has two slashes and is no fraction.
	fractionLike := regexp.MustCompile(`\d+(?:/\d+)+`)
	pages := []string{base, base + "/imports"}
	for _, u := range feed.Units {
		pages = append(pages, base+"/units/"+u.Code)
	}
	for _, path := range pages {
		t.Run("no raw fraction on "+path, func(t *testing.T) {
			page := admin.page(path)
			if strings.Contains(strings.ToLower(page), "giá trị chính xác:") {
				t.Error("the page prints an exact value")
			}
			for _, m := range fractionLike.FindAllString(page, -1) {
				if strings.Count(m, "/") == 1 && isExact[m] {
					t.Fatalf("the page shows the fraction %s", m)
				}
			}
		})
	}
}
