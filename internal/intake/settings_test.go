package intake_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
)

// verdict is a stored response's validity and reasons.
func (f *fixture) verdict(responseID int64) (valid bool, reasons string) {
	f.t.Helper()
	var v int
	if err := f.db.ReadRow(f.ctx, `SELECT valid, reasons FROM responses WHERE id = ?`, []any{responseID}, &v, &reasons); err != nil {
		f.t.Fatal(err)
	}
	return v == 1, reasons
}

// keyTwice keys a paper form alike by two keyers under def (nil: the effective definition)
// and returns its stored response.
func (f *fixture) keyTwice(b *store.Batch, def *campaign.Definition, code string, e paper.Entry) int64 {
	f.t.Helper()
	f.mustKey(b, def, f.keyers[0], code, e)
	out := f.mustKey(b, def, f.keyers[1], code, e)
	if out.Receipt == nil {
		f.t.Fatalf("%s not accepted: %+v", code, out)
	}
	return out.Receipt.ResponseID
}

func TestChangeSettings(t *testing.T) {
	f := newFixture(t)
	b := f.batch("S2", "SNV", 15)
	l := f.layout("S2", "SNV")
	s2 := f.forms("S2", "SNV")
	// Three stored forms: a paper form with 10 of 32 answered (31%), a complete paper form, and
	// a matrix form with 18 of 22 answered about TTT (81.8%) and every question about the rest.
	sparseID := f.keyTwice(b, nil, s2[0].Code, entry(t, l, sparse(10)))
	fullID := f.keyTwice(b, nil, s2[1].Code, entry(t, l, ones))
	in := f.online(f.forms("S1", "")[0], "sid-matrix")
	answerOnly(in, "TTT", 18)
	r, err := f.svc.Submit(f.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	matrixID := r.ResponseID
	unitValid := func(unit string) bool {
		return f.count(`SELECT valid FROM response_answers WHERE response_id = ? AND unit_id = ?`, matrixID, f.unitIDs[unit]) == 1
	}
	audits := func() int { return f.count(`SELECT count(*) FROM audit_log WHERE action = 'settings.update'`) }

	t.Run("forms are stored with the verdict of the rules in force when they came", func(t *testing.T) {
		if v, reasons := f.verdict(sparseID); v || !strings.Contains(reasons, "too_few_answers") {
			t.Fatalf("sparse form: %v %s", v, reasons)
		}
		if v, _ := f.verdict(fullID); !v {
			t.Fatal("full form invalid")
		}
		if v, _ := f.verdict(matrixID); !v {
			t.Fatal("matrix form invalid")
		}
	})

	t.Run("a change of method alone judges nothing again but is audited", func(t *testing.T) {
		rv := f.changeRules(func(e *campaign.Effective) { e.MinForms = 2 })
		if rv != (intake.Revalidation{}) {
			t.Fatalf("revalidation %+v", rv)
		}
		if v, _ := f.verdict(sparseID); v {
			t.Fatal("the sparse form changed")
		}
		if audits() != 1 || !strings.Contains(f.text(`SELECT settings FROM campaign_settings WHERE campaign_id = ?`, f.camp.ID), `"min_forms":2`) {
			t.Fatal("settings not stored and audited")
		}
	})

	t.Run("lowering the answered share judges stored forms again and records the changed verdicts", func(t *testing.T) {
		rv := f.changeRules(func(e *campaign.Effective) { e.MinAnsweredPercent = percent(30) })
		if want := (intake.Revalidation{Judged: 3, Changed: 1, ValidBefore: 2, ValidAfter: 3}); rv != want {
			t.Fatalf("revalidation %+v, want %+v", rv, want)
		}
		if v, reasons := f.verdict(sparseID); !v || reasons != "[]" {
			t.Fatalf("sparse form: %v %s", v, reasons)
		}
		if f.count(`SELECT count(*) FROM response_answers WHERE response_id = ? AND valid = 1`, sparseID) != 1 {
			t.Fatal("the sparse form does not count for its unit")
		}
		if n := f.count(`SELECT validated_through FROM campaign_settings WHERE campaign_id = ?`, f.camp.ID); n != int(matrixID) {
			t.Fatalf("validated through %d, want %d", n, matrixID)
		}
		detail := f.text(`SELECT detail FROM audit_log WHERE action = 'settings.update' ORDER BY id DESC LIMIT 1`)
		if audits() != 2 || !strings.Contains(detail, `"changed":1`) || !strings.Contains(detail, `"min_answered_percent":300000`) {
			t.Fatalf("audit %s", detail)
		}
	})

	t.Run("raising it judges a matrix form again unit by unit", func(t *testing.T) {
		rv := f.changeRules(func(e *campaign.Effective) { e.MinAnsweredPercent = percent(90) })
		if want := (intake.Revalidation{Judged: 3, Changed: 2, ValidBefore: 3, ValidAfter: 1}); rv != want {
			t.Fatalf("revalidation %+v, want %+v", rv, want)
		}
		if v, reasons := f.verdict(matrixID); v || !strings.Contains(reasons, "too_few_answers") || !strings.Contains(reasons, `"Unit":"TTT"`) {
			t.Fatalf("matrix form: %v %s", v, reasons)
		}
		if unitValid("TTT") || !unitValid("SNV") || f.count(`SELECT count(*) FROM response_answers WHERE response_id = ? AND valid = 1`, matrixID) != 11 {
			t.Fatal("the matrix form should count for every unit but TTT")
		}
		if v, _ := f.verdict(sparseID); v {
			t.Fatal("the sparse form is valid at 90%")
		}
		if v, _ := f.verdict(fullID); !v {
			t.Fatal("the full form is invalid")
		}
	})

	t.Run("settings out of range are refused and change nothing", func(t *testing.T) {
		before := f.text(`SELECT settings FROM campaign_settings WHERE campaign_id = ?`, f.camp.ID)
		e := campaign.EffectiveOf(f.def())
		e.MinAnsweredPercent = percent(150)
		_, err := intake.ChangeSettings(f.ctx, f.db, f.camp.ID, f.staff, e)
		var se *intake.SettingsError
		if !errors.As(err, &se) || len(se.Problems) != 1 {
			t.Fatalf("err %v", err)
		}
		if f.text(`SELECT settings FROM campaign_settings WHERE campaign_id = ?`, f.camp.ID) != before || audits() != 3 {
			t.Fatal("refused settings were stored")
		}
	})
}

func TestChangeSettingsDoubleEntry(t *testing.T) {
	f := newFixture(t)
	f.changeRules(func(e *campaign.Effective) { e.DoubleEntry = false })
	b := f.batch("S2", "SNV", 15)
	form := f.forms("S2", "SNV")[0]
	out := f.mustKey(b, nil, f.keyers[0], form.Code, entry(t, f.layout("S2", "SNV"), ones))
	if out.Receipt == nil || !out.Valid {
		t.Fatalf("keyed %+v", out)
	}
	id := out.Receipt.ResponseID

	// Double entry is judged when a paper form is accepted (domain.md, valid forms, rule 6): a
	// form accepted under single entry was valid under the rules in force, and it cannot be
	// keyed again (its code is answered), so turning double entry on later keeps it valid
	// rather than leaving it invalid for good. The change is still audited and judged.
	t.Run("turning double entry on keeps a form accepted under single entry valid", func(t *testing.T) {
		rv := f.changeRules(func(e *campaign.Effective) { e.DoubleEntry = true })
		if rv.Judged != 1 || rv.Changed != 0 || rv.ValidAfter != 1 {
			t.Errorf("revalidation %+v, want the one form judged and left valid", rv)
		}
		if v, reasons := f.verdict(id); !v || reasons != "[]" {
			t.Errorf("the form became valid=%v, reasons %s", v, reasons)
		}
	})
}

func TestCatchUp(t *testing.T) {
	f := newFixture(t)
	b := f.batch("S2", "SNV", 15)
	l := f.layout("S2", "SNV")
	s2 := f.forms("S2", "SNV")
	revalidations := func() int { return f.count(`SELECT count(*) FROM audit_log WHERE action = 'responses.revalidate'`) }
	through := func() int64 {
		return int64(f.count(`SELECT validated_through FROM campaign_settings WHERE campaign_id = ?`, f.camp.ID))
	}

	t.Run("with the definition's rules in force catching up does nothing", func(t *testing.T) {
		id := f.keyTwice(b, f.camp.Def, s2[0].Code, entry(t, l, sparse(10)))
		if err := intake.CatchUp(f.ctx, f.db, f.camp, f.staff); err != nil {
			t.Fatal(err)
		}
		if v, _ := f.verdict(id); v || revalidations() != 0 || f.count(`SELECT count(*) FROM campaign_settings`) != 0 {
			t.Fatal("something was judged again")
		}
	})

	f.changeRules(func(e *campaign.Effective) { e.MinAnsweredPercent = percent(30) })
	// Forms that arrive now are judged by whoever stores them; these are judged by the
	// definition's own 70%, as a path that does not read the stored settings would.
	sparseID := f.keyTwice(b, f.camp.Def, s2[1].Code, entry(t, l, sparse(10)))
	fullID := f.keyTwice(b, f.camp.Def, s2[2].Code, entry(t, l, ones))

	t.Run("catching up judges the responses that arrived after the change under the stored settings", func(t *testing.T) {
		if v, _ := f.verdict(sparseID); v {
			t.Fatal("the sparse form was stored valid under the definition's rules")
		}
		if err := intake.CatchUp(f.ctx, f.db, f.camp, f.staff); err != nil {
			t.Fatal(err)
		}
		if v, reasons := f.verdict(sparseID); !v || reasons != "[]" {
			t.Fatalf("sparse form: %v %s", v, reasons)
		}
		if v, _ := f.verdict(fullID); !v {
			t.Fatal("the full form changed")
		}
		if through() != fullID {
			t.Fatalf("validated through %d, want %d", through(), fullID)
		}
		detail := f.text(`SELECT detail FROM audit_log WHERE action = 'responses.revalidate' AND user_id = ?`, f.staff)
		if !strings.Contains(detail, `"judged":2`) || !strings.Contains(detail, `"changed":1`) {
			t.Fatalf("audit %s", detail)
		}
	})

	t.Run("catching up again with nothing new writes nothing", func(t *testing.T) {
		if err := intake.CatchUp(f.ctx, f.db, f.camp, f.staff); err != nil {
			t.Fatal(err)
		}
		if revalidations() != 1 || through() != fullID {
			t.Fatalf("%d revalidations, through %d", revalidations(), through())
		}
	})

	t.Run("a response that arrives later is judged on the next catch-up", func(t *testing.T) {
		id := f.keyTwice(b, f.camp.Def, s2[3].Code, entry(t, l, sparse(10)))
		if err := intake.CatchUp(f.ctx, f.db, f.camp, f.staff); err != nil {
			t.Fatal(err)
		}
		if v, _ := f.verdict(id); !v || revalidations() != 2 || through() != id {
			t.Fatalf("valid %v, %d revalidations, through %d", v, revalidations(), through())
		}
	})
}
