package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math/big"
	"os"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/chart"
	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// Words of the results pages.
const (
	msgRunDone       = "Đã tính điểm (lần số %d): %s phiếu hợp lệ được tính, mã đối chiếu dữ liệu đầu vào %s."
	msgRunReused     = "Dữ liệu không thay đổi kể từ lần tính điểm số %d (lúc %s, mã đối chiếu dữ liệu đầu vào %s) nên không tạo lần tính mới; kết quả dưới đây là của lần số %d."
	msgNoRun         = "Chưa có lần tính điểm nào."
	msgRunNotFound   = "Không tìm thấy lần tính điểm này."
	msgUnitNotFound  = "Không có đơn vị này trong lần tính điểm."
	msgRatiosSaved   = "Đã nhập %s tỷ lệ hài lòng cho nhóm %s từ tệp %s (thay cho các tỷ lệ nhập trước đó). Hãy tính điểm lại để dùng số liệu mới."
	msgRatiosNoFile  = "Vui lòng chọn tệp Excel (.xlsx) hoặc CSV (.csv)."
	msgRatiosNoGroup = "Vui lòng chọn nhóm nhập tỷ lệ."
	msgRatiosTooBig  = "Tệp lớn quá 8 MB."
)

// resultRoutes registers the results pages, settings, imports and exports on the staff group of
// campaign pages (administrators and supervisors).
func (s *Server) resultRoutes(office fiber.Router) {
	admin := s.requireRole(store.RoleAdmin)
	office.Get("/:id/results", s.resultsPage)
	office.Post("/:id/results/runs", s.computeRun)
	office.Get("/:id/results/units/:unit", s.unitResultPage)
	office.Get("/:id/results/export.:format<regex(xlsx|pdf|json|csv)>", s.exportRun)
	office.Get("/:id/results/responses.csv", s.exportResponses)
	office.Get("/:id/results/imports", s.importsPage)
	office.Post("/:id/results/imports", s.uploadRatios)
	office.Get("/:id/settings", s.settingsPage)
	office.Post("/:id/settings", admin, s.saveSettings)
	office.Post("/:id/settings/tokens", admin, s.createToken)
	office.Post("/:id/settings/tokens/:token/revoke", admin, s.revokeToken)
}

// runItem is a line of the list of score runs.
type runItem struct {
	ID                  int64
	At                  string
	By                  string
	Forms               string
	Digest, ShortDigest string
	Current             bool
}

// rankRow is a unit's line in the ranking table.
type rankRow struct {
	Rank                        int
	Code, Name                  string
	Total, Percent, Band, Forms string
	Meter                       template.HTML
	FewForms, NoRatio, NoData   int
	Link                        string
	TotalExact                  string
}

// kindRanking is the ranking of one kind of unit.
type kindRanking struct {
	Code, Name string
	Rows       []rankRow
}

// runView is what every results page says about the run it shows.
type runView struct {
	ID                      int64
	At, By                  string
	Version                 int
	InputDigest             string
	ResultDigest            string
	Counted                 string
	Received, Valid         string
	Invalid, Pending        string
	Method                  []string
	SurveyPoints            string
	MinForms                int
	Query                   string // "?run=N" for links that keep the run
	Latest                  bool
	DefinitionChangedSince  bool
	SettingsChangedSinceRun bool
}

// resultsData is the view model of the results page.
type resultsData struct {
	campaignData
	Run      *runView
	Runs     []runItem
	Kinds    []kindRanking
	FewForms []fewForms
	CanEdit  bool
}

// fewForms is a unit × group with fewer valid forms than the minimum (domain.md step 4).
type fewForms struct {
	Unit, UnitName, Group, GroupName string
	Forms, Invalid                   string
	Link                             string
}

// campaignRun loads the campaign of the path and the run selectedRun picks for it.
func (s *Server) campaignRun(c *fiber.Ctx) (*store.Campaign, *scorerun.Run, error) {
	cp, err := s.campaign(c)
	if err != nil {
		return nil, nil, err
	}
	run, err := s.selectedRun(c, cp)
	if err != nil {
		return nil, nil, err
	}
	return cp, run, nil
}

