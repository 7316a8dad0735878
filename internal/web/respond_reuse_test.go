package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// A submission id already used for one form, posted again with another form (a page copied
// between two links), is told honestly: nothing stored, the other form not answered.
func TestASubmissionIDReusedOnAnotherFormIsToldHonestly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	first, q := e.formFor(forms, campaign.ShapeSingle)
	var second = first
	for _, f := range forms[first.Group] {
		if f.ID != first.ID {
			second = f
			break
		}
	}
	c := e.client()
	c.get("/p/" + first.Token)
	if resp, body := c.post("/p/"+first.Token, answers(q, nil, 1, "sid-shared")); resp.StatusCode != http.StatusOK {
		t.Fatalf("first: %d\n%s", resp.StatusCode, body)
	}
	c.get("/p/" + second.Token)
	resp, body := c.post("/p/"+second.Token, answers(q, nil, 2, "sid-shared"))
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("status %d\n%s", resp.StatusCode, text(body))
	}
	mustContain(t, body, msgReusedTitle, "phiếu này vẫn chưa có câu trả lời")
	if strings.Contains(body, msgConflictTitle) {
		t.Fatal("the reuse is answered as an earlier answer to this form")
	}
	if _, err := e.db.ResponseByForm(context.Background(), second.ID); err == nil {
		t.Fatal("a response was stored for the second form")
	}
}
