package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/workbook"
	"github.com/xuri/excelize/v2"
)

// smallDefinition is the workbook package's small test definition (code test-2026): a single
// form F1 for Sở, a matrix form M1 for huyện, an imported group.
func smallDefinition(t *testing.T) *campaign.Definition {
	t.Helper()
	def, err := campaign.Load(os.DirFS("../workbook/testdata"), "small")
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// workbookOf writes def as a campaign workbook, with edit applied as a person would in Excel.
func workbookOf(t *testing.T, def *campaign.Definition, edit func(f *excelize.File)) []byte {
	t.Helper()
	data, err := workbook.Bytes(def)
	if err != nil {
		t.Fatal(err)
	}
	if edit == nil {
		return data
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	edit(f)
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// uploadField posts a multipart form with one file in field, and the other fields.
func (c *client) uploadField(path, field, name string, data []byte, fields map[string]string) (*http.Response, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", c.csrf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if name != "" {
		fw, _ := w.CreateFormFile(field, name)
		fw.Write(data)
	}
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// follow returns the page a 303 sends to, failing unless resp is one.
func (c *client) follow(resp *http.Response, body string) (string, string) {
	c.e.t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		c.e.t.Fatalf("status %d, want 303\n%.2000s", resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	r, page := c.get(loc)
	if r.StatusCode != http.StatusOK {
		c.e.t.Fatalf("GET %s: %d\n%.2000s", loc, r.StatusCode, page)
	}
	return loc, page
}

func TestAuthoringUploadFixPreviewAndPublish(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.client()
	admin.login("admin")
	if resp, page := admin.get("/authoring"); resp.StatusCode != 200 {
		t.Fatalf("authoring page: %d\n%s", resp.StatusCode, page)
	} else {
		mustContain(t, page, "Tải lên sổ tính hoặc tệp nén YAML", "/campaigns/"+fmt.Sprint(e.camp.ID)+"/workbook.xlsx")
	}
	def := smallDefinition(t)
	broken := workbookOf(t, def, func(f *excelize.File) { f.SetCellValue(workbook.SheetUnits, "B4", "quan") })

	var draft string
	t.Run("a workbook with an error is kept and its error shown at its sheet, row and column", func(t *testing.T) {
		var page string
		draft, page = admin.follow(admin.uploadField("/authoring/drafts", "file", "ke-hoach.xlsx", broken, nil))
		if !regexp.MustCompile(`^/authoring/drafts/\d+$`).MatchString(draft) {
			t.Fatalf("sent to %s", draft)
		}
		mustContain(t, page, "Chưa dùng được: 2 lỗi", "<td>Đơn vị</td><td class=\"num\">4</td><td>B</td><td>loại đơn vị &#34;quan&#34; chưa khai báo ở trang &#39;Loại đơn vị&#39;",
			"<td>Nhóm đối tượng</td><td class=\"num\">3</td><td>C</td><td>không có đơn vị nào thuộc loại &#34;huyen&#34;")
		if strings.Contains(page, "/publish") {
			t.Error("a draft with errors offers to publish")
		}
		if resp, _ := admin.get(draft + "/preview/F1"); resp.StatusCode != http.StatusConflict {
			t.Errorf("preview of a broken draft: %d", resp.StatusCode)
		}
	})
	t.Run("a file that is not a workbook is refused on the page", func(t *testing.T) {
		resp, page := admin.uploadField("/authoring/drafts", "file", "ke-hoach.docx", []byte("PK"), nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "không phải sổ tính .xlsx hay tệp nén .zip") {
			t.Fatalf("status %d\n%.1500s", resp.StatusCode, page)
		}
	})
	t.Run("the fixed workbook uploaded to the same draft checks", func(t *testing.T) {
		loc, page := admin.follow(admin.uploadField(draft, "file", "ke-hoach-da-sua.xlsx", workbookOf(t, def, nil), nil))
		if loc != draft {
			t.Fatalf("sent to %s, want %s", loc, draft)
		}
		mustContain(t, page, "Hợp lệ: test-2026", "3 đơn vị, 3 nhóm đối tượng, 2 mẫu phiếu", "Đợt khảo sát mới",
			draft+"/preview/F1", draft+"/print/M1", draft+"/publish")
	})
	t.Run("a questionnaire is previewed on the respondent's page, which cannot submit", func(t *testing.T) {
		resp, page := admin.get(draft + "/preview/F1?unit=STP")
		if resp.StatusCode != 200 {
			t.Fatalf("preview: %d\n%s", resp.StatusCode, page)
		}
		mustContain(t, page, "Bản xem trước", "PHIẾU KHẢO SÁT THỬ", "Kế hoạch cải cách hành chính có cụ thể không?", "Sở Tư pháp",
			`<button type="submit" disabled>Gửi phiếu</button>`)
		for _, no := range []string{"data-token=", "/p/" + previewToken, "data-draft="} {
			if strings.Contains(page, no) {
				t.Errorf("the preview holds %q", no)
			}
		}
		resp, page = admin.get(draft + "/preview/M1")
		if resp.StatusCode != 200 || !strings.Contains(page, "Huyện An Hòa") {
			t.Fatalf("matrix preview: %d\n%.1500s", resp.StatusCode, page)
		}
	})
	t.Run("a questionnaire is previewed as printed", func(t *testing.T) {
		resp, body := admin.get(draft + "/print/F1")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF") {
			t.Fatalf("print: %d %s %.40q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	})
	t.Run("publishing creates the campaign once", func(t *testing.T) {
		admin.get(draft)
		loc, page := admin.follow(admin.post(draft+"/publish", nil))
		camp, err := e.db.CampaignByCode(context.Background(), "test-2026")
		if err != nil {
			t.Fatal(err)
		}
		if loc != fmt.Sprintf("/campaigns/%d", camp.ID) || camp.Def.Digest() != def.Digest() {
			t.Fatalf("sent to %s; stored digest differs: %v", loc, camp.Def.Digest() != def.Digest())
		}
		mustContain(t, page, "Đã xuất bản đợt khảo sát test-2026 (phiên bản 1).")
		resp, again := admin.post(draft+"/publish", nil)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(again, "đã được xuất bản") {
			t.Fatalf("second publish: %d", resp.StatusCode)
		}
	})
	t.Run("only an administrator authors", func(t *testing.T) {
		sup := e.client()
		sup.login("giamsat")
		if resp, _ := sup.get("/authoring"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("supervisor: %d", resp.StatusCode)
		}
	})
}

func TestAuthoringListsChangesAndRefusesThemOnceResponsesExist(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.client()
	admin.login("admin")
	resp, book := admin.get(fmt.Sprintf("/campaigns/%d/workbook.xlsx", e.camp.ID))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != workbookType {
		t.Fatalf("campaign workbook: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	unit := e.camp.Def.Units[0]
	changed := workbookOf(t, e.camp.Def, func(f *excelize.File) { f.SetCellValue(workbook.SheetUnits, "C2", unit.Name+" (mới)") })
	// The campaign's own workbook, uploaded unchanged, changes nothing.
	_, page := admin.follow(admin.uploadField("/authoring/drafts", "file", "dot.xlsx", []byte(book), nil))
	mustContain(t, page, "Không có thay đổi nào")

	draft, page := admin.follow(admin.uploadField("/authoring/drafts", "file", "dot-sua.xlsx", changed, nil))
	change := fmt.Sprintf("Đơn vị › %s › tên: «%s» → «%s (mới)»", unit.Code, unit.Name, unit.Name)
	mustContain(t, page, "Thay đổi so với đợt "+e.camp.Code, change, "Xuất bản thay đổi")

	e.answerSome()
	_, page = admin.get(draft)
	mustContain(t, page, "định nghĩa không thể thay đổi nữa", change)
	if strings.Contains(page, "Xuất bản thay đổi") {
		t.Error("a change refused is offered for publishing")
	}
	resp, page = admin.post(draft+"/publish", nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, change) {
		t.Fatalf("publish: %d\n%.1500s", resp.StatusCode, page)
	}
	if camp, _ := e.db.Campaign(context.Background(), e.camp.ID); camp.Version != e.camp.Version {
		t.Fatalf("the campaign moved to version %d", camp.Version)
	}
}

func TestAuthoringMakesNextYearsCampaign(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.client()
	admin.login("admin")
	admin.get("/authoring")
	units := excelize.NewFile()
	units.SetSheetName("Sheet1", workbook.SheetUnits)
	rows := [][]any{{"Mã đơn vị", "Loại đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên"}}
	for _, u := range e.camp.Def.Units {
		rows = append(rows, []any{u.Code, u.Kind, u.Name, u.Parent})
	}
	rows[1][2] = "Tên mới của đơn vị đầu"
	for i, r := range rows {
		units.SetSheetRow(workbook.SheetUnits, fmt.Sprintf("A%d", i+1), &r)
	}
	var buf bytes.Buffer
	units.WriteTo(&buf)
	_, page := admin.follow(admin.uploadField("/authoring/next-year", "units", "don-vi-2027.xlsx", buf.Bytes(),
		map[string]string{"campaign": fmt.Sprint(e.camp.ID)}))
	mustContain(t, page, "Hợp lệ: demo-2027", "Thay đổi so với đợt gốc demo-2026", "năm: 2026 → 2027",
		"ngày bắt đầu: «01/11/2026» → «01/11/2027»", "«Tên mới của đơn vị đầu»", "Xuất bản đợt khảo sát")
	if strings.Contains(page, "«2026") && strings.Contains(page, "tiêu đề: «") && !strings.Contains(page, "2027") {
		t.Error("titles kept their year")
	}
	resp, page := admin.uploadField("/authoring/next-year", "units", "", nil, map[string]string{"campaign": "0"})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Hãy chọn đợt khảo sát để sao chép") {
		t.Fatalf("no campaign: %d", resp.StatusCode)
	}
}

func TestAuthoringEditsQuotasAndUnitsUntilFormsAreIssued(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.client()
	admin.login("admin")
	path := fmt.Sprintf("/campaigns/%d/definition", e.camp.ID)
	resp, page := admin.get(path)
	if resp.StatusCode != 200 {
		t.Fatalf("edit page: %d\n%s", resp.StatusCode, page)
	}
	def := e.camp.Def
	var group *campaign.Group
	for i := range def.Groups {
		if !def.Groups[i].Imported() {
			group = &def.Groups[i]
			break
		}
	}
	units := unitsText(def.Units)
	form := func(quota, units string) url.Values {
		v := url.Values{"units": {units}}
		for _, g := range def.Groups {
			if !g.Imported() {
				v.Set("quota_"+g.Code, fmt.Sprint(g.Quota))
			}
		}
		v.Set("quota_"+group.Code, quota)
		return v
	}
	t.Run("a bad quota and a unit of an unknown kind are refused with what was typed kept", func(t *testing.T) {
		bad := units + "X99; quan; Quận Mới\n"
		resp, page := admin.post(path, form("mười", bad))
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, page, "Số phiếu của nhóm "+group.Code+" phải là số nguyên, đang là “mười”", `value="mười"`, "X99; quan; Quận Mới")
		resp, page = admin.post(path, form("7", bad))
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		mustContain(t, page, fmt.Sprintf("Dòng %d của danh sách đơn vị: loại đơn vị &#34;quan&#34; chưa khai báo", len(def.Units)+1))
	})
	t.Run("a new quota and a new unit are saved as a new version", func(t *testing.T) {
		kind := def.Units[0].Kind
		_, page := admin.follow(admin.post(path, form("7", units+"X99; "+kind+"; Đơn vị Mới\n")))
		mustContain(t, page, "Đã lưu chỉ tiêu và danh sách đơn vị (phiên bản 2).")
		camp, err := e.db.Campaign(context.Background(), e.camp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if camp.Def.Group(group.Code).Quota != 7 || camp.Def.Unit("X99") == nil || camp.Def.Unit("X99").Name != "Đơn vị Mới" {
			t.Fatalf("stored: quota %d, unit %v", camp.Def.Group(group.Code).Quota, camp.Def.Unit("X99"))
		}
	})
	t.Run("once forms are issued the page says to use a workbook instead", func(t *testing.T) {
		e.issueAll()
		resp, page := admin.post(path, form("8", units))
		if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "không sửa trực tiếp được nữa") {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
}

func TestAuthoringTakesAZipOfYAMLAndGivesItBackAsAWorkbook(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.client()
	admin.login("admin")
	admin.get("/authoring")
	def := smallDefinition(t)
	var zip bytes.Buffer
	if err := workbook.WriteYAMLZip(&zip, def); err != nil {
		t.Fatal(err)
	}
	draft, page := admin.follow(admin.uploadField("/authoring/drafts", "file", "dot.zip", zip.Bytes(), nil))
	mustContain(t, page, "Hợp lệ: test-2026", draft+"/workbook")
	resp, book := admin.get(draft + "/workbook")
	if resp.StatusCode != 200 {
		t.Fatalf("workbook of a zip draft: %d", resp.StatusCode)
	}
	got, err := workbook.Read([]byte(book))
	if err != nil {
		t.Fatal(err)
	}
	if got.Digest() != def.Digest() {
		t.Fatal("the workbook of a zip draft is another definition")
	}
	_, page = admin.follow(admin.uploadField(draft, "file", "hong.zip", []byte("không phải zip"), nil))
	mustContain(t, page, "Chưa dùng được: 1 lỗi", "<td>tệp nén</td>", "tệp không phải là tệp nén .zip đọc được")
}

func TestAuthoringRefusesToDropWhatIssuedFormsPointTo(t *testing.T) {
	t.Parallel()
	old := smallDefinition(t)
	next := workbook.WithQuotas(old, nil, old.Units[:2])
	issued := &store.CampaignSummary{Code: old.Code, Issued: 12}
	if msg := refusal(issued, old, next, 1); !strings.Contains(msg, "không bỏ được đơn vị hay nhóm đã có phiếu (đơn vị H01)") {
		t.Errorf("dropping a unit with forms issued: %q", msg)
	}
	if msg := refusal(issued, old, workbook.WithQuotas(old, map[string]int{"G1": 9}, nil), 1); msg != "" {
		t.Errorf("a quota change with forms issued is refused: %q", msg)
	}
	if msg := refusal(&store.CampaignSummary{Code: old.Code, Responses: 3}, old, next, 1); !strings.Contains(msg, "đã có 3 phiếu trả lời") {
		t.Errorf("with responses: %q", msg)
	}
	if msg := refusal(&store.CampaignSummary{Code: old.Code, Responses: 3}, old, old, 0); msg != "" {
		t.Errorf("no change is refused: %q", msg)
	}
}
