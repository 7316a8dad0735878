package paper

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// Return is one verified paper form an enumerator brought back: it earns honoraria.
type Return struct {
	EnumeratorID int64
	Enumerator   string
	Group        string
	// Unit is the unit the form is about; "" for a matrix form. Kind is the unit's kind, which
	// sets the enumerator's per-unit rate (campaign.Honoraria.EnumeratorUnitRate).
	Unit       string
	UnitName   string
	Kind       string
	Code       string
	ReceivedOn time.Time
	Valid      bool
}

// EnumeratorPay is what one enumerator is owed.
type EnumeratorPay struct {
	ID    int64
	Name  string
	Forms int
	// Units are the units the enumerator brought verified forms back from, by code.
	Units      []string
	FormAmount int64
	UnitAmount int64
	Total      int64
	// Codes are the form codes behind the amount.
	Codes []string
}

// UnitPay is what is owed for work in one unit.
type UnitPay struct {
	Unit        string
	Name        string
	Forms       int
	Enumerators []string
	FormAmount  int64
	UnitAmount  int64
	Total       int64
	Codes       []string
}

// Pay is the honoraria owed for a campaign: to enumerators for their verified paper returns,
// and to respondents for the forms they answered (Respondents).
type Pay struct {
	Rates        campaign.Honoraria
	ByEnumerator []EnumeratorPay
	ByUnit       []UnitPay
	Returns      []Return
	Forms        int
	// EnumeratorTotal is what enumerators are owed, RespondentTotal what respondents are, and
	// Total both.
	EnumeratorTotal int64
	Respondents     []RespondentPay
	RespondentTotal int64
	Total           int64
	// RateLines state the rates in force in Vietnamese, one line each (set by PayRespondents).
	RateLines []string
}

// Answered counts a group's stored forms that came in through one channel.
type Answered struct {
	Group   string
	Channel campaign.Channel
	Forms   int
}

// RespondentPay is what the respondents of one group are owed: Rate per form (by group, else
// by the kind the group evaluates, else the default) for each form that counts, Paper forms
// always (keyed or imported from a file) and Online forms only when the plan says so.
type RespondentPay struct {
	Group, Name, Kind string
	KindName          string
	Rate              int64
	Paper, Online     int
	// OnlineCounted says whether the Online forms are paid (campaign.Honoraria.Online).
	OnlineCounted bool
	Forms         int
	Amount        int64
}

// Honoraria computes what enumerators are owed at the campaign's rates (domain.md, "Work in a
// campaign", step 2): per_form for every verified returned form, and the per-unit rate of the
// unit's level (honoraria.enumerator, else per_unit) once for each unit an enumerator brought
// verified forms back from. A matrix form is about several units at once, so it earns the
// per-form rate only. PayRespondents adds what respondents are owed.
func Honoraria(rates campaign.Honoraria, returns []Return) Pay {
	p := Pay{Rates: rates, Returns: append([]Return(nil), returns...)}
	sort.SliceStable(p.Returns, func(i, j int) bool {
		a, b := p.Returns[i], p.Returns[j]
		if a.Enumerator != b.Enumerator {
			return vn.Less(a.Enumerator, b.Enumerator)
		}
		if a.EnumeratorID != b.EnumeratorID {
			return a.EnumeratorID < b.EnumeratorID
		}
		return a.Code < b.Code
	})
	byEnum := map[int64]*EnumeratorPay{}
	byUnit := map[string]*UnitPay{}
	paidUnit := map[[2]any]bool{}
	var enumOrder []int64
	var unitOrder []string
	for _, r := range p.Returns {
		e := byEnum[r.EnumeratorID]
		if e == nil {
			e = &EnumeratorPay{ID: r.EnumeratorID, Name: r.Enumerator}
			byEnum[r.EnumeratorID] = e
			enumOrder = append(enumOrder, r.EnumeratorID)
		}
		e.Forms++
		e.FormAmount += rates.PerForm
		e.Codes = append(e.Codes, r.Code)
		p.Forms++
		if r.Unit == "" {
			continue
		}
		u := byUnit[r.Unit]
		if u == nil {
			u = &UnitPay{Unit: r.Unit, Name: r.UnitName}
			byUnit[r.Unit] = u
			unitOrder = append(unitOrder, r.Unit)
		}
		u.Forms++
		u.FormAmount += rates.PerForm
		u.Codes = append(u.Codes, r.Code)
		key := [2]any{r.EnumeratorID, r.Unit}
		if !paidUnit[key] {
			paidUnit[key] = true
			rate := rates.EnumeratorUnitRate(r.Kind)
			e.Units = append(e.Units, r.Unit)
			e.UnitAmount += rate
			u.Enumerators = append(u.Enumerators, r.Enumerator)
			u.UnitAmount += rate
		}
	}
	for _, id := range enumOrder {
		e := byEnum[id]
		e.Total = e.FormAmount + e.UnitAmount
		p.EnumeratorTotal += e.Total
		p.Total += e.Total
		p.ByEnumerator = append(p.ByEnumerator, *e)
	}
	sort.SliceStable(unitOrder, func(i, j int) bool { return vn.Less(byUnit[unitOrder[i]].Name, byUnit[unitOrder[j]].Name) })
	for _, code := range unitOrder {
		u := byUnit[code]
		u.Total = u.FormAmount + u.UnitAmount
		p.ByUnit = append(p.ByUnit, *u)
	}
	// Matrix forms earn per-form money outside any unit: a line of their own keeps the unit
	// view's total equal to the enumerator view's.
	var matrix UnitPay
	for _, r := range p.Returns {
		if r.Unit == "" {
			matrix.Forms++
			matrix.FormAmount += rates.PerForm
			matrix.Codes = append(matrix.Codes, r.Code)
		}
	}
	if matrix.Forms > 0 {
		matrix.Name = "Phiếu ma trận (nhiều đơn vị)"
		matrix.Total = matrix.FormAmount
		p.ByUnit = append(p.ByUnit, matrix)
	}
	return p
}

