package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
)

// InsertOwner implements [driver.Tx].
func (t *dtx) InsertOwner(ctx context.Context, o vetshare.Owner) error {
	if err := t.use(ctx, string(o.ID)); err != nil {
		return err
	}
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.owners (owner_id, name, task_sharing, created_at) VALUES ($1, $2, $3, $4)`,
			o.ID, o.Name, o.TaskSharing, micros(o.CreatedAt))
		return err
	})
}

// Owner implements [driver.Tx].
func (t *dtx) Owner(ctx context.Context, id vetshare.OwnerID) (vetshare.Owner, error) {
	var o vetshare.Owner
	var created int64
	if err := t.use(ctx, string(id)); err != nil {
		return o, err
	}
	err := t.row(ctx, vetshare.NotFound("owner", id), []any{&o.ID, &o.Name, &o.TaskSharing, &created},
		`SELECT owner_id, name, task_sharing, created_at FROM vetshare.owners WHERE owner_id = $1`, id)
	o.CreatedAt = fromMicros(created)
	return o, err
}

// UpdateOwner implements [driver.Tx].
func (t *dtx) UpdateOwner(ctx context.Context, o vetshare.Owner) error {
	if err := t.use(ctx, string(o.ID)); err != nil {
		return err
	}
	return t.execOne(ctx, vetshare.NotFound("owner", o.ID),
		`UPDATE vetshare.owners SET name = $2, task_sharing = $3 WHERE owner_id = $1`, o.ID, o.Name, o.TaskSharing)
}

const accountCols = `id, owner_id, name, email, email_verified, time_zone, currency, created_at`

func accountDest(a *vetshare.Account, created *int64) []any {
	return []any{&a.ID, &a.OwnerID, &a.Name, &a.Email, &a.EmailVerified, &a.TimeZone, &a.Currency, created}
}

// InsertAccount implements [driver.Tx]. The account goes into the routing table too.
func (t *dtx) InsertAccount(ctx context.Context, a vetshare.Account) error {
	if err := t.use(ctx, string(a.OwnerID)); err != nil {
		return err
	}
	err := t.write(ctx, func() error {
		if _, err := t.exec(ctx, `INSERT INTO vetshare.account_owners (account_id, owner_id) VALUES ($1, $2)`, a.ID, a.OwnerID); err != nil {
			return err
		}
		// seq numbers the accounts in the order they are inserted (Accounts).
		_, err := t.exec(ctx, `INSERT INTO vetshare.accounts (`+accountCols+`, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nextval('vetshare.seq'))`,
			a.ID, a.OwnerID, a.Name, a.Email, a.EmailVerified, a.TimeZone, a.Currency, micros(a.CreatedAt))
		return err
	})
	if err == nil {
		t.remember(a.ID, string(a.OwnerID))
	}
	return err
}

// Account implements [driver.Tx].
func (t *dtx) Account(ctx context.Context, id vetshare.AccountID) (vetshare.Account, error) {
	var a vetshare.Account
	o, err := t.acct(ctx, id)
	if err != nil || o == "" {
		return a, orNotFound(err, vetshare.NotFound("account", id))
	}
	var created int64
	err = t.row(ctx, vetshare.NotFound("account", id), accountDest(&a, &created),
		`SELECT `+accountCols+` FROM vetshare.accounts WHERE owner_id = $1 AND id = $2`, o, id)
	a.CreatedAt = fromMicros(created)
	return a, err
}

// orNotFound returns err, or notFound when err is nil.
func orNotFound(err, notFound error) error {
	if err != nil {
		return err
	}
	return notFound
}

// UpdateAccount implements [driver.Tx].
func (t *dtx) UpdateAccount(ctx context.Context, a vetshare.Account) error {
	o, err := t.acct(ctx, a.ID)
	if err != nil || o == "" {
		return orNotFound(err, vetshare.NotFound("account", a.ID))
	}
	return t.execOne(ctx, vetshare.NotFound("account", a.ID),
		`UPDATE vetshare.accounts SET name = $3, email = $4, email_verified = $5, time_zone = $6, currency = $7 WHERE owner_id = $1 AND id = $2`,
		o, a.ID, a.Name, a.Email, a.EmailVerified, a.TimeZone, a.Currency)
}

// Accounts implements [driver.Tx].
func (t *dtx) Accounts(ctx context.Context, owner vetshare.OwnerID) ([]vetshare.Account, error) {
	if err := t.use(ctx, string(owner)); err != nil {
		return nil, err
	}
	var out []vetshare.Account
	err := t.each(ctx, func(r pgx.Rows) error {
		var a vetshare.Account
		var created int64
		err := r.Scan(accountDest(&a, &created)...)
		a.CreatedAt = fromMicros(created)
		out = append(out, a)
		return err
	}, `SELECT `+accountCols+` FROM vetshare.accounts WHERE owner_id = $1 ORDER BY created_at, seq`, owner)
	return out, err
}

const userCols = `id, name, email, email_verified, active, created_at`

// InsertUser implements [driver.Tx]. Users are a reference table: one user may be a member of
// accounts of several owners.
func (t *dtx) InsertUser(ctx context.Context, u vetshare.User) error {
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.users (`+userCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
			u.ID, u.Name, u.Email, u.EmailVerified, u.Active, micros(u.CreatedAt))
		return err
	})
}

