package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"github.com/xuri/excelize/v2"
)

// Hostile text: each starts with a character a spreadsheet reads as a formula and carries
// markup that runs script if a page leaves it unescaped, quotes, and SQL.
var hostileNames = []string{
	`=HYPERLINK("http://ke-xau.test","bấm")<script>alert("xss")</script>`,
	`+SUM(1;1)"><img src=x onerror=alert(1)>`,
	`-2+3 ' OR 1=1; DROP TABLE responses; --`,
	`@cmd|' /C calc'!A0<svg onload=alert(3)>`,
}

// rawMarkup are the pieces of hostileNames that must never reach a page unescaped.
var rawMarkup = []string{`<script>alert("xss")`, `<img src=x onerror`, `<svg onload`}

// hostile is the i-th hostile name with a suffix, so that names that must differ still do.
func hostile(i int, base string) string { return hostileNames[i%len(hostileNames)] + " " + base }

// hostileDefinition is the three-level demo with every name people read replaced by hostile
// text: the campaign, organiser, unit kinds, units, groups, criteria, questionnaires, their
// sections, questions, options and respondent fields. Codes stay, as they make URLs.
func hostileDefinition(t *testing.T, code string) *campaign.Definition {
	t.Helper()
	def, err := campaign.Load(forms.FS, forms.Demo3Cap)
	if err != nil {
		t.Fatal(err)
	}
	def.Code = code
	n := 0
	h := func(s string) string { n++; return hostile(n, s) }
	def.Name, def.Organizer = h(def.Name), h(def.Organizer)
	for i := range def.Kinds {
		def.Kinds[i].Name = h(def.Kinds[i].Name)
	}
	for i := range def.Units {
		def.Units[i].Name = h(def.Units[i].Name)
	}
	for i := range def.Groups {
		def.Groups[i].Name = h(def.Groups[i].Name)
	}
	hostileTree(def.Areas, h)
	for k := range def.Kinds {
		hostileTree(def.Kinds[k].Areas, h)
	}
	for i := range def.Scales {
		for j := range def.Scales[i].Options {
			def.Scales[i].Options[j].Label = h(def.Scales[i].Options[j].Label)
		}
	}
	for i := range def.Questionnaires {
		q := &def.Questionnaires[i]
		q.Title, q.Intro, q.Thanks = h(q.Title), h(q.Intro), h(q.Thanks)
		for j := range q.Fields {
			q.Fields[j].Label = h(q.Fields[j].Label)
			for k := range q.Fields[j].Options {
				q.Fields[j].Options[k] = h(q.Fields[j].Options[k])
			}
		}
		for s := range q.Sections {
			q.Sections[s].Title = h(q.Sections[s].Title)
			for j := range q.Sections[s].Questions {
				qu := &q.Sections[s].Questions[j]
				qu.Text = h(qu.Text)
				for k := range qu.Options {
					qu.Options[k].Label = h(qu.Options[k].Label)
				}
			}
		}
	}
	return def
}

func hostileTree(areas []campaign.Area, h func(string) string) {
	for a := range areas {
		areas[a].Name = h(areas[a].Name)
		for c := range areas[a].Criteria {
			areas[a].Criteria[c].Name = h(areas[a].Criteria[c].Name)
			for s := range areas[a].Criteria[c].Subs {
				areas[a].Criteria[c].Subs[s].Name = h(areas[a].Criteria[c].Subs[s].Name)
			}
		}
	}
}

// hostileEnv is a server whose campaign is named with hostile text throughout, with forms
// issued, a paper batch noted with hostile text, an account whose full name is hostile, an
// online response and a score run: every page has something hostile to show.
type hostileEnv struct {
	*testEnv
	admin, keyer *client
	batch        int64
	online       []*store.IssuedForm
}

