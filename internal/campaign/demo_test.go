package campaign

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parsurvey/parsurvey/forms"
)

// The default demo (forms/demo) is a fictional merged province in 2026 with two levels: its
// agencies and its xã, phường and đặc khu, each scored on a tree of its own.
func TestTwoLevelDemo(t *testing.T) {
	d := loadExample(t, forms.Demo)

	t.Run("it is a 2026 campaign with no district left in it", func(t *testing.T) {
		if d.Year != 2026 || d.Opens.Year() != 2026 || d.Closes.Year() != 2026 {
			t.Errorf("year %d, window %s – %s", d.Year, d.Opens.Format("2006-01-02"), d.Closes.Format("2006-01-02"))
		}
		var kinds []string
		for _, k := range d.Kinds {
			kinds = append(kinds, k.Code)
		}
		if got := strings.Join(kinds, " "); got != "so xa" {
			t.Errorf("unit kinds %s, want so xa", got)
		}
		for _, u := range d.Units {
			if strings.Contains(strings.ToLower(u.Name), "huyện") {
				t.Errorf("unit %s %q is a district", u.Code, u.Name)
			}
		}
	})

	t.Run("it scores about 20 agencies and 60 or more communes, wards and special zones", func(t *testing.T) {
		if n := len(d.UnitsOfKind("so")); n < 18 || n > 22 {
			t.Errorf("%d agencies, want about 20", n)
		}
		communes := d.UnitsOfKind("xa")
		if len(communes) < 60 {
			t.Errorf("%d communes, want 60 or more", len(communes))
		}
		prefixes := map[string]int{}
		for _, u := range communes {
			for _, p := range []string{"Xã ", "Phường ", "Đặc khu "} {
				if strings.HasPrefix(u.Name, p) {
					prefixes[p]++
				}
			}
		}
		if prefixes["Xã "] == 0 || prefixes["Phường "] == 0 || prefixes["Đặc khu "] == 0 || prefixes["Xã "]+prefixes["Phường "]+prefixes["Đặc khu "] != len(communes) {
			t.Errorf("communes by prefix %v of %d: want xã, phường and đặc khu, nothing else", prefixes, len(communes))
		}
	})

	t.Run("each level has its own tree and survey share, bands shared", func(t *testing.T) {
		if got := d.SurveyPointsFor("so"); got != MustDecimal("32") {
			t.Errorf("agencies' survey points %s, want 32", got)
		}
		if got := d.SurveyPointsFor("xa"); got != MustDecimal("30") {
			t.Errorf("communes' survey points %s, want 30", got)
		}
		for _, k := range []string{"so", "xa"} {
			var total Decimal
			for _, a := range d.TreeFor(k) {
				total += a.Points
			}
			if total != d.SurveyPointsFor(k) {
				t.Errorf("kind %s: tree adds up to %s, survey points %s", k, total, d.SurveyPointsFor(k))
			}
		}
		if d.TreeFor("so")[0].Name == d.TreeFor("xa")[1].Name || len(d.TreeFor("so")) == len(d.TreeFor("xa")) {
			t.Error("the two levels share a tree")
		}
		if s, x := d.SubFor("so", "2.1.1"), d.SubFor("xa", "2.1.1"); s == nil || x == nil || s.Name == x.Name {
			t.Errorf("2.1.1 is %+v for agencies and %+v for communes, want two sub-criteria of the same code", s, x)
		}
		var bands []string
		for _, b := range d.Bands {
			bands = append(bands, b.Code+"≥"+b.MinPercent.String())
		}
		if got := strings.Join(bands, " "); got != "A≥90 B≥80 C≥70 D≥0" {
			t.Errorf("bands %s", got)
		}
	})

	t.Run("the typical 2025 groups are there, with a matrix group and an imported one per level", func(t *testing.T) {
		names := map[string][]string{}
		matrix, imported := 0, map[string]int{}
		for _, g := range d.Groups {
			names[g.Evaluates] = append(names[g.Evaluates], g.Name)
			if g.Imported() {
				imported[g.Evaluates]++
			}
			if q := d.Questionnaire(g.Form); q != nil && q.Shape == ShapeMatrix {
				matrix++
			}
		}
		for kind, want := range map[string][]string{
			"so": {"Hội đồng nhân dân tỉnh", "Ủy ban nhân dân cấp xã", "phòng chuyên môn thuộc Ủy ban nhân dân cấp xã"},
			"xa": {"Hội đồng nhân dân tỉnh", "Giám đốc, Phó Giám đốc sở", "Trưởng phòng, Phó Trưởng phòng thuộc sở"},
		} {
			all := strings.Join(names[kind], " | ")
			for _, w := range want {
				if !strings.Contains(all, w) {
					t.Errorf("kind %s lacks a group of %q: %s", kind, w, all)
				}
			}
			if imported[kind] != 1 {
				t.Errorf("kind %s has %d imported (SIPAS) groups, want 1", kind, imported[kind])
			}
		}
		if matrix < 1 {
			t.Error("no group answers a matrix form")
		}
	})

	t.Run("forms have 20 to 40 scored questions and use the codes of real plans", func(t *testing.T) {
		texts, skips := 0, 0
		for _, q := range d.Questionnaires {
			if !strings.HasPrefix(q.Code, "MAU_PHIEU_") {
				t.Errorf("form code %s, want MAU_PHIEU_0n", q.Code)
			}
			scored := 0
			for _, item := range q.Questions() {
				switch {
				case item.IsText():
					texts++
				case item.Scored():
					scored++
				}
				if item.ShowIf != nil {
					skips++
				}
				if !item.IsText() && len(item.Options) == 0 {
					t.Errorf("%s %s is a closed question without options", q.Code, item.Code)
				}
			}
			if scored < 20 || scored > 40 {
				t.Errorf("%s has %d scored questions", q.Code, scored)
			}
			if strings.Contains(strings.ToLower(q.Title+q.Intro), "huyện") && !strings.Contains(q.Intro, "kết thúc hoạt động cấp huyện") {
				t.Errorf("%s still speaks of districts", q.Code)
			}
		}
		if texts == 0 || skips == 0 {
			t.Errorf("the demo shows %d open-ended questions and %d skips, want at least one of each", texts, skips)
		}
	})

	t.Run("honoraria are stated as plans do: per respondent form by level, per unit to the enumerator, paper only", func(t *testing.T) {
		h := d.Honoraria
		if h.RespondentRate(d.Group("S2")) != 20000 || h.RespondentRate(d.Group("X3")) != 10000 || h.EnumeratorUnitRate("xa") != 200000 || h.Counts(ChannelOnline) {
			t.Errorf("honoraria %+v", h)
		}
	})

	t.Run("two groups are made of populations, one with a capped substitute", func(t *testing.T) {
		s2, s3 := d.Group("S2"), d.Group("S3")
		if len(s2.Populations) != 2 || s2.Quota != 15 || len(s3.Populations) != 3 || s3.Quota != 20 {
			t.Fatalf("S2 %d populations quota %d, S3 %d populations quota %d", len(s2.Populations), s2.Quota, len(s3.Populations), s3.Quota)
		}
		if cc := s3.Population("CC"); cc == nil || cc.SubstituteFor != "PTP" || cc.Cap == nil || *cc.Cap != 5 {
			t.Errorf("S3's substitute %+v", cc)
		}
	})

	t.Run("every sub-criterion of each level is fed for that level", func(t *testing.T) {
		checkEverySubFed(t, d)
	})
}

