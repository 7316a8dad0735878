package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
	"github.com/parsurvey/parsurvey/internal/pdf"
	"github.com/parsurvey/parsurvey/internal/store"
)

// previewToken stands for a form's token in a preview: it reaches no respondent route, since
// the preview's page has no script of its own and its buttons are disabled.
const previewToken = "xem-truoc"

// defDraftDefinition reads a draft that checks, or answers with why it cannot be previewed.
func (s *Server) defDraftDefinition(c *fiber.Ctx) (*store.DefinitionDraft, *campaign.Definition, error) {
	dr, err := s.defDraft(c)
	if err != nil {
		return nil, nil, err
	}
	def, problems, err := readDefinition(dr.Format, dr.Content)
	if err != nil {
		return nil, nil, err
	}
	if len(problems) > 0 {
		return nil, nil, &Error{Status: fiber.StatusConflict, Msg: msgAuthoringHasErrors}
	}
	return dr, def, nil
}

// previewSubject is the questionnaire a preview shows, with the group answering it and the
// units it is about: every unit of the kind for a matrix form, the chosen one (or the first)
// otherwise.
func previewSubject(c *fiber.Ctx, def *campaign.Definition) (*campaign.Questionnaire, *campaign.Group, []campaign.Unit, error) {
	q := def.Questionnaire(c.Params("form"))
	if q == nil {
		return nil, nil, nil, &Error{Status: fiber.StatusNotFound, Msg: msgAuthoringNoForm}
	}
	var g *campaign.Group
	for i := range def.Groups {
		if def.Groups[i].Form == q.Code && (g == nil || c.Query("group") == def.Groups[i].Code) {
			g = &def.Groups[i]
		}
	}
	if g == nil {
		return nil, nil, nil, &Error{Status: fiber.StatusConflict, Msg: fmt.Sprintf(msgAuthoringNoGroup, q.Code)}
	}
	units := def.UnitsOfKind(g.Evaluates)
	if len(units) == 0 {
		return nil, nil, nil, &Error{Status: fiber.StatusConflict, Msg: msgAuthoringHasErrors}
	}
	if q.Shape != campaign.ShapeMatrix && len(units) > 0 {
		pick := units[0]
		for _, u := range units {
			if u.Code == c.Query("unit") {
				pick = u
			}
		}
		units = []campaign.Unit{pick}
	}
	return q, g, units, nil
}

// previewBanner is put at the top of a preview, above the respondent's page.
var previewBanner = template.Must(template.New("banner").Parse(`<div class="notice bad" role="note" id="xem-truoc">
<p><strong>Bản xem trước</strong> — mẫu phiếu {{.Form}} của bản nháp “{{.File}}”, như người trả lời thấy{{with .Unit}} khi đánh giá {{.}}{{end}}. Phiếu này không gửi được.</p>
{{if .Matrix}}<p>Phiếu ma trận: trên điện thoại, người trả lời thấy lần lượt từng đơn vị một; bản xem trước hiện mọi đơn vị liền nhau.</p>{{end}}
<p><a href="/authoring/drafts/{{.ID}}">← Về bản nháp</a> · <a href="/authoring/drafts/{{.ID}}/print/{{.Form}}">Bản in (PDF)</a></p>
{{if .Units}}<form method="get" action="/authoring/drafts/{{.ID}}/preview/{{.Form}}"><label for="unit">Xem với đơn vị</label> <select id="unit" name="unit">{{range .Units}}<option value="{{.Code}}"{{if eq .Code $.UnitCode}} selected{{end}}>{{.Name}}</option>{{end}}</select> <input type="hidden" name="group" value="{{.Group}}"> <button type="submit" class="secondary">Xem</button></form>{{end}}
</div>
`))

// previewNote stands above a preview's disabled submit button.
const previewNote = `<p class="error">Bản xem trước: phiếu này không gửi được.</p>`

// defDraftPreview shows a draft's questionnaire through the respondent's own page template, with
// a banner on top and nothing that submits: its buttons are disabled and the page's script,
// which saves drafts and submits, finds no form token to work with.
func (s *Server) defDraftPreview(c *fiber.Ctx) error {
	dr, def, err := s.defDraftDefinition(c)
	if err != nil {
		return err
	}
	q, g, units, err := previewSubject(c, def)
	if err != nil {
		return err
	}
	camp := &store.Campaign{Code: def.Code, Name: def.Name, Year: def.Year, Def: def}
	sf := &surveyForm{Camp: camp, Group: g, Q: q, Matrix: q.Shape == campaign.ShapeMatrix, Questions: q.Questions(), Units: units}
	code := formcode.New(g.Code, formcode.Matrix, 1)
	if !sf.Matrix {
		code = formcode.New(g.Code, units[0].Code, 1)
	}
	body, err := s.views.render("public", "survey", sf.view(previewToken, "", code, nil, nil))
	if err != nil {
		return err
	}
	banner := struct {
		ID                         int64
		Form, File, Unit, UnitCode string
		Group                      string
		Matrix                     bool
		Units                      []campaign.Unit
	}{ID: dr.ID, Form: q.Code, File: dr.FileName, Group: g.Code, Matrix: sf.Matrix}
	if !sf.Matrix {
		banner.Unit, banner.UnitCode = units[0].Name, units[0].Code
		banner.Units = def.UnitsOfKind(g.Evaluates)
	}
	var head bytes.Buffer
	if err := previewBanner.Execute(&head, banner); err != nil {
		return err
	}
	page := string(body)
	page = strings.Replace(page, `<main id="main">`, `<main id="main">`+"\n"+head.String(), 1)
	page = strings.Replace(page, ` data-token="`+previewToken+`"`, ` data-preview`, 1)
	page = strings.ReplaceAll(page, `action="/p/`+previewToken+`"`, `action="#xem-truoc"`)
	page = strings.ReplaceAll(page, `formaction="/p/`+previewToken+`/draft"`, ``)
	page = strings.ReplaceAll(page, `data-draft="/p/`+previewToken+`/draft"`, ``)
	page = strings.ReplaceAll(page, `<button type="submit"`, `<button type="submit" disabled`)
	page = strings.ReplaceAll(page, `class="secondary save-draft"`, `class="secondary save-draft" hidden`)
	page = strings.Replace(page, `<div class="submit" id="gui">`, `<div class="submit" id="gui">`+"\n"+previewNote, 1)
	return send(c, fiber.StatusOK, []byte(page))
}

// defDraftPrint sends a draft's questionnaire as printed: one copy, without a QR code.
func (s *Server) defDraftPrint(c *fiber.Ctx) error {
	_, def, err := s.defDraftDefinition(c)
	if err != nil {
		return err
	}
	q, g, units, err := previewSubject(c, def)
	if err != nil {
		return err
	}
	code := formcode.New(g.Code, formcode.Matrix, 1)
	if q.Shape != campaign.ShapeMatrix {
		code = formcode.New(g.Code, units[0].Code, 1)
		units = def.UnitsOfKind(g.Evaluates)
	}
	var buf bytes.Buffer
	if err := pdf.WriteQuestionnaires(&buf, q, units, def.Organizer, []pdf.Copy{{Code: code}}); err != nil {
		return fmt.Errorf("web: print preview of %s: %w", q.Code, err)
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`inline; filename="xem-truoc-%s.pdf"`, q.Code))
	return c.Send(buf.Bytes())
}
