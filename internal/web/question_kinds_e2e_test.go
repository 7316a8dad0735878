//go:build e2e

package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/parsurvey/parsurvey/internal/browsertest"
	"github.com/parsurvey/parsurvey/internal/store"
)

// evalJS runs a script in the page and returns its result.
func evalJS[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	var v T
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &v)); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// TestQuestionKindsOnAPhoneInChromium answers K1 of the question-kinds campaign on a 360 px
// phone: the follow-up appears and disappears with the answer to the question before it, the
// open question counts the characters left, and the form is stored with the follow-up's
// answer and the opinion.
func TestQuestionKindsOnAPhoneInChromium(t *testing.T) {
	t.Parallel()
	e, forms := kindsEnv(t)
	base := e.serve()
	ctx := newBrowser(t, 360, 800)
	f := forms[0]
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/p/"+f.Token), chromedp.WaitVisible("form.survey")); err != nil {
		t.Fatal(err)
	}
	hidden := `document.getElementById("q_C2").hidden`
	if !evalJS[bool](t, ctx, hidden) {
		t.Fatal("the follow-up shows before question 1 is answered")
	}
	if w := evalJS[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("page is %d px wide on a 360 px phone", w)
	}
	progress := func() string { return evalJS[string](t, ctx, `document.getElementById("tien-do").textContent`) }
	if err := chromedp.Run(ctx,
		chromedp.Click(`input[name="r_gioi_tinh"][value="2"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="r_linh_vuc"][value="12"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q_C1"][value="1"]`, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if evalJS[bool](t, ctx, hidden) {
		t.Fatal("the follow-up stays hidden after «Có»")
	}
	if got := progress(); got != "Đã trả lời 1/3 câu" {
		t.Errorf("progress with the follow-up asked: %q", got)
	}
	if err := chromedp.Run(ctx, chromedp.Click(`input[name="q_C2"][value="2"]`, chromedp.ByQuery),
		chromedp.ScrollIntoView("#q_C2", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, "kinds-phone-followup-shown")
	if err := chromedp.Run(ctx, chromedp.Click(`input[name="q_C1"][value="2"]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if !evalJS[bool](t, ctx, hidden) {
		t.Fatal("the follow-up still shows after «Không»")
	}
	if got := progress(); got != "Đã trả lời 1/2 câu" {
		t.Errorf("progress with the follow-up skipped: %q", got)
	}
	browsertest.Screenshot(t, ctx, "kinds-phone-followup-hidden")
	opinion := "Cần niêm yết rõ thời hạn giải quyết hồ sơ."
	if err := chromedp.Run(ctx,
		chromedp.Click(`input[name="q_C1"][value="1"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q_C3"][value="1"]`, chromedp.ByQuery),
		chromedp.SendKeys("#q_C4-t", opinion, chromedp.ByID),
		chromedp.ScrollIntoView("#q_C4", chromedp.ByID),
	); err != nil {
		t.Fatal(err)
	}
	if got, want := evalJS[string](t, ctx, `document.getElementById("q_C4-dem").textContent`), "Còn 458 ký tự"; got != want {
		t.Errorf("counter says %q, want %q", got, want)
	}
	browsertest.Screenshot(t, ctx, "kinds-phone-open-question")
	if err := chromedp.Run(ctx, chromedp.Click(`form.survey button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".receipt", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if got := formAnswers(t, e, f.ID); got != "1211" {
		t.Errorf("answers stored %q, want 1211", got)
	}
	rows, err := e.db.TextAnswers(context.Background(), e.camp.ID, store.TextFilter{})
	if err != nil || len(rows) != 1 || rows[0].Body != opinion {
		t.Fatalf("open answers %+v, %v", rows, err)
	}
}

// TestQuestionKindsWithoutJavaScriptInChromium answers on a phone with scripts off: every
// question shows, the follow-up with its condition in words, and the server drops the answer
// to a follow-up whose condition is not met.
func TestQuestionKindsWithoutJavaScriptInChromium(t *testing.T) {
	t.Parallel()
	e, forms := kindsEnv(t)
	base := e.serve()
	ctx := newBrowser(t, 360, 800)
	f := forms[1]
	if err := chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(true), chromedp.Navigate(base+"/p/"+f.Token),
		chromedp.WaitVisible("#q_C2", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	var cond string
	if err := chromedp.Run(ctx, chromedp.Text("#q_C2 .cond", &cond, chromedp.ByQuery),
		chromedp.ScrollIntoView("#q_C1", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cond, "Chỉ trả lời nếu ở câu 1 Ông/Bà chọn «Có».") {
		t.Errorf("condition reads %q", cond)
	}
	browsertest.Screenshot(t, ctx, "kinds-phone-nojs")
	if err := chromedp.Run(ctx,
		chromedp.Click(`input[name="r_gioi_tinh"][value="1"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="r_linh_vuc"][value="3"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q_C1"][value="2"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q_C2"][value="1"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q_C3"][value="4"]`, chromedp.ByQuery),
		chromedp.Click(`form.survey button[type=submit]:not(.save-draft)`, chromedp.ByQuery),
		chromedp.WaitVisible(".receipt", chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	if got := formAnswers(t, e, f.ID); got != "2-40" {
		t.Errorf("answers stored %q, want 2-40 (the follow-up's answer dropped)", got)
	}
}

// TestKeyingQuestionKindsInChromium keys K1 with the keyboard only, twice (double entry): a
// twelfth option typed as two digits, a follow-up the cursor passes by after «Không», and an
// opinion typed in its box after the key 1, Enter going on to the save button.
func TestKeyingQuestionKindsInChromium(t *testing.T) {
	t.Parallel()
	e, forms := kindsEnv(t)
	ctx := context.Background()
	sup := e.userID("giamsat")
	for _, name := range []string{"dtv1", "dtv2"} {
		if err := e.db.AddKeyer(ctx, e.camp.ID, e.userID(name), sup); err != nil {
			t.Fatal(err)
		}
	}
	b := &store.Batch{CampaignID: e.camp.ID, Group: "CB", Unit: "X01", ReturnedBy: e.userID("dtv1"), Count: 5,
		ReceivedOn: forms[0].IssuedAt}
	if err := e.db.RecordBatch(ctx, b, sup); err != nil {
		t.Fatal(err)
	}
	var f *store.IssuedForm
	for _, x := range forms {
		if x.Unit == "X01" && f == nil {
			f = x
		}
	}
	opinion := "Nên kéo dài giờ tiếp dân vào sáng thứ Bảy."
	marks := []string{"2", "1", "2", "2", "1", "1", opinion, kb.Enter}
	base := e.serve()
	browser := newBrowser(t, 1366, 768)
	status, _ := keyInBrowser(t, browser, base, "dtv1", b.ID, f.Code, marks, "kinds-keying")
	if !strings.Contains(status, "Đã lưu lần nhập thứ nhất của phiếu "+f.Code) {
		t.Fatalf("status after the first keying: %q", status)
	}
	var keyed string
	e.db.ReadRow(ctx, `SELECT a.answers FROM keying_answers a JOIN keyings k ON k.id = a.keying_id WHERE k.form_id = ?`, []any{f.ID}, &keyed)
	if keyed != "2-11" {
		t.Fatalf("first keying holds %q, want 2-11", keyed)
	}
	status, _ = keyInBrowser(t, browser, base, "dtv2", b.ID, f.Code, marks, "")
	if !strings.Contains(status, f.Code) || formAnswers(t, e, f.ID) != "2-11" {
		t.Fatalf("second keying: %q, answers %q", status, formAnswers(t, e, f.ID))
	}
	rows, err := e.db.TextAnswers(ctx, e.camp.ID, store.TextFilter{Unit: "X01"})
	if err != nil || len(rows) != 1 || rows[0].Body != opinion || rows[0].Channel != "paper" {
		t.Fatalf("open answers %+v, %v", rows, err)
	}
}
