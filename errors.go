package vetshare

import (
	"errors"
	"fmt"
)

// The sentinel errors. Every error an operation returns for a reason a caller can act on matches
// one of them with [errors.Is]; where a caller needs the details, the error is also a typed value
// with fields, reachable with [errors.As]. New kinds are only ever appended.
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

// NotFoundError says which thing was not found. It matches [ErrNotFound].
type NotFoundError struct {
	Kind string // "client", "patient", "account", ...
	ID   string
}

func (e *NotFoundError) Error() string { return fmt.Sprintf("%s %q not found", e.Kind, e.ID) }

// Unwrap returns [ErrNotFound].
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// NotFound returns a [*NotFoundError] for the kind of thing and its id.
func NotFound[T ID](kind string, id T) error { return &NotFoundError{Kind: kind, ID: string(id)} }

// InvalidError says which input was refused and why. It matches [ErrInvalid].
type InvalidError struct {
	Field  string // the name of the input, as in the Go struct or parameter: "FirstName", "Quantity"
	Reason string
}

func (e *InvalidError) Error() string { return e.Field + ": " + e.Reason }

// Unwrap returns [ErrInvalid].
func (e *InvalidError) Unwrap() error { return ErrInvalid }

// Invalid returns an [*InvalidError].
func Invalid(field, reason string) error { return &InvalidError{Field: field, Reason: reason} }

// ConflictError reports a write refused because the thing changed since it was read (optimistic
// concurrency) or because it collides with existing data. It matches [ErrConflict].
type ConflictError struct {
	Kind    string
	ID      string
	Version int64 // the version the write was based on
	Current int64 // the version stored now; 0 when not a version conflict
	Reason  string
}

func (e *ConflictError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("%s %q: %s", e.Kind, e.ID, e.Reason)
	}
	return fmt.Sprintf("%s %q changed: written from version %d, now at version %d", e.Kind, e.ID, e.Version, e.Current)
}

// Unwrap returns [ErrConflict].
func (e *ConflictError) Unwrap() error { return ErrConflict }

// NotPermittedError says why an action was refused. It matches [ErrNotPermitted].
type NotPermittedError struct {
	Reason string
}

func (e *NotPermittedError) Error() string { return e.Reason }

// Unwrap returns [ErrNotPermitted].
func (e *NotPermittedError) Unwrap() error { return ErrNotPermitted }

// NotPermitted returns a [*NotPermittedError] with a reason made by [fmt.Sprintf].
func NotPermitted(format string, args ...any) error {
	return &NotPermittedError{Reason: fmt.Sprintf(format, args...)}
}

// Op wraps err with the name of the operation that returned it, keeping it testable with
// [errors.Is] and [errors.As]. It returns nil for a nil err.
func Op(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, err)
}
