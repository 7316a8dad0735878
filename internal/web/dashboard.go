package web

import (
	"fmt"
	"html/template"
	"math/big"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/chart"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/validation"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// dashboardRefresh is how often the dashboard reloads itself, in seconds: an HTTP Refresh
// header, so that it works without JavaScript.
const dashboardRefresh = 60

// Colours of the dashboard's figures: the same meaning keeps its colour on every chart, and each
// stands at least 3:1 against white.
const (
	colorReceived = "#4f8fd0"
	colorValid    = "#0b5cad"
	colorPace     = "#6e7781"
	colorDone     = "#116329"
	colorMid      = "#b35c00"
	colorLow      = "#a4121b"
)

// Words of the dashboard.
const (
	msgDashLevelDone   = "đủ"
	msgDashLevelShort  = "thiếu %s"
	msgDashNoQuota     = "không áp dụng"
	msgDashMeterTitle  = "Hợp lệ %s/%s phiếu chỉ tiêu (%s)"
	msgDashReceived    = "Đã nhận"
	msgDashValid       = "Hợp lệ"
	msgDashQuota       = "Chỉ tiêu"
	msgDashNoResponses = "Chưa nhận phiếu nào"
	msgDashDailyTitle  = "Số phiếu nhận theo ngày"
	msgDashDailyDesc   = "Số phiếu nhận và số phiếu hợp lệ mỗi ngày từ %s đến %s. Tổng cộng đã nhận %s phiếu, %s phiếu hợp lệ."
	msgDashCumTitle    = "Số phiếu lũy kế so với chỉ tiêu"
	msgDashCumDesc     = "Số phiếu nhận và hợp lệ cộng dồn đến %s: %s phiếu nhận, %s phiếu hợp lệ, so với chỉ tiêu %s phiếu (%s)."
	msgDashCumNotOpen  = "Đợt khảo sát chưa bắt đầu (mở từ %s); chỉ tiêu %s phiếu."
	msgDashPaceLine    = "Nhịp đều"
)

// reasonLabels are the Vietnamese names of the valid-form rules, for staff: validation's.
var reasonLabels = validation.Labels

// dashboardData is the view model of the campaign dashboard.
type dashboardData struct {
	campaignData
	// At is when the figures were read; LastStored when the latest response was stored.
	At, LastStored time.Time
	Refresh        int
	Total          dashRow
	Groups         []dashGroup
	// HasPending shows the column of forms awaiting a verdict, only when there are some.
	HasPending bool
	Daily      template.HTML
	Cumulative template.HTML
	Days       []dashDay
	// Outside counts responses received before the campaign opened or after it closed.
	Outside int
	Reasons []dashReason
	// InvalidForms is how many forms are invalid (a matrix form: not valid for every unit).
	InvalidForms int
	// UnitValid counts valid forms per unit evaluated, as scoring and the results page count
	// them: a matrix form once for each unit it is valid for (domain.md step 7).
	UnitValid int
	// Lists are the respondent lists per group × unit: invited, opened, answered (dashboard_lists.go).
	Lists []listRow
}

// dashGroup is one respondent group's section.
type dashGroup struct {
	Code, Name, Evaluates, Form, Channels string
	Matrix, Imported                      bool
	// Units is how many units a matrix form covers.
	Units int
	Rows  []dashRow
	Total dashRow
	// Populations are the group's populations when it has several (dashboard_populations.go).
	Populations []dashPopulation
}

// dashRow is one line of figures against a quota.
type dashRow struct {
	Code, Name                                       string
	Quota, Issued, Received, Valid, Invalid, Pending int
	// Short is how many valid forms are still missing: the sum over the row's group × unit
	// cells of max(0, quota − valid), so that a cell over its quota never offsets one under it.
	// Covered is the valid forms that count towards the quota, the sum of min(valid, quota).
	Short, Covered int
	// Rate is the share of the quota validly filled, in whole percent rounded half up: Valid
	// over Quota on one cell (past 100% when over its quota), Covered over Quota on a total.
	// Level is done, mid, low or none (no quota); Status says the same in words.
	Rate          int
	Level, Status string
	Meter         template.HTML
	// ShowPending prints the pending figure: set on every row when the campaign has any.
	ShowPending bool
	// single is set on a row that is one group × unit cell rather than a sum of them.
	single bool
}

// dashDay is a line of the per-day table.
type dashDay struct {
	Day                   time.Time
	Received, Valid       int
	CumReceived, CumValid int
}

// dashReason is how many forms failed one rule.
type dashReason struct {
	Code, Label string
	Forms       int
}

// cell makes the row one group × unit cell against its quota: its shortfall and the valid forms
// that count towards the quota.
func (r *dashRow) cell() {
	r.Short, r.Covered, r.single = max(0, r.Quota-r.Valid), min(r.Valid, r.Quota), true
}

// finish computes the rate, level, status and meter of a row from its figures.
func (r *dashRow) finish() {
	if r.Quota <= 0 {
		r.Level, r.Status = "none", msgDashNoQuota
		r.Meter = chart.Meter{Max: 0, Title: msgDashNoQuota}.SVG()
		return
	}
	filled := r.Covered
	if r.single {
		filled = r.Valid
	}
	r.Rate, _ = strconv.Atoi(vn.RoundHalfUp(big.NewRat(int64(filled)*100, int64(r.Quota)), 0))
	color := map[string]string{"done": colorDone, "mid": colorMid, "low": colorLow}
	switch {
	case r.Short == 0:
		r.Level, r.Status = "done", msgDashLevelDone
	case r.Rate >= 50:
		r.Level, r.Status = "mid", fmt.Sprintf(msgDashLevelShort, vn.Int(int64(r.Short)))
	default:
		r.Level, r.Status = "low", fmt.Sprintf(msgDashLevelShort, vn.Int(int64(r.Short)))
	}
	r.Meter = chart.Meter{Value: filled, Max: r.Quota, Color: color[r.Level],
		Title: fmt.Sprintf(msgDashMeterTitle, vn.Int(int64(r.Valid)), vn.Int(int64(r.Quota)), r.RateText())}.SVG()
}

// RateText is the rate as the page prints it.
func (r dashRow) RateText() string {
	if r.Quota <= 0 {
		return "—"
	}
	return strconv.Itoa(r.Rate) + "%"
}

func (r *dashRow) add(o dashRow) {
	r.Quota += o.Quota
	r.Issued += o.Issued
	r.Received += o.Received
	r.Valid += o.Valid
	r.Invalid += o.Invalid
	r.Pending += o.Pending
	r.Short += o.Short
	r.Covered += o.Covered
}

func rowOf(c store.ProgressCell) dashRow {
	return dashRow{Issued: c.Issued, Received: c.Received, Valid: c.Valid, Invalid: c.Invalid, Pending: c.Pending}
}

// buildDashboard turns the stored figures into the page's rows, in definition order. Quotas
// are counted in forms: a single-unit group needs its quota for each unit, a matrix group its
// quota of respondents, each covering every unit.
func buildDashboard(def *campaign.Definition, p *store.Progress, now time.Time) dashboardData {
	d := dashboardData{At: now, LastStored: p.LastStored, Refresh: dashboardRefresh}
	cells := map[string]store.ProgressCell{}
	for _, c := range p.Cells {
		cells[c.Group+"/"+c.Unit] = c
		d.HasPending = d.HasPending || c.Pending > 0
	}
	for _, g := range def.Groups {
		dg := dashGroup{Code: g.Code, Name: g.Name, Form: g.Form, Imported: g.Imported()}
		if k := def.Kind(g.Evaluates); k != nil {
			dg.Evaluates = k.Name
		}
		for i, ch := range g.Channels {
			if i > 0 {
				dg.Channels += ", "
			}
			dg.Channels += ch.Label()
		}
		if dg.Imported {
			d.Groups = append(d.Groups, dg)
			continue
		}
		q := def.Questionnaire(g.Form)
		dg.Matrix = q != nil && q.Shape == campaign.ShapeMatrix
		units := def.UnitsOfKind(g.Evaluates)
		dg.Units = len(units)
		whole := cells[g.Code+"/"]
		for _, u := range units {
			r := rowOf(cells[g.Code+"/"+u.Code])
			r.Code, r.Name, r.Quota = u.Code, u.Name, g.QuotaFor(u.Code)
			r.cell()
			d.UnitValid += r.Valid
			if dg.Matrix {
				// Every matrix form issued covers this unit too.
				r.Issued = whole.Issued
			} else {
				dg.Total.add(r)
			}
			r.finish()
			dg.Rows = append(dg.Rows, r)
		}
		if dg.Matrix {
			// The group's quota is in respondents, each covering every unit: its forms as a
			// whole are the one cell its total is counted on.
			dg.Total = rowOf(whole)
			dg.Total.Quota = g.Quota
			dg.Total.cell()
		}
		dg.Total.finish()
		dg.Populations = populations(def, &g, p.Populations)
		d.Total.add(dg.Total)
		d.Groups = append(d.Groups, dg)
	}
	d.Total.finish()
	d.Total.ShowPending = d.HasPending
	for i := range d.Groups {
		g := &d.Groups[i]
		g.Total.ShowPending = d.HasPending
		for j := range g.Rows {
			g.Rows[j].ShowPending = d.HasPending
		}
	}
	d.InvalidForms = d.Total.Invalid
	for _, r := range p.Reasons {
		d.Reasons = append(d.Reasons, dashReason{Code: r.Code, Label: validation.Code(r.Code).Label(), Forms: r.Forms})
	}
	d.charts(def, p, now)
	return d
}

// dashboardPage shows response rates against quotas, the daily progress and the invalid
// reasons of one campaign (domain.md, "Monitoring").
func (s *Server) dashboardPage(c *fiber.Ctx) error {
	cp, err := s.campaign(c)
	if err != nil {
		return err
	}
	p, err := s.db.Progress(c.UserContext(), cp.ID, populationFields(cp.Def)...)
	if err != nil {
		return err
	}
	data := buildDashboard(cp.Def, p, s.db.Now())
	data.campaignData = campaignData{pageData: s.page(c), C: cp, Tab: "dashboard"}
	if data.Lists, err = s.dashboardLists(c, cp); err != nil {
		return err
	}
	body, err := s.views.render("layout", "dashboard", data)
	if err != nil {
		return err
	}
	c.Set("Refresh", strconv.Itoa(dashboardRefresh))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return send(c, fiber.StatusOK, body)
}
