package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// progressFixture is the demo campaign with every form issued, for the progress tests.
type progressFixture struct {
	t     *testing.T
	db    *DB
	camp  *Campaign
	units map[string]int64
	forms map[string][]*IssuedForm // by group/unit ("S1/" for a matrix group)
}

func newProgressFixture(t *testing.T) *progressFixture {
	t.Helper()
	ctx := context.Background()
	db := openTest(t)
	camp, _, err := db.SaveDefinition(ctx, demo(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := camp.Def.IssuePlan("", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Issue(ctx, camp.ID, 0, plan); err != nil {
		t.Fatal(err)
	}
	units, err := db.UnitIDs(ctx, camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	fx := &progressFixture{t: t, db: db, camp: camp, units: units, forms: map[string][]*IssuedForm{}}
	db.Forms(ctx, camp.ID, FormFilter{}, func(f *IssuedForm) error {
		k := f.Group + "/" + f.Unit
		fx.forms[k] = append(fx.forms[k], f)
		return nil
	})
	return fx
}

// save stores a response for the n-th form of group/unit, received at a local time, with the
// per-unit validity given as unit code → valid.
func (fx *progressFixture) save(key string, n int, at time.Time, valid bool, reasons string, units map[string]bool) {
	fx.t.Helper()
	f := fx.forms[key][n]
	s := &Submission{FormID: f.ID, CampaignID: fx.camp.ID, Channel: "online", Digest: fmt.Sprintf("d-%d", f.ID),
		Respondent: "{}", ReceivedAt: at, Valid: valid, Reasons: reasons}
	for code, ok := range units {
		s.Answers = append(s.Answers, UnitAnswers{UnitID: fx.units[code], Answers: "1111", Valid: ok})
	}
	if _, err := fx.db.SaveSubmission(context.Background(), s); err != nil {
		fx.t.Fatal(err)
	}
}

func (fx *progressFixture) cell(p *Progress, group, unit string) ProgressCell {
	fx.t.Helper()
	for _, c := range p.Cells {
		if c.Group == group && c.Unit == unit {
			return c
		}
	}
	fx.t.Fatalf("no cell %s/%s", group, unit)
	return ProgressCell{}
}

func local(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, campaign.Zone)
}

func TestProgress(t *testing.T) {
	ctx := context.Background()
	fx := newProgressFixture(t)
	db := fx.db
	soUnits := fx.camp.Def.UnitsOfKind("so")

	// Group S3 (single-unit form) about Sở Nội vụ: one valid, one invalid, one awaiting a verdict,
	// one form voided.
	fx.save("S3/SNV", 0, local(5, 23, 30), true, "[]", map[string]bool{"SNV": true})
	fx.save("S3/SNV", 1, local(6, 0, 30), false,
		`[{"Code":"too_few_answers","Unit":"SNV","Message":"Sở Nội vụ: trả lời 3/10 câu"},{"Code":"outside_window","Unit":"","Message":"Ngoài thời gian"}]`,
		map[string]bool{"SNV": false})
	fx.save("S3/SNV", 2, local(6, 9, 0), true, "[]", map[string]bool{"SNV": true})
	if _, err := db.write.Exec(`UPDATE responses SET valid = NULL WHERE form_id = ?`, fx.forms["S3/SNV"][2].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.VoidForm(ctx, fx.forms["S3/SNV"][3].Code, "mất phiếu", false, 0); err != nil {
		t.Fatal(err)
	}
	// Group S1 (matrix form over every sở): one form valid for all, one invalid only for STP.
	all := map[string]bool{}
	allButSTP := map[string]bool{}
	for _, u := range soUnits {
		all[u.Code] = true
		allButSTP[u.Code] = u.Code != "STP"
	}
	fx.save("S1/", 0, local(6, 10, 0), true, "[]", all)
	fx.save("S1/", 1, local(9, 8, 0), false, `[{"Code":"too_few_answers","Unit":"STP","Message":"Sở Tư pháp: thiếu câu trả lời"}]`, allButSTP)
	// A legacy list of bare codes, and a malformed one that must not break the page.
	fx.save("S2/STC", 0, local(9, 9, 0), false, `["not_verified"]`, map[string]bool{"STC": false})
	fx.save("S2/STC", 1, local(9, 10, 0), false, `not json`, map[string]bool{"STC": false})

	p, err := db.Progress(ctx, fx.camp.ID)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("a single-unit group's cell counts issued forms without the voided one and every verdict", func(t *testing.T) {
		got := fx.cell(p, "S3", "SNV")
		want := ProgressCell{Group: "S3", Unit: "SNV", Issued: 9, Received: 3, Valid: 1, Invalid: 1, Pending: 1}
		if got != want {
			t.Fatalf("got %+v, want %+v", got, want)
		}
		if c := fx.cell(p, "S3", "STP"); c.Issued != 10 || c.Received != 0 {
			t.Fatalf("untouched unit: %+v", c)
		}
	})
	t.Run("a matrix group counts its forms once as a whole and once for each unit they cover", func(t *testing.T) {
		whole := fx.cell(p, "S1", "")
		if want := (ProgressCell{Group: "S1", Issued: 15, Received: 2, Valid: 1, Invalid: 1}); whole != want {
			t.Fatalf("whole group: got %+v, want %+v", whole, want)
		}
		if c := fx.cell(p, "S1", "STP"); c.Received != 2 || c.Valid != 1 || c.Invalid != 1 || c.Issued != 0 {
			t.Fatalf("STP: %+v", c)
		}
		for _, u := range soUnits {
			if c := fx.cell(p, "S1", u.Code); u.Code != "STP" && (c.Received != 2 || c.Valid != 2) {
				t.Fatalf("%s: %+v", u.Code, c)
			}
		}
	})
	t.Run("every issued group × unit has a cell, imported groups none", func(t *testing.T) {
		var issued int
		db.ReadRow(ctx, `SELECT count(*) FROM issued_forms WHERE voided_at IS NULL`, nil, &issued)
		sum := 0
		for _, c := range p.Cells {
			sum += c.Issued
			if c.Group == "S4" || c.Group == "H5" {
				t.Fatalf("cell for an imported group: %+v", c)
			}
		}
		if sum != issued {
			t.Fatalf("cells hold %d issued forms, the table %d", sum, issued)
		}
	})
	t.Run("days are counted in Asia/Ho_Chi_Minh, not in UTC", func(t *testing.T) {
		want := []DayCount{
			{Day: local(5, 0, 0), Received: 1, Valid: 1},
			{Day: local(6, 0, 0), Received: 3, Valid: 1},
			{Day: local(9, 0, 0), Received: 3, Valid: 0},
		}
		if len(p.Days) != len(want) {
			t.Fatalf("days %+v", p.Days)
		}
		for i, d := range p.Days {
			if !d.Day.Equal(want[i].Day) || d.Received != want[i].Received || d.Valid != want[i].Valid {
				t.Errorf("day %d: got %v %d/%d, want %v %d/%d", i, d.Day, d.Received, d.Valid, want[i].Day, want[i].Received, want[i].Valid)
			}
		}
	})
	t.Run("reasons count forms per code from the stored lists, bare codes included", func(t *testing.T) {
		got := fmt.Sprint(p.Reasons)
		if want := "[{too_few_answers 2} {not_verified 1} {outside_window 1}]"; got != want {
			t.Fatalf("reasons %s, want %s", got, want)
		}
	})
	t.Run("the last stored time is the latest response's", func(t *testing.T) {
		var last string
		db.ReadRow(ctx, `SELECT max(created_at) FROM responses`, nil, &last)
		if p.LastStored.IsZero() || !p.LastStored.Equal(parseTime(last)) {
			t.Fatalf("last stored %v, table says %s", p.LastStored, last)
		}
	})
	t.Run("another campaign's responses are not counted", func(t *testing.T) {
		other, err := db.Progress(ctx, fx.camp.ID+1)
		if err != nil {
			t.Fatal(err)
		}
		if len(other.Cells) != 0 || len(other.Days) != 0 || len(other.Reasons) != 0 || !other.LastStored.IsZero() {
			t.Fatalf("figures for a campaign that does not exist: %+v", other)
		}
	})
}

func TestProgressOfAFreshCampaign(t *testing.T) {
	fx := newProgressFixture(t)
	p, err := fx.db.Progress(context.Background(), fx.camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a campaign without responses has issued figures, no days, no reasons and no last time", func(t *testing.T) {
		if len(p.Cells) == 0 || len(p.Days) != 0 || len(p.Reasons) != 0 || !p.LastStored.IsZero() {
			t.Fatalf("%+v", p)
		}
		for _, c := range p.Cells {
			if c.Received+c.Valid+c.Invalid+c.Pending != 0 {
				t.Fatalf("figures without responses: %+v", c)
			}
		}
	})
}

func TestProgressQueriesUseIndexes(t *testing.T) {
	db := openTest(t)
	sqliteOnly(t, db)
	t.Run("the progress queries search by campaign through indexes and never scan a whole table", func(t *testing.T) {
		for name, q := range map[string]string{"cells": progressCells, "days": progressDays, "reasons": progressReasons} {
			args := []any{1}
			if name == "days" {
				args = append(args, "+25200 seconds")
			}
			rows, err := db.read.Query(`EXPLAIN QUERY PLAN `+q, args...)
			if err != nil {
				t.Fatal(err)
			}
			var plan []string
			for rows.Next() {
				var id, parent, notused int
				var detail string
				rows.Scan(&id, &parent, &notused, &detail)
				plan = append(plan, detail)
			}
			rows.Close()
			for _, step := range plan {
				for _, table := range []string{"issued_forms", "responses", "response_answers", " f", " r", " a"} {
					if strings.HasPrefix(step, "SCAN") && (strings.HasSuffix(step, table) || strings.Contains(step, table+" ")) {
						t.Errorf("%s: full scan %q in plan\n%s", name, step, strings.Join(plan, "\n"))
					}
				}
			}
		}
	})
}