func newHostileEnv(t *testing.T) *hostileEnv {
	t.Helper()
	ctx := context.Background()
	db := testenv.Open(t)
	def := hostileDefinition(t, "doc-hai-2026")
	opens, _ := def.Window()
	db.SetClock(func() time.Time { return opens.Add(36 * time.Hour) })
	camp, _, err := db.SaveDefinition(ctx, def, 0)
	if err != nil {
		t.Fatal(err)
	}
	users := testenv.AddStaff(t, db)
	e := &hostileEnv{testEnv: &testEnv{t: t, db: db, srv: newServer(t, db), camp: camp}}
	plan, err := def.IssuePlan("", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Issue(ctx, camp.ID, users["admin"].ID, plan); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, &store.User{Username: "doc-hai", FullName: hostile(0, "Nguyễn Văn A"), Role: store.RoleEnumerator, PasswordHash: users["admin"].PasswordHash}); err != nil {
		t.Fatal(err)
	}
	var paperForm *store.IssuedForm
	err = db.Forms(ctx, camp.ID, store.FormFilter{}, func(f *store.IssuedForm) error {
		switch {
		case f.Channel == string(campaign.ChannelOnline) && f.Unit != "" && len(e.online) < 3:
			e.online = append(e.online, f)
		case f.Channel == string(campaign.ChannelPaper) && f.Unit != "" && paperForm == nil:
			paperForm = f
		}
		return nil
	})
	if err != nil || len(e.online) < 3 || paperForm == nil {
		t.Fatalf("no forms to work with: %v", err)
	}
	if err := db.AddKeyer(ctx, camp.ID, users["dtv1"].ID, users["admin"].ID); err != nil {
		t.Fatal(err)
	}
	b := &store.Batch{CampaignID: camp.ID, Group: paperForm.Group, Unit: paperForm.Unit, ReturnedBy: users["dtv1"].ID, Count: 5,
		ReceivedOn: opens, Note: hostile(1, "ghi chú lô")}
	if err := db.RecordBatch(ctx, b, users["admin"].ID); err != nil {
		t.Fatal(err)
	}
	e.batch = b.ID
	e.admin = e.client()
	e.admin.login("admin")
	e.keyer = e.client()
	e.keyer.login("dtv1")
	// One complete online response, posted as a phone would.
	if resp, body := e.respond(e.online[0], nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("a complete response: %d\n%s", resp.StatusCode, body)
	}
	e.admin.get(fmt.Sprintf("/campaigns/%d/results", camp.ID))
	if resp, body := e.admin.post(fmt.Sprintf("/campaigns/%d/results/runs", camp.ID), nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("score run: %d\n%s", resp.StatusCode, body)
	}
	return e
}

// answers is a complete post for form f, with extra fields laid over it.
func (e *hostileEnv) answers(f *store.IssuedForm, extra url.Values) url.Values {
	def := e.camp.Def
	q := def.Questionnaire(def.Group(f.Group).Form)
	v := url.Values{"sid": {"hostile-" + f.Code}}
	for _, fl := range q.Fields {
		v.Set("r_"+fl.Key, "1")
	}
	for _, qu := range q.Questions() {
		if len(qu.Options) > 0 {
			v.Set("q_"+qu.Code, "1")
		}
	}
	for k, x := range extra {
		v[k] = x
	}
	return v
}

func (e *hostileEnv) respond(f *store.IssuedForm, extra url.Values) (*http.Response, string) {
	c := e.client()
	c.get("/p/" + f.Token)
	return c.post("/p/"+f.Token, e.answers(f, extra))
}

var hostileRouteParam = regexp.MustCompile(`:([a-z]+)(<[^>]*>)?`)

