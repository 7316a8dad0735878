package pdf

import (
	"os"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// TestSkipLines checks the skip-logic lines and the writing lines of K1 of the question-kinds
// campaign (internal/campaign/testdata/kinds).
func TestSkipLines(t *testing.T) {
	def, err := campaign.Load(os.DirFS("../campaign/testdata"), "kinds")
	if err != nil {
		t.Fatal(err)
	}
	sk := skipLines(def.Questionnaire("K1"))
	if got := sk[0].jump; got != "→ Nếu chọn «Không», chuyển sang câu 3." {
		t.Errorf("jump at question 1 = %q", got)
	}
	if got := sk[1].only; got != "(Chỉ trả lời nếu ở câu 1 chọn «Có».)" {
		t.Errorf("condition at question 2 = %q", got)
	}
	if len(sk) != 2 {
		t.Errorf("%d questions carry skip lines, want 2: %v", len(sk), sk)
	}
	if n := writingLines(&def.Questionnaire("K1").Questions()[3]); n != 6 {
		t.Errorf("a 500-character open question gets %d writing lines, want 6", n)
	}
}
