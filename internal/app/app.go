// Package app assembles the parsurvey service: it opens the database, loads campaign
// definitions (the built-in demo into an empty database), makes sure an administrator exists and
// serves HTTP until its context ends. Only `parsurvey serve` builds one; the other commands open
// the store alone (internal/cli), so they never load the demo or create an administrator.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path"
	"sync"
	"time"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/config"
	"github.com/parsurvey/parsurvey/internal/simulate"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/web"
)

// App is the running service.
type App struct {
	Cfg    config.Config
	DB     *store.DB
	Server *web.Server
	Log    *slog.Logger
	out    io.Writer
	lock   *store.Lock
}

// New opens the database, loads definitions (cfg.FormsDir, or the demo into an empty database
// unless cfg.NoDemo), creates the first administrator if there is none and builds the HTTP
// server; out receives the messages meant for the operator (what it loaded, where it listens,
// the first administrator's password).
func New(ctx context.Context, cfg config.Config, out io.Writer, log *slog.Logger) (*App, error) {
	// The service holds its database file, so that parsurvey restore cannot swap it underneath.
	lock, err := store.LockFile(cfg.DB)
	if errors.Is(err, store.ErrInUse) {
		return nil, fmt.Errorf("cơ sở dữ liệu %s đang được một dịch vụ parsurvey khác dùng", cfg.DB)
	}
	if err != nil {
		return nil, err
	}
	db, err := store.Open(cfg.DB)
	if err != nil {
		lock.Release()
		return nil, err
	}
	a := &App{Cfg: cfg, DB: db, Log: log, out: out, lock: lock}
	// Until New returns the App, a failure below must let the file go too.
	defer func() {
		if a.Server == nil {
			lock.Release()
		}
	}()
	if err := a.loadDefinitions(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := a.ensureAdmin(ctx); err != nil {
		db.Close()
		return nil, err
	}
	a.Server, err = web.New(db, cfg, log)
	if err != nil {
		db.Close()
		return nil, err
	}
	// What this node holds of a campaign goes when it changes, here or on another node.
	db.OnChange(a.Server.Forget)
	a.Server.SetRehearsals(simulate.NewService(db, cfg, log))
	return a, nil
}

func (a *App) loadDefinitions(ctx context.Context) error {
	if a.Cfg.FormsDir != "" {
		_, err := LoadDir(ctx, a.DB, os.DirFS(a.Cfg.FormsDir), ".", a.out)
		return err
	}
	if a.Cfg.NoDemo {
		return nil
	}
	list, err := a.DB.Campaigns(ctx)
	if err != nil || len(list) > 0 {
		return err
	}
	_, err = LoadDir(ctx, a.DB, forms.FS, forms.Demo, a.out)
	return err
}

// LoadDir loads the campaign in dir, or every campaign in its sub-folders, into the database. A
// definition with problems stops the load with all of them listed.
func LoadDir(ctx context.Context, db *store.DB, fsys fs.FS, dir string, out io.Writer) ([]*store.Campaign, error) {
	dirs := []string{dir}
	if _, err := fs.Stat(fsys, path.Join(dir, campaign.CampaignFile)); err != nil {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return nil, fmt.Errorf("đọc thư mục %s: %w", dir, err)
		}
		dirs = dirs[:0]
		for _, e := range entries {
			if _, err := fs.Stat(fsys, path.Join(dir, e.Name(), campaign.CampaignFile)); e.IsDir() && err == nil {
				dirs = append(dirs, path.Join(dir, e.Name()))
			}
		}
		if len(dirs) == 0 {
			return nil, fmt.Errorf("thư mục %s không có %s nào", dir, campaign.CampaignFile)
		}
	}
	var out2 []*store.Campaign
	for _, d := range dirs {
		def, err := campaign.Load(fsys, d)
		if err != nil {
			return nil, fmt.Errorf("định nghĩa %s có lỗi:\n%w", d, err)
		}
		c, res, err := db.SaveDefinition(ctx, def, 0)
		if err != nil {
			return nil, err
		}
		switch res {
		case store.Created:
			fmt.Fprintf(out, "Đã nạp đợt khảo sát %s (%s).\n", c.Code, c.Name)
		case store.Updated:
			fmt.Fprintf(out, "Đã cập nhật đợt khảo sát %s lên phiên bản %d.\n", c.Code, c.Version)
		}
		out2 = append(out2, c)
	}
	return out2, nil
}

// ensureAdmin creates the first administrator with a random password, printed once.
func (a *App) ensureAdmin(ctx context.Context) error {
	n, err := a.DB.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	pw := auth.GeneratePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	err = a.DB.CreateUser(ctx, &store.User{Username: "admin", FullName: "Quản trị viên", Role: store.RoleAdmin, PasswordHash: hash})
	if errors.Is(err, store.ErrDuplicate) {
		return nil // another node starting on the same database made it first, and printed it
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "Đã tạo tài khoản quản trị đầu tiên — tên đăng nhập: admin, mật khẩu: %s\n(mật khẩu chỉ in ra một lần; đổi bằng: parsurvey user passwd admin)\n", pw)
	return nil
}

// Run serves HTTP on the configured address until ctx ends, then shuts down gracefully.
func (a *App) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.Cfg.Addr)
	if err != nil {
		return fmt.Errorf("lắng nghe %s: %w", a.Cfg.Addr, err)
	}
	return a.Serve(ctx, ln)
}

// shutdownTimeout bounds how long Serve waits, once its context ends, for requests in flight.
const shutdownTimeout = 10 * time.Second

// Serve serves HTTP on ln until ctx ends, then stops accepting connections, lets the requests
// in flight finish (for up to shutdownTimeout) and returns; the server has stopped by then, so
// Close may release the database.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	ln = &onceCloseListener{Listener: ln}
	fmt.Fprintf(a.out, "parsurvey đang chạy tại http://%s (địa chỉ công khai %s)\n", ln.Addr(), a.Cfg.BaseURL)
	errc := make(chan error, 1)
	go func() { errc <- a.Server.App().Listener(ln) }()
	if a.Cfg.BackupDir != "" {
		go a.backups(ctx)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Shutdown alone is not enough: when ctx ends before fasthttp has registered ln, Shutdown
	// finds no listener, returns at once, and the server would go on serving after Serve
	// returned. Closing ln ends the accept loop in either case; once Listener has returned, ln
	// is registered and Shutdown waits for the connections still open.
	ln.Close()
	if err := <-errc; err != nil {
		return err
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := a.Server.App().ShutdownWithContext(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		a.Log.Warn("shutdown: requests still running", "after", shutdownTimeout)
		return nil
	}
	return err
}

// onceCloseListener closes its listener once: Serve closes it, and so does fasthttp's Shutdown,
// which would stop at the second close's error before waiting for open connections.
type onceCloseListener struct {
	net.Listener
	once sync.Once
	err  error
}

func (l *onceCloseListener) Close() error {
	l.once.Do(func() { l.err = l.Listener.Close() })
	return l.err
}

// Close stops the writer, after what it has queued, and releases the database.
func (a *App) Close() error {
	a.Server.Close()
	err := a.DB.Close()
	return errors.Join(err, a.lock.Release())
}
