package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vetshare/vetshare"
)

// plain runs the baselines: the same rows, read and written with plain SQL on the same SQLite
// file, through the same driver and the same kind of pools as the store (one write connection
// whose transactions begin IMMEDIATE, a pool of read-only connections), with every statement
// prepared once.
type plain struct {
	w, r  *sql.DB
	stmts map[*sql.DB]map[string]*sql.Stmt
}

func (p *plain) prepare(ctx context.Context, db *sql.DB, queries ...string) error {
	if p.stmts == nil {
		p.stmts = map[*sql.DB]map[string]*sql.Stmt{}
	}
	m := p.stmts[db]
	if m == nil {
		m = map[string]*sql.Stmt{}
		p.stmts[db] = m
	}
	for _, q := range queries {
		if m[q] != nil {
			continue
		}
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		m[q] = st
	}
	return nil
}

func (p *plain) close() {
	for _, m := range p.stmts {
		for _, st := range m {
			st.Close()
		}
	}
}

// ptx is one baseline transaction.
type ptx struct {
	ctx context.Context
	p   *plain
	db  *sql.DB
	tx  *sql.Tx
	now time.Time
}

func (p *plain) update(ctx context.Context, fn func(q *ptx) error) error {
	tx, err := p.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(&ptx{ctx: ctx, p: p, db: p.w, tx: tx, now: vetshare.Time(time.Now())}); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (p *plain) view(ctx context.Context, fn func(q *ptx) error) error {
	tx, err := p.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(&ptx{ctx: ctx, p: p, db: p.r, tx: tx, now: vetshare.Time(time.Now())})
}

func (q *ptx) stmt(query string) *sql.Stmt {
	st := q.p.stmts[q.db][query]
	if st == nil {
		panic("baseline statement not prepared: " + query)
	}
	return q.tx.StmtContext(q.ctx, st)
}

func (q *ptx) exec(query string, args ...any) (sql.Result, error) {
	return q.stmt(query).ExecContext(q.ctx, args...)
}

// row scans the one row of a query; sql.ErrNoRows when there is none.
func (q *ptx) row(query string, args []any, dest ...any) error {
	return q.stmt(query).QueryRowContext(q.ctx, args...).Scan(dest...)
}

func (q *ptx) each(query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := q.stmt(query).QueryContext(q.ctx, args...)
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

// The baseline statements. They read and write the same rows as the operations do.
const (
	qMembership = `SELECT role, active FROM memberships WHERE user_id = ? AND account_id = ?`
	qUser       = `SELECT active FROM users WHERE id = ?`
	qAccount    = `SELECT owner_id, name FROM accounts WHERE id = ?`
	qGroupOf    = `SELECT group_id FROM group_members WHERE account_id = ? AND left_at IS NULL`
	qMembers    = `SELECT account_id FROM group_members WHERE group_id = ? AND left_at IS NULL ORDER BY joined_at, account_id`
	qGroup      = `SELECT owner_id, mode FROM share_groups WHERE id = ?`
	qNextNumber = `UPDATE accounts SET next_client_number = next_client_number + 1 WHERE id = ? RETURNING next_client_number - 1`
	qInsEntry   = `INSERT INTO client_entries (account_id, client_id, number, via, created_at) VALUES (?, ?, ?, ?, ?)`
	qEntry      = `SELECT number FROM client_entries WHERE account_id = ? AND client_id = ?`
	qEntries    = `SELECT account_id, number FROM client_entries WHERE client_id = ? ORDER BY created_at, account_id`
	qInsClient  = `INSERT INTO clients (id, owner_id, first_name, last_name, name_key, first_key, email, phone, address,
		origin_account, home_account, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qLastAudit = `SELECT seq, hash FROM audit_log WHERE owner_id = ? ORDER BY seq DESC LIMIT 1`
	qInsAudit  = `INSERT INTO audit_log (owner_id, seq, at, user_id, account_id, action, subject, outcome, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qPatientIn = `SELECT p.client_id FROM patients p JOIN client_entries e ON e.client_id = p.client_id AND e.account_id = ? WHERE p.id = ?`
	qPatients  = `SELECT p.id, p.name, p.species FROM client_entries e JOIN patients p ON p.client_id = e.client_id
		WHERE e.account_id = ? AND e.client_id = ? ORDER BY p.id`
	qRecords = `SELECT r.id, r.patient_id, r.account_id, r.user_id, r.kind, r.text, r.item_id, r.quantity, r.created_at,
		r.removed_at, r.removed_by, r.removed_account, r.removed_reason
		FROM records r JOIN patients p ON p.id = r.patient_id JOIN client_entries e ON e.client_id = p.client_id AND e.account_id = ?
		WHERE r.patient_id = ? AND r.id > ? AND (? OR r.removed_at IS NULL) ORDER BY r.id LIMIT ?`
	clientCols    = `c.id, c.first_name, c.last_name, c.email, c.phone, c.address, c.origin_account, c.home_account, c.created_at, c.version`
	qCandidatesBy = `SELECT ` + clientCols + ` FROM clients c
		WHERE c.owner_id = (SELECT owner_id FROM accounts WHERE id = ?1)
		  AND c.%[1]s >= ?2 AND c.%[1]s < ?3
		  AND NOT EXISTS (SELECT 1 FROM client_entries e WHERE e.account_id = ?1 AND e.client_id = c.id)
		  AND EXISTS (SELECT 1 FROM client_entries e WHERE e.client_id = c.id AND e.account_id IN (SELECT value FROM json_each(?4)))
		ORDER BY c.%[1]s, c.id LIMIT ?5`
	qUnshared = `SELECT c.id FROM clients c
		WHERE c.owner_id = (SELECT owner_id FROM accounts WHERE id = ?1) AND c.id > ?2
		  AND (SELECT count(*) FROM client_entries e WHERE e.client_id = c.id AND e.account_id IN (SELECT value FROM json_each(?3)))
		      BETWEEN 1 AND ?4 - 1
		ORDER BY c.id LIMIT ?5`
)

var (
	qCandidatesName  = fmt.Sprintf(qCandidatesBy, "name_key")
	qCandidatesFirst = fmt.Sprintf(qCandidatesBy, "first_key")
)

var writeQueries = []string{qMembership, qUser, qAccount, qGroupOf, qMembers, qGroup, qNextNumber, qInsEntry, qEntry, qEntries,
	qInsClient, qLastAudit, qInsAudit, qPatientIn, qUnshared}
var readQueries = []string{qMembership, qUser, qAccount, qGroupOf, qMembers, qEntries, qPatientIn, qPatients, qRecords,
	qCandidatesName, qCandidatesFirst}

// check is the authorization read of every operation: the actor's membership and user.
func (q *ptx) check(a vetshare.Actor) (vetshare.Role, error) {
	var role vetshare.Role
	var active bool
	if err := q.row(qMembership, []any{a.User, a.Account}, &role, &active); err != nil || !active {
		return "", fmt.Errorf("baseline: no membership: %v", err)
	}
	if err := q.row(qUser, []any{a.User}, &active); err != nil || !active {
		return "", fmt.Errorf("baseline: user: %v", err)
	}
	return role, nil
}

// members returns the group of the account and its current members.
func (q *ptx) members(account vetshare.AccountID) (vetshare.GroupID, []vetshare.AccountID, error) {
	var g vetshare.GroupID
	if err := q.row(qGroupOf, []any{account}, &g); err != nil {
		return "", nil, err
	}
	var out []vetshare.AccountID
	err := q.each(qMembers, []any{g}, func(r *sql.Rows) error {
		var a vetshare.AccountID
		err := r.Scan(&a)
		out = append(out, a)
		return err
	})
	return g, out, err
}

func (q *ptx) group(g vetshare.GroupID) (vetshare.OwnerID, vetshare.Mode, error) {
	var o vetshare.OwnerID
	var m vetshare.Mode
	err := q.row(qGroup, []any{g}, &o, &m)
	return o, m, err
}

// entry inserts a client entry with the account's next number.
func (q *ptx) entry(a vetshare.AccountID, c vetshare.ClientID, via vetshare.EntryVia) (int64, error) {
	var n int64
	if err := q.row(qNextNumber, []any{a}, &n); err != nil {
		return 0, err
	}
	_, err := q.exec(qInsEntry, a, c, n, string(via), micros(q.now))
	return n, err
}

// audit appends an audit entry to the owner's chain, hashed as the store does.
func (q *ptx) audit(owner vetshare.OwnerID, a vetshare.Actor, action, subject string, detail any) error {
	d, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	e := vetshare.AuditEntry{OwnerID: owner, At: q.now, UserID: a.User, AccountID: a.Account, Action: action, Subject: subject, Outcome: "ok", Detail: string(d)}
	var seq int64
	var prev []byte
	if err := q.row(qLastAudit, []any{owner}, &seq, &prev); err != nil && err != sql.ErrNoRows {
		return err
	}
	if prev == nil {
		prev = []byte{}
	}
	e.Seq, e.PrevHash = seq+1, prev
	e.Hash = vetshare.AuditHash(e)
	_, err = q.exec(qInsAudit, e.OwnerID, e.Seq, micros(e.At), e.UserID, e.AccountID, e.Action, e.Subject, e.Outcome, e.Detail, e.PrevHash, e.Hash)
	return err
}
