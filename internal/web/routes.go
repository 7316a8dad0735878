package web

import (
	"io/fs"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/templates"
)

// Who may use a signed-in route.
var (
	anyRole           []store.Role // every signed-in account
	adminOnly         = []store.Role{store.RoleAdmin}
	adminOrSupervisor = []store.Role{store.RoleAdmin, store.RoleSupervisor}
	enumeratorOnly    = []store.Role{store.RoleEnumerator}
)

// route is one line of the staff routes table: a method and path, who may use it, its handler.
type route struct {
	method  string
	path    string
	roles   []store.Role
	handler fiber.Handler
}

// staffRoutes is every page a signed-in member of staff reaches, with the roles allowed on it.
func (s *Server) staffRoutes() []route {
	return []route{
		{"GET", "/", anyRole, s.home}, // enumerators are sent on to /keying
		{"GET", "/password", anyRole, s.passwordPage},
		{"POST", "/password", anyRole, s.changeOwnPassword},

		// Accounts.
		{"GET", "/users", adminOnly, s.usersPage},
		{"POST", "/users", adminOnly, s.createUser},
		{"POST", "/users/:user<int>/password", adminOnly, s.resetPassword},
		{"POST", "/users/:user<int>/toggle", adminOnly, s.toggleUser},

		// A campaign: overview, lock, audit log.
		{"GET", "/campaigns/:id", adminOrSupervisor, s.campaignPage},

		// Paper forms: keying by enumerators, then the supervisors' batches, queue, honoraria,
		// statistics and imports.
		{"GET", "/keying", enumeratorOnly, s.keyingHome},
		{"GET", "/keying/batches/:batch<int>", enumeratorOnly, s.keyingPage},
		{"GET", "/keying/batches/:batch<int>/check", enumeratorOnly, s.keyingCheck},
		{"POST", "/keying/batches/:batch<int>", enumeratorOnly, s.keyingSave},
		{"GET", "/campaigns/:id<int>/paper", adminOrSupervisor, s.paperPage},
		{"POST", "/campaigns/:id<int>/paper/batches", adminOrSupervisor, s.paperRecordBatch},
		{"POST", "/campaigns/:id<int>/paper/keyers", adminOrSupervisor, s.paperAddKeyer},
		{"POST", "/campaigns/:id<int>/paper/keyers/:user<int>/remove", adminOrSupervisor, s.paperRemoveKeyer},
		{"GET", "/campaigns/:id<int>/paper/queue", adminOrSupervisor, s.paperQueue},
		{"GET", "/campaigns/:id<int>/paper/queue/:item<int>", adminOrSupervisor, s.paperItem},
		{"POST", "/campaigns/:id<int>/paper/queue/:item<int>", adminOrSupervisor, s.paperDecide},
		{"GET", "/campaigns/:id<int>/paper/honoraria", adminOrSupervisor, s.paperHonoraria},
		{"GET", "/campaigns/:id<int>/paper/honoraria.xlsx", adminOrSupervisor, s.paperHonorariaXLSX},
		{"GET", "/campaigns/:id<int>/paper/stats", adminOrSupervisor, s.paperStats},
		{"GET", "/campaigns/:id<int>/paper/import", adminOrSupervisor, s.paperImportPage},
		{"GET", "/campaigns/:id<int>/paper/import/template/:group", adminOrSupervisor, s.paperTemplate},
		{"POST", "/campaigns/:id<int>/paper/import", adminOrSupervisor, s.paperImport},

		{"POST", "/campaigns/:id/lock", adminOnly, s.lockCampaign},
		{"GET", "/campaigns/:id/audit", adminOrSupervisor, s.auditPage},

		// Issuing and printing forms.
		{"GET", "/campaigns/:id/forms", adminOrSupervisor, s.formsPage},
		{"POST", "/campaigns/:id/forms/issue", adminOrSupervisor, s.issueForms},
		{"POST", "/campaigns/:id/forms/void", adminOrSupervisor, s.voidForm},
		{"POST", "/campaigns/:id/forms/assign", adminOrSupervisor, s.assignForms},
		{"GET", "/campaigns/:id/forms/list.:format<regex(xlsx|csv)>", adminOrSupervisor, s.distributionList},
		{"POST", "/campaigns/:id/print", adminOrSupervisor, s.startPrint},
		{"GET", "/jobs", adminOrSupervisor, s.jobsPage},
		{"GET", "/jobs/:id", adminOrSupervisor, s.jobPage},
		{"GET", "/jobs/:id/file", adminOrSupervisor, s.jobFile},

		// Respondent lists and invitations: names and the person ↔ form mapping are for the
		// roles that manage distribution; destroying the lists is the administrator's.
		{"GET", "/campaigns/:id<int>/respondents", adminOrSupervisor, s.respondentsPage},
		{"POST", "/campaigns/:id<int>/respondents/import", adminOrSupervisor, s.importList},
		{"GET", "/campaigns/:id<int>/respondents/template.:format<regex(xlsx|csv)>", adminOrSupervisor, s.listTemplate},
		{"GET", "/campaigns/:id<int>/respondents/list.:format<regex(xlsx|csv)>", adminOrSupervisor, s.exportLists},
		{"POST", "/campaigns/:id<int>/respondents/destroy", adminOnly, s.destroyLists},
		{"GET", "/campaigns/:id<int>/invitations", adminOrSupervisor, s.invitationsPage},
		{"POST", "/campaigns/:id<int>/invitations/zalo", adminOrSupervisor, s.recordZalo},
		{"POST", "/campaigns/:id<int>/invitations/sms.:format<regex(xlsx|csv)>", adminOrSupervisor, s.smsFile},
		{"POST", "/campaigns/:id<int>/invitations/email", adminOrSupervisor, s.sendEmails},
		{"GET", "/campaigns/:id<int>/invitations/sends/:send<int>", adminOrSupervisor, s.sendPage},
		{"POST", "/campaigns/:id<int>/invitations/sends/:send<int>/resume", adminOrSupervisor, s.resumeSending},

		{"GET", "/campaigns/:id/dashboard", adminOrSupervisor, s.dashboardPage},

		// Results, scoring settings, imported ratios, exports.
		{"GET", "/campaigns/:id/results", adminOrSupervisor, s.resultsPage},
		{"POST", "/campaigns/:id/results/runs", adminOrSupervisor, s.computeRun},
		{"GET", "/campaigns/:id/results/units/:unit", adminOrSupervisor, s.unitResultPage},
		{"GET", "/campaigns/:id/results/export.:format<regex(xlsx|pdf|json|csv)>", adminOrSupervisor, s.exportRun},
		{"GET", "/campaigns/:id/results/responses.csv", adminOrSupervisor, s.exportResponses},
		{"GET", "/campaigns/:id/results/imports", adminOrSupervisor, s.importsPage},
		{"POST", "/campaigns/:id/results/imports", adminOrSupervisor, s.uploadRatios},
		{"GET", "/campaigns/:id/settings", adminOrSupervisor, s.settingsPage},
		{"POST", "/campaigns/:id/settings", adminOnly, s.saveSettings},
		{"POST", "/campaigns/:id/settings/tokens", adminOnly, s.createToken},
		{"POST", "/campaigns/:id/settings/tokens/:token/revoke", adminOnly, s.revokeToken},
	}
}