// selectedRun loads the run named by ?run=, or the newest; nil without error when there is none.
func (s *Server) selectedRun(c *fiber.Ctx, cp *store.Campaign) (*scorerun.Run, error) {
	var id int64
	if v := c.Query("run"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return nil, &Error{Status: fiber.StatusNotFound, Msg: msgRunNotFound}
		}
		id = n
	}
	run, err := scorerun.Load(c.UserContext(), s.db, cp.ID, id)
	switch {
	case errors.Is(err, store.ErrNotFound) && id == 0:
		return nil, nil
	case errors.Is(err, store.ErrNotFound):
		return nil, &Error{Status: fiber.StatusNotFound, Msg: msgRunNotFound}
	}
	return run, err
}

func shortDigest(d string) string {
	d = strings.TrimPrefix(d, "sha256:")
	if len(d) > 12 {
		return d[:12]
	}
	return d
}

func (s *Server) runView(c *fiber.Ctx, cp *store.Campaign, run *scorerun.Run, latestID int64) *runView {
	t := run.Totals()
	v := &runView{ID: run.ID, At: vn.DateTime(run.CreatedAt), By: run.CreatedBy, Version: run.CampaignVersion,
		InputDigest: run.InputDigest, ResultDigest: run.ResultDigest, Counted: vn.Int(run.Result.Forms),
		Received: vn.Int(t.Forms), Valid: vn.Int(t.Valid), Invalid: vn.Int(t.Invalid), Pending: vn.Int(t.Pending),
		Method: run.Method.Statement, SurveyPoints: vn.Decimal(run.Def.SurveyPoints.Rat(), 2), MinForms: run.Method.MinForms,
		Latest: run.ID == latestID, DefinitionChangedSince: run.CampaignVersion != cp.Version}
	v.By = orCLI(v.By)
	if !v.Latest {
		v.Query = fmt.Sprintf("?run=%d", run.ID)
	}
	if cs, err := s.db.CampaignSettings(c.UserContext(), cp.ID); err == nil {
		v.SettingsChangedSinceRun = normalSettings(cs.JSON) != run.Settings.JSON()
	}
	return v
}

// normalSettings rewrites stored settings JSON the way a run records them.
func normalSettings(j string) string {
	s, err := scorerun.ParseSettings(j)
	if err != nil {
		return j
	}
	return s.JSON()
}

// pct is a ratio in [0, 1] as a Vietnamese percentage with 2 decimals; "" for none.
func pct(r *big.Rat) string {
	if r == nil {
		return ""
	}
	return vn.Decimal(new(big.Rat).Mul(r, big.NewRat(100, 1)), 2)
}

// points is an exact value as the pages show it: rounded half up, 2 decimals, "1.234,56".
func points(r *big.Rat) string {
	if r == nil {
		return ""
	}
	return scoring.FormatVN(r)
}

// hundredths is r × 100 rounded down, for a meter's integer scale.
func hundredths(r *big.Rat) int {
	if r == nil || r.Sign() <= 0 {
		return 0
	}
	q := new(big.Int).Quo(new(big.Int).Mul(r.Num(), big.NewInt(100)), r.Denom())
	return int(q.Int64())
}

