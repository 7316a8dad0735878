// Package testenv builds what the service's tests share: a temp-file SQLite database closed when
// the test ends, the demo campaign in it, the staff accounts tests sign in as, the test
// configuration, and a signed-in HTTP client for tests that run the real app on a loopback
// listener.
//
// It imports neither internal/web nor internal/app, so that package web's own tests can use it;
// they build the server and their app.Test client over it. Importing it lowers the bcrypt cost
// of the whole test binary to bcrypt.MinCost (auth.SetCostForTests), so that the many sign-ins
// of a test run cost next to nothing; it panics if anything but a test binary imports it.
package testenv

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/parsurvey/parsurvey/forms"
	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/config"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/internal/store/pgtest"
	"golang.org/x/crypto/bcrypt"
)

func init() {
	// At bcrypt.DefaultCost every sign-in spends tens of milliseconds hashing, far more under
	// -race, and the web tests sign in hundreds of times; the hash's strength is not under test.
	auth.SetCostForTests(bcrypt.MinCost)
}

// Open returns a new scratch SQLite database (store.OpenScratch) in a temp file of the test,
// closed when the test ends; when PARSURVEY_TEST_PG names a PostgreSQL server, a schema of the
// test's own there instead (pgtest), so that the same tests run on both databases.
func Open(t testing.TB) *store.DB {
	t.Helper()
	// Scratch: tests do not test power cuts, and fsyncs made the simulation test wait 30 s.
	target := filepath.Join(t.TempDir(), "parsurvey.db")
	if pgtest.Address() != "" {
		target = pgtest.Schema(t)
	}
	db, err := store.OpenScratch(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close the test database: %v", err)
		}
	})
	return db
}

// Edit is one change to a file of the demo definition: Old, which must be there, becomes New.
type Edit struct{ File, Old, New string }

// EditedDemo loads the three-level example (forms/demo-3cap, the campaign Demo loads) with
// edits, through the real loader and its checks; a test fails when the example no longer holds
// a text an edit replaces.
func EditedDemo(t testing.TB, edits ...Edit) *campaign.Definition {
	t.Helper()
	return editedExample(t, forms.Demo3Cap, edits...)
}

// EditedDemo2026 is EditedDemo on the default two-level demo (forms/demo, Demo2026).
func EditedDemo2026(t testing.TB, edits ...Edit) *campaign.Definition {
	t.Helper()
	return editedExample(t, forms.Demo, edits...)
}

func editedExample(t testing.TB, dir string, edits ...Edit) *campaign.Definition {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(forms.FS, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(forms.FS, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		f := m[dir+"/"+e.File]
		if f == nil || !strings.Contains(string(f.Data), e.Old) {
			t.Fatalf("the example %s changed: no %q in %s", dir, e.Old, e.File)
		}
		f.Data = []byte(strings.Replace(string(f.Data), e.Old, e.New, 1))
	}
	def, err := campaign.Load(m, dir)
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// Demo loads the three-level example built into the binary (forms/demo-3cap: Sở and huyện,
// code demo-2026) into db and returns it. Most tests describe its contents; the default demo
// that serve loads is Demo2026's.
func Demo(t testing.TB, db *store.DB) *store.Campaign {
	t.Helper()
	return loadExample(t, db, forms.Demo3Cap)
}

// Demo2026 loads the default demo built into the binary (forms/demo: a merged province in 2026
// with two levels, 20 agencies and 64 xã, phường and đặc khu, code binhan-2026) into db and
// returns it.
func Demo2026(t testing.TB, db *store.DB) *store.Campaign {
	t.Helper()
	return loadExample(t, db, forms.Demo)
}

func loadExample(t testing.TB, db *store.DB, dir string) *store.Campaign {
	t.Helper()
	def, err := campaign.Load(forms.FS, dir)
	if err != nil {
		t.Fatal(err)
	}
	camp, _, err := db.SaveDefinition(context.Background(), def, 0)
	if err != nil {
		t.Fatal(err)
	}
	return camp
}

// BaseURL is the public address of the test configuration, the host of every link it makes.
const BaseURL = "http://khaosat.test"

// Config is the configuration tests run the service with, its database at dbPath. It never
// listens on a fixed port, and it believes X-Forwarded-For from 0.0.0.0 alone: that is the peer
// app.Test gives every request, so app.Test clients can each pose as their own address, while a
// real connection from 127.0.0.1 counts as itself.
func Config(t testing.TB, dbPath string) config.Config {
	t.Helper()
	cfg := config.Default()
	cfg.DB = dbPath
	if cfg.Postgres() {
		cfg.Work = t.TempDir() // else data/ under the test's package
	}
	cfg.Addr = "127.0.0.1:0"
	cfg.BaseURL = BaseURL
	cfg.ProxyHeader = "X-Forwarded-For"
	cfg.TrustedProxies = "0.0.0.0/32"
	if err := cfg.Finish(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Password is the password of every account AddUser and AddStaff create.
const Password = "mat-khau-thu-nghiem"

// passwordHash is Password hashed once for all test accounts, at the cost init set.
var passwordHash = sync.OnceValues(func() (string, error) { return auth.HashPassword(Password) })

// AddUser creates a staff account with Password, named "Cán bộ <username>".
func AddUser(t testing.TB, db *store.DB, username string, role store.Role) *store.User {
	t.Helper()
	hash, err := passwordHash()
	if err != nil {
		t.Fatal(err)
	}
	u := &store.User{Username: username, FullName: "Cán bộ " + username, Role: role, PasswordHash: hash}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// Staff are the accounts AddStaff creates: an administrator, a supervisor, two enumerators and
// an analyst (the institute's role, issue 15).
var Staff = []struct {
	Username string
	Role     store.Role
}{
	{"admin", store.RoleAdmin},
	{"giamsat", store.RoleSupervisor},
	{"dtv1", store.RoleEnumerator},
	{"dtv2", store.RoleEnumerator},
	{"phantich", store.RoleAnalyst},
}

// AddStaff creates the Staff accounts with Password and returns them by user name.
func AddStaff(t testing.TB, db *store.DB) map[string]*store.User {
	t.Helper()
	users := map[string]*store.User{}
	for _, s := range Staff {
		users[s.Username] = AddUser(t, db, s.Username, s.Role)
	}
	return users
}
