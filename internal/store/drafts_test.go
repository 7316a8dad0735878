package store

import (
	"context"
	"errors"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
)

// draftFixture is a database with three online forms of the council delegates' matrix group.
func draftFixture(t *testing.T) (*DB, *Campaign, []*IssuedForm) {
	t.Helper()
	ctx := context.Background()
	db := openTest(t)
	camp, _, err := db.SaveDefinition(ctx, demo(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Issue(ctx, camp.ID, 0, []campaign.IssueTarget{{Group: "S1", Channel: campaign.ChannelOnline, Quota: 3}}); err != nil {
		t.Fatal(err)
	}
	var forms []*IssuedForm
	db.Forms(ctx, camp.ID, FormFilter{}, func(f *IssuedForm) error {
		forms = append(forms, f)
		return nil
	})
	if len(forms) != 3 {
		t.Fatalf("%d forms issued", len(forms))
	}
	return db, camp, forms
}

func TestDrafts(t *testing.T) {
	ctx := context.Background()
	db, camp, forms := draftFixture(t)
	f := forms[0]

	t.Run("a form without a draft has none", func(t *testing.T) {
		if _, err := db.Draft(ctx, f.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Draft = %v, want ErrNotFound", err)
		}
	})

	t.Run("a first save is revision 1 and reads back as saved", func(t *testing.T) {
		rev, err := db.SaveDraft(ctx, &Draft{FormID: f.ID, Values: map[string]string{"q_C1_SNV": "2", "s_STP": "1"}, SubmissionID: "sid-1"}, 0)
		if err != nil || rev != 1 {
			t.Fatalf("SaveDraft = %d, %v", rev, err)
		}
		d, err := db.Draft(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Revision != 1 || d.SubmissionID != "sid-1" || d.Values["q_C1_SNV"] != "2" || d.Values["s_STP"] != "1" || d.SavedAt.IsZero() {
			t.Fatalf("draft %+v", d)
		}
	})

	t.Run("a save from the stored revision replaces the answers and counts one up", func(t *testing.T) {
		rev, err := db.SaveDraft(ctx, &Draft{FormID: f.ID, Values: map[string]string{"q_C1_SNV": "3"}, SubmissionID: "sid-1"}, 1)
		if err != nil || rev != 2 {
			t.Fatalf("SaveDraft = %d, %v", rev, err)
		}
		d, _ := db.Draft(ctx, f.ID)
		if len(d.Values) != 1 || d.Values["q_C1_SNV"] != "3" {
			t.Fatalf("values %v", d.Values)
		}
	})

	t.Run("a save from an older revision is refused: another device saved in between", func(t *testing.T) {
		for _, base := range []int{0, 1, 3} {
			if _, err := db.SaveDraft(ctx, &Draft{FormID: f.ID, Values: map[string]string{}}, base); !errors.Is(err, ErrDraftStale) {
				t.Errorf("base %d: %v, want ErrDraftStale", base, err)
			}
		}
		if d, _ := db.Draft(ctx, f.ID); d.Revision != 2 || d.Values["q_C1_SNV"] != "3" {
			t.Fatalf("a refused save changed the draft: %+v", d)
		}
	})

	t.Run("a save from any revision (a page without its script) replaces whatever is stored", func(t *testing.T) {
		if rev, err := db.SaveDraft(ctx, &Draft{FormID: f.ID, Values: map[string]string{"q_C2_SNV": "1"}}, AnyRevision); err != nil || rev != 3 {
			t.Fatalf("SaveDraft = %d, %v", rev, err)
		}
	})

	t.Run("the response that answers the form ends its draft in the same transaction", func(t *testing.T) {
		ids, _ := db.UnitIDs(ctx, camp.ID)
		sub := &Submission{FormID: f.ID, CampaignID: camp.ID, Channel: "online", SubmissionID: "sid-1", Digest: "d1",
			Respondent: "{}", Valid: true, Reasons: "[]", ReceivedAt: db.Now(), Answers: []UnitAnswers{{UnitID: ids["SNV"], Answers: "1", Valid: true}}}
		if _, err := db.SaveSubmission(ctx, sub); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Draft(ctx, f.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("draft after the response: %v", err)
		}
		if _, err := db.SaveDraft(ctx, &Draft{FormID: f.ID, Values: map[string]string{}}, AnyRevision); !errors.Is(err, ErrAnswered) {
			t.Fatalf("a save after the response: %v, want ErrAnswered", err)
		}
		if _, err := db.Draft(ctx, f.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a refused save left a draft: %v", err)
		}
	})

	t.Run("voiding a form ends its draft, and a voided form takes none", func(t *testing.T) {
		g := forms[1]
		if _, err := db.SaveDraft(ctx, &Draft{FormID: g.ID, Values: map[string]string{"q_C1_SNV": "1"}}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.VoidForm(ctx, g.Code, "mất phiếu", false, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Draft(ctx, g.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("draft of a voided form: %v", err)
		}
		if _, err := db.SaveDraft(ctx, &Draft{FormID: g.ID, Values: map[string]string{}}, AnyRevision); !errors.Is(err, ErrVoided) {
			t.Fatalf("a save to a voided form: %v, want ErrVoided", err)
		}
	})

	t.Run("another form's draft is its own", func(t *testing.T) {
		if _, err := db.Draft(ctx, forms[2].ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("%v", err)
		}
	})
}
