// Package cli is parsurvey's command line: it parses subcommands and flags, then either builds
// the service (serve, the only command that does) or opens the store alone for a tool.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"github.com/parsurvey/parsurvey/internal/app"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/config"
	"github.com/parsurvey/parsurvey/internal/store"
)

// Env is what a command may touch outside itself.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Log            *slog.Logger
}

type command struct {
	summary string
	run     func(ctx context.Context, args []string, env Env) error
}

// commands is filled by register calls from each command file's init.
var commands = map[string]command{}

func init() {
	register("serve", "chạy dịch vụ web (mặc định khi không có lệnh)", serve)
	register("check", "kiểm tra một định nghĩa đợt khảo sát: parsurvey check THƯ_MỤC|SỔ_TÍNH.xlsx", check)
	register("load", "nạp hoặc cập nhật định nghĩa vào cơ sở dữ liệu: parsurvey load THƯ_MỤC|SỔ_TÍNH.xlsx", load)
	register("user", "quản lý tài khoản cán bộ: parsurvey user add|passwd|list", user)
}

// register adds a subcommand; each command file calls it from its init.
func register(name, summary string, run func(ctx context.Context, args []string, env Env) error) {
	commands[name] = command{summary, run}
}

// Run executes the subcommand named by args[0] (serve when absent or a flag).
func Run(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			usage(env.Stdout)
			return nil
		}
		return serve(ctx, args, env)
	}
	if args[0] == "help" {
		usage(env.Stdout)
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		usage(env.Stderr)
		return fmt.Errorf("không có lệnh %q", args[0])
	}
	return cmd.run(ctx, args[1:], env)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "parsurvey — điều tra xã hội học phục vụ Chỉ số cải cách hành chính")
	fmt.Fprintln(w, "\nCách dùng: parsurvey [lệnh] [cờ]")
	fmt.Fprintln(w, "\nCác lệnh:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-16s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nCờ của serve (mỗi cờ có biến môi trường tương ứng; các lệnh khác chỉ nhận --db, riêng issue, print, forms nhận thêm --base-url):")
	c := config.Default()
	fs := flag.NewFlagSet("parsurvey", flag.ContinueOnError)
	fs.SetOutput(w)
	c.Flags(fs, func(string) string { return "" })
	fs.PrintDefaults()
	fmt.Fprintln(w, "\nXem thêm: parsurvey LỆNH -h")
}

// parse parses flags wherever they stand among the arguments ("load DIR --db X" as well as
// "load --db X DIR"), leaving the positional arguments in order.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// positional is a flag set whose arguments were parsed with parse.
type positional struct {
	*flag.FlagSet
	args []string
}

// NArg is the number of positional arguments.
func (p *positional) NArg() int { return len(p.args) }

// Arg is the i-th positional argument, or "".
func (p *positional) Arg(i int) string {
	if i < len(p.args) {
		return p.args[i]
	}
	return ""
}

// exitError carries a process exit code.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }
func (e *exitError) ExitCode() int { return e.code }

// serviceConfig parses serve's flags, every setting of the service, each over its environment
// variable over the default.
func serviceConfig(args []string, env Env) (config.Config, error) {
	c := config.Default()
	fs := flag.NewFlagSet("parsurvey serve", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	c.Flags(fs, env.Getenv)
	pos, err := parse(fs, args)
	if err != nil {
		return c, err
	}
	if len(pos) > 0 {
		return c, fmt.Errorf("cách dùng: parsurvey serve [cờ] (không nhận %q)", pos[0])
	}
	return c, c.Finish()
}

// toolConfig parses a tool's flags: of the service's, only those named in keep, plus extra.
// The others still take their environment variables, so a tool run beside the service sees
// the same settings (the base URL of its links follows PARSURVEY_ADDR as the service's does).
func toolConfig(name string, args []string, env Env, keep []string, extra func(fs *flag.FlagSet)) (config.Config, *positional, error) {
	c := config.Default()
	service := flag.NewFlagSet("", flag.ContinueOnError)
	c.Flags(service, env.Getenv)
	fs := flag.NewFlagSet("parsurvey "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	for _, n := range keep {
		f := service.Lookup(n)
		fs.Var(f.Value, f.Name, f.Usage)
	}
	if extra != nil {
		extra(fs)
	}
	pos, err := parse(fs, args)
	p := &positional{fs, pos}
	if err != nil {
		return c, p, err
	}
	return c, p, c.Finish()
}

// openStore parses a tool's flags (--db, the service flags named in keep, and extra) and
// opens the database alone: a tool builds no web server, loads no demo campaign and creates no
// administrator, whatever the database holds.
func openStore(name string, args []string, env Env, keep []string, extra func(fs *flag.FlagSet)) (*store.DB, config.Config, *positional, error) {
	c, p, err := toolConfig(name, args, env, append([]string{"db"}, keep...), extra)
	if err != nil {
		return nil, c, p, err
	}
	db, err := store.Open(c.DB)
	return db, c, p, err
}

// serve builds the service, which loads the demo into an empty database and creates the first
// administrator, and runs it until ctx ends.
func serve(ctx context.Context, args []string, env Env) error {
	c, err := serviceConfig(args, env)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, c, env.Stdout, env.Log)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Run(ctx)
}

func check(ctx context.Context, args []string, env Env) error {
	fs := flag.NewFlagSet("parsurvey check", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("cách dùng: parsurvey check THƯ_MỤC")
	}
	dir := pos[0]
	if isWorkbook(dir) {
		return checkWorkbook(dir, env)
	}
	def, err := campaign.Load(os.DirFS(dir), ".")
	if err != nil {
		if ps, ok := err.(campaign.Problems); ok {
			for _, p := range ps {
				p.File = joinDir(dir, p.File)
				fmt.Fprintln(env.Stdout, p.String())
			}
			return &exitError{code: 1, msg: fmt.Sprintf("%s: %d lỗi", dir, len(ps))}
		}
		return err
	}
	for i := range def.Warnings {
		def.Warnings[i].File = joinDir(dir, def.Warnings[i].File)
	}
	printChecked(env.Stdout, dir, def, func(w campaign.Problem) string { return w.String() })
	return nil
}

// printChecked is what `check` prints for a definition without errors, read from a folder or
// a workbook: the verdict, every warning (as place writes it), then the summary.
func printChecked(w io.Writer, name string, def *campaign.Definition, place func(campaign.Problem) string) {
	fmt.Fprintf(w, "%s: hợp lệ — %s\n", name, def.Code)
	for _, p := range def.Warnings {
		fmt.Fprintln(w, "Cảnh báo: "+place(p))
	}
	for _, line := range def.Summary() {
		fmt.Fprintln(w, "  "+line)
	}
}

func joinDir(dir, file string) string {
	return strings.TrimRight(dir, "/") + "/" + file
}

// load loads or updates the definitions in a folder, and nothing else: the administrator is
// created by the first serve.
func load(ctx context.Context, args []string, env Env) error {
	db, _, fs, err := openStore("load", args, env, nil, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if fs.NArg() != 1 {
		return fmt.Errorf("cách dùng: parsurvey load THƯ_MỤC")
	}
	if isWorkbook(fs.Arg(0)) {
		return loadWorkbook(ctx, db, fs.Arg(0), env)
	}
	_, err = app.LoadDir(ctx, db, os.DirFS(fs.Arg(0)), ".", env.Stdout)
	return err
}
