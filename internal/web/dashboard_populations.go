package web

import (
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
)

// Words of the dashboard's populations.
const (
	msgDashPopUnknown = "Không ghi đối tượng"
)

// dashPopulation is one population of a group made of several (campaign.Population): its quota
// over the units the group evaluates, its valid forms, and those that count toward the quota.
type dashPopulation struct {
	Code, Name string
	// Substitute names the population it stands in for; Cap is its cap per unit, 0 for none.
	Substitute string
	Cap        int
	Quota      int
	Received   int
	Valid      int
	Counted    int
	Row        dashRow
}

// populationFields lists the population fields of a definition's groups, for store.Progress.
func populationFields(def *campaign.Definition) []store.PopulationField {
	var out []store.PopulationField
	for _, g := range def.Groups {
		if len(g.Populations) > 0 && g.PopulationField != "" {
			out = append(out, store.PopulationField{Group: g.Code, Field: g.PopulationField})
		}
	}
	return out
}

// populations sums how far each population of the group went toward its quota, unit by unit
// (campaign.Group.Fill), so that forms over one unit's quota never fill another's. Forms whose
// answer names no population come last, as "Không ghi đối tượng".
func populations(def *campaign.Definition, g *campaign.Group, counts []store.PopulationCount) []dashPopulation {
	if len(g.Populations) == 0 {
		return nil
	}
	type cell struct{ received, valid map[string]int }
	byUnit := map[string]*cell{}
	var unknown dashPopulation
	for _, c := range counts {
		if c.Group != g.Code {
			continue
		}
		p := g.PopulationNamed(c.Answer)
		if p == nil {
			unknown.Received += c.Received
			unknown.Valid += c.Valid
			continue
		}
		x := byUnit[c.Unit]
		if x == nil {
			x = &cell{received: map[string]int{}, valid: map[string]int{}}
			byUnit[c.Unit] = x
		}
		x.received[p.Code] += c.Received
		x.valid[p.Code] += c.Valid
	}
	out := make([]dashPopulation, len(g.Populations))
	for i, p := range g.Populations {
		out[i] = dashPopulation{Code: p.Code, Name: p.Name}
		if t := g.Population(p.SubstituteFor); t != nil {
			out[i].Substitute = t.Name
		}
		if p.Cap != nil {
			out[i].Cap = *p.Cap
		}
	}
	for _, u := range def.UnitsOfKind(g.Evaluates) {
		x := byUnit[u.Code]
		if x == nil {
			x = &cell{}
		}
		for i, f := range g.Fill(u.Code, x.valid) {
			out[i].Quota += f.Quota
			out[i].Valid += f.Valid
			out[i].Counted += f.Counted
			out[i].Received += x.received[f.Population.Code]
		}
	}
	for i := range out {
		p := &out[i]
		p.Row = dashRow{Quota: p.Quota, Received: p.Received, Valid: p.Valid, Covered: p.Counted, Short: max(0, p.Quota-p.Counted)}
		p.Row.finish()
	}
	if unknown.Received > 0 {
		unknown.Name = msgDashPopUnknown
		unknown.Row = dashRow{Received: unknown.Received, Valid: unknown.Valid}
		unknown.Row.finish()
		out = append(out, unknown)
	}
	return out
}