func rankingOf(cp *store.Campaign, run *scorerun.Run) []kindRanking {
	def := run.Def
	var out []kindRanking
	index := map[string]int{}
	max := hundredths(def.SurveyPoints.Rat())
	for _, u := range export.Ranking(run.Result, def) {
		i, ok := index[u.Kind]
		if !ok {
			i = len(out)
			index[u.Kind] = i
			out = append(out, kindRanking{Code: u.Kind, Name: export.KindName(def, u.Kind)})
		}
		var forms int64
		for _, g := range u.Groups {
			forms += g.Forms
		}
		row := rankRow{Rank: u.Rank, Code: u.Unit, Name: export.UnitName(def, u.Unit), Total: points(u.Total),
			Band: u.BandName, Forms: vn.Int(forms), TotalExact: u.Total.RatString(),
			Link: fmt.Sprintf("/campaigns/%d/results/units/%s", cp.ID, u.Unit)}
		if row.Band == "" {
			row.Band = "—"
		}
		if u.Percent != nil {
			row.Percent = vn.Decimal(u.Percent, 2)
		}
		row.Meter = chart.Meter{Value: hundredths(u.Total), Max: max,
			Title: fmt.Sprintf("%s/%s điểm", row.Total, vn.Decimal(def.SurveyPoints.Rat(), 2))}.SVG()
		for _, f := range u.Flags {
			switch f.Code {
			case scoring.FlagFewForms:
				row.FewForms++
			case scoring.FlagNoRatio:
				row.NoRatio++
			case scoring.FlagNoData:
				row.NoData++
			}
		}
		out[i].Rows = append(out[i].Rows, row)
	}
	return out
}

func (s *Server) resultsPage(c *fiber.Ctx) error {
	cp, run, err := s.campaignRun(c)
	if err != nil {
		return err
	}
	runs, err := s.db.ScoreRuns(c.UserContext(), cp.ID)
	if err != nil {
		return err
	}
	u := currentUser(c)
	d := resultsData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "results"}, CanEdit: u != nil && u.Role == store.RoleAdmin}
	d.Title = "Kết quả"
	if run != nil {
		d.Run = s.runView(c, cp, run, runs[0].ID)
		d.Kinds = rankingOf(cp, run)
		for _, ur := range run.Result.Units {
			for _, f := range ur.Flags {
				if f.Code != scoring.FlagFewForms {
					continue
				}
				t := run.TallyFor(f.Group, ur.Unit)
				d.FewForms = append(d.FewForms, fewForms{Unit: ur.Unit, UnitName: export.UnitName(run.Def, ur.Unit), Group: f.Group,
					GroupName: export.GroupName(run.Def, f.Group), Forms: vn.Int(t.Valid), Invalid: vn.Int(t.Invalid),
					Link: fmt.Sprintf("/campaigns/%d/results/units/%s%s", cp.ID, ur.Unit, d.Run.Query)})
			}
		}
		for i := range d.Kinds {
			for j := range d.Kinds[i].Rows {
				d.Kinds[i].Rows[j].Link += d.Run.Query
			}
		}
	}
	for _, r := range runs {
		d.Runs = append(d.Runs, runItem{ID: r.ID, At: vn.DateTime(r.CreatedAt), By: orCLI(r.CreatedBy), Forms: vn.Int(r.Forms),
			Digest: r.InputDigest, ShortDigest: shortDigest(r.InputDigest), Current: run != nil && r.ID == run.ID})
	}
	return s.renderPage(c, fiber.StatusOK, "results", d)
}

// orCLI names who made a run: the user, or the command line when there was none.
func orCLI(by string) string {
	if by == "" {
		return "dòng lệnh"
	}
	return by
}

// computeRun scores the campaign now and keeps the run, or shows the newest run when the data
// have not changed since it.
func (s *Server) computeRun(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	run, err := scorerun.Compute(c.UserContext(), s.db, cp.ID, currentUser(c).ID)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf(msgRunDone, run.ID, vn.Int(run.Result.Forms), shortDigest(run.InputDigest))
	if run.Reused {
		msg = fmt.Sprintf(msgRunReused, run.ID, vn.DateTime(run.CreatedAt), shortDigest(run.InputDigest), run.ID)
	}
	s.setFlash(c, msg)
	return c.Redirect(fmt.Sprintf("/campaigns/%d/results", cp.ID), fiber.StatusSeeOther)
}

// treeRow is one line of a unit's criteria tree.
type treeRow struct {
	Level                   string // area, crit or sub
	Code, Name              string
	Max, Points, Percent    string
	NoData                  bool
	Groups                  []groupCell
	Questions               []questionCell
	PointsExact             string
	HasQuestions, Collapsed bool
}

