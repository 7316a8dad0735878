package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"github.com/parsurvey/parsurvey/internal/validation"
)

// hyperlink is a formula a unit's name may carry into the exports.
const hyperlink = `=HYPERLINK("http://evil.example","x")`

// hostileDemo loads the demo campaign, through the real loader and its checks, with names a
// spreadsheet would take for formulas: SNV is a hyperlink, STP starts with a tab and the kind
// of the departments with '@'.
func hostileDemo(t *testing.T) *campaign.Definition {
	return testenv.EditedDemo(t,
		testenv.Edit{File: "campaign.yaml", Old: "name: Sở Nội vụ\n", New: "name: '" + hyperlink + "'\n"},
		testenv.Edit{File: "campaign.yaml", Old: "name: Sở Tư pháp\n", New: `name: "\tSở Tư pháp"` + "\n"},
		testenv.Edit{File: "campaign.yaml", Old: "name: Sở, ban, ngành\n", New: `name: "@Sở, ban, ngành"` + "\n"})
}

// hostileRun stores the hostile demo with 2 online forms of group S3 about SNV and about STP,
// answers them all through the group-commit writer, judged by the valid-form rules, and scores.
func hostileRun(t *testing.T) (*scorerun.Run, Rows) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "export.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	receivedAt := time.Date(2026, 11, 20, 9, 0, 0, 0, campaign.Zone)
	db.SetClock(func() time.Time { return receivedAt })
	def := hostileDemo(t)
	for i := range def.Groups {
		def.Groups[i].Quota, def.Groups[i].QuotaOverrides = 2, nil
	}
	camp, _, err := db.SaveDefinition(ctx, def, 0)
	if err != nil {
		t.Fatal(err)
	}
	unitIDs, err := db.UnitIDs(ctx, camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	questions := len(camp.Def.Questionnaire(camp.Def.Group("S3").Form).Questions())
	c := db.NewCommitter()
	defer c.Close()
	for _, unit := range []string{"SNV", "STP"} {
		plan, err := camp.Def.IssuePlan("S3", unit, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Issue(ctx, camp.ID, 0, plan); err != nil {
			t.Fatal(err)
		}
		err = db.Forms(ctx, camp.ID, store.FormFilter{Group: "S3", Unit: unit}, func(f *store.IssuedForm) error {
			ans := strings.Repeat("1", questions)
			v := validation.Check(camp.Def, validation.Facts{Issued: true, IssuedGroup: f.Group, IssuedUnits: []string{f.Unit}, Group: f.Group,
				Channel: campaign.ChannelOnline, ReceivedAt: receivedAt, FirstForCode: true,
				Answers: []validation.UnitAnswers{{Unit: f.Unit, Answers: response.Answers(ans)}}})
			if !v.Valid {
				return fmt.Errorf("form %s judged invalid: %v", f.Code, v.Reasons)
			}
			_, err := c.Submit(ctx, &store.Submission{FormID: f.ID, CampaignID: camp.ID, Channel: "online", SubmissionID: "csv-" + f.Code, Digest: f.Code,
				Respondent: `{"gioi_tinh":"Nữ"}`, ReceivedAt: receivedAt, Valid: true, Reasons: "[]",
				Answers: []store.UnitAnswers{{UnitID: unitIDs[f.Unit], Answers: ans, Valid: true}}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	run, err := scorerun.ComputeAndSave(ctx, db, camp.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	return run, func(only bool, fn func(*store.ResponseRow) error) error {
		return db.ResponseRows(ctx, camp.ID, only, fn)
	}
}

// readCSV reads back a file written with a byte order mark; a row of responses has only as
// many answer cells as its questionnaire has questions.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestCSVFilesNeutraliseFormulas(t *testing.T) {
	run, rows := hostileRun(t)
	t.Run("responses", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteResponsesCSV(&buf, run.Def, rows); err != nil {
			t.Fatal(err)
		}
		recs := readCSV(t, buf.Bytes())
		h := recs[0]
		byUnit := map[string][]string{}
		for _, r := range recs[1:] {
			byUnit[r[col(h, "Mã đơn vị")]] = r
		}
		snv, stp := byUnit["SNV"], byUnit["STP"]
		if len(recs) != 1+4 || snv == nil || stp == nil {
			t.Fatalf("want a header and 4 rows for SNV and STP, got %q", recs)
		}
		name := col(h, "Đơn vị được đánh giá")
		tests := []struct {
			name, got, want string
		}{
			{"a unit named like a formula is quoted", snv[name], "'" + hyperlink},
			{"a unit name starting with a tab is quoted", stp[name], "'\tSở Tư pháp"},
			{"the row number is left a number", recs[1][col(h, "STT")], "1"},
			{"an answer is left an option number", snv[col(h, "Câu 1")], "1"},
			{"the respondent's details are left as they are", snv[col(h, "Thông tin người trả lời")], "Giới tính: Nữ"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.got != tt.want {
					t.Errorf("cell %q, want %q", tt.got, tt.want)
				}
			})
		}
	})
	t.Run("scores", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteScoresCSV(&buf, run); err != nil {
			t.Fatal(err)
		}
		recs := readCSV(t, buf.Bytes())
		byUnit := map[string][]string{}
		for _, r := range recs[1:] {
			byUnit[r[2]] = r
		}
		snv, stp := byUnit["SNV"], byUnit["STP"]
		if snv == nil || stp == nil {
			t.Fatalf("no row for SNV or STP in %q", recs)
		}
		var total *scoring.UnitResult
		for i, u := range run.Result.Units {
			if u.Unit == "SNV" {
				total = &run.Result.Units[i]
			}
		}
		if total == nil || total.Total == nil || total.Total.Sign() <= 0 {
			t.Fatalf("SNV has no score in the run: %+v", total)
		}
		tests := []struct {
			name, got, want string
		}{
			{"a unit named like a formula is quoted", snv[3], "'" + hyperlink},
			{"a unit name starting with a tab is quoted", stp[3], "'\tSở Tư pháp"},
			{"a kind of unit starting with an at sign is quoted", snv[0], "'@Sở, ban, ngành"},
			{"the total is left a number", snv[4], scoring.Round2(total.Total)},
			{"the exact total is left as it is", snv[8], total.Total.RatString()},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.got != tt.want {
					t.Errorf("cell %q, want %q", tt.got, tt.want)
				}
			})
		}
	})
}
