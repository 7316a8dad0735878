package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scorerun/scoretest"
	"github.com/parsurvey/parsurvey/internal/store"
)

// fixture is a real database with a small synthetic campaign (6 communes × 4 groups × 3 forms)
// in which a stricter answered share made some forms invalid, and a run of it.
type fixture struct {
	db   *store.DB
	camp *store.Campaign
	run  *scorerun.Run
	rows Rows
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "export.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	camp, err := scoretest.Populate(ctx, db, 6, 3)
	if err != nil {
		t.Fatal(err)
	}
	strict := campaign.EffectiveOf(camp.Def)
	strict.MinAnsweredPercent = campaign.MustDecimal("90")
	strict.MinForms = 2
	if _, err := intake.ChangeSettings(ctx, db, camp.ID, 0, strict); err != nil {
		t.Fatal(err)
	}
	run, err := scorerun.ComputeAndSave(ctx, db, camp.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, camp: camp, run: run}
	f.rows = func(only bool, fn func(*store.ResponseRow) error) error {
		return db.ResponseRows(ctx, camp.ID, only, fn)
	}
	return f
}

func (f *fixture) feed(t *testing.T) *Feed {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, f.run); err != nil {
		t.Fatal(err)
	}
	var feed Feed
	if err := json.Unmarshal(buf.Bytes(), &feed); err != nil {
		t.Fatal(err)
	}
	return &feed
}

