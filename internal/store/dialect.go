package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/mattn/go-sqlite3"
)

// Dialect names the database a DB runs on.
type Dialect string

// The two databases parsurvey runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// IsPostgres reports whether target (a --db value) names a PostgreSQL database rather than an
// SQLite file.
func IsPostgres(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

// Dialect is the database this DB runs on.
func (db *DB) Dialect() Dialect { return db.dialect }

// pg reports whether the DB runs on PostgreSQL; the few queries that differ branch on it.
func (db *DB) pg() bool { return db.dialect == Postgres }

// rebind turns the store's SQLite-style placeholders (? and ?NNN) into PostgreSQL's ($1, $NNN).
// Everything else in the store's SQL is written to mean the same on both databases (ifnull and
// group_concat are defined in the PostgreSQL schema). Quoted text, quoted names and comments are
// copied as they are.
func rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) {
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c { // a doubled quote inside the text
						j += 2
						continue
					}
					break
				}
				j++
			}
			if j >= len(q) {
				j = len(q) - 1
			}
			b.WriteString(q[i : j+1])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			if j > i+1 {
				b.WriteByte('$')
				b.WriteString(q[i+1 : j])
				i = j - 1
				continue
			}
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// rebound remembers rewritten queries: nearly all are constants, so the cache stays small; it
// stops growing at rebindCacheMax, for queries built with a varying number of placeholders.
var (
	rebound      sync.Map // string → string
	reboundCount atomic.Int64
)

const rebindCacheMax = 4096

func rebindCached(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	r := rebind(q)
	if reboundCount.Load() < rebindCacheMax {
		if _, loaded := rebound.LoadOrStore(q, r); !loaded {
			reboundCount.Add(1)
		}
	}
	return r
}

// pgConnector opens pgx connections whose queries are rebound on the way in.
type pgConnector struct{ inner driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	full, ok := conn.(pgDriverConn)
	if !ok {
		conn.Close()
		return nil, errors.New("store: the pgx driver's connection lacks a method the store uses")
	}
	return &pgConn{full}, nil
}

func (c pgConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgDriverConn is what pgx's database/sql connection implements and the store relies on.
type pgDriverConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.NamedValueChecker
}

type pgConn struct{ pgDriverConn }

func (c *pgConn) Prepare(q string) (driver.Stmt, error) {
	return c.pgDriverConn.Prepare(rebindCached(q))
}

func (c *pgConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.pgDriverConn.PrepareContext(ctx, rebindCached(q))
}

func (c *pgConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return c.pgDriverConn.ExecContext(ctx, rebindCached(q), args)
}

func (c *pgConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return c.pgDriverConn.QueryContext(ctx, rebindCached(q), args)
}

// CheckNamedValue stores a Go bool as 1 or 0, as SQLite does: flags are integer columns on both
// databases, and PostgreSQL will not take a boolean for an integer.
func (c *pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	if b, ok := nv.Value.(bool); ok {
		nv.Value = int64(0)
		if b {
			nv.Value = int64(1)
		}
		return nil
	}
	return c.pgDriverConn.CheckNamedValue(nv)
}

// pgWriteLock is the key of the transaction-scoped advisory lock every write transaction takes
// on PostgreSQL. It gives every node on the database the single writer the store's code is
// written for on SQLite: a read inside a write transaction sees every earlier commit of every
// node, the audit chain stays one chain, and serials are drawn one after another. Group commit
// spreads the lock over the batch; readers never take it.
const pgWriteLock = 0x7061727375727679 // "parsurvy"

// openPostgresPool opens a pool on dsn whose connections rebind the store's queries; readOnly
// pools refuse to write (default_transaction_read_only).
func openPostgresPool(dsn string, readOnly bool) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: read the PostgreSQL address: %w", err)
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["timezone"] = "UTC"
	cfg.RuntimeParams["application_name"] = "parsurvey"
	if readOnly {
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	return sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)}), nil
}

// pgError is err's PostgreSQL error, if it is one.
func pgError(err error) (*pgconn.PgError, bool) {
	var pe *pgconn.PgError
	ok := errors.As(err, &pe)
	return pe, ok
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY constraint violation.
func isUnique(err error) bool {
	if pe, ok := pgError(err); ok {
		return pe.Code == "23505"
	}
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// isUniqueOn reports whether err is a UNIQUE violation on table.column: SQLite names the column,
// PostgreSQL the index, which the schema names table_column.
func isUniqueOn(err error, table, column string) bool {
	if !isUnique(err) {
		return false
	}
	if pe, ok := pgError(err); ok {
		return pe.ConstraintName == table+"_"+column || pe.ConstraintName == table+"_"+column+"_key"
	}
	return strings.Contains(err.Error(), table+"."+column)
}

// isForeignKey reports whether err is a FOREIGN KEY constraint violation.
func isForeignKey(err error) bool {
	if pe, ok := pgError(err); ok {
		return pe.Code == "23503"
	}
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
}

// insertID runs an INSERT of one row and returns the id the database gave it (RETURNING id:
// both databases have it; PostgreSQL has no last insert id).
func insertID(tx *sql.Tx, query string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRow(query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// fromPostgres reports whether err came from PostgreSQL, whose failed statement has aborted the
// transaction it ran in.
func fromPostgres(err error) bool {
	_, ok := pgError(err)
	return ok
}

// skipLocked is the clause a claim query ends its row selection with: on PostgreSQL, rows
// another node's claim transaction holds are passed over instead of waited for; SQLite has one
// writer, so nothing is ever held.
func (db *DB) skipLocked() string {
	if db.pg() {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// Claim runs fn in a write transaction that does not take pgWriteLock, for claiming queued work
// (e-mails, print runs) with a SELECT … FOR UPDATE SKIP LOCKED (skipLocked): two nodes claim at
// the same moment without waiting on each other or on the writers, and never claim the same
// row. fn must write only the claimed rows' claim columns: nothing audited, nothing a reader
// inside DB.Write relies on. On SQLite it is DB.Write.
func (db *DB) claim(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if !db.pg() {
		return db.Write(ctx, fn)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin claim: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit claim: %w", err)
	}
	return nil
}
