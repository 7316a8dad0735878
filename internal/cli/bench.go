package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/parsurvey/parsurvey/internal/bench"
)

func init() {
	register("bench", "đo tải trên loopback: parsurvey bench submit [--n 20000] [--clients 64]", benchCmd)
}

func benchCmd(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "submit" {
		return fmt.Errorf("cách dùng: parsurvey bench submit [--n 20000] [--clients 64]")
	}
	fs := flag.NewFlagSet("parsurvey bench submit", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	o := bench.SubmitOptions{}
	fs.IntVar(&o.N, "n", 20000, "số mã phiếu phát và gửi")
	fs.IntVar(&o.Clients, "clients", 64, "số máy khách đồng thời")
	fs.StringVar(&o.Dir, "dir", "", "thư mục chứa cơ sở dữ liệu tạm (mặc định: thư mục tạm, xóa khi xong)")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "ghi hồ sơ CPU của pha gửi phiếu vào tệp này")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	return bench.Submit(ctx, o, env.Stdout)
}