// groupCell is one group's own result on a sub-criterion.
type groupCell struct {
	Percent, Points string
	Counted         bool
}

// questionCell is m(u,q) for one question of a sub-criterion.
type questionCell struct {
	Code, Weight, Percent string
}

// groupCol is a group's column head on the unit page.
type groupCol struct {
	Code, Name, Weight, Forms, Invalid string
	Imported, Counted                  bool
	Flag                               string
}

// unitData is the view model of one unit's result.
type unitData struct {
	campaignData
	Run                        *runView
	Code, Name, Kind           string
	Total, Percent, Band, Rank string
	TotalExact                 string
	Groups                     []groupCol
	Tree                       []treeRow
	Flags                      []string
	Back                       string
}

func (s *Server) unitResultPage(c *fiber.Ctx) error {
	cp, run, err := s.campaignRun(c)
	if err != nil {
		return err
	}
	if run == nil {
		return &Error{Status: fiber.StatusNotFound, Msg: msgNoRun}
	}
	ur := run.Result.Unit(c.Params("unit"))
	if ur == nil {
		return &Error{Status: fiber.StatusNotFound, Msg: msgUnitNotFound}
	}
	runs, err := s.db.ScoreRuns(c.UserContext(), cp.ID)
	if err != nil {
		return err
	}
	def := run.Def
	d := unitData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "results"}, Run: s.runView(c, cp, run, runs[0].ID),
		Code: ur.Unit, Name: export.UnitName(def, ur.Unit), Kind: export.KindName(def, ur.Kind),
		Total: points(ur.Total), Band: ur.BandName, Rank: strconv.Itoa(ur.Rank), TotalExact: ur.Total.RatString()}
	d.Title = d.Name
	d.Back = fmt.Sprintf("/campaigns/%d/results%s", cp.ID, d.Run.Query)
	if ur.Percent != nil {
		d.Percent = vn.Decimal(ur.Percent, 2)
	}
	for _, g := range ur.Groups {
		t := run.TallyFor(g.Group, ur.Unit)
		col := groupCol{Code: g.Group, Name: export.GroupName(def, g.Group), Weight: vn.Decimal(g.Weight.Rat(), 2), Forms: vn.Int(g.Forms),
			Invalid: vn.Int(t.Invalid), Imported: g.Imported, Counted: g.Counted}
		for _, f := range ur.Flags {
			if f.Group == g.Group {
				col.Flag = f.Code.Label()
			}
		}
		d.Groups = append(d.Groups, col)
	}
	for _, f := range ur.Flags {
		d.Flags = append(d.Flags, f.Message)
	}
	for ai, a := range ur.Areas {
		da := def.Areas[ai]
		d.Tree = append(d.Tree, totalRow("area", a.Code, da.Name, a.Points, a.Max))
		for ci, cr := range a.Criteria {
			dc := da.Criteria[ci]
			d.Tree = append(d.Tree, totalRow("crit", cr.Code, dc.Name, cr.Points, cr.Max))
			for si, sc := range cr.Subs {
				row := treeRow{Level: "sub", Code: sc.Code, Name: dc.Subs[si].Name, Max: vn.Decimal(sc.Max.Rat(), 2), Points: points(sc.Points),
					Percent: pct(sc.Mean), NoData: sc.NoData, PointsExact: sc.Points.RatString()}
				for _, g := range ur.Groups {
					cell := groupCell{Counted: g.Counted}
					for _, gs := range g.Subs {
						if gs.Sub == sc.Code {
							cell.Percent, cell.Points = pct(gs.Mean), points(gs.Points)
						}
					}
					row.Groups = append(row.Groups, cell)
				}
				for _, q := range sc.Questions {
					code := q.Code
					if code == "" {
						code = "(tỷ lệ nhập)"
					}
					row.Questions = append(row.Questions, questionCell{Code: code, Weight: vn.Decimal(q.Weight.Rat(), 2), Percent: pct(q.Mean)})
				}
				row.HasQuestions = len(row.Questions) > 0
				d.Tree = append(d.Tree, row)
			}
		}
	}
	return s.renderPage(c, fiber.StatusOK, "results_unit", d)
}

