package scorerun

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"github.com/parsurvey/parsurvey/internal/validation"
)

// The two-level demo scores through the real database: an agency on the agencies' tree out of
// 32, a commune on the communes' tree out of 30.
func TestTwoLevelDemoScoresEachLevelOnItsOwnTree(t *testing.T) {
	ctx := context.Background()
	db := testenv.Open(t)
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, campaign.Zone)
	db.SetClock(func() time.Time { return at })
	camp := testenv.Demo2026(t, db)
	admin := testenv.AddUser(t, db, "admin", store.RoleAdmin)
	def := camp.Def

	// Every collecting group answers its best option everywhere, once, for agency SNV and for
	// ward P01; the matrix group S1 rates every agency; SIPAS gives both a ratio of 1.
	var plan []campaign.IssueTarget
	for _, pick := range [][2]string{{"S1", ""}, {"S2", "SNV"}, {"S3", "SNV"}, {"X1", "P01"}, {"X2", "P01"}, {"X3", "P01"}} {
		p, err := def.IssuePlan(pick[0], pick[1], 0)
		if err != nil {
			t.Fatal(err)
		}
		plan = append(plan, p...)
	}
	if _, err := db.Issue(ctx, camp.ID, admin.ID, plan); err != nil {
		t.Fatal(err)
	}
	units, err := db.UnitIDs(ctx, camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	done := map[string]bool{}
	err = db.Forms(ctx, camp.ID, store.FormFilter{}, func(f *store.IssuedForm) error {
		if done[f.Group] {
			return nil
		}
		done[f.Group] = true
		g := def.Group(f.Group)
		best := strings.Repeat("1", len(def.Questionnaire(g.Form).Questions()))
		rated := []string{f.Unit}
		if f.Unit == "" {
			rated = nil
			for _, u := range def.UnitsOfKind(g.Evaluates) {
				rated = append(rated, u.Code)
			}
		}
		ch := campaign.ChannelOnline
		if !g.Has(ch) {
			ch = campaign.ChannelPaper
		}
		sub := &store.Submission{FormID: f.ID, CampaignID: camp.ID, Channel: string(ch), ReceivedAt: at, Respondent: `{"gioi_tinh":"Nam"}`, Reasons: "[]"}
		facts := validation.Facts{Issued: true, IssuedGroup: f.Group, Group: f.Group, Channel: ch, ReceivedAt: at, FirstForCode: true, Keyings: 2, Verified: true}
		if f.Unit != "" {
			facts.IssuedUnits = []string{f.Unit}
		}
		h := sha256.New()
		for _, u := range rated {
			facts.Answers = append(facts.Answers, validation.UnitAnswers{Unit: u, Answers: response.Answers(best)})
			sub.Answers = append(sub.Answers, store.UnitAnswers{UnitID: units[u], Answers: best, Valid: true})
			fmt.Fprintf(h, "%s=%s;", u, best)
		}
		sub.Digest = hex.EncodeToString(h.Sum(nil))
		if v := validation.Check(def, facts); !v.Valid {
			return fmt.Errorf("form of %s judged invalid: %v", f.Group, v.Reasons)
		}
		sub.Valid = true
		_, err := db.SaveSubmission(ctx, sub)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for group, unit := range map[string]string{"S4": "SNV", "X4": "P01"} {
		if err := db.ReplaceRatios(ctx, camp.ID, admin.ID, group, "sipas.csv", []store.ImportedRatio{{Group: group, Unit: unit, Ratio: "1"}}); err != nil {
			t.Fatal(err)
		}
	}
	run, err := ComputeAndSave(ctx, db, camp.ID, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	res := run.Result

	t.Run("an agency rated best by every group scores the agencies' 32 points on 8 areas", func(t *testing.T) {
		u := res.Unit("SNV")
		equal(t, "SNV total", u.Total, "32")
		if len(u.Areas) != 8 || u.Band != "A" || u.Has("no_data", "", "") {
			t.Errorf("SNV: %d areas, band %q, flags %v", len(u.Areas), u.Band, u.Flags)
		}
	})
	t.Run("a ward rated best by every group scores the communes' 30 points on 6 areas", func(t *testing.T) {
		u := res.Unit("P01")
		equal(t, "P01 total", u.Total, "30")
		equal(t, "P01 percent", u.Percent, "100")
		if len(u.Areas) != 6 || u.Band != "A" {
			t.Errorf("P01: %d areas, band %q", len(u.Areas), u.Band)
		}
		if s := u.Sub("2.2.1"); s == nil || s.Max != campaign.MustDecimal("2") {
			t.Errorf("P01's 2.2.1 is %+v, want the communes' sub-criterion of 2 points", s)
		}
	})
	t.Run("the matrix form counts once for each agency it rates", func(t *testing.T) {
		if got := run.TallyFor("S1", "STP").Valid; got != 1 {
			t.Errorf("S1 valid forms for STP %d, want 1", got)
		}
		u := res.Unit("STP")
		if u.Total.Sign() <= 0 || !u.Has("few_forms", "S2", "") {
			t.Errorf("STP total %v flags %v: want points from S1 alone and S2 flagged short", u.Total, u.Flags)
		}
	})
	t.Run("a commune nobody answered for scores 0, flagged, ranked after the ward", func(t *testing.T) {
		u := res.Unit("X01")
		if u.Total.Sign() != 0 || !u.Has("few_forms", "X2", "") || u.Rank <= res.Unit("P01").Rank {
			t.Errorf("X01 total %v rank %d flags %d", u.Total, u.Rank, len(u.Flags))
		}
	})
}
