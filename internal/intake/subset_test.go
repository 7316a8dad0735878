package intake_test

import (
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
)

// subsetFixture is the fixture with the council delegates' matrix form (S1, CH1) taken on paper
// too, and two S1 forms issued on paper for three agencies (issue 12, item 6).
func subsetFixture(t *testing.T) (*fixture, []*store.IssuedForm, []string) {
	t.Helper()
	f := newFixture(t)
	f.camp.Def.Group("S1").Channels = []campaign.Channel{campaign.ChannelOnline, campaign.ChannelPaper}
	units := []string{"SNV", "STC", "SXD"}
	if _, err := f.db.IssueSubset(f.ctx, f.camp.ID, 0, store.SubsetTarget{Group: "S1", Units: units, Channel: campaign.ChannelPaper, Count: 2}); err != nil {
		t.Fatal(err)
	}
	var forms []*store.IssuedForm
	for _, x := range f.forms("S1", "") {
		if len(x.Units) > 0 {
			forms = append(forms, x)
		}
	}
	if len(forms) != 2 {
		t.Fatalf("%d forms for the list", len(forms))
	}
	return f, forms, units
}

func TestKeyingAMatrixFormIssuedForAListOfUnits(t *testing.T) {
	f, forms, units := subsetFixture(t)
	b := f.batch("S1", "", 2)
	batch := f.layout("S1", "")
	l, err := f.svc.FormLayout(f.ctx, b, f.def(), batch, forms[0].Code)
	if err != nil {
		t.Fatal(err)
	}
	k := f.keyers

	t.Run("the form is keyed with its own units, a form about the whole kind with the batch's", func(t *testing.T) {
		if !slices.Equal(l.UnitCodes(), units) || len(l.Items()) >= len(batch.Items()) {
			t.Fatalf("form layout units %v, %d items of %d", l.UnitCodes(), len(l.Items()), len(batch.Items()))
		}
		full := f.forms("S1", "")
		var whole string
		for _, x := range full {
			if len(x.Units) == 0 {
				whole = x.Code
				break
			}
		}
		if got, err := f.svc.FormLayout(f.ctx, b, f.def(), batch, whole); err != nil || got != batch {
			t.Fatalf("layout of %s: %v", whole, err)
		}
	})
	t.Run("keyed twice, the form is stored for its units only and valid for each", func(t *testing.T) {
		key := func(keyer int64) intake.Keyed {
			return f.mustKeyWith(b, l, keyer, forms[0].Code, entry(t, l, ones))
		}
		if out := key(k[0]); out.Outcome != paper.Waiting {
			t.Fatalf("first keying %+v", out)
		}
		if n := f.count(`SELECT count(*) FROM keying_answers a JOIN keyings kg ON kg.id = a.keying_id WHERE kg.form_id = ?`, forms[0].ID); n != 3 {
			t.Fatalf("%d keyed units, want 3", n)
		}
		out := key(k[1])
		if out.Outcome != paper.Accepted || !out.Valid || out.Reasons != "[]" {
			t.Fatalf("second keying %+v", out)
		}
		got := f.text(`SELECT group_concat(u.code, ',') FROM (SELECT u.code FROM response_answers a JOIN units u ON u.id = a.unit_id
			WHERE a.response_id = ? AND a.valid = 1 ORDER BY u.code) u`, out.Receipt.ResponseID)
		if got != "SNV,STC,SXD" {
			t.Fatalf("valid stored units %s", got)
		}
		if n := f.count(`SELECT count(*) FROM response_answers WHERE response_id = ?`, out.Receipt.ResponseID); n != 3 {
			t.Fatalf("%d stored units", n)
		}
	})
	t.Run("judged again, an answer stored for a unit outside the list does not count", func(t *testing.T) {
		// As a response stored before forms kept their list would have it: a fourth unit.
		err := f.db.Write(f.ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO response_answers (response_id, unit_id, answers, valid)
				SELECT r.id, ?, a.answers, 1 FROM responses r JOIN response_answers a ON a.response_id = r.id WHERE r.form_id = ? LIMIT 1`,
				f.unitIDs["STP"], forms[0].ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		f.changeRules(func(e *campaign.Effective) { e.MinAnsweredPercent = percent(60) })
		valid := f.text(`SELECT group_concat(u.code || '=' || a.valid, ',' ORDER BY u.code) FROM response_answers a
			JOIN responses r ON r.id = a.response_id JOIN units u ON u.id = a.unit_id WHERE r.form_id = ? AND u.campaign_id = ?`, forms[0].ID, f.camp.ID)
		if valid != "SNV=1,STC=1,STP=0,SXD=1" {
			t.Fatalf("units after judging again: %s", valid)
		}
		if reasons := f.text(`SELECT reasons FROM responses WHERE form_id = ?`, forms[0].ID); !strings.Contains(reasons, "không được phát cho đơn vị này") {
			t.Fatalf("reasons %s", reasons)
		}
	})
	t.Run("a keying of the form with the whole kind's layout is judged by the form's list", func(t *testing.T) {
		// intake.Key judges with the form's units whatever layout the caller keyed with.
		e := entry(t, batch, ones)
		f.mustKeyWith(b, batch, k[2], forms[1].Code, e)
		out := f.mustKeyWith(b, batch, k[3], forms[1].Code, e)
		if out.Outcome != paper.Accepted || !strings.Contains(out.Reasons, "wrong_unit") {
			t.Fatalf("keyed %+v", out)
		}
		if n := f.count(`SELECT count(*) FROM response_answers WHERE response_id = ? AND valid = 1`, out.Receipt.ResponseID); n != 3 {
			t.Fatalf("%d units count, want the form's 3", n)
		}
	})
}

// mustKeyWith keys a code into a batch with the given layout and fails the test on an error.
func (f *fixture) mustKeyWith(b *store.Batch, l *paper.Layout, keyer int64, code string, e paper.Entry) intake.Keyed {
	f.t.Helper()
	out, err := f.svc.Key(f.ctx, intake.Keying{Batch: b, Def: f.def(), Layout: l, KeyerID: keyer, Code: code, Entry: e, DurationMS: 15000})
	if err != nil {
		f.t.Fatalf("key %s by %d: %v", code, keyer, err)
	}
	return out
}

func TestImportingAMatrixFormIssuedForAListOfUnits(t *testing.T) {
	f, forms, units := subsetFixture(t)
	l, err := paper.TemplateLayout(f.def(), "S1")
	if err != nil {
		t.Fatal(err)
	}
	// The group's import template has every agency's columns; a row of a form issued for three
	// leaves the others empty.
	table := [][]string{l.Columns()}
	for _, x := range forms {
		row := []string{x.Code, "20/11/2026"}
		for _, it := range l.Items() {
			mark := "1"
			if it.Question >= 0 && !slices.Contains(units, l.Units[it.Unit].Code) {
				mark = ""
			}
			row = append(row, mark)
		}
		table = append(table, row)
	}
	outside := "q_" + l.Questions[0].Code + "_STP"

	t.Run("an answer about a unit the form was not issued for refuses the file at its cell", func(t *testing.T) {
		bad := slices.Clone(table)
		bad[2] = slices.Clone(table[2])
		bad[2][column(t, table, outside)] = "2"
		out, err := f.upload("phieu.xlsx", xlsx(t, bad))
		if err == nil || len(out.Errors) != 1 {
			t.Fatalf("imported %+v, %v", out, err)
		}
		if e := out.Errors[0]; e.Line != 3 || e.Column != outside || !strings.Contains(e.Msg, "phiếu này không đánh giá đơn vị này") {
			t.Fatalf("error %+v", e)
		}
		if n := f.count(`SELECT count(*) FROM responses`); n != 0 {
			t.Fatalf("%d responses stored", n)
		}
	})
	t.Run("the rows are stored for the forms' units, valid for each", func(t *testing.T) {
		out, err := f.upload("phieu.xlsx", xlsx(t, table))
		if err != nil || out.Stored != 2 || out.Invalid != 0 {
			t.Fatalf("imported %+v, %v", out, err)
		}
		if n := f.count(`SELECT count(*) FROM response_answers a JOIN responses r ON r.id = a.response_id WHERE r.valid = 1 AND a.valid = 1`); n != 6 {
			t.Fatalf("%d valid unit answers, want 2 forms × 3 units", n)
		}
		again, err := f.upload("phieu.xlsx", xlsx(t, table))
		if err != nil || again.Already != 2 || again.Stored != 0 {
			t.Fatalf("the same file again: %+v, %v", again, err)
		}
	})
}

func TestAdjudicatingAMatrixFormIssuedForAListOfUnits(t *testing.T) {
	f, forms, _ := subsetFixture(t)
	b := f.batch("S1", "", 2)
	l, err := f.svc.FormLayout(f.ctx, b, f.def(), f.layout("S1", ""), forms[0].Code)
	if err != nil {
		t.Fatal(err)
	}
	differ := "q_" + l.Questions[0].Code + "_STC"
	f.mustKeyWith(b, l, f.keyers[0], forms[0].Code, entry(t, l, ones))
	if out := f.mustKeyWith(b, l, f.keyers[1], forms[0].Code, entry(t, l, except(ones, map[string]string{differ: "2"}))); out.Outcome != paper.Differs {
		t.Fatalf("second keying %+v", out)
	}
	item := f.openItem(forms[0].Code)
	got, entries, err := intake.Entries(f.def(), item)
	if err != nil || len(entries) != 2 || !slices.Equal(got.UnitCodes(), l.UnitCodes()) {
		t.Fatalf("entries of the queue item: %v (%d, units %v)", err, len(entries), got)
	}
	done, err := f.svc.Adjudicate(f.ctx, intake.Adjudication{Item: item, Def: f.def(), Chosen: map[string]string{differ: "2"}, UserID: f.supervisor})
	if err != nil || !done.Valid {
		t.Fatalf("adjudicated %+v, %v", done, err)
	}
	if n := f.count(`SELECT count(*) FROM response_answers WHERE response_id = ? AND valid = 1`, done.Receipt.ResponseID); n != 3 {
		t.Fatalf("%d valid units, want 3", n)
	}
}
