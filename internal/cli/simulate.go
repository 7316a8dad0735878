package cli

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/parsurvey/parsurvey/internal/simulate"
	"github.com/parsurvey/parsurvey/internal/store"
)

func init() {
	register("simulate", "diễn tập trên một bản sao riêng: parsurvey simulate MÃ_ĐỢT --responses N [--rehearsal TỆP] | simulate --delete TỆP", simulateCmd)
}

// simulateCmd rehearses a campaign: it copies the campaign's definition (with the rules in
// force) from the live database into a rehearsal database of its own, and fills that with
// simulated responses through the real HTTP paths, so this command builds the web server over
// the rehearsal, for the simulator alone on loopback. The live database is only read. With
// --delete it removes a rehearsal copy whole, refusing any database not marked as one.
func simulateCmd(ctx context.Context, args []string, env Env) error {
	var o simulate.Options
	var rehearsal, del string
	var again bool
	cfg, fs, err := toolConfig("simulate", args, env, []string{"db"}, func(fs *flag.FlagSet) {
		fs.IntVar(&o.Responses, "responses", 1000, "số phiếu trả lời tối đa")
		fs.Uint64Var(&o.Seed, "seed", 1, "hạt giống ngẫu nhiên: cùng hạt giống cho cùng câu trả lời")
		fs.IntVar(&o.Clients, "clients", 32, "số người trả lời đồng thời")
		fs.StringVar(&rehearsal, "rehearsal", "", "tệp cơ sở dữ liệu diễn tập (mặc định: cạnh cơ sở dữ liệu thật, tên <db>.dien-tap-<MÃ_ĐỢT>.db)")
		fs.BoolVar(&again, "continue", false, "điền thêm vào bản diễn tập đã có thay vì tạo bản mới")
		fs.StringVar(&del, "delete", "", "xóa toàn bộ một bản diễn tập (chỉ nhận tệp được đánh dấu là bản diễn tập)")
	})
	if err != nil {
		return err
	}
	if del != "" {
		if err := simulate.DeleteRehearsal(ctx, del); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Đã xóa bản diễn tập %s\n", del)
		return nil
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("cách dùng: parsurvey simulate MÃ_ĐỢT --responses N --seed S [--rehearsal TỆP] | parsurvey simulate --delete TỆP")
	}
	live, err := store.Open(cfg.DB)
	if err != nil {
		return err
	}
	c, err := campaignByName(ctx, live, fs.Arg(0))
	if err != nil {
		live.Close()
		return err
	}
	if rehearsal == "" {
		rehearsal = simulate.RehearsalPath(simulate.LiveFile(cfg), c.Def.Code)
	}
	var db *store.DB
	if again {
		live.Close()
		if _, err := os.Stat(rehearsal); err != nil {
			return fmt.Errorf("không có bản diễn tập %s: %w", rehearsal, err)
		}
		if db, err = store.OpenScratch(rehearsal); err != nil {
			return err
		}
		if c, err = db.CampaignByCode(ctx, c.Def.Code); err != nil {
			db.Close()
			return fmt.Errorf("bản diễn tập %s không có đợt %s: %w", rehearsal, fs.Arg(0), err)
		}
	} else {
		db, c, err = simulate.NewRehearsal(ctx, live, c, rehearsal)
		live.Close()
		if err != nil {
			return err
		}
	}
	defer db.Close()
	lock, err := store.LockFile(rehearsal)
	if err != nil {
		return fmt.Errorf("bản diễn tập %s đang được dùng: %w", rehearsal, err)
	}
	defer lock.Release()
	srv, done, err := simulate.RehearsalServer(db, cfg, env.Log, rehearsal)
	if err != nil {
		return err
	}
	defer done()
	fmt.Fprintf(env.Stdout, "Bản diễn tập: %s (cơ sở dữ liệu thật không bị ghi)\n", rehearsal)
	rep, err := simulate.New(db, srv, c, o).Run(ctx, env.Stdout)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, rep)
	// The rehearsal has the simulator's staff only: whoever looks at it adds an account of their
	// own there, and serves it beside the live service.
	fmt.Fprintf(env.Stdout, "Xem kết quả diễn tập: parsurvey user add TÊN --role admin --db %s, rồi parsurvey serve --db %s --addr 127.0.0.1:8081\nXóa bản diễn tập: parsurvey simulate --delete %s\n",
		rehearsal, rehearsal, rehearsal)
	return nil
}
