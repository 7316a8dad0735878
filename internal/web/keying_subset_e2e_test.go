//go:build e2e

package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/paper"
)

// TestKeyingAFormIssuedForAListOfUnitsInChromium keys, with the keyboard alone, a delegates'
// matrix form issued on paper for three agencies: once the code is checked the screen drops the
// other agencies' items, the cursor runs through the three, and two keyings store it for the
// three alone.
func TestKeyingAFormIssuedForAListOfUnitsInChromium(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, def, form, units := subsetKeyingEnv(t)
	db, code := e.db, form.Code
	l, err := paper.NewFormLayout(def, "S1", "", units)
	if err != nil {
		t.Fatal(err)
	}
	sup := e.client()
	sup.login("giamsat")
	batch := e.recordBatch(sup, "S1", "", 1, paperDay)
	e.addKeyer(sup, "dtv1")
	e.addKeyer(sup, "dtv2")
	marks := make([]string, len(l.Items()))
	for i := range marks {
		marks[i] = "1"
	}
	base := e.serve()
	browser := newBrowser(t, 1366, 768)

	status, _ := keyInBrowser(t, browser, base, "dtv1", batch, code, marks, "keying-subset")
	if !strings.Contains(status, "Đã lưu lần nhập thứ nhất của phiếu "+code) {
		t.Fatalf("status after the first keying: %q", status)
	}
	var shown, hidden int
	if err := chromedp.Run(browser,
		chromedp.Evaluate(`document.querySelectorAll(".k-item[data-unit]:not(.k-unrated)").length`, &shown),
		chromedp.Evaluate(`document.querySelectorAll(".k-item.k-unrated").length`, &hidden),
	); err != nil {
		t.Fatal(err)
	}
	// keyInBrowser ends on the save button after exactly the three agencies' items, so the
	// others were set aside; after saving, the screen is ready for any code of the batch.
	if shown == 0 || hidden != 0 {
		t.Errorf("after saving, the screen for the next code still sets units aside: %d shown, %d hidden", shown, hidden)
	}
	status, _ = keyInBrowser(t, browser, base, "dtv2", batch, code, marks, "")
	if !strings.Contains(status, "lần nhập thứ hai khớp lần thứ nhất") {
		t.Fatalf("status after the second keying: %q", status)
	}
	var rows int
	if err := db.ReadRow(ctx, `SELECT count(*) FROM response_answers`, nil, &rows); err != nil {
		t.Fatal(err)
	}
	if rows != len(units) {
		t.Fatalf("the form is stored for %d units, want %d", rows, len(units))
	}
}
