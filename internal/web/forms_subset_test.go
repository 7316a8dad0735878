package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// TestMatrixFormsForAListOfUnits issues the 2026 demo's council delegates' matrix form (S1, 20
// agencies) for three agencies through the issuing page, answers it on the respondent page and
// scores it: only the three are asked about, stored and counted (issue 12, item 6).
func TestMatrixFormsForAListOfUnits(t *testing.T) {
	t.Parallel()
	db := testenv.Open(t)
	camp := testenv.Demo2026(t, db)
	testenv.AddStaff(t, db)
	e := &testEnv{t: t, db: db, srv: newServer(t, db), camp: camp}
	db.SetClock(func() time.Time { return time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC) })
	admin := e.client()
	admin.login("admin")
	def := camp.Def
	subset := []string{"SNV", "STC", "VPUB"} // VPUB comes first in the definition

	t.Run("a list naming an unknown unit or a unit of another kind is refused next to the field, as typed", func(t *testing.T) {
		for _, c := range []struct{ list, msg string }{
			{"SNV, SXYZ", `Không có đơn vị &#34;SXYZ&#34; trong đợt khảo sát.`},
			{"SNV, X01", `Đơn vị X01 (`},
			{"SNV, snv", "Đơn vị SNV ghi hai lần trong danh sách."},
		} {
			resp, body := admin.post(e.formsURL("/issue"), url.Values{"group": {"S1"}, "units": {c.list}, "count": {"2"}})
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("%s: status %d", c.list, resp.StatusCode)
			}
			mustContain(t, body, c.msg, `id="issue-units-loi"`, ">"+c.list+"</textarea>", `name="count" type="number" min="1" value="2"`)
		}
		resp, body := admin.post(e.formsURL("/issue"), url.Values{"group": {"X2"}, "units": {"X01,X02"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("single-unit group: status %d", resp.StatusCode)
		}
		mustContain(t, body, "chỉ phiếu ma trận mới phát theo danh sách đơn vị")
		if n := countForms(t, e, store.FormFilter{}); n != 0 {
			t.Fatalf("%d forms issued by refused posts", n)
		}
	})

	var forms []*store.IssuedForm
	t.Run("a list issues that many forms once, each covering exactly those units", func(t *testing.T) {
		for range 2 {
			resp, body := admin.post(e.formsURL("/issue"), url.Values{"group": {"S1"}, "units": {"stc; SNV VPUB"}, "count": {"2"}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("status %d\n%s", resp.StatusCode, body)
			}
		}
		db.Forms(context.Background(), camp.ID, store.FormFilter{Group: "S1"}, func(f *store.IssuedForm) error {
			forms = append(forms, f)
			return nil
		})
		if len(forms) != 2 {
			t.Fatalf("%d forms, want 2 (the second post adds none)", len(forms))
		}
		for _, f := range forms {
			if strings.Join(sortedCopy(f.Units), ",") != "SNV,STC,VPUB" || f.Unit != "" {
				t.Fatalf("form %s covers %v (unit %q)", f.Code, f.Units, f.Unit)
			}
		}
		_, page := admin.get(e.formsURL("?code=" + forms[0].Code))
		mustContain(t, page, "phiếu ma trận cho 3 đơn vị")
		var rows int
		db.ReadRow(context.Background(), `SELECT count(*) FROM form_units`, nil, &rows)
		if rows != 6 {
			t.Fatalf("%d form × unit rows, want 6", rows)
		}
	})

	q := def.Questionnaire(def.Group("S1").Form)
	units := def.MatrixUnits(def.Group("S1"), subset)
	t.Run("the respondent page asks about the form's units only", func(t *testing.T) {
		_, page := e.client().get("/p/" + forms[0].Token)
		if got := strings.Count(page, `<th scope="col" class="mx-unit"`); got != 3 {
			t.Fatalf("%d unit columns, want 3", got)
		}
		for _, u := range def.UnitsOfKind("so") {
			if in := strings.Contains(page, `name="s_`+u.Code+`"`); in != (u.Code == "SNV" || u.Code == "STC" || u.Code == "VPUB") {
				t.Errorf("unit %s on the page: %v", u.Code, in)
			}
		}
	})
	t.Run("answers are stored and valid for each unit rated, and nothing else", func(t *testing.T) {
		v := answers(q, units, 1, "subset-1")
		v.Set("q_"+q.Questions()[0].Code+"_STP", "1") // a unit the form was not issued for
		resp, body := e.client().post("/p/"+forms[0].Token, v)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		got := storedAnswers(t, e)
		if len(got) != 3 || got["STP"] != "" {
			t.Fatalf("stored units %v, want the three of the form", got)
		}
		var valid, validUnits int
		db.ReadRow(context.Background(), `SELECT valid FROM responses`, nil, &valid)
		db.ReadRow(context.Background(), `SELECT count(*) FROM response_answers WHERE valid = 1`, nil, &validUnits)
		if valid != 1 || validUnits != 3 {
			t.Fatalf("valid %d, valid units %d", valid, validUnits)
		}
	})
	t.Run("scoring counts the form once for each unit rated", func(t *testing.T) {
		run, err := scorerun.Score(context.Background(), db, camp.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range def.UnitsOfKind("so") {
			want := int64(0)
			if u.Code == "SNV" || u.Code == "STC" || u.Code == "VPUB" {
				want = 1
			}
			if got := run.TallyFor("S1", u.Code).Valid; got != want {
				t.Errorf("S1 × %s: %d valid forms, want %d", u.Code, got, want)
			}
		}
	})
	t.Run("a replacement covers the units of the form it replaces", func(t *testing.T) {
		rep, err := db.VoidForm(context.Background(), forms[1].Code, "mất phiếu", true, 0)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(sortedCopy(rep.Units), ",") != "SNV,STC,VPUB" {
			t.Fatalf("replacement covers %v", rep.Units)
		}
	})
	t.Run("a matrix form issued by quota still covers every unit of the kind", func(t *testing.T) {
		admin.post(e.formsURL("/issue"), url.Values{"group": {"S1"}, "reserve": {"0"}})
		var full *store.IssuedForm
		db.Forms(context.Background(), camp.ID, store.FormFilter{Group: "S1"}, func(f *store.IssuedForm) error {
			if len(f.Units) == 0 && full == nil {
				full = f
			}
			return nil
		})
		if full == nil {
			t.Fatal("no form by quota")
		}
		_, page := e.client().get("/p/" + full.Token)
		if got, want := strings.Count(page, `<th scope="col" class="mx-unit"`), len(def.UnitsOfKind("so")); got != want {
			t.Fatalf("%d unit columns, want %d", got, want)
		}
	})
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
