package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
)

// InsertOwner implements [*vetshare.Tx].
func (t *dtx) InsertOwner(ctx context.Context, o vetshare.Owner) error {
	_, err := t.exec(ctx, `INSERT INTO vetshare_owners (id, name, task_sharing, created_at) VALUES (?, ?, ?, ?)`,
		o.ID, o.Name, b2i(o.TaskSharing), micros(o.CreatedAt))
	return err
}

// Owner implements [*vetshare.Tx].
func (t *dtx) Owner(ctx context.Context, id vetshare.OwnerID) (vetshare.Owner, error) {
	var o vetshare.Owner
	var created int64
	err := t.queryRow(ctx, vetshare.NotFound("owner", id), func(r *sql.Rows) error {
		return r.Scan(&o.ID, &o.Name, &o.TaskSharing, &created)
	}, `SELECT id, name, task_sharing, created_at FROM vetshare_owners WHERE id = ?`, id)
	o.CreatedAt = time.UnixMicro(created).UTC()
	return o, err
}

// UpdateOwner implements [*vetshare.Tx].
func (t *dtx) UpdateOwner(ctx context.Context, o vetshare.Owner) error {
	return mustAffect(t.exec(ctx, `UPDATE vetshare_owners SET name = ?, task_sharing = ? WHERE id = ?`,
		o.Name, b2i(o.TaskSharing), o.ID))(vetshare.NotFound("owner", o.ID))
}

const accountCols = `id, owner_id, name, email, email_verified, time_zone, currency, created_at`

// accountColsOfA are accountCols of vetshare_accounts as a, for a statement that joins it.
var accountColsOfA = "a." + strings.ReplaceAll(accountCols, ", ", ", a.")

// scanAccount scans accountCols into a, then the columns after them into more.
func scanAccount(r *sql.Rows, a *vetshare.Account, more ...any) error {
	var created int64
	err := r.Scan(append([]any{&a.ID, &a.OwnerID, &a.Name, &a.Email, &a.EmailVerified, &a.TimeZone, &a.Currency, &created}, more...)...)
	a.CreatedAt = time.UnixMicro(created).UTC()
	return err
}

// InsertAccount implements [*vetshare.Tx].
func (t *dtx) InsertAccount(ctx context.Context, a vetshare.Account) error {
	// seq numbers the owner's accounts in the order they are inserted (Accounts).
	_, err := t.exec(ctx, `INSERT INTO vetshare_accounts (`+accountCols+`, seq)
		SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, COALESCE(MAX(seq), 0) + 1 FROM vetshare_accounts WHERE owner_id = ?2`,
		a.ID, a.OwnerID, a.Name, a.Email, b2i(a.EmailVerified), a.TimeZone, a.Currency, micros(a.CreatedAt))
	return err
}

// Account implements [*vetshare.Tx].
func (t *dtx) Account(ctx context.Context, id vetshare.AccountID) (vetshare.Account, error) {
	if a := t.actorAccount; a != nil && a.ID == id {
		return *a, nil // read by ActorMembership in this transaction
	}
	var a vetshare.Account
	err := t.queryRow(ctx, vetshare.NotFound("account", id), func(r *sql.Rows) error { return scanAccount(r, &a) },
		`SELECT `+accountCols+` FROM vetshare_accounts WHERE id = ?`, id)
	return a, err
}

// UpdateAccount implements [*vetshare.Tx].
func (t *dtx) UpdateAccount(ctx context.Context, a vetshare.Account) error {
	t.actorAccount = nil
	return mustAffect(t.exec(ctx, `UPDATE vetshare_accounts SET name = ?, email = ?, email_verified = ?, time_zone = ?, currency = ? WHERE id = ?`,
		a.Name, a.Email, b2i(a.EmailVerified), a.TimeZone, a.Currency, a.ID))(vetshare.NotFound("account", a.ID))
}

// Accounts implements [*vetshare.Tx].
func (t *dtx) Accounts(ctx context.Context, owner vetshare.OwnerID) ([]vetshare.Account, error) {
	var out []vetshare.Account
	err := t.each(ctx, func(r *sql.Rows) error {
		var a vetshare.Account
		err := scanAccount(r, &a)
		out = append(out, a)
		return err
	}, `SELECT `+accountCols+` FROM vetshare_accounts WHERE owner_id = ? ORDER BY created_at, seq`, owner)
	return out, err
}

const userCols = `id, name, email, email_verified, active, created_at`

