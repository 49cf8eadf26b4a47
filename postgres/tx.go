package postgres

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

// dtx is the store's [driver.Tx]: every transaction of the store, a host's included.
//
// Routing: every statement on a per-owner table names its owner (owner_id = $1), so that it
// touches one partition. The transaction's owner is the owner of the account, or the owner,
// that its statement names: an account's owner is read from the routing table account_owners
// once per transaction; a statement that names a thing by its id alone (an invoice, a task)
// runs under the owner the transaction works for, or, when it has none yet or has worked for
// several, the owner that owner_of finds. Each time the owner changes the transaction sets vetshare.owner, the
// setting that row-level security checks.
type dtx struct {
	s        *Store
	tx       pgx.Tx
	now      time.Time
	readOnly bool // a View: statements that write are refused
	host     bool // a host's own transaction (Store.Tx): it is never ended here

	owner    string                        // the owner vetshare.owner is set to; "" before any
	multi    bool                          // the transaction has worked for more than one owner
	accounts map[vetshare.AccountID]string // the owners of the accounts met so far
}

var _ driver.Tx = (*dtx)(nil)

// Now returns the time of the transaction.
func (t *dtx) Now() time.Time { return t.now }

// use makes owner the transaction's owner.
func (t *dtx) use(ctx context.Context, owner string) error {
	if owner == t.owner {
		return nil
	}
	if t.owner != "" {
		t.multi = true
	}
	if _, err := t.tx.Exec(ctx, "SELECT set_config('vetshare.owner', $1, true)", owner); err != nil {
		return translate(ctx, err)
	}
	t.owner = owner
	return nil
}

// acct makes the owner of account the transaction's owner and returns it; "" when there is no
// such account (then the owner does not change).
func (t *dtx) acct(ctx context.Context, account vetshare.AccountID) (string, error) {
	o, ok := t.accounts[account]
	if !ok {
		if unstorable([]any{string(account)}) {
			return "", nil
		}
		err := t.tx.QueryRow(ctx, "SELECT owner_id FROM vetshare.account_owners WHERE account_id = $1", string(account)).Scan(&o)
		if errors.Is(err, pgx.ErrNoRows) {
			return "", nil
		}
		if err != nil {
			return "", translate(ctx, err)
		}
		t.remember(account, o)
	}
	return o, t.use(ctx, o)
}

func (t *dtx) remember(account vetshare.AccountID, owner string) {
	if t.accounts == nil {
		t.accounts = map[vetshare.AccountID]string{}
	}
	t.accounts[account] = owner
}

// bare returns the owner under which a statement naming a thing of kind by its id alone runs:
// the transaction's owner when it has worked for one only (as an operation does), otherwise
// the thing's owner, found by owner_of; "" when there is none.
func (t *dtx) bare(ctx context.Context, kind, id string) (string, error) {
	if t.owner != "" && !t.multi {
		return t.owner, nil
	}
	var o *string
	if unstorable([]any{id}) {
		return "", nil
	}
	if err := t.tx.QueryRow(ctx, "SELECT vetshare.owner_of($1, $2)", kind, id).Scan(&o); err != nil {
		return "", translate(ctx, err)
	}
	if o == nil {
		return "", nil
	}
	return *o, t.use(ctx, *o)
}

// clientsOwner returns the owner of a list of clients, as bare reads it from the first: ""
// when there is none, or the first is unknown (a list holds one owner's clients).
func (t *dtx) clientsOwner(ctx context.Context, clients []vetshare.ClientID) (string, error) {
	if len(clients) == 0 {
		return "", nil
	}
	return t.bare(ctx, "client", string(clients[0]))
}

// write runs fn, which writes, inside a savepoint: when it fails, what it wrote is undone and
// the transaction goes on (PostgreSQL would otherwise refuse every later statement), as the
// driver contract expects of a refused write.
func (t *dtx) write(ctx context.Context, fn func() error) error {
	if t.readOnly {
		return errReadOnly
	}
	if _, err := t.tx.Exec(ctx, "SAVEPOINT vetshare_write"); err != nil {
		return translate(ctx, err)
	}
	if err := fn(); err != nil {
		if ctx.Err() == nil {
			t.tx.Exec(ctx, "ROLLBACK TO SAVEPOINT vetshare_write")
			t.tx.Exec(ctx, "RELEASE SAVEPOINT vetshare_write")
		}
		return err
	}
	_, err := t.tx.Exec(ctx, "RELEASE SAVEPOINT vetshare_write")
	return translate(ctx, err)
}

// exec runs a statement and returns the number of rows it changed.
func (t *dtx) exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(ctx, query, args...)
	if err != nil {
		return 0, translate(ctx, err)
	}
	return tag.RowsAffected(), nil
}

// execOne runs a writing statement in a savepoint and returns notFound unless it changed a row.
func (t *dtx) execOne(ctx context.Context, notFound error, query string, args ...any) error {
	return t.write(ctx, func() error {
		n, err := t.exec(ctx, query, args...)
		if err == nil && n == 0 {
			return notFound
		}
		return err
	})
}

// unstorable reports whether an argument is text PostgreSQL cannot take: a NUL byte or
// invalid UTF-8 (SQLSTATE 22021). Nothing stored can equal such a value, or start with it, so a
// read given one finds nothing, as it does on SQLite; it must not reach the server, where the
// error would abort the whole transaction (a read runs in no savepoint), failing every later
// statement of the host's transaction with 25P02.
func unstorable(args []any) bool {
	bad := func(s string) bool { return strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) }
	for _, a := range args {
		switch v := a.(type) {
		case string:
			if bad(v) {
				return true
			}
		case []string:
			if slices.ContainsFunc(v, bad) {
				return true
			}
		}
	}
	return false
}

// row runs a query expected to return at most one row into dest; it returns notFound when
// there is none.
func (t *dtx) row(ctx context.Context, notFound error, dest []any, query string, args ...any) error {
	if unstorable(args) {
		return notFound
	}
	err := t.tx.QueryRow(ctx, query, args...).Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound
	}
	return translate(ctx, err)
}

// each runs scan on every row of the query.
func (t *dtx) each(ctx context.Context, scan func(pgx.Rows) error, query string, args ...any) error {
	if unstorable(args) {
		return nil
	}
	rows, err := t.tx.Query(ctx, query, args...)
	if err != nil {
		return translate(ctx, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return translate(ctx, err)
		}
	}
	return translate(ctx, rows.Err())
}

// Conversions between Go values and columns. Times are bigint microseconds since the Unix
// epoch, UTC, the precision of vetshare.Time.

func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return vetshare.Time(t).UnixMicro()
}

func fromMicros(n int64) time.Time { return time.UnixMicro(n).UTC() }

func fromNull(n *int64) time.Time {
	if n == nil {
		return time.Time{}
	}
	return time.UnixMicro(*n).UTC()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func strs[T ~string](ids []T) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// upper returns the least string greater than every string that starts with prefix, in the
// byte order of the key columns (COLLATE "C").
func upper(prefix string) string { return prefix + "\U0010FFFF" }

// limitArg is the LIMIT of a list whose limit is not positive: none (LIMIT NULL).
func limitArg(n int) any {
	if n <= 0 {
		return nil
	}
	return n
}

// errNoRow is the notFound that [dtx.row] is given where no row is not an error.
var errNoRow = errors.New("postgres: no row")