// sheet reads a sheet back as rows of cells, as Excel shows them.
func sheet(t *testing.T, x *excelize.File, name string) [][]string {
	t.Helper()
	rows, err := x.GetRows(name)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// table returns the rows under the header row that starts with first (or has it in column 3).
func table(rows [][]string, first string) (header []string, body [][]string) {
	for i, r := range rows {
		for _, c := range r {
			if c == first {
				return r, rows[i+1:]
			}
		}
	}
	return nil, nil
}

func col(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	return -1
}

func at(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

func TestWorkbookReadsBackWithTheFeedsFigures(t *testing.T) {
	f := newFixture(t)
	feed := f.feed(t)
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, f.run, f.rows); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	units := map[string]FeedUnit{}
	for _, u := range feed.Units {
		units[u.Code] = u
	}
	if got := strings.Join(x.GetSheetList(), "|"); got != "Tổng hợp|Tiêu chí thành phần|Theo nhóm|Cảnh báo|Phiếu không hợp lệ|Phiếu" {
		t.Fatalf("sheets %s", got)
	}

	t.Run("the ranking shows every unit with the feed's total, percent, rank, band and forms", func(t *testing.T) {
		rows := sheet(t, x, SheetSummary)
		if !strings.Contains(strings.Join(rows[1], ""), f.camp.Def.Name) {
			t.Error("the campaign's name is missing")
		}
		all := ""
		for _, r := range rows {
			all += strings.Join(r, " ") + "\n"
		}
		for _, s := range f.run.Method.Statement {
			if !strings.Contains(all, s) {
				t.Errorf("method statement missing: %s", s)
			}
		}
		h, body := table(rows, rankingHeader)
		if len(body) != len(feed.Units) {
			t.Fatalf("%d ranking rows, want %d", len(body), len(feed.Units))
		}
		lastRank := 0
		for _, r := range body {
			u, ok := units[at(r, col(h, rankingHeader))]
			if !ok {
				t.Fatalf("unknown unit in row %v", r)
			}
			if at(r, col(h, "Tổng điểm ĐTXHH")) != u.Total.Value || at(r, col(h, "Tỷ lệ so với điểm tối đa (%)")) != u.Percent.Value ||
				at(r, col(h, "Xếp loại")) != u.BandName || at(r, col(h, "Hạng")) != itoaT(u.Rank) || at(r, col(h, "Phiếu hợp lệ")) != itoaT(int(u.ValidForms)) ||
				at(r, col(h, "Tổng điểm (giá trị chính xác)")) != u.Total.Exact {
				t.Errorf("row %v differs from the feed's %s: total %s %s, rank %d, band %s", r, u.Code, u.Total.Value, u.Percent.Value, u.Rank, u.BandName)
			}
			rank := atoiT(at(r, col(h, "Hạng")))
			if rank < lastRank {
				t.Errorf("ranking out of order at %v", r)
			}
			lastRank = rank
		}
	})
	t.Run("every area, criterion and sub-criterion has the feed's points", func(t *testing.T) {
		h, body := table(sheet(t, x, SheetSubs), rankingHeader)
		want := 0
		for _, u := range feed.Units {
			walk(u.Areas, func(n FeedNode) {
				want++
				found := false
				for _, r := range body {
					if at(r, 0) == u.Code && at(r, col(h, "Mã tiêu chí")) == n.Code {
						found = true
						pct := ""
						if n.Percent != nil {
							pct = n.Percent.Value
						}
						if at(r, col(h, "Điểm đạt")) != n.Points.Value || at(r, col(h, "Điểm (giá trị chính xác)")) != n.Points.Exact ||
							(n.Questions != nil && at(r, col(h, "Tỷ lệ đạt (%)")) != pct) {
							t.Errorf("%s %s: row %v, feed %+v", u.Code, n.Code, r, n)
						}
					}
				}
				if !found {
					t.Errorf("%s %s missing", u.Code, n.Code)
				}
			})
		}
		if len(body) != want {
			t.Errorf("%d rows, want %d", len(body), want)
		}
	})
	t.Run("every group's mean and points per sub-criterion match the feed", func(t *testing.T) {
		h, body := table(sheet(t, x, SheetGroups), rankingHeader)
		n := 0
		for _, u := range feed.Units {
			for _, g := range u.Groups {
				for _, s := range g.Subs {
					n++
					for _, r := range body {
						if at(r, 0) == u.Code && at(r, col(h, "Mã nhóm")) == g.Code && at(r, col(h, "Tiêu chí thành phần")) == s.Code {
							pct, pts := "", ""
							if s.Percent != nil {
								pct, pts = s.Percent.Value, s.Points.Value
							}
							counted := map[bool]string{true: "Có", false: "Không"}[g.Counted]
							if at(r, col(h, "Tỷ lệ (%)")) != pct || at(r, col(h, "Điểm nếu chỉ tính nhóm này")) != pts ||
								at(r, col(h, "Được tính")) != counted || at(r, col(h, "Phiếu hợp lệ")) != itoaT(int(g.Forms)) {
								t.Errorf("%s %s %s: row %v", u.Code, g.Code, s.Code, r)
							}
						}
					}
				}
			}
		}
		if len(body) != n {
			t.Errorf("%d rows, want %d", len(body), n)
		}
	})
	t.Run("the warnings list the groups left out for too few forms", func(t *testing.T) {
		_, body := table(sheet(t, x, SheetFlags), rankingHeader)
		want := 0
		for _, u := range feed.Units {
			want += len(u.Flags)
		}
		if want == 0 || len(body) != want {
			t.Fatalf("%d warnings, feed has %d", len(body), want)
		}
		if !strings.Contains(strings.Join(body[0], " "), "thiếu phiếu") && !strings.Contains(strings.Join(body[0], " "), "chưa có tỷ lệ nhập") {
			t.Errorf("first warning %v", body[0])
		}
	})
	t.Run("the invalid forms are all listed, each with its reasons", func(t *testing.T) {
		h, body := table(sheet(t, x, SheetInvalid), "Mã phiếu")
		if int64(len(body)) != feed.Run.Forms.Invalid || len(body) == 0 {
			t.Fatalf("%d invalid rows, feed counts %d", len(body), feed.Run.Forms.Invalid)
		}
		for _, r := range body {
			if at(r, col(h, "Mã lý do")) != "too_few_answers" || !strings.Contains(at(r, col(h, "Lý do không hợp lệ")), "dưới mức 90%") {
				t.Fatalf("row %v", r)
			}
		}
	})
	t.Run("every form is one row with its answers", func(t *testing.T) {
		h, body := table(sheet(t, x, SheetAnswers), "Mã phiếu")
		if int64(len(body)) != feed.Run.Forms.Received {
			t.Fatalf("%d rows, %d forms received", len(body), feed.Run.Forms.Received)
		}
		var code, answers string
		f.db.ReadRow(context.Background(), `SELECT f.code, a.answers FROM responses r JOIN issued_forms f ON f.id = r.form_id
			JOIN response_answers a ON a.response_id = r.id ORDER BY f.code LIMIT 1`, nil, &code, &answers)
		first := body[0]
		if at(first, col(h, "Mã phiếu")) != code || at(first, col(h, "Thông tin người trả lời")) == "" {
			t.Fatalf("first row %v, want code %s", first, code)
		}
		for i := 0; i < len(answers); i++ {
			want := string(answers[i])
			if want == "0" {
				want = ""
			}
			if got := at(first, col(h, "Câu 1")+i); got != want {
				t.Fatalf("answer %d = %q, want %q (%s)", i+1, got, want, answers)
			}
		}
	})
}

func walk(nodes []FeedNode, fn func(FeedNode)) {
	for _, n := range nodes {
		fn(n)
		walk(n.Children, fn)
	}
}

func itoaT(n int) string { return strconv.Itoa(n) }

func atoiT(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func TestCSVFiles(t *testing.T) {
	f := newFixture(t)
	feed := f.feed(t)
	t.Run("the responses CSV starts with a BOM and has one row per form and unit", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteResponsesCSV(&buf, f.run.Def, f.rows); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")) {
			t.Fatal("no BOM")
		}
		recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(recs)-1) != feed.Run.Forms.Received || recs[0][1] != "Mã phiếu" || recs[0][len(recs[0])-1] != "Câu 40" {
			t.Fatalf("%d records, header %v", len(recs), recs[0])
		}
		invalid := 0
		for _, r := range recs[1:] {
			if r[9] == "Không" {
				invalid++
			}
		}
		if int64(invalid) != feed.Run.Forms.Invalid {
			t.Fatalf("%d invalid rows, feed counts %d", invalid, feed.Run.Forms.Invalid)
		}
	})
	t.Run("the scores CSV has the feed's totals and sub-criterion points", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteScoresCSV(&buf, f.run); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(feed.Units)+1 || recs[0][9] != "1.1.1" {
			t.Fatalf("header %v, %d rows", recs[0], len(recs))
		}
		for _, r := range recs[1:] {
			for _, u := range feed.Units {
				if u.Code == r[2] && (r[4] != u.Total.Value || r[8] != u.Total.Exact || r[9] != u.Areas[0].Children[0].Children[0].Points.Value) {
					t.Errorf("row %v, feed %s %s", r, u.Total.Value, u.Total.Exact)
				}
			}
		}
	})
}

func TestFeedExplainsItself(t *testing.T) {
	f := newFixture(t)
	feed := f.feed(t)
	if feed.Format != FeedFormat || feed.Campaign.Code != "bench-2026" || feed.Run.ID != f.run.ID || feed.Run.InputDigest != f.run.InputDigest {
		t.Fatalf("feed head %+v %+v", feed.Campaign, feed.Run)
	}
	if feed.Run.Method.MinAnsweredPercent != "90" || feed.Run.Method.MinForms != 2 || len(feed.Run.Method.Statement) == 0 {
		t.Fatalf("method %+v", feed.Run.Method)
	}
	u := feed.Units[0]
	if u.Name != "Xã Thử Nghiệm 0" || len(u.Areas) != 1 || len(u.Areas[0].Children) != 4 || len(u.Groups) != 5 {
		t.Fatalf("unit %+v", u)
	}
	if f.run.Result.Units[0].Total.RatString() != u.Total.Exact {
		t.Fatalf("exact total %s, result %s", u.Total.Exact, f.run.Result.Units[0].Total.RatString())
	}
}
