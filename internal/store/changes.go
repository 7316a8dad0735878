package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Change is a committed change that other parts of the service may hold a copy of, and so must
// forget: today a campaign's definition, version or lock.
type Change struct {
	Kind       string `json:"kind"`
	CampaignID int64  `json:"campaign,omitempty"`
}

// Kinds of Change.
const (
	// ChangeCampaign: a campaign's definition, version, units, quotas or lock changed.
	ChangeCampaign = "campaign"
	// ChangeAll: anything may have changed; sent after the listener lost its connection to
	// PostgreSQL, when notifications may have been missed.
	ChangeAll = "all"
)

// pgChannel is the PostgreSQL notification channel changes travel on between nodes: one per
// schema, since notifications are database-wide and two services may share a database in
// schemas of their own.
func pgChannel(schema string) string { return "parsurvey_changes:" + schema }

var txChanges sync.Map // *sql.Tx → *[]Change, filled by noteChange inside DB.Write

// noteChange records inside a write transaction that c is to be announced once it commits.
func noteChange(tx *sql.Tx, c Change) {
	if v, ok := txChanges.Load(tx); ok {
		p := v.(*[]Change)
		for _, have := range *p {
			if have == c {
				return
			}
		}
		*p = append(*p, c)
	}
}

// changeFeed tells subscribers of committed changes: at once in this process, and on PostgreSQL
// on every other node through LISTEN/NOTIFY (the notification is sent inside the transaction, so
// it is delivered only if the transaction commits).
type changeFeed struct {
	mu   sync.Mutex
	subs []func(Change)

	pg      bool
	channel string // pgChannel of the database's schema
	stop    context.CancelFunc
	done    chan struct{}
	closed  sync.Once
}

// OnChange calls fn after every committed change, whichever node made it. fn runs on the
// committing goroutine or the listener's and must be quick (forget a cache entry, no I/O).
func (db *DB) OnChange(fn func(Change)) {
	db.changes.mu.Lock()
	db.changes.subs = append(db.changes.subs, fn)
	db.changes.mu.Unlock()
}

func (f *changeFeed) send(tx *sql.Tx, notes []Change) error {
	if !f.pg {
		return nil
	}
	for _, c := range notes {
		b, _ := json.Marshal(c)
		if _, err := tx.Exec(`SELECT pg_notify(?, ?)`, f.channel, string(b)); err != nil {
			return err
		}
	}
	return nil
}

func (f *changeFeed) deliverLocal(notes []Change) {
	if len(notes) == 0 {
		return
	}
	f.mu.Lock()
	subs := append([]func(Change){}, f.subs...)
	f.mu.Unlock()
	for _, c := range notes {
		for _, fn := range subs {
			fn(c)
		}
	}
}

// listen keeps one connection LISTENing on the channel until close, reconnecting after a loss; a
// reconnect announces ChangeAll, for what was sent while nobody listened.
func (f *changeFeed) listen(dsn string, log *slog.Logger) {
	ctx, cancel := context.WithCancel(context.Background())
	f.stop, f.done = cancel, make(chan struct{})
	ready := make(chan struct{})
	go func() {
		defer close(f.done)
		first := true
		for ctx.Err() == nil {
			err := f.listenOnce(ctx, dsn, func() {
				if first {
					first = false
					close(ready)
				} else {
					f.deliverLocal([]Change{{Kind: ChangeAll}})
				}
			})
			if ctx.Err() != nil {
				return
			}
			log.Warn("store: change listener lost its connection; reconnecting", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}()
	// Wait for the first LISTEN, so that a change committed right after Open is not missed; a
	// database that does not answer is Open's failure to report, not this one's.
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
	}
}

func (f *changeFeed) listenOnce(ctx context.Context, dsn string, listening func()) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{f.channel}.Sanitize()); err != nil {
		return err
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var c Change
		if json.Unmarshal([]byte(n.Payload), &c) != nil {
			c = Change{Kind: ChangeAll}
		}
		f.deliverLocal([]Change{c})
	}
}

func (f *changeFeed) close() {
	f.closed.Do(func() {
		if f.stop != nil {
			f.stop()
			<-f.done
		}
	})
}
