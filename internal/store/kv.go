package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// KV is a small expiring key-value table that satisfies fiber.Storage, so middleware state (CSRF
// tokens) survives a restart like the sessions do. Expiry follows the wall clock, never the
// campaign clock a simulation moves.
type KV struct{ db *DB }

// KV returns the key-value view of the database.
func (db *DB) KV() *KV { return &KV{db: db} }

// Get returns the value for key, or nil when missing or expired.
func (k *KV) Get(key string) ([]byte, error) {
	var v []byte
	err := k.db.read.QueryRow(`SELECT value FROM kv WHERE key = ? AND (expires_at = 0 OR expires_at > ?)`,
		key, k.db.wall().Unix()).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return v, err
}

// Set stores a value; exp 0 keeps it forever.
func (k *KV) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	var expires int64
	if exp > 0 {
		expires = k.db.wall().Add(exp).Unix()
	}
	return k.db.Write(context.Background(), func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`, key, val, expires); err != nil {
			return err
		}
		_, err := tx.Exec(`DELETE FROM kv WHERE expires_at > 0 AND expires_at <= ?`, k.db.wall().Unix())
		return err
	})
}

// Delete removes a key.
func (k *KV) Delete(key string) error {
	return k.db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM kv WHERE key = ?`, key)
		return err
	})
}

// Reset removes every key.
func (k *KV) Reset() error {
	return k.db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM kv`)
		return err
	})
}

// Close does nothing: the database outlives the middleware.
func (k *KV) Close() error { return nil }
