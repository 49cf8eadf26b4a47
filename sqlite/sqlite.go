package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
)

// Store is the SQLite [vetshare.Store]. It is safe for concurrent use.
type Store struct {
	write *sql.DB // one connection; every write transaction begins IMMEDIATE
	read  *sql.DB // read-only connections for View
	owned bool    // Close closes the pools
	clock vetshare.Clock
	// syncFull is set by WithSynchronousFull: Open's connections run synchronous(FULL), and
	// OpenDB refuses a host's pool that does not.
	syncFull bool

	// hostWrite serializes the write transactions of Update on a host's *sql.DB (OpenDB), which
	// may begin DEFERRED; each also takes the write lock with its first statement (begin), so
	// it never meets a lock upgrade failure part way, whoever else writes.
	hostWrite chan struct{}

	// ckpt is Open's checkpointer: the write connection never checkpoints (wal_autocheckpoint
	// 0), so that no request pays for one; see checkpointer.go. Nil for OpenDB.
	ckpt *checkpointer

	mu    sync.Mutex
	stmts map[*sql.DB]map[string]*sql.Stmt
	own   map[*sql.DB]*sql.Stmt // per pool, the statement that tells a host's tx of it (host.go)
}

var _ vetshare.Store = (*Store)(nil)

// Option configures a [Store].
type Option func(*Store)

// WithClock makes the store take the time of each transaction from c instead of the system
// clock.
func WithClock(c vetshare.Clock) Option { return func(s *Store) { s.clock = c } }

// WithSynchronousFull makes every connection the store opens run PRAGMA synchronous(FULL)
// instead of NORMAL: each commit waits for the write-ahead log to reach the disk, so a
// transaction that committed survives a power loss or an operating-system crash, not only a
// crash of the application (see RELIABILITY.md). Commits are slower. With [OpenDB] the host's
// pool must already run synchronous(FULL) (put _pragma=synchronous(FULL) in its DSN); OpenDB
// refuses one that does not with [vetshare.ErrInvalid].
func WithSynchronousFull() Option { return func(s *Store) { s.syncFull = true } }

// BusyTimeout is how long a connection waits for another process's lock before SQLite reports it
// busy; the store then keeps trying until the context is done (R11.3).
const BusyTimeout = 5 * time.Second

// ReadConns is the number of read connections Open keeps.
const ReadConns = 4

// pragmas are the pragmas every connection Open makes has, set in the DSN so that each pooled
// connection runs them when it opens.
//
// temp_store(MEMORY) keeps the temporary b-trees of sorts and batched inserts in memory
// instead of spilling them to temporary files.
var pragmas = [...]string{"busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)",
	"temp_store(MEMORY)"}

// MmapSize is the PRAGMA mmap_size of the read connections of [DSN]: a bound, not an
// allocation. SQLite maps no more of the file than the file holds, so a small database maps
// little; a database larger than the bound is read through the map up to it and by read calls
// beyond; 1 GiB of address space per connection is cheap on 64-bit systems. The map lets the
// read connections share the file's pages: modernc.org/sqlite's connections do not share a
// page cache, and a commit empties every other connection's cache, so without it each read
// after a write starts cold (issue 16). The write connection does not map the file: measured
// in one run, interleaved, creating a client in a 10-account group took 1.32-1.45 times as
// long at p50 with the map on the writer.
const MmapSize = 1 << 30

// DSN returns the data source name Open uses for the file at path: a file: URI with the
// pragmas journal_mode(WAL), foreign_keys(1), busy_timeout(5000), synchronous(NORMAL) and
// temp_store(MEMORY); with _txlock=immediate when write is true so that write transactions
// take the write lock when they begin, and query_only(1) and mmap_size([MmapSize]) when it is
// false. A host opening its own *sql.DB
// for [OpenDB] can start from it. It keeps SQLite's automatic checkpoints, which a request
// that crosses 1,000 pages of log pays for; a host that wants them off its requests adds
// _pragma=wal_autocheckpoint(0) and calls [Store.Checkpoint] itself.
func DSN(path string, write bool) string { return dsn(path, write, false, false) }

