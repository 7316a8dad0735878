package intake_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
	"github.com/xuri/excelize/v2"
)

// inWindow is a moment inside the demo campaign's window (01/11 – 31/12/2026, campaign.yaml).
var inWindow = time.Date(2026, 11, 15, 9, 30, 0, 0, campaign.Zone)

// paperDay is the receipt day of the test batches, inside the window too.
var paperDay = time.Date(2026, 11, 20, 0, 0, 0, 0, campaign.Zone)

// fixture is a temp-file database holding the demo campaign with forms issued for SNV (groups
// S2, S3 and S5) and the matrix forms of S1, staff accounts, eight keyers, and the intake
// service over it.
type fixture struct {
	t    *testing.T
	ctx  context.Context
	db   *store.DB
	camp *store.Campaign
	svc  *intake.Service
	// unitIDs are the campaign's unit ids by code.
	unitIDs map[string]int64
	// staff is an administrator, supervisor a supervisor, enumerator the one who brings
	// batches back; keyers are eight accounts allowed to key the campaign.
	staff, supervisor, enumerator int64
	keyers                        []int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db := testenv.Open(t)
	db.SetClock(func() time.Time { return inWindow })
	camp := testenv.Demo(t, db)
	for _, gu := range [][2]string{{"S1", ""}, {"S2", "SNV"}, {"S3", "SNV"}, {"S5", "SNV"}} {
		plan, err := camp.Def.IssuePlan(gu[0], gu[1], 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Issue(ctx, camp.ID, 0, plan); err != nil {
			t.Fatal(err)
		}
	}
	unitIDs, err := db.UnitIDs(ctx, camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, ctx: ctx, db: db, camp: camp, unitIDs: unitIDs}
	f.staff = f.user("admin", store.RoleAdmin)
	f.supervisor = f.user("gs", store.RoleSupervisor)
	f.enumerator = f.user("dtv", store.RoleEnumerator)
	for i := 1; i <= 8; i++ {
		id := f.user(fmt.Sprintf("k%d", i), store.RoleEnumerator)
		if err := db.AddKeyer(ctx, camp.ID, id, f.supervisor); err != nil {
			t.Fatal(err)
		}
		f.keyers = append(f.keyers, id)
	}
	f.svc = intake.New(db)
	t.Cleanup(f.svc.Close) // before the database closes: cleanups run last first
	return f
}

// user creates a staff account (testenv.AddUser) and returns its id.
func (f *fixture) user(name string, role store.Role) int64 {
	f.t.Helper()
	return testenv.AddUser(f.t, f.db, name, role).ID
}

// def is the effective definition: the campaign's with its stored settings over it.
func (f *fixture) def() *campaign.Definition {
	f.t.Helper()
	d, err := f.db.Effective(f.ctx, f.camp)
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

// forms lists the issued forms of a group ("" unit for every unit, matrix forms included).
func (f *fixture) forms(group, unit string) []*store.IssuedForm {
	f.t.Helper()
	var out []*store.IssuedForm
	err := f.db.Forms(f.ctx, f.camp.ID, store.FormFilter{Group: group, Unit: unit}, func(x *store.IssuedForm) error {
		out = append(out, x)
		return nil
	})
	if err != nil || len(out) == 0 {
		f.t.Fatalf("forms of %s/%s: %d, %v", group, unit, len(out), err)
	}
	return out
}

// count runs a count(*) query and returns its figure.
func (f *fixture) count(query string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.db.ReadRow(f.ctx, query, args, &n); err != nil {
		f.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// text runs a one-value query and returns its text.
func (f *fixture) text(query string, args ...any) string {
	f.t.Helper()
	var s string
	if err := f.db.ReadRow(f.ctx, query, args, &s); err != nil {
		f.t.Fatalf("%s: %v", query, err)
	}
	return s
}

// changeRules stores new settings through intake: the effective settings edited by edit.
func (f *fixture) changeRules(edit func(e *campaign.Effective)) intake.Revalidation {
	f.t.Helper()
	e := campaign.EffectiveOf(f.def())
	edit(&e)
	rv, err := intake.ChangeSettings(f.ctx, f.db, f.camp.ID, f.staff, e)
	if err != nil {
		f.t.Fatal(err)
	}
	return rv
}

// percent is p% as the settings hold it.
func percent(p int) campaign.Decimal { return campaign.Decimal(p * campaign.DecimalScale) }

// --- online ---

// online is the post of an online form as the respondent page builds it, under the effective
// definition, with every respondent field and every question answered with option 1.
func (f *fixture) online(form *store.IssuedForm, sid string) intake.Online {
	f.t.Helper()
	def := f.def()
	lf, err := f.db.FormByLink(f.ctx, form.Token)
	if err != nil {
		f.t.Fatal(err)
	}
	g := def.Group(form.Group)
	q := def.Questionnaire(g.Form)
	in := intake.Online{Form: lf, Group: form.Group, Unit: form.Unit, UnitIDs: f.unitIDs, Def: def, Questionnaire: q,
		Values: map[string]string{}, Repeated: map[string]bool{}, SubmissionID: sid, At: inWindow}
	if q.Shape == campaign.ShapeMatrix {
		in.Units = def.UnitsOfKind(g.Evaluates)
	} else {
		in.Units = []campaign.Unit{*def.Unit(form.Unit)}
	}
	for _, fl := range q.Fields {
		in.Values["r_"+fl.Key] = "1"
	}
	for _, u := range in.Units {
		for i := range q.Questions() {
			in.Values[questionName(in, i, u.Code)] = "1"
		}
	}
	return in
}

// questionName is the posted name of the i-th question about a unit.
func questionName(in intake.Online, i int, unit string) string {
	name := "q_" + in.Questionnaire.Questions()[i].Code
	if in.Questionnaire.Shape == campaign.ShapeMatrix {
		name += "_" + unit
	}
	return name
}

// answerOnly leaves every question about the unit blank but the first n.
func answerOnly(in intake.Online, unit string, n int) {
	for i := n; i < len(in.Questionnaire.Questions()); i++ {
		delete(in.Values, questionName(in, i, unit))
	}
}

// --- paper ---

// batch records a batch of count forms of a group about a unit, received on paperDay.
func (f *fixture) batch(group, unit string, count int) *store.Batch {
	f.t.Helper()
	b := &store.Batch{CampaignID: f.camp.ID, Group: group, Unit: unit, ReturnedBy: f.enumerator, Count: count, ReceivedOn: paperDay}
	if err := f.db.RecordBatch(f.ctx, b, f.supervisor); err != nil {
		f.t.Fatal(err)
	}
	b, err := f.db.BatchByID(f.ctx, b.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

// layout is the paper form of a group about a unit under the effective definition.
func (f *fixture) layout(group, unit string) *paper.Layout {
	f.t.Helper()
	l, err := paper.NewLayout(f.def(), group, unit)
	if err != nil {
		f.t.Fatal(err)
	}
	return l
}

// entry keys every item of the layout with mark(i, item), as the keying screen reads it.
func entry(t *testing.T, l *paper.Layout, mark func(i int, it paper.Item) string) paper.Entry {
	t.Helper()
	e, probs := l.Read(func(name string) string {
		for i, it := range l.Items() {
			if it.Name == name {
				return mark(i, it)
			}
		}
		return ""
	}, false)
	if len(probs) > 0 {
		t.Fatalf("entry: %+v", probs)
	}
	return e
}

// ones marks option 1 on every item.
func ones(int, paper.Item) string { return "1" }

// sparse marks option 1 on every respondent field and on the first n questions, the rest blank.
func sparse(n int) func(int, paper.Item) string {
	return func(_ int, it paper.Item) string {
		if it.Field >= 0 || it.Question < n {
			return "1"
		}
		return "0"
	}
}

// except marks like base, but with the named items set as given.
func except(base func(int, paper.Item) string, marks map[string]string) func(int, paper.Item) string {
	return func(i int, it paper.Item) string {
		if v, ok := marks[it.Name]; ok {
			return v
		}
		return base(i, it)
	}
}

// key keys a code into a batch as a keyer, under the given definition (nil: the effective one).
func (f *fixture) key(b *store.Batch, def *campaign.Definition, keyer int64, code string, e paper.Entry) (intake.Keyed, error) {
	f.t.Helper()
	if def == nil {
		def = f.def()
	}
	l, err := paper.NewLayout(def, b.Group, b.Unit)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.svc.Key(f.ctx, intake.Keying{Batch: b, Def: def, Layout: l, KeyerID: keyer, Code: code, Entry: e, DurationMS: 15000})
}

// mustKey keys a code and fails the test on an error.
func (f *fixture) mustKey(b *store.Batch, def *campaign.Definition, keyer int64, code string, e paper.Entry) intake.Keyed {
	f.t.Helper()
	k, err := f.key(b, def, keyer, code, e)
	if err != nil {
		f.t.Fatalf("key %s by %d: %v", code, keyer, err)
	}
	return k
}

// openItem returns the open queue item about a form code, with its keyings and batch.
func (f *fixture) openItem(code string) *store.Conflict {
	f.t.Helper()
	list, err := f.db.Conflicts(f.ctx, f.camp.ID, true)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, c := range list {
		if c.Code == code {
			item, err := f.db.ConflictByID(f.ctx, c.ID)
			if err != nil {
				f.t.Fatal(err)
			}
			return item
		}
	}
	f.t.Fatalf("no open queue item for %s", code)
	return nil
}

// --- import ---

// importTable is an import file for S2 forms about SNV: the template's header and one row per
// code, received on 20/11/2026, every item marked with option 1.
func (f *fixture) importTable(codes []string) [][]string {
	f.t.Helper()
	l, err := paper.TemplateLayout(f.def(), "S2")
	if err != nil {
		f.t.Fatal(err)
	}
	table := [][]string{l.Columns()}
	for _, c := range codes {
		row := []string{c, "20/11/2026"}
		for range l.Items() {
			row = append(row, "1")
		}
		table = append(table, row)
	}
	return table
}

// column is the index of a column of an import table.
func column(t *testing.T, table [][]string, name string) int {
	t.Helper()
	for j, c := range table[0] {
		if c == name {
			return j
		}
	}
	t.Fatalf("no column %s", name)
	return -1
}

// xlsx writes a table as an Excel workbook, the way an institute's file comes.
func xlsx(t *testing.T, table [][]string) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	sheet := x.GetSheetName(0)
	for i, row := range table {
		cells := make([]any, len(row))
		for j, c := range row {
			cells[j] = c
		}
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.SetSheetRow(sheet, cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload imports a file through intake as the administrator.
func (f *fixture) upload(name string, data []byte) (intake.Imported, error) {
	return f.svc.Import(f.ctx, intake.ImportFile{CampaignID: f.camp.ID, Def: f.def(), UserID: f.staff, Name: name, Data: bytes.NewReader(data)})
}
