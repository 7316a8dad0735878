//go:build e2e

package web

// The year-on-year part of the analysis report through the real app: two linked, scored
// campaigns; the DOCX converted with LibreOffice and the PDF read back with pdftotext. With
// REPORT_PAGES set to a folder, the pages of the part are rendered there with pdftoppm.

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/compare"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// reportText downloads the report of the campaign's results in format (with query, "" or
// "?run=N"), turns a DOCX into a PDF with LibreOffice, and returns the PDF's file and its
// text with the words closed up.
func (y *yearOnYear) reportText(t *testing.T, format, query string) (string, string) {
	t.Helper()
	resp, body := y.admin.get(fmt.Sprintf("/campaigns/%d/results/export.%s%s", y.camp.ID, format, query))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != reportTypes[format] {
		t.Fatalf("%s report: status %d, %s\n%.300s", format, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	dir := t.TempDir()
	pdfPath := filepath.Join(dir, "bao-cao.pdf")
	if format == "docx" {
		in := filepath.Join(dir, "bao-cao.docx")
		if err := os.WriteFile(in, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		// A profile of its own, so that parallel conversions do not share LibreOffice's lock.
		if out, err := exec.CommandContext(ctx, "soffice", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
			"--headless", "--convert-to", "pdf", "--outdir", dir, in).CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, out)
		}
	} else if err := os.WriteFile(pdfPath, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	// -layout keeps a table's row on one line, where the plain reading goes down each column of
	// LibreOffice's tables in turn.
	out, err := exec.Command("pdftotext", "-layout", pdfPath, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return pdfPath, closeUp(string(out))
}

// squash drops every space: LibreOffice's PDF spaces some letters apart ("v ới"), and a table
// cell's wrapped lines break a phrase where pdftotext reads the next cell.
func squash(s string) string { return strings.Join(strings.Fields(s), "") }

// renderPart writes the pages of pdfPath from the one where the part starts, when
// REPORT_PAGES names a folder.
func renderPart(t *testing.T, pdfPath, prefix string) {
	dir := os.Getenv("REPORT_PAGES")
	if dir == "" {
		return
	}
	out, err := exec.Command("pdftotext", pdfPath, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	first := 0
	for i, p := range strings.Split(string(out), "\f") {
		if strings.Contains(closeUp(p), "So sánh với năm trước") && !strings.Contains(closeUp(p), "Thông tin chung") {
			first = i + 1
			break
		}
	}
	if first == 0 {
		t.Fatalf("no page of the part in %s", pdfPath)
	}
	if out, err := exec.Command("pdftoppm", "-r", "80", "-png", "-f", fmt.Sprint(first), "-l", fmt.Sprint(first+2), pdfPath, filepath.Join(dir, prefix)).CombinedOutput(); err != nil {
		t.Errorf("pdftoppm: %v\n%s", err, out)
	}
}

// part is the text of the year-on-year part: from its heading to the signature.
func part(t *testing.T, text string) string {
	t.Helper()
	i := strings.Index(squash(text), squash(". So sánh với năm trước"))
	if i < 0 {
		t.Fatalf("the report has no year-on-year part")
	}
	s := squash(text)[i:]
	if j := strings.Index(s, "Nơinhận:"); j > 0 {
		s = s[:j]
	}
	return s
}

func TestYearOnYearInTheAnalysisReport(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("soffice"); err != nil {
		t.Skip("soffice (LibreOffice) is not installed: the DOCX report is not converted; install libreoffice-writer-nogui")
	}
	for _, tool := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed: %v", tool, err)
		}
	}
	y := newYearOnYear(t)
	admin := y.admin
	ctx := context.Background()

	t.Run("a campaign linked to no earlier one has no year-on-year part, and the report downloads", func(t *testing.T) {
		_, text := y.reportText(t, "pdf", "")
		if strings.Contains(text, "So sánh với năm trước") {
			t.Error("the report of an unlinked campaign compares with the year before")
		}
	})

	admin.get(y.url(""))
	if resp, body := admin.uploadForm(y.url(""), map[string]string{"earlier": fmt.Sprint(y.earlier.ID)}, "ghep.csv", y.mappingCSV()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("link: %d\n%s", resp.StatusCode, body)
	}
	cmp, err := compare.Load(ctx, y.db, y.camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	label := cmp.Before.Label
	// A unit matched by code, comparable: its row carries the runs' own figures. The one of
	// the shortest name, whose cell does not wrap and split the row in the PDF's text.
	var byCode *compare.UnitChange
	for i := range cmp.Units {
		if u := &cmp.Units[i]; u.Match == compare.MatchCode && u.Comparable() && u.RankBefore > 0 && (byCode == nil || len(u.Name) < len(byCode.Name)) {
			byCode = u
		}
	}
	if byCode == nil {
		t.Fatal("no unit matched by code")
	}
	merged := cmp.Unit(y.merged)

	check := func(t *testing.T, text string) {
		t.Helper()
		s := part(t, text)
		for _, want := range []string{
			fmt.Sprintf("được so sánh với lần tính điểm số %d của đợt %s", cmp.Before.RunID, y.earlier.Code),
			"bảng ghép đơn vị ghep.csv",
			"Lưu ý: phương pháp tính điểm", "và cây tiêu chí",
			"Thay đổi (điểm %)",
			closeUp(merged.Name) + " (ghép từ " + y.split[0] + ": 75,00%; " + y.split[1] + ":",
			closeUp(byCode.Name),
			"Tỷ lệ điểm bình quân theo lĩnh vực",
			"Ghi chú về phương pháp và cây tiêu chí",
			"Câu trả lời “không biết”: năm " + label + " tính là 0 điểm",
		} {
			if !strings.Contains(squash(s), squash(want)) {
				t.Errorf("the part lacks %q", want)
			}
		}
		// The row of the unit matched by code: this year's points and percent, last year's,
		// the changes, in the order of the columns.
		row := strings.Join([]string{scoring.FormatVN(byCode.Now.Points), vn.Decimal(byCode.Now.Percent, 2),
			scoring.FormatVN(byCode.Before.Points), vn.Decimal(byCode.Before.Percent, 2), signed(byCode.Change), signed(byCode.PercentChange),
			fmt.Sprint(byCode.RankBefore)}, " ")
		if !strings.Contains(squash(s), squash(closeUp(byCode.Name)+" "+row)) {
			t.Errorf("the part lacks the row %q of %s", row, byCode.Name)
		}
		for _, k := range cmp.Kinds {
			if k.Change == nil {
				continue
			}
			if want := fmt.Sprintf("%d trong %d đơn vị so sánh được với năm trước. Tỷ lệ điểm bình quân của các đơn vị này là %s%%", k.Comparable, k.Units, vn.Decimal(k.Now, 2)); !strings.Contains(squash(s), squash(want)) {
				t.Errorf("the part lacks %q", want)
			}
		}
	}

	t.Run("the Word report, converted by LibreOffice, carries the comparison", func(t *testing.T) {
		p, text := y.reportText(t, "docx", "")
		if d := os.Getenv("REPORT_PAGES"); d != "" {
			os.WriteFile(filepath.Join(d, "so-sanh-docx.txt"), []byte(text), 0o600)
		}
		check(t, text)
		renderPart(t, p, "so-sanh-docx")
	})
	t.Run("the PDF report carries the same comparison", func(t *testing.T) {
		p, text := y.reportText(t, "pdf", "")
		check(t, text)
		renderPart(t, p, "so-sanh-pdf")
	})

	t.Run("the report of an earlier run compares that run", func(t *testing.T) {
		old := cmp.Now.RunID
		y.answerOneMore(t)
		admin.get(fmt.Sprintf("/campaigns/%d/results", y.camp.ID))
		if resp, body := admin.post(fmt.Sprintf("/campaigns/%d/results/runs", y.camp.ID), nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("second run: %d\n%s", resp.StatusCode, body)
		}
		newer, err := compare.Load(ctx, y.db, y.camp.ID)
		if err != nil || newer.Now.RunID == old {
			t.Fatalf("no newer run: %v", err)
		}
		_, text := y.reportText(t, "pdf", fmt.Sprintf("?run=%d", old))
		if s := part(t, text); !strings.Contains(squash(s), squash(fmt.Sprintf("Kết quả lần tính điểm số %d (năm %d)", old, y.camp.Year))) {
			t.Errorf("the report of run %d compares another run:\n%.400s", old, s)
		}
		_, text = y.reportText(t, "pdf", "")
		if s := part(t, text); !strings.Contains(squash(s), squash(fmt.Sprintf("Kết quả lần tính điểm số %d (năm %d)", newer.Now.RunID, y.camp.Year))) {
			t.Errorf("the newest report does not compare the newest run:\n%.400s", s)
		}
	})

	t.Run("linked to a campaign without a score run, one sentence says so", func(t *testing.T) {
		older := *y.earlier.Def
		older.Code, older.Year = y.earlier.Code+"-cu", y.earlier.Year-1
		oc, _, err := y.db.SaveDefinition(ctx, &older, 0)
		if err != nil {
			t.Fatal(err)
		}
		admin.get(y.url(""))
		if resp, _ := admin.uploadForm(y.url(""), map[string]string{"earlier": fmt.Sprint(oc.ID)}, "", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("link: %d", resp.StatusCode)
		}
		for _, format := range []string{"pdf", "docx"} {
			_, text := y.reportText(t, format, "")
			s := part(t, text)
			if !strings.Contains(squash(s), squash(fmt.Sprintf("được liên kết với đợt %s để so sánh với năm trước, nhưng đợt %s chưa có lần tính điểm nào", oc.Code, oc.Code))) ||
				strings.Contains(s, squash("Thay đổi (điểm")) {
				t.Errorf("%s: %.500s", format, s)
			}
		}
	})
}

// answerOneMore issues one more online form of the first single-unit online group for its
// first unit and submits it, so that the next score run has new data.
func (y *yearOnYear) answerOneMore(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	def := y.camp.Def
	var target *campaign.IssueTarget
	for _, g := range def.Groups {
		if g.Imported() || !g.Has(campaign.ChannelOnline) || def.Questionnaire(g.Form).Shape == campaign.ShapeMatrix {
			continue
		}
		for _, u := range def.UnitsOfKind(g.Evaluates) {
			if g.QuotaFor(u.Code) > 0 {
				// One form more than the one answerOnline issued: Issue creates only what is missing.
				target = &campaign.IssueTarget{Group: g.Code, Unit: u.Code, Channel: campaign.ChannelOnline, Quota: 2}
				break
			}
		}
		if target != nil {
			break
		}
	}
	if target == nil {
		t.Fatal("no single-unit online group")
	}
	if _, err := y.db.Issue(ctx, y.camp.ID, 0, []campaign.IssueTarget{*target}); err != nil {
		t.Fatal(err)
	}
	var fresh []*store.IssuedForm
	y.db.Forms(ctx, y.camp.ID, store.FormFilter{}, func(f *store.IssuedForm) error {
		if !f.Answered && f.Token != "" && f.VoidedAt.IsZero() {
			fresh = append(fresh, f)
		}
		return nil
	})
	if len(fresh) != 1 {
		t.Fatalf("%d unanswered forms, want the one issued", len(fresh))
	}
	g := def.Group(target.Group)
	if resp, body := y.client().post("/p/"+fresh[0].Token, answers(def.Questionnaire(g.Form), nil, 4, "mot-phieu-nua")); resp.StatusCode != http.StatusOK {
		t.Fatalf("submit %s: %d\n%.300s", fresh[0].Code, resp.StatusCode, body)
	}
}