// totalRow is the tree's line of an area or a criterion: its points, and its percent of the maximum.
func totalRow(level, code, name string, got *big.Rat, max campaign.Decimal) treeRow {
	return treeRow{Level: level, Code: code, Name: name, Max: vn.Decimal(max.Rat(), 2), Points: points(got),
		Percent: pct(ratioOfMax(got, max)), PointsExact: got.RatString()}
}

func ratioOfMax(points *big.Rat, max campaign.Decimal) *big.Rat {
	if max <= 0 {
		return nil
	}
	return new(big.Rat).Quo(points, max.Rat())
}

// exportName is the download's file name: campaign code and run number.
func exportName(run *scorerun.Run, ext string) string {
	return fmt.Sprintf("ket-qua-%s-lan-%d.%s", run.CampaignCode, run.ID, ext)
}

// attachment sets the headers of a file download.
func attachment(c *fiber.Ctx, contentType, name string) {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, name))
	c.Set(fiber.HeaderCacheControl, "no-store")
}

// sendSpooled writes a large file to a temporary file first, so that an error shows as an
// error page rather than a cut download, then streams it without holding it in memory.
func sendSpooled(c *fiber.Ctx, write func(w io.Writer) error) error {
	f, err := os.CreateTemp("", "parsurvey-export-*")
	if err != nil {
		return fmt.Errorf("web: spool export: %w", err)
	}
	os.Remove(f.Name()) // the open file stays readable; nothing is left behind
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("web: spool export: %w", err)
	}
	return c.SendStream(f, int(size)) // fasthttp closes f once sent
}

// sendBuffered writes a small file in memory first, so that an error shows as an error page
// rather than a cut download, then sends it.
func sendBuffered(c *fiber.Ctx, contentType, name string, write func(w io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	attachment(c, contentType, name)
	return c.Send(buf.Bytes())
}

// rows streams the campaign's responses for an export written while the handler runs.
func (s *Server) rows(c *fiber.Ctx, cp *store.Campaign) export.Rows {
	return func(only bool, fn func(*store.ResponseRow) error) error {
		return s.db.ResponseRows(c.UserContext(), cp.ID, only, fn)
	}
}

// exportRun downloads a run as XLSX, PDF, JSON or CSV (scores per unit).
func (s *Server) exportRun(c *fiber.Ctx) error {
	cp, run, err := s.campaignRun(c)
	if err != nil {
		return err
	}
	if run == nil {
		return &Error{Status: fiber.StatusNotFound, Msg: msgNoRun}
	}
	switch c.Params("format") {
	case "xlsx":
		attachment(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exportName(run, "xlsx"))
		return sendSpooled(c, func(w io.Writer) error { return export.WriteXLSX(w, run, s.rows(c, cp)) })
	case "pdf":
		return sendBuffered(c, "application/pdf", exportName(run, "pdf"), func(w io.Writer) error { return export.WriteReportPDF(w, run) })
	case "json":
		return sendBuffered(c, fiber.MIMEApplicationJSONCharsetUTF8, exportName(run, "json"), func(w io.Writer) error { return export.WriteJSON(w, run) })
	default:
		return sendBuffered(c, "text/csv; charset=utf-8", exportName(run, "csv"), func(w io.Writer) error { return export.WriteScoresCSV(w, run) })
	}
}

// exportResponses downloads every response as CSV, one row per form and unit.
func (s *Server) exportResponses(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	attachment(c, "text/csv; charset=utf-8", fmt.Sprintf("phieu-%s.csv", cp.Code))
	return sendSpooled(c, func(w io.Writer) error { return export.WriteResponsesCSV(w, cp.Def, s.rows(c, cp)) })
}

// ratioRow is an imported ratio as the imports page lists it.
type ratioRow struct {
	Unit, UnitName, Sub, Percent, Exact, Source, At, By string
}

// importGroup is an imported group with its ratios.
type importGroup struct {
	Code, Name, Kind, Feeds string
	Ratios                  []ratioRow
	Missing                 []string
}

// importsData is the view model of the imports page.
type importsData struct {
	campaignData
	Groups []importGroup
	Errors []string
	File   string
	Group  string
}

func (s *Server) importsView(c *fiber.Ctx, cp *store.Campaign) (importsData, error) {
	d := importsData{campaignData: campaignData{pageData: s.page(c), C: cp, Tab: "results"}}
	d.Title = "Nhập tỷ lệ hài lòng"
	ratios, err := s.db.Ratios(c.UserContext(), cp.ID)
	if err != nil {
		return d, err
	}
	def := cp.Def
	for _, g := range def.Groups {
		if !g.Imported() {
			continue
		}
		ig := importGroup{Code: g.Code, Name: g.Name, Kind: export.KindName(def, g.Evaluates), Feeds: strings.Join(g.Feeds, ", ")}
		if ig.Feeds == "" {
			ig.Feeds = "mọi tiêu chí thành phần"
		}
		has := map[string]bool{}
		for _, r := range ratios {
			if r.Group != g.Code {
				continue
			}
			has[r.Unit] = true
			v, _ := new(big.Rat).SetString(r.Ratio)
			ig.Ratios = append(ig.Ratios, ratioRow{Unit: r.Unit, UnitName: export.UnitName(def, r.Unit), Sub: r.Sub, Percent: pct(v), Exact: r.Ratio,
				Source: r.Source, At: vn.DateTime(r.ImportedAt), By: r.ImportedBy})
		}
		for _, u := range def.UnitsOfKind(g.Evaluates) {
			if !has[u.Code] {
				ig.Missing = append(ig.Missing, u.Name)
			}
		}
		d.Groups = append(d.Groups, ig)
	}
	return d, nil
}

func (s *Server) importsPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	d, err := s.importsView(c, cp)
	if err != nil {
		return err
	}
	return s.renderPage(c, fiber.StatusOK, "results_imports", d)
}

