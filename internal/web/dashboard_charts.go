package web

import (
	"fmt"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/chart"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// charts draws the daily and cumulative charts over the campaign window and fills the per-day
// table; the cumulative lines stop at today.
func (d *dashboardData) charts(def *campaign.Definition, p *store.Progress, now time.Time) {
	opens, closes := def.Window()
	var labels []string
	var days []time.Time
	for t := opens; t.Before(closes); t = t.AddDate(0, 0, 1) {
		labels = append(labels, t.Format("02/01"))
		days = append(days, t)
	}
	byDay := map[time.Time]store.DayCount{}
	cumR, cumV := 0, 0
	for _, x := range p.Days {
		cumR += x.Received
		cumV += x.Valid
		d.Days = append(d.Days, dashDay{Day: x.Day, Received: x.Received, Valid: x.Valid, CumReceived: cumR, CumValid: cumV})
		if x.Day.Before(opens) || !x.Day.Before(closes) {
			d.Outside += x.Received
		}
		byDay[x.Day] = x
	}
	received := make([]int, len(days))
	valid := make([]int, len(days))
	var cumReceived, cumValid []int
	// Responses received before opening count from the first day of the cumulative lines.
	runR, runV := 0, 0
	for _, x := range p.Days {
		if x.Day.Before(opens) {
			runR += x.Received
			runV += x.Valid
		}
	}
	today := now.In(campaign.Zone)
	for i, t := range days {
		x := byDay[t]
		received[i], valid[i] = x.Received, x.Valid
		if t.After(today) {
			continue
		}
		runR += x.Received
		runV += x.Valid
		cumReceived = append(cumReceived, runR)
		cumValid = append(cumValid, runV)
	}
	first, last := vn.Date(opens), vn.Date(def.Closes.Time)
	d.Daily = chart.Bars{
		Frame: chart.Frame{ID: "dash-ngay", Title: msgDashDailyTitle, Labels: labels, Empty: msgDashNoResponses,
			Desc: fmt.Sprintf(msgDashDailyDesc, first, last, vn.Int(int64(cumR)), vn.Int(int64(cumV)))},
		Series:  []chart.Series{{Name: msgDashReceived, Values: received, Color: colorReceived}, {Name: msgDashValid, Values: valid, Color: colorValid}},
		Overlay: true,
	}.SVG()
	desc := fmt.Sprintf(msgDashCumNotOpen, first, vn.Int(int64(d.Total.Quota)))
	if n := len(cumReceived); n > 0 {
		desc = fmt.Sprintf(msgDashCumDesc, vn.Date(days[n-1]), vn.Int(int64(cumReceived[n-1])), vn.Int(int64(cumValid[n-1])),
			vn.Int(int64(d.Total.Quota)), d.Total.RateText())
	}
	d.Cumulative = chart.Lines{
		Frame: chart.Frame{ID: "dash-luyke", Title: msgDashCumTitle, Desc: desc, Labels: labels, Empty: msgDashNoResponses},
		// Valid first, so that the dashed received line stays visible where the two coincide.
		Series: []chart.Series{
			{Name: msgDashValid, Values: cumValid, Color: colorValid},
			{Name: msgDashReceived, Values: cumReceived, Color: colorReceived, Dash: "6 4"},
			{Name: msgDashPaceLine, Values: pace(d.Total.Quota, len(days)), Color: colorPace, Dash: "2 5"},
		},
		Target: d.Total.Quota, TargetLabel: msgDashQuota,
	}.SVG()
}

// pace is the cumulative count that reaches the quota on the last of n days at an even rate.
func pace(quota, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = quota * (i + 1) / n
	}
	return out
}
