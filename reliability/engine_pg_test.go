//go:build vetshare_pg

package reliability_test

import (
	"context"
	"database/sql"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/vetshare/vetshare"
	_ "github.com/vetshare/vetshare/internal/pgengine"
	"github.com/vetshare/vetshare/postgres"
	"github.com/vetshare/vetshare/postgres/pgtest"
	"github.com/vetshare/vetshare/vetsharetest"
)

// The PostgreSQL engine of the reliability tests, built with -tags vetshare_pg: each test has a
// database of its own (pgtest); the store connects as the application role, under row-level
// security; the checks read as the owner role, whose policy sees every owner's rows.

const engineName = "postgres"

func openInspector(tb testing.TB, ownerDSN string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("pgx", ownerDSN)
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	tb.Cleanup(func() { db.Close() })
	return db
}

var _ = stdlib.GetDefaultDriver // registers "pgx" with database/sql

// newStore opens a store on a new database for a test and returns it with a handle that reads
// every row.
func newStore(tb testing.TB) (*vetsharetest.Store, *sql.DB) {
	tb.Helper()
	app, owner := pgtest.NewDatabase(tb)
	clock := vetshare.NewTickClock(vetsharetest.Start())
	st, err := postgres.Open(context.Background(), app, postgres.WithClock(clock))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return &vetsharetest.Store{Engine: st, Clock: clock}, openInspector(tb, owner)
}

// conns returns the store's connections in use and open, and the most it may open. A
// connection whose statement a cancellation interrupted is closed, and pgxpool destroys it in
// a goroutine of its own (puddle's Destroy), so it may count as acquired for a moment after
// Update returned: conns waits up to 2s for the count to fall to 0 before it reports it.
func conns(s *vetsharetest.Store) (inUse, open, most int) {
	pool := s.Engine.(*postgres.Store).Pool()
	for deadline := time.Now().Add(2 * time.Second); pool.Stat().AcquiredConns() > 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	st := pool.Stat()
	return int(st.AcquiredConns()), int(st.TotalConns()), int(st.MaxConns())
}

// crashTarget makes the database the crash test's writer writes to and returns the
// application role's and the owner role's connection strings to it.
func crashTarget(tb testing.TB) (target, inspect string) {
	return pgtest.NewDatabase(tb)
}

// openTarget opens the store at target, as the writer and the next process do.
func openTarget(ctx context.Context, target string) (vetshare.Store, func() error, error) {
	s, err := postgres.Open(ctx, target)
	if err != nil {
		return nil, nil, err
	}
	return s, s.Close, nil
}

// inspectTarget returns a handle that reads every row of the database, as the owner role.
func inspectTarget(tb testing.TB, s vetshare.Store, inspect string) *sql.DB {
	return openInspector(tb, inspect)
}

// integrity checks that every constraint of vetshare's tables is validated: PostgreSQL
// enforces keys, foreign keys and checks on every statement, so a constraint that holds and is
// validated is PostgreSQL's integrity check (it has no PRAGMA integrity_check; a torn page is
// its write-ahead log's business, not a client's).
func integrity(tb testing.TB, db *sql.DB) {
	tb.Helper()
	bad := column[string](tb, db, `SELECT conrelid::regclass::text || ' ' || conname FROM pg_constraint
		WHERE connamespace = 'vetshare'::regnamespace AND NOT convalidated`)
	if len(bad) > 0 {
		tb.Errorf("constraints not validated: %q", bad)
	}
}

// snapshot hashes every row of every table of the schema vetshare (partitioned tables read
// whole, through their parent), each table's rows in the order of their text, to show that a
// failed operation changed nothing.
func snapshot(tb testing.TB, db *sql.DB) string {
	tb.Helper()
	tables := column[string](tb, db, `SELECT c.relname::text FROM pg_class c
		WHERE c.relnamespace = 'vetshare'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
		ORDER BY 1`)
	return hashRows(tb, db, tables, func(tbl string) string {
		return `SELECT t::text FROM vetshare."` + tbl + `" t ORDER BY 1`
	})
}

var sqliteTable = regexp.MustCompile(`\bvetshare_([a-z_]+)`)

// sq returns query, written for SQLite, for PostgreSQL: the tables are in the schema vetshare,
// and a JSON array kept as text is cast to json.
func sq(query string) string {
	query = sqliteTable.ReplaceAllString(query, "vetshare.$1")
	return strings.ReplaceAll(query, "json_array_length(i.reminders)", "json_array_length(i.reminders::json)")
}