// staffGets are the GET routes of the staff table with their parameters filled from the
// environment; a parameter it cannot fill leaves the route out, and formats give one path each.
func (e *hostileEnv) staffGets() (paths []string, enumerator map[string]bool) {
	enumerator = map[string]bool{}
	values := map[string][]string{
		"id": {strconv.FormatInt(e.camp.ID, 10)}, "batch": {strconv.FormatInt(e.batch, 10)},
		"group": {e.online[0].Group}, "unit": {e.online[0].Unit}, "form": {e.camp.Def.Group(e.online[0].Group).Form},
		"user": {"1"},
	}
	for _, r := range e.srv.staffRoutes() {
		if r.method != http.MethodGet {
			continue
		}
		list := []string{r.path}
		ok := true
		for _, m := range hostileRouteParam.FindAllStringSubmatch(r.path, -1) {
			var fills []string
			switch {
			case m[1] == "format":
				fills = strings.Split(strings.TrimSuffix(strings.TrimPrefix(m[2], "<regex("), ")>"), "|")
			case values[m[1]] != nil:
				fills = values[m[1]]
			default:
				ok = false
			}
			var next []string
			for _, p := range list {
				for _, f := range fills {
					next = append(next, strings.Replace(p, m[0], f, 1))
				}
			}
			list = next
		}
		if !ok {
			continue
		}
		for _, p := range list {
			paths = append(paths, p)
			if len(r.roles) == 1 && r.roles[0] == store.RoleEnumerator {
				enumerator[p] = true
			}
		}
	}
	return paths, enumerator
}

// checkOutput fails when a page leaves hostile markup unescaped, a workbook turns hostile text
// into a formula, or a CSV cell of hostile text starts with a formula character. It reports
// whether the output showed hostile text at all.
func checkOutput(t *testing.T, path string, resp *http.Response, body string) bool {
	t.Helper()
	problems, shown := outputProblems(path, resp.Header.Get("Content-Type"), body)
	for _, p := range problems {
		t.Error(p)
	}
	return shown
}

// outputProblems is checkOutput's verdict on one output of content type ct.
func outputProblems(path, ct, body string) (problems []string, shown bool) {
	t := &problemList{}
	defer func() { problems = t.list }()
	switch {
	case strings.HasPrefix(ct, "text/html"):
		for _, m := range rawMarkup {
			if strings.Contains(body, m) {
				t.Errorf("%s shows %q unescaped", path, m)
			}
		}
		shown = strings.Contains(body, "&lt;script&gt;alert(&#34;xss&#34;)") || strings.Contains(body, "&lt;img src=x onerror")
	case strings.Contains(ct, "spreadsheetml"):
		x, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Errorf("%s: not a workbook: %v", path, err)
			return t.list, false
		}
		defer x.Close()
		for _, sh := range x.GetSheetList() {
			rows, _ := x.GetRows(sh)
			for r, row := range rows {
				for c, v := range row {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
					if f, _ := x.GetCellFormula(sh, cell); f != "" && hostileCell(v+f) {
						t.Errorf("%s: sheet %s cell %s is the formula %q", path, sh, cell, f)
					}
					shown = shown || strings.Contains(v, `<script>alert("xss")`)
				}
			}
		}
	case strings.HasPrefix(ct, "text/csv"):
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
		r.FieldsPerRecord, r.LazyQuotes = -1, true
		for _, sep := range []rune{',', ';'} {
			r = csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
			r.FieldsPerRecord, r.LazyQuotes, r.Comma = -1, true, sep
			rows, err := r.ReadAll()
			if err != nil {
				continue
			}
			for _, row := range rows {
				for _, v := range row {
					if hostileCell(v) && strings.ContainsAny(v[:1], "=+-@") {
						t.Errorf("%s: CSV cell %q starts with a formula character", path, v)
					}
					shown = shown || strings.Contains(v, `<script>alert("xss")`)
				}
			}
		}
	case strings.Contains(ct, "wordprocessingml"):
		z, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
		if err != nil {
			t.Errorf("%s: not a DOCX: %v", path, err)
			return t.list, false
		}
		for _, f := range z.File {
			if !strings.HasSuffix(f.Name, ".xml") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				t.Errorf("%s: %s: %v", path, f.Name, err)
				continue
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			// Hostile text left unescaped breaks the XML (or adds elements): the part must read.
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				tok, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Errorf("%s: %s is not well-formed XML: %v", path, f.Name, err)
					break
				}
				if cd, ok := tok.(xml.CharData); ok && strings.Contains(string(cd), `<script>alert("xss")`) {
					shown = true
				}
				if se, ok := tok.(xml.StartElement); ok && (se.Name.Local == "script" || se.Name.Local == "img" || se.Name.Local == "svg") {
					t.Errorf("%s: %s holds a <%s> element", path, f.Name, se.Name.Local)
				}
			}
		}
	case strings.Contains(ct, "json"):
		if !json.Valid([]byte(body)) {
			t.Errorf("%s: invalid JSON", path)
		}
		shown = strings.Contains(body, `alert(\"xss\")`) || strings.Contains(body, `\u003cscript\u003e`)
	}
	return t.list, shown
}