// User implements [driver.Tx].
func (t *dtx) User(ctx context.Context, id vetshare.UserID) (vetshare.User, error) {
	var u vetshare.User
	var created int64
	err := t.row(ctx, vetshare.NotFound("user", id), []any{&u.ID, &u.Name, &u.Email, &u.EmailVerified, &u.Active, &created},
		`SELECT `+userCols+` FROM vetshare.users WHERE id = $1`, id)
	u.CreatedAt = fromMicros(created)
	return u, err
}

// UpdateUser implements [driver.Tx].
func (t *dtx) UpdateUser(ctx context.Context, u vetshare.User) error {
	return t.execOne(ctx, vetshare.NotFound("user", u.ID),
		`UPDATE vetshare.users SET name = $2, email = $3, email_verified = $4, active = $5 WHERE id = $1`,
		u.ID, u.Name, u.Email, u.EmailVerified, u.Active)
}

// PutMembership implements [driver.Tx].
func (t *dtx) PutMembership(ctx context.Context, m vetshare.Membership) error {
	return t.write(ctx, func() error {
		_, err := t.exec(ctx, `INSERT INTO vetshare.memberships (user_id, account_id, role, permissions, active) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (user_id, account_id) DO UPDATE SET role = excluded.role, permissions = excluded.permissions, active = excluded.active`,
			m.UserID, m.AccountID, string(m.Role), int64(m.Permissions), m.Active)
		return err
	})
}

const membershipCols = `user_id, account_id, role, permissions, active`

func membershipDest(m *vetshare.Membership, perms *int64) []any {
	return []any{&m.UserID, &m.AccountID, &m.Role, perms, &m.Active}
}

// Membership implements [driver.Tx].
func (t *dtx) Membership(ctx context.Context, user vetshare.UserID, account vetshare.AccountID) (vetshare.Membership, error) {
	var m vetshare.Membership
	var perms int64
	err := t.row(ctx, vetshare.NotFound("membership", string(user)+"@"+string(account)), membershipDest(&m, &perms),
		`SELECT `+membershipCols+` FROM vetshare.memberships WHERE user_id = $1 AND account_id = $2`, user, account)
	m.Permissions = vetshare.Permissions(perms)
	return m, err
}

// Memberships implements [driver.Tx].
func (t *dtx) Memberships(ctx context.Context, user vetshare.UserID) ([]vetshare.Membership, error) {
	var out []vetshare.Membership
	err := t.each(ctx, func(r pgx.Rows) error {
		var m vetshare.Membership
		var perms int64
		err := r.Scan(membershipDest(&m, &perms)...)
		m.Permissions = vetshare.Permissions(perms)
		out = append(out, m)
		return err
	}, `SELECT `+membershipCols+` FROM vetshare.memberships WHERE user_id = $1 ORDER BY account_id`, user)
	return out, err
}

// memberOf is the condition that the user (an SQL expression) is active and holds an active
// membership of the account (another): the check of ActorMembership, inside a statement that
// reads (driver.RecordQuery.Member, driver.ClientSearch.Member).
func memberOf(user, account string) string {
	return `EXISTS (SELECT 1 FROM vetshare.memberships mb JOIN vetshare.users mu ON mu.id = mb.user_id
		WHERE mb.user_id = ` + user + ` AND mb.account_id = ` + account + ` AND mb.active AND mu.active)`
}

// checkMember is the check of a driver call's member (driver.ClientsTx.ShareClientEntry's):
// ActorMembership's read, and a NotPermittedError unless the member is an active user with an
// active membership of the account.
func (t *dtx) checkMember(ctx context.Context, member vetshare.UserID, account vetshare.AccountID) error {
	u, m, err := t.ActorMembership(ctx, member, account)
	if errors.Is(err, vetshare.ErrNotFound) || err == nil && !(u.Active && m.Active) {
		return &vetshare.NotPermittedError{Reason: "not an active member of the account", User: member, Account: account}
	}
	return err
}

// ActorMembership implements [driver.Tx]. It is where an operation's transaction learns its
// owner: the owner of the account, which every later statement is routed by.
func (t *dtx) ActorMembership(ctx context.Context, user vetshare.UserID, account vetshare.AccountID) (vetshare.User, vetshare.Membership, error) {
	var u vetshare.User
	var m vetshare.Membership
	notFound := vetshare.NotFound("membership", string(user)+"@"+string(account))
	o, err := t.acct(ctx, account)
	if err != nil || o == "" {
		return u, m, orNotFound(err, notFound)
	}
	var created, perms int64
	err = t.row(ctx, notFound, []any{&u.ID, &u.Name, &u.Email, &u.EmailVerified, &u.Active, &created, &m.Role, &perms, &m.Active},
		`SELECT u.id, u.name, u.email, u.email_verified, u.active, u.created_at, m.role, m.permissions, m.active
		FROM vetshare.memberships m JOIN vetshare.users u ON u.id = m.user_id WHERE m.user_id = $1 AND m.account_id = $2`, user, account)
	u.CreatedAt = fromMicros(created)
	m.UserID, m.AccountID, m.Permissions = user, account, vetshare.Permissions(perms)
	return u, m, err
}