// dsn is [DSN], with synchronous(FULL) in place of NORMAL when full is set, and with
// automatic checkpoints off when noAutoCheckpoint is set (Open's connections, whose
// checkpoints its checkpointer runs), the log file then truncated to [LogRestartSize] when it
// starts again.
func dsn(path string, write, full, noAutoCheckpoint bool) string {
	q := url.Values{}
	for _, p := range pragmas {
		if full && p == "synchronous(NORMAL)" {
			p = "synchronous(FULL)"
		}
		q.Add("_pragma", p)
	}
	if noAutoCheckpoint {
		q.Add("_pragma", "wal_autocheckpoint(0)")
		q.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", logRestartSize))
	}
	if write {
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", fmt.Sprintf("mmap_size(%d)", MmapSize))
	}
	u := url.URL{Scheme: "file", OmitHost: true, Path: path, RawQuery: q.Encode()}
	return u.String()
}

// Open opens the database file at path, creating it if it does not exist, and migrates its
// schema to this version of the library. The file may hold a host's own tables: vetshare keeps
// to its own (named vetshare_…) and never reads or changes anything else, user_version and
// application_id included; only a file that held nothing gets the [ApplicationID] (R12.1). A
// database migrated by a newer version of the library is refused with a [*NewerSchemaError].
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	if path == "" || path == ":memory:" {
		return nil, vetshare.Op("sqlite.Open", vetshare.Invalid("path", "a file path is needed (an in-memory database cannot be shared by a pool)"))
	}
	s := newStore(nil, nil, true, opts)
	w, err := sql.Open("sqlite", dsn(path, true, s.syncFull, true))
	if err != nil {
		return nil, vetshare.Op("sqlite.Open", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s.write = w
	if err := s.migrate(ctx, true); err != nil {
		w.Close()
		return nil, vetshare.Op("sqlite.Open", err)
	}
	r, err := sql.Open("sqlite", dsn(path, false, s.syncFull, false))
	if err != nil {
		w.Close()
		return nil, vetshare.Op("sqlite.Open", err)
	}
	r.SetMaxOpenConns(ReadConns)
	r.SetMaxIdleConns(ReadConns)
	r.SetConnMaxIdleTime(0)
	s.read = r
	for _, db := range []*sql.DB{w, r} {
		if err := retryBusy(ctx, func() error { return s.prepareOwn(ctx, db) }); err != nil {
			s.Close()
			return nil, vetshare.Op("sqlite.Open", err)
		}
	}
	c, err := sql.Open("sqlite", dsn(path, false, s.syncFull, true))
	if err != nil {
		s.Close()
		return nil, vetshare.Op("sqlite.Open", err)
	}
	s.ckpt = startCheckpointer(c, w, logRestartSize)
	return s, nil
}

// OpenDB makes a Store on a host's own *sql.DB, opened with the "sqlite" driver of
// modernc.org/sqlite, and migrates vetshare's tables beside the host's as [Open] does, without
// marking the file (R12.1). The host keeps the pool and closes it; [Store.Close] does not. Its
// connections should have the pragmas of [DSN] (start from [DSN]); OpenDB refuses a pool whose
// connections do not enforce foreign keys. [Store.Update] on it runs the write transactions of
// this process one at a time and takes the write lock with the first statement of each, so a
// pool whose DSN lacks _txlock=immediate is served too; a host's own transaction handed to
// [Store.Tx] must begin IMMEDIATE.
func OpenDB(ctx context.Context, db *sql.DB, opts ...Option) (*Store, error) {
	if db == nil {
		return nil, vetshare.Op("sqlite.OpenDB", vetshare.Invalid("db", "nil"))
	}
	var fk int
	// A new connection of the host's pool runs its DSN's pragmas as it opens: the switch to WAL
	// may find the file busy while another process opens it too (R11.3).
	err := retryBusy(ctx, func() error { return db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk) })
	if err != nil {
		return nil, vetshare.Op("sqlite.OpenDB", err)
	}
	if fk != 1 {
		return nil, vetshare.Op("sqlite.OpenDB", vetshare.Invalid("db", "connections must have PRAGMA foreign_keys on; open the pool with sqlite.DSN"))
	}
	s := newStore(db, db, false, opts)
	if s.syncFull {
		var sync int
		if err := db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
			return nil, vetshare.Op("sqlite.OpenDB", err)
		}
		if sync < 2 {
			return nil, vetshare.Op("sqlite.OpenDB", vetshare.Invalid("db", "connections must have PRAGMA synchronous FULL for WithSynchronousFull; put _pragma=synchronous(FULL) in the pool's DSN"))
		}
	}
	s.hostWrite = make(chan struct{}, 1)
	if err := s.migrate(ctx, false); err != nil {
		return nil, vetshare.Op("sqlite.OpenDB", err)
	}
	if err := retryBusy(ctx, func() error { return s.prepareOwn(ctx, db) }); err != nil {
		return nil, vetshare.Op("sqlite.OpenDB", err)
	}
	return s, nil
}

