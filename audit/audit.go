// Package audit reads and verifies the append-only, tamper-evident audit log (R10).
//
// Every sharing decision, group change, client share, home-location change, removal of a record
// and cross-account write is written by the operation that makes it, in the same transaction as
// the change it records (there is no public way to write an entry), so the log never claims a change that did not happen nor misses one that did
// (R10.1). Each owner has its own chain of entries; each entry carries the hash of the previous
// one and a hash over its own content ([vetshare.AuditHash]), and [Verify] recomputes the chain
// (R10.2). The SQLite store also refuses UPDATE and DELETE on the log's table.
//
// The entries one operation call writes share an operation id, and carry the request id the
// host gave in [vetshare.Actor.RequestID], so a host can tell which entries belong together
// (R10.1). The log is read with [Log] and verified with [Verify], by an active owner or admin of
// an account of the log's owner; anyone else gets [vetshare.ErrNotFound] (R10.3).
package audit

import (
	"context"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
)

// The outcomes an entry records.
const (
	OK       = "ok"
	Rejected = "rejected"
)

// BrokenError says where an owner's audit chain is broken. It matches [vetshare.ErrConflict].
type BrokenError struct {
	Owner  vetshare.OwnerID
	Seq    int64 // the first entry that does not verify
	Reason string
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("the audit log is broken at entry %d: %s", e.Seq, e.Reason)
}

// Unwrap returns [vetshare.ErrConflict].
func (e *BrokenError) Unwrap() error { return vetshare.ErrConflict }

// Verify checks the whole chain of the owner of the actor's account: sequence numbers 1, 2, 3,
// ... with no gap, each entry's PrevHash equal to the previous entry's Hash, and each Hash equal
// to [vetshare.AuditHash] of the entry. It returns the number of entries checked, and a
// [*BrokenError] at the first that fails. The actor must be one who may read the log ([Log]):
// anyone else gets [vetshare.ErrNotFound] (R10.3).
func Verify(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor) (int64, error) {
	const op = "audit.Verify"
	owner, err := reader(ctx, tx, actor)
	if err != nil {
		return 0, vetshare.Op(op, err)
	}
	return verify(ctx, tx, owner)
}

// verify checks owner's chain for [Verify], which has checked the reader.
func verify(ctx context.Context, tx *vetshare.Tx, owner vetshare.OwnerID) (int64, error) {
	var prev []byte
	var seq int64
	for {
		page, err := txn.D(tx).AuditEntries(ctx, owner, seq, 1000)
		if err != nil {
			return seq, err
		}
		if len(page) == 0 {
			return seq, nil
		}
		for _, e := range page {
			switch {
			case e.Seq != seq+1:
				return seq, &BrokenError{Owner: owner, Seq: seq + 1, Reason: fmt.Sprintf("entry %d follows %d", e.Seq, seq)}
			case string(e.PrevHash) != string(prev):
				return seq, &BrokenError{Owner: owner, Seq: e.Seq, Reason: "it does not carry the previous entry's hash"}
			case string(e.Hash) != string(vetshare.AuditHash(e)):
				return seq, &BrokenError{Owner: owner, Seq: e.Seq, Reason: "its content does not match its hash"}
			}
			prev, seq = e.Hash, e.Seq
		}
	}
}
