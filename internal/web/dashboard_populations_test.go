package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// newPopulationsEnv is the two-level demo with online forms posted for S2 and S3 (see
// TestDashboardTracksPopulations), and the path of its dashboard.
func newPopulationsEnv(t *testing.T) (*testEnv, string) {
	t.Helper()
	db := testenv.Open(t)
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, campaign.Zone)
	db.SetClock(func() time.Time { return at })
	camp := testenv.Demo2026(t, db)
	e := &testEnv{t: t, db: db, srv: newServer(t, db), camp: camp}
	testenv.AddStaff(t, db)
	def := camp.Def
	var plan []campaign.IssueTarget
	for _, pick := range [][2]string{{"S2", "SNV"}, {"S2", "STP"}, {"S3", "SNV"}} {
		p, err := def.IssuePlan(pick[0], pick[1], 0)
		if err != nil {
			t.Fatal(err)
		}
		plan = append(plan, p...)
	}
	if _, err := db.Issue(context.Background(), camp.ID, 0, plan); err != nil {
		t.Fatal(err)
	}
	forms := map[string][]*store.IssuedForm{}
	db.Forms(context.Background(), camp.ID, store.FormFilter{}, func(f *store.IssuedForm) error {
		forms[f.Group+"/"+f.Unit] = append(forms[f.Group+"/"+f.Unit], f)
		return nil
	})
	respondent := e.client()
	n := 0
	// post sends count online forms of the group about the unit, each answering the population
	// field with the option numbered who.
	post := func(group, unit string, who, count int) {
		t.Helper()
		q := def.Questionnaire(def.Group(group).Form)
		for i := 0; i < count; i++ {
			list := forms[group+"/"+unit]
			f := list[0]
			forms[group+"/"+unit] = list[1:]
			v := answers(q, nil, 1, fmt.Sprintf("pop-%d", n))
			v.Set("r_chuc_vu", strconv.Itoa(who))
			n++
			if resp, body := respondent.post("/p/"+f.Token, v); resp.StatusCode != http.StatusOK {
				t.Fatalf("%s/%s form %d: status %d\n%s", group, unit, i, resp.StatusCode, body)
			}
		}
	}
	post("S2", "SNV", 1, 6) // six chairs: one over their quota of 5
	post("S2", "SNV", 2, 3) // three vice-chairs of 10
	post("S2", "STP", 2, 4)
	post("S3", "SNV", 2, 10) // ten vice-heads of 12: 2 short
	post("S3", "SNV", 3, 4)  // four civil servants stand in: 2 count, the shortfall
	return e, fmt.Sprintf("/campaigns/%d/dashboard", camp.ID)
}

// The two-level demo's S2 is two populations on one form (5 chairs and 10 vice-chairs per
// agency) and S3 has a substitute population (civil servants for missing vice-heads, at most 5
// per agency); the forms say who answered, and the dashboard shows how far each went.
func TestDashboardTracksPopulations(t *testing.T) {
	t.Parallel()
	e, path := newPopulationsEnv(t)
	admin := e.client()
	admin.login("giamsat")
	resp, body := admin.get(path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", resp.StatusCode, body)
	}
	t.Run("each population of a group is tracked against its own quota, summed over the units", func(t *testing.T) {
		s2 := section(t, body, "S2")
		// 20 agencies × 5 chairs; SNV has 6 valid of which 5 count.
		if got := row(t, s2, "Chủ tịch Ủy ban nhân dân cấp xã"); got[2] != "100" || got[3] != "6" || got[4] != "6" || got[5] != "5" {
			t.Errorf("chairs row %q, want quota 100, received 6, valid 6, counted 5", got)
		}
		if got := row(t, s2, "Phó Chủ tịch Ủy ban nhân dân cấp xã"); got[2] != "200" || got[4] != "7" || got[5] != "7" {
			t.Errorf("vice-chairs row %q, want quota 200, valid 7, counted 7", got)
		}
	})
	t.Run("a substitute fills only what its population left, within its cap", func(t *testing.T) {
		s3 := section(t, body, "S3")
		got := row(t, s3, "Công chức chuyên môn theo dõi ngành hoặc lĩnh vực thay cho Phó Trưởng phòng hoặc tương đương, tối đa 5 phiếu mỗi đơn vị")
		if got[1] != "bù phần còn thiếu" || got[4] != "4" || got[5] != "2" {
			t.Errorf("substitute row %q, want 4 valid of which 2 count", got)
		}
	})
	t.Run("the group is still one group on the overview", func(t *testing.T) {
		// S2: 9 forms for SNV (quota 15) and 4 for STP; quota 15 × 20 agencies.
		if got := row(t, section(t, body, "S2"), "Sở Nội vụ"); got[2] != "15" || got[5] != "9" {
			t.Errorf("S2/SNV row %q, want quota 15 and 9 valid", got)
		}
	})
}