// maxRatioFile bounds an uploaded ratio file.
const maxRatioFile = 8 << 20

// uploadRatios reads an imported group's ratio file, checks every row and, when all are right,
// replaces the group's ratios.
func (s *Server) uploadRatios(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	group := strings.TrimSpace(c.FormValue("group"))
	name, data, problem := "", []byte(nil), ""
	fh, err := c.FormFile("file")
	switch {
	case group == "":
		problem = msgRatiosNoGroup
	case err != nil || fh == nil || fh.Size == 0:
		problem = msgRatiosNoFile
	case fh.Size > maxRatioFile:
		problem = msgRatiosTooBig
	default:
		name = vn.NFC(fh.Filename)
		f, err := fh.Open()
		if err != nil {
			return fmt.Errorf("web: open upload: %w", err)
		}
		data, err = io.ReadAll(io.LimitReader(f, maxRatioFile+1))
		f.Close()
		if err != nil {
			return fmt.Errorf("web: read upload: %w", err)
		}
	}
	var errs []string
	if problem != "" {
		errs = []string{problem}
	} else {
		rows, rowErrs := scorerun.ParseRatios(cp.Def, group, name, data)
		for _, e := range rowErrs {
			errs = append(errs, e.Error())
		}
		if len(errs) == 0 {
			if err := s.db.ReplaceRatios(c.UserContext(), cp.ID, currentUser(c).ID, group, name, rows); err != nil {
				return err
			}
			s.setFlash(c, fmt.Sprintf(msgRatiosSaved, vn.Int(int64(len(rows))), group, name))
			return c.Redirect(fmt.Sprintf("/campaigns/%d/results/imports", cp.ID), fiber.StatusSeeOther)
		}
	}
	d, err := s.importsView(c, cp)
	if err != nil {
		return err
	}
	d.Errors, d.File, d.Group = errs, name, group
	return s.renderPage(c, fiber.StatusUnprocessableEntity, "results_imports", d)
}
