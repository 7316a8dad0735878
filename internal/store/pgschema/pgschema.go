// Package pgschema makes throw-away schemas on a PostgreSQL server: a database of its own for a
// test (pgtest) or a benchmark (bench), on a server where creating databases may not be allowed.
package pgschema

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
)

// Temp makes an empty schema named prefix_<random> in the PostgreSQL database at addr and
// returns an address whose search_path is that schema, with a drop that removes it whole.
func Temp(ctx context.Context, addr, prefix string) (string, func() error, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	name := prefix + "_" + hex.EncodeToString(b)
	u, err := url.Parse(addr)
	if err != nil {
		return "", nil, fmt.Errorf("pgschema: %w", err)
	}
	exec := func(ctx context.Context, q string) error {
		conn, err := pgx.Connect(ctx, addr)
		if err != nil {
			return fmt.Errorf("pgschema: connect to %s: %w", u.Redacted(), err)
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, q)
		return err
	}
	if err := exec(ctx, "CREATE SCHEMA "+name); err != nil {
		return "", nil, fmt.Errorf("pgschema: create schema %s: %w", name, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	drop := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := exec(ctx, "DROP SCHEMA "+name+" CASCADE"); err != nil {
			return fmt.Errorf("pgschema: drop schema %s: %w", name, err)
		}
		return nil
	}
	return u.String(), drop, nil
}
