package scorerun

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/store"
)

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

func (e *env) ratios(rows ...store.ImportedRatio) {
	e.t.Helper()
	if err := e.db.ReplaceRatios(context.Background(), e.camp.ID, e.admin, "GI", "sipas.csv", rows); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) compute() *Run {
	e.t.Helper()
	run, err := ComputeAndSave(context.Background(), e.db, e.camp.ID, e.admin)
	if err != nil {
		e.t.Fatal(err)
	}
	return run
}

func equal(t *testing.T, what string, got *big.Rat, want string) {
	t.Helper()
	if got == nil || got.Cmp(rat(want)) != 0 {
		t.Errorf("%s = %v, want %s", what, got, want)
	}
}

func TestScoringFromTheDatabase(t *testing.T) {
	e := newEnv(t)
	e.standard()
	e.ratios(store.ImportedRatio{Group: "GI", Unit: "H1", Ratio: "9/10"}, store.ImportedRatio{Group: "GI", Unit: "H2", Ratio: "1/2"})
	run := e.compute()
	res := run.Result

	t.Run("the figures are the ones worked out by hand, exactly", func(t *testing.T) {
		h1, h2, h3 := res.Unit("H1"), res.Unit("H2"), res.Unit("H3")
		equal(t, "H1 S1", h1.Sub("S1").Points, "3")
		equal(t, "H1 S2", h1.Sub("S2").Points, "38/15")
		equal(t, "H1 total", h1.Total, "83/15")
		equal(t, "H2 total", h2.Total, "9")
		equal(t, "H3 total", h3.Total, "0")
		if scoring.Round2(h1.Total) != "5.53" || h1.Band != "C" || h2.Band != "A" || h3.Band != "D" {
			t.Errorf("H1 %s band %s, H2 band %s, H3 band %s", scoring.Round2(h1.Total), h1.Band, h2.Band, h3.Band)
		}
		if h2.Rank != 1 || h1.Rank != 2 || h3.Rank != 3 {
			t.Errorf("ranks %d %d %d", h1.Rank, h2.Rank, h3.Rank)
		}
	})
	t.Run("only valid forms are counted, and the invalid one is tallied", func(t *testing.T) {
		if res.Forms != 5 {
			t.Errorf("counted %d forms, want 5", res.Forms)
		}
		tl := run.TallyFor("G1", "H3")
		if tl.Forms != 2 || tl.Valid != 1 || tl.Invalid != 1 {
			t.Errorf("G1/H3 tally %+v", tl)
		}
		if tot := run.Totals(); tot.Forms != 6 || tot.Invalid != 1 {
			t.Errorf("totals %+v", tot)
		}
	})
	t.Run("groups with too few forms and units without a ratio are flagged", func(t *testing.T) {
		if !res.Unit("H2").Has(scoring.FlagFewForms, "G2", "") || !res.Unit("H3").Has(scoring.FlagNoRatio, "GI", "") {
			t.Errorf("flags H2 %+v H3 %+v", res.Unit("H2").Flags, res.Unit("H3").Flags)
		}
		if res.Unit("H1").Has(scoring.FlagFewForms, "G1", "") {
			t.Error("G1 flagged on H1, which has two valid forms")
		}
	})
	t.Run("the figures equal the pure engine's on the same forms", func(t *testing.T) {
		forms := []scoring.Form{
			{Group: "G1", Unit: "H1", Answers: "1114"}, {Group: "G1", Unit: "H1", Answers: "2224"}, {Group: "G2", Unit: "H1", Answers: "3334"},
			{Group: "G1", Unit: "H2", Answers: "1111"}, {Group: "G1", Unit: "H3", Answers: "4444"},
		}
		ratios := []scoring.Ratio{{Group: "GI", Unit: "H1", Value: rat("0.9")}, {Group: "GI", Unit: "H2", Value: rat("0.5")}}
		want, err := scoring.Score(testDef(), forms, ratios)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(want)
		b, _ := json.Marshal(res)
		if string(a) != string(b) {
			t.Fatalf("database run differs from the engine:\n%s\n%s", b, a)
		}
	})
	t.Run("the run states its method and who ran it", func(t *testing.T) {
		if run.ID == 0 || run.CreatedBy != "admin" || run.CreatedAt.IsZero() || !strings.HasPrefix(run.InputDigest, "sha256:") {
			t.Fatalf("run %d by %q at %v digest %s", run.ID, run.CreatedBy, run.CreatedAt, run.InputDigest)
		}
		if run.Method.MinForms != 1 || run.Method.Combine != campaign.CombineGroupWeights || len(run.Method.Statement) < 5 || run.Method.MinAnsweredPercent != "70" {
			t.Fatalf("method %+v", run.Method)
		}
	})
}

