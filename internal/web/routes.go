package web

import (
	"io/fs"
	"net/http"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/parsurvey/parsurvey/internal/store"
	"github.com/parsurvey/parsurvey/templates"
)

// The authorization matrix: every staff route below names the roles that may use it, and
// TestTheAuthorizationMatrix walks each route as each role and as an anonymous visitor. A route
// with no roles fails that test, so every new route takes a decision here.
//
// The roles (issue 15; store.Role):
//   - administrator (Sở Nội vụ): accounts, locking, destroying lists, API tokens, everything;
//   - analyst (the institute): authoring, issuing and voiding forms, printing, respondent lists
//     and invitations, scoring rules, SIPAS ratios, score runs and exports;
//   - supervisor: paper batches, keyers, the adjudication and conflict queue, honoraria,
//     assigning forms to enumerators, distribution lists;
//   - enumerator: keying only;
//   - viewer: results and the dashboard, read only.
//
// The design question of the probe, settled: a supervisor no longer issues, voids or prints
// forms (issuing and voiding decide which forms count, printing makes them: the analyst's, who
// drafts the sample), no longer downloads the respondent lists or the SMS files (every personal
// link is in them: the analyst's, who sends the invitations), and no longer uploads SIPAS ratios
// (they change scores: the analyst's). A supervisor keeps the distribution list of the forms
// handed to enumerators, as the issue gives it to them; every download of it is audited.
//
// Scope: a user limited to some campaigns (store.User.Scoped) gets 404 on every other
// campaign's pages, exports and API, as if it did not exist (requireScope), and sees only
// their campaigns on the home page.
var (
	everyRole      = []store.Role{store.RoleAdmin, store.RoleAnalyst, store.RoleSupervisor, store.RoleEnumerator, store.RoleViewer}
	staffReaders   = []store.Role{store.RoleAdmin, store.RoleAnalyst, store.RoleSupervisor, store.RoleViewer}
	adminOnly      = []store.Role{store.RoleAdmin}
	analysts       = []store.Role{store.RoleAdmin, store.RoleAnalyst}
	fieldStaff     = []store.Role{store.RoleAdmin, store.RoleAnalyst, store.RoleSupervisor}
	supervisors    = []store.Role{store.RoleAdmin, store.RoleSupervisor}
	resultReaders  = []store.Role{store.RoleAdmin, store.RoleAnalyst, store.RoleViewer}
	enumeratorOnly = []store.Role{store.RoleEnumerator}
	// apiRoles may read the JSON API signed in, as they read results (apiAuth); the API's
	// other clients come with a token.
	apiRoles = resultReaders
	// adminOrSupervisor is the older name of supervisors, for lines written before the roles.
	//lint:ignore U1000 kept so that a route line written before the roles still builds
	adminOrSupervisor = supervisors
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
		{"GET", "/", everyRole, s.home}, // enumerators are sent on to /keying
		{"GET", "/password", everyRole, s.passwordPage},
		{"POST", "/password", everyRole, s.changeOwnPassword},

		// Accounts, and the whole audit log with the account events and sign-ins.
		{"GET", "/users", adminOnly, s.usersPage},
		{"POST", "/users", adminOnly, s.createUser},
		{"POST", "/users/:user<int>/password", adminOnly, s.resetPassword},
		{"POST", "/users/:user<int>/toggle", adminOnly, s.toggleUser},
		{"POST", "/users/:user<int>/role", adminOnly, s.changeRole},
		{"POST", "/users/:user<int>/scope", adminOnly, s.changeScope},
		{"GET", "/audit", adminOnly, s.auditPage},
		{"GET", "/audit.:format<regex(xlsx|csv)>", adminOnly, s.auditExport},

		// A campaign: overview, lock, audit log.
		{"GET", "/campaigns/:id", staffReaders, s.campaignPage},

		// Paper forms: keying by enumerators, then the supervisors' batches, queue, honoraria,
		// statistics and imports.
		{"GET", "/keying", enumeratorOnly, s.keyingHome},
		{"GET", "/keying/batches/:batch<int>", enumeratorOnly, s.keyingPage},
		{"GET", "/keying/batches/:batch<int>/check", enumeratorOnly, s.keyingCheck},
		{"POST", "/keying/batches/:batch<int>", enumeratorOnly, s.keyingSave},
		{"GET", "/campaigns/:id<int>/paper", supervisors, s.paperPage},
		{"POST", "/campaigns/:id<int>/paper/batches", supervisors, s.paperRecordBatch},
		{"POST", "/campaigns/:id<int>/paper/keyers", supervisors, s.paperAddKeyer},
		{"POST", "/campaigns/:id<int>/paper/keyers/:user<int>/remove", supervisors, s.paperRemoveKeyer},
		{"GET", "/campaigns/:id<int>/paper/queue", supervisors, s.paperQueue},
		{"GET", "/campaigns/:id<int>/paper/queue/:item<int>", supervisors, s.paperItem},
		{"POST", "/campaigns/:id<int>/paper/queue/:item<int>", supervisors, s.paperDecide},
		{"GET", "/campaigns/:id<int>/paper/honoraria", supervisors, s.paperHonoraria},
		{"GET", "/campaigns/:id<int>/paper/honoraria.xlsx", supervisors, s.paperHonorariaXLSX},
		{"GET", "/campaigns/:id<int>/paper/stats", fieldStaff, s.paperStats},
		{"GET", "/campaigns/:id<int>/paper/import", supervisors, s.paperImportPage},
		{"GET", "/campaigns/:id<int>/paper/import/template/:group", supervisors, s.paperTemplate},
		{"POST", "/campaigns/:id<int>/paper/import", supervisors, s.paperImport},

		{"POST", "/campaigns/:id/lock", adminOnly, s.lockCampaign},
		{"GET", "/campaigns/:id/audit", fieldStaff, s.campaignAuditPage},
		{"GET", "/campaigns/:id/audit.:format<regex(xlsx|csv)>", fieldStaff, s.campaignAuditExport},

		// Issuing and printing forms are the analyst's; the forms page and handing forms to
		// enumerators are the supervisor's too.
		{"GET", "/campaigns/:id/forms", fieldStaff, s.formsPage},
		{"POST", "/campaigns/:id/forms/issue", analysts, s.issueForms},
		{"POST", "/campaigns/:id/forms/void", analysts, s.voidForm},
		{"POST", "/campaigns/:id/forms/assign", fieldStaff, s.assignForms},
		{"GET", "/campaigns/:id/forms/list.:format<regex(xlsx|csv)>", fieldStaff, s.distributionList},
		{"POST", "/campaigns/:id/print", analysts, s.startPrint},
		{"GET", "/jobs", staffReaders, s.jobsPage},
		{"GET", "/jobs/:id", staffReaders, s.jobPage},
		{"GET", "/jobs/:id/file", staffReaders, s.jobFile},

		// Respondent lists and invitations: names, contacts and every personal link are the
		// analyst's, who sends the invitations; destroying the lists is the administrator's.
		{"GET", "/campaigns/:id<int>/respondents", analysts, s.respondentsPage},
		{"POST", "/campaigns/:id<int>/respondents/import", analysts, s.importList},
		{"GET", "/campaigns/:id<int>/respondents/template.:format<regex(xlsx|csv)>", analysts, s.listTemplate},
		{"GET", "/campaigns/:id<int>/respondents/list.:format<regex(xlsx|csv)>", analysts, s.exportLists},
		{"POST", "/campaigns/:id<int>/respondents/destroy", adminOnly, s.destroyLists},
		{"GET", "/campaigns/:id<int>/invitations", analysts, s.invitationsPage},
		{"POST", "/campaigns/:id<int>/invitations/zalo", analysts, s.recordZalo},
		{"POST", "/campaigns/:id<int>/invitations/sms.:format<regex(xlsx|csv)>", analysts, s.smsFile},
		{"POST", "/campaigns/:id<int>/invitations/email", analysts, s.sendEmails},
		{"GET", "/campaigns/:id<int>/invitations/sends/:send<int>", analysts, s.sendPage},
		{"POST", "/campaigns/:id<int>/invitations/sends/:send<int>/resume", analysts, s.resumeSending},

		{"GET", "/campaigns/:id/dashboard", staffReaders, s.dashboardPage},

		// Rehearsals: a copy of the campaign apart from the live data, filled with simulated
		// responses in the background, read and deleted whole (rehearsal*.go); the analyst's.
		{"GET", "/campaigns/:id<int>/rehearsal", analysts, s.rehearsalPage},
		{"POST", "/campaigns/:id<int>/rehearsal", analysts, s.startRehearsal},
		{"GET", "/campaigns/:id<int>/rehearsal/dashboard", analysts, s.rehearsalDashboard},
		{"POST", "/campaigns/:id<int>/rehearsal/delete", analysts, s.deleteRehearsal},

		// Results, read by viewers too; scoring settings, imported ratios, score runs and the
		// answers export are the analyst's; API tokens the administrator's.
		{"GET", "/campaigns/:id/results", resultReaders, s.resultsPage},
		{"POST", "/campaigns/:id/results/runs", analysts, s.computeRun},
		{"GET", "/campaigns/:id/results/units/:unit", resultReaders, s.unitResultPage},
		{"GET", "/campaigns/:id/results/export.:format<regex(xlsx|pdf|docx|json|csv)>", resultReaders, s.exportRun},
		{"GET", "/campaigns/:id/results/responses.csv", analysts, s.exportResponses},
		{"GET", "/campaigns/:id/results/imports", analysts, s.importsPage},
		{"POST", "/campaigns/:id/results/imports", analysts, s.uploadRatios},
		// Analysis
		{"GET", "/campaigns/:id/results/analysis", resultReaders, s.analysisPage},
		{"GET", "/campaigns/:id/results/analysis/precision", resultReaders, s.analysisPrecisionPage},
		{"GET", "/campaigns/:id/results/analysis.xlsx", resultReaders, s.analysisTablesXLSX},
		{"GET", "/campaigns/:id/results/data.xlsx", analysts, s.analysisDataXLSX},
		{"GET", "/campaigns/:id/results/data/:form.csv", analysts, s.analysisDataCSV},

		// Year on year: the comparison is read like the results; linking the campaign to an
		// earlier one (and its mapping sheet) is the administrator's.
		{"GET", "/campaigns/:id<int>/results/compare", resultReaders, s.comparePage},
		{"POST", "/campaigns/:id<int>/results/compare", adminOnly, s.linkComparison},
		{"POST", "/campaigns/:id<int>/results/compare/unlink", adminOnly, s.unlinkComparison},
		{"GET", "/campaigns/:id<int>/results/compare/template.xlsx", resultReaders, s.compareTemplate},
		{"GET", "/campaigns/:id<int>/results/compare/export.:format<regex(xlsx|json)>", resultReaders, s.exportComparison},

		{"GET", "/campaigns/:id/settings", analysts, s.settingsPage},
		{"POST", "/campaigns/:id/settings", analysts, s.saveSettings},
		{"POST", "/campaigns/:id/settings/tokens", adminOnly, s.createToken},
		{"POST", "/campaigns/:id/settings/tokens/:token/revoke", adminOnly, s.revokeToken},

		// Authoring: campaign definitions uploaded as workbooks or zips of YAML, checked, kept
		// as drafts, previewed and published; next year's campaign from this year's; a
		// campaign's workbook (authoring*.go).
		{"GET", "/authoring", analysts, s.authoringPage},
		{"POST", "/authoring/drafts", analysts, s.createDefDraft},
		{"GET", "/authoring/drafts/:draft<int>", analysts, s.defDraftPage},
		{"POST", "/authoring/drafts/:draft<int>", analysts, s.replaceDefDraft},
		{"GET", "/authoring/drafts/:draft<int>/file", analysts, s.defDraftFile},
		{"GET", "/authoring/drafts/:draft<int>/workbook", analysts, s.defDraftWorkbook},
		{"GET", "/authoring/drafts/:draft<int>/preview/:form", analysts, s.defDraftPreview},
		{"GET", "/authoring/drafts/:draft<int>/print/:form", analysts, s.defDraftPrint},
		{"POST", "/authoring/drafts/:draft<int>/publish", analysts, s.publishDefDraft},
		{"POST", "/authoring/next-year", analysts, s.nextYear},
		{"GET", "/campaigns/:id<int>/workbook.xlsx", adminOnly, s.campaignWorkbook},
		{"GET", "/campaigns/:id<int>/definition", adminOnly, s.definitionEditPage},
		{"POST", "/campaigns/:id<int>/definition", adminOnly, s.saveDefinitionEdit},
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

	// The JSON API, for an API token of the campaign or a signed-in user of apiRoles in whose
	// scope the campaign is (apiAuth); every read is audited. It comes before the staff middleware, which would send API clients to the
	// login page.
	app.Get("/api/v1/campaigns/:id/scores", s.apiAuth, s.audited("api.read"), s.apiScores)
	app.Get("/api/v1/campaigns/:id/comparison", s.apiAuth, s.audited("api.read"), s.apiComparison) // year on year

	// Staff pages: session, body limit by who is signed in, CSRF, and no copy kept in a
	// browser's or a proxy's cache (a shared office computer keeps no respondent list).
	staff := app.Group("", s.loadUser, s.limitStaffBody, s.csrf, noStore)
	staff.Get("/login", s.loginPage) // anyone
	staff.Post("/login", s.login)    // anyone
	staff.Post("/logout", s.logout)  // anyone

	signedIn := staff.Group("", s.requireUser)
	for _, r := range s.staffRoutes() {
		// A route without roles is refused to everyone (and fails the matrix test).
		handlers := []fiber.Handler{s.requireRole(r.roles...)}
		if campaignRoute(r.path) {
			handlers = append(handlers, s.requireScope)
		}
		if accountRoute(r.path) {
			handlers = append(handlers, requireUnlimited)
		}
		if action := auditedAction(r); action != "" {
			handlers = append(handlers, s.audited(action))
		}
		handlers = append(handlers, r.handler)
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

// allowed reports whether u's role may use the staff route of method and path (as written in
// the table), for a page that shows or hides what the route does.
func (s *Server) allowed(u *store.User, method, path string) bool {
	if u == nil {
		return false
	}
	for _, r := range s.staffRoutes() {
		if r.method == method && r.path == path {
			return slices.Contains(r.roles, u.Role) && !(accountRoute(r.path) && u.Scoped())
		}
	}
	return false
}

// may is the set of staff routes u's role may use, keyed "METHOD path" as the table writes
// them; nil for nobody signed in.
func (s *Server) may(u *store.User) map[string]bool {
	if u == nil {
		return nil
	}
	out := map[string]bool{}
	for _, r := range s.staffRoutes() {
		if slices.Contains(r.roles, u.Role) && !(accountRoute(r.path) && u.Scoped()) {
			out[r.method+" "+r.path] = true
		}
	}
	return out
}

// accountRoute reports whether a path manages accounts, which only an administrator without
// limits may do (requireUnlimited): on a service shared by several organisations, a limited one
// would otherwise see the others' staff, and could lift its own limits.
func accountRoute(path string) bool { return path == "/users" || strings.HasPrefix(path, "/users/") }

// requireUnlimited refuses an account limited to campaigns or an organisation.
func requireUnlimited(c *fiber.Ctx) error {
	if u := currentUser(c); u == nil || u.Scoped() {
		return &Error{Status: fiber.StatusForbidden, Msg: msgAccountsUnlimited}
	}
	return c.Next()
}

// campaignRoute reports whether a path names a campaign by its :id, so that scope applies.
func campaignRoute(path string) bool {
	return strings.HasPrefix(path, "/campaigns/:id") || strings.HasPrefix(path, "/api/v1/campaigns/:id")
}

// auditedRoutes are the routes whose every successful use is audited, with the action
// recorded: what leaves the service (lists with personal links, results, answers), and print
// runs. Any other route sending a file (a path ending in an extension or /file) is audited as
// "download.file", so a new export is never missed; blankTemplates are the exceptions.
var auditedRoutes = map[string]string{
	"GET /campaigns/:id/forms/list.:format<regex(xlsx|csv)>":                   "download.distribution_list",
	"GET /campaigns/:id<int>/respondents/list.:format<regex(xlsx|csv)>":        "download.respondents",
	"POST /campaigns/:id<int>/invitations/sms.:format<regex(xlsx|csv)>":        "download.sms_list",
	"GET /campaigns/:id/results/export.:format<regex(xlsx|pdf|docx|json|csv)>": "download.results",
	"GET /campaigns/:id/results/responses.csv":                                 "download.responses",
	"GET /campaigns/:id<int>/results/compare/export.:format<regex(xlsx|json)>": "download.results", // year on year
	"GET /campaigns/:id<int>/paper/honoraria.xlsx":                             "download.honoraria",
	"POST /campaigns/:id/print":                                                "print.start",
	"GET /jobs/:id/file":                                                       "download.print",
	"GET /audit.:format<regex(xlsx|csv)>":                                      "download.audit",
	"GET /campaigns/:id/audit.:format<regex(xlsx|csv)>":                        "download.audit",
}

// blankTemplates send empty files to fill in: nothing of the campaign's data leaves with them.
var blankTemplates = map[string]bool{
	"GET /campaigns/:id<int>/respondents/template.:format<regex(xlsx|csv)>": true,
	"GET /campaigns/:id<int>/paper/import/template/:group":                  true,
}

// auditedAction is the action a route's use is audited under, or "".
func auditedAction(r route) string {
	key := r.method + " " + r.path
	if a, ok := auditedRoutes[key]; ok {
		return a
	}
	if blankTemplates[key] {
		return ""
	}
	last := r.path[strings.LastIndex(r.path, "/")+1:]
	if r.method == fiber.MethodGet && (strings.Contains(last, ".") || last == "file") {
		return "download.file"
	}
	return ""
}
