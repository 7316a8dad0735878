package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/parsurvey/parsurvey/internal/simulate"
	"github.com/parsurvey/parsurvey/internal/web"
)

func init() {
	register("simulate", "điền phiếu mô phỏng để diễn tập: parsurvey simulate MÃ_ĐỢT --responses N --seed S", simulateCmd)
}

// simulateCmd fills a campaign already in the database with simulated responses. The
// simulator answers through the real HTTP paths, so this command builds the web server, for
// the simulator alone on loopback; like the other tools it loads no demo campaign and creates
// no administrator (the simulator makes the staff accounts it signs in with).
func simulateCmd(ctx context.Context, args []string, env Env) error {
	var o simulate.Options
	db, cfg, fs, err := openStore("simulate", args, env, nil, func(fs *flag.FlagSet) {
		fs.IntVar(&o.Responses, "responses", 1000, "số phiếu trả lời tối đa")
		fs.Uint64Var(&o.Seed, "seed", 1, "hạt giống ngẫu nhiên: cùng hạt giống cho cùng câu trả lời")
		fs.IntVar(&o.Clients, "clients", 32, "số người trả lời đồng thời")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if fs.NArg() != 1 {
		return fmt.Errorf("cách dùng: parsurvey simulate MÃ_ĐỢT --responses N --seed S")
	}
	c, err := campaignByName(ctx, db, fs.Arg(0))
	if err != nil {
		return err
	}
	srv, err := web.New(db, cfg, env.Log)
	if err != nil {
		return err
	}
	defer srv.Close()
	rep, err := simulate.New(db, srv, c, o).Run(ctx, env.Stdout)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, rep)
	return nil
}
