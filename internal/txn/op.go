package txn

import (
	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txhook"
)

// Begin marks the start of an exported operation call on tx and returns the function that marks
// its end; an operation that writes audit entries starts with
//
//	defer txn.Begin(tx)()
//
// The entries written between the outermost Begin and its end share one operation id (R10.1):
// operations that call other operations nest, and the inner calls share the outer call's id.
// Two calls one after the other in a transaction get different ids.
func Begin(tx *vetshare.Tx) (end func()) {
	return Continue(tx, "")
}

// Continue is [Begin] for an operation call that spans several transactions (a backfill works
// in batches, each in its own): when id is not empty and this is the outermost call on tx, the
// entries written in it get id, the id an earlier transaction of the same call had
// ([OperationID]).
func Continue(tx *vetshare.Tx, id vetshare.OperationID) (end func()) {
	s := txhook.State(tx)
	if s == nil {
		return func() {}
	}
	if s.Depth == 0 {
		s.ID = string(id)
	}
	s.Depth++
	return func() {
		if s.Depth--; s.Depth == 0 {
			s.ID = ""
		}
	}
}

// OperationID returns the id of the operation call running on tx, making it when the call has
// none yet. Outside any call (no [Begin]) it returns a new id each time: each entry is then an
// operation of its own.
func OperationID(tx *vetshare.Tx) vetshare.OperationID {
	s := txhook.State(tx)
	if s == nil || s.Depth == 0 {
		return vetshare.NewID[vetshare.OperationID](tx.Now())
	}
	if s.ID == "" {
		s.ID = string(vetshare.NewID[vetshare.OperationID](tx.Now()))
	}
	return vetshare.OperationID(s.ID)
}