// InsertUser implements [*vetshare.Tx].
func (t *dtx) InsertUser(ctx context.Context, u vetshare.User) error {
	_, err := t.exec(ctx, `INSERT INTO vetshare_users (`+userCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
		u.ID, u.Name, u.Email, b2i(u.EmailVerified), b2i(u.Active), micros(u.CreatedAt))
	return err
}

// User implements [*vetshare.Tx].
func (t *dtx) User(ctx context.Context, id vetshare.UserID) (vetshare.User, error) {
	var u vetshare.User
	var created int64
	err := t.queryRow(ctx, vetshare.NotFound("user", id), func(r *sql.Rows) error {
		return r.Scan(&u.ID, &u.Name, &u.Email, &u.EmailVerified, &u.Active, &created)
	}, `SELECT `+userCols+` FROM vetshare_users WHERE id = ?`, id)
	u.CreatedAt = time.UnixMicro(created).UTC()
	return u, err
}

// UpdateUser implements [*vetshare.Tx].
func (t *dtx) UpdateUser(ctx context.Context, u vetshare.User) error {
	return mustAffect(t.exec(ctx, `UPDATE vetshare_users SET name = ?, email = ?, email_verified = ?, active = ? WHERE id = ?`,
		u.Name, u.Email, b2i(u.EmailVerified), b2i(u.Active), u.ID))(vetshare.NotFound("user", u.ID))
}

// PutMembership implements [*vetshare.Tx].
func (t *dtx) PutMembership(ctx context.Context, m vetshare.Membership) error {
	_, err := t.exec(ctx, `INSERT INTO vetshare_memberships (user_id, account_id, role, permissions, active) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id, account_id) DO UPDATE SET role = excluded.role, permissions = excluded.permissions, active = excluded.active`,
		m.UserID, m.AccountID, string(m.Role), int64(m.Permissions), b2i(m.Active))
	return err
}

func scanMembership(r *sql.Rows, m *vetshare.Membership) error {
	var perms int64
	err := r.Scan(&m.UserID, &m.AccountID, &m.Role, &perms, &m.Active)
	m.Permissions = vetshare.Permissions(perms)
	return err
}

// Membership implements [*vetshare.Tx].
func (t *dtx) Membership(ctx context.Context, user vetshare.UserID, account vetshare.AccountID) (vetshare.Membership, error) {
	var m vetshare.Membership
	err := t.queryRow(ctx, vetshare.NotFound("membership", string(user)+"@"+string(account)),
		func(r *sql.Rows) error { return scanMembership(r, &m) },
		`SELECT user_id, account_id, role, permissions, active FROM vetshare_memberships WHERE user_id = ? AND account_id = ?`, user, account)
	return m, err
}

// Memberships implements [*vetshare.Tx].
func (t *dtx) Memberships(ctx context.Context, user vetshare.UserID) ([]vetshare.Membership, error) {
	var out []vetshare.Membership
	err := t.each(ctx, func(r *sql.Rows) error {
		var m vetshare.Membership
		err := scanMembership(r, &m)
		out = append(out, m)
		return err
	}, `SELECT user_id, account_id, role, permissions, active FROM vetshare_memberships WHERE user_id = ? ORDER BY account_id`, user)
	return out, err
}

// ActorMembership implements [*vetshare.Tx]. The same read gives the account, which the
// transaction keeps: nearly every operation checks its actor and then reads the actor's account
// (for its owner, its time zone or its currency), and that second read is then no statement at
// all (Account). UpdateAccount forgets it.
func (t *dtx) ActorMembership(ctx context.Context, user vetshare.UserID, account vetshare.AccountID) (vetshare.User, vetshare.Membership, error) {
	return t.actorRead(ctx, qActorMembership, user, account, nil)
}

