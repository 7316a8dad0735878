package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"math/big"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/campaign"
	"github.com/parsurvey/parsurvey/internal/outreach"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// views holds every page template parsed once, each joined with the layouts and partials.
type views struct {
	pages map[string]*template.Template
}

// layouts and partials are files every page can use; the rest are pages.
func isShared(name string) bool {
	return name == "layout.html" || name == "public.html" || strings.HasPrefix(name, "_")
}

func loadViews(fsys fs.FS) (*views, error) {
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	base := template.New("").Funcs(funcs)
	for _, n := range names {
		if isShared(n) {
			if _, err := base.ParseFS(fsys, n); err != nil {
				return nil, fmt.Errorf("web: parse %s: %w", n, err)
			}
		}
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, n := range names {
		if isShared(n) {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(fsys, n); err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", n, err)
		}
		v.pages[strings.TrimSuffix(n, ".html")] = t
	}
	return v, nil
}

// render executes a page inside a layout ("layout" for staff, "public" for respondents).
func (v *views) render(layout, page string, data any) ([]byte, error) {
	t, ok := v.pages[page]
	if !ok {
		return nil, fmt.Errorf("web: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, layout, data); err != nil {
		return nil, fmt.Errorf("web: render %s: %w", page, err)
	}
	return buf.Bytes(), nil
}

// renderPage renders a staff page inside the staff layout and sends it with a status.
func (s *Server) renderPage(c *fiber.Ctx, status int, page string, data any) error {
	body, err := s.views.render("layout", page, data)
	if err != nil {
		return err
	}
	return send(c, status, body)
}

// send writes rendered HTML with a status.
func send(c *fiber.Ctx, status int, body []byte) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(body)
}

var funcs = template.FuncMap{
	"date":     func(t time.Time) string { return vn.Date(t) },
	"datetime": func(t time.Time) string { return vn.DateTime(t) },
	"int":      func(n int) string { return vn.Int(int64(n)) },
	"dec": func(d any) string {
		switch x := d.(type) {
		case campaign.Decimal:
			return vn.Decimal(x.Rat(), 2)
		case *campaign.Decimal:
			if x == nil {
				return ""
			}
			return vn.Decimal(x.Rat(), 2)
		case *big.Rat:
			return vn.Decimal(x, 2)
		}
		return fmt.Sprint(d)
	},
	"deref": func(b *bool) bool { return b != nil && *b },
	"kindName": func(d *campaign.Definition, code string) string {
		if k := d.Kind(code); k != nil {
			return k.Name
		}
		return code
	},
	"channelName": campaign.Channel.Label,
	"unitName": func(d *campaign.Definition, code string) string {
		if u := d.Unit(code); u != nil {
			return u.Name
		}
		return code
	},
	"quota": func(d *campaign.Definition, group, unit string) int {
		if g := d.Group(group); g != nil {
			return g.QuotaFor(unit)
		}
		return 0
	},
	"roleName":   roleName,
	"add":        func(a, b int) int { return a + b },
	"paragraphs": paragraphs,
	// The promise of anonymity, as every invitation makes it, on every form's introduction.
	"anonymityPromise": func() string { return outreach.AnonymityPromise },
}

func roleName(r any) string {
	return roleNames.of(fmt.Sprint(r)) // audit_messages.go
}