// checkEverySubFed fails the test for each sub-criterion of a kind's tree that no group
// evaluating that kind feeds, by a question of its form or as an imported group: that kind's
// units would get 0 on it.
func checkEverySubFed(t *testing.T, d *Definition) {
	t.Helper()
	for _, k := range d.Kinds {
		fed := map[string]bool{}
		for _, g := range d.Groups {
			if g.Evaluates != k.Code {
				continue
			}
			for _, s := range g.Feeds {
				fed[s] = true
			}
			if q := d.Questionnaire(g.Form); q != nil {
				for _, item := range q.Questions() {
					fed[item.Feeds] = true
				}
			}
		}
		for _, a := range d.TreeFor(k.Code) {
			for _, c := range a.Criteria {
				for _, s := range c.Subs {
					if !fed[s.Code] {
						t.Errorf("kind %s: no group scores sub-criterion %s", k.Code, s.Code)
					}
				}
			}
		}
	}
}

func TestSummaryStatesTheQuestionIdentityRule(t *testing.T) {
	d := loadExample(t, forms.Demo)
	all := strings.Join(d.Summary(), "\n")
	for _, want := range []string{
		"84 đơn vị (Sở, ban, ngành: 20; Xã, phường, đặc khu: 64), 8 nhóm đối tượng, 6 mẫu phiếu",
		"Sở, ban, ngành: bộ tiêu chí riêng, 8 lĩnh vực, 33 tiêu chí thành phần, phần ĐTXHH 32 điểm.",
		"Xã, phường, đặc khu: bộ tiêu chí riêng, 6 lĩnh vực, 20 tiêu chí thành phần, phần ĐTXHH 30 điểm.",
		IdentityRule,
		"X3 → 1.2.1 (MAU_PHIEU_04, MAU_PHIEU_05, MAU_PHIEU_06)",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("summary lacks %q:\n%s", want, all)
		}
	}
	t.Run("a code asked for two sub-criteria is two questions, each listed with its own", func(t *testing.T) {
		d := loadExample(t, forms.Demo3Cap)
		var c1 []string
		for _, s := range d.SharedQuestions() {
			if s.Kind == "so" && s.Code == "C1" {
				c1 = append(c1, s.Feeds+" "+strings.Join(s.Forms, ","))
			}
		}
		if got := strings.Join(c1, " | "); got != "1.1.1 CH2,CH4 | 1.2.1 CH1,CH3" {
			t.Errorf("C1 of the agencies is shared as %q", got)
		}
	})
}

