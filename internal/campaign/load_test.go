package campaign

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/text/unicode/norm"
)

func TestYAMLProblems(t *testing.T) {
	runChecks(t, []checkCase{
		{
			name:  "a misspelt key is refused on its line with its path",
			edits: []edit{replace(campaignYAML, "quota: 5", "qouta: 5")},
			want:  []want{{campaignYAML, 40, "groups[0].qouta", `trường "qouta" không có trong định dạng (gõ sai tên?)`}},
		},
		{
			name:  "a misspelt top-level key is refused",
			edits: []edit{replace(campaignYAML, "survey_points: 10", "survey_point: 10")},
			want:  []want{{campaignYAML, 6, "survey_point", `trường "survey_point" không có trong định dạng`}},
		},
		{
			name:  "a misspelt key inside a one-line mapping is refused with its own path",
			edits: []edit{replace(campaignYAML, "{code: A, name: Tốt, min_percent: 90}", "{code: A, name: Tốt, min_pct: 90}")},
			want:  []want{{campaignYAML, 8, "bands[0].min_pct", `trường "min_pct" không có trong định dạng`}},
		},
		{
			name:  "a misspelt key in a questionnaire is refused in that file",
			edits: []edit{replace(f1YAML, `feeds: "1.1.1"`, `feed: "1.1.1"`)},
			want:  []want{{f1YAML, 14, "sections[0].questions[0].feed", `trường "feed" không có trong định dạng`}},
		},
		{
			name: "every misspelt key of every file is reported at once",
			edits: []edit{
				replace(campaignYAML, "quota: 5", "qouta: 5"),
				replace(campaignYAML, "evaluates: huyen", "evaluate: huyen"),
				replace(m1YAML, "shape: matrix", "shap: matrix"),
			},
			want: []want{
				{campaignYAML, 40, "groups[0].qouta", `trường "qouta"`},
				{campaignYAML, 46, "groups[1].evaluate", `trường "evaluate"`},
				{m1YAML, 3, "shap", `trường "shap"`},
			},
		},
		{
			name:  "a colon inside an unquoted value is a syntax error on its line",
			edits: []edit{replace(campaignYAML, "name: Đợt khảo sát thử", "name: Đợt: khảo sát thử")},
			want:  []want{{campaignYAML, 2, "", "YAML sai cú pháp: mapping values are not allowed in this context"}},
		},
		{
			name:  "a tab used for indentation is a syntax error on its line",
			edits: []edit{replace(campaignYAML, "  blank: exclude", "\tblank: exclude")},
			want:  []want{{campaignYAML, 11, "", "YAML sai cú pháp: found a tab character"}},
		},
		{
			name:  "a syntax error in a questionnaire names that file",
			edits: []edit{replace(m1YAML, "title: PHIẾU MA TRẬN THỬ", "title: PHIẾU: MA TRẬN")},
			want:  []want{{m1YAML, 2, "", "YAML sai cú pháp"}},
		},
		{
			name:  "words where a whole number belongs are refused",
			edits: []edit{replace(campaignYAML, "quota: 5", "quota: năm")},
			want:  []want{{campaignYAML, 40, "groups[0].quota", "giá trị `năm` không đúng kiểu: cần một số nguyên"}},
		},
		{
			name:  "a single value where a list belongs is refused",
			edits: []edit{replace(campaignYAML, "channels: [paper]", "channels: paper")},
			want:  []want{{campaignYAML, 41, "groups[0].channels", "giá trị `paper` không đúng kiểu: cần một danh sách"}},
		},
		{
			name:  "a list where text belongs is refused",
			edits: []edit{replace(campaignYAML, "code: test-2026", "code: [test, 2026]")},
			want:  []want{{campaignYAML, 1, "code", "giá trị dạng danh sách không đúng kiểu: cần một chuỗi chữ"}},
		},
		{
			name:  "points that are not a number are refused on their line",
			edits: []edit{replace(campaignYAML, "points: 2.5", "points: hai")},
			want:  []want{{campaignYAML, 69, "criteria[0].criteria[0].sub_criteria[1].points", `"hai" không phải là số`}},
		},
		{
			name:  "points with more than four decimals are refused rather than rounded",
			edits: []edit{replace(campaignYAML, "points: 1.5", "points: 1.55555")},
			want:  []want{{campaignYAML, 66, "criteria[0].criteria[0].sub_criteria[0].points", "có quá 4 chữ số thập phân"}},
		},
		{
			name:  "an optional weight that is not a number is refused on its line",
			edits: []edit{replace(campaignYAML, "    quota: 5\n", "    quota: 5\n    weight: một\n")},
			want:  []want{{campaignYAML, 41, "groups[0].weight", `"một" không phải là số`}},
		},
		{
			name:  "a list where points belong is refused",
			edits: []edit{replace(campaignYAML, "survey_points: 10", "survey_points: [10]")},
			want:  []want{{campaignYAML, 6, "survey_points", "cần một số"}},
		},
		{
			name:  "a key written twice is refused on its second line",
			edits: []edit{replace(campaignYAML, "    quota: 5\n", "    quota: 5\n    quota: 6\n")},
			want:  []want{{campaignYAML, 41, "groups[0].quota", `trường "quota" bị khai báo hai lần (lần đầu ở dòng 40)`}},
		},
		{
			name:  "an empty campaign file is refused",
			edits: []edit{write(campaignYAML, "")},
			want:  []want{{campaignYAML, 0, "", "tệp rỗng"}},
		},
		{
			name:  "a missing campaign file is refused",
			edits: []edit{remove(campaignYAML)},
			want:  []want{{campaignYAML, 0, "", "không đọc được tệp"}},
		},
		{
			name:  "a campaign without a questionnaires folder is refused",
			edits: []edit{remove(f1YAML), remove(m1YAML)},
			want:  []want{{"questionnaires", 0, "", "thiếu thư mục mẫu phiếu"}},
		},
		{
			name:  "files other than YAML in the questionnaires folder are ignored",
			edits: []edit{write("questionnaires/README.md", "# ghi chú\nkhông phải YAML: [")},
		},
		{
			name: "a questionnaire may be written with the .yml extension",
			edits: []edit{
				write("questionnaires/M1.yml", fixture(t)[m1YAML]),
				remove(m1YAML),
			},
		},
	})
}

