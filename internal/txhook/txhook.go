// Package txhook lets the root package hand its transaction's driver to internal/txn without
// exporting it: the root package sets these once, in its init, and nothing else does.
package txhook

import "time"

var (
	// New returns a *vetshare.Tx over the driver transaction d, begun at now.
	New func(d any, now time.Time) any
	// Driver returns the driver transaction of a *vetshare.Tx, or nil for a nil one.
	Driver func(tx any) any
	// State returns the operation state of a *vetshare.Tx, or nil for a nil one.
	State func(tx any) *Op
)

// Op is the operation state of one transaction (R10.1): the id of the exported operation call
// running in it, shared by the audit entries it writes, and how many operation calls are open
// (an operation may call others; they share the outermost call's id).
type Op struct {
	ID    string // made when the first entry is written; empty between calls
	Depth int
}
