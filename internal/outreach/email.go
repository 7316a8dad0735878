package outreach

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"os"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Mail is one e-mail to one person.
type Mail struct {
	ToName, ToAddr string
	// ReplyTo is where answers go: the campaign's contact address, when it has one.
	ReplyTo string
	Subject string
	Body    string
}

// Mailer delivers e-mails one at a time; it may keep its connection open between them.
type Mailer interface {
	// Send delivers one e-mail. An error wrapping ErrPermanent will not go away by trying again
	// (the server refused the address); any other error may.
	Send(ctx context.Context, m Mail) error
	// Close ends the connection, if one is open.
	Close() error
}

// ErrPermanent marks a delivery the server refused for good.
var ErrPermanent = errors.New("outreach: permanent delivery failure")

// SMTPConfig is how to reach the mail server (internal/config's SMTP settings).
type SMTPConfig struct {
	// Addr is host:port.
	Addr string
	// User and Password sign in (AUTH); an empty User signs in not at all.
	User, Password string
	// From is the sender, "Tên <dia-chi@…>" or a bare address.
	From string
	// TLS is "none", "starttls" (required, the default) or "tls" (implicit TLS, port 465).
	TLS string
	// CAFile is a PEM file of the authority that signed the server's certificate, for a server
	// with a private CA; empty trusts the system's authorities.
	CAFile string
	// Timeout bounds each exchange with the server (default 30 s).
	Timeout time.Duration
}

// SMTP sends e-mails through an SMTP server with go-mail, over one connection kept open for as
// long as the server allows.
type SMTP struct {
	client    *gomail.Client
	from      *mail.Address
	connected bool
}

// NewSMTP checks the configuration and prepares the client; it connects on the first Send.
func NewSMTP(c SMTPConfig) (*SMTP, error) {
	host, portText, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return nil, fmt.Errorf("outreach: SMTP address %q must be host:port: %w", c.Addr, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return nil, fmt.Errorf("outreach: SMTP port %q: %w", portText, err)
	}
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return nil, fmt.Errorf("outreach: SMTP sender %q: %w", c.From, err)
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	tlsConf := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("outreach: SMTP CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("outreach: SMTP CA file %s holds no PEM certificate", c.CAFile)
		}
		tlsConf.RootCAs = pool
	}
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithTimeout(c.Timeout), gomail.WithTLSConfig(tlsConf)}
	switch c.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case "", "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		return nil, fmt.Errorf("outreach: SMTP TLS %q must be none, starttls or tls", c.TLS)
	}
	if c.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(c.User), gomail.WithPassword(c.Password))
	}
	client, err := gomail.NewClient(host, opts...)
	if err != nil {
		return nil, fmt.Errorf("outreach: SMTP client: %w", err)
	}
	return &SMTP{client: client, from: from}, nil
}

// message builds the MIME message: UTF-8 text, quoted-printable, the names in encoded words.
func (s *SMTP) message(m Mail) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP), gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	msg.ToMailAddress(&mail.Address{Name: m.ToName, Address: m.ToAddr})
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply-to: %w", err)
		}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(s.messageID())
	msg.SetDate()
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	return msg, nil
}

// messageID is a new Message-ID in the sender's domain (rather than the machine's name, which
// spam filters read as a misconfigured host).
func (s *SMTP) messageID() string {
	b := make([]byte, 16)
	rand.Read(b)
	_, domain, _ := strings.Cut(s.from.Address, "@")
	return hex.EncodeToString(b) + "@" + domain
}

// Send delivers one e-mail, connecting first when no connection is open. A connection the
// server dropped while idle is opened again once.
func (s *SMTP) Send(ctx context.Context, m Mail) error {
	msg, err := s.message(m)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrPermanent, err)
	}
	for try := 0; ; try++ {
		if !s.connected {
			if err := s.client.DialWithContext(ctx); err != nil {
				return fmt.Errorf("outreach: connect to the SMTP server: %w", err)
			}
			s.connected = true
		}
		err = s.client.Send(msg)
		if err == nil {
			return nil
		}
		var se *gomail.SendError
		isSend := errors.As(err, &se)
		if isSend && (se.Reason == gomail.ErrSMTPMailFrom || se.Reason == gomail.ErrSMTPRcptTo) {
			// Refused before any data: the connection was reset and stays usable.
			if !se.IsTemp() {
				return fmt.Errorf("%w: %v", ErrPermanent, err)
			}
			return err
		}
		s.drop()
		if isSend && se.Reason == gomail.ErrConnCheck && try == 0 {
			continue
		}
		if isSend && !se.IsTemp() && se.Reason != gomail.ErrConnCheck {
			return fmt.Errorf("%w: %v", ErrPermanent, err)
		}
		return err
	}
}

// drop forgets a connection in an unknown state; the next Send opens a new one.
func (s *SMTP) drop() {
	s.client.Close()
	s.connected = false
}

// Close ends the connection politely (QUIT).
func (s *SMTP) Close() error {
	if !s.connected {
		return nil
	}
	s.connected = false
	return s.client.Close()
}