func TestProblemString(t *testing.T) {
	cases := []struct {
		name string
		p    Problem
		want string
	}{
		{"a problem prints as file:line: path: message", Problem{"forms/demo/campaign.yaml", 12, "groups[0].quota", "sai"}, "forms/demo/campaign.yaml:12: groups[0].quota: sai"},
		{"a problem without a line leaves the line out", Problem{"a.yaml", 0, "opens", "thiếu"}, "a.yaml: opens: thiếu"},
		{"a problem without a path leaves the path out", Problem{"a.yaml", 3, "", "YAML sai cú pháp"}, "a.yaml:3: YAML sai cú pháp"},
		{"a problem with neither prints file and message", Problem{"a.yaml", 0, "", "tệp rỗng"}, "a.yaml: tệp rỗng"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.p.String(); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
	t.Run("a list of problems prints one per line", func(t *testing.T) {
		ps := Problems{{"a.yaml", 1, "code", "x"}, {"b.yaml", 2, "", "y"}}
		if got := ps.Error(); got != "a.yaml:1: code: x\nb.yaml:2: y" {
			t.Errorf("got %q", got)
		}
	})
}

func TestLoadDefaults(t *testing.T) {
	// The fixture without its scoring, rules and honoraria blocks, nor group weights or shapes.
	bare := []edit{
		replaceBetween(campaignYAML, "scoring:\n", "unit_kinds:", ""),
		replace(f1YAML, "shape: single\n", ""),
	}

	t.Run("omitted settings take the defaults of domain.md", func(t *testing.T) {
		d, err := loadEdited(t, bare...)
		if err != nil {
			t.Fatal(err)
		}
		s, r := d.Scoring, d.Rules
		if s.DontKnow != MissingExclude || s.Blank != MissingExclude || s.Combine != CombineGroupWeights || s.MinForms != 1 {
			t.Errorf("scoring defaults: %+v", s)
		}
		if r.MinAnsweredPercent != MustDecimal("70") || r.EnforceWindow == nil || !*r.EnforceWindow || r.DoubleEntry == nil || !*r.DoubleEntry {
			t.Errorf("rule defaults: %+v", r)
		}
		if d.Honoraria.PerForm != 0 || d.Honoraria.PerUnit != 0 {
			t.Errorf("honoraria default: %+v", d.Honoraria)
		}
		for _, g := range d.Groups {
			if g.Weight == nil || *g.Weight != MustDecimal("1") {
				t.Errorf("group %s weight %v, want 1", g.Code, g.Weight)
			}
		}
		if q := d.Questionnaire("F1"); q.Shape != ShapeSingle {
			t.Errorf("shape %q, want single", q.Shape)
		}
	})

	t.Run("switches written false stay false", func(t *testing.T) {
		d, err := loadEdited(t, replace(campaignYAML, "  min_answered_percent: 70\n", "  min_answered_percent: 70\n  enforce_window: false\n  double_entry: false\n"))
		if err != nil {
			t.Fatal(err)
		}
		if *d.Rules.EnforceWindow || *d.Rules.DoubleEntry {
			t.Errorf("rules %+v, want both switches off", d.Rules)
		}
	})

	t.Run("an answered share written as 0 turns the rule off instead of taking 70", func(t *testing.T) {
		d, err := loadEdited(t, replace(campaignYAML, "min_answered_percent: 70", "min_answered_percent: 0"))
		if err != nil {
			t.Fatal(err)
		}
		if d.Rules.MinAnsweredPercent != 0 {
			t.Errorf("min answered %s%%, want 0", d.Rules.MinAnsweredPercent)
		}
	})

	t.Run("a group weight written as 0 stays 0", func(t *testing.T) {
		d, err := loadEdited(t, replace(campaignYAML, "    quota: 5\n", "    quota: 5\n    weight: 0\n"))
		if err != nil {
			t.Fatal(err)
		}
		if w := d.Group("G1").Weight; w == nil || *w != 0 {
			t.Errorf("weight %v, want 0", w)
		}
	})
}

func TestLoadResult(t *testing.T) {
	t.Run("a question naming a scale carries the scale's options after loading", func(t *testing.T) {
		d, err := loadEdited(t)
		if err != nil {
			t.Fatal(err)
		}
		q := d.Questionnaire("F1").Questions()[0]
		if len(q.Options) != 5 || q.Options[1].Label != "Khá" || *q.Options[1].Weight != MustDecimal("0.6") || !q.Options[4].DontKnow {
			t.Errorf("options %+v", q.Options)
		}
	})

	t.Run("questionnaires are ordered by code whatever their file names", func(t *testing.T) {
		d, err := loadEdited(t,
			write("questionnaires/a.yaml", fixture(t)[m1YAML]),
			remove(m1YAML),
		)
		if err != nil {
			t.Fatal(err)
		}
		if d.Questionnaires[0].Code != "F1" || d.Questionnaires[1].Code != "M1" || d.Questionnaires[1].File != "valid/questionnaires/a.yaml" {
			t.Errorf("order %s (%s), %s (%s)", d.Questionnaires[0].Code, d.Questionnaires[0].File, d.Questionnaires[1].Code, d.Questionnaires[1].File)
		}
	})

	t.Run("text written in decomposed Unicode is read as NFC", func(t *testing.T) {
		nfd := norm.NFD.String("Sở Tư pháp")
		d, err := loadEdited(t, replace(campaignYAML, "name: Sở Tư pháp", "name: "+nfd))
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Unit("STP").Name; got != "Sở Tư pháp" || !norm.NFC.IsNormalString(got) {
			t.Errorf("name %q is not NFC", got)
		}
	})

	t.Run("days are read in the Asia/Ho_Chi_Minh zone", func(t *testing.T) {
		d, err := loadEdited(t)
		if err != nil {
			t.Fatal(err)
		}
		want := time.Date(2026, 11, 1, 0, 0, 0, 0, Zone)
		if !d.Opens.Equal(want) || d.Opens.Location() != Zone {
			t.Errorf("opens %v", d.Opens.Time)
		}
	})

	t.Run("a definition with problems is still returned for display", func(t *testing.T) {
		d, err := loadEdited(t, replace(campaignYAML, "year: 2026", "year: 1926"))
		var ps Problems
		if !errors.As(err, &ps) || d == nil || d.Code != "test-2026" {
			t.Errorf("got %v, %v", d, err)
		}
	})

	t.Run("the digest is stable and changes with the definition", func(t *testing.T) {
		a, _ := loadEdited(t)
		b, _ := loadEdited(t)
		c, _ := loadEdited(t, replace(campaignYAML, "quota: 5", "quota: 6"))
		if a.Digest() != b.Digest() {
			t.Error("two loads of one definition have different digests")
		}
		if a.Digest() == c.Digest() {
			t.Error("a changed quota leaves the digest unchanged")
		}
		if len(a.Digest()) != 64 {
			t.Errorf("digest %q is not hex SHA-256", a.Digest())
		}
	})

	t.Run("a campaign folder may sit at the root of the file system", func(t *testing.T) {
		m := fstest.MapFS{}
		for p, c := range fixture(t) {
			m[p] = &fstest.MapFile{Data: []byte(c)}
		}
		if _, err := Load(m, "."); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("problems of a folder at the root name files without a folder", func(t *testing.T) {
		m := fstest.MapFS{}
		for p, c := range fixture(t) {
			m[p] = &fstest.MapFile{Data: []byte(strings.Replace(c, "year: 2026", "year: 1926", 1))}
		}
		_, err := Load(m, ".")
		if err == nil || !strings.HasPrefix(err.Error(), "campaign.yaml:3: year: ") {
			t.Errorf("got %v", err)
		}
	})
}
