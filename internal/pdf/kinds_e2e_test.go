//go:build e2e

package pdf

import (
	"os"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
)

// TestE2EQuestionKindsPrint prints K1 of the question-kinds campaign (internal/campaign/
// testdata/kinds) and reads it back: the skip instruction at the earlier question, the
// condition at the follow-up, the twelve options of the profile field and the open question
// with its writing lines.
func TestE2EQuestionKindsPrint(t *testing.T) {
	need(t, "pdftotext", "pdftoppm")
	def, err := campaign.Load(os.DirFS("../campaign/testdata"), "kinds")
	if err != nil {
		t.Fatal(err)
	}
	q := def.Questionnaire("K1")
	copies := []Copy{{Code: formcode.New("CB", "X01", 1), Link: "https://khaosat.binhan.gov.vn/p/k0000000000000000000000001"}}
	path := writeFile(t, q, def.Units, copies)
	text := strings.Join(pageTexts(t, path), " ")
	for _, want := range []string{
		"Câu 1. Trong năm qua, Ông/Bà có trực tiếp tiếp nhận hồ sơ thủ tục hành chính không?",
		"→ Nếu chọn «Không», chuyển sang câu 3.",
		"Câu 2. Việc hướng dẫn người dân hoàn thiện hồ sơ",
		"(Chỉ trả lời nếu ở câu 1 chọn «Có».)",
		"Câu 4. Ý kiến, kiến nghị của Ông/Bà",
		"Khác",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("printed form lacks %q\n%s", want, text)
		}
	}
	// The jump is printed once, after the options of question 1 and before question 2.
	if i, j := strings.Index(text, "chuyển sang câu 3"), strings.Index(text, "Câu 2."); i < 0 || j < i {
		t.Errorf("the skip instruction is not between questions 1 and 2")
	}
	pages := render(t, path)
	if dir := os.Getenv("PARSURVEY_KEEP_PAGES"); dir != "" {
		for i, p := range pages {
			b, _ := os.ReadFile(p)
			os.WriteFile(dir+"/kinds-page-"+string(rune('1'+i))+".png", b, 0o644)
		}
	}
}
