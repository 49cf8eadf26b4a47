package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

// Store is the PostgreSQL [vetshare.Store]. It is safe for concurrent use.
type Store struct {
	pool       *pgxpool.Pool
	owned      bool // Close closes the pool
	clock      vetshare.Clock
	partitions int
	retries    int
}

var _ vetshare.Store = (*Store)(nil)

// Option configures a [Store].
type Option func(*Store)

// WithClock makes the store take the time of each transaction from c instead of the system
// clock.
func WithClock(c vetshare.Clock) Option { return func(s *Store) { s.clock = c } }

// DefaultPartitions is the number of hash partitions of each per-owner table when
// [WithPartitions] is not given.
const DefaultPartitions = 8

// WithPartitions sets the number of hash partitions (by owner_id) of each per-owner table. It
// applies when the schema is first created; a database already migrated keeps the count it
// was made with. n below 1 is taken as 1.
func WithPartitions(n int) Option { return func(s *Store) { s.partitions = max(n, 1) } }

// DefaultRetries is how many times [Store.Update] runs its function again after a
// serialization failure or a deadlock, when [WithRetries] is not given.
const DefaultRetries = 5

// WithRetries sets how many times [Store.Update] runs its function again after a serialization
// failure or a deadlock (SQLSTATE 40001, 40P01). 0 turns retrying off.
func WithRetries(n int) Option { return func(s *Store) { s.retries = max(n, 0) } }

func newStore(pool *pgxpool.Pool, owned bool, opts []Option) *Store {
	s := &Store{pool: pool, owned: owned, clock: vetshare.SystemClock{}, partitions: DefaultPartitions, retries: DefaultRetries}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Open connects to the database of dsn (a PostgreSQL connection string or URL, as pgx takes
// it), creates or migrates vetshare's schema in it (see [OpenPool]) and returns the store,
// which owns its pool: [Store.Close] closes it. It returns an error matching
// [vetshare.ErrInvalid] for a malformed dsn and a [*NewerSchemaError] for a database migrated
// by a newer version of vetshare.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, vetshare.Op("postgres.Open", &vetshare.InvalidError{Field: "dsn", Reason: "the connection string cannot be read"})
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, vetshare.Op("postgres.Open", translate(ctx, err))
	}
	s := newStore(pool, true, opts)
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, vetshare.Op("postgres.Open", err)
	}
	return s, nil
}

// OpenPool makes a Store on a host's own pool. vetshare's tables live in the schema vetshare,
// beside the host's, and vetshare reads and writes nothing else (R12.1). The schema is created
// or migrated here: once, however many processes open the database together (they wait on an
// advisory lock and re-read the version). The host keeps the pool: [Store.Close] does not
// close it. It returns a [*NewerSchemaError] for a database migrated by a newer version.
func OpenPool(ctx context.Context, pool *pgxpool.Pool, opts ...Option) (*Store, error) {
	if pool == nil {
		return nil, vetshare.Op("postgres.OpenPool", vetshare.Invalid("pool", "no pool was given"))
	}
	s := newStore(pool, false, opts)
	if err := s.migrate(ctx); err != nil {
		return nil, vetshare.Op("postgres.OpenPool", err)
	}
	return s, nil
}

// Close closes the store's pool (not a pool handed to [OpenPool]).
func (s *Store) Close() error {
	if s.owned {
		s.pool.Close()
	}
	return nil
}

// Pool returns the store's pool.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Update runs fn in a read-write transaction; see [vetshare.Store]. When the transaction fails
// with a serialization failure or a deadlock (SQLSTATE 40001 or 40P01), Update rolls it back
// and runs fn again in a new one, up to the store's retry count ([WithRetries]): fn may run more
// than once, and must do nothing outside the transaction that it cannot repeat. When the
// retries are spent it returns the [*RetryError].
func (s *Store) Update(ctx context.Context, fn func(*vetshare.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := s.run(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, false, fn)
		var re *RetryError
		if !errors.As(err, &re) || attempt >= s.retries {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(1<<attempt) * time.Millisecond):
		}
	}
}

// View runs fn in a read-only transaction that sees one snapshot (REPEATABLE READ); see
// [vetshare.Store]. A write in it fails with an error matching [vetshare.ErrNotPermitted].
func (s *Store) View(ctx context.Context, fn func(*vetshare.Tx) error) error {
	return s.run(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, true, fn)
}

