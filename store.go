package vetshare

import (
	"context"
)

// Store is where vetshare keeps its data. The embedded default is package sqlite; every Store
// must pass the conformance suite of package storetest.
//
// Operations of the domain packages run on a [Tx]; a host runs them in Update or View, and may
// run several in one transaction so that they happen together or not at all.
type Store interface {
	// Update runs fn in a read-write transaction, committed when fn returns nil and rolled back
	// when it returns an error or panics, or when ctx is done first. The transaction takes the
	// write lock when it begins, waiting for it within ctx's deadline. Update returns fn's error
	// as it is, or ctx's error.
	Update(ctx context.Context, fn func(tx *Tx) error) error
	// View runs fn in a read-only transaction that sees one consistent snapshot. A write in it
	// fails.
	View(ctx context.Context, fn func(tx *Tx) error) error
	// Close releases the store. Transactions still running fail.
	Close() error
}
