package issuing

import (
	"context"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// The two-level demo issues its whole plan: every form of every collecting group, with codes
// formcode reads back to their group and unit.
func TestTwoLevelDemoIssuesItsWholePlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Open(t)
	c := testenv.Demo2026(t, db)
	s := &Service{DB: db, BaseURL: testBaseURL + "/"}
	n, err := s.Issue(ctx, c, "", "", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// S1 30 delegates; S2 15 × 20 agencies; S3 20 × 18 (two Ban not evaluated); X1 3, X2 10,
	// X3 15 × 64 communes, the two special zones 8.
	want := 30 + 15*20 + 20*18 + (3+10)*64 + 15*62 + 8*2
	if n != want {
		t.Errorf("issued %d forms, want %d", n, want)
	}
	byGroup := map[string]int{}
	err = db.Forms(ctx, c.ID, store.FormFilter{}, func(f *store.IssuedForm) error {
		byGroup[f.Group]++
		code, err := formcode.Parse(f.Code)
		if err != nil {
			return err
		}
		unit := f.Unit
		if unit == "" {
			unit = formcode.Matrix
		}
		if code.Group != formcode.Fold(f.Group) || code.Unit != formcode.Fold(unit) {
			t.Errorf("form code %s reads as %s/%s, issued for %s/%s", f.Code, code.Group, code.Unit, f.Group, unit)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if byGroup["S4"] != 0 || byGroup["X4"] != 0 || byGroup["S1"] != 30 || byGroup["X3"] != 15*62+8*2 {
		t.Errorf("forms by group %v", byGroup)
	}
	if strings.Contains(c.Def.Questionnaire("MAU_PHIEU_01").Title, "HUYỆN") {
		t.Error("the delegates' form still speaks of districts")
	}
}

// Every form code of the two-level demo reads back to its group and unit when keyed without
// its dashes, as enumerators often type them.
func TestTwoLevelDemoCodesReadWithoutDashes(t *testing.T) {
	t.Parallel()
	db := testenv.Open(t)
	def := testenv.Demo2026(t, db).Def
	for _, g := range def.Groups {
		if g.Imported() {
			continue
		}
		units := []string{formcode.Matrix}
		if def.Questionnaire(g.Form).Shape != "matrix" {
			units = nil
			for _, u := range def.UnitsOfKind(g.Evaluates) {
				units = append(units, u.Code)
			}
		}
		for _, u := range units {
			code := formcode.New(g.Code, u, 17)
			got, err := formcode.Parse(strings.ReplaceAll(code, "-", ""))
			if err != nil || got.Group != formcode.Fold(g.Code) || got.Unit != formcode.Fold(u) {
				t.Errorf("%s keyed without dashes reads as %+v, %v", code, got, err)
			}
		}
	}
}
