package txn_test

import (
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
)

// R10.1: nested operation calls share the outermost call's id; calls one after the other get
// different ids; outside any call each entry is an operation of its own; Continue carries an id
// into another transaction.
func TestR10_1OperationIDNesting(t *testing.T) {
	tx := &vetshare.Tx{}
	endOuter := txn.Begin(tx)
	outer := txn.OperationID(tx)
	endInner := txn.Begin(tx)
	if inner := txn.OperationID(tx); inner != outer {
		t.Errorf("nested call has id %q, the outer one %q", inner, outer)
	}
	endInner()
	if again := txn.OperationID(tx); again != outer {
		t.Errorf("after the nested call ends the outer id is %q, want %q", again, outer)
	}
	endOuter()
	end := txn.Begin(tx)
	next := txn.OperationID(tx)
	end()
	if next == outer || !vetshare.ValidID(next) {
		t.Errorf("the next call has id %q (the first %q)", next, outer)
	}
	if a, b := txn.OperationID(tx), txn.OperationID(tx); a == b {
		t.Errorf("two entries outside any call share id %q", a)
	}
	other := &vetshare.Tx{}
	end = txn.Continue(other, outer)
	if got := txn.OperationID(other); got != outer {
		t.Errorf("Continue: id %q, want %q", got, outer)
	}
	end()
	// A nil tx has no state: Begin is harmless and every id is new.
	defer txn.Begin(nil)()
	if txn.OperationID(nil) == "" {
		t.Error("no id outside a transaction")
	}
}
