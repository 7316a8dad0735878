package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/vn"
)

func user(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		return fmt.Errorf("cách dùng: parsurvey user add TÊN --name \"Họ tên\" --role admin|supervisor|enumerator | passwd TÊN | list")
	}
	var fullName, role, password string
	a, fs, err := openApp(ctx, "user "+args[0], args[1:], env, func(fs *flag.FlagSet) {
		fs.StringVar(&fullName, "name", "", "họ và tên")
		fs.StringVar(&role, "role", "enumerator", "vai trò: admin, supervisor hoặc enumerator")
		fs.StringVar(&password, "password", "", "mật khẩu (bỏ trống để sinh ngẫu nhiên)")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	switch args[0] {
	case "list":
		users, err := a.DB.Users(ctx, "")
		if err != nil {
			return err
		}
		for _, u := range users {
			fmt.Fprintf(env.Stdout, "%-20s %-12s %s\n", u.Username, u.Role, u.FullName)
		}
		return nil
	case "add", "passwd":
	default:
		return fmt.Errorf("không có lệnh user %q (add, passwd, list)", args[0])
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
		if r != store.RoleAdmin && r != store.RoleSupervisor && r != store.RoleEnumerator {
			return fmt.Errorf("vai trò %q không hợp lệ", role)
		}
		if fullName == "" {
			fullName = username
		}
		if err := a.DB.CreateUser(ctx, &store.User{Username: username, FullName: vn.NFC(fullName), Role: r, PasswordHash: hash}); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Đã tạo tài khoản %s (%s).\n", username, r)
	} else {
		u, err := a.DB.UserByName(ctx, username)
		if err != nil {
			return fmt.Errorf("không tìm thấy tài khoản %s", username)
		}
		if err := a.DB.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Đã đổi mật khẩu của %s.\n", username)
	}
	if generated {
		fmt.Fprintf(env.Stdout, "Mật khẩu: %s\n", password)
	}
	return nil
}
