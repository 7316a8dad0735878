// Package outreach reaches the officials a campaign surveys where they are: lists of people per
// group × unit, read from a spreadsheet, each person issued a form of their own; invitations and
// reminders with their link, pasted into Zalo, handed to an SMS gateway as a file or e-mailed
// through an SMTP server in the background; and who was invited, opened the link and answered.
//
// Anonymity is kept as the form's introduction promises (AnonymityPromise): staff see of a
// person only whether they answered, no export of responses carries a name, phone or e-mail,
// and once the campaign closes the lists can be destroyed. No HTTP and no SQL here: the store
// keeps the data, internal/web serves the pages.
package outreach

import (
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/parsurvey/parsurvey/internal/issuing"
	"github.com/parsurvey/parsurvey/internal/store"
)

// Kind is what a message is: the first invitation, or a reminder to someone who has not answered.
type Kind string

// The kinds of message.
const (
	Invitation Kind = "invitation"
	Reminder   Kind = "reminder"
)

// Label is the kind's name for staff.
func (k Kind) Label() string {
	if k == Reminder {
		return "Nhắc trả lời"
	}
	return "Thư mời"
}

// Channel is how a message reaches a person.
type Channel string

// The channels: e-mail through the configured SMTP server, an SMS gateway fed with a file, and
// Zalo, where staff paste the text (Zalo offers no sending API for personal accounts).
const (
	Email Channel = "email"
	SMS   Channel = "sms"
	Zalo  Channel = "zalo"
)

// Label is the channel's name for staff.
func (c Channel) Label() string {
	switch c {
	case Email:
		return "Thư điện tử"
	case SMS:
		return "Tin nhắn SMS"
	case Zalo:
		return "Zalo"
	}
	return string(c)
}

// ParseKind reads a kind from a form value; anything else is an invitation.
func ParseKind(s string) Kind {
	if Kind(s) == Reminder {
		return Reminder
	}
	return Invitation
}

// Options tune the background sending of e-mails.
type Options struct {
	// Rate is how many e-mails a second may go to the server; 0 sends as fast as it takes them.
	Rate float64
	// Attempts is how many times an e-mail is tried before it is recorded as failed (default 3).
	Attempts int
	// RetryDelay is the wait before the second attempt (default 1 minute), four times longer
	// before each further one.
	RetryDelay time.Duration
	// Log receives what goes wrong with the server (never an address or a name).
	Log *slog.Logger
}

// Service holds what outreach needs: the store, the public address links are built on, and the
// mailer (nil when no SMTP server is configured: e-mail is then not offered).
type Service struct {
	db      *store.DB
	baseURL string
	mailer  Mailer
	opts    Options

	mu      sync.Mutex
	running bool // the sender goroutine is running
	pending bool // e-mails were queued since the sender last looked
	closed  bool
	stop    chan struct{}
	wg      sync.WaitGroup
}

// New makes the service; mailer may be nil.
func New(db *store.DB, baseURL string, mailer Mailer, o Options) *Service {
	if o.Attempts <= 0 {
		o.Attempts = 3
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = time.Minute
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, baseURL: strings.TrimRight(baseURL, "/"), mailer: mailer, opts: o, stop: make(chan struct{})}
}

// Link is the address of a form's questionnaire, as issuing prints it: its short link, short
// enough for an SMS, or the full one for a form without a short code.
func (s *Service) Link(short, token string) string { return issuing.FormURL(s.baseURL, short, token) }

// EmailEnabled reports whether an SMTP server is configured.
func (s *Service) EmailEnabled() bool { return s.mailer != nil }

// Close stops the sender after the e-mail it is sending; what is still queued stays queued, to
// be sent when staff resume it.
func (s *Service) Close() {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.stop)
	}
	s.mu.Unlock()
	s.wg.Wait()
	if s.mailer != nil {
		s.mailer.Close()
	}
}
