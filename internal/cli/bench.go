package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/parsurvey/parsurvey/internal/bench"
	"github.com/parsurvey/parsurvey/internal/store"
)

func init() {
	register("bench", "đo tải trên loopback: parsurvey bench submit [--n 20000] [--clients 64] [--db postgres://…] | bench abuse [--slow 500] [--floods 800] | bench soak [--n 3000] [--kills 5] | bench analysis [--units 500] [--per-unit 50]", benchCmd)
}

func benchCmd(ctx context.Context, args []string, env Env) error {
	if len(args) > 0 && args[0] == "abuse" {
		return benchAbuse(ctx, args[1:], env)
	}
	if len(args) > 0 && args[0] == "soak" {
		return benchSoak(ctx, args[1:], env)
	}
	if len(args) > 0 && args[0] == "analysis" {
		return benchAnalysis(ctx, args[1:], env)
	}
	if len(args) == 0 || args[0] != "submit" {
		return fmt.Errorf("cách dùng: parsurvey bench submit [--n 20000] [--clients 64] [--db postgres://…] | parsurvey bench abuse [--slow 500] [--floods 800] | parsurvey bench analysis [--units 500] [--per-unit 50]")
	}
	fs := flag.NewFlagSet("parsurvey bench submit", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	o := bench.SubmitOptions{}
	fs.IntVar(&o.N, "n", 20000, "số mã phiếu phát và gửi")
	fs.IntVar(&o.Clients, "clients", 64, "số máy khách đồng thời")
	fs.StringVar(&o.Dir, "dir", "", "thư mục chứa cơ sở dữ liệu tạm (mặc định: thư mục tạm, xóa khi xong)")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "ghi hồ sơ CPU của pha gửi phiếu vào tệp này")
	fs.StringVar(&o.Postgres, "db", "", "địa chỉ postgres://… của một cơ sở dữ liệu PostgreSQL để đo thêm trên đó, trong các schema tạm (xóa khi xong), rồi so với SQLite")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if o.Postgres != "" && !store.IsPostgres(o.Postgres) {
		return fmt.Errorf("--db của bench submit là địa chỉ postgres://…: SQLite luôn được đo trong thư mục tạm")
	}
	return bench.Submit(ctx, o, env.Stdout)
}

// benchAbuse runs the hostile-load check of issue 10 against a child server process.
func benchAbuse(ctx context.Context, args []string, env Env) error {
	fs := flag.NewFlagSet("parsurvey bench abuse", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	o := bench.AbuseOptions{}
	fs.IntVar(&o.Slow, "slow", 500, "số kết nối khai báo thân lớn rồi chỉ gửi 3 byte")
	fs.IntVar(&o.SlowLength, "slow-length", 30000000, "Content-Length các kết nối đó khai báo")
	fs.DurationVar(&o.Hold, "hold", 5*time.Second, "thời gian giữ các kết nối đó")
	fs.IntVar(&o.Floods, "floods", 800, "số lần gửi biểu mẫu có trường lặp")
	fs.IntVar(&o.FloodSize, "flood-size", 8<<20, "kích thước lớn nhất của một lần gửi (byte)")
	fs.IntVar(&o.Clients, "clients", 100, "số lần gửi đồng thời")
	fs.IntVar(&o.LimitMB, "limit-mb", 300, "RSS tối đa cho phép của máy chủ (MB)")
	fs.StringVar(&o.Server, "server", "", "tệp chạy parsurvey cần đo (mặc định: chính tệp này)")
	fs.StringVar(&o.Dir, "dir", "", "thư mục chứa cơ sở dữ liệu tạm")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return bench.Abuse(ctx, o, env.Stdout)
}
