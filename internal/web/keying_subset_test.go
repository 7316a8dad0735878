package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// TestKeyingAMatrixFormIssuedForAListOfUnits keys on paper, twice, a council delegates' matrix
// form (S1 of the demo, here taken on paper too) issued for three of the agencies: the keying
// screen asks about those three, an answer about another is refused, and the form is stored,
// valid and scored for each of the three alone (issue 12, item 6).
func TestKeyingAMatrixFormIssuedForAListOfUnits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, def, form, units := subsetKeyingEnv(t)
	db, camp := e.db, e.camp
	full, err := paper.NewLayout(def, "S1", "")
	if err != nil {
		t.Fatal(err)
	}
	l, err := paper.NewFormLayout(def, "S1", "", units)
	if err != nil {
		t.Fatal(err)
	}
	sup, k1, k2 := e.client(), e.client(), e.client()
	sup.login("giamsat")
	k1.login("dtv1")
	k2.login("dtv2")
	batch := e.recordBatch(sup, "S1", "", 1, paperDay)
	e.addKeyer(sup, "dtv1")
	e.addKeyer(sup, "dtv2")
	keyURL := fmt.Sprintf("/keying/batches/%d", batch)
	q0 := l.Questions[0].Code
	outside := "q_" + q0 + "_STP"

	t.Run("the code's check names the form's three units", func(t *testing.T) {
		res := k1.check(batch, form.Code)
		if !res.OK || strings.Join(res.Units, ",") != "SNV,STC,SXD" ||
			!strings.Contains(res.Message, "Phiếu chỉ đánh giá 3 đơn vị: Sở Nội vụ, Sở Tài chính, Sở Xây dựng") {
			t.Fatalf("%+v", res)
		}
	})
	t.Run("the screen after the code asks about the form's units alone", func(t *testing.T) {
		k1.get(keyURL)
		resp, body := k1.post(keyURL, url.Values{"code": {form.Code}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		for _, u := range def.UnitsOfKind("so") {
			name := `name="q_` + q0 + "_" + u.Code + `"`
			if in := strings.Contains(body, name); in != (u.Code == "SNV" || u.Code == "STC" || u.Code == "SXD") {
				t.Errorf("unit %s on the screen: %v", u.Code, in)
			}
		}
		mustContain(t, body, fmt.Sprintf("%d mục", len(l.Items())), "Phiếu chỉ đánh giá 3 đơn vị")
	})
	t.Run("an answer keyed about another unit is refused, on the screen and to the script, and nothing is stored", func(t *testing.T) {
		v := keyed(l, form.Code, ones)
		v.Set(outside, "2")
		k1.get(keyURL)
		resp, body := k1.post(keyURL, v)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "Câu 1 · Sở Tư pháp: phiếu này không đánh giá đơn vị này (phiếu chỉ đánh giá: Sở Nội vụ, Sở Tài chính, Sở Xây dựng)",
			`name="q_`+q0+`_SNV" class="k-key" value="1"`)
		k1.get(keyURL)
		status, res := k1.postJSON(keyURL, v)
		if status != http.StatusUnprocessableEntity || res.OK || res.Field != outside || len(res.Errors) != 1 {
			t.Fatalf("%d %+v", status, res)
		}
		if n := countWhere(t, e, `SELECT count(*) FROM keyings`); n != 0 {
			t.Fatalf("%d keyings stored", n)
		}
	})
	t.Run("keyed twice, the form is stored for its units, valid for each", func(t *testing.T) {
		// The script shows the whole kind's items: those of other units come blank (0).
		v := keyed(full, form.Code, func(_ int, it paper.Item) string {
			if _, ok := l.Item(it.Name); ok || it.Field >= 0 {
				return "1"
			}
			return "0"
		})
		k1.get(keyURL)
		if _, res := k1.postJSON(keyURL, v); res.Kind != "first" {
			t.Fatalf("first keying %+v", res)
		}
		k2.get(keyURL)
		if _, res := k2.postJSON(keyURL, keyed(l, form.Code, ones)); res.Kind != "verified" {
			t.Fatalf("second keying %+v", res)
		}
		if n := countWhere(t, e, `SELECT count(*) FROM response_answers a JOIN responses r ON r.id = a.response_id
			WHERE r.form_id = ? AND r.valid = 1 AND a.valid = 1`, form.ID); n != 3 {
			t.Fatalf("%d valid units stored, want 3", n)
		}
		if n := countWhere(t, e, `SELECT count(*) FROM response_answers`); n != 3 {
			t.Fatalf("%d units stored", n)
		}
	})
	t.Run("scoring counts the form once for each unit it rated", func(t *testing.T) {
		run, err := scorerun.Score(ctx, db, camp.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range def.UnitsOfKind("so") {
			want := int64(0)
			if u.Code == "SNV" || u.Code == "STC" || u.Code == "SXD" {
				want = 1
			}
			if got := run.TallyFor("S1", u.Code).Valid; got != want {
				t.Errorf("S1 × %s: %d valid forms, want %d", u.Code, got, want)
			}
		}
	})
}

// subsetKeyingEnv is the three-level example with its council delegates (S1) on paper too,
// and one of their matrix forms issued on paper for three agencies: the form and its units.
func subsetKeyingEnv(t *testing.T) (*testEnv, *campaign.Definition, *store.IssuedForm, []string) {
	t.Helper()
	ctx := context.Background()
	db := testenv.Open(t)
	db.SetClock(func() time.Time { return inWindow })
	def, err := campaign.Load(forms.FS, forms.Demo3Cap)
	if err != nil {
		t.Fatal(err)
	}
	def.Group("S1").Channels = []campaign.Channel{campaign.ChannelOnline, campaign.ChannelPaper}
	camp, _, err := db.SaveDefinition(ctx, def, 0)
	if err != nil {
		t.Fatal(err)
	}
	testenv.AddStaff(t, db)
	e := &testEnv{t: t, db: db, srv: newServer(t, db), camp: camp}
	units := []string{"SNV", "STC", "SXD"}
	if _, err := db.IssueSubset(ctx, camp.ID, 0, store.SubsetTarget{Group: "S1", Units: units, Channel: campaign.ChannelPaper, Count: 1}); err != nil {
		t.Fatal(err)
	}
	var form *store.IssuedForm
	db.Forms(ctx, camp.ID, store.FormFilter{Group: "S1"}, func(f *store.IssuedForm) error {
		if len(f.Units) > 0 {
			form = f
		}
		return nil
	})
	if form == nil {
		t.Fatal("no form for the list")
	}
	return e, def, form, units
}
