package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

func TestShortLinksLeadToTheFormsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	f, q := e.formFor(forms, campaign.ShapeSingle)
	c := e.client()

	t.Run("a short link sends the respondent on to the form's own page", func(t *testing.T) {
		resp, _ := c.get("/" + f.Short)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/p/"+f.Token {
			t.Fatalf("status %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		resp, body := c.get(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("form page %d", resp.StatusCode)
		}
		mustContain(t, body, q.Title, f.Code)
	})
	t.Run("a short link typed in capitals, as a phone may write it, works the same", func(t *testing.T) {
		resp, _ := c.get("/" + strings.ToUpper(f.Short))
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/p/"+f.Token {
			t.Fatalf("status %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("the long link printed before keeps working", func(t *testing.T) {
		if resp, _ := c.get("/p/" + f.Token); resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("unknown, mistyped and voided short links get the unknown form's page", func(t *testing.T) {
		voided := forms[f.Group][1]
		if _, err := e.db.VoidForm(context.Background(), voided.Code, "mất phiếu", false, 0); err != nil {
			t.Fatal(err)
		}
		_, unknownToken := c.get("/p/" + strings.Repeat("a", 26))
		for name, path := range map[string]string{
			"unknown":             "/zzzzzzzzzzzz",
			"with a look-alike l": "/" + f.Short[:11] + "l",
			"voided":              "/" + voided.Short,
		} {
			resp, body := c.get(path)
			if resp.StatusCode != http.StatusNotFound || body != unknownToken {
				t.Errorf("%s short link: status %d, same page as an unknown token %v", name, resp.StatusCode, body == unknownToken)
			}
		}
	})
	t.Run("the staff pages are not taken for short links", func(t *testing.T) {
		if resp, body := c.get("/login"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "password") {
			t.Fatalf("/login: %d", resp.StatusCode)
		}
	})
}

func TestGuessingShortLinksCountsAsGuessingTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	f, _ := e.formFor(e.issueAll(), campaign.ShapeSingle)
	prober := e.client()
	prober.ip = "203.0.113.7"
	// Half the misses by short link, half by token: one count per address.
	for i := 0; i < missLimit; i++ {
		path := fmt.Sprintf("/p/guess%020d", i)
		if i%2 == 0 {
			path = fmt.Sprintf("/guess%07d", i)
		}
		if resp, _ := prober.get(path); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("miss %d (%s): status %d", i, path, resp.StatusCode)
		}
	}
	if resp, _ := prober.get("/xxxxxxxxxxxx"); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("prober of short links not limited: %d", resp.StatusCode)
	}
	if resp, _ := prober.get("/p/guess-once-more-0000000"); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("prober of tokens not limited: %d", resp.StatusCode)
	}
	// Only misses are refused: the real short link still opens from the same address.
	if resp, _ := prober.get("/" + f.Short); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a real short link from a limited address got %d", resp.StatusCode)
	}
}
