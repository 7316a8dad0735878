// Package fault gives errors a kind that says what went wrong for the person who asked: a thing
// not found, a conflict with what is stored, input to correct (with its field), an action the
// account may not take, or a campaign closed to it. Each kind maps to one HTTP status and one
// default Vietnamese message in internal/web; an error without a kind is internal, and its text
// goes to the log, never to a page.
package fault

import (
	"errors"
	"fmt"
)

// Kind is what went wrong, as the person who asked sees it.
type Kind int

// The kinds. Internal is the zero value: anything not classified.
const (
	Internal Kind = iota
	NotFound
	Conflict
	Invalid
	Forbidden
	Closed
)

func (k Kind) String() string {
	switch k {
	case NotFound:
		return "not found"
	case Conflict:
		return "conflict"
	case Invalid:
		return "invalid input"
	case Forbidden:
		return "forbidden"
	case Closed:
		return "closed"
	}
	return "internal"
}

// Field is one input to correct, by its form name, with what is wrong in Vietnamese.
type Field struct {
	Name string
	Msg  string
}

// Error is an error of a kind with a message safe to show (Vietnamese), the inputs to correct,
// and the cause for the log.
type Error struct {
	Kind Kind
	// Msg is shown to the person; empty shows the kind's default message.
	Msg string
	// Fields are the inputs to correct, for Invalid.
	Fields []Field
	// Err is the cause, for the log and for errors.Is.
	Err error
}

func (e *Error) Error() string {
	switch {
	case e.Err != nil && e.Msg != "":
		return fmt.Sprintf("%s: %v", e.Msg, e.Err)
	case e.Err != nil:
		return e.Err.Error()
	}
	return fmt.Sprintf("%s: %s", e.Kind, e.Msg)
}

// Sentinel is an error of kind k with a fixed text for the log, to compare with errors.Is; the
// page shows the kind's default message unless a caller wraps it with its own.
func Sentinel(k Kind, text string) error {
	return &Error{Kind: k, Err: errors.New(text)}
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New is an error of kind k with a message to show; cause may be nil.
func New(k Kind, msg string, cause error) *Error {
	return &Error{Kind: k, Msg: msg, Err: cause}
}

// Fields is an Invalid error listing the inputs to correct; msg sums them up.
func Fields(msg string, fields ...Field) *Error {
	return &Error{Kind: Invalid, Msg: msg, Fields: fields}
}

// KindOf is the kind of err: that of the first *Error in its chain, Internal otherwise.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns the first *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
