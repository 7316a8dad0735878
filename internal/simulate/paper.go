package simulate

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/parsurvey/parsurvey/internal/auth"
	"github.com/parsurvey/parsurvey/internal/paper"
	"github.com/parsurvey/parsurvey/internal/store"
)

// Simulated staff: a supervisor who records returned batches and two keyers for double entry.
var simStaff = []struct {
	name, full string
	role       store.Role
}{
	{"mophong-giamsat", "Giám sát mô phỏng", store.RoleSupervisor},
	{"mophong-dtv1", "Điều tra viên mô phỏng 1", store.RoleEnumerator},
	{"mophong-dtv2", "Điều tra viên mô phỏng 2", store.RoleEnumerator},
}

// session is one signed-in browser.
type session struct {
	base string
	http *http.Client
	csrf string
	id   int64
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (s *session) get(path string) (string, error) {
	resp, err := s.http.Get(s.base + path)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindSubmatch(b); m != nil {
		s.csrf = string(m[1])
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %d", path, resp.StatusCode)
	}
	return string(b), nil
}

func (s *session) post(path string, form url.Values, accept string) (*http.Response, []byte, error) {
	form.Set("_csrf", s.csrf)
	req, _ := http.NewRequest(http.MethodPost, s.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b, nil
}

// redirected checks that a post was taken: the server answered with a redirect that is not to
// the sign-in or password page (where an expired or refused session is sent, which once passed
// for success).
func redirected(resp *http.Response, what string, body []byte) error {
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("simulate: %s: %d %s", what, resp.StatusCode, body)
	}
	if u, err := url.Parse(loc); err != nil || strings.HasPrefix(u.Path, "/login") || strings.HasPrefix(u.Path, "/password") {
		return fmt.Errorf("simulate: %s: sent to %q instead: the session was not accepted", what, loc)
	}
	return nil
}

// signIn makes (or resets) a simulated staff account and signs it in over HTTP.
func (s *Simulator) signIn(ctx context.Context, name, full string, role store.Role) (*session, error) {
	pw := auth.GeneratePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return nil, err
	}
	u, err := s.db.UserByName(ctx, name)
	switch {
	case err == nil:
		err = s.db.SetPassword(ctx, u.ID, hash)
	default:
		u = &store.User{Username: name, FullName: full, Role: role, PasswordHash: hash}
		err = s.db.CreateUser(ctx, u)
	}
	if err != nil {
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	se := &session{base: s.base, id: u.ID, http: &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if _, err := se.get("/login"); err != nil {
		return nil, err
	}
	resp, _, err := se.post("/login", url.Values{"username": {name}, "password": {pw}}, "")
	if err != nil {
		return nil, err
	}
	if err := redirected(resp, "sign in "+name, nil); err != nil {
		return nil, err
	}
	return se, nil
}

// keyPaper takes paper forms back in batches per group × unit, recorded by the supervisor on
// the paper page, and has both keyers key each form on the keying screen (double entry). A
// small share of forms comes back too incomplete to be valid, and a few keyings differ, for
// the supervisor's queue.
func (s *Simulator) keyPaper(ctx context.Context, forms []*store.IssuedForm, days []time.Time) (ok, refused, failed int, err error) {
	if len(forms) == 0 {
		return 0, 0, 0, nil
	}
	var ses []*session
	for _, st := range simStaff {
		se, err := s.signIn(ctx, st.name, st.full, st.role)
		if err != nil {
			return 0, 0, 0, err
		}
		ses = append(ses, se)
	}
	sup, keyers := ses[0], ses[1:]
	paperURL := fmt.Sprintf("/campaigns/%d/paper", s.camp.ID)
	if _, err := sup.get(paperURL); err != nil {
		return 0, 0, 0, err
	}
	for _, k := range keyers {
		resp, body, err := sup.post(paperURL+"/keyers", url.Values{"user": {strconv.FormatInt(k.id, 10)}}, "")
		if err != nil {
			return 0, 0, 0, err
		}
		if err := redirected(resp, fmt.Sprintf("add keyer %d", k.id), body); err != nil {
			return 0, 0, 0, err
		}
	}
	// Batches: the forms of one group and unit come back together.
	type key struct{ group, unit string }
	var order []key
	batches := map[key][]*store.IssuedForm{}
	for _, f := range forms {
		k := key{f.Group, f.Unit}
		if batches[k] == nil {
			order = append(order, k)
		}
		batches[k] = append(batches[k], f)
	}
	for bi, k := range order {
		list := batches[k]
		day := days[bi*len(days)/len(order)]
		s.db.SetClock(func() time.Time { return day.Add(8 * time.Hour) })
		resp, body, err := sup.post(paperURL+"/batches", url.Values{"group": {k.group}, "unit": {k.unit}, "count": {strconv.Itoa(len(list))},
			"returned_by": {strconv.FormatInt(keyers[0].id, 10)}, "received_on": {day.Format("2006-01-02")}, "note": {"Lô mô phỏng"}}, "")
		if err != nil {
			return ok, refused, failed, err
		}
		if err := redirected(resp, fmt.Sprintf("record batch %s/%s", k.group, k.unit), body); err != nil {
			return ok, refused, failed, err
		}
		var batch int64
		if err := s.db.ReadRow(ctx, `SELECT max(id) FROM paper_batches`, nil, &batch); err != nil {
			return ok, refused, failed, err
		}
		l, err := paper.NewLayout(s.camp.Def, k.group, k.unit)
		if err != nil {
			return ok, refused, failed, err
		}
		keyURL := fmt.Sprintf("/keying/batches/%d", batch)
		for _, kr := range keyers {
			if _, err := kr.get(keyURL); err != nil {
				return ok, refused, failed, err
			}
		}
		for _, f := range list {
			values := s.paperValues(l, f)
			var kinds []string
			for ki, kr := range keyers {
				v := cloneValues(values)
				if ki == 1 && s.rngFor(f, 3).Float64() < 0.02 {
					// A keying slip: the second keyer types another option for one item.
					it := l.Items()[s.rngFor(f, 4).IntN(len(l.Items()))]
					v.Set(it.Name, "1")
					if values.Get(it.Name) == "1" {
						v.Set(it.Name, "2")
					}
				}
				resp, body, err := kr.post(keyURL, v, "application/json")
				if err != nil {
					return ok, refused, failed, err
				}
				var res struct {
					OK      bool   `json:"ok"`
					Kind    string `json:"kind"`
					Message string `json:"message"`
				}
				if json.Unmarshal(body, &res) != nil || resp.StatusCode >= 500 {
					failed++
					break
				}
				kinds = append(kinds, res.Kind)
			}
			switch {
			case len(kinds) == 2 && (kinds[1] == "verified" || kinds[1] == "invalid"):
				ok++ // stored: valid, or invalid with its reasons (a mostly blank form)
			case len(kinds) == 2:
				refused++ // differing keyings wait for the supervisor, or a check refused the form
			}
		}
	}
	s.db.SetClock(time.Now)
	return ok, refused, failed, nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = append([]string(nil), x...)
	}
	return out
}

// rngFor is a generator for one form and purpose, so that both keyers read the same paper.
func (s *Simulator) rngFor(f *store.IssuedForm, purpose uint64) *rand.Rand {
	return rand.New(rand.NewPCG(s.opts.Seed^uint64(f.ID)*0x9e3779b97f4a7c15, purpose))
}

// paperValues is what is written on a paper form, as keys: an option number per item, 0 for a
// blank, * for an item marked twice; a short share of forms is mostly blank.
func (s *Simulator) paperValues(l *paper.Layout, f *store.IssuedForm) url.Values {
	rng := s.rngFor(f, 1)
	short := rng.Float64() < s.opts.ShortRate
	questions := s.camp.Def.Questionnaire(s.camp.Def.Group(f.Group).Form).Questions()
	v := url.Values{"code": {f.Code}}
	for _, it := range l.Items() {
		switch {
		case it.Question < 0:
			v.Set(it.Name, strconv.Itoa(1+rng.IntN(len(it.Options))))
		case short && rng.Float64() < 0.6:
			v.Set(it.Name, "0")
		case rng.Float64() < 0.01:
			v.Set(it.Name, "*")
		default:
			// The layout lists the questionnaire's questions in its own order.
			q := questions[it.Question]
			unit := l.Units[it.Unit].Code
			v.Set(it.Name, strconv.Itoa(s.Pick(rng, q, unit)))
		}
	}
	return v
}
