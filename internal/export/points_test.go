package export

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"github.com/xuri/excelize/v2"
)

// TestSurveyPointsArePerKind checks the campaign-wide lines of a run over the 2026 demo, whose
// agencies are worth 32 survey points and whose communes 30: the workbook's header line and
// the JSON feed give each kind's, the feed keeping its older campaign-wide field.
func TestSurveyPointsArePerKind(t *testing.T) {
	db := testenv.Open(t)
	camp := testenv.Demo2026(t, db)
	run, err := scorerun.ComputeAndSave(context.Background(), db, camp.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	none := func(bool, func(*store.ResponseRow) error) error { return nil }
	t.Run("the workbook's header line names each kind's maximum", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, run, none); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		line := ""
		for _, r := range sheet(t, x, SheetSummary) {
			if len(r) > 0 && strings.HasPrefix(r[0], "Điểm tối đa phần điều tra xã hội học") {
				line = r[0]
			}
		}
		if !strings.HasPrefix(line, "Điểm tối đa phần điều tra xã hội học: Sở, ban, ngành 32,00 điểm; Xã, phường, đặc khu 30,00 điểm.") {
			t.Fatalf("header line %q", line)
		}
	})
	t.Run("the feed lists each kind's points beside the campaign's", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteJSON(&buf, run); err != nil {
			t.Fatal(err)
		}
		var raw struct {
			Campaign struct {
				SurveyPoints string `json:"survey_points"`
				ByKind       []struct {
					Kind, Name, Points string
				} `json:"survey_points_by_kind"`
			} `json:"campaign"`
			Run struct {
				Method struct {
					ByKind []struct{ Kind, Points string } `json:"survey_points_by_kind"`
				} `json:"method"`
			} `json:"run"`
		}
		if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
			t.Fatal(err)
		}
		c := raw.Campaign
		if c.SurveyPoints != "32" || len(c.ByKind) != 2 || c.ByKind[0].Kind != "so" || c.ByKind[0].Points != "32" || c.ByKind[1].Kind != "xa" || c.ByKind[1].Points != "30" {
			t.Fatalf("campaign points %+v", c)
		}
		if m := raw.Run.Method.ByKind; len(m) != 2 || m[1].Points != "30" {
			t.Fatalf("method points %+v", m)
		}
	})
	t.Run("a campaign whose kinds share its points keeps the one figure", func(t *testing.T) {
		db := testenv.Open(t)
		camp := testenv.Demo(t, db)
		if got := maxPointsLine(camp.Def); got != "32,00 điểm" {
			t.Fatalf("line %q", got)
		}
	})
}
