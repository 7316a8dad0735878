package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
)

// scoredCampaign is the demo campaign with three responses written directly: a valid online
// form of S3 about SNV, an invalid one about STP, and a matrix form of S1 valid for SNV only.
func scoredCampaign(t *testing.T) (*DB, *Campaign) {
	t.Helper()
	db := openTest(t)
	ctx := context.Background()
	c, _, err := db.SaveDefinition(ctx, demo(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(tx *sql.Tx) error {
		id := func(q string, args ...any) (n int64) {
			tx.QueryRow(q, args...).Scan(&n)
			return n
		}
		s3 := id(`SELECT id FROM respondent_groups WHERE campaign_id = ? AND code = 'S3'`, c.ID)
		s1 := id(`SELECT id FROM respondent_groups WHERE campaign_id = ? AND code = 'S1'`, c.ID)
		snv := id(`SELECT id FROM units WHERE campaign_id = ? AND code = 'SNV'`, c.ID)
		stp := id(`SELECT id FROM units WHERE campaign_id = ? AND code = 'STP'`, c.ID)
		for i, r := range []struct {
			group, unit any
			valid       int
			answers     map[int64][2]any
		}{
			{s3, snv, 1, map[int64][2]any{snv: {"1111", 1}}},
			{s3, stp, 0, map[int64][2]any{stp: {"0000", 0}}},
			{s1, nil, 0, map[int64][2]any{snv: {"2222", 1}, stp: {"0000", 0}}},
		} {
			fid, err := insertID(tx, `INSERT INTO issued_forms (campaign_id, group_id, unit_id, serial, code, token, channel, issued_at)
				VALUES (?, ?, ?, ?, ?, ?, 'online', 'now')`, c.ID, r.group, r.unit, i+1, fmt.Sprintf("T-%d", i), fmt.Sprintf("tok%d", i))
			if err != nil {
				return err
			}
			rid, err := insertID(tx, `INSERT INTO responses (campaign_id, form_id, channel, body_digest, receipt, received_at, valid, created_at)
				VALUES (?, ?, 'online', 'd', ?, '2026-11-15T02:00:00Z', ?, 'now')`, c.ID, fid, fmt.Sprintf("R%d", i), r.valid)
			if err != nil {
				return err
			}
			for uid, a := range r.answers {
				if _, err := tx.Exec(`INSERT INTO response_answers (response_id, unit_id, answers, valid) VALUES (?, ?, ?, ?)`, rid, uid, a[0], a[1]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, c
}

func TestScoringRowsCarryEachUnitsVerdict(t *testing.T) {
	db, c := scoredCampaign(t)
	ctx := context.Background()
	var got []string
	err := db.ScoringRows(ctx, c.ID, func(r *ScoringRow) error {
		if r.Judged && r.Valid {
			got = append(got, fmt.Sprintf("%d %s %s %s", r.ResponseID, r.Group, r.Unit, r.Answers))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[1 S3 SNV 1111 3 S1 SNV 2222]" {
		t.Fatalf("counted %v", got)
	}
	t.Run("the tally counts every form per group and unit, valid or not", func(t *testing.T) {
		tally, err := db.AnswerTally(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%+v", tally) != "[{Group:S1 Unit:SNV Forms:1 Valid:1 Invalid:0 Pending:0} {Group:S1 Unit:STP Forms:1 Valid:0 Invalid:1 Pending:0} "+
			"{Group:S3 Unit:SNV Forms:1 Valid:1 Invalid:0 Pending:0} {Group:S3 Unit:STP Forms:1 Valid:0 Invalid:1 Pending:0}]" {
			t.Fatalf("tally %+v", tally)
		}
	})
	t.Run("the export rows list every form and unit, and the invalid ones apart", func(t *testing.T) {
		all, invalid := 0, 0
		db.ResponseRows(ctx, c.ID, false, func(*ResponseRow) error { all++; return nil })
		db.ResponseRows(ctx, c.ID, true, func(r *ResponseRow) error {
			invalid++
			if r.Unit != "STP" {
				t.Errorf("invalid row about %s", r.Unit)
			}
			return nil
		})
		if all != 4 || invalid != 2 {
			t.Fatalf("%d rows, %d invalid", all, invalid)
		}
	})
	t.Run("stored responses come with their answers per unit", func(t *testing.T) {
		var seen []string
		db.StoredResponses(ctx, c.ID, 1, func(r *StoredResponse) error {
			seen = append(seen, fmt.Sprintf("%d %s %q %d", r.ID, r.Group, r.FormUnit, len(r.Answers)))
			return nil
		})
		if fmt.Sprint(seen) != `[2 S3 "STP" 1 3 S1 "" 2]` {
			t.Fatalf("stored %v", seen)
		}
	})
}

func TestRevalidationIsOneTransaction(t *testing.T) {
	db, c := scoredCampaign(t)
	ctx := context.Background()
	settings := `{"min_answered_percent":0}`
	rv := &Revalidation{CampaignID: c.ID, Expect: "{}", Settings: &settings, Through: 3, Action: "settings.update",
		Verdicts: []Verdict{{ResponseID: 2, Valid: true, Reasons: "[]", Units: []UnitVerdict{{UnitID: 2, Valid: true}}}}}
	if err := db.SaveRevalidation(ctx, rv); err != nil {
		t.Fatal(err)
	}
	cs, _ := db.CampaignSettings(ctx, c.ID)
	if cs.JSON != settings || cs.ValidatedThrough != 3 {
		t.Fatalf("settings %+v", cs)
	}
	var valid, unit int
	db.ReadRow(ctx, `SELECT r.valid, a.valid FROM responses r JOIN response_answers a ON a.response_id = r.id WHERE r.id = 2`, nil, &valid, &unit)
	if valid != 1 || unit != 1 {
		t.Fatalf("verdict not stored: %d %d", valid, unit)
	}
	t.Run("verdicts made under settings that changed meanwhile are refused", func(t *testing.T) {
		stale := &Revalidation{CampaignID: c.ID, Expect: "{}", Through: 3,
			Verdicts: []Verdict{{ResponseID: 2, Valid: false, Reasons: `["x"]`}}}
		if err := db.SaveRevalidation(ctx, stale); !errors.Is(err, ErrSettingsChanged) {
			t.Fatalf("err %v", err)
		}
		db.ReadRow(ctx, `SELECT valid FROM responses WHERE id = 2`, nil, &valid)
		if valid != 1 {
			t.Fatal("a stale verdict was written")
		}
	})
}

func TestScoreRunsCannotChange(t *testing.T) {
	db, c := scoredCampaign(t)
	ctx := context.Background()
	r := &ScoreRun{CampaignID: c.ID, CampaignVersion: 1, Settings: "{}", Method: "{}", InputDigest: "sha256:a", ResultDigest: "sha256:b", Forms: 2, Result: []byte(`{"x":1}`)}
	if err := db.SaveScoreRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.Exec(`UPDATE score_runs SET forms = 3`); err == nil {
		t.Fatal("a score run was changed")
	}
	if _, err := db.write.Exec(`DELETE FROM score_runs`); err == nil {
		t.Fatal("a score run was deleted")
	}
	got, err := db.LatestScoreRun(ctx, c.ID)
	if err != nil || got.ID != r.ID || string(got.Result) != `{"x":1}` || got.Forms != 2 {
		t.Fatalf("run %+v, %v", got, err)
	}
	list, _ := db.ScoreRuns(ctx, c.ID)
	if len(list) != 1 || list[0].Result != nil {
		t.Fatalf("list %+v", list)
	}
	if _, err := db.ScoreRun(ctx, c.ID, r.ID+1); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing run: %v", err)
	}
	if _, err := db.DefinitionVersion(ctx, c.ID, 1); err != nil {
		t.Fatal(err)
	}
}

func TestAPITokens(t *testing.T) {
	db, c := scoredCampaign(t)
	ctx := context.Background()
	tok, err := db.CreateAPIToken(ctx, "secret-value", "Hệ thống tổng hợp", c.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	db.ReadRow(ctx, `SELECT token_hash FROM api_tokens`, nil, &stored)
	if stored == "secret-value" || len(stored) != 64 {
		t.Fatalf("stored %q", stored)
	}
	got, err := db.APITokenByValue(ctx, "secret-value")
	if err != nil || got.ID != tok.ID || got.CampaignID != c.ID {
		t.Fatalf("token %+v, %v", got, err)
	}
	if err := db.TouchAPIToken(ctx, got); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeAPIToken(ctx, c.ID, tok.ID, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.APITokenByValue(ctx, "secret-value"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoked token still works: %v", err)
	}
	list, _ := db.APITokens(ctx, c.ID)
	if len(list) != 1 || !list[0].Revoked() || list[0].LastUsedAt.IsZero() {
		t.Fatalf("tokens %+v", list)
	}
}
