package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"github.com/xuri/excelize/v2"
)

// honorariaEnv is the 2026 demo with a plan's rates: 5.000 đ per paper form and 200.000 đ per
// unit to the enumerator (300.000 đ per agency), 20.000 đ per agency form and 10.000 đ per
// commune form to the respondent (15.000 đ for group X2), online forms paid when online is set.
// Paper forms are keyed once (no double entry): dtv1 brought back two X3 forms of X01 and one S3
// form of SNV; one S1 form (a matrix over the agencies) and one X1 form of X01 came in online.
func honorariaEnv(t *testing.T, online bool) *testEnv {
	t.Helper()
	def := testenv.EditedDemo2026(t, testenv.Edit{File: "campaign.yaml",
		Old: "honoraria:\n  per_unit: 200000   # trả cho điều tra viên, một lần cho mỗi xã, mỗi sở được điều tra\n  respondent:        # trả cho người trả lời, mỗi phiếu\n    by_kind:\n      so: 20000      # phiếu đánh giá sở, ban, ngành\n      xa: 10000      # phiếu đánh giá cấp xã\n  online: false",
		New: fmt.Sprintf("honoraria:\n  per_form: 5000\n  per_unit: 200000\n  enumerator:\n    by_kind: {so: 300000}\n  respondent:\n    by_kind: {so: 20000, xa: 10000}\n    by_group: {X2: 15000}\n  online: %v", online)})
	db := testenv.Open(t)
	ctx := context.Background()
	camp, _, err := db.SaveDefinition(ctx, def, 0)
	if err != nil {
		t.Fatal(err)
	}
	testenv.AddStaff(t, db)
	db.SetClock(func() time.Time { return inWindow })
	e := &testEnv{t: t, db: db, srv: newServer(t, db), camp: camp}
	if _, err := db.Issue(ctx, camp.ID, 0, []campaign.IssueTarget{
		{Group: "X3", Unit: "X01", Channel: campaign.ChannelPaper, Quota: 2},
		{Group: "S3", Unit: "SNV", Channel: campaign.ChannelPaper, Quota: 1},
		{Group: "S1", Channel: campaign.ChannelOnline, Quota: 1},
		{Group: "X1", Unit: "X01", Channel: campaign.ChannelOnline, Quota: 1},
	}); err != nil {
		t.Fatal(err)
	}
	eff := campaign.EffectiveOf(camp.Def)
	eff.DoubleEntry = false
	if _, err := intake.ChangeSettings(ctx, db, camp.ID, 0, eff); err != nil {
		t.Fatal(err)
	}
	admin, k1 := e.client(), e.client()
	admin.login("admin")
	k1.login("dtv1")
	e.addKeyer(admin, "dtv1")
	for _, gu := range [][2]string{{"X3", "X01"}, {"S3", "SNV"}} {
		var codes []string
		db.Forms(ctx, camp.ID, store.FormFilter{Group: gu[0], Unit: gu[1]}, func(f *store.IssuedForm) error {
			codes = append(codes, f.Code)
			return nil
		})
		l, err := paper.NewLayout(camp.Def, gu[0], gu[1])
		if err != nil {
			t.Fatal(err)
		}
		b := e.recordBatch(admin, gu[0], gu[1], len(codes), paperDay)
		k1.get(fmt.Sprintf("/keying/batches/%d", b))
		for _, code := range codes {
			if _, saved := k1.postJSON(fmt.Sprintf("/keying/batches/%d", b), keyed(l, code, ones)); saved.Kind != "saved" {
				t.Fatalf("keying %s: %+v", code, saved)
			}
		}
	}
	for _, g := range []string{"S1", "X1"} {
		var f *store.IssuedForm
		db.Forms(ctx, camp.ID, store.FormFilter{Group: g}, func(x *store.IssuedForm) error { f = x; return nil })
		q := camp.Def.Questionnaire(camp.Def.Group(g).Form)
		units := camp.Def.UnitsOfKind(camp.Def.Group(g).Evaluates)
		if resp, body := e.client().post("/p/"+f.Token, answers(q, units, 1, "honoraria-"+g)); resp.StatusCode != http.StatusOK {
			t.Fatalf("online %s: %d\n%s", g, resp.StatusCode, body)
		}
	}
	return e
}

