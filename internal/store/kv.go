package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
)

// Secret returns the server key called name, creating it (32 random bytes) the first time. Keys
// live in the kv table so that every node on the database, and the next start, share them; the
// first writer's key wins.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("store: secret %s: %w", name, err)
	}
	err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO kv (key, value, expires_at) VALUES (?, ?, 0) ON CONFLICT (key) DO NOTHING`, "secret:"+name, key)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: secret %s: %w", name, err)
	}
	var v []byte
	if err := db.read.QueryRowContext(ctx, `SELECT value FROM kv WHERE key = ?`, "secret:"+name).Scan(&v); err != nil {
		return nil, fmt.Errorf("store: secret %s: %w", name, err)
	}
	return v, nil
}
