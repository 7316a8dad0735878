package web

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/vn"
)

// fieldErrors is what is wrong with a posted staff form, by the input it is about (its id where a
// page has several forms): the page shows each message next to its input, in a "field-error"
// paragraph the input points to with aria-describedby, and keeps what was typed.
type fieldErrors map[string]string

// add records a problem with an input, keeping the first one found.
func (e fieldErrors) add(id, msg string) {
	if _, ok := e[id]; !ok {
		e[id] = msg
	}
}

// postedText is a text field of a posted form copied out of the request, NFC-normalised and
// without surrounding spaces.
func postedText(c *fiber.Ctx, name string) string {
	return strings.TrimSpace(vn.NFC(c.FormValue(name)))
}

// checkText records what is wrong with a text a person typed: bytes that are not UTF-8,
// control characters (a NUL, a tab pasted from a spreadsheet) or more than max characters.
// Texts are checked whole, never cut, so no character is split.
func (e fieldErrors) checkText(id, value string, max int) {
	switch {
	case !utf8.ValidString(value):
		e.add(id, msgTextNotUTF8)
	case strings.ContainsFunc(value, unicode.IsControl):
		e.add(id, msgTextControl)
	case utf8.RuneCountInString(value) > max:
		e.add(id, fmt.Sprintf(msgTextTooLong, max))
	}
}

// maxValue is the longest value a post of this form may carry, in bytes: an option number, or
// an open answer of twice its length limit in the widest UTF-8, so that a text somewhat too
// long is read and refused with its length on the page rather than as a broken post.
func (sf *surveyForm) maxValue() int {
	n := maxValueBytes
	for _, limit := range sf.texts {
		n = max(n, 2*4*limit)
	}
	return n
}
