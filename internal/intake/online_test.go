package intake_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/fault"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/store"
)

// fieldNames lists the names of an Invalid error's fields, failing the test on any other error.
func fieldNames(t *testing.T, err error) []string {
	t.Helper()
	fe := fault.As(err)
	if fe == nil || fe.Kind != fault.Invalid {
		t.Fatalf("want an Invalid error, got %v (kind %v)", err, fault.KindOf(err))
	}
	names := make([]string, len(fe.Fields))
	for i, fl := range fe.Fields {
		names[i] = fl.Name
	}
	return names
}

func TestSubmitOnline(t *testing.T) {
	f := newFixture(t)
	s3 := f.forms("S3", "SNV") // CH3: a single-unit form of 24 scored questions, answered online
	responsesOf := func(form *store.IssuedForm) int {
		return f.count(`SELECT count(*) FROM responses WHERE form_id = ?`, form.ID)
	}
	var first store.Receipt

	t.Run("a complete form is stored valid with a receipt", func(t *testing.T) {
		r, err := f.svc.Submit(f.ctx, f.online(s3[0], "sid-0"))
		if err != nil || r.Number == "" || r.ResponseID == 0 || r.Replayed {
			t.Fatalf("receipt %+v, err %v", r, err)
		}
		first = r
		var channel, sid, received, reasons, respondent string
		var valid int
		if err := f.db.ReadRow(f.ctx, `SELECT channel, submission_id, received_at, valid, reasons, respondent FROM responses WHERE id = ? AND form_id = ? AND receipt = ?`,
			[]any{r.ResponseID, s3[0].ID, r.Number}, &channel, &sid, &received, &valid, &reasons, &respondent); err != nil {
			t.Fatal(err)
		}
		if channel != "online" || sid != "sid-0" || valid != 1 || reasons != "[]" || !strings.Contains(respondent, `"gioi_tinh":"Nam"`) {
			t.Fatalf("stored %s %s valid=%d reasons=%s respondent=%s", channel, sid, valid, reasons, respondent)
		}
		if at, _ := time.Parse(time.RFC3339Nano, received); !at.Equal(inWindow) {
			t.Fatalf("received at %s, want the submission's time", received)
		}
		if got := f.text(`SELECT answers FROM response_answers WHERE response_id = ? AND valid = 1 AND unit_id = ?`, r.ResponseID, f.unitIDs["SNV"]); got != strings.Repeat("1", 24) {
			t.Fatalf("answers %q", got)
		}
		if f.count(`SELECT count(*) FROM issued_forms WHERE id = ? AND token_used_at IS NOT NULL`, s3[0].ID) != 1 {
			t.Fatal("the link was not marked used")
		}
	})

	t.Run("a replay of the same submission returns the same receipt and stores nothing more", func(t *testing.T) {
		r, err := f.svc.Submit(f.ctx, f.online(s3[0], "sid-0"))
		if err != nil || r.Number != first.Number || r.ResponseID != first.ResponseID || !r.Replayed {
			t.Fatalf("replay %+v (first %+v), err %v", r, first, err)
		}
		if n := f.count(`SELECT count(*) FROM responses`); n != 1 {
			t.Fatalf("%d responses", n)
		}
		if n := f.count(`SELECT count(*) FROM response_answers`); n != 1 {
			t.Fatalf("%d answer rows", n)
		}
	})

	t.Run("different answers for an answered code are refused as a conflict", func(t *testing.T) {
		in := f.online(s3[0], "sid-other")
		in.Values[questionName(in, 0, "SNV")] = "2"
		_, err := f.svc.Submit(f.ctx, in)
		if !errors.Is(err, store.ErrConflict) || fault.KindOf(err) != fault.Conflict {
			t.Fatalf("err %v", err)
		}
		if responsesOf(s3[0]) != 1 || f.text(`SELECT answers FROM response_answers WHERE response_id = ?`, first.ResponseID)[0] != '1' {
			t.Fatal("the stored response changed")
		}
		if f.count(`SELECT count(*) FROM responses WHERE submission_id = 'sid-other'`) != 0 {
			t.Fatal("the refused submission was stored")
		}
	})

	t.Run("a question posted twice is stored as a double mark", func(t *testing.T) {
		in := f.online(s3[1], "sid-1")
		in.Repeated[questionName(in, 0, "SNV")] = true
		r, err := f.svc.Submit(f.ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.text(`SELECT answers FROM response_answers WHERE response_id = ?`, r.ResponseID); got != "*"+strings.Repeat("1", 23) {
			t.Fatalf("answers %q", got)
		}
		if f.count(`SELECT count(*) FROM responses WHERE id = ? AND valid = 1`, r.ResponseID) != 1 {
			t.Fatal("23 of 24 answered is valid")
		}
	})

	t.Run("a double mark counts as unanswered", func(t *testing.T) {
		// 17 of 24 answered is just above the 70% minimum; with one of them marked twice only 16 count.
		in := f.online(s3[2], "sid-2")
		answerOnly(in, "SNV", 17)
		in.Repeated[questionName(in, 0, "SNV")] = true
		_, err := f.svc.Submit(f.ctx, in)
		if names := fieldNames(t, err); len(names) != 1 || names[0] != questionName(in, 0, "SNV") {
			t.Fatalf("fields %v", names)
		}
		if msg := fault.As(err).Fields[0].Msg; !strings.Contains(msg, "16/24") || !strings.Contains(msg, "ít nhất 17") {
			t.Fatalf("message %q", msg)
		}
		if responsesOf(s3[2]) != 0 {
			t.Fatal("a refused form was stored")
		}
		delete(in.Repeated, questionName(in, 0, "SNV"))
		if _, err := f.svc.Submit(f.ctx, in); err != nil {
			t.Fatalf("the same form marked once: %v", err)
		}
		if f.count(`SELECT count(*) FROM responses WHERE form_id = ? AND valid = 1`, s3[2].ID) != 1 {
			t.Fatal("17 of 24 answered once each is valid")
		}
	})

	for i, tc := range []struct {
		name string
		edit func(in intake.Online)
		// field is the name the error must list first; msg a part of its message.
		field, msg string
	}{
		{"too few answers names the first unanswered scored question",
			func(in intake.Online) { answerOnly(in, "SNV", 10); delete(in.Values, questionName(in, 2, "SNV")) },
			"q_C3", "mới trả lời 9/24 câu hỏi; cần trả lời ít nhất 17 câu"},
		{"an option out of range is an error on its question",
			func(in intake.Online) { in.Values[questionName(in, 4, "SNV")] = "9" },
			"q_C5", "Lựa chọn không hợp lệ"},
		{"an answer that is no option number is an error on its question",
			func(in intake.Online) { in.Values[questionName(in, 4, "SNV")] = "Tốt" },
			"q_C5", "Lựa chọn không hợp lệ"},
		{"a missing respondent field is an error on that field",
			func(in intake.Online) { delete(in.Values, "r_gioi_tinh") },
			"r_gioi_tinh", "Vui lòng chọn «Giới tính»"},
		{"a respondent field posted twice is an error on that field",
			func(in intake.Online) { in.Repeated["r_gioi_tinh"] = true },
			"r_gioi_tinh", "không hợp lệ"},
	} {
		t.Run(tc.name+" and nothing is stored", func(t *testing.T) {
			form := s3[3+i]
			in := f.online(form, "sid-bad")
			tc.edit(in)
			_, err := f.svc.Submit(f.ctx, in)
			names := fieldNames(t, err)
			if len(names) == 0 || names[0] != tc.field {
				t.Fatalf("fields %v, want %s first", names, tc.field)
			}
			if msg := fault.As(err).Fields[0].Msg; !strings.Contains(msg, tc.msg) {
				t.Fatalf("message %q, want %q", msg, tc.msg)
			}
			if responsesOf(form) != 0 || f.count(`SELECT count(*) FROM issued_forms WHERE id = ? AND token_used_at IS NULL`, form.ID) != 1 {
				t.Fatal("a refused form was stored")
			}
		})
	}

	t.Run("a form that arrives after the window closes is stored invalid with its reason", func(t *testing.T) {
		in := f.online(s3[9], "sid-late")
		in.At = time.Date(2027, 1, 1, 8, 0, 0, 0, campaign.Zone)
		r, err := f.svc.Submit(f.ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		reasons := f.text(`SELECT reasons FROM responses WHERE id = ? AND valid = 0`, r.ResponseID)
		if !strings.Contains(reasons, "outside_window") {
			t.Fatalf("reasons %s", reasons)
		}
		if f.count(`SELECT count(*) FROM response_answers WHERE response_id = ? AND valid = 0`, r.ResponseID) != 1 {
			t.Fatal("the unit row counts")
		}
	})
}

func TestSubmitOnlineRefusedByTheStore(t *testing.T) {
	f := newFixture(t)
	s3 := f.forms("S3", "SNV")

	t.Run("eight identical posts at once store one response and all get its receipt", func(t *testing.T) {
		in := f.online(s3[0], "sid-burst")
		receipts := make([]store.Receipt, 8)
		errs := make([]error, 8)
		var wg sync.WaitGroup
		for i := range receipts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				receipts[i], errs[i] = f.svc.Submit(f.ctx, in)
			}()
		}
		wg.Wait()
		replayed := 0
		for i, r := range receipts {
			if errs[i] != nil || r.Number != receipts[0].Number {
				t.Fatalf("post %d: %+v, %v (first %+v)", i, r, errs[i], receipts[0])
			}
			if r.Replayed {
				replayed++
			}
		}
		if replayed != 7 || f.count(`SELECT count(*) FROM responses WHERE form_id = ?`, s3[0].ID) != 1 {
			t.Fatalf("%d replays, %d responses", replayed, f.count(`SELECT count(*) FROM responses`))
		}
	})

	t.Run("a post for a voided form is refused and stores nothing", func(t *testing.T) {
		in := f.online(s3[1], "sid-void")
		if _, err := f.db.VoidForm(f.ctx, s3[1].Code, "mất phiếu", false, f.staff); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Submit(f.ctx, in); !errors.Is(err, store.ErrVoided) {
			t.Fatalf("err %v", err)
		}
		if f.count(`SELECT count(*) FROM responses WHERE form_id = ?`, s3[1].ID) != 0 {
			t.Fatal("stored")
		}
	})

	t.Run("a post after the campaign is locked is refused as closed and stores nothing", func(t *testing.T) {
		in := f.online(s3[2], "sid-locked")
		if err := f.db.LockCampaign(f.ctx, f.camp.ID, f.staff); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Submit(f.ctx, in)
		if !errors.Is(err, store.ErrCampaignLocked) || fault.KindOf(err) != fault.Closed {
			t.Fatalf("err %v", err)
		}
		if f.count(`SELECT count(*) FROM responses WHERE form_id = ?`, s3[2].ID) != 0 {
			t.Fatal("stored")
		}
	})
}

