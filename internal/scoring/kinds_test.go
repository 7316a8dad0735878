package scoring

import (
	"math/big"
	"os"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/response"
)

// TestQuestionKindsScore scores the question-kinds campaign (internal/campaign/testdata/kinds)
// with blanks counted as 0, so that a skipped question counted as blank would show: C2 is asked
// only after C1 = 1, C4 is open, and C1 here has twelve options (unscored, keyed as two digits).
func TestQuestionKindsScore(t *testing.T) {
	def, err := campaign.Load(os.DirFS("../campaign/testdata"), "kinds")
	if err != nil {
		t.Fatal(err)
	}
	def.Scoring.Blank = campaign.MissingZero
	c1 := &def.Questionnaires[0].Sections[0].Questions[0]
	for len(c1.Options) < 12 {
		c1.Options = append(c1.Options, campaign.Option{Label: "Khác"})
	}
	s, err := New(def)
	if err != nil {
		t.Fatalf("a campaign with an open question and a twelve-option unscored question: %v", err)
	}
	for _, a := range []string{
		"2-21", // C2 skipped, C3 Khá (0.6), C4 có ý kiến
		"1110", // C2 Tốt, C3 Tốt
		"C-10", // C1 option 12, C2 skipped, C3 Tốt
	} {
		if err := s.Add(Form{Group: "CB", Unit: "X01", Answers: response.Answers(a)}); err != nil {
			t.Fatalf("answers %q: %v", a, err)
		}
	}
	u := s.Result().Unit("X01")
	// 1.1.1 (4 points) from C2 alone: one answer, Tốt. 1.1.2 (6 points) from C3: (0.6+1+1)/3.
	if got := u.Sub("1.1.1").Points; got.Cmp(big.NewRat(4, 1)) != 0 {
		t.Errorf("1.1.1 = %s points, want 4: a skipped question counted", got.RatString())
	}
	if got := u.Sub("1.1.2").Points; got.Cmp(big.NewRat(52, 10)) != 0 {
		t.Errorf("1.1.2 = %s points, want 5.2", got.RatString())
	}
}
