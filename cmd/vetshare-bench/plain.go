package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/sqlite"
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

// The baseline statements: what a careful hand-written implementation of each operation runs,
// reading what it must to decide (the actor's membership, the group, the client's entries) and
// writing the same rows, audit entry included.
const (
	qActor = `SELECT m.role, m.active AND u.active, a.owner_id FROM vetshare_memberships m JOIN vetshare_users u ON u.id = m.user_id
		JOIN vetshare_accounts a ON a.id = m.account_id WHERE m.user_id = ? AND m.account_id = ?`
	qGroup = `SELECT g.id, g.owner_id, g.mode, o.account_id
		FROM vetshare_group_members me JOIN vetshare_share_groups g ON g.id = me.group_id
		JOIN vetshare_group_members o ON o.group_id = me.group_id AND o.left_at IS NULL
		WHERE me.account_id = ? AND me.left_at IS NULL ORDER BY o.joined_at, o.account_id`
	qInsEntry = `INSERT INTO vetshare_client_entries (account_id, client_id, number, via, created_at)
		SELECT ?1, ?2, COALESCE(MAX(number), 0) + 1, ?3, ?4 FROM vetshare_client_entries WHERE account_id = ?1 RETURNING number`
	qEntries   = `SELECT account_id, number FROM vetshare_client_entries WHERE client_id = ? ORDER BY created_at, account_id`
	qInsClient = `INSERT INTO vetshare_clients (id, owner_id, first_name, last_name, name_key, first_key, email, phone, address,
		origin_account, home_account, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	// qInsClientKeys writes a new client's search keys (driver.ClientSearchKeys, ?3 as a JSON
	// array) as the store's IndexClient does; the schema's triggers copy the pair keys to each
	// of the client's entries, written before or after.
	qInsClientKeys = `INSERT INTO vetshare_client_keys (owner_id, key, client_id) SELECT DISTINCT ?1, value, ?2 FROM json_each(?3)`
	qLastAudit     = `SELECT seq, hash FROM vetshare_audit_log WHERE owner_id = ? ORDER BY seq DESC LIMIT 1`
	qInsAudit      = `INSERT INTO vetshare_audit_log (owner_id, seq, at, user_id, account_id, action, subject, outcome, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qPatientIn = `SELECT p.client_id FROM vetshare_patients p JOIN vetshare_client_entries e ON e.client_id = p.client_id AND e.account_id = ? WHERE p.id = ?`
	// A patient's records in the order History lists them: by time given, then recording order.
	qRecords = `SELECT r.id, r.patient_id, r.account_id, r.user_id, r.kind, r.text, r.item_id, r.quantity, r.created_at,
		r.removed_at, r.removed_by, r.removed_account, r.removed_reason
		FROM vetshare_records r WHERE r.patient_id = ? AND r.id > ? AND (? OR r.removed_at IS NULL) ORDER BY r.given_at, r.seq LIMIT ?`
	qUnshared = `SELECT c.id FROM vetshare_clients c
		WHERE c.owner_id = ?1 AND c.id > ?2
		  AND (SELECT count(*) FROM vetshare_client_entries e WHERE e.client_id = c.id AND e.account_id IN (SELECT value FROM json_each(?3)))
		      BETWEEN 1 AND ?4 - 1
		ORDER BY c.id LIMIT ?5`
)

var writeQueries = []string{qActor, qGroup, qInsEntry, qEntries, qInsClient, qInsClientKeys, qLastAudit, qInsAudit, qPatientIn, qUnshared}
var readQueries = []string{qActor, qGroup, qEntries, qPatientIn, qRecords}

// actor is the authorization read of every operation: the actor's active membership, with the
// account's owner.
func (q *ptx) actor(a vetshare.Actor) (vetshare.Role, vetshare.OwnerID, error) {
	var role vetshare.Role
	var active bool
	var owner vetshare.OwnerID
	if err := q.row(qActor, []any{a.User, a.Account}, &role, &active, &owner); err != nil || !active {
		return "", "", fmt.Errorf("baseline: no active membership: %v", err)
	}
	return role, owner, nil
}

// group returns the account's group, its owner and mode, and its current members.
func (q *ptx) group(account vetshare.AccountID) (vetshare.GroupID, vetshare.OwnerID, vetshare.Mode, []vetshare.AccountID, error) {
	var g vetshare.GroupID
	var o vetshare.OwnerID
	var m vetshare.Mode
	var members []vetshare.AccountID
	err := q.each(qGroup, []any{account}, func(r *sql.Rows) error {
		var a vetshare.AccountID
		err := r.Scan(&g, &o, &m, &a)
		members = append(members, a)
		return err
	})
	if err == nil && len(members) == 0 {
		err = sql.ErrNoRows
	}
	return g, o, m, members, err
}

// entry inserts a client entry with the account's next number.
func (q *ptx) entry(a vetshare.AccountID, c vetshare.ClientID, via vetshare.EntryVia) (int64, error) {
	var n int64
	err := q.row(qInsEntry, []any{a, c, string(via), micros(q.now)}, &n)
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

// insClientKeys writes the search keys of client c, created with id by owner.
func (q *ptx) insClientKeys(owner vetshare.OwnerID, id vetshare.ClientID, c vetshare.Client) error {
	c.ID, c.OwnerID = id, owner
	keys, err := json.Marshal(driver.ClientSearchKeys(c))
	if err != nil {
		return err
	}
	_, err = q.exec(qInsClientKeys, owner, id, string(keys))
	return err
}

// readPool opens the pool every side of a read workload reads through, and a store over it:
// sqlite.ReadConns connections with the DSN of the store's read connections, but not
// query_only, which would refuse the transaction sqlite.OpenDB checks the schema in; nothing
// writes through it. A read of a file larger than SQLite maps costs what its page reads cost,
// and modernc.org/sqlite gives each connection its own page cache: with the operation on the
// store's own pool and the baseline and the limit on another, the sides sharing a pool found
// the pages the other had just read, and the operation did not (the same statement took 1.3
// times as long through the store's pool at 1M). On one pool no side has a cache the others
// lack.
func readPool(ctx context.Context, path string) (*sql.DB, *sqlite.Store, error) {
	u, err := url.Parse(sqlite.DSN(path, false))
	if err != nil {
		return nil, nil, err
	}
	q := u.Query()
	q["_pragma"] = slices.DeleteFunc(q["_pragma"], func(p string) bool { return strings.HasPrefix(p, "query_only") })
	u.RawQuery = q.Encode()
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, nil, err
	}
	db.SetMaxOpenConns(sqlite.ReadConns)
	db.SetMaxIdleConns(sqlite.ReadConns)
	st, err := sqlite.OpenDB(ctx, db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, st, nil
}
