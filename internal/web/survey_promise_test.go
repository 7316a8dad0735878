package web

import (
	"html"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/outreach"
)

func TestEveryFormStatesTheAnonymityPromise(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	for _, shape := range []campaign.Shape{campaign.ShapeSingle, campaign.ShapeMatrix} {
		f, _ := e.formFor(forms, shape)
		_, page := e.client().get("/p/" + f.Token)
		mustContain(t, html.UnescapeString(page), outreach.AnonymityPromise)
	}
}
