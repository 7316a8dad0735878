package issuing

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/store"
)

// TestIssueUnits issues the council delegates' matrix form (S1, every agency) for lists of
// agencies (issue 12, item 6).
func TestIssueUnits(t *testing.T) {
	t.Parallel()
	s, c := newService(t, 2)
	ctx := context.Background()
	t.Run("a list issues its count once, asking again issues nothing more", func(t *testing.T) {
		for _, want := range []int{2, 0} {
			n, err := s.IssueUnits(ctx, c, "S1", []string{"STP", "SNV"}, 2, 0)
			if err != nil || n != want {
				t.Fatalf("issued %d (%v), want %d", n, err, want)
			}
		}
		if n, err := s.IssueUnits(ctx, c, "S1", []string{"STC"}, 1, 0); err != nil || n != 1 {
			t.Fatalf("another list: %d (%v)", n, err)
		}
	})
	t.Run("issuing by quota counts the listed forms among the group's", func(t *testing.T) {
		if n, err := s.Issue(ctx, c, "S1", "", 0, 0); err != nil || n != 0 {
			t.Fatalf("by quota %d (%v), want 0: three forms exceed the quota of 2", n, err)
		}
	})
	for _, tc := range []struct {
		name, group string
		units       []string
		count       int
		msg         string
	}{
		{"a single-unit group takes no list", "S2", []string{"SNV"}, 1, "Nhóm S2 trả lời phiếu một đơn vị"},
		{"an imported group issues nothing", "S4", []string{"SNV"}, 1, "Nhóm S4 nhập kết quả từ SIPAS"},
		{"a unit of another kind is refused", "S1", []string{"SNV", "H01"}, 1, "Đơn vị H01 ("},
		{"a count below one is refused", "S1", []string{"SNV"}, 0, "Số phiếu cho danh sách đơn vị phải từ 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.IssueUnits(ctx, c, tc.group, tc.units, tc.count, 0)
			fe := fault.As(err)
			if fe == nil || fe.Kind != fault.Invalid || !strings.HasPrefix(fe.Msg, tc.msg) {
				t.Fatalf("error %v, want Invalid %q", err, tc.msg)
			}
		})
	}
	t.Run("each list prints as a run of its own, named by its first code", func(t *testing.T) {
		p, err := s.Plan(ctx, c, Selection{Group: "S1"})
		if err != nil || p.Copies != 3 || p.Runs != 2 || p.PDF() {
			t.Fatalf("plan %+v (%v), want 3 copies in 2 runs, a ZIP", p, err)
		}
	})
	t.Run("the distribution list names the units of each form", func(t *testing.T) {
		var buf bytes.Buffer
		if err := s.WriteDistributionCSV(ctx, c, Selection{Group: "S1"}, &buf); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, r := range rows[1:] {
			got[r[4]]++
		}
		if got["2 đơn vị: Sở Nội vụ, Sở Tư pháp"] != 2 || got["1 đơn vị: Sở Tài chính"] != 1 {
			t.Fatalf("unit names %v", got)
		}
	})
	t.Run("a list's forms keep their units in the store", func(t *testing.T) {
		var lists []string
		s.DB.Forms(ctx, c.ID, store.FormFilter{Group: "S1"}, func(f *store.IssuedForm) error {
			lists = append(lists, strings.Join(subsetKey(f), ","))
			return nil
		})
		if strings.Join(lists, " ") != "SNV,STP SNV,STP STC" {
			t.Fatalf("lists %v", lists)
		}
	})
}
