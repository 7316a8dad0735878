package workbook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/xuri/excelize/v2"
)

// filler sets every exported field of a value to something not zero, each string different,
// so that a field the workbook does not carry shows as a difference.
type filler struct{ n int }

var dateType = reflect.TypeOf(campaign.Date{})

func (f *filler) fill(v reflect.Value) {
	switch {
	case v.Type() == dateType:
		v.Set(reflect.ValueOf(campaign.Date{Time: time.Date(2026, 11, 1+f.n%20, 0, 0, 0, 0, campaign.Zone)}))
		f.n++
		return
	}
	switch v.Kind() {
	case reflect.String:
		f.n++
		v.SetString(fmt.Sprintf("V%d", f.n))
	case reflect.Int, reflect.Int64:
		f.n++
		if v.Type() == reflect.TypeOf(campaign.Decimal(0)) {
			v.SetInt(int64(f.n) * 1250) // n × 0,125
		} else {
			v.SetInt(int64(f.n))
		}
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := 0; i < 2; i++ {
			f.fill(v.Index(i))
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for i := 0; i < 2; i++ {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			f.fill(k)
			f.fill(e)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			sf := v.Type().Field(i)
			if !sf.IsExported() || sf.Tag.Get("json") == "-" {
				continue
			}
			f.fill(v.Field(i))
		}
	}
}

// fullDefinition is a definition with every field the format has set. Only what one cell
// cannot say twice is undone: an option is a don't-know or weighted, a question names a scale
// or lists options.
func fullDefinition() *campaign.Definition {
	d := &campaign.Definition{}
	(&filler{}).fill(reflect.ValueOf(d).Elem())
	clear := func(opts []campaign.Option) {
		for i := range opts {
			opts[i].DontKnow = i == 1
			if opts[i].DontKnow {
				opts[i].Weight = nil
			}
		}
	}
	for i := range d.Scales {
		clear(d.Scales[i].Options)
	}
	for qi := range d.Questionnaires {
		for si := range d.Questionnaires[qi].Sections {
			qs := d.Questionnaires[qi].Sections[si].Questions
			for i := range qs {
				qs[i].Scale = ""
				clear(qs[i].Options)
			}
		}
	}
	return d
}

// TestEveryFieldOfTheFormatHasACell writes a definition with every field set (found by
// reflection, so a field added to the format later is in it) and reads the workbook's cells
// back, before the definition's checks, which such a definition cannot pass.
func TestEveryFieldOfTheFormatHasACell(t *testing.T) {
	def := fullDefinition()
	var buf bytes.Buffer
	if err := Write(&buf, def); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := &reader{f: f, locs: map[string]map[string]loc{}, bad: map[loc]bool{}}
	got, _ := r.definition()
	if len(r.problems) > 0 {
		t.Fatalf("the workbook does not read back:\n%v", r.problems)
	}
	want, _ := json.Marshal(def)
	have, _ := json.Marshal(got)
	if !bytes.Equal(want, have) {
		sameDefinition(t, def, got)
		t.Fatal("definitions differ")
	}
}
