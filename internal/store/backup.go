package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrBackupPostgres is Backup's answer on PostgreSQL, whose backups are pg_dump's (README).
var ErrBackupPostgres = errors.New("store: a PostgreSQL database is backed up with pg_dump, not by parsurvey")

// Backup writes a consistent copy of the live database to path with VACUUM INTO, without
// stopping the service: the copy is one read transaction's snapshot, so every response committed
// before it began is in it, those in the write-ahead log included (a plain copy of the file
// misses them). It runs on a connection of its own, so submissions go on meanwhile. path must not
// exist yet.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.pg() {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup %s: the file already exists", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("store: backup %s: %w", path, err)
	}
	conn, err := sql.Open("sqlite3", dsn(db.path, false, false))
	if err != nil {
		return fmt.Errorf("store: backup %s: %w", path, err)
	}
	defer conn.Close()
	tmp := path + ".partial"
	os.Remove(tmp)
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: backup %s: %w", path, err)
	}
	if err := dropJobs(ctx, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: backup %s: %w", path, err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: backup %s: %w", path, err)
	}
	return os.Rename(tmp, path)
}

// dropJobs removes the background jobs and their files from a fresh backup copy, and compacts
// it when there were files: print runs are up to Config.MaxBytes of PDFs with every form's
// single-use link, made again in minutes, and have no place in a copy kept for weeks.
func dropJobs(ctx context.Context, copyPath string) error {
	c, err := sql.Open("sqlite3", dsn(copyPath, false, true))
	if err != nil {
		return err
	}
	defer c.Close()
	var files int
	if err := c.QueryRowContext(ctx, `SELECT count(*) FROM job_chunks`).Scan(&files); err != nil {
		return fmt.Errorf("drop print runs from the copy: %w", err)
	}
	if _, err := c.ExecContext(ctx, `DELETE FROM job_chunks; DELETE FROM jobs`); err != nil {
		return fmt.Errorf("drop print runs from the copy: %w", err)
	}
	if files > 0 {
		if _, err := c.ExecContext(ctx, `VACUUM`); err != nil {
			return fmt.Errorf("compact the copy: %w", err)
		}
	}
	return nil
}

// Check opens the database at path read-only and reports what is wrong with it, as a backup is
// checked before it is restored: SQLite's integrity check, and a schema this binary can run.
func Check(path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("store: check %s: %w", path, err)
	}
	conn, err := sql.Open("sqlite3", fileURI(path)+"?mode=ro")
	if err != nil {
		return fmt.Errorf("store: check %s: %w", path, err)
	}
	defer conn.Close()
	rows, err := conn.Query(`PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("store: check %s: %w", path, err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return fmt.Errorf("store: check %s: %w", path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rows.Close()
	if len(problems) > 0 {
		return fmt.Errorf("store: %s fails SQLite's integrity check: %s", path, strings.Join(problems, "; "))
	}
	var version int
	if err := conn.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("store: check %s: %w", path, err)
	}
	ms, err := loadMigrations(SQLite)
	if err != nil {
		return err
	}
	switch {
	case version == 0:
		return fmt.Errorf("store: %s is not a parsurvey database", path)
	case version > len(ms):
		return fmt.Errorf("store: %s: %w", path, ErrTooNew)
	}
	return nil
}

// ErrInUse is returned when a database is held by a running service.
var ErrInUse = errors.New("store: the database is in use by a running service")

// Lock is a service's hold on its database file, so that a restore cannot replace it under the
// running service.
type Lock struct{ f *os.File }

// LockFile takes the hold on the database at path (an flock on path + ".lock"), or returns
// ErrInUse when a service already has it.
func LockFile(path string) (*Lock, error) {
	if IsPostgres(path) {
		// Several nodes share a PostgreSQL database by design, and parsurvey restore does not
		// apply to it: there is no file to hold.
		return &Lock{}, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrInUse
		}
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

// Release lets the database go.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the file releases the flock
	l.f = nil
	return err
}

// Restore replaces the database at path with the backup at from: it checks the backup first,
// refuses while a service holds path (ErrInUse), and swaps the file in whole, so that path is
// either the old database or the backup, never a mix; the old write-ahead log goes with it.
func Restore(from, path string) error {
	if err := Check(from); err != nil {
		return err
	}
	lock, err := LockFile(path)
	if err != nil {
		return err
	}
	defer lock.Release()
	tmp := path + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store: restore %s: %w", path, err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			os.Remove(tmp)
			return fmt.Errorf("store: restore %s: %w", path, err)
		}
	}
	return os.Rename(tmp, path)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
