package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

// writeProbe is a write statement on a table of vetshare's own that changes nothing: running it
// takes SQLite's write lock for the transaction it runs in, as BEGIN IMMEDIATE would have.
const writeProbe = "UPDATE vetshare_schema SET version = version WHERE 0"

// ownProbe is prepared on each of the store's pools when it opens; a host's transaction that
// cannot run it is not of those pools (see [Store.Tx]).
const ownProbe = "SELECT 1"

// DeferredTxError refuses a host's transaction, in [Store.Tx], that does not hold SQLite's write
// lock and could not take it at once because another connection holds it (or wrote since the
// transaction began to read). It matches [vetshare.ErrInvalid]: the host began its write
// transaction DEFERRED, where vetshare needs it to take the write lock when it begins. Open the
// pool with [DSN](path, true), whose _txlock=immediate makes every BeginTx a BEGIN IMMEDIATE, roll
// the transaction back and begin it again. Without that rule a deferred transaction would wait
// the busy timeout on its first write and could still fail part way through an operation.
type DeferredTxError struct {
	Code int   // the SQLite extended result code: SQLITE_BUSY or SQLITE_BUSY_SNAPSHOT
	Err  error // SQLite's error
}

func (e *DeferredTxError) Error() string {
	return "the transaction does not hold the database's write lock and another connection does: begin write transactions with _txlock=immediate in the data source name (sqlite.DSN(path, true)) or BEGIN IMMEDIATE"
}

// Unwrap returns [vetshare.ErrInvalid] and SQLite's error.
func (e *DeferredTxError) Unwrap() []error { return []error{vetshare.ErrInvalid, e.Err} }

// Tx returns the transaction a host holds for its own write transaction tx, begun on the *sql.DB
// the store was made on ([OpenDB]; for a store of [Open], the pool of [Store.DB]), so that the
// host's rows and vetshare's commit or roll back together (R12.2). Any operation runs in it, as
// in [Store.Update].
//
// The returned [*vetshare.Tx] is valid until the host ends tx. Its time is taken once, now, from
// the store's clock. Its statements are prepared on tx (or bound to it from the store's), and
// vetshare never commits or rolls back tx: the host does, and must roll it back when an
// operation in it fails, as Update does, because a failed operation may have written part of
// its work.
//
// SQLite has one rule for it: a write transaction must take the write lock when it begins
// (_txlock=immediate in the DSN, as [DSN](path, true) sets, or BEGIN IMMEDIATE). Tx checks it
// at once: it takes the write lock for tx with the connection's busy timeout set to 0 for that
// one statement (then put back), so a DEFERRED transaction that cannot have the lock right away
// is refused with a [*DeferredTxError] at once, never after a wait of the busy timeout part way
// through an operation. A deferred transaction that gets the lock keeps it to its end and is
// served.
//
// Tx returns an error matching [vetshare.ErrInvalid] for a nil tx, one that has ended, or one of
// another *sql.DB (another file, or another pool of the same file: the store's statements belong
// to its own pool); an error matching [vetshare.ErrNotPermitted] for a transaction of a
// read-only connection (use [Store.ViewTx]); and a [*DeferredTxError] as above.
//
// While the host holds tx, the store's own [Store.Update] waits for the write lock as for any
// other writer: do not call Update from the goroutine holding tx on a pool of one connection.
func (s *Store) Tx(ctx context.Context, tx *sql.Tx) (*vetshare.Tx, error) {
	db, err := s.hostPool(ctx, tx)
	if err != nil {
		return nil, vetshare.Op("sqlite.Store.Tx", err)
	}
	if err := takeWriteLock(ctx, tx); err != nil {
		return nil, vetshare.Op("sqlite.Store.Tx", err)
	}
	return driver.Wrap(&dtx{s: s, db: db, tx: tx, now: vetshare.Time(s.clock.Now()), host: true}), nil
}

// ViewTx returns a read-only transaction over the host's transaction tx, as [Store.View] gives,
// for a host that reads vetshare's data and its own in one snapshot. It takes no lock: tx may
// be DEFERRED or of a read-only pool. An operation in it that would write fails with an error
// matching [vetshare.ErrNotPermitted] and writes nothing. As with [Store.Tx], it is valid until
// the host ends tx, its time is taken once, now, and vetshare never ends tx. It returns an
// error matching [vetshare.ErrInvalid] for a nil tx, one that has ended, or one of another
// *sql.DB than the store's pools.
func (s *Store) ViewTx(ctx context.Context, tx *sql.Tx) (*vetshare.Tx, error) {
	db, err := s.hostPool(ctx, tx)
	if err != nil {
		return nil, vetshare.Op("sqlite.Store.ViewTx", err)
	}
	return driver.Wrap(&dtx{s: s, db: db, tx: tx, now: vetshare.Time(s.clock.Now()), readOnly: true, host: true}), nil
}

// hostPool returns the store's pool that tx was begun on. database/sql refuses to bind a
// statement of one *sql.DB to a transaction of another: the probe statement prepared on each
// pool when the store opened tells them apart without reading any error's text.
func (s *Store) hostPool(ctx context.Context, tx *sql.Tx) (*sql.DB, error) {
	if tx == nil {
		return nil, vetshare.Invalid("tx", "no transaction was given")
	}
	s.mu.Lock()
	own := s.own
	s.mu.Unlock()
	for db, st := range own {
		var one int
		err := tx.StmtContext(ctx, st).QueryRowContext(ctx).Scan(&one)
		switch {
		case err == nil:
			return db, nil
		case errors.Is(err, sql.ErrTxDone):
			return nil, vetshare.Invalid("tx", "the transaction has already ended")
		case ctx.Err() != nil:
			return nil, ctx.Err()
		}
		var e *sqlite.Error
		if errors.As(err, &e) {
			return nil, translate(err)
		}
		// Any other error is database/sql's refusal of a statement of another *sql.DB.
	}
	return nil, vetshare.Invalid("tx", "the transaction is not of the database this store was opened on: begin it on the *sql.DB given to sqlite.OpenDB")
}

// takeWriteLock makes tx hold the write lock, without waiting: see [Store.Tx].
func takeWriteLock(ctx context.Context, tx *sql.Tx) error {
	var timeout int
	if err := tx.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&timeout); err != nil {
		return translate(err)
	}
	if _, err := tx.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return translate(err)
	}
	_, err := tx.ExecContext(ctx, writeProbe)
	if _, rerr := tx.ExecContext(context.WithoutCancel(ctx), "PRAGMA busy_timeout = "+strconv.Itoa(timeout)); rerr != nil && err == nil {
		err = rerr
	}
	var e *sqlite.Error
	if errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_BUSY {
		return &DeferredTxError{Code: e.Code(), Err: err}
	}
	return translate(err)
}

// prepareOwn prepares the probe that [Store.hostPool] binds to a host's transaction, on db.
func (s *Store) prepareOwn(ctx context.Context, db *sql.DB) error {
	st, err := db.PrepareContext(ctx, ownProbe)
	if err != nil {
		return fmt.Errorf("sqlite: preparing on the pool: %w", translate(err))
	}
	s.mu.Lock()
	if s.own == nil {
		s.own = map[*sql.DB]*sql.Stmt{}
	}
	s.own[db] = st
	s.mu.Unlock()
	return nil
}
