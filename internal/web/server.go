// Package web is parsurvey's HTTP face: staff pages, the respondents' questionnaire pages and the
// JSON API, on Fiber. Handlers copy values out of the request, call the store, and render.
package web

import (
	"context"
	"log/slog"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/config"
	"github.com/parsurvey/parsurvey/internal/intake"
	"github.com/parsurvey/parsurvey/internal/jobs"
	"github.com/parsurvey/parsurvey/internal/outreach"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/templates"
)

// Server holds the Fiber app and what its handlers need.
type Server struct {
	db     *store.DB
	cfg    config.Config
	views  *views
	log    *slog.Logger
	app    *fiber.App
	secure bool

	surveys surveyCache
	intake  *intake.Service
	links   linkCache
	jobs    *jobs.Runner
	// outreach keeps the respondent lists and sends invitations and reminders.
	outreach *outreach.Service

	// Abuse limits, counted per client address (clientIP), per form and per account.
	proxies    []netip.Prefix
	misses     *windowCounter
	posts      *windowCounter
	loginAddrs *windowCounter
	loginUsers *windowCounter
	probes     *windowCounter // refused codes per keyer (keying_save.go)
	// signKey signs CSRF tokens and device cookies; baseHost is the public host posts may come from.
	signKey  []byte
	baseHost string
	// rehearsals makes, fills and deletes rehearsal copies, set by internal/app (rehearsal.go);
	// rehearsing is the rehearsal run in the background per campaign.
	rehearsals Rehearsals
	rehearsing rehearsalRuns
}

// New builds the server and its routes.
func New(db *store.DB, cfg config.Config, log *slog.Logger) (*Server, error) {
	v, err := loadViews(templates.FS)
	if err != nil {
		return nil, err
	}
	out, err := newOutreach(db, cfg, log)
	if err != nil {
		return nil, err
	}
	key, err := db.Secret(context.Background(), "csrf")
	if err != nil {
		return nil, err
	}
	proxies, err := config.ParseProxies(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	base, _ := url.Parse(cfg.BaseURL)
	s := &Server{db: db, cfg: cfg, views: v, log: log, secure: strings.HasPrefix(cfg.BaseURL, "https://"),
		surveys: surveyCache{forms: map[string]*surveyForm{}, camps: map[int64]*store.Campaign{}, codes: map[string]*campaignCodes{}, effective: map[int64]effectiveDef{}},
		intake:  intake.New(db), outreach: out,
		links:   linkCache{forms: map[string]*store.LinkForm{}},
		proxies: proxies, signKey: key, baseHost: base.Host,
		misses:     newWindowCounter(missLimit, time.Minute),
		posts:      newWindowCounter(submitLimit, time.Minute),
		loginAddrs: newWindowCounter(loginAddrLimit, loginWindow),
		loginUsers: newWindowCounter(loginUserLimit, loginWindow),
		probes:     newWindowCounter(probeLimit, probeWindow)}
	if s.jobs, err = s.newJobs(jobs.Config{}); err != nil { // jobs.go
		return nil, err
	}
	s.app = fiber.New(fiber.Config{
		AppName:               "parsurvey",
		DisableStartupMessage: true,
		ErrorHandler:          s.handleError,
		// Bodies stream: nothing is allocated for a declared length before limitBody has
		// checked it against the route's limit, and multipart files spool to disk.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		BodyLimit:                    uploadBodyLimit,
		// Values from the context stay valid after the handler returns: caches and the
		// group-commit writer keep some of them, and a reused buffer must never change them.
		Immutable:    true,
		ReadTimeout:  30 * time.Second,
		WriteTimeout: 120 * time.Second,
		IdleTimeout:  120 * time.Second,
	})
	s.routes()
	return s, nil
}

// Close waits for background jobs and stops intake's group-commit writer once the queued
// submissions are stored.
func (s *Server) Close() {
	s.jobs.Wait()
	s.outreach.Close()
	s.intake.Close()
}

// App is the Fiber application, for Listen and for tests (app.Test).
func (s *Server) App() *fiber.App { return s.app }

// requestTimeout bounds the database work of one request.
const requestTimeout = 60 * time.Second

// requestContext gives the request a context for database/sql with a deadline, cancelled when
// the handler returns: fasthttp pools its RequestCtx and reuses it after the handler, so that
// one must never reach the database (c.Context() races with the next request and shutdown).
func requestContext(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	if id, ok := c.Locals("requestid").(string); ok { // recorded in the audit log (store.WithRequestID)
		ctx = store.WithRequestID(ctx, id)
	}
	c.SetUserContext(ctx)
	return c.Next()
}

// pageData is the view model every staff page starts from.
type pageData struct {
	Title   string
	Message string
	User    *store.User
	CSRF    string
	Flash   string
	// Ref is the reference number of a failed request, for the administrator to find it in the log.
	Ref string
	// Can holds the staff routes the user's role may use, "GET /campaigns/:id/forms" as the
	// routes table writes them, so that a page links only to what opens (routes.go, may).
	Can map[string]bool
}

func (s *Server) page(c *fiber.Ctx) pageData {
	return pageData{User: currentUser(c), CSRF: csrfToken(c), Flash: s.takeFlash(c), Can: s.may(currentUser(c))}
}
