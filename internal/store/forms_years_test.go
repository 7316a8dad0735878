package store_test

import (
	"context"
	"testing"

	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// codesOf issues every form of a campaign's plan and returns their codes.
func codesOf(t *testing.T, db *store.DB, camp *store.Campaign) map[string]bool {
	t.Helper()
	ctx := context.Background()
	plan, err := camp.Def.IssuePlan("", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Issue(ctx, camp.ID, 0, plan); err != nil {
		t.Fatalf("issue %s: %v", camp.Def.Code, err)
	}
	codes := map[string]bool{}
	err = db.Forms(ctx, camp.ID, store.FormFilter{}, func(f *store.IssuedForm) error {
		codes[f.Code] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return codes
}

func TestNextYearsCampaignIssuesBesideThisYearsInOneDatabase(t *testing.T) {
	db := testenv.Open(t)
	ctx := context.Background()
	this := testenv.Demo(t, db)
	next, _, err := db.SaveDefinition(ctx, testenv.EditedDemo(t,
		testenv.Edit{File: "campaign.yaml", Old: "code: demo-2026", New: "code: demo-2027"},
	), 0)
	if err != nil {
		t.Fatal(err)
	}

	before := codesOf(t, db, this)
	after := codesOf(t, db, next) // the same group and unit codes: UNIQUE(code) used to refuse it
	if len(after) == 0 || len(after) != len(before) {
		t.Fatalf("next year issued %d forms, this year %d", len(after), len(before))
	}
	for code := range after {
		if before[code] {
			t.Fatalf("code %s issued in both years", code)
		}
		c, err := formcode.Parse(code)
		if err != nil {
			t.Fatalf("next year's code %s does not read back: %v", code, err)
		}
		if c.Serial == 1 {
			t.Fatalf("next year's code %s starts again at serial 1", code)
		}
	}

	t.Run("issuing again in either year adds nothing", func(t *testing.T) {
		if again := codesOf(t, db, this); len(again) != len(before) {
			t.Errorf("this year now has %d forms, had %d", len(again), len(before))
		}
		if again := codesOf(t, db, next); len(again) != len(after) {
			t.Errorf("next year now has %d forms, had %d", len(again), len(after))
		}
	})
}