func newStore(w, r *sql.DB, owned bool, opts []Option) *Store {
	s := &Store{write: w, read: r, owned: owned, clock: vetshare.SystemClock{}, stmts: map[*sql.DB]map[string]*sql.Stmt{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Close closes the store's connections (not those of a pool handed to [OpenDB]) and stops
// the checkpointer [Open] started, waiting for it to return.
func (s *Store) Close() error {
	var cerr error
	if s.ckpt != nil {
		cerr = s.ckpt.stop()
		s.ckpt = nil
	}
	s.mu.Lock()
	for _, m := range s.stmts {
		for _, st := range m {
			st.Close()
		}
	}
	s.stmts = map[*sql.DB]map[string]*sql.Stmt{}
	for _, st := range s.own {
		st.Close()
	}
	s.own = nil
	s.mu.Unlock()
	if !s.owned {
		return cerr
	}
	return errors.Join(cerr, s.write.Close(), s.read.Close())
}

// DB returns the store's write pool, for a host that wants to read its own tables in the same
// file. Writing vetshare's tables through it bypasses every rule.
func (s *Store) DB() *sql.DB { return s.write }

// Update runs fn in a write transaction; see [vetshare.Store].
func (s *Store) Update(ctx context.Context, fn func(*vetshare.Tx) error) error {
	if s.hostWrite != nil {
		select {
		case s.hostWrite <- struct{}{}:
			defer func() { <-s.hostWrite }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return s.run(ctx, s.write, nil, fn)
}

// View runs fn in a read-only transaction; see [vetshare.Store].
func (s *Store) View(ctx context.Context, fn func(*vetshare.Tx) error) error {
	return s.run(ctx, s.read, &sql.TxOptions{ReadOnly: true}, fn)
}

func (s *Store) run(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(*vetshare.Tx) error) (err error) {
	sqlTx, err := s.begin(ctx, db, opts)
	if err != nil {
		return translate(err)
	}
	t := &dtx{s: s, db: db, tx: sqlTx, now: vetshare.Time(s.clock.Now()), readOnly: opts != nil && opts.ReadOnly}
	returned := false
	defer func() {
		if p := recover(); p != nil {
			sqlTx.Rollback()
			panic(p)
		}
		if !returned {
			// fn called runtime.Goexit, as t.Fatal does in a test: without a rollback the
			// transaction would keep the write pool's only connection, and every later
			// Update would wait for it forever.
			sqlTx.Rollback()
			return
		}
		s.prepareLater(ctx, db, t.pending)
	}()
	err = fn(driver.Wrap(t))
	returned = true
	if err != nil {
		sqlTx.Rollback()
		return cancelled(ctx, err)
	}
	if err := ctx.Err(); err != nil {
		sqlTx.Rollback()
		return err
	}
	if t.readOnly {
		return cancelled(ctx, translate(sqlTx.Rollback())) // nothing to commit
	}
	if err := sqlTx.Commit(); err != nil {
		return cancelled(ctx, translate(err))
	}
	if s.ckpt != nil && db == s.write {
		s.ckpt.kick()
	}
	return nil
}

// cancelled returns ctx's error in place of err when ctx is done: database/sql rolls a
// transaction back as soon as its context is done, and the statement that was running then
// fails with "statement is closed" or sql.ErrTxDone rather than the context's error (R11.2).
// An error that already matches the context's is kept as it is.
func cancelled(ctx context.Context, err error) error {
	cerr := ctx.Err()
	if err == nil || cerr == nil || errors.Is(err, cerr) {
		return err
	}
	return cerr
}

// begin starts a transaction, retrying while another process holds the lock and ctx allows
// (R11.3).
func (s *Store) begin(ctx context.Context, db *sql.DB, opts *sql.TxOptions) (tx *sql.Tx, err error) {
	err = retryBusy(ctx, func() error {
		tx, err = db.BeginTx(ctx, opts)
		if err != nil || s.hostWrite == nil || opts != nil {
			return err
		}
		// The host's pool may begin DEFERRED: take the write lock now, waiting for it as BEGIN
		// IMMEDIATE would, so that no write of fn meets a lock upgrade failure part way.
		if _, err = tx.ExecContext(ctx, writeProbe); err != nil {
			tx.Rollback()
		}
		return err
	})
	return tx, err
}

// retryBusy runs fn until it succeeds, fails other than busy, or ctx is done (R11.3).
func retryBusy(ctx context.Context, fn func() error) error {
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err := fn()
		if err == nil || !isBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

func isBusy(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && (e.Code()&0xff == sqlite3.SQLITE_BUSY || e.Code()&0xff == sqlite3.SQLITE_LOCKED)
}

// cached returns the statement for query prepared on db, if it has been.
func (s *Store) cached(db *sql.DB, query string) *sql.Stmt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stmts[db][query]
}

// prepareLater prepares on db, once a transaction has released its connection, the queries the
// transaction had to prepare for itself: preparing on the pool while a transaction holds the
// write pool's only connection would wait for that very connection. Later transactions bind
// the pool's statement, which database/sql prepares once per connection.
func (s *Store) prepareLater(ctx context.Context, db *sql.DB, queries []string) {
	for _, q := range queries {
		if s.cached(db, q) != nil {
			continue
		}
		st, err := db.PrepareContext(context.WithoutCancel(ctx), q)
		if err != nil {
			continue // prepared again by the next transaction that needs it
		}
		s.mu.Lock()
		m := s.stmts[db]
		if m == nil {
			m = map[string]*sql.Stmt{}
			s.stmts[db] = m
		}
		if m[q] == nil {
			m[q] = st
			st = nil
		}
		s.mu.Unlock()
		if st != nil {
			st.Close()
		}
	}
}

// dtx is the store's [driver.Tx]: every transaction of the store, a host's included.
type dtx struct {
	s        *Store
	db       *sql.DB
	tx       *sql.Tx
	now      time.Time
	pending  []string             // queries this transaction prepared for itself
	local    map[string]*sql.Stmt // and their statements, reused within the transaction
	readOnly bool                 // a View: statements other than queries are refused
	// nextNumber is, per account, the next client number, once this transaction has inserted
	// an entry there (InsertClientEntry).
	nextNumber map[vetshare.AccountID]int64
	// actorAccount is the account ActorMembership read with the membership, until UpdateAccount
	// changes an account: Account gives it without a statement.
	actorAccount *vetshare.Account
	// tip is the last audit entry of one owner, read by ActorMembership and moved on by
	// AppendAudit, in a write transaction of the store's own only: a host may wrap its one
	// *sql.Tx in several of ours (Store.Tx), each of which could append entries unknown to the
	// others, as for nextNumber.
	tip *auditTip
	// lastSeq is the store's last recording sequence, once a read before a record's insert
	// has given it or InsertRecord has taken one, in a write transaction of the store's own
	// only (keepLastSeq).
	lastSeq *int64
	// itemActions are the disable actions Item read with its item, until the next statement
	// (DisableActions).
	itemActions itemActions
	// paying is the invoice InvoiceFor read, until the next statement (InsertPayment).
	paying payingInvoice
	host   bool // a host's own transaction (Store.Tx): it is never ended here
}

// ownWrite reports whether t is a write transaction of the store's own (Update), the only
// kind that keeps the audit tip.
func (t *dtx) ownWrite() bool { return !t.readOnly && !t.host }

// auditTip is an owner's last audit entry: seq 0 and no hash when it has none.
type auditTip struct {
	owner vetshare.OwnerID
	seq   int64
	hash  []byte
}

// errReadOnly is returned for a write in a View. It matches [vetshare.ErrNotPermitted].
var errReadOnly = &vetshare.NotPermittedError{Reason: "a read-only transaction cannot write"}

// isQuery reports whether a statement only reads.
func isQuery(q string) bool {
	q = strings.TrimLeft(q, " \t\n")
	return len(q) >= 6 && (strings.EqualFold(q[:6], "SELECT") || strings.EqualFold(q[:4], "WITH"))
}

var _ driver.Tx = (*dtx)(nil)

// Now returns the time of the transaction.
func (t *dtx) Now() time.Time { return t.now }

func (t *dtx) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if t.readOnly && !isQuery(query) {
		return nil, errReadOnly
	}
	if st := t.s.cached(t.db, query); st != nil {
		return t.tx.StmtContext(ctx, st), nil
	}
	if st := t.local[query]; st != nil {
		return st, nil
	}
	st, err := t.tx.PrepareContext(ctx, query)
	if err != nil {
		// The query and SQLite's text stay inside, for logs; the message gives the code.
		return nil, translate(fmt.Errorf("sqlite: prepare %q: %w", query, err))
	}
	if t.local == nil {
		t.local = map[string]*sql.Stmt{}
	}
	t.local[query] = st
	if !t.host { // the store cannot tell when a host's transaction releases its connection
		t.pending = append(t.pending, query)
	}
	return st, nil
}

// forget drops what the transaction keeps of its last statement's read (itemActions,
// paying): every statement may change it.
func (t *dtx) forget() {
	t.itemActions, t.paying = itemActions{}, payingInvoice{}
}

func (t *dtx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	t.forget()
	st, err := t.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	res, err := st.ExecContext(ctx, args...)
	return res, cancelled(ctx, translate(err))
}

func (t *dtx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	t.forget()
	st, err := t.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, args...)
	return rows, cancelled(ctx, translate(err))
}

// queryRow runs a query expected to return at most one row and scans it with scan; it returns
// notFound when there is none.
func (t *dtx) queryRow(ctx context.Context, notFound error, scan func(*sql.Rows) error, query string, args ...any) error {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return translate(err)
		}
		return notFound
	}
	if err := scan(rows); err != nil {
		return translate(err)
	}
	return translate(rows.Close())
}

// each runs scan on every row of the query.
func (t *dtx) each(ctx context.Context, scan func(*sql.Rows) error, query string, args ...any) error {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return translate(err)
		}
	}
	return translate(rows.Err())
}

