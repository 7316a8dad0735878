package web

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/parsurvey/parsurvey/internal/fault"
)

// Error is an error with an HTTP status and a message safe to show, for what only HTTP knows
// (a body too large, a CSRF token missing); what the domain refuses is a fault.Error.
type Error struct {
	Status int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// kindStatus is the HTTP status of each kind of error; the one place kinds meet HTTP.
var kindStatus = map[fault.Kind]int{
	fault.NotFound:  fiber.StatusNotFound,
	fault.Conflict:  fiber.StatusConflict,
	fault.Invalid:   fiber.StatusUnprocessableEntity,
	fault.Forbidden: fiber.StatusForbidden,
	fault.Closed:    fiber.StatusGone,
}

// kindMessage is what a page says for an error of a kind that carries no message of its own.
var kindMessage = map[fault.Kind]string{
	fault.NotFound:  msgNotFound,
	fault.Conflict:  msgKindConflict,
	fault.Invalid:   msgKindInvalid,
	fault.Forbidden: msgForbidden,
	fault.Closed:    msgKindClosed,
}

// describe turns an error into its status and the message a person may read: the message of
// a web.Error or a fault.Error, the status text of a fiber error, and for anything else a 500
// that says nothing of the cause.
func describe(err error) (int, string) {
	var pe *Error
	var fe *fiber.Error
	switch {
	case errors.As(err, &pe):
		return pe.Status, pe.Msg
	case errors.As(err, &fe):
		return fe.Code, statusMessage(fe.Code)
	}
	if f := fault.As(err); f != nil && f.Kind != fault.Internal {
		msg := f.Msg
		if msg == "" {
			msg = kindMessage[f.Kind]
		}
		return kindStatus[f.Kind], msg
	}
	return fiber.StatusInternalServerError, msgInternal
}

// handleError answers a request whose handler failed. A 500 is logged with its detail and the
// request id, and the page shows that id as a reference number instead of the detail.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status, msg := describe(err)
	ref := ""
	if status >= 500 {
		ref = fmt.Sprint(c.Locals("requestid"))
		s.log.Error("request failed", "path", c.Path(), "err", err, "request_id", ref)
	}
	if strings.HasPrefix(c.Path(), "/api/") {
		body := fiber.Map{"error": msg}
		if ref != "" {
			body["reference"] = ref
		}
		return c.Status(status).JSON(body)
	}
	body, rerr := s.views.render("layout", "error", pageData{Title: statusTitle(status), Message: msg, User: currentUser(c), Ref: ref})
	if rerr != nil {
		return c.Status(status).SendString(msg)
	}
	return send(c, status, body)
}
