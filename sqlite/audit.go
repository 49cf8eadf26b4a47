package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/vetshare/vetshare"
)

// AppendAudit implements [*vetshare.Tx]. The entry is chained after the owner's last: read here,
// or, in a write transaction of the store's own, known from ActorMembership or from the entry
// this transaction appended last (tip), which saves a statement in every audited write.
func (t *dtx) AppendAudit(ctx context.Context, e *vetshare.AuditEntry) error {
	var seq int64
	var prev []byte
	if t.tip != nil && t.tip.owner == e.OwnerID {
		seq, prev = t.tip.seq, t.tip.hash
	} else {
		err := t.queryRow(ctx, nil, func(r *sql.Rows) error { return r.Scan(&seq, &prev) },
			`SELECT seq, hash FROM vetshare_audit_log WHERE owner_id = ? ORDER BY seq DESC LIMIT 1`, e.OwnerID)
		if err != nil {
			return err
		}
	}
	e.Seq, e.PrevHash, e.At = seq+1, prev, vetshare.Time(e.At)
	if e.PrevHash == nil {
		e.PrevHash = []byte{}
	}
	e.Hash = vetshare.AuditHash(*e)
	_, err := t.exec(ctx, `INSERT INTO vetshare_audit_log (owner_id, seq, at, user_id, account_id, action, subject, outcome, detail, operation_id, request_id, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.OwnerID, e.Seq, micros(e.At), e.UserID, e.AccountID, e.Action, e.Subject, e.Outcome, e.Detail, e.OperationID, e.RequestID, e.PrevHash, e.Hash)
	if err != nil {
		t.tip = nil
		return err
	}
	if t.ownWrite() {
		t.tip = &auditTip{owner: e.OwnerID, seq: e.Seq, hash: e.Hash}
	}
	return nil
}

// AuditEntries implements [*vetshare.Tx].
func (t *dtx) AuditEntries(ctx context.Context, owner vetshare.OwnerID, afterSeq int64, limit int) ([]vetshare.AuditEntry, error) {
	var out []vetshare.AuditEntry
	err := t.each(ctx, func(r *sql.Rows) error {
		var e vetshare.AuditEntry
		var at int64
		err := r.Scan(&e.OwnerID, &e.Seq, &at, &e.UserID, &e.AccountID, &e.Action, &e.Subject, &e.Outcome, &e.Detail, &e.OperationID, &e.RequestID, &e.PrevHash, &e.Hash)
		e.At = time.UnixMicro(at).UTC()
		out = append(out, e)
		return err
	}, `SELECT owner_id, seq, at, user_id, account_id, action, subject, outcome, detail, operation_id, request_id, prev_hash, hash
		FROM vetshare_audit_log WHERE owner_id = ? AND seq > ? ORDER BY seq LIMIT ?`, owner, afterSeq, limit)
	return out, err
}
