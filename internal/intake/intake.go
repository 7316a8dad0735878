// Package intake is the one way a response enters parsurvey: an online submission, a paper form
// keyed (twice under double entry), a supervisor's adjudication or keep-first, a bulk import,
// and judging stored forms again after a rule change. It takes plain inputs (a form, answers,
// who, when), applies the valid-form rules of domain.md in one place (Judge, over package
// validation) and stores through the store; it returns a receipt or an error of a kind
// (internal/fault). Handlers parse the request, call it and render.
package intake

import "github.com/parsurvey/parsurvey/internal/store"

// Service takes responses into one database.
type Service struct {
	db        *store.DB
	committer *store.Committer
}

// New starts the service and its group-commit writer for online submissions.
func New(db *store.DB) *Service {
	return &Service{db: db, committer: db.NewCommitter()}
}

// Close stops the writer once the submissions already queued are stored.
func (s *Service) Close() { s.committer.Close() }
