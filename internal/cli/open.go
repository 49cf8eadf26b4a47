package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/sqlite"
)

// ErrNotSupported is matched, with errors.Is, by an *UnsupportedError.
var ErrNotSupported = errors.New("not supported in this build")

// UnsupportedError is a database this build of vetshare cannot open, such as a postgres:// DSN
// given to the SQLite build. It matches ErrNotSupported.
type UnsupportedError struct {
	Scheme string
}

func (e *UnsupportedError) Error() string {
	if e.Scheme == "PostgreSQL" {
		return "a PostgreSQL database is not supported in this build of vetshare; give a SQLite file path, or run the PostgreSQL build: go run github.com/vetshare/vetshare/postgres/cmd/vetshare"
	}
	return fmt.Sprintf("a %s database is not supported in this build of vetshare", e.Scheme)
}

// Unwrap returns ErrNotSupported.
func (e *UnsupportedError) Unwrap() error { return ErrNotSupported }

// Database is an open store with what the command reads beside the operations: the directory of
// owners, clinics and users (to turn the names a person types into ids) and, for doctor, the
// engine's own checks. An [Opener] makes one.
type Database struct {
	// Store is what the operations run on. Closing the Database closes it.
	Store vetshare.Store
	// Directory finds clinics and users by name and email; the operations need ids.
	Directory Directory
	// Doctor runs the engine's integrity checks, [AuditChecks] among them.
	Doctor func(ctx context.Context, db *Database) []Check
	// StatePath is the path prefix of files the command keeps for this database (a backfill's
	// resume point is StatePath + ".backfill-CLINIC.json"); its directory is made when needed.
	StatePath string
}

// Close closes the store.
func (d *Database) Close() error { return d.Store.Close() }

// Opener opens the database target names (the whole --db value). It returns an error matching
// ErrNotSupported for a target it does not handle; any other error ends the command with exit
// code 3, the database failed.
type Opener func(ctx context.Context, target string) (*Database, error)

// Openers are the engines a build of the command links in, by the scheme of --db: "postgres"
// for postgres://..., and "" for a file path (no scheme). A scheme without an opener is refused
// with an *UnsupportedError.
type Openers map[string]Opener

// openDatabase opens the store target names with the opener of its scheme.
func openDatabase(ctx context.Context, openers Openers, target string) (*Database, error) {
	target = strings.TrimSpace(target)
	if target == "" {
		return nil, usageErr("no database: give --db FILE or set VETSHARE_DB")
	}
	scheme := ""
	if i := strings.Index(target, "://"); i > 0 {
		scheme = strings.ToLower(target[:i])
	}
	open := openers[scheme]
	if open == nil {
		name := scheme
		switch scheme {
		case "postgres", "postgresql":
			name = "PostgreSQL"
		case "":
			name = "file"
		}
		return nil, &exitError{exitUsage, &UnsupportedError{Scheme: name}}
	}
	db, err := open(ctx, target)
	if err != nil {
		var x *exitError
		if errors.As(err, &x) {
			return nil, err
		}
		if errors.Is(err, ErrNotSupported) {
			return nil, &exitError{exitUsage, err}
		}
		return nil, &exitError{exitFailed, err}
	}
	return db, nil
}

// UsageError returns an error that ends the command with exit code 2, bad usage or input, and
// the message: for an [Opener] refusing a target that names no vetshare database.
func UsageError(format string, args ...any) error { return usageErr(format, args...) }

// OpenSQLite is the [Opener] of a SQLite file path. The file must exist: it never creates a
// database from a mistyped path (an error that ends the command with exit code 2).
func OpenSQLite(ctx context.Context, target string) (*Database, error) {
	if _, err := os.Stat(target); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, usageErr("no database at %s (vetshare never creates one: check the path)", target)
		}
		return nil, usageErr("%v", err)
	}
	s, err := sqlite.Open(ctx, target)
	if err != nil {
		return nil, &exitError{exitFailed, fmt.Errorf("open %s: %w", target, err)}
	}
	return &Database{Store: s, Directory: sqlDirectory{s.DB()}, Doctor: sqliteDoctor(s), StatePath: target}, nil
}

