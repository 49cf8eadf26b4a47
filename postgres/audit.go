package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
)

// AppendAudit implements [driver.Tx]. The owner's audit counter gives the entry its place in
// the chain and holds the chain for this transaction until it ends, so that concurrent
// appends of one owner follow each other.
func (t *dtx) AppendAudit(ctx context.Context, e *vetshare.AuditEntry) error {
	if err := t.use(ctx, string(e.OwnerID)); err != nil {
		return err
	}
	entry := *e
	err := t.write(ctx, func() error {
		var seq int64
		if err := t.row(ctx, nil, []any{&seq}, `WITH `+next+` SELECT value FROM next`, e.OwnerID, "", "audit"); err != nil {
			return err
		}
		var prev []byte
		if err := t.row(ctx, errNoRow, []any{&prev}, `SELECT hash FROM vetshare.audit_log WHERE owner_id = $1 AND seq = $2`, e.OwnerID, seq-1); err != nil && err != errNoRow {
			return err
		}
		entry.Seq, entry.PrevHash, entry.At = seq, prev, vetshare.Time(e.At)
		if entry.PrevHash == nil {
			entry.PrevHash = []byte{}
		}
		entry.Hash = vetshare.AuditHash(entry)
		_, err := t.exec(ctx, `INSERT INTO vetshare.audit_log (owner_id, seq, at, user_id, account_id, action, subject, outcome, detail,
			operation_id, request_id, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			e.OwnerID, entry.Seq, micros(entry.At), e.UserID, e.AccountID, e.Action, e.Subject, e.Outcome, e.Detail,
			e.OperationID, e.RequestID, entry.PrevHash, entry.Hash)
		return err
	})
	if err == nil {
		*e = entry
	}
	return err
}

// AuditEntries implements [driver.Tx].
func (t *dtx) AuditEntries(ctx context.Context, owner vetshare.OwnerID, afterSeq int64, limit int) ([]vetshare.AuditEntry, error) {
	if err := t.use(ctx, string(owner)); err != nil {
		return nil, err
	}
	var out []vetshare.AuditEntry
	err := t.each(ctx, func(r pgx.Rows) error {
		var e vetshare.AuditEntry
		var at int64
		err := r.Scan(&e.OwnerID, &e.Seq, &at, &e.UserID, &e.AccountID, &e.Action, &e.Subject, &e.Outcome, &e.Detail,
			&e.OperationID, &e.RequestID, &e.PrevHash, &e.Hash)
		e.At = fromMicros(at)
		out = append(out, e)
		return err
	}, `SELECT owner_id, seq, at, user_id, account_id, action, subject, outcome, detail, operation_id, request_id, prev_hash, hash
		FROM vetshare.audit_log WHERE owner_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, owner, afterSeq, limitArg(limit))
	return out, err
}
