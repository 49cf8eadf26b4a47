package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vetshare/vetshare"
)

// plain runs the baselines: the rows the operation reads and writes, with plain SQL through
// pgx on a pool of its own, each statement prepared once per connection (pgx's statement
// cache, as the store's pool), in one transaction of the store's isolation (READ COMMITTED
// for writes, REPEATABLE READ READ ONLY for reads). Every statement on a per-owner table
// filters by owner_id, as the driver's do, and the transaction sets vetshare.owner once, as
// the driver does for row-level security. What it leaves out is what the library adds: the
// savepoint around every write, reads a hand-written implementation would fold into one, and
// the routing read beyond the one the actor's read does.
type plain struct {
	pool *pgxpool.Pool
}

// ptx is one baseline transaction.
type ptx struct {
	ctx   context.Context
	tx    pgx.Tx
	now   time.Time
	owner vetshare.OwnerID
}

func (p *plain) update(ctx context.Context, fn func(q *ptx) error) error {
	return p.run(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, fn)
}

func (p *plain) view(ctx context.Context, fn func(q *ptx) error) error {
	return p.run(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

func (p *plain) run(ctx context.Context, opts pgx.TxOptions, fn func(q *ptx) error) error {
	tx, err := p.pool.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if err := fn(&ptx{ctx: ctx, tx: tx, now: vetshare.Time(time.Now())}); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func (q *ptx) exec(query string, args ...any) (int64, error) {
	tag, err := q.tx.Exec(q.ctx, query, args...)
	return tag.RowsAffected(), err
}

// row scans the one row of a query; pgx.ErrNoRows when there is none.
func (q *ptx) row(query string, args []any, dest ...any) error {
	return q.tx.QueryRow(q.ctx, query, args...).Scan(dest...)
}

func (q *ptx) each(query string, args []any, scan func(pgx.Rows) error) error {
	rows, err := q.tx.Query(q.ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func micros(t time.Time) int64 { return vetshare.Time(t).UnixMicro() }

func strs[T ~string](ids []T) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// The baseline statements, in the driver's forms: the owner first in every key and filter,
// numbers from the per-account counter row, the recording sequence from vetshare.seq.
const (
	qActor = `SELECT m.role, m.active AND u.active, o.owner_id FROM vetshare.account_owners o
		JOIN vetshare.memberships m ON m.account_id = o.account_id AND m.user_id = $1
		JOIN vetshare.users u ON u.id = m.user_id WHERE o.account_id = $2`
	qSetOwner = `SELECT set_config('vetshare.owner', $1, true)`
	qGroup    = `SELECT g.id, g.mode, x.account_id
		FROM vetshare.group_members me JOIN vetshare.share_groups g ON g.owner_id = $1 AND g.id = me.group_id
		JOIN vetshare.group_members x ON x.owner_id = $1 AND x.group_id = me.group_id AND x.left_at IS NULL
		WHERE me.owner_id = $1 AND me.account_id = $2 AND me.left_at IS NULL ORDER BY x.joined_at, x.account_id`
	qCounter = `INSERT INTO vetshare.counters AS k (owner_id, scope, name, value) VALUES ($1, $2, $3, 1)
		ON CONFLICT (owner_id, scope, name) DO UPDATE SET value = k.value + 1 RETURNING value`
	qInsEntry = `WITH next AS (` + qCounter + `)
		INSERT INTO vetshare.client_entries (owner_id, account_id, client_id, number, via, created_at, seq)
		SELECT $1, $2, $4, next.value, $5, $6, nextval('vetshare.seq') FROM next RETURNING number`
	qEntries   = `SELECT e.account_id, e.number FROM vetshare.client_entries e WHERE e.owner_id = $1 AND e.client_id = $2 ORDER BY e.created_at, e.seq`
	qInsClient = `INSERT INTO vetshare.clients (owner_id, id, first_name, last_name, name_key, first_key, email, phone, address,
		origin_account, home_account, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`
	qAuditSeq  = `WITH next AS (` + qCounter + `) SELECT value FROM next`
	qAuditPrev = `SELECT hash FROM vetshare.audit_log WHERE owner_id = $1 AND seq = $2`
	qInsAudit  = `INSERT INTO vetshare.audit_log (owner_id, seq, at, user_id, account_id, action, subject, outcome, detail,
		operation_id, request_id, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', '', $10, $11)`
)

// actor is the authorization read of every operation: the actor's active membership, with the
// account's owner, read through the routing table; the owner becomes the transaction's.
func (q *ptx) actor(a vetshare.Actor) (vetshare.Role, vetshare.OwnerID, error) {
	var role vetshare.Role
	var active bool
	var owner vetshare.OwnerID
	if err := q.row(qActor, []any{a.User, a.Account}, &role, &active, &owner); err != nil || !active {
		return "", "", fmt.Errorf("baseline: no active membership: %v", err)
	}
	if _, err := q.exec(qSetOwner, owner); err != nil {
		return "", "", err
	}
	q.owner = owner
	return role, owner, nil
}

// group returns the account's group, its mode and its current members.
func (q *ptx) group(account vetshare.AccountID) (vetshare.GroupID, vetshare.Mode, []vetshare.AccountID, error) {
	var g vetshare.GroupID
	var m vetshare.Mode
	var members []vetshare.AccountID
	err := q.each(qGroup, []any{q.owner, account}, func(r pgx.Rows) error {
		var a vetshare.AccountID
		err := r.Scan(&g, &m, &a)
		members = append(members, a)
		return err
	})
	if err == nil && len(members) == 0 {
		err = pgx.ErrNoRows
	}
	return g, m, members, err
}

// entry inserts a client entry with the account's next number.
func (q *ptx) entry(a vetshare.AccountID, c vetshare.ClientID, via vetshare.EntryVia) (int64, error) {
	var n int64
	err := q.row(qInsEntry, []any{q.owner, a, "client", c, string(via), micros(q.now)}, &n)
	return n, err
}

// entries returns the accounts that have the client.
func (q *ptx) entries(c vetshare.ClientID) ([]vetshare.AccountID, error) {
	var has []vetshare.AccountID
	err := q.each(qEntries, []any{q.owner, c}, func(r pgx.Rows) error {
		var a vetshare.AccountID
		var n int64
		err := r.Scan(&a, &n)
		has = append(has, a)
		return err
	})
	return has, err
}

// audit appends an audit entry to the owner's chain, numbered by the owner's counter and hashed
// as the store does.
func (q *ptx) audit(a vetshare.Actor, action, subject string, detail any) error {
	d, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	e := vetshare.AuditEntry{OwnerID: q.owner, At: q.now, UserID: a.User, AccountID: a.Account, Action: action, Subject: subject, Outcome: "ok", Detail: string(d)}
	if err := q.row(qAuditSeq, []any{q.owner, "", "audit"}, &e.Seq); err != nil {
		return err
	}
	if err := q.row(qAuditPrev, []any{q.owner, e.Seq - 1}, &e.PrevHash); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	if e.PrevHash == nil {
		e.PrevHash = []byte{}
	}
	e.Hash = vetshare.AuditHash(e)
	_, err = q.exec(qInsAudit, e.OwnerID, e.Seq, micros(e.At), e.UserID, e.AccountID, e.Action, e.Subject, e.Outcome, e.Detail, e.PrevHash, e.Hash)
	return err
}
