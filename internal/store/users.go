package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/fault"
)

// Role is what a staff account may do.
type Role string

// The staff roles.
const (
	RoleAdmin      Role = "admin"
	RoleSupervisor Role = "supervisor"
	RoleEnumerator Role = "enumerator"
)

// User is a staff account.
type User struct {
	ID           int64
	Username     string
	FullName     string
	Role         Role
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
	// MustChangePassword is set when an administrator set the password: the user replaces it
	// at the next sign-in before doing anything else.
	MustChangePassword bool
}

// ErrDuplicate is returned when a unique name is taken.
var ErrDuplicate = fault.Sentinel(fault.Conflict, "store: already exists")

// CreateUser adds a staff account; the password must already be hashed.
func (db *DB) CreateUser(ctx context.Context, u *User) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		now := db.Now()
		res, err := tx.Exec(`INSERT INTO users (username, full_name, role, password_hash, created_at, must_change_password) VALUES (?, ?, ?, ?, ?, ?)`,
			u.Username, u.FullName, string(u.Role), u.PasswordHash, timeText(now), u.MustChangePassword)
		if isUnique(err) {
			return fmt.Errorf("%w: tên đăng nhập %q", ErrDuplicate, u.Username)
		}
		if err != nil {
			return fmt.Errorf("store: create user %s: %w", u.Username, err)
		}
		u.ID, _ = res.LastInsertId()
		u.CreatedAt = now
		return audit(tx, timeText(now), 0, "user.create", 0, u.Username, map[string]string{"role": string(u.Role)})
	})
}

const userColumns = `id, username, full_name, role, password_hash, disabled, created_at, must_change_password`

// userColumnsOf is userColumns of the users table under an alias, for joins.
func userColumnsOf(alias string) string {
	cols := strings.Split(userColumns, ", ")
	for i := range cols {
		cols[i] = alias + "." + cols[i]
	}
	return strings.Join(cols, ", ")
}

func scanUser(row interface{ Scan(...any) error }, extra ...any) (*User, error) {
	var u User
	var role, created string
	dest := append([]any{&u.ID, &u.Username, &u.FullName, &role, &u.PasswordHash, &u.Disabled, &created, &u.MustChangePassword}, extra...)
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	u.Role, u.CreatedAt = Role(role), parseTime(created)
	return &u, nil
}

// UserByName finds an account by user name, case-insensitively.
func (db *DB) UserByName(ctx context.Context, username string) (*User, error) {
	return scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE username = ?`, username))
}

// UserByID finds an account by id.
func (db *DB) UserByID(ctx context.Context, id int64) (*User, error) {
	return scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// CountUsers returns how many accounts exist.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, err
}

// Users lists accounts by role ("" for all), by user name.
func (db *DB) Users(ctx context.Context, role Role) ([]User, error) {
	return db.listUsers(ctx, "list users", `SELECT `+userColumns+` FROM users WHERE ? = '' OR role = ? ORDER BY username`, role, role)
}

// listUsers runs a query of the user columns on the read pool and returns its accounts; what
// names the list in the error of the query.
func (db *DB) listUsers(ctx context.Context, what, query string, args ...any) ([]User, error) {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// SetPassword replaces a user's own password: their other sessions end, and a password an
// administrator had set no longer needs changing.
func (db *DB) SetPassword(ctx context.Context, userID int64, hash string) error {
	return db.setPassword(ctx, userID, hash, false, userID, "user.password")
}

// ResetPassword sets a password for a user, by an administrator: the user's sessions end and
// the user must change it at the next sign-in.
func (db *DB) ResetPassword(ctx context.Context, userID int64, hash string, byUserID int64) error {
	return db.setPassword(ctx, userID, hash, true, byUserID, "user.reset")
}

func (db *DB) setPassword(ctx context.Context, userID int64, hash string, mustChange bool, byUserID int64, action string) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?`, hash, mustChange, userID)
		if err != nil {
			return fmt.Errorf("store: set password: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if _, err := tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("store: end sessions: %w", err)
		}
		return audit(tx, timeText(db.Now()), byUserID, action, 0, fmt.Sprint(userID), nil)
	})
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Sessions follow the wall clock, never the campaign clock a rehearsal moves.

// CreateSession stores a new sign-in session, ending the one the browser had (replaced, if any:
// the session id rotates at sign-in); only a hash of each token is kept.
func (db *DB) CreateSession(ctx context.Context, token, replaced string, userID int64, ttl time.Duration) error {
	now := db.wall()
	return db.Write(ctx, func(tx *sql.Tx) error {
		if replaced != "" {
			if _, err := tx.Exec(`DELETE FROM sessions WHERE token_hash = ?`, hashToken(replaced)); err != nil {
				return fmt.Errorf("store: end the replaced session: %w", err)
			}
		}
		if _, err := tx.Exec(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen) VALUES (?, ?, ?, ?, ?)`,
			hashToken(token), userID, timeText(now), timeText(now.Add(ttl)), timeText(now)); err != nil {
			return fmt.Errorf("store: create session: %w", err)
		}
		if _, err := tx.Exec(`DELETE FROM sessions WHERE expires_at < ?`, timeText(now)); err != nil {
			return fmt.Errorf("store: expire sessions: %w", err)
		}
		return audit(tx, timeText(db.Now()), userID, "user.login", 0, "", nil)
	})
}

// SessionUser returns the enabled account behind a live session token: not past its expiry
// and used within idle. It records the use, at most once a minute, so the idle time restarts.
func (db *DB) SessionUser(ctx context.Context, token string, idle time.Duration) (*User, error) {
	now := db.wall()
	var lastSeen string
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumnsOf("u")+`, s.last_seen
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND s.last_seen > ? AND u.disabled = 0`,
		hashToken(token), timeText(now), timeText(now.Add(-idle))), &lastSeen)
	if err != nil {
		return nil, err
	}
	if now.Sub(parseTime(lastSeen)) > time.Minute {
		err := db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec(`UPDATE sessions SET last_seen = ? WHERE token_hash = ?`, timeText(now), hashToken(token))
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("store: touch session: %w", err)
		}
	}
	return u, nil
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM sessions WHERE token_hash = ?`, hashToken(token))
		return err
	})
}

// Setting returns a stored setting, or "" when unset.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSettingOnce stores a setting unless one exists, and returns the stored value.
func (db *DB) SetSettingOnce(ctx context.Context, key, value string) (string, error) {
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: setting %s: %w", key, err)
	}
	return db.Setting(ctx, key)
}

// SetDisabled turns an account off (its sessions end) or on again.
func (db *DB) SetDisabled(ctx context.Context, userID int64, disabled bool, byUserID int64) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE users SET disabled = ? WHERE id = ?`, disabled, userID)
		if err != nil {
			return fmt.Errorf("store: disable user %d: %w", userID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if disabled {
			if _, err := tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
				return fmt.Errorf("store: end sessions: %w", err)
			}
		}
		return audit(tx, timeText(db.Now()), byUserID, "user.disable", 0, fmt.Sprint(userID), map[string]bool{"disabled": disabled})
	})
}
