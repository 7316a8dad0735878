package cli

import (
	"context"
	"flag"
	"time"

	"github.com/parsurvey/parsurvey/internal/bench"
)

// benchSoak runs the soak and crash harness of issue 15 against a child server process.
func benchSoak(ctx context.Context, args []string, env Env) error {
	fs := flag.NewFlagSet("parsurvey bench soak", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	o := bench.SoakOptions{}
	fs.IntVar(&o.N, "n", 3000, "số mã phiếu trả lời trong pha đánh sập máy chủ")
	fs.IntVar(&o.Clients, "clients", 64, "số điện thoại gửi đồng thời trong pha đánh sập")
	fs.IntVar(&o.Kills, "kills", 5, "số lần tối thiểu đánh sập máy chủ bằng SIGKILL rồi chạy lại")
	fs.IntVar(&o.Questions, "questions", 250, "số câu hỏi của mẫu phiếu dùng để đo")
	fs.IntVar(&o.Rate, "rate", 50, "số phiếu mỗi giây của pha đều (mẫu ODK Central); 0 bỏ qua pha này")
	fs.DurationVar(&o.For, "for", 30*time.Second, "thời gian pha đều")
	fs.DurationVar(&o.Step, "step", 10*time.Second, "thời gian mỗi bậc khi tìm tốc độ bền vững cao nhất; 0 bỏ qua")
	fs.IntVar(&o.MaxRate, "max-rate", 2000, "tốc độ cao nhất thử (phiếu/s)")
	fs.DurationVar(&o.P99Limit, "p99", 100*time.Millisecond, "p99 tối đa của tốc độ bền vững")
	fs.IntVar(&o.Fuzz, "fuzz", 10000, "số yêu cầu làm nhiễu cho mỗi điểm công khai khi đo bộ nhớ; 0 bỏ qua")
	fs.Float64Var(&o.RSSTolerance, "rss-tolerance", 0.2, "chênh lệch RSS trước/sau cho phép (0,2 = 20%)")
	fs.Uint64Var(&o.Seed, "seed", 1, "hạt giống ngẫu nhiên")
	fs.StringVar(&o.Server, "server", "", "tệp chạy parsurvey cần đo (mặc định: chính tệp này)")
	fs.StringVar(&o.Dir, "dir", "", "thư mục chứa cơ sở dữ liệu (mặc định: thư mục tạm, xóa khi xong)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return bench.Soak(ctx, o, env.Stdout)
}
