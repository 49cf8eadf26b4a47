package vetshare

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// The sentinel errors. Every error an operation returns for a reason a caller can act on matches
// one of them with [errors.Is]; where a caller needs the details, the error is also a typed value
// with fields, reachable with [errors.As]. New kinds are only ever appended.
//
// # Messages
//
// The message of every error of this package (its Error method) is a sentence a host may show a
// person (R12.7): what was refused and why, naming things by the names a person knows where the
// operation has them (the clinic's name, the item's name, the user's name). Ids are never in the
// sentence: they are fields of the typed errors, for [errors.As]. Rule numbers are in the
// documentation and the tests, never in a message. The name of the operation that failed is a
// field of [*OpError], not a prefix of the message.
var (
	// ErrNotFound: the thing does not exist, or exists but is not shared with the account the
	// request is made in. The two are indistinguishable on purpose (R3.3).
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input is malformed or breaks a rule; nothing was changed.
	ErrInvalid = errors.New("invalid input")
	// ErrConflict: the write was based on a stale version, or collides with existing data;
	// re-read and retry.
	ErrConflict = errors.New("conflict")
	// ErrNotPermitted: the actor may not do this, or the rules forbid it here.
	ErrNotPermitted = errors.New("not permitted")
)

// NotFoundError says which thing was not found. It matches [ErrNotFound]. Its message names the
// kind of thing, and the thing's name where the operation knows it: "client not found",
// `item "Rabies vaccine" not found`; never its id.
type NotFoundError struct {
	Kind string // "client", "patient", "account", ...
	ID   string
	Name string // the name a person knows it by, where the operation has it; may be empty
}

func (e *NotFoundError) Error() string {
	switch {
	case e.Kind == "":
		return "not found"
	case e.Name != "":
		return fmt.Sprintf("%s %q not found", e.Kind, e.Name)
	}
	return e.Kind + " not found"
}

// Unwrap returns [ErrNotFound].
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// NotFound returns a [*NotFoundError] for the kind of thing and its id.
func NotFound[T ID](kind string, id T) error { return &NotFoundError{Kind: kind, ID: string(id)} }

// InvalidError says which input was refused and why. It matches [ErrInvalid]. Its message is the
// field in words and the reason, "due on: not a date of the form 2006-01-02"; the reason never
// holds an id.
type InvalidError struct {
	Field  string // the name of the input, as in the Go struct or parameter: "FirstName", "Quantity"
	Reason string
}

func (e *InvalidError) Error() string {
	f := fieldWords(e.Field)
	switch {
	case f == "":
		return e.Reason
	case e.Reason == "":
		return f + " is not valid"
	}
	return f + ": " + e.Reason
}

// Unwrap returns [ErrInvalid].
func (e *InvalidError) Unwrap() error { return ErrInvalid }

// Invalid returns an [*InvalidError].
func Invalid(field, reason string) error { return &InvalidError{Field: field, Reason: reason} }

// fieldWords writes a Go field name in words: "ClientID" is "client id", "Page.After" is
// "page after", "Lines[2].Quantity" is "lines[2] quantity".
func fieldWords(field string) string {
	var b strings.Builder
	rs := []rune(field)
	for i, r := range rs {
		switch {
		case r == '.' || r == '_':
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			continue
		case unicode.IsUpper(r):
			// A word starts at an upper-case letter after a lower-case one, or at the last
			// upper-case letter of an acronym followed by a lower-case one ("IDNumber").
			if i > 0 && b.Len() > 0 {
				prev := rs[i-1]
				next := i+1 < len(rs) && unicode.IsLower(rs[i+1])
				if unicode.IsLower(prev) || unicode.IsDigit(prev) || prev == ']' || (unicode.IsUpper(prev) && next) {
					b.WriteByte(' ')
				}
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ConflictError reports a write refused because the thing changed since it was read (optimistic
// concurrency) or because it collides with existing data. It matches [ErrConflict]. Its message
// is Reason where there is one, and otherwise says that the thing changed since it was read.
type ConflictError struct {
	Kind    string
	ID      string
	Version int64  // the version the write was based on
	Current int64  // the version stored now; 0 when not a version conflict
	Reason  string // a sentence without ids: "the record was already removed"
	Name    string // the name a person knows the thing by, where the operation has it; may be empty
}

func (e *ConflictError) Error() string {
	if e.Reason != "" {
		return e.Reason
	}
	what := "the " + e.Kind
	if e.Kind == "" {
		what = "the data"
	}
	if e.Name != "" {
		what += fmt.Sprintf(" %q", e.Name)
	}
	return what + " was changed by someone else since it was read: read it again and retry"
}

// Unwrap returns [ErrConflict].
func (e *ConflictError) Unwrap() error { return ErrConflict }

// NotPermittedError says why an action was refused. It matches [ErrNotPermitted]. Reason is the
// whole message, a sentence without ids; the ids and names of the user and the account the
// refusal concerns are fields, set where the operation has them.
type NotPermittedError struct {
	Reason      string
	User        UserID
	UserName    string
	Account     AccountID
	AccountName string
}

func (e *NotPermittedError) Error() string {
	if e.Reason == "" {
		return "not permitted"
	}
	return e.Reason
}

// Unwrap returns [ErrNotPermitted].
func (e *NotPermittedError) Unwrap() error { return ErrNotPermitted }

// NotPermitted returns a [*NotPermittedError] with a reason made by [fmt.Sprintf]. The reason is
// shown to people: give it names, not ids, and set the id fields on the error where they are
// known.
func NotPermitted(format string, args ...any) error {
	return &NotPermittedError{Reason: fmt.Sprintf(format, args...)}
}

// OpError is an error with the name of the operation that returned it, for logs and for
// [errors.As]. Its message is the wrapped error's, unchanged: the operation's Go name is not for
// the people a host shows the message to.
type OpError struct {
	Op  string // "records.CreateClient"
	Err error
}

func (e *OpError) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e *OpError) Unwrap() error { return e.Err }

// Op wraps err in an [*OpError] with the name of the operation that returned it, keeping it
// testable with [errors.Is] and [errors.As]; the message stays err's. Where operations nest,
// [errors.As] finds the outermost, the one the host called. It returns nil for a nil err.
func Op(op string, err error) error {
	if err == nil {
		return nil
	}
	return &OpError{Op: op, Err: err}
}
