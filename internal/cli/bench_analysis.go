package cli

import (
	"context"
	"flag"

	"github.com/parsurvey/parsurvey/internal/bench"
)

// benchAnalysis times the analysis outputs of issue 14 on a synthetic campaign.
func benchAnalysis(ctx context.Context, args []string, env Env) error {
	fs := flag.NewFlagSet("parsurvey bench analysis", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	o := bench.AnalysisOptions{}
	fs.IntVar(&o.Units, "units", 500, "số đơn vị được đánh giá")
	fs.IntVar(&o.PerUnit, "per-unit", 50, "số phiếu mỗi nhóm cho mỗi đơn vị (4 nhóm)")
	fs.StringVar(&o.DB, "db", "", "tệp cơ sở dữ liệu giữ lại để dùng cho lần đo sau (mặc định: tệp tạm, xóa khi xong)")
	fs.BoolVar(&o.Bootstrap, "bootstrap", false, "đo cả khoảng tin cậy 95% (tính lại điểm 200 lần)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return bench.Analysis(ctx, o, env.Stdout)
}