// routes registers every route of the app. Order matters: a request passes every middleware
// registered before the route it matches, so the public and API routes come before the staff
// session, and the sign-in pages before the signed-in check.
func (s *Server) routes() {
	app := s.app
	app.Use(recover.New())
	app.Use(requestid.New())
	app.Use(requestContext)
	app.Use(limitBody(uploadBodyLimit))
	app.Use(helmet.New(helmet.Config{
		// helmet's default no-referrer would make fiber's CSRF check fail on HTTPS, where it
		// compares the Referer with the host; same-origin keeps it for our own forms only.
		ReferrerPolicy:            "same-origin",
		ContentSecurityPolicy:     "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'",
		CrossOriginEmbedderPolicy: "unsafe-none",
		// No page needs the camera, the microphone, the location or payments.
		PermissionPolicy: "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
	}))
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") }) // anyone
	static, _ := fs.Sub(templates.FS, "static")
	app.Use("/static", compress.New(), filesystem.New(filesystem.Config{Root: http.FS(static), MaxAge: 3600})) // anyone

	// Respondents, by the form's token: no CSRF (the unguessable token is the credential and the
	// page is cached per form), unknown tokens counted per address, posts limited per form,
	// errors answered on a respondent's page (respondentErrors). A draft is held to the
	// limits of a submission.
	app.Get("/p/:token", s.respondentErrors, limitBody(anonBodyLimit), s.surveyPage)
	app.Post("/p/:token", s.respondentErrors, limitBody(publicBodyLimit), s.submitSurvey)
	app.Post("/p/:token/draft", s.respondentErrors, limitBody(publicBodyLimit), s.saveDraft)
	// A short link, <base URL>/<12 characters> typed from a slip or an SMS, sends its form on
	// to /p/<token>; a miss is counted and answered like an unknown token (shortlink.go).
	app.Get("/:short<len(12)>", s.respondentErrors, limitBody(anonBodyLimit), s.shortLink)

	// The JSON API, for an API token of the campaign or a signed-in administrator or supervisor
	// (apiAuth). It comes before the staff middleware, which would send API clients to the
	// login page.
	app.Get("/api/v1/campaigns/:id/scores", s.apiAuth, s.apiScores)

	// Staff pages: session, body limit by who is signed in, CSRF, and no copy kept in a
	// browser's or a proxy's cache (a shared office computer keeps no respondent list).
	staff := app.Group("", s.loadUser, s.limitStaffBody, s.csrf, noStore)
	staff.Get("/login", s.loginPage) // anyone
	staff.Post("/login", s.login)    // anyone
	staff.Post("/logout", s.logout)  // anyone

	signedIn := staff.Group("", s.requireUser)
	for _, r := range s.staffRoutes() {
		handlers := []fiber.Handler{r.handler}
		if r.roles != nil {
			handlers = []fiber.Handler{s.requireRole(r.roles...), r.handler}
		}
		switch r.method {
		case fiber.MethodGet:
			signedIn.Get(r.path, handlers...) // GET and HEAD
		default:
			signedIn.Add(r.method, r.path, handlers...)
		}
	}
}

// noStore asks browsers and proxies to keep no copy of a staff page; a handler may say
// otherwise for what it sends.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}
