package paper

import (
	"sort"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// Return is one verified paper form an enumerator brought back: it earns honoraria.
type Return struct {
	EnumeratorID int64
	Enumerator   string
	Group        string
	// Unit is the unit the form is about; "" for a matrix form.
	Unit       string
	UnitName   string
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

// Pay is the honoraria owed for a campaign's verified paper returns.
type Pay struct {
	Rates        campaign.Honoraria
	ByEnumerator []EnumeratorPay
	ByUnit       []UnitPay
	Returns      []Return
	Forms        int
	Total        int64
}

// Honoraria computes what is owed at the campaign's rates (domain.md, "Work in a campaign",
// step 2): per_form for every verified returned form, and per_unit once for each unit an
// enumerator brought verified forms back from. A matrix form is about every unit of its kind, so
// it earns the per-form rate only.
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
			e.Units = append(e.Units, r.Unit)
			e.UnitAmount += rates.PerUnit
			u.Enumerators = append(u.Enumerators, r.Enumerator)
			u.UnitAmount += rates.PerUnit
		}
	}
	for _, id := range enumOrder {
		e := byEnum[id]
		e.Total = e.FormAmount + e.UnitAmount
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
