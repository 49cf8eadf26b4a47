// Package txn connects a [*vetshare.Tx] with the store's [driver.Tx] it wraps. Only the domain
// packages, the stores and the project's tests use it: a host reaches storage through the
// operations alone (R12.5).
package txn

import (
	"context"

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

// PatientMerger returns the patient-merge methods of tx's driver transaction (R13.5), or an
// [*vetshare.InvalidError] when its store has none.
func PatientMerger(tx *vetshare.Tx) (driver.PatientMergeTx, error) {
	d := D(tx)
	before := func(string) error { return nil }
	if h, ok := d.(Hooked); ok {
		d, before = h.Tx, h.Before
	}
	pm, ok := d.(driver.PatientMergeTx)
	if !ok {
		return nil, vetshare.Invalid("tx", "this store cannot merge patients")
	}
	return hookedMerger{pm, before}, nil
}

// hookedMerger calls before with a method's name before each call, as [Hooked] does.
type hookedMerger struct {
	pm     driver.PatientMergeTx
	before func(string) error
}

func (h hookedMerger) MergePatients(ctx context.Context, m driver.PatientMerge) error {
	if err := h.before("MergePatients"); err != nil {
		return err
	}
	return h.pm.MergePatients(ctx, m)
}

func (h hookedMerger) PatientReplacedBy(ctx context.Context, owner vetshare.OwnerID, id vetshare.PatientID) (vetshare.PatientID, error) {
	if err := h.before("PatientReplacedBy"); err != nil {
		return "", err
	}
	return h.pm.PatientReplacedBy(ctx, owner, id)
}
