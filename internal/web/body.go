package web

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/url"

	"github.com/gofiber/fiber/v2"
)

// Request bodies are streamed (fasthttp would otherwise allocate a declared Content-Length up
// front), so these limits are checked against the declared length before anything reads the
// body, and what is read follows the bytes that actually arrive.
const (
	// uploadBodyLimit caps a signed-in staff member's multipart upload (a keyed-forms workbook,
	// SIPAS ratios); its file parts are spooled to disk past 8 KB.
	uploadBodyLimit = 32 << 20
	// staffBodyLimit caps an ordinary staff form: a keyed matrix form is a few KB.
	staffBodyLimit = 256 << 10
	// publicBodyLimit caps a respondent's post: 170 units × 30 questions fit.
	publicBodyLimit = 128 << 10
	// anonBodyLimit caps what someone not signed in may post to a staff route (the login form).
	anonBodyLimit = 8 << 10
)

// Field limits of a parsed form: a question's answer is an option number, a form code a dozen
// characters.
const (
	// maxValueBytes is the longest value kept from an answer or code field.
	maxValueBytes = 64
	// formFieldSlack is how many fields beyond the expected ones a form may carry (token,
	// submission id, CSRF, timing).
	formFieldSlack = 16
)

// limitBody refuses a request whose declared body is larger than max, is chunked (a browser's
// form always declares its length) or is compressed (no form is, and a small compressed body
// could expand without bound).
func limitBody(max int) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := checkBody(c, max); err != nil {
			return err
		}
		return c.Next()
	}
}

// limitStaffBody picks the staff limit once the session is known: anonymous visitors post only
// the login form, signed-in staff may upload files.
func (s *Server) limitStaffBody(c *fiber.Ctx) error {
	max := anonBodyLimit
	if currentUser(c) != nil {
		max = staffBodyLimit
		if bytes.HasPrefix(c.Request().Header.ContentType(), []byte(fiber.MIMEMultipartForm)) {
			max = uploadBodyLimit
		}
	}
	if err := checkBody(c, max); err != nil {
		return err
	}
	return c.Next()
}

func checkBody(c *fiber.Ctx, max int) error {
	h := &c.Request().Header
	n := h.ContentLength()
	var status int
	var msg string
	switch {
	case len(h.Peek(fiber.HeaderContentEncoding)) > 0:
		status, msg = fiber.StatusUnsupportedMediaType, msgBodyEncoded
	case n == -1:
		status, msg = fiber.StatusLengthRequired, msgBodyLength
	case n > max:
		status, msg = fiber.StatusRequestEntityTooLarge, fmt.Sprintf(msgBodyTooLarge, sizeText(max))
	default:
		return nil
	}
	// The body was not read: the connection cannot carry another request.
	c.Context().SetConnectionClose()
	return &Error{Status: status, Msg: msg}
}

func sizeText(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}

// postedForm is an urlencoded form copied out of the request: the last value of each name, and
// the names posted more than once (a double mark when the name is a question).
type postedForm struct {
	values   map[string]string
	repeated map[string]bool
}

// formError is a posted form over its field limits.
type formError struct {
	fields, valueBytes int
}

func (e *formError) Error() string {
	return fmt.Sprintf(msgFormTooLarge, e.fields, e.valueBytes)
}

// readForm parses the request's urlencoded body itself, without fasthttp's argument pool,
// refusing more than maxFields fields or a value longer than maxValue bytes, so memory follows
// what the form can legitimately hold.
func readForm(c *fiber.Ctx, maxFields, maxValue int) (postedForm, error) {
	f := postedForm{values: map[string]string{}, repeated: map[string]bool{}}
	if !bytes.HasPrefix(c.Request().Header.ContentType(), []byte(fiber.MIMEApplicationForm)) {
		return f, nil
	}
	body := c.Request().Body()
	fields := 0
	for len(body) > 0 {
		var pair []byte
		pair, body, _ = bytes.Cut(body, []byte{'&'})
		if len(pair) == 0 {
			continue
		}
		if fields++; fields > maxFields {
			return f, &formError{maxFields, maxValue}
		}
		k, v, _ := bytes.Cut(pair, []byte{'='})
		if len(k) > maxValue || len(v) > 3*maxValue {
			return f, &formError{maxFields, maxValue}
		}
		key, err1 := url.QueryUnescape(string(k))
		val, err2 := url.QueryUnescape(string(v))
		if err1 != nil || err2 != nil || len(val) > maxValue {
			return f, &formError{maxFields, maxValue}
		}
		if _, seen := f.values[key]; seen {
			f.repeated[key] = true
		}
		f.values[key] = val
	}
	return f, nil
}

// readPosted reads a posted file whose declared size was checked against limit: never more than
// limit+1 bytes, so a file that lied about its size shows as too long to the parser after.
func readPosted(fh *multipart.FileHeader, limit int64) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("web: open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("web: read upload: %w", err)
	}
	return data, nil
}
