package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/export"
	"github.com/parsurvey/parsurvey/internal/scorerun"
	"github.com/parsurvey/parsurvey/internal/scoring"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

const scoreUsage = "cách dùng: parsurvey score MÃ_ĐỢT [--out TỆP.xlsx|.csv|.json|.pdf] [--run N] [--responses]"

func init() {
	register("score", "tính điểm và xuất kết quả: parsurvey score MÃ_ĐỢT [--out TỆP.xlsx|.csv|.json|.pdf] [--run N]", scoreCmd)
}

// scoreCmd scores a campaign from the database (a new run, kept like one made on the results
// page, or the newest run again when its inputs have not changed) or reads an earlier run,
// prints the ranking and writes the file named by --out.
func scoreCmd(ctx context.Context, args []string, env Env) error {
	var out string
	var runID int64
	var responses bool
	db, _, fs, err := openStore("score", args, env, nil, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "tệp kết quả: .xlsx (toàn bộ số liệu), .pdf (báo cáo), .json (như JSON API), .csv (điểm từng đơn vị)")
		fs.Int64Var(&runID, "run", 0, "xuất một lần tính điểm đã có thay vì tính lại")
		fs.BoolVar(&responses, "responses", false, "với --out TỆP.csv: xuất toàn bộ phiếu thay cho điểm")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if fs.NArg() != 1 {
		return errors.New(scoreUsage)
	}
	c, err := campaignByName(ctx, db, fs.Arg(0))
	if err != nil {
		return err
	}
	ext := strings.ToLower(filepath.Ext(out))
	if out != "" && ext != ".xlsx" && ext != ".csv" && ext != ".json" && ext != ".pdf" {
		return fmt.Errorf("tệp %s: chỉ xuất được .xlsx, .csv, .json hoặc .pdf", out)
	}
	var run *scorerun.Run
	start := time.Now()
	if runID > 0 {
		run, err = scorerun.Load(ctx, db, c.ID, runID)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("đợt khảo sát %s không có lần tính điểm số %d", c.Code, runID)
		}
	} else {
		run, err = scorerun.ComputeAndSave(ctx, db, c.ID, 0)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s — lần tính điểm số %d (%s, %v): %s phiếu hợp lệ được tính; mã đối chiếu dữ liệu đầu vào %s\n",
		c.Code, run.ID, vn.DateTime(run.CreatedAt), time.Since(start).Round(time.Millisecond), vn.Int(run.Result.Forms), run.InputDigest)
	if run.Reused {
		fmt.Fprintf(env.Stdout, "Dữ liệu không thay đổi kể từ lần tính điểm số %d nên không tạo lần tính mới; dùng lại lần số %d.\n", run.ID, run.ID)
	}
	printRanking(env.Stdout, run)
	if out == "" {
		return nil
	}
	start = time.Now()
	rows := func(only bool, fn func(*store.ResponseRow) error) error {
		return db.ResponseRows(ctx, c.ID, only, fn)
	}
	err = writeFile(out, func(w io.Writer) error {
		switch {
		case ext == ".xlsx":
			return export.WriteXLSX(w, run, rows)
		case ext == ".pdf":
			return export.WriteReportPDF(w, run)
		case ext == ".json":
			return export.WriteJSON(w, run)
		case responses:
			return export.WriteResponsesCSV(w, run.Def, rows)
		default:
			return export.WriteScoresCSV(w, run)
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Đã ghi %s (%v).\n", out, time.Since(start).Round(time.Millisecond))
	return nil
}

// writeFile writes through a temporary file beside the target and renames it into place, so a
// failed export leaves no half-written file behind.
func writeFile(path string, write func(w io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".parsurvey-*")
	if err != nil {
		return fmt.Errorf("ghi %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("ghi %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("ghi %s: %w", path, err)
	}
	return nil
}

// printRanking prints each kind's ranking: rank, code, total, percent, band, warnings.
func printRanking(w io.Writer, run *scorerun.Run) {
	kind := ""
	for _, u := range export.Ranking(run.Result, run.Def) {
		if u.Kind != kind {
			kind = u.Kind
			fmt.Fprintf(w, "\n%s\n", export.KindName(run.Def, kind))
		}
		pct := ""
		if u.Percent != nil {
			pct = scoring.FormatVN(u.Percent) + "%"
		}
		note := ""
		if n := len(u.Flags); n > 0 {
			note = fmt.Sprintf("  (%d cảnh báo)", n)
		}
		fmt.Fprintf(w, "%4d  %-10s %-42s %8s %9s  %s%s\n", u.Rank, u.Unit, export.UnitName(run.Def, u.Unit), scoring.FormatVN(u.Total), pct, u.BandName, note)
	}
}
