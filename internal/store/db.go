// Package store keeps parsurvey's data in SQLite (the embedded default) or PostgreSQL (for
// several nodes on one database): all SQL lives here, nothing else does.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/mattn/go-sqlite3" // the "sqlite3" database/sql driver
	"github.com/parsurvey/parsurvey/internal/fault"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// DB is the database: one writer connection (immediate transactions) and a pool of readers.
type DB struct {
	write   *sql.DB
	read    *sql.DB
	path    string
	dialect Dialect
	changes changeFeed // changes.go
	now     func() time.Time
	// wall is the real clock, for middleware state that must not follow a simulated campaign day.
	wall func() time.Time

	stmtOnce sync.Once
	stmts    *submitStmts
	stmtErr  error

	tokenOnce sync.Once
	byToken   *sql.Stmt
	tokenErr  error
}

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = fault.Sentinel(fault.NotFound, "store: not found")

// ErrTooNew is returned when the database was written by a newer parsurvey than this one.
var ErrTooNew = errors.New("store: database schema is newer than this binary")

// dsn builds the connection string: every setting rides in it so that each pooled connection
// gets it, not just the one a PRAGMA statement happened to reach.
func dsn(path string, readOnly, scratch bool) string {
	v := url.Values{}
	v.Set("_journal_mode", "WAL")
	v.Set("_foreign_keys", "on")
	v.Set("_busy_timeout", "10000")
	// FULL: a commit is on disk before we acknowledge it (see README, "Durability").
	v.Set("_synchronous", "FULL")
	if scratch {
		v.Set("_synchronous", "OFF")
	}
	v.Set("_txlock", "immediate")
	v.Set("_cache_size", "-16000")
	if readOnly {
		// query_only rather than mode=ro: a read-only open in WAL mode may not map the shared
		// wal-index and then rebuilds it from the log on every read transaction.
		v.Set("_query_only", "1")
		v.Set("_txlock", "deferred")
	}
	return fileURI(path) + "?" + v.Encode()
}

// fileURI is path as an SQLite URI: characters SQLite's URI parser reads specially are escaped.
func fileURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// Open opens (creating if missing) the database at path and brings its schema up to date. A
// path that is a postgres:// address opens that PostgreSQL database instead (postgres.go).
func Open(path string) (*DB, error) {
	if IsPostgres(path) {
		return openPostgres(path)
	}
	return open(path, false)
}

// OpenScratch opens a database like Open whose commits are not flushed to the disk
// (synchronous=OFF): a crash of the process loses nothing, a power cut may lose the last
// commits. It is for tests and throwaway rehearsals, whose runs wait on fsyncs otherwise; the
// service always opens with Open.
func OpenScratch(path string) (*DB, error) {
	if IsPostgres(path) {
		return openPostgres(path)
	}
	return open(path, true)
}

func open(path string, scratch bool) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("store: create %s: %w", dir, err)
		}
	}
	w, err := sql.Open("sqlite3", dsn(path, false, scratch))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	db := &DB{write: w, path: path, dialect: SQLite, now: time.Now, wall: time.Now}
	if err := db.migrate(); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite3", dsn(path, true, scratch))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	db.read = r
	// Prepared now, not on first use: the writer has one connection, and a first use inside a
	// transaction would wait for it forever.
	if _, err := db.submitStatements(); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: prepare: %w", err)
	}
	return db, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	db.changes.close()
	return errors.Join(db.read.Close(), db.write.Close())
}

// Path is the database file, or the PostgreSQL address as given to Open (with its password:
// Shown is for logs).
func (db *DB) Path() string { return db.path }

// Shown is Path fit for a log or a page: a PostgreSQL address's password is masked.
func (db *DB) Shown() string { return Shown(db.path) }

// Shown is target (a --db value) fit for a log or a page: a PostgreSQL address's password is
// masked.
func Shown(target string) string {
	if !IsPostgres(target) {
		return target
	}
	u, err := url.Parse(target)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// SetClock replaces the clock used for timestamps; tests use it to move through a campaign.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// Now is the store's current time in UTC.
func (db *DB) Now() time.Time { return db.now().UTC() }

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations(d Dialect) ([]migration, error) {
	dir := "migrations/" + string(d)
	entries, err := migrations.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("store: migration %s is not named NNNN_name.sql", e.Name())
		}
		b, err := migrations.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("store: migration %s out of sequence", m.name)
		}
	}
	return out, nil
}

// migrate applies every migration above the database's user_version, each in its own transaction.
func (db *DB) migrate() error {
	return db.migrateTo(-1)
}

func (db *DB) migrateTo(target int) error {
	if db.pg() {
		return db.migratePostgres(target)
	}
	ms, err := loadMigrations(SQLite)
	if err != nil {
		return err
	}
	if target < 0 {
		target = len(ms)
	}
	var current int
	if err := db.write.QueryRow("PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("%w: database is at version %d, this binary knows %d", ErrTooNew, current, len(ms))
	}
	for _, m := range ms[current:target] {
		tx, err := db.write.Begin()
		if err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		if _, err := tx.Exec(m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		if _, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
	}
	return nil
}

// Write runs fn in one immediate write transaction, committed if fn returns nil.
func (db *DB) Write(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if id := requestIDOf(ctx); id != "" { // recorded by audit (audit.go)
		txRequests.Store(tx, id)
		defer txRequests.Delete(tx)
	}
	// A panic inside fn must not keep the only writer connection in a transaction forever.
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
	}()
	if db.pg() {
		// One writer over every node, as SQLite's immediate transactions give (pgWriteLock).
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(pgWriteLock)); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: take the write lock: %w", err)
		}
	}
	var notes []Change
	txChanges.Store(tx, &notes)
	defer txChanges.Delete(tx)
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := db.changes.send(tx, notes); err != nil {
		tx.Rollback()
		return fmt.Errorf("store: announce changes: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	db.changes.deliverLocal(notes)
	return nil
}

// timeText writes an instant as UTC RFC 3339 with nanoseconds, the stored form of all times.
func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// parseTime reads a stored time; an empty text is the zero time.
func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// ReadRow runs a one-row query on the read pool, for ad-hoc figures no store method gives:
// tests use it, and so does the campaign simulator (internal/simulate).
func (db *DB) ReadRow(ctx context.Context, query string, args []any, dest ...any) error {
	return notFound(db.read.QueryRowContext(ctx, query, args...).Scan(dest...))
}
