package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
)

// AppendAudit implements [*vetshare.Tx]. The entry is chained after the owner's last: read here,
// or, in a write transaction of the store's own, known from ActorMembership or from the entry
// this transaction appended last (tip), which saves a statement in every audited write.
//
// In a write transaction of the store's own, the entry is kept and stored with the others of
// the transaction in one INSERT before it commits (flushAudit), or before anything reads the
// log: an operation that audits twice (a usage completes a reminder and adds a record) writes
// one statement, not two. The entry is as much a part of the transaction either way: when the
// INSERT fails, Update returns the error and commits nothing. In a host's transaction
// (Store.Tx), which the store never commits, it is stored at once.
func (t *dtx) AppendAudit(ctx context.Context, e *vetshare.AuditEntry) error {
	var seq int64
	var prev []byte
	if t.tip != nil && t.tip.owner == e.OwnerID {
		seq, prev = t.tip.seq, t.tip.hash
	} else {
		// Another owner's chain: its last entry may be among those kept.
		if err := t.flushAudit(ctx); err != nil {
			return err
		}
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
	if !t.ownWrite() {
		return t.insertAudit(ctx, []vetshare.AuditEntry{*e})
	}
	t.audits = append(t.audits, *e)
	t.tip = &auditTip{owner: e.OwnerID, seq: e.Seq, hash: e.Hash}
	return nil
}

// flushAudit stores the audit entries AppendAudit kept, in one statement for up to
// maxAuditRows of them.
func (t *dtx) flushAudit(ctx context.Context) error {
	for len(t.audits) > 0 {
		n := min(len(t.audits), maxAuditRows)
		if err := t.insertAudit(ctx, t.audits[:n]); err != nil {
			t.audits, t.tip = nil, nil
			return err
		}
		t.audits = t.audits[n:]
	}
	t.audits = nil
	return nil
}

// maxAuditRows bounds the rows of one audit INSERT: 13 parameters each, far below SQLite's
// limit of 32,766.
const maxAuditRows = 64

// insertAudit stores es in one INSERT.
func (t *dtx) insertAudit(ctx context.Context, es []vetshare.AuditEntry) error {
	args := make([]any, 0, 13*len(es))
	for _, e := range es {
		args = append(args, e.OwnerID, e.Seq, micros(e.At), e.UserID, e.AccountID, e.Action, e.Subject, e.Outcome, e.Detail,
			e.OperationID, e.RequestID, e.PrevHash, e.Hash)
	}
	_, err := t.exec(ctx, qInsertAudit(len(es)), args...)
	return err
}

// qInsertAudit is the INSERT of n audit entries.
func qInsertAudit(n int) string {
	if n == 1 {
		return qInsertAudit1
	}
	return qInsertAuditHead + strings.Repeat(qInsertAuditRow+", ", n-1) + qInsertAuditRow
}

const (
	qInsertAuditHead = `INSERT INTO vetshare_audit_log (owner_id, seq, at, user_id, account_id, action, subject, outcome, detail, operation_id, request_id, prev_hash, hash)
		VALUES `
	qInsertAuditRow = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertAudit1   = qInsertAuditHead + qInsertAuditRow
)

// AuditEntries implements [*vetshare.Tx].
func (t *dtx) AuditEntries(ctx context.Context, owner vetshare.OwnerID, afterSeq int64, limit int) ([]vetshare.AuditEntry, error) {
	if err := t.flushAudit(ctx); err != nil {
		return nil, err
	}
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