// actorRead runs ActorMembership's read, or q, one of actorMembership or memberCheck that
// reads more; args are its arguments from ?3 on and more the destinations of its columns after
// the membership's. Of a memberCheck's read it returns only whether the user and the membership
// are active (in u.Active and m.Active). The transaction keeps the account, and the audit tip,
// as ActorMembership says.
func (t *dtx) actorRead(ctx context.Context, q memberStmt, user vetshare.UserID, account vetshare.AccountID, args []any, more ...any) (vetshare.User, vetshare.Membership, error) {
	var u vetshare.User
	var m vetshare.Membership
	var a vetshare.Account
	var created, perms int64
	var tipSeq sql.NullInt64
	var tipHash []byte
	var dest []any
	var active bool // a check's one column: the user and the membership both active
	if q.check {
		dest = append([]any{&active}, more...)
	} else {
		dest = append([]any{&u.ID, &u.Name, &u.Email, &u.EmailVerified, &u.Active, &created, &m.Role, &perms, &m.Active}, more...)
	}
	query := q.plain
	keepTip := t.ownWrite() && !q.noTip
	if keepTip {
		// A write of the store's own: the owner's last audit entry too, which the audit
		// entry the operation ends with is chained after (AppendAudit).
		query, dest = q.tip, append(dest, &tipSeq, &tipHash)
	}
	err := t.queryRow(ctx, vetshare.NotFound("membership", string(user)+"@"+string(account)), func(r *sql.Rows) error {
		return scanAccount(r, &a, dest...)
	}, query, append([]any{user, account}, args...)...)
	if q.check {
		u.Active, m.Active = active, active
	}
	u.CreatedAt = time.UnixMicro(created).UTC()
	m.UserID, m.AccountID, m.Permissions = user, account, vetshare.Permissions(perms)
	if err == nil {
		t.actorAccount = &a
		if keepTip {
			t.tip = &auditTip{owner: a.OwnerID, seq: tipSeq.Int64, hash: tipHash}
		}
	}
	return u, m, err
}

// memberRead runs actorRead for q, one of memberCheck, a read whose rows exist only when what
// it reads beside the membership does (an inner join): it returns notFound when the member is
// an active user with an active membership of the account and what q reads is missing, and a
// NotPermittedError when the member is not (driver.ClientsTx.ShareClientEntry's member). A read
// that found no row asks ActorMembership's read which is missing: a refusal's path, not a hot
// one.
func (t *dtx) memberRead(ctx context.Context, q memberStmt, member vetshare.UserID, account vetshare.AccountID, notFound error, args []any, more ...any) error {
	u, m, err := t.actorRead(ctx, q, member, account, args, more...)
	if errors.Is(err, vetshare.ErrNotFound) {
		if u, m, err = t.ActorMembership(ctx, member, account); err == nil && u.Active && m.Active {
			return notFound
		}
	}
	if errors.Is(err, vetshare.ErrNotFound) || err == nil && !(u.Active && m.Active) {
		return &vetshare.NotPermittedError{Reason: "not an active member of the account", User: member, Account: account}
	}
	return err
}

// qActorMembership is the actor's membership with its user and account.
var qActorMembership = actorMembership("", "")

// memberStmt is a read of the actor's membership in its two forms: plain, and tip, which reads
// the owner's last audit entry too (seq and hash, NULL for none, joined on the log's primary
// key, as its last columns), for a write of the store's own. A check (memberCheck) reads of the
// user and the membership only whether both are active.
type memberStmt struct {
	plain, tip string
	check      bool
	// noTip is set for a read whose operation audits only now and then (a payment taken at
	// another account): it reads the plain form even in a write of the store's own, and an
	// audit entry then reads the tip itself (AppendAudit).
	noTip bool
}

// actorMembership returns the statements of ActorMembership, ?1 the user and ?2 the account,
// with more columns (cols, each after a comma) and joins.
func actorMembership(cols, joins string) memberStmt {
	return memberStatements(`u.id, u.name, u.email, u.email_verified, u.active, u.created_at, m.role, m.permissions, m.active`, cols, joins)
}

// memberCheck returns the statements of a read that checks a member (memberRead): the account
// as ActorMembership reads it, whether the user and the membership are both active, and more
// columns and joins. modernc.org/sqlite names and types every column of every read it runs,
// two strings a column, so the seven columns of the user and membership a check does not use
// cost allocations on every write.
func memberCheck(cols, joins string) memberStmt {
	q := memberStatements(`u.active AND m.active`, cols, joins)
	q.check = true
	return q
}

func memberStatements(member, cols, joins string) memberStmt {
	stmt := func(cols, joins string) string {
		return `SELECT ` + accountColsOfA + `, ` + member + cols + `
		FROM vetshare_memberships m JOIN vetshare_users u ON u.id = m.user_id JOIN vetshare_accounts a ON a.id = m.account_id` + joins + `
		WHERE m.user_id = ?1 AND m.account_id = ?2`
	}
	return memberStmt{plain: stmt(cols, joins), tip: stmt(cols+", l.seq, l.hash", joins+`
		LEFT JOIN vetshare_audit_log l ON l.owner_id = a.owner_id
			AND l.seq = (SELECT MAX(seq) FROM vetshare_audit_log WHERE owner_id = a.owner_id)`)}
}
