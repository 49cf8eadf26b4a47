// Package txhook lets the root package hand its transaction's driver to internal/txn without
// exporting it: the root package sets these once, in its init, and nothing else does.
package txhook

import "time"

var (
	// New returns a *vetshare.Tx over the driver transaction d, begun at now.
	New func(d any, now time.Time) any
	// Driver returns the driver transaction of a *vetshare.Tx, or nil for a nil one.
	Driver func(tx any) any
)
