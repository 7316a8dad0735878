package scoring

import (
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// communeTree gives kind X (communes) a tree of its own worth 20 points: area B (20) → BC (20)
// → S1 (12), S9 (8). S1 reuses a code of the campaign's tree: codes are unique within one tree
// only. Group GX answers FX (Q1 → S1, Q9 → S9) about communes; GI is imported for X, mapped to
// S9.
func communeTree(d *campaign.Definition) {
	twenty := dec("20")
	d.Kinds[1].SurveyPoints = &twenty
	d.Kinds[1].Areas = []campaign.Area{{Code: "B", Name: "Lĩnh vực xã", Points: dec("20"), Criteria: []campaign.Criterion{
		{Code: "BC", Name: "Tiêu chí xã", Points: dec("20"), Subs: []campaign.SubCriterion{
			{Code: "S1", Name: "Thành phần xã 1", Points: dec("12")},
			{Code: "S9", Name: "Thành phần xã 9", Points: dec("8")},
		}},
	}}}
	d.Questionnaires = append(d.Questionnaires, campaign.Questionnaire{Code: "FX", Title: "Phiếu xã", Shape: campaign.ShapeSingle,
		Sections: []campaign.Section{{Title: "I", Questions: []campaign.Question{question("Q1", "S1"), question("Q9", "S9")}}}})
	d.Groups = append(d.Groups,
		campaign.Group{Code: "GX", Name: "Lãnh đạo sở", Evaluates: "X", Form: "FX", Quota: 5, Weight: decp("1"), Channels: []campaign.Channel{campaign.ChannelPaper}},
		campaign.Group{Code: "GI", Name: "Người dân", Evaluates: "X", Weight: decp("1"), Channels: []campaign.Channel{campaign.ChannelSIPAS}, Feeds: []string{"S9"}})
}

func TestEachKindIsScoredOnItsOwnTree(t *testing.T) {
	def := with(communeTree)
	// H1: Q1 1, Q2 1, Q3 1 → 10 of 10. X1: Q1 B (0.6) → S1 = 12 × 0.6 = 36/5; Q9 A (1) and the
	// imported 1/2 on S9 → (1 + 1/2)/2 = 3/4 → S9 = 6; total 66/5 of 20 = 66%.
	res, err := Score(def, join(forms("G1", "H1", "1111"), forms("GX", "X1", "21")), []Ratio{ratio("GI", "X1", "", "1/2")})
	if err != nil {
		t.Fatal(err)
	}
	h1, x1 := res.Unit("H1"), res.Unit("X1")
	t.Run("a district keeps the campaign's tree and its 10 points", func(t *testing.T) {
		if got := h1.Total.RatString(); got != "10" {
			t.Errorf("H1 total %s, want 10", got)
		}
		if got := h1.Percent.RatString(); got != "100" || h1.Band != "A" {
			t.Errorf("H1 percent %s band %q, want 100 A", got, h1.Band)
		}
		if len(h1.Areas) != 1 || h1.Areas[0].Code != "A" {
			t.Errorf("H1 areas %+v, want the campaign's area A", h1.Areas)
		}
	})
	t.Run("a commune is scored on its kind's tree, the same code meaning its own sub-criterion", func(t *testing.T) {
		if len(x1.Areas) != 1 || x1.Areas[0].Code != "B" {
			t.Fatalf("X1 areas %+v, want the communes' area B", x1.Areas)
		}
		if got := x1.Sub("S1"); got == nil || got.Points.RatString() != "36/5" || got.Max != dec("12") {
			t.Errorf("X1 S1 %+v, want 36/5 of 12", got)
		}
		if got := x1.Sub("S9").Points.RatString(); got != "6" {
			t.Errorf("X1 S9 %s, want 6 (question and imported ratio combined)", got)
		}
		if x1.Sub("S2") != nil {
			t.Error("X1 carries S2, which only the campaign's tree has")
		}
	})
	t.Run("a commune's percent and band are taken of its kind's survey points, bands campaign-wide", func(t *testing.T) {
		if got := x1.Total.RatString(); got != "66/5" {
			t.Errorf("X1 total %s, want 66/5", got)
		}
		if got := x1.Percent.RatString(); got != "66" || x1.Band != "" {
			t.Errorf("X1 percent %s band %q, want 66 and no band (below C at 70)", got, x1.Band)
		}
	})
	t.Run("the method statement says each kind has its own tree and points", func(t *testing.T) {
		all := strings.Join(res.Options, "\n")
		for _, want := range []string{"10 điểm với Huyện; 20 điểm với Xã", "Xã theo 1 lĩnh vực, 2 tiêu chí thành phần, tổng 20 điểm"} {
			if !strings.Contains(all, want) {
				t.Errorf("statement lacks %q:\n%s", want, all)
			}
		}
	})
}

func TestTreesRefuseWhatTheyDoNotHold(t *testing.T) {
	t.Run("a question feeding a sub-criterion only another kind's tree has is refused", func(t *testing.T) {
		def := with(communeTree, func(d *campaign.Definition) {
			d.Questionnaire("FX").Sections[0].Questions[1].Feeds = "S2"
		})
		if _, err := New(def); err == nil || !strings.Contains(err.Error(), "unknown sub-criterion S2") {
			t.Errorf("got %v, want unknown sub-criterion S2", err)
		}
	})
	t.Run("a ratio for a sub-criterion outside the kind's tree is refused", func(t *testing.T) {
		s, err := New(with(communeTree))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Import(ratio("GI", "X1", "S2", "1/2")); err == nil {
			t.Error("a ratio on S2 for a commune was accepted")
		}
	})
}
