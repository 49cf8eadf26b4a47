// Package auditlog appends entries to the audit log for the operations of every domain package.
// It is internal on purpose: an entry is written only by the operation whose change it records,
// in the same transaction, after that operation has checked its actor, so no host can write
// an entry for an owner it does not belong to (R10.1, R3.3).
package auditlog

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
)

// Write appends an entry for owner at the transaction's time: actor did action on subject with
// outcome; detail, when not nil, is kept as JSON evidence. The caller has checked the actor and
// that the subject belongs to owner. The entry carries the id of the operation call running on
// tx (see [txn.Begin]; a new one when none is) and the actor's RequestID (R10.1).
func Write(ctx context.Context, tx *vetshare.Tx, owner vetshare.OwnerID, actor vetshare.Actor, action, subject, outcome string, detail any) error {
	var d []byte
	if detail != nil {
		var err error
		if d, err = json.Marshal(detail); err != nil {
			return fmt.Errorf("audit: %s: %w", action, err)
		}
	}
	return txn.D(tx).AppendAudit(ctx, &vetshare.AuditEntry{
		OwnerID: owner, At: tx.Now(), UserID: actor.User, AccountID: actor.Account,
		Action: action, Subject: subject, Outcome: outcome, Detail: string(d),
		OperationID: txn.OperationID(tx), RequestID: actor.RequestID,
	})
}
