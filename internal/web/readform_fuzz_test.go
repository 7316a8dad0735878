package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// readBody runs readForm over body as a respondent's urlencoded post.
func readBody(app *fiber.App, body []byte, maxFields, maxValue int) (postedForm, error) {
	rc := &fasthttp.RequestCtx{}
	rc.Request.Header.SetMethod(fiber.MethodPost)
	rc.Request.Header.SetContentType(fiber.MIMEApplicationForm)
	rc.Request.SetBody(body)
	c := app.AcquireCtx(rc)
	defer app.ReleaseCtx(c)
	return readForm(c, maxFields, maxValue)
}

// FuzzReadForm feeds the submission parser every body a client could post: it must never
// panic, never keep more fields or longer values than its limits, and read back exactly what
// it accepted once that is encoded again.
func FuzzReadForm(f *testing.F) {
	for _, s := range []string{
		"sid=abc&q_C1=1&q_C2=2&r_gioi_tinh=1",
		"q_C1=1&q_C1=2",
		"q_C1_SNV=3&q_C1_STP=%34",
		"%zz=1",
		"a=%E1%BB%9D&b=%ff%fe",
		"&&&=&=x&",
		"q_C1=" + strings.Repeat("9", 200),
		"<script>alert(1)</script>=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
		"q_C1=1%00&_csrf=' OR 1=1 --",
	} {
		f.Add([]byte(s))
	}
	const maxFields, maxValue = 40, maxValueBytes
	app := fiber.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := readBody(app, body, maxFields, maxValue)
		if err != nil {
			if _, ok := err.(*formError); !ok {
				t.Fatalf("readForm returned %T %v, want a *formError", err, err)
			}
			return
		}
		if len(got.values) > maxFields {
			t.Fatalf("%d fields kept, limit %d", len(got.values), maxFields)
		}
		again := url.Values{}
		for k, v := range got.values {
			if len(k) > maxValue || len(v) > maxValue {
				t.Fatalf("field %q = %q passes the %d-byte limit", k, v, maxValue)
			}
			if k == "" && v == "" {
				continue
			}
			again.Set(k, v)
		}
		for k := range got.repeated {
			if _, ok := got.values[k]; !ok {
				t.Fatalf("%q reported repeated but not kept", k)
			}
		}
		// What was kept, encoded again, reads back the same (values whose encoding passes the
		// raw-length limit aside).
		back, err := readBody(app, []byte(again.Encode()), maxFields, maxValue)
		if err != nil {
			return
		}
		for k, v := range again {
			if back.values[k] != v[0] {
				t.Fatalf("field %q read back as %q, was %q", k, back.values[k], v[0])
			}
		}
		if len(back.repeated) != 0 {
			t.Fatalf("re-encoded form reads repeated fields %v", back.repeated)
		}
	})
}