func TestScoreRunsAreSnapshots(t *testing.T) {
	e := newEnv(t)
	e.standard()
	first := e.compute()

	t.Run("a new run with the same inputs gives identical figures and reuses the stored run", func(t *testing.T) {
		second := e.compute()
		if second.ID != first.ID || !second.Reused || second.InputDigest != first.InputDigest || second.ResultDigest != first.ResultDigest {
			t.Fatalf("runs %d and %d: inputs %s / %s, results %s / %s", first.ID, second.ID, first.InputDigest, second.InputDigest, first.ResultDigest, second.ResultDigest)
		}
		a, _ := Load(context.Background(), e.db, e.camp.ID, first.ID)
		b, _ := Load(context.Background(), e.db, e.camp.ID, second.ID)
		ja, _ := json.Marshal(a.Result)
		jb, _ := json.Marshal(b.Result)
		if string(ja) != string(jb) {
			t.Fatal("stored figures differ")
		}
	})
	t.Run("another response changes the input digest and the figures", func(t *testing.T) {
		e.submit("G1", "H3", "online", inWindow, "1111")
		third := e.compute()
		if third.InputDigest == first.InputDigest || third.ResultDigest == first.ResultDigest {
			t.Fatal("a new response left the digests as they were")
		}
	})
	t.Run("an imported ratio changes the input digest", func(t *testing.T) {
		before := e.compute()
		e.ratios(store.ImportedRatio{Group: "GI", Unit: "H3", Ratio: "1"})
		if after := e.compute(); after.InputDigest == before.InputDigest {
			t.Fatal("a ratio left the input digest as it was")
		}
	})
	t.Run("an earlier run reads back with its own figures, method and definition version", func(t *testing.T) {
		old, err := Load(context.Background(), e.db, e.camp.ID, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "first run's H3", old.Result.Unit("H3").Total, "0")
		if old.Def.Unit("H1").Name != "Huyện Ba Vì" || old.CampaignVersion != 1 || old.Method.MinAnsweredPercent != "70" {
			t.Fatalf("old run def %+v method %+v", old.Def.Unit("H1"), old.Method)
		}
		latest, err := Load(context.Background(), e.db, e.camp.ID, 0)
		if err != nil || latest.ID == first.ID {
			t.Fatalf("latest %v err %v", latest, err)
		}
	})
	t.Run("loading a run that does not exist says so", func(t *testing.T) {
		if _, err := Load(context.Background(), e.db, e.camp.ID, 9999); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err %v", err)
		}
	})
}

func TestMatrixFormsCountOncePerUnit(t *testing.T) {
	e := newEnv(t)
	// domain.md step 7: a matrix form counts as one form for each unit it covers; the unit with
	// too few answers is invalid on its own.
	e.submit("GM", "", "online", inWindow, "1114", "4444", "0004")
	run := e.compute()
	if run.Result.Forms != 2 {
		t.Fatalf("counted %d, want 2", run.Result.Forms)
	}
	equal(t, "H1", run.Result.Unit("H1").Total, "10")
	if g := run.Result.Unit("H3").Group("GM"); g.Forms != 0 {
		t.Fatalf("H3 counted %d forms of GM", g.Forms)
	}
	if tl := run.TallyFor("GM", "H3"); tl.Invalid != 1 {
		t.Fatalf("tally %+v", tl)
	}
}

