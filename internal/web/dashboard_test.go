package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"math/big"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// Days of the demo campaign on which the dashboard tests post responses.
var (
	dashDay1 = time.Date(2026, 11, 3, 8, 30, 0, 0, campaign.Zone)
	dashDay2 = time.Date(2026, 11, 10, 23, 45, 0, 0, campaign.Zone) // 16:45 UTC: still the 10th in Hà Nội
	dashDay3 = inWindow                                             // 15/11/2026 09:00
)

// dashboardEnv is the demo campaign after a few days of collection: real online submissions
// (valid ones on two days, one refused as incomplete) and an invalid form stored the way paper
// keying stores it.
type dashboardEnv struct {
	*testEnv
	forms map[string][]*store.IssuedForm
}

func newDashboardEnv(t *testing.T) *dashboardEnv {
	t.Helper()
	e := &dashboardEnv{testEnv: newEnv(t)}
	e.db.SetClock(func() time.Time { return dashDay1 })
	e.forms = e.issueAll()
	def := e.camp.Def
	respondent := e.client()
	respondent.ip = "198.51.100.7"
	post := func(f *store.IssuedForm, v map[string][]string) (int, string) {
		resp, body := respondent.post("/p/"+f.Token, v)
		return resp.StatusCode, body
	}
	s3 := e.unitForms("S3", "SNV")
	ch3 := def.Questionnaire("CH3")
	for i, day := range []time.Time{dashDay1, dashDay1, dashDay2} {
		e.db.SetClock(func() time.Time { return day })
		if code, body := post(s3[i], answers(ch3, nil, 1+i%2, fmt.Sprintf("dash-s3-%d", i))); code != http.StatusOK {
			t.Fatalf("S3 submission %d: status %d\n%s", i, code, body)
		}
	}
	e.db.SetClock(func() time.Time { return dashDay2 })
	ch1 := def.Questionnaire("CH1")
	if code, body := post(e.forms["S1"][0], answers(ch1, def.UnitsOfKind("so"), 2, "dash-s1-0")); code != http.StatusOK {
		t.Fatalf("matrix submission: status %d\n%s", code, body)
	}
	e.db.SetClock(func() time.Time { return dashDay3 })
	// A form with too few answers cannot be posted online: it comes back with 422, unstored.
	partial := answers(ch3, nil, 1, "dash-s3-partial")
	for _, q := range ch3.Questions()[:len(ch3.Questions())/2+1] {
		partial.Del("q_" + q.Code)
	}
	if code, _ := post(s3[3], partial); code != http.StatusUnprocessableEntity {
		t.Fatalf("incomplete online form: status %d, want 422", code)
	}
	// The same kind of form keyed from paper is stored invalid with its reason.
	stp := e.unitForms("S3", "STP")[0]
	ids, err := e.db.UnitIDs(context.Background(), e.camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.SaveSubmission(context.Background(), &store.Submission{
		FormID: stp.ID, CampaignID: e.camp.ID, Channel: "paper", Digest: "dash-paper-1", Respondent: "{}",
		Answers: []store.UnitAnswers{{UnitID: ids["STP"], Answers: "1100000000", Valid: false}}, ReceivedAt: dashDay3, Valid: false,
		Reasons: `[{"Code":"too_few_answers","Unit":"STP","Message":"Sở Tư pháp: mới trả lời 2/10 câu hỏi tính điểm"}]`,
	}); err != nil {
		t.Fatal(err)
	}
	return e
}

// unitForms lists a group's issued forms about one unit.
func (e *dashboardEnv) unitForms(group, unit string) []*store.IssuedForm {
	var out []*store.IssuedForm
	for _, f := range e.forms[group] {
		if f.Unit == unit {
			out = append(out, f)
		}
	}
	return out
}

var (
	tagRe   = regexp.MustCompile(`<[^>]+>`)
	spaceRe = regexp.MustCompile(`\s+`)
	rowRe   = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cellRe  = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
)

// text is what a reader sees of a piece of markup: tags dropped (SVG titles included, as a
// screen reader hears them), entities decoded, spaces folded.
func text(s string) string {
	return strings.TrimSpace(spaceRe.ReplaceAllString(html.UnescapeString(tagRe.ReplaceAllString(s, " ")), " "))
}

// section is the markup of one group's section of the dashboard.
func section(t *testing.T, body, group string) string {
	t.Helper()
	start := strings.Index(body, `<section class="dash-group" id="nhom-`+group+`"`)
	if start < 0 {
		t.Fatalf("no section for group %s", group)
	}
	end := strings.Index(body[start:], "</section>")
	return body[start : start+end]
}

// row returns the cells (as text) of the table row whose header reads name.
func row(t *testing.T, markup, name string) []string {
	t.Helper()
	for _, m := range rowRe.FindAllStringSubmatch(markup, -1) {
		cells := cellRe.FindAllStringSubmatch(m[1], -1)
		if len(cells) > 0 && text(cells[0][1]) == name {
			out := make([]string, len(cells))
			for i, c := range cells {
				out[i] = text(c[1])
			}
			return out
		}
	}
	t.Fatalf("no row %q", name)
	return nil
}

// figures is a row's cells after its header and rate: quota, issued, received, valid, invalid.
func figures(cells []string) string { return strings.Join(cells[2:7], " ") }

// svgs returns every inline SVG element of the page.
func svgs(body string) []string {
	return regexp.MustCompile(`(?s)<svg .*?</svg>`).FindAllString(body, -1)
}

// demoQuota is the demo campaign's quota in forms, counted straight from the definition.
func demoQuota(def *campaign.Definition) (total int, byGroup map[string]int) {
	byGroup = map[string]int{}
	for _, g := range def.Groups {
		if g.Imported() {
			continue
		}
		if def.Questionnaire(g.Form).Shape == campaign.ShapeMatrix {
			byGroup[g.Code] = g.Quota
		} else {
			for _, u := range def.UnitsOfKind(g.Evaluates) {
				byGroup[g.Code] += g.QuotaFor(u.Code)
			}
		}
		total += byGroup[g.Code]
	}
	return total, byGroup
}

func TestDashboard(t *testing.T) {
	t.Parallel()
	e := newDashboardEnv(t)
	ctx := context.Background()
	admin := e.client()
	admin.login("admin")
	path := fmt.Sprintf("/campaigns/%d/dashboard", e.camp.ID)
	resp, body := admin.get(path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", resp.StatusCode, body)
	}
	p, err := e.db.Progress(ctx, e.camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	quota, groupQuota := demoQuota(e.camp.Def)
	var issued int
	if err := e.db.ReadRow(ctx, `SELECT count(*) FROM issued_forms WHERE voided_at IS NULL`, nil, &issued); err != nil {
		t.Fatal(err)
	}

	t.Run("the store counts what was posted: three valid single forms, one matrix form, one invalid paper form", func(t *testing.T) {
		cells := map[string]store.ProgressCell{}
		for _, c := range p.Cells {
			cells[c.Group+"/"+c.Unit] = c
		}
		for key, want := range map[string]string{
			"S3/SNV": "10 3 3 0", "S3/STP": "10 1 0 1", "S1/": "15 1 1 0", "S1/SNV": "0 1 1 0", "S1/BQLKCN": "0 1 1 0",
		} {
			c := cells[key]
			if got := fmt.Sprintf("%d %d %d %d", c.Issued, c.Received, c.Valid, c.Invalid); got != want {
				t.Errorf("%s: issued received valid invalid = %s, want %s", key, got, want)
			}
		}
		if fmt.Sprint(p.Reasons) != "[{too_few_answers 1}]" {
			t.Errorf("reasons %v", p.Reasons)
		}
	})
	t.Run("a single-unit group shows each unit's quota, issued, received, valid and invalid forms with its rate", func(t *testing.T) {
		s3 := section(t, body, "S3")
		if got := figures(row(t, s3, "Sở Nội vụ")); got != "10 10 3 3 0" {
			t.Errorf("Sở Nội vụ: %s", got)
		}
		cells := row(t, s3, "Sở Nội vụ")
		if rate := cells[1]; !strings.Contains(rate, "30% thiếu 7") || !strings.Contains(rate, "Hợp lệ 3/10 phiếu chỉ tiêu (30%)") {
			t.Errorf("rate cell reads %q", rate)
		}
		if got := figures(row(t, s3, "Sở Tư pháp")); got != "10 10 1 0 1" {
			t.Errorf("Sở Tư pháp: %s", got)
		}
		total := row(t, s3, "Tổng nhóm")
		if got, want := figures(total), fmt.Sprintf("%s %s 4 3 1", vn.Int(int64(groupQuota["S3"])), vn.Int(int64(groupQuota["S3"]))); got != want {
			t.Errorf("group total %s, want %s", got, want)
		}
	})
	t.Run("rates are told in words and by colour class, not by colour alone", func(t *testing.T) {
		s3 := section(t, body, "S3")
		if !strings.Contains(s3, `class="dash-rate dash-lvl-low"`) || !strings.Contains(s3, "thiếu 10") {
			t.Error("an empty unit is not marked low with its shortfall in words")
		}
		s5 := section(t, body, "S5")
		if cells := row(t, s5, "Ban Quản lý các khu công nghiệp tỉnh"); !strings.Contains(cells[1], "— không áp dụng") {
			t.Errorf("a unit with quota 0 reads %q", cells[1])
		}
	})
	t.Run("a matrix group counts each unit from the answers and its total in respondents", func(t *testing.T) {
		s1 := section(t, body, "S1")
		mustContain(t, s1, "dạng ma trận: mỗi phiếu đánh giá cả 12 đơn vị")
		for _, u := range e.camp.Def.UnitsOfKind("so") {
			if got := figures(row(t, s1, u.Name)); got != "15 15 1 1 0" {
				t.Errorf("%s: %s", u.Name, got)
			}
		}
		if got := figures(row(t, s1, "Tổng nhóm (theo số phiếu)")); got != "15 15 1 1 0" {
			t.Errorf("matrix total %s", got)
		}
	})
	t.Run("imported groups say nhập kết quả and show no rate", func(t *testing.T) {
		for _, g := range []string{"S4", "H5"} {
			sec := section(t, body, g)
			mustContain(t, sec, "nhập kết quả")
			if strings.Contains(sec, "<table") || strings.Contains(sec, "%") {
				t.Errorf("imported group %s shows a table or a rate", g)
			}
		}
		if cells := row(t, body, "S4 · "+e.camp.Def.Group("S4").Name); !strings.Contains(cells[1], "nhập kết quả") || len(cells) != 2 {
			t.Errorf("summary row of an imported group: %q", cells)
		}
	})
	t.Run("the overall totals add up every collecting group against the whole quota", func(t *testing.T) {
		total := row(t, body, "Tổng cộng các nhóm phát phiếu")
		want := fmt.Sprintf("%s %s 5 4 1", vn.Int(int64(quota)), vn.Int(int64(issued)))
		if got := figures(total); got != want {
			t.Errorf("overall %s, want %s", got, want)
		}
		kpis := text(body[strings.Index(body, `<dl class="dash-kpis">`):strings.Index(body, "</dl>")])
		// The rate rounds half up (4 of 775 is 0.52%: 1%); per unit, as the results count them, the
		// matrix form is valid for 12 units and 3 single forms are valid.
		if want := fmt.Sprintf("Chỉ tiêu %s Đã phát %s Đã nhận 5 Hợp lệ 4 %s%% chỉ tiêu, thiếu %s Hợp lệ theo đơn vị 15 mỗi phiếu ma trận tính một lần cho mỗi đơn vị Không hợp lệ 1",
			vn.Int(int64(quota)), vn.Int(int64(issued)), vn.RoundHalfUp(big.NewRat(400, int64(quota)), 0), vn.Int(int64(quota-4))); kpis != want {
			t.Errorf("key figures read %q, want %q", kpis, want)
		}
	})
	t.Run("the daily figures are counted by day in Hà Nội time with running totals", func(t *testing.T) {
		days := body[strings.Index(body, `<details class="dash-days">`):]
		for day, want := range map[string]string{"03/11/2026": "2 2 2 2", "10/11/2026": "2 2 4 4", "15/11/2026": "1 0 5 4"} {
			cells := row(t, days, day)
			if got := strings.Join(cells[1:], " "); got != want {
				t.Errorf("%s: %s, want %s", day, got, want)
			}
		}
	})
	t.Run("both charts are well-formed SVG, named and described, over the 61 days of the window", func(t *testing.T) {
		var charts []string
		for _, s := range svgs(body) {
			if strings.Contains(s, `class="chart"`) {
				charts = append(charts, s)
			}
		}
		if len(charts) != 2 {
			t.Fatalf("%d charts", len(charts))
		}
		for _, s := range charts {
			if err := wellFormed(s); err != nil {
				t.Errorf("chart is not XML: %v", err)
			}
			if !strings.Contains(s, "<title ") || !strings.Contains(s, "<desc ") || !strings.Contains(s, `role="img"`) {
				t.Error("chart lacks title, desc or role")
			}
		}
		mustContain(t, charts[0], "Số phiếu nhận theo ngày", "từ 01/11/2026 đến 31/12/2026", "đã nhận 5 phiếu, 4 phiếu hợp lệ",
			"03/11 — Đã nhận: 2; Hợp lệ: 2", "15/11 — Đã nhận: 1; Hợp lệ: 0")
		if n := strings.Count(charts[0], "<g><title>"); n != 61 {
			t.Errorf("daily chart has %d days, want 61", n)
		}
		mustContain(t, charts[1], "Số phiếu lũy kế so với chỉ tiêu", "cộng dồn đến 15/11/2026: 5 phiếu nhận, 4 phiếu hợp lệ",
			"Chỉ tiêu: "+vn.Int(int64(quota)), "Hợp lệ: 4", "Nhịp đều: "+vn.Int(int64(quota)))
		// The cumulative lines stop today: 15 points from 01/11 to 15/11.
		d := regexp.MustCompile(`<path d="([^"]+)"`).FindStringSubmatch(charts[1])
		if d == nil || strings.Count(d[1], "L") != 14 {
			t.Errorf("cumulative path %v", d)
		}
	})
	t.Run("every rate bar is an SVG with a title", func(t *testing.T) {
		meters := 0
		for _, s := range svgs(body) {
			if strings.Contains(s, `class="meter"`) {
				meters++
				if err := wellFormed(s); err != nil || !strings.Contains(s, "<title>") {
					t.Fatalf("meter %s: %v", s, err)
				}
			}
		}
		// One per unit row and group total, one per group in the summary, one for the grand total.
		want := 1
		for _, g := range e.camp.Def.Groups {
			if !g.Imported() {
				want += len(e.camp.Def.UnitsOfKind(g.Evaluates)) + 2
			}
		}
		if meters != want {
			t.Errorf("%d meters, want %d", meters, want)
		}
	})
	t.Run("invalid reasons are counted by code with Vietnamese labels", func(t *testing.T) {
		if got := row(t, body, "Trả lời chưa đủ số câu hỏi tính điểm tối thiểu"); got[1] != "1" {
			t.Errorf("reason row %q", got)
		}
		mustContain(t, body, "1 phiếu không hợp lệ; một phiếu có thể không hợp lệ vì nhiều lý do")
	})
	t.Run("the page tells when its figures were read and reloads itself every minute without script", func(t *testing.T) {
		mustContain(t, body, "Số liệu lúc <strong>15/11/2026 09:00</strong>", "phiếu gần nhất ghi nhận lúc "+vn.DateTime(p.LastStored), "Trang tự cập nhật mỗi 60 giây")
		if resp.Header.Get("Refresh") != "60" || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("headers Refresh=%q Cache-Control=%q", resp.Header.Get("Refresh"), resp.Header.Get("Cache-Control"))
		}
		if strings.Contains(body, "<script") || regexp.MustCompile(`(src|href)="(https?:)?//`).MatchString(body) {
			t.Error("the page loads a script or something from another site")
		}
		mustContain(t, body, `aria-current="page">Tiến độ</a>`)
	})
	t.Run("wide tables sit in scrollable regions a keyboard can reach", func(t *testing.T) {
		tables := strings.Count(body, `<table class="grid dash-table`)
		regions := strings.Count(body, `<div class="dash-scroll" role="region"`)
		if tables == 0 || tables != regions || strings.Count(body, `tabindex="0"`) < regions {
			t.Errorf("%d tables, %d scroll regions", tables, regions)
		}
	})
}

// wellFormed parses markup with encoding/xml.
func wellFormed(s string) error {
	dec := xml.NewDecoder(strings.NewReader(s))
	for {
		if _, err := dec.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

func TestDashboardAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	path := fmt.Sprintf("/campaigns/%d/dashboard", e.camp.ID)
	for _, c := range []struct {
		name, user string
		status     int
	}{
		{"an administrator sees the dashboard", "admin", http.StatusOK},
		{"a supervisor sees the dashboard", "giamsat", http.StatusOK},
		{"an enumerator is refused", "dtv1", http.StatusForbidden},
		{"a visitor who is not signed in is sent to sign in", "", http.StatusSeeOther},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl := e.client()
			if c.user != "" {
				cl.login(c.user)
			}
			if resp, _ := cl.get(path); resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.status)
			}
		})
	}
	t.Run("an unknown campaign is not found", func(t *testing.T) {
		cl := e.client()
		cl.login("admin")
		if resp, _ := cl.get(fmt.Sprintf("/campaigns/%d/dashboard", e.camp.ID+99)); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("a campaign before any issuing or response shows zeros and says so", func(t *testing.T) {
		cl := e.client()
		cl.login("giamsat")
		resp, body := cl.get(path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "chưa nhận phiếu nào", "Chưa nhận phiếu nào", "Chưa có phiếu không hợp lệ", "Chưa nhận phiếu nào</text>")
		if got := figures(row(t, body, "Tổng cộng các nhóm phát phiếu")); !strings.HasSuffix(got, " 0 0 0 0") {
			t.Errorf("totals %s", got)
		}
		if strings.Contains(body, `<details class="dash-days">`) {
			t.Error("a table of days without any day")
		}
	})
}

func TestDashboardView(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	def := e.camp.Def
	at := time.Date(2026, 12, 31, 23, 0, 0, 0, campaign.Zone)
	p := &store.Progress{
		Cells: []store.ProgressCell{
			{Group: "S3", Unit: "SNV", Issued: 10, Received: 12, Valid: 11, Invalid: 0, Pending: 1},
			{Group: "S3", Unit: "STP", Issued: 10, Received: 6, Valid: 5, Invalid: 1},
		},
		Days: []store.DayCount{
			{Day: time.Date(2026, 10, 30, 0, 0, 0, 0, campaign.Zone), Received: 2, Valid: 1},
			{Day: time.Date(2026, 11, 2, 0, 0, 0, 0, campaign.Zone), Received: 15, Valid: 15},
			{Day: time.Date(2027, 1, 1, 0, 0, 0, 0, campaign.Zone), Received: 1, Valid: 0},
		},
		Reasons: []store.ReasonCount{{Code: "not_verified", Forms: 1}, {Code: "new_rule", Forms: 1}},
	}
	d := buildDashboard(def, p, at)
	var s3 dashGroup
	for _, g := range d.Groups {
		if g.Code == "S3" {
			s3 = g
		}
	}
	t.Run("a unit over its quota is full, said so, and its rate goes past 100 percent", func(t *testing.T) {
		r := s3.Rows[0]
		if r.Level != "done" || r.Status != "đủ" || r.RateText() != "110%" {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("half the quota or more is in progress, less is low, each with the shortfall", func(t *testing.T) {
		if r := s3.Rows[1]; r.Level != "mid" || r.Status != "thiếu 5" {
			t.Fatalf("%+v", r)
		}
		if r := s3.Rows[2]; r.Level != "low" || r.Status != "thiếu 10" || r.RateText() != "0%" {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("forms awaiting a verdict get their own column only when there are some", func(t *testing.T) {
		if !d.HasPending || !s3.Rows[2].ShowPending || d.Total.Pending != 1 {
			t.Fatalf("pending %v %d", d.HasPending, d.Total.Pending)
		}
		body, err := e.srv.views.render("layout", "dashboard", dashboardData{campaignData: campaignData{C: e.camp}, At: at})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(body), "Chờ xử lý") {
			t.Fatal("pending column without pending forms")
		}
		d.campaignData = campaignData{C: e.camp}
		body, err = e.srv.views.render("layout", "dashboard", d)
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, string(body), `<th scope="col" class="num">Chờ xử lý</th>`)
	})
	t.Run("responses outside the window are counted and the cumulative lines start with the early ones", func(t *testing.T) {
		if d.Outside != 3 {
			t.Fatalf("outside %d", d.Outside)
		}
		mustContain(t, string(d.Cumulative), "Đã nhận: 17", "cộng dồn đến 31/12/2026: 17 phiếu nhận, 16 phiếu hợp lệ")
	})
	t.Run("an unknown reason code is still listed, under its code", func(t *testing.T) {
		if d.Reasons[1].Label != "Lý do khác (new_rule)" || d.Reasons[0].Label != reasonLabels["not_verified"] {
			t.Fatalf("%+v", d.Reasons)
		}
	})
	t.Run("before the campaign opens the cumulative chart draws only the even pace", func(t *testing.T) {
		early := buildDashboard(def, &store.Progress{}, time.Date(2026, 10, 1, 9, 0, 0, 0, campaign.Zone))
		c := string(early.Cumulative)
		quota, _ := demoQuota(def)
		if strings.Count(c, "<path") != 1 || !strings.Contains(c, "<title>Nhịp đều: "+vn.Int(int64(quota))+"</title><path") || !strings.Contains(c, "chưa bắt đầu") {
			t.Fatal(c)
		}
	})
}
