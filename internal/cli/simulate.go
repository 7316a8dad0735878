package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/parsurvey/parsurvey/internal/simulate"
)

func init() {
	register("simulate", "điền phiếu mô phỏng để diễn tập: parsurvey simulate MÃ_ĐỢT --responses N --seed S", simulateCmd)
}

func simulateCmd(ctx context.Context, args []string, env Env) error {
	var o simulate.Options
	a, fs, err := openApp(ctx, "simulate", args, env, func(fs *flag.FlagSet) {
		fs.IntVar(&o.Responses, "responses", 1000, "số phiếu trả lời tối đa")
		fs.Uint64Var(&o.Seed, "seed", 1, "hạt giống ngẫu nhiên: cùng hạt giống cho cùng câu trả lời")
		fs.IntVar(&o.Clients, "clients", 32, "số người trả lời đồng thời")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	if fs.NArg() != 1 {
		return fmt.Errorf("cách dùng: parsurvey simulate MÃ_ĐỢT --responses N --seed S")
	}
	c, err := a.DB.CampaignByCode(ctx, fs.Arg(0))
	if err != nil {
		return fmt.Errorf("không tìm thấy đợt khảo sát %q", fs.Arg(0))
	}
	rep, err := simulate.New(a.DB, a.Server, c, o).Run(ctx, env.Stdout)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, rep)
	return nil
}