// Directory finds the names a person types. The library's operations take ids and check who
// may see what; the directory is the support desk's view of the whole database, read only, so
// an engine's directory reads across owners.
type Directory interface {
	// Accounts returns every account, all owners' (a support desk serves them all), oldest
	// first.
	Accounts(ctx context.Context) ([]vetshare.Account, error)
	// UsersByEmail returns the users whose email is addr (an addr-spec, lower case).
	UsersByEmail(ctx context.Context, addr string) ([]vetshare.User, error)
	// User returns the user with id, or an error matching vetshare.ErrNotFound.
	User(ctx context.Context, id vetshare.UserID) (vetshare.User, error)
	// Memberships returns the user's memberships.
	Memberships(ctx context.Context, user vetshare.UserID) ([]vetshare.Membership, error)
	// SharedClients counts, per account, the clients it shares with another account.
	SharedClients(ctx context.Context) (map[vetshare.AccountID]int, error)
	// Unshared counts the clients after a cursor that some of accounts have and another lacks.
	Unshared(ctx context.Context, accounts []vetshare.AccountID, after vetshare.ClientID) (int, error)
	// Owners returns every owner.
	Owners(ctx context.Context) ([]vetshare.Owner, error)
	// AuditReader returns an actor who may read the owner's audit log: an active user with an
	// active owner membership (else admin) at one of its clinics, or an error matching
	// vetshare.ErrNotFound when there is none.
	AuditReader(ctx context.Context, owner vetshare.OwnerID) (vetshare.Actor, error)
}

// sqlDirectory reads vetshare's own SQLite tables, read only.
type sqlDirectory struct{ db *sql.DB }

