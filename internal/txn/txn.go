// Package txn connects a [*vetshare.Tx] with the store's [driver.Tx] it wraps. Only the domain
// packages, the stores and the project's tests use it: a host reaches storage through the
// operations alone (R12.5).
package txn

import (
	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/txhook"
)

// Wrap returns the transaction a host holds for the driver transaction d.
func Wrap(d driver.Tx) *vetshare.Tx { return driver.Wrap(d) }

// D returns the driver transaction of tx. A nil or zero tx has none: D returns a driver whose
// every call fails with [ErrNoTx].
func D(tx *vetshare.Tx) driver.Tx {
	if d, ok := txhook.Driver(tx).(driver.Tx); ok {
		return d
	}
	return noTx{}
}

//go:generate go run gen.go

// ErrNoTx is what every storage call fails with when an operation is handed a nil or zero
// [*vetshare.Tx] instead of one its store began.
var ErrNoTx = vetshare.Invalid("tx", "not a transaction of a store: use the transaction that Update or View gives")

// noTx is the driver of a nil or zero [*vetshare.Tx]; its methods are in notx.go.
type noTx struct{}

// Hooked is a driver transaction that calls Before with a method's name before each call of
// Tx's method, and fails the call with Before's error when it returns one. The conformance
// suite counts with it which driver methods it covers; fault injection fails the k-th call of
// an operation with it. Its methods are in hooked.go.
type Hooked struct {
	Tx     driver.Tx
	Before func(method string) error
}
