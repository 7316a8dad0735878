package web

import (
	"strconv"
	"strings"

	"github.com/parsurvey/parsurvey/internal/store"
)

// Forget drops what the server holds of a campaign after a committed change to it (its
// definition, version, settings or lock), on this node or, on PostgreSQL, on another one
// (store.DB.OnChange): rendered pages, decoded definitions, effective rules, code maps and the
// links remembered for submissions. A store.ChangeAll drops everything. What is left cached
// (rate-limit counters) is per node by design.
func (s *Server) Forget(c store.Change) {
	all := c.Kind == store.ChangeAll
	prefix := strconv.FormatInt(c.CampaignID, 10) + "/"
	s.surveys.mu.Lock()
	for k := range s.surveys.forms {
		if all || strings.HasPrefix(k, prefix) {
			delete(s.surveys.forms, k)
		}
	}
	for k := range s.surveys.codes {
		if all || strings.HasPrefix(k, prefix) {
			delete(s.surveys.codes, k)
		}
	}
	if all {
		clear(s.surveys.camps)
		clear(s.surveys.effective)
	} else {
		delete(s.surveys.camps, c.CampaignID)
		delete(s.surveys.effective, c.CampaignID)
	}
	s.surveys.mu.Unlock()
	s.links.forget(func(f *store.LinkForm) bool { return all || f.CampaignID == c.CampaignID })
}