func TestHonorariaAsPlansStateThem(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name                   string
		online                 bool
		respondents, total     string
		s1, x1, onlineRaw      string
		respondentTotalRawXLSX string
	}{
		// Respondents: S3 1 × 20.000 + X3 2 × 10.000 = 40.000; online S1 20.000 and X1 10.000 on top.
		// Enumerator: 3 × 5.000 + SNV 300.000 + X01 200.000 = 515.000.
		{"online forms are not paid unless the plan says so", false, "40.000", "555.000", "0", "0", "1 (không tính)", "40000"},
		{"online forms are paid when the plan says so", true, "70.000", "585.000", "20.000", "10.000", "1", "70000"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := honorariaEnv(t, c.online)
			sup := e.client()
			sup.login("giamsat")
			resp, body := sup.get(e.paperURL("/honoraria"))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			mustContain(t, body,
				"Điều tra viên: 5.000 đồng mỗi phiếu giấy thu về.",
				"Điều tra viên, một lần cho mỗi đơn vị đã thu phiếu: Sở, ban, ngành 300.000 đồng; Xã, phường, đặc khu 200.000 đồng.",
				"Người trả lời, mỗi phiếu: phiếu đánh giá sở, ban, ngành 20.000 đồng; phiếu đánh giá xã, phường, đặc khu 10.000 đồng; nhóm X2 15.000 đồng",
				"Tổng cộng: <strong>"+c.total+"</strong> đồng (điều tra viên 515.000 đồng cho 3 phiếu giấy; người trả lời "+c.respondents+" đồng).",
				"Cán bộ dtv1", "515.000")
			if !c.online {
				mustContain(t, body, "phiếu trả lời trực tuyến không tính thù lao", "(không tính)")
			}
			resp, xlsx := sup.get(e.paperURL("/honoraria.xlsx"))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("download %d", resp.StatusCode)
			}
			f, err := excelize.OpenReader(strings.NewReader(xlsx))
			if err != nil {
				t.Fatal(err)
			}
			enums, _ := f.GetRows(paper.SheetByEnumerator, excelize.Options{RawCellValue: true})
			if len(enums) < 5 || enums[4][1] != "Cán bộ dtv1" || enums[4][2] != "3" || enums[4][4] != "15000" || enums[4][5] != "500000" || enums[4][6] != "515000" {
				t.Fatalf("enumerator rows %q", enums)
			}
			rows, _ := f.GetRows(paper.SheetRespondents, excelize.Options{RawCellValue: true})
			by := map[string][]string{}
			for _, r := range rows[4:] {
				if len(r) > 1 && r[1] != "" {
					by[r[1]] = r
				}
			}
			want := map[string]string{"S1": "20000", "S3": "20000", "X3": "20000", "X1": "10000"}
			if !c.online {
				want["S1"], want["X1"] = "0", "0"
			}
			for g, amount := range want {
				if r := by[g]; len(r) < 9 || r[8] != amount {
					t.Errorf("respondents of %s: %q, want %s đ", g, r, amount)
				}
			}
			if r := by["X2"]; len(r) < 9 || r[4] != "15000" || r[8] != "0" {
				t.Errorf("X2, paid by its own rate, nothing returned: %q", r)
			}
			if r := by["S1"]; len(r) < 7 || r[6] != c.onlineRaw {
				t.Errorf("S1 online column %q, want %q", r, c.onlineRaw)
			}
			last := rows[len(rows)-1]
			if len(last) < 9 || last[2] != "Tổng cộng" || last[8] != c.respondentTotalRawXLSX {
				t.Errorf("total row %q", last)
			}
			if !strings.Contains(rows[1][0], "nhóm X2 15.000 đồng") {
				t.Errorf("rates line %q", rows[1][0])
			}
		})
	}
}
