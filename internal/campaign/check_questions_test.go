package campaign

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// kindsSection is a second section of F1 with an unscored profile question, a follow-up asked
// only after its first answer, and an open question. Its first line is line 22 of F1.
const kindsSection = `  - title: II. THÔNG TIN THÊM
    questions:
      - code: P1
        text: Ông/Bà đã liên hệ giải quyết thủ tục hành chính trong năm qua chưa?
        options:
          - {label: Đã liên hệ}
          - {label: Chưa liên hệ}
      - code: P2
        text: Thủ tục Ông/Bà đã giải quyết thuộc lĩnh vực nào?
        show_if: {question: P1, answers: [1]}
        options:
          - {label: Đất đai}
          - {label: Xây dựng}
          - {label: Khác}
      - code: Y1
        kind: text
        text: Ý kiến, kiến nghị khác của Ông/Bà
        max_length: 800
thanks: Cảm ơn Ông/Bà!`

// withKinds adds kindsSection to F1; the edits after it change the section.
func withKinds(edits ...edit) []edit {
	return append([]edit{replace(f1YAML, "thanks: Cảm ơn Ông/Bà!", kindsSection)}, edits...)
}

// manyOptions is n options of an unscored question, one a line, indented for P1.
func manyOptions(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "          - {label: Lựa chọn %d}\n", i)
	}
	return b.String()
}

