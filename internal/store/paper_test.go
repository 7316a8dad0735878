package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/formcode"
)

// paperFixture is a database with the demo campaign, its S2 forms for SNV issued, an enumerator
// who brought 3 of them back, and two keyers.
type paperFixture struct {
	db             *DB
	camp           *Campaign
	enum, k1, k2   int64
	batch          *Batch
	codes          []string
	supervisor     int64
	receivedOn     time.Time
	answersPerUnit int
}

func newPaperFixture(t *testing.T) *paperFixture {
	t.Helper()
	ctx := context.Background()
	db := openTest(t)
	camp, _, err := db.SaveDefinition(ctx, demo(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Issue(ctx, camp.ID, 0, []campaign.IssueTarget{{Group: "S2", Unit: "SNV", Channel: campaign.ChannelPaper, Quota: 5}}); err != nil {
		t.Fatal(err)
	}
	f := &paperFixture{db: db, camp: camp, receivedOn: time.Date(2026, 11, 20, 0, 0, 0, 0, campaign.Zone),
		answersPerUnit: len(camp.Def.Questionnaire("CH2").Questions())}
	for _, u := range []struct {
		name string
		role Role
		id   *int64
	}{{"dtv", RoleEnumerator, &f.enum}, {"k1", RoleEnumerator, &f.k1}, {"k2", RoleEnumerator, &f.k2}, {"gs", RoleSupervisor, &f.supervisor}} {
		user := &User{Username: u.name, FullName: "Cán bộ " + u.name, Role: u.role, PasswordHash: "x"}
		if err := db.CreateUser(ctx, user); err != nil {
			t.Fatal(err)
		}
		*u.id = user.ID
	}
	for i := 1; i <= 5; i++ {
		f.codes = append(f.codes, formcode.New("S2", "SNV", i))
	}
	if _, err := db.Assign(ctx, camp.ID, f.codes[:4], f.enum, f.supervisor); err != nil {
		t.Fatal(err)
	}
	f.batch = &Batch{CampaignID: camp.ID, Group: "S2", Unit: "SNV", ReturnedBy: f.enum, Count: 3, ReceivedOn: f.receivedOn}
	if err := db.RecordBatch(ctx, f.batch, f.supervisor); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *paperFixture) keying(code string, keyer int64, answers string) *NewKeying {
	return &NewKeying{BatchID: f.batch.ID, KeyerID: keyer, Code: code, Respondent: `{}`, Digest: answers,
		Units: []KeyingUnit{{Unit: "SNV", Answers: answers}}, DurationMS: 20000}
}

func (f *paperFixture) submission(answers string) *Submission {
	ids, _ := f.db.UnitIDs(context.Background(), f.camp.ID)
	return &Submission{Channel: "paper", Digest: answers, Respondent: "{}", ReceivedAt: f.receivedOn, Valid: true, Reasons: "[]",
		Answers: []UnitAnswers{{UnitID: ids["SNV"], Answers: answers, Valid: true}}}
}

func accept(sub *Submission) func(*KeyingState) (*KeyingPlan, error) {
	return func(*KeyingState) (*KeyingPlan, error) { return &KeyingPlan{Submission: sub}, nil }
}

func waitPlan(*KeyingState) (*KeyingPlan, error) { return &KeyingPlan{}, nil }

func TestBatches(t *testing.T) {
	ctx := context.Background()
	f := newPaperFixture(t)
	t.Run("a recorded batch is listed with its bearer and receipt day", func(t *testing.T) {
		list, err := f.db.Batches(ctx, f.camp.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("batches %v %v", list, err)
		}
		b := list[0]
		if b.ReturnedByName != "Cán bộ dtv" || b.Count != 3 || !b.ReceivedOn.Equal(f.receivedOn) || b.UnitName != "Sở Nội vụ" {
			t.Fatalf("batch %+v", b)
		}
	})
	t.Run("a batch for a unit outside the campaign is refused", func(t *testing.T) {
		err := f.db.RecordBatch(ctx, &Batch{CampaignID: f.camp.ID, Group: "S2", Unit: "NOPE", ReturnedBy: f.enum, Count: 1, ReceivedOn: f.receivedOn}, 0)
		if !errors.Is(err, ErrBadBatch) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("a batch of no forms is refused by the table itself", func(t *testing.T) {
		err := f.db.RecordBatch(ctx, &Batch{CampaignID: f.camp.ID, Group: "S2", Unit: "SNV", ReturnedBy: f.enum, Count: 0, ReceivedOn: f.receivedOn}, 0)
		if err == nil {
			t.Fatal("empty batch stored")
		}
	})
	t.Run("keyers are added once and listed", func(t *testing.T) {
		for i := 0; i < 2; i++ {
			if err := f.db.AddKeyer(ctx, f.camp.ID, f.k1, f.supervisor); err != nil {
				t.Fatal(err)
			}
		}
		list, _ := f.db.Keyers(ctx, f.camp.ID)
		ok, _ := f.db.IsKeyer(ctx, f.camp.ID, f.k1)
		other, _ := f.db.IsKeyer(ctx, f.camp.ID, f.k2)
		camps, _ := f.db.KeyerCampaigns(ctx, f.k1)
		if len(list) != 1 || !ok || other || len(camps) != 1 {
			t.Fatalf("keyers %v, k1 %v, k2 %v, campaigns %v", list, ok, other, camps)
		}
		f.db.RemoveKeyer(ctx, f.camp.ID, f.k1, f.supervisor)
		if ok, _ := f.db.IsKeyer(ctx, f.camp.ID, f.k1); ok {
			t.Fatal("removed keyer still keys")
		}
	})
}

func TestSaveKeying(t *testing.T) {
	ctx := context.Background()
	f := newPaperFixture(t)
	a := strings.Repeat("1", f.answersPerUnit)
	code := f.codes[0]

	t.Run("the first keying is stored and the state shows it to its keyer only", func(t *testing.T) {
		saved, err := f.saveDecided(ctx, f.keying(code, f.k1, a), waitPlan)
		if err != nil || saved.KeyingID == 0 || saved.Receipt != nil {
			t.Fatalf("saved %+v err %v", saved, err)
		}
		mine, _ := f.db.KeyingState(ctx, f.batch.ID, code, f.k1)
		theirs, _ := f.db.KeyingState(ctx, f.batch.ID, code, f.k2)
		if mine.Mine == nil || len(mine.Others) != 0 || theirs.Mine != nil || len(theirs.Others) != 1 || theirs.Others[0].Answers["SNV"] != a {
			t.Fatalf("mine %+v theirs %+v", mine, theirs)
		}
		if theirs.FormBatch != f.batch.ID || theirs.Response != nil {
			t.Fatalf("state %+v", theirs)
		}
	})
	t.Run("the same keyer keying the form again is refused by the unique constraint", func(t *testing.T) {
		_, err := f.saveDecided(ctx, f.keying(code, f.k1, a), waitPlan)
		if !errors.Is(err, ErrKeyedTwice) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("a refusal from decide stores nothing", func(t *testing.T) {
		no := errors.New("không nhận")
		_, err := f.saveDecided(ctx, f.keying(f.codes[1], f.k1, a), func(*KeyingState) (*KeyingPlan, error) { return nil, no })
		var n int
		f.db.ReadRow(ctx, `SELECT count(*) FROM keyings`, nil, &n)
		if !errors.Is(err, no) || n != 1 {
			t.Fatalf("err %v, %d keyings", err, n)
		}
	})
	t.Run("an agreeing second keying stores the response with the batch's receipt day", func(t *testing.T) {
		saved, err := f.saveDecided(ctx, f.keying(code, f.k2, a), accept(f.submission(a)))
		if err != nil || saved.Receipt == nil {
			t.Fatalf("saved %+v err %v", saved, err)
		}
		var channel, received string
		f.db.ReadRow(ctx, `SELECT channel, received_at FROM responses WHERE id = ?`, []any{saved.Receipt.ResponseID}, &channel, &received)
		if channel != "paper" || !parseTime(received).Equal(f.receivedOn) {
			t.Fatalf("response %s received %s", channel, received)
		}
		b, _ := f.db.BatchByID(ctx, f.batch.ID)
		if b.Keyed != 1 || b.Verified != 1 {
			t.Fatalf("batch progress %+v", b)
		}
	})
	t.Run("a differing second keying opens one queue item, and a second one is refused", func(t *testing.T) {
		f.saveDecided(ctx, f.keying(f.codes[1], f.k1, a), waitPlan)
		differ := func(*KeyingState) (*KeyingPlan, error) {
			return &KeyingPlan{Conflict: ConflictKeyingsDiffer, ConflictDetail: map[string]int{"items": 1}}, nil
		}
		saved, err := f.saveDecided(ctx, f.keying(f.codes[1], f.k2, "2"+a[1:]), differ)
		if err != nil || saved.ConflictID == 0 {
			t.Fatalf("saved %+v err %v", saved, err)
		}
		_, err = f.saveDecided(ctx, f.keying(f.codes[1], f.supervisor, a), differ)
		if !errors.Is(err, ErrInReview) {
			t.Fatalf("second queue item: %v", err)
		}
		if n, _ := f.db.OpenConflicts(ctx, f.camp.ID); n != 1 {
			t.Fatalf("%d open items", n)
		}
	})
	t.Run("keyings are evidence and cannot be changed or deleted", func(t *testing.T) {
		if _, err := f.db.write.Exec(`UPDATE keyings SET digest = 'x'`); err == nil {
			t.Fatal("a keying was changed")
		}
		if _, err := f.db.write.Exec(`DELETE FROM keyings`); err == nil {
			t.Fatal("a keying was deleted")
		}
	})
}

func TestAdjudicateAndKeepFirst(t *testing.T) {
	ctx := context.Background()
	f := newPaperFixture(t)
	a := strings.Repeat("1", f.answersPerUnit)
	b := "3" + a[1:]
	code := f.codes[0]
	f.saveDecided(ctx, f.keying(code, f.k1, a), waitPlan)
	saved, err := f.saveDecided(ctx, f.keying(code, f.k2, b), func(*KeyingState) (*KeyingPlan, error) {
		return &KeyingPlan{Conflict: ConflictKeyingsDiffer}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a queue item comes with both keyings, their keyers and the batch", func(t *testing.T) {
		c, err := f.db.ConflictByID(ctx, saved.ConflictID)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Open() || c.Code != code || len(c.Keyings) != 2 || c.Keyings[0].KeyerName != "Cán bộ k1" || c.Keyings[1].Answers["SNV"] != b || c.Batch.ID != f.batch.ID {
			t.Fatalf("item %+v", c)
		}
	})
	t.Run("adjudication stores the response, closes the item and writes who decided to the audit log", func(t *testing.T) {
		r, err := f.db.Adjudicate(ctx, saved.ConflictID, f.supervisor, f.submission("2"+a[1:]), `[{"item":"q_C1","first":"1","second":"3","chosen":"2"}]`)
		if err != nil || r.ResponseID == 0 {
			t.Fatalf("receipt %+v err %v", r, err)
		}
		c, _ := f.db.ConflictByID(ctx, saved.ConflictID)
		if c.Open() || c.Resolution != "adjudicated" || c.ResolvedBy != "Cán bộ gs" {
			t.Fatalf("item %+v", c)
		}
		log, _ := f.db.AuditLog(ctx, f.camp.ID, 1)
		if log[0].Action != "paper.adjudicate" || log[0].Username != "gs" || !strings.Contains(log[0].Detail, `"chosen":"2"`) {
			t.Fatalf("audit %+v", log[0])
		}
	})
	t.Run("deciding the same item twice is refused and stores nothing more", func(t *testing.T) {
		_, err := f.db.Adjudicate(ctx, saved.ConflictID, f.supervisor, f.submission(a), `[]`)
		if !errors.Is(err, ErrResolved) {
			t.Fatalf("err %v", err)
		}
		if n, _ := f.db.CountResponses(ctx, f.camp.ID); n != 1 {
			t.Fatalf("%d responses", n)
		}
	})
	t.Run("keeping the first response closes an item about a code answered online", func(t *testing.T) {
		online := f.submission(a)
		online.Channel = "online"
		form, _ := f.db.FormByCode(ctx, f.codes[1])
		online.FormID, online.CampaignID = form.ID, f.camp.ID
		if _, err := f.db.SaveSubmission(ctx, online); err != nil {
			t.Fatal(err)
		}
		s, err := f.saveDecided(ctx, f.keying(f.codes[1], f.k1, a), func(*KeyingState) (*KeyingPlan, error) {
			return &KeyingPlan{Conflict: ConflictAlreadyAnswered}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.KeepFirst(ctx, s.ConflictID, f.supervisor, "người trả lời đã gửi trực tuyến"); err != nil {
			t.Fatal(err)
		}
		st, _ := f.db.KeyingState(ctx, f.batch.ID, f.codes[1], f.k2)
		if !st.KeptFirst || st.OpenConflict != "" || st.Response.Channel != "online" {
			t.Fatalf("state %+v", st)
		}
	})
}

func TestPaperFigures(t *testing.T) {
	ctx := context.Background()
	f := newPaperFixture(t)
	a := strings.Repeat("1", f.answersPerUnit)
	f.saveDecided(ctx, f.keying(f.codes[0], f.k1, a), waitPlan)
	f.saveDecided(ctx, f.keying(f.codes[0], f.k2, a), accept(f.submission(a)))
	f.saveDecided(ctx, f.keying(f.codes[1], f.k1, a), waitPlan)

	t.Run("the reconciliation counts each stage and names the handed-out codes still missing", func(t *testing.T) {
		rows, err := f.db.PaperReconciliation(ctx, f.camp.ID)
		if err != nil || len(rows) != 1 {
			t.Fatalf("rows %+v err %v", rows, err)
		}
		r := rows[0]
		if r.Issued != 5 || r.HandedOut != 4 || r.Returned != 3 || r.Keyed != 2 || r.Verified != 1 || r.Valid != 1 || r.Missing != 2 {
			t.Fatalf("row %+v", r)
		}
		if strings.Join(r.MissingCodes, ",") != f.codes[2]+","+f.codes[3] {
			t.Fatalf("missing %v", r.MissingCodes)
		}
	})
	t.Run("only verified returns earn honoraria, with the bearer and the code", func(t *testing.T) {
		list, err := f.db.PaperReturns(ctx, f.camp.ID)
		if err != nil || len(list) != 1 || list[0].Enumerator != "Cán bộ dtv" || list[0].Code != f.codes[0] || !list[0].ReceivedOn.Equal(f.receivedOn) {
			t.Fatalf("returns %+v err %v", list, err)
		}
	})
	t.Run("keyer statistics count keyings, time spent and pairs compared per day", func(t *testing.T) {
		stats, err := f.db.KeyerStats(ctx, f.camp.ID)
		if err != nil || len(stats) != 2 {
			t.Fatalf("stats %+v err %v", stats, err)
		}
		var k1 KeyerDay
		for _, s := range stats {
			if s.KeyerID == f.k1 {
				k1 = s
			}
		}
		if k1.Keyed != 2 || k1.Duration != 40*time.Second || k1.Compared != 1 || k1.Differing != 0 || k1.Day.IsZero() {
			t.Fatalf("k1 %+v", k1)
		}
	})
}

func TestImportSubmissions(t *testing.T) {
	ctx := context.Background()
	f := newPaperFixture(t)
	a := strings.Repeat("2", f.answersPerUnit)
	facts, err := f.db.CodeFacts(ctx, f.camp.ID, f.codes)
	if err != nil || len(facts) != 5 {
		t.Fatalf("facts %v err %v", facts, err)
	}
	subs := func(codes ...string) []*Submission {
		var out []*Submission
		for _, c := range codes {
			s := f.submission(a)
			s.Channel = "import"
			s.FormID = facts[c].FormID
			out = append(out, s)
		}
		return out
	}
	t.Run("a file is stored whole", func(t *testing.T) {
		res, err := f.db.ImportSubmissions(ctx, f.camp.ID, f.supervisor, "a.xlsx", subs(f.codes[2], f.codes[3]))
		if err != nil || res.Stored != 2 {
			t.Fatalf("result %+v err %v", res, err)
		}
	})
	t.Run("the same file again is recognised and stores nothing more", func(t *testing.T) {
		res, err := f.db.ImportSubmissions(ctx, f.camp.ID, f.supervisor, "a.xlsx", subs(f.codes[2], f.codes[3]))
		if err != nil || res.Stored != 0 || res.Already != 2 {
			t.Fatalf("result %+v err %v", res, err)
		}
	})
	t.Run("one row clashing with a keyed form refuses the whole file", func(t *testing.T) {
		f.saveDecided(ctx, f.keying(f.codes[0], f.k1, a), waitPlan)
		res, err := f.db.ImportSubmissions(ctx, f.camp.ID, f.supervisor, "b.xlsx", subs(f.codes[4], f.codes[0]))
		if !errors.Is(err, ErrImportRefused) || !errors.Is(res.Failed[1], ErrKeyingInProgress) || len(res.Failed) != 1 {
			t.Fatalf("result %+v err %v", res, err)
		}
		if n, _ := f.db.CountResponses(ctx, f.camp.ID); n != 2 {
			t.Fatalf("%d responses after a refused file", n)
		}
	})
}

func TestConcurrentKeyingsOfOneFormCountOnce(t *testing.T) {
	ctx := context.Background()
	f := newPaperFixture(t)
	a := strings.Repeat("1", f.answersPerUnit)
	var keyers []int64
	for i := 0; i < 8; i++ {
		u := &User{Username: "kk" + string(rune('a'+i)), FullName: "Người nhập", Role: RoleEnumerator, PasswordHash: "x"}
		if err := f.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		keyers = append(keyers, u.ID)
	}
	refused := errors.New("đã đủ")
	// The rules of double entry, as the web layer applies them inside the transaction.
	decide := func(st *KeyingState) (*KeyingPlan, error) {
		switch {
		case st.Response != nil || len(st.Others) >= 2:
			return nil, refused
		case len(st.Others) == 0:
			return &KeyingPlan{}, nil
		}
		return &KeyingPlan{Submission: f.submission(a)}, nil
	}
	errs := make(chan error, len(keyers))
	for _, k := range keyers {
		go func(k int64) {
			_, err := f.saveDecided(ctx, f.keying(f.codes[0], k, a), decide)
			errs <- err
		}(k)
	}
	ok := 0
	for range keyers {
		err := <-errs
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, refused):
			t.Fatal(err)
		}
	}
	var keyings int
	f.db.ReadRow(ctx, `SELECT count(*) FROM keyings`, nil, &keyings)
	if n, _ := f.db.CountResponses(ctx, f.camp.ID); n != 1 || ok != 2 || keyings != 2 {
		t.Fatalf("%d responses, %d keyings taken, %d stored", n, ok, keyings)
	}
}

// saveDecided stores a keying the way intake does: read the state, decide, save under that
// state, and decide again when another writer changed it in between.
func (f *paperFixture) saveDecided(ctx context.Context, k *NewKeying, decide func(*KeyingState) (*KeyingPlan, error)) (*KeyingSaved, error) {
	for {
		st, err := f.db.KeyingState(ctx, k.BatchID, k.Code, k.KeyerID)
		if err != nil {
			return nil, err
		}
		plan, err := decide(st)
		if err != nil {
			return nil, err
		}
		saved, err := f.db.SaveKeying(ctx, k, st, plan)
		if errors.Is(err, ErrStale) {
			continue
		}
		return saved, err
	}
}
