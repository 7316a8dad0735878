package store

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"
)

// Pool sizes on PostgreSQL, per node: one writer (every write transaction takes pgWriteLock
// anyway, so a second writer would only wait) and DefaultReadPool readers unless the address
// says read_pool=N. A database serving n nodes needs max_connections of at least
// n × (read_pool + 2): the writer, the readers and the change listener.
const DefaultReadPool = 8

// openPostgres opens the PostgreSQL database at target (a postgres:// address) and brings its
// schema up to date. read_pool=N in the address sets the reader pool; every other parameter is
// PostgreSQL's (sslmode, search_path, …).
func openPostgres(target string) (*DB, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("store: read the PostgreSQL address: %w", err)
	}
	readers := DefaultReadPool
	q := u.Query()
	if v := q.Get("read_pool"); v != "" {
		if readers, err = strconv.Atoi(v); err != nil || readers < 1 || readers > 1000 {
			return nil, fmt.Errorf("store: read_pool=%s in the PostgreSQL address is not a number from 1 to 1000", v)
		}
		q.Del("read_pool")
		u.RawQuery = q.Encode()
	}
	dsn := u.String()
	w, err := openPostgresPool(dsn, false)
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	db := &DB{write: w, path: target, dialect: Postgres, now: time.Now, wall: time.Now}
	db.changes.pg = true
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", Shown(target), err)
	}
	if err := db.migrate(); err != nil {
		w.Close()
		return nil, err
	}
	r, err := openPostgresPool(dsn, true)
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	db.read = r
	if _, err := db.submitStatements(); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: prepare: %w", err)
	}
	var schema string
	if err := db.read.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: read the schema of %s: %w", Shown(target), err)
	}
	db.changes.channel = pgChannel(schema)
	db.changes.listen(dsn, slog.Default())
	return db, nil
}

// pgMigrateLock is the session advisory lock two nodes starting at once take in turn, so that
// one applies the migrations and the other finds them applied.
const pgMigrateLock = 0x7061727375727677

// migratePostgres applies the PostgreSQL migrations above the version in schema_version, each in
// its own transaction, under pgMigrateLock.
func (db *DB) migratePostgres(target int) error {
	ms, err := loadMigrations(Postgres)
	if err != nil {
		return err
	}
	if target < 0 {
		target = len(ms)
	}
	ctx := context.Background()
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(?)`, int64(pgMigrateLock)); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(?)`, int64(pgMigrateLock))
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	var current int
	if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&current); err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("%w: database is at version %d, this binary knows %d", ErrTooNew, current, len(ms))
	}
	for _, m := range ms[min(current, target):target] {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		if _, err := tx.Exec(m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migration postgres/%s: %w", m.name, err)
		}
		if _, err := tx.Exec(`DELETE FROM schema_version`); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		if _, err := tx.Exec(`INSERT INTO schema_version (version) VALUES (?)`, m.version); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
	}
	return nil
}
