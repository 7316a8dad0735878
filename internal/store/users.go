package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parsurvey/parsurvey/internal/fault"
)

// Role is what a staff account may do.
type Role string

// The staff roles (issue 15): who holds which work is the routes table's, internal/web/routes.go.
const (
	// RoleAdmin is the Sở Nội vụ: accounts, campaigns, everything.
	RoleAdmin Role = "admin"
	// RoleAnalyst is the institute: authoring, issuing, printing, scoring, exports.
	RoleAnalyst Role = "analyst"
	// RoleSupervisor runs the field: paper batches, enumerator assignment, adjudication,
	// conflicts, distribution lists.
	RoleSupervisor Role = "supervisor"
	// RoleEnumerator keys paper forms, nothing else.
	RoleEnumerator Role = "enumerator"
	// RoleViewer reads results and the dashboard.
	RoleViewer Role = "viewer"
)

// Roles are every role, from the widest to the narrowest.
var Roles = []Role{RoleAdmin, RoleAnalyst, RoleSupervisor, RoleEnumerator, RoleViewer}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// Label is the role's Vietnamese name, as every page shows it.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Quản trị (Sở Nội vụ)"
	case RoleAnalyst:
		return "Chuyên viên phân tích (Viện)"
	case RoleSupervisor:
		return "Giám sát viên"
	case RoleEnumerator:
		return "Điều tra viên"
	case RoleViewer:
		return "Người xem kết quả"
	}
	return string(r)
}

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
	// Organisation and Campaigns limit the account to some campaigns: those whose organizer
	// is Organisation, and those listed. Neither set is no limit (Scoped).
	Organisation string
	Campaigns    []int64
}

// Scoped reports whether the account sees only some campaigns.
func (u User) Scoped() bool { return u.Organisation != "" || len(u.Campaigns) > 0 }

// HasCampaign reports whether the account is limited to the campaign by name.
func (u User) HasCampaign(id int64) bool { return slices.Contains(u.Campaigns, id) }

// ErrDuplicate is returned when a unique name is taken.
var ErrDuplicate = fault.Sentinel(fault.Conflict, "store: already exists")

// CreateUser adds a staff account; the password must already be hashed.
func (db *DB) CreateUser(ctx context.Context, u *User) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		now := db.Now()
		newID, err := insertID(tx, `INSERT INTO users (username, full_name, role, password_hash, created_at, must_change_password, organisation) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			u.Username, u.FullName, string(u.Role), u.PasswordHash, timeText(now), u.MustChangePassword, u.Organisation)
		if isUnique(err) {
			return fmt.Errorf("%w: tên đăng nhập %q", ErrDuplicate, u.Username)
		}
		if err != nil {
			return fmt.Errorf("store: create user %s: %w", u.Username, err)
		}
		u.ID = newID
		u.CreatedAt = now
		if err := setUserCampaigns(tx, u.ID, u.Campaigns); err != nil {
			return err
		}
		return audit(tx, timeText(now), byUserID(ctx), "user.create", 0, u.Username, map[string]any{"role": string(u.Role), "user": u.ID,
			"organisation": u.Organisation, "campaigns": u.Campaigns})
	})
}

type byUserKey struct{}

// WithUser returns ctx carrying the signed-in account whose actions a Write records as theirs
// where the store call itself names nobody (creating an account).
func WithUser(ctx context.Context, userID int64) context.Context {
	return context.WithValue(ctx, byUserKey{}, userID)
}

func byUserID(ctx context.Context) int64 {
	id, _ := ctx.Value(byUserKey{}).(int64)
	return id
}

// setUserCampaigns replaces the campaigns an account is limited to.
func setUserCampaigns(tx *sql.Tx, userID int64, campaigns []int64) error {
	if _, err := tx.Exec(`DELETE FROM user_campaigns WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: scope of user %d: %w", userID, err)
	}
	for _, c := range campaigns {
		_, err := tx.Exec(`INSERT INTO user_campaigns (user_id, campaign_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, userID, c)
		if isForeignKey(err) {
			return fmt.Errorf("%w: đợt khảo sát số %d", ErrNotFound, c)
		}
		if err != nil {
			return fmt.Errorf("store: scope of user %d: %w", userID, err)
		}
	}
	return nil
}

// SetScope limits an account to the campaigns of one organisation and to those listed (none of
// either: every campaign); the account's sessions go on, with the new scope from their next
// request.
func (db *DB) SetScope(ctx context.Context, userID int64, organisation string, campaigns []int64, byUserID int64) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE users SET organisation = ? WHERE id = ?`, organisation, userID)
		if err != nil {
			return fmt.Errorf("store: scope of user %d: %w", userID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if err := setUserCampaigns(tx, userID, campaigns); err != nil {
			return err
		}
		return audit(tx, timeText(db.Now()), byUserID, "user.scope", 0, fmt.Sprint(userID),
			map[string]any{"organisation": organisation, "campaigns": campaigns})
	})
}

