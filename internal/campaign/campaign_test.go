package campaign

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/text/unicode/norm"

	"github.com/parsurvey/parsurvey/forms"
)

// The fixture in testdata/valid is a small definition that loads with no problem. Each test
// changes one thing in a copy of it and names the problems it expects, with their exact file,
// line and path: the line numbers in these tests follow the fixture's layout.

// fixtureDir is the fixture's folder, under testdata and in the in-memory copies.
const fixtureDir = "valid"

// The fixture's files, relative to its folder.
const (
	campaignYAML = "campaign.yaml"
	f1YAML       = "questionnaires/F1.yaml"
	m1YAML       = "questionnaires/M1.yaml"
)

// fixture reads testdata/valid into memory, keyed by path relative to the folder.
func fixture(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	root := path.Join("testdata", fixtureDir)
	err := fs.WalkDir(os.DirFS(root), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path.Join(root, p))
		files[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// edit changes the in-memory copy of the fixture.
type edit func(t *testing.T, files map[string]string)

// replace swaps text that must occur exactly once in the file, so that a fixture change that
// makes an edit ambiguous fails loudly instead of testing something else.
func replace(file, old, new string) edit {
	return func(t *testing.T, files map[string]string) {
		t.Helper()
		if n := strings.Count(files[file], old); n != 1 {
			t.Fatalf("fixture %s: %q occurs %d times, want once", file, old, n)
		}
		files[file] = strings.Replace(files[file], old, new, 1)
	}
}

// replaceBetween swaps the text from `from` (which must occur once) up to, not including, the
// next `to`, for edits that drop a whole block.
func replaceBetween(file, from, to, new string) edit {
	return func(t *testing.T, files map[string]string) {
		t.Helper()
		c := files[file]
		if n := strings.Count(c, from); n != 1 {
			t.Fatalf("fixture %s: %q occurs %d times, want once", file, from, n)
		}
		i := strings.Index(c, from)
		j := strings.Index(c[i:], to)
		if j < 0 {
			t.Fatalf("fixture %s: no %q after %q", file, to, from)
		}
		files[file] = c[:i] + new + c[i+j:]
	}
}

// write sets a file's whole content (adding the file if needed).
func write(file, content string) edit {
	return func(t *testing.T, files map[string]string) { files[file] = content }
}

// remove deletes a file.
func remove(file string) edit {
	return func(t *testing.T, files map[string]string) { delete(files, file) }
}

// mount puts files into an in-memory file system under fixtureDir.
func mount(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for p, c := range files {
		m[path.Join(fixtureDir, p)] = &fstest.MapFile{Data: []byte(c)}
	}
	return m
}

// loadEdited loads the fixture after applying the edits.
func loadEdited(t *testing.T, edits ...edit) (*Definition, error) {
	t.Helper()
	files := fixture(t)
	for _, e := range edits {
		e(t, files)
	}
	return Load(mount(files), fixtureDir)
}

// want is an expected problem; file is relative to the fixture folder and msg is a substring.
type want struct {
	file string
	line int
	path string
	msg  string
}

// assertProblems checks that err lists exactly the wanted problems, in order.
func assertProblems(t *testing.T, err error, wants []want) {
	t.Helper()
	var got Problems
	if err != nil && !errors.As(err, &got) {
		t.Fatalf("error %v is not Problems", err)
	}
	ok := len(got) == len(wants)
	for i := 0; ok && i < len(wants); i++ {
		w, g := wants[i], got[i]
		ok = g.File == path.Join(fixtureDir, w.file) && g.Line == w.line && g.Path == w.path && strings.Contains(g.Msg, w.msg)
	}
	if ok {
		return
	}
	var b strings.Builder
	b.WriteString("got problems:\n")
	for _, g := range got {
		b.WriteString("  " + g.String() + "\n")
	}
	b.WriteString("want:\n")
	for _, w := range wants {
		b.WriteString("  " + Problem{File: path.Join(fixtureDir, w.file), Line: w.line, Path: w.path, Msg: "…" + w.msg + "…"}.String() + "\n")
	}
	t.Error(b.String())
}

func TestFixture(t *testing.T) {
	t.Run("the valid fixture loads from disk with no problem", func(t *testing.T) {
		d, err := Load(os.DirFS("testdata"), fixtureDir)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Questionnaires) != 2 || len(d.Units) != 3 || len(d.Groups) != 3 {
			t.Errorf("got %d questionnaires, %d units, %d groups", len(d.Questionnaires), len(d.Units), len(d.Groups))
		}
	})
	t.Run("the in-memory copy of the fixture loads with no problem", func(t *testing.T) {
		_, err := loadEdited(t)
		assertProblems(t, err, nil)
	})
}

// loadExample loads an example campaign embedded in the binary (forms.Demo, forms.Demo3Cap).
func loadExample(t *testing.T, dir string) *Definition {
	t.Helper()
	d, err := Load(forms.FS, dir)
	if err != nil {
		t.Fatalf("example campaign %s has problems:\n%v", dir, err)
	}
	return d
}

// loadDemo loads the three-level example (forms/demo-3cap), which these tests describe.
func loadDemo(t *testing.T) *Definition { return loadExample(t, forms.Demo3Cap) }

func TestThreeLevelExample(t *testing.T) {
	t.Run("the three-level example loads with no problem", func(t *testing.T) {
		loadDemo(t)
	})

	t.Run("the example is the 2026 provincial campaign worth 32 points", func(t *testing.T) {
		d := loadDemo(t)
		if d.Code != "demo-2026" || d.Year != 2026 {
			t.Errorf("code %q year %d", d.Code, d.Year)
		}
		if d.SurveyPoints != MustDecimal("32") {
			t.Errorf("survey points %s, want 32", d.SurveyPoints)
		}
		if got := d.Opens.Format("2006-01-02") + " " + d.Closes.Format("2006-01-02"); got != "2026-11-01 2026-12-31" {
			t.Errorf("window %s", got)
		}
		if len(d.Areas) < 6 {
			t.Errorf("%d areas, want at least 6", len(d.Areas))
		}
		var bands []string
		for _, b := range d.Bands {
			bands = append(bands, b.Code+"≥"+b.MinPercent.String())
		}
		if got := strings.Join(bands, " "); got != "A≥90 B≥80 C≥70 D≥0" {
			t.Errorf("bands %s", got)
		}
	})

	t.Run("the demo scores at least 8 departments and 6 districts", func(t *testing.T) {
		d := loadDemo(t)
		if n := len(d.UnitsOfKind("so")); n < 8 {
			t.Errorf("%d Sở, want at least 8", n)
		}
		if n := len(d.UnitsOfKind("huyen")); n < 6 {
			t.Errorf("%d huyện, want at least 6", n)
		}
	})

	t.Run("each unit kind has five respondent groups, one of them imported", func(t *testing.T) {
		d := loadDemo(t)
		for _, k := range d.Kinds {
			var n, imported int
			for _, g := range d.Groups {
				if g.Evaluates == k.Code {
					n++
					if g.Imported() {
						imported++
					}
				}
			}
			if n != 5 || imported != 1 {
				t.Errorf("kind %s: %d groups, %d imported; want 5 and 1", k.Code, n, imported)
			}
		}
	})

	t.Run("matrix forms are answered online only", func(t *testing.T) {
		d := loadDemo(t)
		matrices := 0
		for _, g := range d.Groups {
			if q := d.Questionnaire(g.Form); q != nil && q.Shape == ShapeMatrix {
				matrices++
				if len(g.Channels) != 1 || g.Channels[0] != ChannelOnline {
					t.Errorf("group %s answers matrix form %s through %v", g.Code, q.Code, g.Channels)
				}
			}
		}
		if matrices != 2 {
			t.Errorf("%d groups answer a matrix form, want 2 (council delegates for each kind)", matrices)
		}
	})

	t.Run("every questionnaire has 20 to 40 questions and every question is scored", func(t *testing.T) {
		d := loadDemo(t)
		if len(d.Questionnaires) != 8 {
			t.Errorf("%d questionnaires, want 8", len(d.Questionnaires))
		}
		for _, q := range d.Questionnaires {
			qs := q.Questions()
			if len(qs) < 20 || len(qs) > 40 {
				t.Errorf("%s has %d questions", q.Code, len(qs))
			}
			for _, item := range qs {
				if !item.Scored() {
					t.Errorf("%s %s feeds no sub-criterion", q.Code, item.Code)
				}
				if len(item.Options) == 0 {
					t.Errorf("%s %s has no options after loading", q.Code, item.Code)
				}
			}
		}
	})

	t.Run("every sub-criterion is scored for every unit kind", func(t *testing.T) {
		// The checker only asks that each sub-criterion be fed somewhere; a realistic campaign
		// feeds it for each kind, or that kind's units would get 0 on it.
		checkEverySubFed(t, loadDemo(t))
	})

	t.Run("respondent details are closed lists that never ask for a name", func(t *testing.T) {
		d := loadDemo(t)
		for _, q := range d.Questionnaires {
			if len(q.Fields) == 0 {
				t.Errorf("%s asks no respondent details", q.Code)
			}
			for _, f := range q.Fields {
				l := strings.ToLower(f.Label)
				if strings.Contains(l, "họ tên") || strings.Contains(l, "họ và tên") || strings.Contains(f.Key, "ten") {
					t.Errorf("%s asks for a name in %s", q.Code, f.Key)
				}
			}
			if q.Intro == "" || q.Thanks == "" || !strings.HasPrefix(q.Title, "PHIẾU KHẢO SÁT") {
				t.Errorf("%s lacks an introduction, a thank-you line or a proper title", q.Code)
			}
		}
	})

	t.Run("the example files are written in NFC", func(t *testing.T) {
		err := fs.WalkDir(forms.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(forms.FS, p)
			if err == nil && !norm.NFC.IsNormal(b) {
				t.Errorf("%s is not NFC", p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