// PayRespondents adds what respondents are owed (issue 12: honoraria as plans state them): for
// every group that collects forms, its respondent rate for each stored form that counts
// (campaign.Honoraria.Counts: paper and imported forms, online ones when the plan says so).
// Groups the plan pays nothing are left out. It also states the rates in force (RateLines).
func (p *Pay) PayRespondents(def *campaign.Definition, answered []Answered) {
	p.RateLines = rateLines(def, p.Rates)
	byGroup := map[string]*RespondentPay{}
	for _, a := range answered {
		r := byGroup[a.Group]
		if r == nil {
			r = &RespondentPay{Group: a.Group}
			byGroup[a.Group] = r
		}
		switch a.Channel {
		case campaign.ChannelOnline:
			r.Online += a.Forms
		case campaign.ChannelPaper, campaign.ChannelFileImport:
			r.Paper += a.Forms
		}
	}
	for i := range def.Groups {
		g := &def.Groups[i]
		if g.Imported() {
			continue
		}
		r := byGroup[g.Code]
		if r == nil {
			r = &RespondentPay{Group: g.Code}
		}
		r.Name, r.Kind, r.Rate, r.OnlineCounted = g.Name, g.Evaluates, p.Rates.RespondentRate(g), p.Rates.Counts(campaign.ChannelOnline)
		r.KindName = g.Evaluates
		if k := def.Kind(g.Evaluates); k != nil {
			r.KindName = k.Name
		}
		if r.Rate == 0 {
			continue
		}
		r.Forms = r.Paper
		if r.OnlineCounted {
			r.Forms += r.Online
		}
		r.Amount = int64(r.Forms) * r.Rate
		p.RespondentTotal += r.Amount
		p.Total += r.Amount
		p.Respondents = append(p.Respondents, *r)
	}
}

// rateLines states a plan's rates: the enumerator's per form and per unit by level, the
// respondent's per form by level and group, and whether online forms are paid.
func rateLines(def *campaign.Definition, h campaign.Honoraria) []string {
	var out []string
	if h.PerForm > 0 {
		out = append(out, fmt.Sprintf("Điều tra viên: %s đồng mỗi phiếu giấy thu về.", vn.Int(h.PerForm)))
	}
	var unit, resp []string
	for _, k := range def.Kinds {
		if len(def.UnitsOfKind(k.Code)) == 0 {
			continue
		}
		if r := h.EnumeratorUnitRate(k.Code); r > 0 {
			unit = append(unit, fmt.Sprintf("%s %s đồng", k.Name, vn.Int(r)))
		}
		rate := h.Respondent.Default
		if v, ok := h.Respondent.ByKind[k.Code]; ok {
			rate = v
		}
		if rate > 0 {
			resp = append(resp, fmt.Sprintf("phiếu đánh giá %s %s đồng", lowerFirst(k.Name), vn.Int(rate)))
		}
	}
	for _, g := range def.Groups {
		if v, ok := h.Respondent.ByGroup[g.Code]; ok {
			resp = append(resp, fmt.Sprintf("nhóm %s %s đồng", g.Code, vn.Int(v)))
		}
	}
	if len(unit) > 0 {
		out = append(out, "Điều tra viên, một lần cho mỗi đơn vị đã thu phiếu: "+strings.Join(unit, "; ")+".")
	}
	if len(resp) > 0 {
		online := "phiếu trả lời trực tuyến không tính thù lao"
		if h.Online {
			online = "phiếu trả lời trực tuyến cũng được tính"
		}
		out = append(out, "Người trả lời, mỗi phiếu: "+strings.Join(resp, "; ")+"; "+online+".")
	}
	if len(out) == 0 {
		out = append(out, "Đợt khảo sát không quy định mức thù lao.")
	}
	return out
}

// lowerFirst writes a name's first letter in lower case, inside a phrase.
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToLower(string(r[0])) + string(r[1:])
}
