package cli

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/testenv"
)

// runVerify runs `parsurvey verify path` and returns its output and error.
func runVerify(t *testing.T, path string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := Run(context.Background(), []string{"verify", path}, Env{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return out.String(), err
}

func TestVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "parsurvey.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	camp := testenv.Demo(t, db)
	if _, err := db.Issue(ctx, camp.ID, 0, []campaign.IssueTarget{{Group: "S2", Unit: "SNV", Channel: campaign.ChannelOnline, Quota: 2}}); err != nil {
		t.Fatal(err)
	}
	var forms []*store.IssuedForm
	db.Forms(ctx, camp.ID, store.FormFilter{}, func(f *store.IssuedForm) error { forms = append(forms, f); return nil })
	ids, _ := db.UnitIDs(ctx, camp.ID)
	for _, f := range forms {
		if _, err := db.SaveSubmission(ctx, &store.Submission{FormID: f.ID, CampaignID: camp.ID, Channel: "online", Digest: f.Code,
			Respondent: "{}", ReceivedAt: db.Now(), Valid: true, Reasons: "[]", Answers: []store.UnitAnswers{{UnitID: ids["SNV"], Answers: "1111", Valid: true}}}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	t.Run("an untouched database verifies", func(t *testing.T) {
		out, err := runVerify(t, path)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		for _, want := range []string{"Phiếu trả lời: 2 phiếu, 2 phiếu khớp niêm phong.", "Không phát hiện thay đổi nào ngoài parsurvey.", "Đầu chuỗi băm: dòng "} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("an answer changed with sqlite3 on a copy fails it", func(t *testing.T) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		tampered := filepath.Join(dir, "copy.db")
		if err := os.WriteFile(tampered, b, 0o644); err != nil {
			t.Fatal(err)
		}
		raw, err := sql.Open("sqlite3", tampered)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(`UPDATE response_answers SET answers = '4444' WHERE response_id = 1`); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		out, err := runVerify(t, tampered)
		if err == nil || !strings.Contains(out, "phiếu trả lời số 1") || !strings.Contains(out, "được ghi ngoài parsurvey") {
			t.Fatalf("verify = %v\n%s", err, out)
		}
	})
	t.Run("a missing file is told, not created", func(t *testing.T) {
		missing := filepath.Join(dir, "khong-co.db")
		if _, err := runVerify(t, missing); err == nil || !strings.Contains(err.Error(), "không có cơ sở dữ liệu") {
			t.Fatalf("err = %v", err)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Fatal("verify created the file")
		}
	})
}
