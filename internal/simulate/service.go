package simulate

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/parsurvey/parsurvey/internal/config"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/web"
)

// Service runs the rehearsals the web's rehearsal pages start (web.Rehearsals): each in a
// rehearsal copy beside the live database, never in it. internal/app hands it to the server.
type Service struct {
	live *store.DB
	cfg  config.Config
	log  *slog.Logger
}

var _ web.Rehearsals = (*Service)(nil)

// NewService is the rehearsals of the campaigns of live, served with cfg.
func NewService(live *store.DB, cfg config.Config, log *slog.Logger) *Service {
	return &Service{live: live, cfg: cfg, log: log}
}

// Path is where the rehearsal of the campaign of code goes: RehearsalPath, where the CLI's
// simulate puts it too, so that either can delete what the other made.
func (s *Service) Path(code string) string { return RehearsalPath(LiveFile(s.cfg), code) }

// LiveFile is the file rehearsal copies are named after and put beside: the SQLite file, or on
// PostgreSQL a parsurvey.db in the node's work folder (the copy is SQLite either way, on the disk
// of the node that made it).
func LiveFile(cfg config.Config) string {
	if cfg.Postgres() {
		return filepath.Join(cfg.WorkDir(), "parsurvey.db")
	}
	return cfg.DB
}

// Run makes the rehearsal copy of camp at path and fills it with o.Responses simulated
// responses through a server of its own on loopback, as `parsurvey simulate` does.
func (s *Service) Run(ctx context.Context, camp *store.Campaign, path string, o web.RehearsalOptions, out io.Writer) (string, error) {
	db, rc, err := NewRehearsal(ctx, s.live, camp, path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	lock, err := store.LockFile(path)
	if err != nil {
		return "", err
	}
	defer lock.Release()
	srv, done, err := RehearsalServer(db, s.cfg, s.log, path)
	if err != nil {
		return "", err
	}
	defer done()
	fmt.Fprintf(out, "Bản diễn tập: %s (cơ sở dữ liệu thật không bị ghi)\n", path)
	rep, err := New(db, srv, rc, Options{Responses: o.Responses, Seed: o.Seed}).Run(ctx, out)
	if err != nil {
		return "", err
	}
	fmt.Fprintln(out, rep)
	return rep.String(), nil
}

// RehearsalServer is the web server a rehearsal at path is filled through, on db, with its
// job files in a folder of its own: a job runner deletes the files in its folder that are not
// its jobs', and the live service's sit beside the live database, where the rehearsal is. done
// closes the server and removes that folder.
func RehearsalServer(db *store.DB, cfg config.Config, log *slog.Logger, path string) (srv *web.Server, done func(), err error) {
	dir, err := os.MkdirTemp("", "parsurvey-dien-tap-")
	if err != nil {
		return nil, nil, err
	}
	cfg.DB = filepath.Join(dir, filepath.Base(path))
	cfg.Work = "" // the job files go in dir, never in the live service's work folder
	cfg.BackupDir = ""
	if srv, err = web.New(db, cfg, log); err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return srv, func() { srv.Close(); os.RemoveAll(dir) }, nil
}

// Open opens the rehearsal copy at path for reading, refusing a missing file (rather than
// creating one), the live database, and any database not marked as a rehearsal.
func (s *Service) Open(ctx context.Context, path string) (*store.DB, error) {
	if same(path, s.live.Path()) {
		return nil, fmt.Errorf("%w: %s is the live database", ErrNotRehearsal, path)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	db, err := store.OpenScratch(path)
	if err != nil {
		return nil, err
	}
	_, ok, err := ReadRehearsal(ctx, db)
	if err == nil && !ok {
		err = fmt.Errorf("%w: %s", ErrNotRehearsal, path)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Delete removes the rehearsal copy at path whole (DeleteRehearsal).
func (s *Service) Delete(ctx context.Context, path string) error { return DeleteRehearsal(ctx, path) }
