package simulate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/store"
)

// RehearsalSetting is the setting that marks a database as a rehearsal copy: a simulation runs
// only there, and only such a database may be deleted as a rehearsal.
const RehearsalSetting = "rehearsal"

// RehearsalPrefix starts the name of a rehearsal's campaign, so that every page, export and
// report made from it says it is not the live campaign.
const RehearsalPrefix = "[Diễn tập] "

// Rehearsal describes a rehearsal copy: the live database and campaign it was made from.
type Rehearsal struct {
	Path     string    `json:"-"`
	Of       string    `json:"of"`
	Campaign string    `json:"campaign"`
	Created  time.Time `json:"created"`
}

// ErrNotRehearsal is returned when a database that is not a rehearsal copy would be simulated
// into or deleted.
var ErrNotRehearsal = errors.New("simulate: not a rehearsal database")

// ErrRehearsalExists is returned when a rehearsal would be made over an existing file.
var ErrRehearsalExists = errors.New("simulate: the rehearsal file exists")

// RehearsalPath is where the rehearsal of a campaign goes by default: beside the live database,
// named after it and the campaign.
func RehearsalPath(livePath, code string) string {
	base := strings.TrimSuffix(filepath.Base(livePath), filepath.Ext(livePath))
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, code)
	return filepath.Join(filepath.Dir(livePath), base+".dien-tap-"+safe+".db")
}

// NewRehearsal makes a rehearsal copy of campaign code of the live database at path: a new
// database holding that campaign's definition with the rules in force (its stored settings laid
// over it) and nothing else of the live data — no forms, responses, accounts or audit. The live
// database is only read. The caller closes the returned database.
func NewRehearsal(ctx context.Context, live *store.DB, camp *store.Campaign, path string) (*store.DB, *store.Campaign, error) {
	if same(path, live.Path()) {
		return nil, nil, fmt.Errorf("simulate: the rehearsal %s is the live database", path)
	}
	if _, err := os.Stat(path); err == nil {
		return nil, nil, fmt.Errorf("%w: %s", ErrRehearsalExists, path)
	}
	def, err := live.Effective(ctx, camp)
	if err != nil {
		return nil, nil, err
	}
	copyDef := *def
	if !strings.HasPrefix(copyDef.Name, RehearsalPrefix) {
		copyDef.Name = RehearsalPrefix + copyDef.Name
	}
	// Scratch: a rehearsal is thrown away, and fsyncs would slow it tenfold.
	db, err := store.OpenScratch(path)
	if err != nil {
		return nil, nil, err
	}
	mark, _ := json.Marshal(Rehearsal{Of: live.Path(), Campaign: camp.Def.Code, Created: time.Now().UTC()})
	if _, err := db.SetSettingOnce(ctx, RehearsalSetting, string(mark)); err != nil {
		db.Close()
		return nil, nil, err
	}
	c, _, err := db.SaveDefinition(ctx, &copyDef, 0)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, c, nil
}

// ReadRehearsal reports whether db is a rehearsal copy, and of what.
func ReadRehearsal(ctx context.Context, db *store.DB) (Rehearsal, bool, error) {
	v, err := db.Setting(ctx, RehearsalSetting)
	if err != nil || v == "" {
		return Rehearsal{}, false, err
	}
	var r Rehearsal
	if err := json.Unmarshal([]byte(v), &r); err != nil {
		return Rehearsal{}, false, fmt.Errorf("simulate: rehearsal mark of %s: %w", db.Path(), err)
	}
	r.Path = db.Path()
	return r, true, nil
}

// DeleteRehearsal removes a rehearsal copy whole: its database file and the files SQLite and
// parsurvey keep beside it. It refuses a database not marked as a rehearsal, so that a live
// database is never deleted this way, and one a running service holds.
func DeleteRehearsal(ctx context.Context, path string) error {
	if store.IsPostgres(path) {
		// A rehearsal is always an SQLite file: a PostgreSQL database is never one.
		return fmt.Errorf("%w: %s", ErrNotRehearsal, store.Shown(path))
	}
	if _, err := os.Stat(path); err != nil {
		return err
	}
	lock, err := store.LockFile(path)
	if errors.Is(err, store.ErrInUse) {
		return fmt.Errorf("simulate: %s is held by a running service: stop it first", path)
	}
	if err != nil {
		return err
	}
	defer lock.Release()
	db, err := store.OpenScratch(path)
	if err != nil {
		return err
	}
	_, ok, err := ReadRehearsal(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotRehearsal, path)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", path + ".lock"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

func same(a, b string) bool {
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	if x == y {
		return true
	}
	sa, err1 := os.Stat(x)
	sb, err2 := os.Stat(y)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