func TestSubmitMatrix(t *testing.T) {
	f := newFixture(t)
	s1 := f.forms("S1", "") // CH1: a matrix form, 22 questions about each of the 12 Sở
	units := f.def().UnitsOfKind("so")

	t.Run("a matrix form stores one answer row per unit, judged per unit", func(t *testing.T) {
		in := f.online(s1[0], "sid-m0")
		want := map[int64]string{}
		for ui, u := range units {
			mark := string(rune('1' + ui%4))
			for i := range in.Questionnaire.Questions() {
				in.Values[questionName(in, i, u.Code)] = mark
			}
			want[f.unitIDs[u.Code]] = strings.Repeat(mark, 22)
		}
		r, err := f.svc.Submit(f.ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if n := f.count(`SELECT count(*) FROM response_answers WHERE response_id = ? AND valid = 1`, r.ResponseID); n != len(units) {
			t.Fatalf("%d valid unit rows, want %d", n, len(units))
		}
		for id, answers := range want {
			if got := f.text(`SELECT answers FROM response_answers WHERE response_id = ? AND unit_id = ?`, r.ResponseID, id); got != answers {
				t.Fatalf("unit %d answers %q, want %q", id, got, answers)
			}
		}
		if f.count(`SELECT count(*) FROM responses WHERE id = ? AND valid = 1 AND channel = 'online'`, r.ResponseID) != 1 {
			t.Fatal("the form is not valid")
		}
	})

	t.Run("a matrix form short of answers about one unit is refused on that unit's first unanswered question", func(t *testing.T) {
		in := f.online(s1[1], "sid-m1")
		answerOnly(in, "TTT", 5)
		_, err := f.svc.Submit(f.ctx, in)
		names := fieldNames(t, err)
		if len(names) != 1 || names[0] != "q_C6_TTT" {
			t.Fatalf("fields %v", names)
		}
		if msg := fault.As(err).Fields[0].Msg; !strings.HasPrefix(msg, "Thanh tra tỉnh: ") || !strings.Contains(msg, "5/22") {
			t.Fatalf("message %q", msg)
		}
		if f.count(`SELECT count(*) FROM responses WHERE form_id = ?`, s1[1].ID) != 0 {
			t.Fatal("a refused form was stored")
		}
	})
}

func TestSubmitAfterRuleChange(t *testing.T) {
	f := newFixture(t)
	form := f.forms("S3", "SNV")[0]
	sparse := func(def *campaign.Definition) intake.Online {
		in := f.online(form, "sid-sparse")
		in.Def = def
		answerOnly(in, "SNV", 10) // 10 of 24: 41.6%
		return in
	}
	base := f.def()
	var stored store.Receipt

	t.Run("a sparse form is refused under the definition's 70%", func(t *testing.T) {
		_, err := f.svc.Submit(f.ctx, sparse(base))
		if names := fieldNames(t, err); len(names) != 1 || names[0] != "q_C11" {
			t.Fatalf("fields %v", names)
		}
		if f.count(`SELECT count(*) FROM responses`) != 0 {
			t.Fatal("stored")
		}
	})

	rv := f.changeRules(func(e *campaign.Effective) { e.MinAnsweredPercent = percent(40) })

	t.Run("a lowered minimum stores the same form valid under the effective definition", func(t *testing.T) {
		if rv.Judged != 0 {
			t.Fatalf("judged %d with nothing stored", rv.Judged)
		}
		r, err := f.svc.Submit(f.ctx, sparse(f.def()))
		if err != nil {
			t.Fatal(err)
		}
		if f.count(`SELECT count(*) FROM responses WHERE id = ? AND valid = 1 AND reasons = '[]'`, r.ResponseID) != 1 {
			t.Fatal("the sparse form is not stored valid")
		}
		stored = r
	})

	t.Run("raising the minimum again judges the stored form invalid and keeps it", func(t *testing.T) {
		rv := f.changeRules(func(e *campaign.Effective) { e.MinAnsweredPercent = percent(70) })
		if rv.Judged != 1 || rv.Changed != 1 || rv.ValidAfter != 0 {
			t.Fatalf("revalidation %+v", rv)
		}
		if f.count(`SELECT count(*) FROM responses WHERE id = ? AND valid = 0 AND reasons LIKE '%too_few_answers%'`, stored.ResponseID) != 1 {
			t.Fatal("the stored form is not judged invalid")
		}
	})

	// Submit's contract: "A replay of the same submission returns the same receipt." A browser
	// may resend a post whose answer it lost, after the rules changed in between.
	t.Run("a replay of the stored submission after the rule change still returns its receipt", func(t *testing.T) {
		r, err := f.svc.Submit(f.ctx, sparse(f.def()))
		if err != nil || r.Number != stored.Number || !r.Replayed {
			t.Errorf("replay: %+v, %v; want receipt %s again", r, err, stored.Number)
		}
		if f.count(`SELECT count(*) FROM responses`) != 1 {
			t.Fatal("stored twice")
		}
	})
}
