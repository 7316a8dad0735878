//go:build e2e

package web

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/parsurvey/parsurvey/internal/browsertest"
	"github.com/parsurvey/parsurvey/internal/workbook"
	"github.com/xuri/excelize/v2"
)

// An administrator uploads a workbook with an error, reads the error on the page, uploads the
// fixed workbook to the same draft, previews a questionnaire at phone size and publishes.
func TestAuthoringInChromium(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := e.serve()
	dir := t.TempDir()
	def := smallDefinition(t)
	broken := filepath.Join(dir, "ke-hoach.xlsx")
	fixed := filepath.Join(dir, "ke-hoach-da-sua.xlsx")
	if err := os.WriteFile(broken, workbookOf(t, def, func(f *excelize.File) { f.SetCellValue(workbook.SheetUnits, "B3", "so-y-te") }), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fixed, workbookOf(t, def, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t, 390, 844)
	var errorsText, checked, banner, flash, draft string
	var disabled bool
	var overflow int
	err := chromedp.Run(ctx,
		staffSignIn(base, "admin"),
		chromedp.Navigate(base+"/authoring"),
		chromedp.WaitVisible("#file", chromedp.ByID),
		chromedp.SetUploadFiles("#file", []string{broken}, chromedp.ByID),
		chromedp.Submit("#file", chromedp.ByID),
		chromedp.WaitVisible("#cac-loi", chromedp.ByID),
		chromedp.Text("#cac-loi tbody", &errorsText, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.FullScreenshot(t, ctx, "authoring-error-390")
	if !strings.Contains(errorsText, "Đơn vị") || !strings.Contains(errorsText, `loại đơn vị "so-y-te" chưa khai báo ở trang 'Loại đơn vị'`) {
		t.Fatalf("errors on the page:\n%s", errorsText)
	}
	err = chromedp.Run(ctx,
		chromedp.SetUploadFiles("#file", []string{fixed}, chromedp.ByID),
		chromedp.Submit("#file", chromedp.ByID),
		chromedp.WaitVisible(`a[href$="/preview/F1"]`, chromedp.ByQuery),
		chromedp.Text("#kiem-tra", &checked, chromedp.ByID),
		chromedp.Location(&draft),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.FullScreenshot(t, ctx, "authoring-draft-390")
	if !strings.Contains(checked, "Hợp lệ: test-2026") {
		t.Fatalf("check result: %q", checked)
	}
	err = chromedp.Run(ctx,
		chromedp.Click(`a[href$="/preview/F1"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#xem-truoc", chromedp.ByID),
		chromedp.Text("#xem-truoc", &banner, chromedp.ByID),
		chromedp.Evaluate(`document.querySelector(".submit button[type=submit]").disabled`, &disabled),
		chromedp.Evaluate(`document.documentElement.scrollWidth - window.innerWidth`, &overflow),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.FullScreenshot(t, ctx, "authoring-preview-F1-390")
	if !strings.Contains(banner, "Bản xem trước") || !disabled || overflow > 0 {
		t.Fatalf("preview: banner %q, submit disabled %v, overflow %dpx", banner, disabled, overflow)
	}
	err = chromedp.Run(ctx,
		chromedp.Navigate(draft+"/preview/M1"),
		chromedp.WaitVisible("#xem-truoc", chromedp.ByID),
		chromedp.Evaluate(`document.documentElement.scrollWidth - window.innerWidth`, &overflow),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.FullScreenshot(t, ctx, "authoring-preview-M1-390")
	if overflow > 0 {
		t.Fatalf("the matrix preview is %dpx wider than the phone", overflow)
	}
	err = chromedp.Run(ctx,
		chromedp.Navigate(draft),
		chromedp.WaitVisible(`form[action$="/publish"] button`, chromedp.ByQuery),
		chromedp.Click(`form[action$="/publish"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(".flash", chromedp.ByQuery),
		chromedp.Text(".flash", &flash, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.FullScreenshot(t, ctx, "authoring-published-390")
	if !strings.Contains(flash, "Đã xuất bản đợt khảo sát test-2026") {
		t.Fatalf("flash: %q", flash)
	}
}

// The same draft previewed on a desktop (the matrix form's grid) and as printed, read back
// with pdftotext.
func TestAuthoringPreviewOnADesktopAndInPrint(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := e.serve()
	admin := e.client()
	admin.login("admin")
	admin.get("/authoring")
	draft, _ := admin.follow(admin.uploadField("/authoring/drafts", "file", "ke-hoach.xlsx", workbookOf(t, smallDefinition(t), nil), nil))

	ctx := newBrowser(t, 1280, 900)
	var units int
	err := chromedp.Run(ctx,
		staffSignIn(base, "admin"),
		chromedp.Navigate(base+draft+"/preview/M1"),
		chromedp.WaitVisible("#xem-truoc", chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll("table.mx th.mx-unit").length`, &units),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.FullScreenshot(t, ctx, "authoring-preview-M1-1280")
	if units != 1 {
		t.Fatalf("the matrix preview has %d unit columns, want 1 (Huyện An Hòa)", units)
	}

	resp, body := admin.get(draft + "/print/F1")
	if resp.StatusCode != 200 {
		t.Fatalf("print: %d", resp.StatusCode)
	}
	path := filepath.Join(t.TempDir(), "F1.pdf")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"PHIẾU KHẢO SÁT THỬ", "Kế hoạch cải cách hành chính có cụ thể không?", "G1-SNV-0001"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed preview lacks %q:\n%s", want, text)
		}
	}
}