func (d sqlDirectory) Accounts(ctx context.Context) ([]vetshare.Account, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, owner_id, name, email, email_verified, time_zone, currency FROM vetshare_accounts ORDER BY seq, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vetshare.Account
	for rows.Next() {
		var a vetshare.Account
		if err := rows.Scan(&a.ID, &a.OwnerID, &a.Name, &a.Email, &a.EmailVerified, &a.TimeZone, &a.Currency); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (d sqlDirectory) users(ctx context.Context, where string, args ...any) ([]vetshare.User, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, name, email, email_verified, active FROM vetshare_users `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vetshare.User
	for rows.Next() {
		var u vetshare.User
		if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.EmailVerified, &u.Active); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (d sqlDirectory) UsersByEmail(ctx context.Context, addr string) ([]vetshare.User, error) {
	all, err := d.users(ctx, `WHERE lower(email) = lower(?) ORDER BY id`, addr)
	if err != nil {
		return nil, err
	}
	var out []vetshare.User
	for _, u := range all {
		if n, err := vetshare.NormalizeEmail("email", u.Email); err == nil && n == addr {
			out = append(out, u)
		}
	}
	return out, nil
}

func (d sqlDirectory) User(ctx context.Context, id vetshare.UserID) (vetshare.User, error) {
	us, err := d.users(ctx, `WHERE id = ?`, id)
	if err != nil {
		return vetshare.User{}, err
	}
	if len(us) == 0 {
		return vetshare.User{}, vetshare.NotFound("user", id)
	}
	return us[0], nil
}

func (d sqlDirectory) Memberships(ctx context.Context, user vetshare.UserID) ([]vetshare.Membership, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT user_id, account_id, role, active FROM vetshare_memberships WHERE user_id = ? ORDER BY account_id`, user)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vetshare.Membership
	for rows.Next() {
		var m vetshare.Membership
		if err := rows.Scan(&m.UserID, &m.AccountID, &m.Role, &m.Active); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (d sqlDirectory) Owners(ctx context.Context) ([]vetshare.Owner, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, name FROM vetshare_owners ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vetshare.Owner
	for rows.Next() {
		var o vetshare.Owner
		if err := rows.Scan(&o.ID, &o.Name); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// findUser returns the one user whose email is email, or a usage error.
func findUser(ctx context.Context, d *Database, email string) (vetshare.User, error) {
	if email == "" {
		return vetshare.User{}, usageErr("who acts? give --as EMAIL (or set VETSHARE_AS)")
	}
	addr, err := vetshare.NormalizeEmail("--as", email)
	if err != nil {
		return vetshare.User{}, usageErr("--as %q is not an email address", email)
	}
	us, err := d.Directory.UsersByEmail(ctx, addr)
	if err != nil {
		return vetshare.User{}, failed(err)
	}
	switch len(us) {
	case 0:
		return vetshare.User{}, usageErr("no user has the email %s", addr)
	case 1:
		return us[0], nil
	}
	return vetshare.User{}, usageErr("%d users have the email %s", len(us), addr)
}

// findClinics resolves names or ids of clinics. An id wins over a name; a name matches folded
// (case and accents ignored). When a name matches clinics of several owners, prefer is asked
// which to keep (the owners a user belongs to); still several is an error. A name that matches
// nothing is returned in missing.
func findClinics(ctx context.Context, d *Database, names []string, prefer func(vetshare.Account) bool) (found []vetshare.Account, missing []string, err error) {
	all, err := d.Directory.Accounts(ctx)
	if err != nil {
		return nil, nil, failed(err)
	}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		var match []vetshare.Account
		for _, a := range all {
			if string(a.ID) == n {
				match = []vetshare.Account{a}
				break
			}
			if vetshare.FoldName(a.Name) == vetshare.FoldName(n) {
				match = append(match, a)
			}
		}
		if len(match) > 1 && prefer != nil {
			var kept []vetshare.Account
			for _, a := range match {
				if prefer(a) {
					kept = append(kept, a)
				}
			}
			if len(kept) > 0 {
				match = kept
			}
		}
		switch len(match) {
		case 0:
			missing = append(missing, n)
		case 1:
			found = append(found, match[0])
		default:
			return nil, nil, usageErr("%d clinics are named %q: give the clinic's id instead", len(match), n)
		}
	}
	return found, missing, nil
}

// actorFor resolves --as and --clinic into the actor the operations check.
func actorFor(ctx context.Context, d *Database, as, clinic string) (vetshare.Actor, vetshare.User, vetshare.Account, error) {
	u, err := findUser(ctx, d, as)
	if err != nil {
		return vetshare.Actor{}, u, vetshare.Account{}, err
	}
	if clinic == "" {
		return vetshare.Actor{}, u, vetshare.Account{}, usageErr("which clinic? give --clinic NAME_OR_ID")
	}
	ms, err := d.Directory.Memberships(ctx, u.ID)
	if err != nil {
		return vetshare.Actor{}, u, vetshare.Account{}, failed(err)
	}
	member := map[vetshare.AccountID]bool{}
	for _, m := range ms {
		member[m.AccountID] = true
	}
	as2, missing, err := findClinics(ctx, d, []string{clinic}, func(a vetshare.Account) bool { return member[a.ID] })
	if err != nil {
		return vetshare.Actor{}, u, vetshare.Account{}, err
	}
	if len(missing) > 0 {
		return vetshare.Actor{}, u, vetshare.Account{}, usageErr("no clinic is named %q", clinic)
	}
	return vetshare.Actor{User: u.ID, Account: as2[0].ID}, u, as2[0], nil
}

// failed is a database failure.
func failed(err error) error { return &exitError{exitFailed, err} }

// classify is the exit code of an error an operation returned.
func classify(err error) int {
	switch {
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.Is(err, ErrNotSupported):
		return exitUsage
	case errors.Is(err, vetshare.ErrNotPermitted), errors.Is(err, vetshare.ErrNotFound),
		errors.Is(err, vetshare.ErrInvalid), errors.Is(err, vetshare.ErrConflict):
		return exitRefused
	}
	return exitFailed
}

// sharedClients counts, per account, the client entries whose client another account has too:
// the clients the account shares.
func (d sqlDirectory) SharedClients(ctx context.Context) (map[vetshare.AccountID]int, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT e.account_id, count(*) FROM vetshare_client_entries e
		WHERE EXISTS (SELECT 1 FROM vetshare_client_entries o WHERE o.client_id = e.client_id AND o.account_id <> e.account_id)
		GROUP BY e.account_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[vetshare.AccountID]int{}
	for rows.Next() {
		var a vetshare.AccountID
		var n int
		if err := rows.Scan(&a, &n); err != nil {
			return nil, err
		}
		out[a] = n
	}
	return out, rows.Err()
}

// Unshared counts the clients after the cursor that some of accounts have and another lacks:
// what a backfill of those accounts has left to examine.
func (d sqlDirectory) Unshared(ctx context.Context, accounts []vetshare.AccountID, after vetshare.ClientID) (int, error) {
	if len(accounts) == 0 {
		return 0, nil
	}
	args := []any{after}
	for _, a := range accounts {
		args = append(args, a)
	}
	args = append(args, len(accounts))
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT client_id FROM vetshare_client_entries
		WHERE client_id > ? AND account_id IN (?`+strings.Repeat(", ?", len(accounts)-1)+`)
		GROUP BY client_id HAVING count(*) < ?)`, args...).Scan(&n)
	return n, err
}
