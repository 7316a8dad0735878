package issuing

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// hyperlink is a formula an enumerator's name may carry into the distribution list.
const hyperlink = `=HYPERLINK("http://evil.example","x")`

// hostileDemo loads the demo campaign, through the real loader and its checks, with names a
// spreadsheet would take for formulas: SNV starts with '@', STP with a tab, group S2 with '+'.
func hostileDemo(t *testing.T) *campaign.Definition {
	return testenv.EditedDemo(t,
		testenv.Edit{File: "campaign.yaml", Old: "name: Sở Nội vụ\n", New: `name: "@SUM(1+1)*cmd|' /C calc'!A0"` + "\n"},
		testenv.Edit{File: "campaign.yaml", Old: "name: Sở Tư pháp\n", New: `name: "\tSở Tư pháp"` + "\n"},
		testenv.Edit{File: "campaign.yaml", Old: "name: Lãnh đạo cấp phòng và tương đương thuộc sở, ban, ngành\n", New: `name: "+Lãnh đạo cấp phòng"` + "\n"})
}

func TestDistributionCSVNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.Open(t)
	def := hostileDemo(t)
	for i := range def.Groups {
		def.Groups[i].Quota, def.Groups[i].QuotaOverrides = 1, nil
	}
	c, _, err := db.SaveDefinition(ctx, def, 0)
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{DB: db, BaseURL: testBaseURL + "/"}
	for _, unit := range []string{"SNV", "STP"} {
		if _, err := s.Issue(ctx, c, "S2", unit, 0, 0); err != nil {
			t.Fatal(err)
		}
	}
	supervisor := &store.User{Username: "gs", FullName: "Giám sát viên", Role: store.RoleSupervisor, PasswordHash: "x"}
	if err := db.CreateUser(ctx, supervisor); err != nil {
		t.Fatal(err)
	}
	// One enumerator is named like a formula, the other like a number.
	names := map[string]string{"SNV": hyperlink, "STP": "-12,5"}
	for unit, name := range names {
		u := &store.User{Username: "dtv" + strings.ToLower(unit), FullName: name, Role: store.RoleEnumerator, PasswordHash: "x"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		issued := listForms(t, s, c, store.FormFilter{Group: "S2", Unit: unit})
		if _, err := db.Assign(ctx, c.ID, []string{issued[0].Code}, u.ID, supervisor.ID); err != nil {
			t.Fatal(err)
		}
	}

	var buf bytes.Buffer
	if err := s.WriteDistributionCSV(ctx, c, Selection{Group: "S2"}, &buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	byUnit := map[string][]string{}
	for _, r := range rows[1:] {
		byUnit[r[3]] = r
	}
	snv, stp := byUnit["SNV"], byUnit["STP"]
	if snv == nil || stp == nil {
		t.Fatalf("no line for SNV or STP in %q", rows)
	}
	tests := []struct {
		name, got, want string
	}{
		{"an enumerator named like a formula is quoted", snv[7], "'" + hyperlink},
		{"a unit name starting with an at sign is quoted", snv[4], "'@SUM(1+1)*cmd|' /C calc'!A0"},
		{"a unit name starting with a tab is quoted", stp[4], "'\tSở Tư pháp"},
		{"a group name starting with a plus sign is quoted", snv[2], "'+Lãnh đạo cấp phòng"},
		{"an enumerator named like a negative number is left a number", stp[7], "-12,5"},
		{"a form code is left as it is", snv[0], listForms(t, s, c, store.FormFilter{Group: "S2", Unit: "SNV"})[0].Code},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("cell %q, want %q", tt.got, tt.want)
			}
		})
	}
	t.Run("the XLSX list keeps the names as typed, since it stores them as text", func(t *testing.T) {
		var buf bytes.Buffer
		if err := s.WriteDistributionXLSX(ctx, c, Selection{Group: "S2", Unit: "SNV"}, &buf); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		got, err := x.GetCellValue("Danh sách phát phiếu", "H2")
		if err != nil || got != hyperlink {
			t.Errorf("H2 = %q (%v), want %q", got, err, hyperlink)
		}
		if f, _ := x.GetCellFormula("Danh sách phát phiếu", "H2"); f != "" {
			t.Errorf("H2 holds the formula %q", f)
		}
	})
}