// The warnings forms/README.md shows (section 4) are the ones check prints for those edits.
func TestReadmeWarningsAreReal(t *testing.T) {
	m := fstest.MapFS{}
	err := fs.WalkDir(forms.FS, forms.Demo, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(forms.FS, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	edit := func(file, old, new string) {
		f := m[file]
		if !strings.Contains(string(f.Data), old) {
			t.Fatalf("%s lacks %q", file, old)
		}
		f.Data = []byte(strings.Replace(string(f.Data), old, new, 1))
	}
	edit("demo/campaign.yaml", "year: 2026", "year: 2027")
	edit("demo/questionnaires/MAU_PHIEU_06.yaml", "options: [Trưởng phòng hoặc tương đương, Phó Trưởng phòng hoặc tương đương]", "options: [Trưởng phòng, phó trưởng phòng hoặc tương đương]")
	d, err := Load(m, forms.Demo)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range d.Warnings {
		got = append(got, "forms/"+w.String())
	}
	want := []string{
		`forms/demo/questionnaires/MAU_PHIEU_06.yaml:21: respondent_fields[2].options[1]: danh sách viết trên một dòng được tách ở mỗi dấu phẩy: "Trưởng phòng" và "phó trưởng phòng hoặc tương đương" thành hai mục; nếu là một mục, đặt trong ngoặc kép: "Trưởng phòng, phó trưởng phòng hoặc tương đương"`,
		`forms/demo/campaign.yaml:12: year: năm 2027 không khớp với thời gian khảo sát 15/10/2026 – 15/12/2026: kiểm tra lại year, opens và closes (đợt khảo sát chép từ năm trước?)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	readme, err := os.ReadFile("../../forms/README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		if !strings.Contains(string(readme), "Cảnh báo: "+w) {
			t.Errorf("forms/README.md does not show %q", w)
		}
	}
}