// problemList collects what outputProblems finds, as a test would report it.
type problemList struct{ list []string }

func (p *problemList) Errorf(format string, args ...any) {
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

// The checks of the hostile walk catch what they look for: a test that cannot fail tests
// nothing.
func TestHostileChecksCatchWhatTheyLookFor(t *testing.T) {
	t.Parallel()
	x := excelize.NewFile()
	x.SetCellFormula("Sheet1", "A1", `HYPERLINK("http://ke-xau.test","bấm")`)
	var xb bytes.Buffer
	x.Write(&xb)
	for _, tc := range []struct{ name, ct, body string }{
		{"markup left unescaped on a page", "text/html; charset=utf-8", `<p>` + hostileNames[0] + `</p>`},
		{"an image tag left unescaped", "text/html", `<td>` + hostileNames[1] + `</td>`},
		{"hostile text written as a workbook formula", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xb.String()},
		{"a CSV cell starting with =", "text/csv; charset=utf-8", "ma,ten\nSNV," + `"=HYPERLINK(""http://x"")"` + "\n"},
		{"a CSV cell starting with @ in a semicolon file", "text/csv", "ma;ten\nSNV;@cmd|' /C calc'!A0\n"},
	} {
		if problems, _ := outputProblems("/x", tc.ct, tc.body); len(problems) == 0 {
			t.Errorf("%s: not caught", tc.name)
		}
	}
	if problems, shown := outputProblems("/x", "text/html", `<p>&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;</p>`); len(problems) > 0 || !shown {
		t.Errorf("escaped markup: problems %v, shown %v", problems, shown)
	}
}

// family names a content type for the walk's tally.
func family(ct string) string {
	switch {
	case strings.HasPrefix(ct, "text/html"):
		return "html"
	case strings.Contains(ct, "spreadsheetml"):
		return "xlsx"
	case strings.HasPrefix(ct, "text/csv"):
		return "csv"
	case strings.Contains(ct, "json"):
		return "json"
	case strings.Contains(ct, "wordprocessingml"):
		return "docx"
	}
	return ct
}

// hostileCell reports whether a cell holds one of the hostile names.
func hostileCell(v string) bool {
	for _, m := range []string{"HYPERLINK(", "SUM(1;1)", "DROP TABLE", "cmd|"} {
		if strings.Contains(v, m) {
			return true
		}
	}
	return false
}

// Every staff page, export and respondent page of a campaign named with hostile text shows
// that text escaped, never as markup; workbooks and CSV files never turn it into a formula;
// none of them fails on it.
func TestHostileNamesAreEscapedOnEveryPageAndExport(t *testing.T) {
	t.Parallel()
	e := newHostileEnv(t)
	paths, enumerator := e.staffGets()
	paths = append(paths, "/p/"+e.online[1].Token, "/login")
	shown, visited := 0, 0
	shownBy := map[string]int{}
	for _, p := range paths {
		c := e.admin
		if enumerator[p] {
			c = e.keyer
		}
		resp, body := c.get(p)
		if resp.StatusCode >= 500 {
			t.Errorf("%s: status %d\n%.400s", p, resp.StatusCode, body)
			continue
		}
		if resp.StatusCode != http.StatusOK {
			continue
		}
		visited++
		if checkOutput(t, p, resp, body) {
			shown++
			shownBy[family(resp.Header.Get("Content-Type"))]++
		}
	}
	t.Logf("%d paths visited, %d showed hostile text: %v", visited, shown, shownBy)
	// The check can fail only if hostile text was there to escape.
	if visited < 20 || shownBy["html"] < 10 || shownBy["xlsx"] == 0 || shownBy["csv"] == 0 {
		t.Fatalf("only %d pages answered and %v showed hostile text: the walk tests nothing", visited, shownBy)
	}
	// SQL in names is data: the tables are there and the name reads back exactly.
	var name string
	if err := e.db.ReadRow(context.Background(), `SELECT name FROM units WHERE campaign_id = ? AND name LIKE '%DROP TABLE%' LIMIT 1`, []any{e.camp.ID}, &name); err != nil {
		t.Fatalf("no unit named with SQL: %v", err)
	}
	if !strings.HasPrefix(name, hostileNames[2]) {
		t.Fatalf("unit name read back as %q", name)
	}
}

// A respondent's post with markup, SQL, overlong values, invalid UTF-8 or unknown fields is
// answered on the respondent's own page in Vietnamese, and stores nothing it should not.
func TestHostileRespondentPosts(t *testing.T) {
	t.Parallel()
	e := newHostileEnv(t)
	f := e.online[1]
	cases := []struct {
		name   string
		extra  url.Values
		status int
		stored bool
	}{
		{"unknown fields are ignored and the response stored without them", url.Values{"x_" + hostileNames[0][:8]: {hostileNames[1]}, "q_KHONGCO": {"1"}}, http.StatusOK, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.respond(f, tc.extra)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d\n%.600s", resp.StatusCode, tc.status, body)
			}
			checkOutput(t, "/p/…", resp, body)
		})
	}
	var respondent string
	if err := e.db.ReadRow(context.Background(), `SELECT respondent FROM responses WHERE form_id = ?`, []any{f.ID}, &respondent); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(respondent, "x_") || strings.Contains(respondent, "KHONGCO") || strings.Contains(respondent, "<img") {
		t.Fatalf("unknown fields stored: %s", respondent)
	}
	g := e.online[2]
	for _, tc := range []struct {
		name  string
		field string
		value string
		want  int
	}{
		{"an answer in markup is refused on the page", "q_", `<script>alert("xss")</script>`, http.StatusUnprocessableEntity},
		{"an answer of SQL is not an option", "q_", `1' OR '1'='1`, http.StatusUnprocessableEntity},
		{"an answer in invalid UTF-8 is not an option", "q_", "1\xff\xfe", http.StatusUnprocessableEntity},
		{"a respondent field in NFD Vietnamese is not an option", "r_", "Nu\u0303", http.StatusUnprocessableEntity},
		{"an overlong answer is refused before it is read", "q_", strings.Repeat("1", 5000), http.StatusRequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := e.answers(g, nil)
			for k := range v {
				if strings.HasPrefix(k, tc.field) {
					v.Set(k, tc.value)
					break
				}
			}
			c := e.client()
			c.get("/p/" + g.Token)
			resp, body := c.post("/p/"+g.Token, v)
			if resp.StatusCode != tc.want && !(tc.want == http.StatusUnprocessableEntity && resp.StatusCode == http.StatusRequestEntityTooLarge) {
				t.Fatalf("status %d, want %d\n%.600s", resp.StatusCode, tc.want, body)
			}
			checkOutput(t, "/p/…", resp, body)
			if !strings.Contains(body, `lang="vi"`) || !vietnamese.MatchString(body) {
				t.Fatalf("the answer is not a Vietnamese page:\n%.600s", body)
			}
			var n int
			e.db.ReadRow(context.Background(), `SELECT count(*) FROM responses WHERE form_id = ?`, []any{g.ID}, &n)
			if n != 0 {
				t.Fatal("a refused post was stored")
			}
		})
	}
}

