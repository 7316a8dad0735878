package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// user manages staff accounts on the database alone: it never creates the first administrator
// (serve does), so on an empty database "user list" lists nobody.
func user(ctx context.Context, args []string, env Env) error {
	const usage = "cách dùng: parsurvey user add TÊN --name \"Họ tên\" --role admin|supervisor|enumerator | passwd TÊN | list"
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "add", "passwd", "list":
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(env.Stdout, usage)
		return nil
	default:
		// Checked before the database is opened, so a mistyped command creates no file.
		return fmt.Errorf("không có lệnh user %q (add, passwd, list)", args[0])
	}
	var fullName, role, password string
	db, _, fs, err := openStore("user "+args[0], args[1:], env, nil, func(fs *flag.FlagSet) {
		fs.StringVar(&fullName, "name", "", "họ và tên")
		fs.StringVar(&role, "role", "enumerator", "vai trò: admin, analyst, supervisor, enumerator hoặc viewer")
		fs.StringVar(&password, "password", "", "mật khẩu (bỏ trống để sinh ngẫu nhiên)")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "list":
		users, err := db.Users(ctx, "")
		if err != nil {
			return err
		}
		if len(users) == 0 {
			fmt.Fprintln(env.Stdout, "Chưa có tài khoản nào; parsurvey serve tạo tài khoản quản trị đầu tiên, hoặc thêm bằng: parsurvey user add TÊN --role admin")
		}
		for _, u := range users {
			fmt.Fprintf(env.Stdout, "%-20s %-12s %s\n", u.Username, u.Role, u.FullName)
		}
		return nil
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("thiếu tên đăng nhập")
	}
	username := vn.NFC(fs.Arg(0))
	generated := password == ""
	if generated {
		password = auth.GeneratePassword()
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if args[0] == "add" {
		r := store.Role(role)
		if !r.Valid() {
			return fmt.Errorf("vai trò %q không hợp lệ (admin, analyst, supervisor, enumerator, viewer)", role)
		}
		if fullName == "" {
			fullName = username
		}
		if err := db.CreateUser(ctx, &store.User{Username: username, FullName: vn.NFC(fullName), Role: r, PasswordHash: hash}); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Đã tạo tài khoản %s (%s).\n", username, r)
	} else {
		u, err := db.UserByName(ctx, username)
		if err != nil {
			return fmt.Errorf("không tìm thấy tài khoản %s", username)
		}
		if err := db.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Đã đổi mật khẩu của %s.\n", username)
	}
	if generated {
		fmt.Fprintf(env.Stdout, "Mật khẩu: %s\n", password)
	}
	return nil
}
