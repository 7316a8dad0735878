package bench

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/store"
)

// The soak's final check is what makes its verdict worth anything: it must catch each thing a
// crash could leave behind — an acknowledged answer lost, stored under another receipt or with
// other answers, or a response without its answers.
func TestSoakVerifyCatchesWhatACrashCouldLeave(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	r := &soakRun{o: SoakOptions{Questions: 20}, out: &bytes.Buffer{}, db: filepath.Join(dir, "soak.db"), issued: map[int64]bool{}, acked: map[string]string{}}
	r.rng = newRand(1)
	if err := r.prepare(ctx); err != nil {
		t.Fatal(err)
	}
	forms, err := r.issue(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	r.sent = forms
	db, err := store.Open(r.db)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := db.UnitIDs(ctx, r.campID)
	if err != nil {
		t.Fatal(err)
	}
	var unitOf = map[int64]int64{}
	db.Forms(ctx, r.campID, store.FormFilter{Group: r.group}, func(f *store.IssuedForm) error {
		unitOf[f.ID] = ids[f.Unit]
		return nil
	})
	save := func(x *soakForm, answers string, withAnswers bool) string {
		sub := &store.Submission{FormID: x.id, CampaignID: r.campID, Channel: "online", SubmissionID: x.sid, Digest: "d-" + x.sid,
			Respondent: "{}", ReceivedAt: time.Now(), Valid: true, Reasons: "[]"}
		if withAnswers {
			sub.Answers = []store.UnitAnswers{{UnitID: unitOf[x.id], Answers: answers, Valid: true}}
		}
		rc, err := db.SaveSubmission(ctx, sub)
		if err != nil {
			t.Fatal(err)
		}
		return rc.Number
	}
	// 0: stored whole and acknowledged: right. 1: acknowledged, never stored. 2: stored with
	// other answers. 3: stored under another receipt. 4: stored without its answers.
	r.ack(forms[0], save(forms[0], forms[0].answers, true))
	r.ack(forms[1], "KHONGCO1")
	r.ack(forms[2], save(forms[2], strings.Repeat("1", len(forms[2].answers)-1)+"2", true))
	save(forms[3], forms[3].answers, true)
	r.ack(forms[3], "SAIBIENNHAN")
	r.ack(forms[4], save(forms[4], "", false))
	db.Close()
	if err := r.verify(ctx); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(r.violations, "\n")
	for _, want := range []string{forms[1].code + ": 0 phiếu lưu", forms[2].code + ": 1 phiếu lưu", "câu trả lời khớp: false",
		forms[3].code + `: 1 phiếu lưu, biên nhận`, `(đã xác nhận "SAIBIENNHAN")`, "phiếu lưu dở: 1 không có câu trả lời"} {
		if !strings.Contains(got, want) {
			t.Errorf("no violation %q among:\n%s", want, got)
		}
	}
	if strings.Contains(got, forms[0].code) {
		t.Errorf("the form stored right is reported:\n%s", got)
	}
}