func TestChangingARuleJudgesEveryFormAgain(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.standard()
	// "1104" answers 2 of 3 scored questions (66.7%): invalid at 70%, valid at 60%.
	partial := e.submit("G1", "H2", "online", inWindow, "1104")
	verdict := func(id int64) (valid bool, reasons string) {
		var v int
		if err := e.db.ReadRow(ctx, `SELECT valid, reasons FROM responses WHERE id = ?`, []any{id}, &v, &reasons); err != nil {
			t.Fatal(err)
		}
		return v == 1, reasons
	}
	if ok, reasons := verdict(partial); ok || !strings.Contains(reasons, "too_few_answers") {
		t.Fatalf("partial form at 70%%: valid %v %s", ok, reasons)
	}
	before := e.compute()

	next := campaign.EffectiveOf(e.camp.Def)
	next.MinAnsweredPercent = dec("60")
	rv, err := intake.ChangeSettings(ctx, e.db, e.camp.ID, e.admin, next)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("lowering the answered share makes the partial form valid and keeps everything stored", func(t *testing.T) {
		// Two verdicts change: the partial form's, and the wording of the "1000" form's reason,
		// which names the new minimum.
		if rv.Judged != 7 || rv.Changed != 2 || rv.ValidAfter != rv.ValidBefore+1 {
			t.Fatalf("revalidation %+v", rv)
		}
		if ok, reasons := verdict(partial); !ok || reasons != "[]" {
			t.Fatalf("partial form at 60%%: valid %v %s", ok, reasons)
		}
		var unitValid int
		e.db.ReadRow(ctx, `SELECT valid FROM response_answers WHERE response_id = ?`, []any{partial}, &unitValid)
		if unitValid != 1 {
			t.Fatal("the unit row kept its old verdict")
		}
		if n, _ := e.db.CountResponses(ctx, e.camp.ID); n != 7 {
			t.Fatalf("%d responses stored", n)
		}
	})
	t.Run("the change is audited with the settings before and after", func(t *testing.T) {
		log, _ := e.db.AuditLog(ctx, e.camp.ID, 20)
		found := false
		for _, l := range log {
			if l.Action == "settings.update" && strings.Contains(l.Detail, `"before":{}`) && strings.Contains(l.Detail, `"min_answered_percent":600000`) && l.Username == "admin" {
				found = true
			}
		}
		if !found {
			t.Fatalf("no settings.update entry in %+v", log)
		}
	})
	t.Run("the next run counts the form and states the new rule", func(t *testing.T) {
		after := e.compute()
		if after.Result.Forms != before.Result.Forms+1 || after.Method.MinAnsweredPercent != "60" || after.InputDigest == before.InputDigest {
			t.Fatalf("forms %d → %d, rule %s", before.Result.Forms, after.Result.Forms, after.Method.MinAnsweredPercent)
		}
	})
	t.Run("a form stored afterwards by the definition's rules is judged again before scoring", func(t *testing.T) {
		late := e.submit("G1", "H2", "online", inWindow, "1104")
		if ok, _ := verdict(late); ok {
			t.Fatal("the collection path judged by the definition's 70%")
		}
		e.compute()
		if ok, _ := verdict(late); !ok {
			t.Fatal("the score run did not judge the new form by the stored 60%")
		}
	})
	t.Run("turning the window rule off and on again judges late forms accordingly", func(t *testing.T) {
		late := e.submit("G1", "H3", "online", time.Date(2027, 1, 5, 9, 0, 0, 0, campaign.Zone), "1111")
		if ok, reasons := verdict(late); ok || !strings.Contains(reasons, "outside_window") {
			t.Fatalf("late form %v %s", ok, reasons)
		}
		off := campaign.EffectiveOf(mustSettings(t, e).Apply(e.camp.Def))
		off.EnforceWindow = false
		if _, err := intake.ChangeSettings(ctx, e.db, e.camp.ID, e.admin, off); err != nil {
			t.Fatal(err)
		}
		if ok, _ := verdict(late); !ok {
			t.Fatal("late form still invalid with the window rule off")
		}
		on := off
		on.EnforceWindow = true
		if _, err := intake.ChangeSettings(ctx, e.db, e.camp.ID, e.admin, on); err != nil {
			t.Fatal(err)
		}
		if ok, _ := verdict(late); ok {
			t.Fatal("late form valid with the window rule back on")
		}
	})
	t.Run("settings equal to the definition's are stored as no override", func(t *testing.T) {
		if _, err := intake.ChangeSettings(ctx, e.db, e.camp.ID, e.admin, campaign.EffectiveOf(e.camp.Def)); err != nil {
			t.Fatal(err)
		}
		cs, _ := e.db.CampaignSettings(ctx, e.camp.ID)
		if cs.JSON != "{}" {
			t.Fatalf("settings %s", cs.JSON)
		}
	})
	t.Run("settings that make no sense are refused with every reason", func(t *testing.T) {
		bad := campaign.EffectiveOf(e.camp.Def)
		bad.MinAnsweredPercent = dec("120")
		bad.MinForms = 0
		bad.GroupWeights = map[string]campaign.Decimal{}
		_, err := intake.ChangeSettings(ctx, e.db, e.camp.ID, e.admin, bad)
		var se *intake.SettingsError
		if !errors.As(err, &se) || len(se.Problems) != 3 {
			t.Fatalf("err %v", err)
		}
	})
}