// vietnamese matches a word with Vietnamese diacritics.
var vietnamese = regexp.MustCompile(`[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]`)

// A staff post with a forged CSRF token, or one taken from another session, changes nothing.
func TestForgedCSRFChangesNothing(t *testing.T) {
	t.Parallel()
	e := newHostileEnv(t)
	other := e.client()
	other.login("giamsat")
	formsURL := fmt.Sprintf("/campaigns/%d/forms", e.camp.ID)
	e.admin.get(formsURL)
	other.get(formsURL)
	target := e.online[2]
	for _, tc := range []struct{ name, token string }{
		{"no token", ""},
		{"a made-up token", "gia-mao-" + strings.Repeat("a", 40)},
		{"another session's token", other.csrf},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, _ := e.admin.post(fmt.Sprintf("/campaigns/%d/forms/void", e.camp.ID),
				url.Values{"_csrf": {tc.token}, "code": {target.Code}, "reason": {hostileNames[0]}})
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d, want 403", resp.StatusCode)
			}
			var voided int
			e.db.ReadRow(context.Background(), `SELECT count(*) FROM issued_forms WHERE id = ? AND voided_at IS NOT NULL`, []any{target.ID}, &voided)
			if voided != 0 {
				t.Fatal("the form was voided")
			}
		})
	}
}

