package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/formcode"
)

// An enumerator learns nothing of the forms outside the batch being keyed, and cannot try
// codes without end (issue 15, the code probe).
func TestAKeyerCannotProbeCodes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.db.SetClock(func() time.Time { return inWindow })
	forms := e.issueAll()
	sup, k := e.client(), e.client()
	sup.login("giamsat")
	k.login("dtv1")
	batch := e.recordBatch(sup, "S2", "SNV", 10, paperDay)
	e.addKeyer(sup, "dtv1")
	var mine, other string
	for _, f := range forms["S2"] {
		switch {
		case f.Unit == "SNV" && mine == "":
			mine = f.Code
		case f.Unit == "STP" && other == "":
			other = f.Code
		}
	}
	t.Run("a voided form of another batch is refused as outside the batch, its state untold", func(t *testing.T) {
		if _, err := e.db.VoidForm(context.Background(), other, "rách", false, 0); err != nil {
			t.Fatal(err)
		}
		res := k.check(batch, other)
		if res.OK || !strings.Contains(res.Message, "không thuộc lô đang nhập") || strings.Contains(res.Message, "hủy") {
			t.Fatalf("check %s: %+v", other, res)
		}
	})
	t.Run("past the limit of refused codes, no code is checked, the right one neither", func(t *testing.T) {
		for i := 1; i < probeLimit; i++ {
			k.check(batch, formcode.New("S2", "SNV", 9000+i))
		}
		if res := k.check(batch, mine); res.OK || res.Message != msgProbeLimit {
			t.Fatalf("check %s after %d refusals: %+v", mine, probeLimit, res)
		}
	})
	t.Run("another keyer is not held up", func(t *testing.T) {
		e.addKeyer(sup, "dtv2")
		k2 := e.client()
		k2.login("dtv2")
		if res := k2.check(batch, mine); !res.OK {
			t.Fatalf("check %s: %+v", mine, res)
		}
	})
}