// SetRole gives an account another role; its sessions end, so that nothing done under the old
// role goes on.
func (db *DB) SetRole(ctx context.Context, userID int64, role Role, byUserID int64) error {
	if !role.Valid() {
		return fmt.Errorf("store: role %q: %w", role, ErrNotFound)
	}
	return db.Write(ctx, func(tx *sql.Tx) error {
		var old string
		if err := tx.QueryRow(`SELECT role FROM users WHERE id = ?`, userID).Scan(&old); err != nil {
			return notFound(err)
		}
		if _, err := tx.Exec(`UPDATE users SET role = ? WHERE id = ?`, string(role), userID); err != nil {
			return fmt.Errorf("store: role of user %d: %w", userID, err)
		}
		if _, err := tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("store: end sessions: %w", err)
		}
		return audit(tx, timeText(db.Now()), byUserID, "user.role", 0, fmt.Sprint(userID), map[string]string{"from": old, "to": string(role)})
	})
}

// CampaignInScope reports whether the account may see the campaign: it exists and the account
// is not limited, or is limited to it by its organisation or by name. A campaign out of scope
// and one that does not exist answer alike.
func (db *DB) CampaignInScope(ctx context.Context, u *User, campaignID int64) (bool, error) {
	if !u.Scoped() {
		return true, nil
	}
	if slices.Contains(u.Campaigns, campaignID) {
		return true, nil
	}
	if u.Organisation == "" {
		return false, nil
	}
	var org string
	err := db.read.QueryRowContext(ctx, `SELECT ifnull(json_extract(definition, '$.organizer'), '') FROM campaigns WHERE id = ?`, campaignID).Scan(&org)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: scope of campaign %d: %w", campaignID, err)
	}
	return u.holds(campaignID, org), nil
}

// CampaignsInScope lists the ids of the campaigns a limited account may see, by id, with one
// query; CampaignInScope answers for one campaign.
func (db *DB) CampaignsInScope(ctx context.Context, u *User) ([]int64, error) {
	orgs, err := db.Organizers(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for id, org := range orgs {
		if u.holds(id, org) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// holds reports whether a limited account's scope takes in the campaign of this id, whose
// definition names organizer: by name, or by organisation.
func (u *User) holds(campaignID int64, organizer string) bool {
	if slices.Contains(u.Campaigns, campaignID) {
		return true
	}
	// Letters compared without case, Vietnamese ones too (SQLite's NOCASE folds ASCII only).
	return u.Organisation != "" && strings.EqualFold(strings.TrimSpace(organizer), strings.TrimSpace(u.Organisation))
}

// Organizers maps every campaign to the organisation its definition names.
func (db *DB) Organizers(ctx context.Context) (map[int64]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, ifnull(json_extract(definition, '$.organizer'), '') FROM campaigns`)
	if err != nil {
		return nil, fmt.Errorf("store: organizers: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var org string
		if err := rows.Scan(&id, &org); err != nil {
			return nil, err
		}
		out[id] = org
	}
	return out, rows.Err()
}

// userColumns ends with the account's campaigns, as a comma-separated list.
const userColumns = `id, username, full_name, role, password_hash, disabled, created_at, must_change_password, organisation,
	(SELECT ifnull(group_concat(campaign_id), '') FROM user_campaigns WHERE user_id = users.id)`

// userColumnsOf is userColumns of the users table under an alias, for joins.
func userColumnsOf(alias string) string {
	return strings.ReplaceAll(`u.id, u.username, u.full_name, u.role, u.password_hash, u.disabled, u.created_at, u.must_change_password, u.organisation,
	(SELECT ifnull(group_concat(campaign_id), '') FROM user_campaigns WHERE user_id = u.id)`, "u.", alias+".")
}

func scanUser(row interface{ Scan(...any) error }, extra ...any) (*User, error) {
	var u User
	var role, created, campaigns string
	dest := append([]any{&u.ID, &u.Username, &u.FullName, &role, &u.PasswordHash, &u.Disabled, &created, &u.MustChangePassword,
		&u.Organisation, &campaigns}, extra...)
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	u.Role, u.CreatedAt = Role(role), parseTime(created)
	for _, v := range strings.Split(campaigns, ",") {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			u.Campaigns = append(u.Campaigns, id)
		}
	}
	slices.Sort(u.Campaigns)
	return &u, nil
}

// UserByName finds an account by user name, case-insensitively.
func (db *DB) UserByName(ctx context.Context, username string) (*User, error) {
	return scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE lower(username) = lower(?)`, username))
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

// DeleteSession ends a session; the sign-out is audited as its user's.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		var userID int64
		err := tx.QueryRow(`DELETE FROM sessions WHERE token_hash = ? RETURNING user_id`, hashToken(token)).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // ended already: nothing to sign out of
		}
		if err != nil {
			return fmt.Errorf("store: end session: %w", err)
		}
		return audit(tx, timeText(db.Now()), userID, "user.logout", 0, "", nil)
	})
}

// LoginFailed records a refused sign-in under the name typed (cut to 64 bytes on a character
// boundary) and the client's address.
func (db *DB) LoginFailed(ctx context.Context, username, addr, reason string) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		var userID int64
		if err := tx.QueryRow(`SELECT id FROM users WHERE lower(username) = lower(?)`, username).Scan(&userID); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: login failed: %w", err)
		}
		return audit(tx, timeText(db.Now()), userID, "user.login_failed", 0, cutText(username, 64), map[string]string{"addr": addr, "reason": reason})
	})
}

// cutText cuts s to at most n bytes without splitting a character.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
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