func mustSettings(t *testing.T, e *env) campaign.Settings {
	cs, err := e.db.CampaignSettings(context.Background(), e.camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	s, err := campaign.ParseSettings(cs.JSON)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMethodOptionsChangeTheScores(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	// H1: G1 "1511" (Q2 don't know) and G2 "3334".
	e.submit("G1", "H1", "online", inWindow, "1511")
	e.submit("G2", "H1", "paper", inWindow, "3334")
	tests := []struct {
		name   string
		change func(*campaign.Effective)
		total  string
	}{
		// default: Q1 (1+0.2)/2 = 0.6, Q2 G2 only 0.2 → S1 = 6·0.4 = 2.4; Q3 0.6 → S2 = 2.4.
		{"by default a don't-know answer is left out", func(*campaign.Effective) {}, "4.8"},
		// don't know = 0: Q2 (0+0.2)/2 = 0.1 → S1 = 6·0.35 = 2.1.
		{"with don't-know counted as 0 it lowers the score", func(s *campaign.Effective) { s.DontKnow = campaign.MissingZero }, "4.5"},
		// G1 weight 3: Q1 (3+0.2)/4 = 0.8, Q2 0.2, Q3 0.8 → S1 = 3, S2 = 3.2.
		{"a heavier group weighs more", func(s *campaign.Effective) { s.GroupWeights["G1"] = dec("3") }, "6.2"},
		// min 2 forms: every group is left out → 0.
		{"a minimum of two forms leaves both groups out", func(s *campaign.Effective) { s.MinForms = 2 }, "0"},
		// pooled: Q1 (1+0.2)/2, Q2 0.2, Q3 (1+0.2)/2: the same as equal weights with one form each.
		{"pooled answers of one form each equal equal weights", func(s *campaign.Effective) { s.Combine = campaign.CombinePooled }, "4.8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := campaign.EffectiveOf(e.camp.Def)
			tc.change(&s)
			if _, err := intake.ChangeSettings(ctx, e.db, e.camp.ID, e.admin, s); err != nil {
				t.Fatal(err)
			}
			run := e.compute()
			equal(t, "H1 total", run.Result.Unit("H1").Total, tc.total)
		})
	}
}

func TestSettingsOverrides(t *testing.T) {
	def := testDef()
	e := campaign.EffectiveOf(def)
	e.Blank = campaign.MissingZero
	e.GroupWeights["G2"] = dec("2")
	s := e.Overrides(def)
	if s.JSON() != `{"blank":"zero","group_weights":{"G2":20000}}` {
		t.Fatalf("overrides %s", s.JSON())
	}
	d := s.Apply(def)
	if d.Scoring.Blank != campaign.MissingZero || *d.Groups[1].Weight != dec("2") || *def.Groups[1].Weight != dec("1") {
		t.Fatal("Apply changed the wrong definition")
	}
	back, err := campaign.ParseSettings(s.JSON())
	if err != nil || back.JSON() != s.JSON() {
		t.Fatalf("round trip %s, %v", back.JSON(), err)
	}
}
