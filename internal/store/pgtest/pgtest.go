// Package pgtest gives tests a PostgreSQL database of their own when one is named in
// PARSURVEY_TEST_PG, so that the store's tests, and the tests built on internal/testenv, run on
// PostgreSQL as well as on SQLite. .ci/run starts a throw-away cluster and sets the variable; a
// plain `go test ./...` leaves it unset and needs no server.
package pgtest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/parsurvey/parsurvey/internal/store/pgschema"
)

// Env names the variable holding the postgres:// address of a database the tests may create
// schemas in.
const Env = "PARSURVEY_TEST_PG"

// Address is the server named in Env, or "" when the tests run on SQLite only.
func Address() string { return os.Getenv(Env) }

// Schema creates an empty schema on the server named in Env and returns an address whose
// search_path is that schema, so that each test has a database of its own; the schema is dropped
// when the test ends. It skips the test when Env is unset.
func Schema(t testing.TB) string {
	t.Helper()
	base := Address()
	if base == "" {
		t.Skipf("needs PostgreSQL: set %s to a postgres:// address", Env)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	addr, drop, err := pgschema.Temp(ctx, base, "t")
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return addr
}