func TestQuestionKinds(t *testing.T) {
	t.Run("an unscored question without weights, a skip and an open question load", func(t *testing.T) {
		d, err := loadEdited(t, withKinds()...)
		assertProblems(t, err, nil)
		if d == nil || err != nil {
			return
		}
		qs := d.Questionnaire("F1").Questions()
		if len(qs) != 5 {
			t.Fatalf("F1 has %d questions, want 5", len(qs))
		}
		if qs[2].Scored() || qs[2].IsText() {
			t.Errorf("P1 scored %v, text %v: want an unscored closed question", qs[2].Scored(), qs[2].IsText())
		}
		if c := qs[3].ShowIf; c == nil || c.Question != "P1" || len(c.Answers) != 1 || c.Answers[0] != 1 {
			t.Errorf("P2 show_if = %+v, want P1 answered 1", c)
		}
		if !qs[4].IsText() || qs[4].TextLimit() != 800 {
			t.Errorf("Y1 text %v, limit %d: want an open question of 800 characters", qs[4].IsText(), qs[4].TextLimit())
		}
		if !d.KeysText() {
			t.Error("open answers are keyed as text unless the campaign says flag")
		}
	})
	t.Run("an open question without max_length takes the default length", func(t *testing.T) {
		d, err := loadEdited(t, withKinds(replace(f1YAML, "        max_length: 800\n", ""))...)
		assertProblems(t, err, nil)
		if err == nil && d.Questionnaire("F1").Questions()[4].TextLimit() != DefaultTextLength {
			t.Errorf("limit %d, want %d", d.Questionnaire("F1").Questions()[4].TextLimit(), DefaultTextLength)
		}
	})
	t.Run("a campaign that keys only whether there is an opinion loads", func(t *testing.T) {
		d, err := loadEdited(t, withKinds(replace(campaignYAML, "  min_answered_percent: 70\n", "  min_answered_percent: 70\n  text_keying: flag\n"))...)
		assertProblems(t, err, nil)
		if err == nil && d.KeysText() {
			t.Error("text_keying: flag still keys the text")
		}
	})
	t.Run("an unscored question may have twelve options, keyed as two digits", func(t *testing.T) {
		_, err := loadEdited(t, withKinds(replace(f1YAML, "          - {label: Đã liên hệ}\n          - {label: Chưa liên hệ}\n", manyOptions(12)))...)
		assertProblems(t, err, nil)
	})

	runChecks(t, []checkCase{
		{
			name:  "a show_if naming an unknown question is refused",
			edits: withKinds(replace(f1YAML, "{question: P1, answers: [1]}", "{question: P9, answers: [1]}")),
			want:  []want{{f1YAML, 31, "sections[1].questions[1].show_if.question", `câu điều kiện "P9" không có trong mẫu phiếu F1`}},
		},
		{
			name:  "a show_if naming a later question is refused",
			edits: withKinds(replace(f1YAML, "{question: P1, answers: [1]}", "{question: Y1, answers: [1]}")),
			want:  []want{{f1YAML, 31, "sections[1].questions[1].show_if.question", "câu P2 phụ thuộc vào câu Y1 đứng sau nó"}},
		},
		{
			name:  "a show_if naming its own question is refused",
			edits: withKinds(replace(f1YAML, "{question: P1, answers: [1]}", "{question: P2, answers: [1]}")),
			want:  []want{{f1YAML, 31, "sections[1].questions[1].show_if.question", "câu P2 không thể phụ thuộc vào chính nó"}},
		},
		{
			name:  "a show_if without a question is refused",
			edits: withKinds(replace(f1YAML, "{question: P1, answers: [1]}", "{answers: [1]}")),
			want:  []want{{f1YAML, 31, "sections[1].questions[1].show_if.question", "thiếu mã câu hỏi điều kiện"}},
		},
		{
			name:  "a show_if on an open question is refused",
			edits: withKinds(replace(f1YAML, "        options:\n          - {label: Đã liên hệ}\n          - {label: Chưa liên hệ}\n", "        kind: text\n")),
			want:  []want{{f1YAML, 29, "sections[1].questions[1].show_if.question", "câu điều kiện P1 là câu hỏi mở"}},
		},
		{
			name:  "an answer number beyond the earlier question's options is refused",
			edits: withKinds(replace(f1YAML, "{question: P1, answers: [1]}", "{question: P1, answers: [3]}")),
			want:  []want{{f1YAML, 31, "sections[1].questions[1].show_if.answers[0]", "câu P1 không có phương án số 3 (có 2 phương án, đánh số từ 1)"}},
		},
		{
			name:  "an answer number 0 is refused, since options count from 1",
			edits: withKinds(replace(f1YAML, "{question: P1, answers: [1]}", "{question: P1, answers: [0]}")),
			want:  []want{{f1YAML, 31, "sections[1].questions[1].show_if.answers[0]", "không có phương án số 0"}},
		},
		{
			name:  "an answer number named twice is refused",
			edits: withKinds(replace(f1YAML, "{question: P1, answers: [1]}", "{question: P1, answers: [1, 1]}")),
			want:  []want{{f1YAML, 31, "sections[1].questions[1].show_if.answers[1]", "phương án số 1 nêu hai lần"}},
		},
		{
			name:  "a show_if without answers is refused",
			edits: withKinds(replace(f1YAML, "{question: P1, answers: [1]}", "{question: P1}")),
			want:  []want{{f1YAML, 31, "sections[1].questions[1].show_if.answers", "chưa nêu phương án nào của câu P1"}},
		},
		{
			name:  "a show_if naming every option is refused, since it skips nothing",
			edits: withKinds(replace(f1YAML, "{question: P1, answers: [1]}", "{question: P1, answers: [1, 2]}")),
			want:  []want{{f1YAML, 31, "sections[1].questions[1].show_if.answers", "show_if nêu mọi phương án của câu P1"}},
		},
		{
			name: "a show_if on a matrix form is refused",
			edits: []edit{replace(m1YAML, "thanks:", "      - code: Q2\n        text: Câu hỏi phụ.\n        show_if: {question: Q1, answers: [1]}\n"+
				"        options:\n          - {label: Có}\n          - {label: Không}\nthanks:")},
			want: []want{{m1YAML, 13, "sections[0].questions[1].show_if", "phiếu ma trận không dùng show_if"}},
		},
		{
			name:  "an open question on a matrix form is refused",
			edits: []edit{replace(m1YAML, "thanks:", "      - code: Y1\n        kind: text\n        text: Ý kiến khác.\nthanks:")},
			want:  []want{{m1YAML, 12, "sections[0].questions[1].kind", "phiếu ma trận chưa nhận câu hỏi mở: đặt câu Y1 vào một mẫu phiếu dạng single"}},
		},
		{
			name:  "an open question with options is refused",
			edits: withKinds(replace(f1YAML, "        max_length: 800\n", "        max_length: 800\n        options:\n          - {label: Có}\n          - {label: Không}\n")),
			want:  []want{{f1YAML, 36, "sections[1].questions[2]", "câu hỏi mở Y1 không có phương án"}},
		},
		{
			name:  "an open question with a scale is refused",
			edits: withKinds(replace(f1YAML, "        max_length: 800\n", "        max_length: 800\n        scale: bon-muc\n")),
			want:  []want{{f1YAML, 36, "sections[1].questions[2]", "câu hỏi mở Y1 không có phương án"}},
		},
		{
			name:  "an open question that feeds a sub-criterion is refused",
			edits: withKinds(replace(f1YAML, "        max_length: 800\n", "        max_length: 800\n        feeds: \"1.1.1\"\n")),
			want:  []want{{f1YAML, 40, "sections[1].questions[2].feeds", "câu hỏi mở Y1 không cho điểm: bỏ feeds"}},
		},
		{
			name:  "an open question with a weight is refused",
			edits: withKinds(replace(f1YAML, "        max_length: 800\n", "        max_length: 800\n        weight: 2\n")),
			want:  []want{{f1YAML, 40, "sections[1].questions[2].weight", "câu hỏi mở Y1 không có trọng số"}},
		},
		{
			name:  "a length limit above the most allowed is refused",
			edits: withKinds(replace(f1YAML, "max_length: 800", "max_length: 9000")),
			want:  []want{{f1YAML, 39, "sections[1].questions[2].max_length", "độ dài tối đa phải từ 1 đến 5000 ký tự, đang là 9000"}},
		},
		{
			name:  "a negative length limit is refused",
			edits: withKinds(replace(f1YAML, "max_length: 800", "max_length: -5")),
			want:  []want{{f1YAML, 39, "sections[1].questions[2].max_length", "đang là -5"}},
		},
		{
			name:  "a length limit on a closed question is refused",
			edits: withKinds(replace(f1YAML, "      - code: P1\n", "      - code: P1\n        max_length: 100\n")),
			want:  []want{{f1YAML, 25, "sections[1].questions[0].max_length", "max_length chỉ dùng cho câu hỏi mở"}},
		},
		{
			name:  "an unknown question kind is refused",
			edits: withKinds(replace(f1YAML, "kind: text", "kind: open")),
			want:  []want{{f1YAML, 37, "sections[1].questions[2].kind", `loại câu hỏi "open" không hợp lệ (choice hoặc text)`}},
		},
		{
			name:  "an unscored question with one option is refused",
			edits: withKinds(replace(f1YAML, "          - {label: Chưa liên hệ}\n", "")),
			want: []want{
				{f1YAML, 26, "sections[1].questions[0].options", "cần ít nhất 2 phương án trả lời"},
				{f1YAML, 30, "sections[1].questions[1].show_if.answers", "show_if nêu mọi phương án của câu P1"},
			},
		},
		{
			name:  "an unscored question with more options than two digits key is refused",
			edits: withKinds(replace(f1YAML, "          - {label: Đã liên hệ}\n          - {label: Chưa liên hệ}\n", manyOptions(36))),
			want:  []want{{f1YAML, 26, "sections[1].questions[0].options", "tối đa 35 phương án (nhập bằng một hoặc hai chữ số), đang có 36"}},
		},
		{
			name:  "an unscored option without a label is refused",
			edits: withKinds(replace(f1YAML, "{label: Chưa liên hệ}", `{label: " "}`)),
			want:  []want{{f1YAML, 28, "sections[1].questions[0].options[1].label", "phương án thiếu nội dung"}},
		},
		{
			name:  "a respondent detail with more choices than two digits key is refused",
			edits: []edit{replace(f1YAML, "options: [Nam, Nữ]", "options: ["+distinctLabels("Nhóm", 35)+"Khác]")},
			want:  []want{{f1YAML, 8, "respondent_fields[0].options", "tối đa 35 lựa chọn"}},
		},
		{
			name:  "an unknown text keying is refused",
			edits: []edit{replace(campaignYAML, "  min_answered_percent: 70\n", "  min_answered_percent: 70\n  text_keying: scan\n")},
			want:  []want{{campaignYAML, 17, "rules.text_keying", `giá trị "scan" không hợp lệ (text hoặc flag)`}},
		},
	})
}

func TestKindsFixture(t *testing.T) {
	d, err := Load(os.DirFS("testdata"), "kinds")
	if err != nil {
		t.Fatal(err)
	}
	qs := d.Questionnaire("K1").Questions()
	if len(qs) != 4 || qs[1].ShowIf == nil || !qs[3].IsText() || len(d.Questionnaire("K1").Fields[1].Options) != 12 {
		t.Fatalf("kinds fixture: %d questions, show_if %v, C4 text %v", len(qs), qs[1].ShowIf, qs[3].IsText())
	}
	if len(qs[1].Options) != 5 {
		t.Errorf("C2 resolves %d options from its scale, want 5", len(qs[1].Options))
	}
}
