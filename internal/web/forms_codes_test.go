package web

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
)

// makeLegacy gives forms the codes they would have had when printed before the check letters
// (S2-SNV-0001 and one check character against the serial), as a campaign under way has them.
func makeLegacy(t *testing.T, e *testEnv, forms []*store.IssuedForm) []string {
	t.Helper()
	codes := make([]string, len(forms))
	err := e.db.Write(context.Background(), func(tx *sql.Tx) error {
		for i, f := range forms {
			c, err := formcode.Parse(f.Code)
			if err != nil {
				return err
			}
			c.Legacy = true
			codes[i] = c.String()
			if _, err := tx.Exec(`UPDATE issued_forms SET code = ? WHERE id = ?`, codes[i], f.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return codes
}

// mistype changes the last character of a code into another symbol of the alphabet.
func mistype(code string) string {
	last := strings.IndexByte(formcode.Alphabet, code[len(code)-1])
	return code[:len(code)-1] + string(formcode.Alphabet[(last+1)%len(formcode.Alphabet)])
}

func TestCodesPrintedBeforeTheCheckLettersWorkWhereverACodeIsTyped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	var s2, h3 []*store.IssuedForm
	for _, f := range forms["S2"] {
		if f.Unit == "SNV" {
			s2 = append(s2, f)
		}
	}
	for _, f := range forms["H3"] {
		if f.Unit == "H01" {
			h3 = append(h3, f)
		}
	}
	old := makeLegacy(t, e, s2[:4])
	oldH3 := makeLegacy(t, e, h3[:3])
	current := s2[5].Code
	sup := e.client()
	sup.login("admin") // voiding is the analyst's, recording batches the supervisor's (routes.go)

	t.Run("the issuing page finds an old code typed loosely, and says when its check is wrong", func(t *testing.T) {
		loose := strings.ToLower(strings.ReplaceAll(old[0], "-", " "))
		resp, body := sup.get(e.formsURL("?code=" + url.QueryEscape(loose)))
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, body, "<strong>"+old[0]+"</strong>", "Sở Nội vụ")
		_, body = sup.get(e.formsURL("?code=" + url.QueryEscape(mistype(old[0]))))
		mustContain(t, body, formcode.ErrCheck.Error())
		_, body = sup.get(e.formsURL("?code=" + url.QueryEscape(current)))
		mustContain(t, body, "<strong>"+current+"</strong>")
	})

	k1 := e.client()
	k1.login("dtv1")
	batch := e.recordBatch(sup, "S2", "SNV", 10, paperDay)
	e.addKeyer(sup, "dtv1")
	keyURL := fmt.Sprintf("/keying/batches/%d", batch)
	t.Run("a keyer's old code is checked and accepted as printed", func(t *testing.T) {
		if res := k1.check(batch, old[1]); !res.OK || res.Code != old[1] {
			t.Fatalf("old code: %+v", res)
		}
		if res := k1.check(batch, mistype(old[1])); res.OK || !strings.Contains(res.Message, "sai ký tự kiểm tra") {
			t.Fatalf("mistyped old code: %+v", res)
		}
		if res := k1.check(batch, current); !res.OK || res.Code != current {
			t.Fatalf("current code: %+v", res)
		}
	})
	t.Run("a paper form under its old code is keyed and stored", func(t *testing.T) {
		l, err := paper.NewLayout(e.camp.Def, "S2", "SNV")
		if err != nil {
			t.Fatal(err)
		}
		k1.get(keyURL)
		if status, res := k1.postJSON(keyURL, keyed(l, old[1], ones)); status != 200 || res.Kind != "first" {
			t.Fatalf("keying: %d %+v", status, res)
		}
	})
	t.Run("an old code is voided, and its replacement gets a code with check letters", func(t *testing.T) {
		sup.get(e.formsURL(""))
		resp, _ := sup.post(e.formsURL("/void"), url.Values{"code": {strings.ToLower(old[2])}, "reason": {"mất phiếu"}, "replace": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("void = %d", resp.StatusCode)
		}
		f, err := e.db.FormByCode(context.Background(), old[2])
		if err != nil || !f.Voided() {
			t.Fatalf("old form: %+v, %v", f, err)
		}
		var replacement string
		e.db.ReadRow(context.Background(), `SELECT code FROM issued_forms WHERE replaces_id = ?`, []any{f.ID}, &replacement)
		if c, err := formcode.Parse(replacement); err != nil || c.Legacy || replacement[len(replacement)-3] != '-' {
			t.Fatalf("replacement %q: %+v, %v", replacement, c, err)
		}
	})
	t.Run("an import file with old codes is stored", func(t *testing.T) {
		data := importFile(t, e, sup, oldH3, nil)
		sup.get(e.paperURL("/import"))
		resp, body := sup.upload(e.paperURL("/import"), "vien.xlsx", data)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d\n%s", resp.StatusCode, body)
		}
		mustContain(t, body, "lưu mới 3 phiếu")
	})
}
