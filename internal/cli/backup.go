package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/parsurvey/parsurvey/internal/store"
)

func init() {
	register("backup", "sao lưu cơ sở dữ liệu đang chạy, nhất quán, không dừng dịch vụ: parsurvey backup TỆP.db", backupCmd)
	register("restore", "khôi phục từ bản sao lưu (dịch vụ phải dừng): parsurvey restore TỆP.db", restoreCmd)
}

// errPgDump answers backup and restore on PostgreSQL, whose tools do both.
var errPgDump = errors.New("cơ sở dữ liệu PostgreSQL được sao lưu bằng pg_dump và khôi phục bằng pg_restore (xem README, mục «Nhiều máy chủ trên PostgreSQL»), không bằng parsurvey backup/restore")

// backupCmd copies the database while the service may be running (store.Backup): never cp the
// file itself, whose newest commits may still be in the write-ahead log.
func backupCmd(ctx context.Context, args []string, env Env) error {
	c, fs, err := toolConfig("backup", args, env, []string{"db"}, nil)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("cách dùng: parsurvey backup TỆP.db [--db CSDL]")
	}
	if c.Postgres() {
		return errPgDump
	}
	if _, err := os.Stat(c.DB); err != nil {
		return fmt.Errorf("không có cơ sở dữ liệu %s", c.DB)
	}
	db, err := store.Open(c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	to := fs.Arg(0)
	if err := db.Backup(ctx, to); err != nil {
		return err
	}
	if err := store.Check(to); err != nil {
		return fmt.Errorf("bản sao lưu %s không qua được kiểm tra: %w", to, err)
	}
	fmt.Fprintf(env.Stdout, "Đã sao lưu %s vào %s (đã kiểm tra toàn vẹn).\n", c.DB, to)
	return nil
}

// restoreCmd puts a backup in place of the database, after checking it; it refuses while a
// service runs on the database.
func restoreCmd(ctx context.Context, args []string, env Env) error {
	c, fs, err := toolConfig("restore", args, env, []string{"db"}, nil)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("cách dùng: parsurvey restore TỆP.db [--db CSDL]")
	}
	if c.Postgres() {
		return errPgDump
	}
	from := fs.Arg(0)
	err = store.Restore(from, c.DB)
	if errors.Is(err, store.ErrInUse) {
		return fmt.Errorf("dịch vụ parsurvey đang chạy trên %s: hãy dừng dịch vụ rồi khôi phục", c.DB)
	}
	if err != nil {
		return fmt.Errorf("không khôi phục được từ %s: %w", from, err)
	}
	fmt.Fprintf(env.Stdout, "Đã khôi phục %s từ %s.\n", c.DB, from)
	return nil
}