// A keyer cannot key another campaign's code into a batch, and a link of another campaign's
// form does not answer for this one.
func TestAnotherCampaignsCodesAreRefused(t *testing.T) {
	t.Parallel()
	e := newHostileEnv(t)
	ctx := context.Background()
	def2 := hostileDefinition(t, "dot-khac-2026")
	// Form codes are unique across campaigns (issued_forms.code), so the other campaign's
	// groups take other codes: its codes are then the same shape as this one's, but not its.
	for i := range def2.Groups {
		def2.Groups[i].Code = "K" + def2.Groups[i].Code
	}
	camp2, _, err := e.db.SaveDefinition(ctx, def2, 0)
	if err != nil {
		t.Fatal(err)
	}
	plan, _ := def2.IssuePlan("", "", 0)
	if _, err := e.db.Issue(ctx, camp2.ID, 0, plan); err != nil {
		t.Fatal(err)
	}
	var b store.Batch
	if err := e.db.ReadRow(ctx, `SELECT g.code, ifnull(u.code, '') FROM paper_batches b JOIN respondent_groups g ON g.id = b.group_id
		LEFT JOIN units u ON u.id = b.unit_id WHERE b.id = ?`, []any{e.batch}, &b.Group, &b.Unit); err != nil {
		t.Fatal(err)
	}
	var foreign string
	if err := e.db.ReadRow(ctx, `SELECT f.code FROM issued_forms f JOIN respondent_groups g ON g.id = f.group_id
		LEFT JOIN units u ON u.id = f.unit_id WHERE f.campaign_id = ? AND g.code = ? AND ifnull(u.code, '') = ? AND f.channel = 'paper' LIMIT 1`,
		[]any{camp2.ID, "K" + b.Group, b.Unit}, &foreign); err != nil {
		t.Fatal(err)
	}
	keyURL := fmt.Sprintf("/keying/batches/%d", e.batch)
	e.keyer.get(keyURL)
	v := url.Values{"code": {foreign}, "_csrf": {e.keyer.csrf}}
	req, _ := http.NewRequest(http.MethodPost, keyURL, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, body := e.keyer.do(req)
	var res struct {
		OK      bool   `json:"ok"`
		Message string `json:"message"`
	}
	json.Unmarshal([]byte(body), &res)
	if res.OK || resp.StatusCode == http.StatusOK && res.Message == "" {
		t.Fatalf("another campaign's code %s keyed into batch %d: %d %s", foreign, e.batch, resp.StatusCode, body)
	}
	var n int
	e.db.ReadRow(ctx, `SELECT count(*) FROM keyings`, nil, &n)
	if n != 0 {
		t.Fatalf("%d keyings stored", n)
	}
	if !bytes.ContainsAny([]byte(res.Message+body), "ãạảấầẩẫậăắằẳẵặđ") {
		t.Fatalf("the refusal is not in Vietnamese: %s", body)
	}
}

// hostileUpload posts a multipart form with one file and the other fields, with the CSRF token
// of the client's last page.
func hostileUpload(c *client, path, name string, data []byte, fields map[string]string) (*http.Response, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", c.csrf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// Imported files full of hostile text — keyed forms, SIPAS ratios, respondent lists, under a
// hostile file name — are refused with their problems listed on the page, escaped, and store
// nothing.
func TestHostileImportFilesAreRefusedAndEscaped(t *testing.T) {
	t.Parallel()
	e := newHostileEnv(t)
	ctx := context.Background()
	id := e.camp.ID
	var imported, listGroup, listUnit string
	for _, g := range e.camp.Def.Groups {
		if g.Imported() && imported == "" {
			imported = g.Code
		}
	}
	listGroup, listUnit = e.online[0].Group, e.online[0].Unit
	rows := strings.Join(hostileNames, ",")
	csvFile := []byte("ma_phieu,ngay_nhan,q_" + hostileNames[1] + "\n" + rows + "\n" + e.online[2].Code + ",32/13/2026,<script>alert(\"xss\")</script>\n")
	x := excelize.NewFile()
	for i, row := range [][]any{{"ma_phieu", "ngay_nhan", hostileNames[0]}, {hostileNames[1], hostileNames[2], hostileNames[3]}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow("Sheet1", cell, &row)
	}
	var xb bytes.Buffer
	x.Write(&xb)
	name := `"><img src=x onerror=alert(1)>.csv`
	for _, tc := range []struct {
		what, page, post, file string
		data                   []byte
		fields                 map[string]string
	}{
		{"keyed forms as CSV", "/paper/import", "/paper/import", name, csvFile, nil},
		{"keyed forms as XLSX", "/paper/import", "/paper/import", strings.TrimSuffix(name, ".csv") + ".xlsx", xb.Bytes(), nil},
		{"SIPAS ratios", "/results/imports", "/results/imports", name, []byte("Mã đơn vị,Tỷ lệ hài lòng\n" + rows + "\n<script>alert(\"xss\")</script>,=1+1\n"), map[string]string{"group": imported}},
		{"a respondent list", "/respondents", "/respondents/import", name, []byte("Họ và tên,Thư điện tử,Số điện thoại\n" + rows + "\n"), map[string]string{"group": listGroup, "unit": listUnit}},
	} {
		t.Run(tc.what, func(t *testing.T) {
			base := fmt.Sprintf("/campaigns/%d", id)
			e.admin.get(base + tc.page)
			resp, body := hostileUpload(e.admin, base+tc.post, tc.file, tc.data, tc.fields)
			if resp.StatusCode >= 500 || resp.StatusCode < 400 {
				t.Fatalf("status %d, want a refusal\n%.800s", resp.StatusCode, body)
			}
			if !checkOutput(t, tc.what, resp, body) && !strings.Contains(body, "&lt;img src=x onerror") {
				t.Errorf("the refusal shows none of the file's hostile text: the check tests nothing\n%.800s", body)
			}
			if !vietnamese.MatchString(body) {
				t.Fatalf("the refusal is not in Vietnamese:\n%.800s", body)
			}
		})
	}
	for _, table := range []string{"keyings", "imported_ratios", "respondents"} {
		var n int
		if err := e.db.ReadRow(ctx, `SELECT count(*) FROM `+table, nil, &n); err == nil && n != 0 {
			t.Errorf("%d rows stored in %s from hostile files", n, table)
		}
	}
}

// Free text typed by staff — an account's name, a batch's note — in NFD is stored as NFC; with
// a NUL, bytes that are not UTF-8, or too long, it is refused on the same page with the reason
// next to the field and what was typed kept; far too long, the post is refused unread.
func TestHostileStaffFreeText(t *testing.T) {
	t.Parallel()
	e := newHostileEnv(t)
	ctx := context.Background()
	users := "/users"
	nfd := "Nguye\u0302\u0303n Thi\u0323 Ha\u0300"
	e.admin.get(users)
	resp, body := e.admin.post(users, url.Values{"username": {"ha-nfd"}, "full_name": {nfd}, "role": {"viewer"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("an account named in NFD: %d\n%.600s", resp.StatusCode, body)
	}
	var stored string
	e.db.ReadRow(ctx, `SELECT full_name FROM users WHERE username = 'ha-nfd'`, nil, &stored)
	if stored != "Nguyễn Thị Hà" {
		t.Fatalf("full name stored as %q, want it in NFC", stored)
	}
	paperURL := fmt.Sprintf("/campaigns/%d/paper", e.camp.ID)
	var group, unit string
	e.db.ReadRow(ctx, `SELECT g.code, ifnull(u.code, '') FROM paper_batches b JOIN respondent_groups g ON g.id = b.group_id
		LEFT JOIN units u ON u.id = b.unit_id WHERE b.id = ?`, []any{e.batch}, &group, &unit)
	var keyer int64
	e.db.ReadRow(ctx, `SELECT id FROM users WHERE username = 'dtv1'`, nil, &keyer)
	batch := func(note string) url.Values {
		return url.Values{"group": {group}, "unit": {unit}, "count": {"3"}, "returned_by": {strconv.FormatInt(keyer, 10)},
			"received_on": {e.camp.Def.Opens.Format("2006-01-02")}, "note": {note}}
	}
	for _, tc := range []struct {
		name, path string
		form       url.Values
		want       int
		msg        string
	}{
		{"an account name with a NUL", users, url.Values{"username": {"nul"}, "full_name": {"Trần\x00Văn"}, "role": {"viewer"}}, http.StatusUnprocessableEntity, "ký tự điều khiển"},
		{"an account name not UTF-8", users, url.Values{"username": {"utf"}, "full_name": {"Tr\xe1n V\xffn"}, "role": {"viewer"}}, http.StatusUnprocessableEntity, "không phải UTF-8"},
		{"an account name of 200 characters", users, url.Values{"username": {"dai"}, "full_name": {strings.Repeat("Đ", 200)}, "role": {"viewer"}}, http.StatusUnprocessableEntity, "dài quá 120 ký tự"},
		{"a user name of 1.5 MB", users, url.Values{"username": {strings.Repeat("a", 1500000)}, "full_name": {"A"}, "role": {"viewer"}}, http.StatusRequestEntityTooLarge, "quá lớn"},
		{"a batch note with a NUL", paperURL + "/batches", batch("lô\x00" + hostileNames[0]), http.StatusUnprocessableEntity, "ký tự điều khiển"},
		{"a batch note of 600 characters", paperURL + "/batches", batch(strings.Repeat("ghi chú ", 75)), http.StatusUnprocessableEntity, "dài quá 500 ký tự"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := tc.path
			if strings.HasSuffix(page, "/batches") {
				page = paperURL
			}
			e.admin.get(page)
			var before int
			e.db.ReadRow(ctx, `SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM paper_batches)`, nil, &before)
			resp, body := e.admin.post(tc.path, tc.form)
			if resp.StatusCode != tc.want || !strings.Contains(body, tc.msg) {
				t.Fatalf("status %d (want %d), message %q in the page: %v\n%.800s", resp.StatusCode, tc.want, tc.msg, strings.Contains(body, tc.msg), body)
			}
			checkOutput(t, tc.path, resp, body)
			var after int
			e.db.ReadRow(ctx, `SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM paper_batches)`, nil, &after)
			if after != before {
				t.Fatal("the refused post was stored")
			}
		})
	}
}