// mustAffect returns a function that returns notFound unless the exec changed a row:
// mustAffect(t.exec(...))(notFound).
func mustAffect(res sql.Result, err error) func(notFound error) error {
	return func(notFound error) error {
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return notFound
		}
		return nil
	}
}

// translate turns SQLite's errors into the library's, by error code, never by their text: a
// constraint failure becomes a [*vetshare.ConflictError], [*vetshare.NotFoundError] or
// [*vetshare.InvalidError] with a fixed sentence, a write refused as read-only matches
// [vetshare.ErrNotPermitted], and any other SQLite error becomes a [*StoreError], whose message
// gives the code and not SQLite's text (R12.7). Errors that are not SQLite's pass unchanged.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	switch code := e.Code(); {
	case code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, code == sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		return &vetshare.ConflictError{Reason: "this would duplicate something already stored"}
	case code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return &vetshare.NotFoundError{Kind: "something this refers to"}
	case code == sqlite3.SQLITE_CONSTRAINT_CHECK, code == sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		return &vetshare.InvalidError{Reason: "a value is missing or out of range"}
	case code&0xff == sqlite3.SQLITE_CONSTRAINT:
		return &vetshare.ConflictError{Reason: "this conflicts with data already stored"}
	case code&0xff == sqlite3.SQLITE_READONLY:
		return errReadOnly
	}
	return &StoreError{Code: e.Code(), Err: err}
}

// StoreError is an SQLite failure that is not a refusal of the request: the database is busy
// past the context's deadline, full, corrupt or unreachable. Its message gives the SQLite
// result code but not SQLite's own text, which is for logs: reach it with [errors.As] on
// Err (a *modernc.org/sqlite.Error) or errors.Unwrap.
type StoreError struct {
	Code int // the SQLite extended result code
	Err  error
}

func (e *StoreError) Error() string {
	return fmt.Sprintf("the database could not complete the request (SQLite result code %d)", e.Code)
}

// Unwrap returns SQLite's error.
func (e *StoreError) Unwrap() error { return e.Err }

// Conversions between Go values and columns.

func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return vetshare.Time(t).UnixMicro()
}

func fromMicros(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMicro(n.Int64).UTC()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