func (s *Store) run(ctx context.Context, opts pgx.TxOptions, readOnly bool, fn func(*vetshare.Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	tx, err := s.pool.BeginTx(ctx, opts)
	if err != nil {
		return translate(ctx, err)
	}
	// The rollback runs without ctx's cancellation, so that a cancelled context still ends
	// the transaction on the server at once rather than when the connection is dropped.
	rollback := func() { tx.Rollback(context.WithoutCancel(ctx)) }
	t := &dtx{s: s, tx: statements(tx), now: vetshare.Time(s.clock.Now()), readOnly: readOnly}
	defer func() {
		if p := recover(); p != nil {
			rollback()
			panic(p)
		}
	}()
	if err := fn(driver.Wrap(t)); err != nil {
		rollback()
		return cancelled(ctx, err)
	}
	if err := ctx.Err(); err != nil {
		rollback()
		return err
	}
	if readOnly {
		rollback()
		return nil
	}
	if err := tx.Commit(ctx); err != nil {
		return cancelled(ctx, translate(ctx, err))
	}
	return nil
}

// Tx returns the transaction a host holds for its own transaction tx, so that the host's rows
// and vetshare's commit or roll back together (R12.2). vetshare never commits or rolls back tx:
// the host does, and must roll it back when an operation in it fails. tx must be of a
// connection to the database the store was opened on; any isolation level serves (READ
// COMMITTED is what vetshare's own transactions use). The returned [*vetshare.Tx] is valid
// until the host ends tx; its time is taken once, now, from the store's clock.
//
// A serialization failure or deadlock inside it is returned as a [*RetryError] (it matches
// [vetshare.ErrConflict]): roll tx back and run the whole transaction again. vetshare sets
// the transaction-local setting vetshare.owner in tx (see the package documentation).
func (s *Store) Tx(ctx context.Context, tx pgx.Tx) (*vetshare.Tx, error) {
	if tx == nil {
		return nil, vetshare.Op("postgres.Store.Tx", vetshare.Invalid("tx", "no transaction was given"))
	}
	return driver.Wrap(&dtx{s: s, tx: statements(tx), now: vetshare.Time(s.clock.Now()), host: true}), nil
}

// ViewTx is [Store.Tx] for reading only: a write in it fails with an error matching
// [vetshare.ErrNotPermitted] and writes nothing.
func (s *Store) ViewTx(ctx context.Context, tx pgx.Tx) (*vetshare.Tx, error) {
	if tx == nil {
		return nil, vetshare.Op("postgres.Store.ViewTx", vetshare.Invalid("tx", "no transaction was given"))
	}
	return driver.Wrap(&dtx{s: s, tx: statements(tx), now: vetshare.Time(s.clock.Now()), host: true, readOnly: true}), nil
}

// cancelled returns ctx's error in place of err when ctx is done and err does not already
// match it: a statement interrupted by the context fails with pgx's own error.
func cancelled(ctx context.Context, err error) error {
	cerr := ctx.Err()
	if err == nil || cerr == nil || errors.Is(err, cerr) {
		return err
	}
	return cerr
}

// RetryError is a transaction that PostgreSQL ended to keep concurrent ones consistent: a
// serialization failure (SQLSTATE 40001) or a deadlock (40P01). Nothing it wrote is kept;
// running the whole transaction again may succeed. [Store.Update] does so itself; inside a
// host's transaction ([Store.Tx]) the host must roll back and run it again. It matches
// [vetshare.ErrConflict].
type RetryError struct {
	Code string // the SQLSTATE: 40001 or 40P01
	Err  error  // PostgreSQL's error, for logs
}

func (e *RetryError) Error() string {
	return "the transaction collided with a concurrent one and was undone: run it again"
}

// Unwrap returns [vetshare.ErrConflict] and PostgreSQL's error.
func (e *RetryError) Unwrap() []error { return []error{vetshare.ErrConflict, e.Err} }

// StoreError is a PostgreSQL failure that is not a refusal of the request: the server is
// unreachable, out of space, or refused a statement for a reason of its own. Its message gives
// the SQLSTATE but not PostgreSQL's text, which is for logs: reach it with [errors.As] on Err
// (a *pgconn.PgError) or errors.Unwrap.
type StoreError struct {
	Code string // the SQLSTATE
	Err  error
}

func (e *StoreError) Error() string {
	return fmt.Sprintf("the database could not complete the request (SQLSTATE %s)", e.Code)
}

// Unwrap returns PostgreSQL's error.
func (e *StoreError) Unwrap() error { return e.Err }

// errReadOnly is returned for a write in a View. It matches [vetshare.ErrNotPermitted].
var errReadOnly = &vetshare.NotPermittedError{Reason: "a read-only transaction cannot write"}

// translate turns PostgreSQL's errors into the library's, by SQLSTATE, never by their text.
func translate(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return err
	}
	switch code := e.Code; {
	case code == "23505":
		return &vetshare.ConflictError{Reason: "this would duplicate something already stored"}
	case code == "23503":
		return &vetshare.NotFoundError{Kind: "something this refers to"}
	case code == "23514", code == "23502":
		return &vetshare.InvalidError{Reason: "a value is missing or out of range"}
	case code == "23001":
		return &vetshare.ConflictError{Reason: "this conflicts with data already stored"}
	case code == "25006":
		return errReadOnly
	case code == "40001", code == "40P01":
		return &RetryError{Code: code, Err: err}
	case code == "57014" && ctx.Err() != nil:
		return ctx.Err()
	case len(code) == 5 && code[:2] == "22":
		return &vetshare.InvalidError{Reason: "a value cannot be stored"}
	}
	return &StoreError{Code: e.Code, Err: err}
}
