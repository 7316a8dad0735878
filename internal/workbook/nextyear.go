package workbook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/xuri/excelize/v2"
)

// NextYear returns a copy of def moved forward by years: its year, its dates, and every
// mention of its year in the campaign's code and name and in the questionnaires' titles,
// introductions, thanks, section titles and questions ("năm 2026", "31/12/2026"). A code
// without the year gets the new year appended, so the copy never overwrites its source.
func NextYear(def *campaign.Definition, years int) *campaign.Definition {
	d := clone(def)
	from, to := strconv.Itoa(def.Year), strconv.Itoa(def.Year+years)
	year := regexp.MustCompile(`(^|[^0-9])` + from + `($|[^0-9])`)
	shift := func(s string) string { return year.ReplaceAllString(s, "${1}"+to+"${2}") }
	d.Year += years
	if !d.Opens.IsZero() {
		d.Opens = campaign.Date{Time: d.Opens.AddDate(years, 0, 0)}
	}
	if !d.Closes.IsZero() {
		d.Closes = campaign.Date{Time: d.Closes.AddDate(years, 0, 0)}
	}
	if code := shift(d.Code); code != d.Code {
		d.Code = code
	} else {
		d.Code = fmt.Sprintf("%s-%s", d.Code, to)
	}
	d.Name = shift(d.Name)
	for i := range d.Questionnaires {
		q := &d.Questionnaires[i]
		q.Title, q.Intro, q.Thanks = shift(q.Title), shift(q.Intro), shift(q.Thanks)
		for si := range q.Sections {
			s := &q.Sections[si]
			s.Title = shift(s.Title)
			for qi := range s.Questions {
				s.Questions[qi].Text = shift(s.Questions[qi].Text)
			}
		}
	}
	return d
}

// clone is a deep copy of a definition, through its JSON (questionnaires' file names aside).
func clone(def *campaign.Definition) *campaign.Definition {
	raw, err := json.Marshal(def)
	if err != nil {
		panic(err) // a Definition is always marshalable
	}
	d := &campaign.Definition{}
	if err := json.Unmarshal(raw, d); err != nil {
		panic(err)
	}
	return d
}

// ReplaceUnits returns a copy of def whose unit list is the one on the 'Đơn vị' sheet of the
// workbook data (a whole campaign workbook, or one holding that sheet only). Quotas set for
// units no longer in the list are dropped. The result is not checked: write it out and Read it
// for that.
func ReplaceUnits(def *campaign.Definition, data []byte) (*campaign.Definition, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, Problems{{Msg: "tệp không phải là sổ tính Excel (.xlsx) đọc được"}}
	}
	defer f.Close()
	r := &reader{f: f, locs: map[string]map[string]loc{}, bad: map[loc]bool{}}
	var units []campaign.Unit
	r.table(unitsTable).each(func(rw row) {
		units = append(units, campaign.Unit{Code: rw.get("code"), Kind: rw.get("kind"), Name: rw.get("name"), Parent: rw.get("parent")})
	})
	if len(r.problems) == 0 && len(units) == 0 {
		r.add(loc{sheet: SheetUnits}, "trang không có đơn vị nào")
	}
	if len(r.problems) > 0 {
		return nil, r.problems
	}
	return WithQuotas(def, nil, units), nil
}

// Bytes is Write into memory.
func Bytes(def *campaign.Definition) ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(&buf, def); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WithQuotas returns a copy of def with the groups' quotas per unit set from quotas (by group
// code; groups not named keep theirs) and, when units is not nil, its unit list replaced.
// Quotas set for units no longer in the list are dropped. The result is not checked: Check it.
func WithQuotas(def *campaign.Definition, quotas map[string]int, units []campaign.Unit) *campaign.Definition {
	d := clone(def)
	for i := range d.Groups {
		if q, ok := quotas[d.Groups[i].Code]; ok {
			d.Groups[i].Quota = q
		}
	}
	if units == nil {
		return d
	}
	d.Units = units
	keep := map[string]bool{}
	for _, u := range units {
		keep[u.Code] = true
	}
	for i := range d.Groups {
		for code := range d.Groups[i].QuotaOverrides {
			if !keep[code] {
				delete(d.Groups[i].QuotaOverrides, code)
			}
		}
	}
	return d
}
