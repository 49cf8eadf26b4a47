//go:build !vetshare_pg

package reliability_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/sqlite"
	"github.com/vetshare/vetshare/vetsharetest"
)

// The SQLite engine of the reliability tests; engine_pg_test.go is PostgreSQL's, built with
// -tags vetshare_pg.

const engineName = "sqlite"

// newStore opens a new SQLite store for a test and returns it with its database handle,
// which reads every row.
func newStore(tb testing.TB) (*vetsharetest.Store, *sql.DB) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "vetshare.db")
	clock := vetshare.NewTickClock(vetsharetest.Start())
	st, err := sqlite.Open(context.Background(), path, sqlite.WithClock(clock))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return &vetsharetest.Store{Store: st, Engine: st, Clock: clock, Path: path}, st.DB()
}

// conns returns the store's connections in use and open, and the most it may open.
func conns(s *vetsharetest.Store) (inUse, open, most int) {
	return s.DB().Stats().InUse, s.Stats(), 1 + sqlite.ReadConns
}

// crashTarget makes the database the crash test's writer writes to and returns where it is.
func crashTarget(tb testing.TB) (target, inspect string) {
	return filepath.Join(tb.TempDir(), "crash.db"), ""
}

// openTarget opens the store at target, as the writer and the next process do.
func openTarget(ctx context.Context, target string) (vetshare.Store, func() error, error) {
	s, err := sqlite.Open(ctx, target)
	if err != nil {
		return nil, nil, err
	}
	return s, s.Close, nil
}

// inspectTarget returns a handle that reads every row of the database at target; s is the
// store open on it.
func inspectTarget(tb testing.TB, s vetshare.Store, inspect string) *sql.DB {
	return s.(*sqlite.Store).DB()
}

// integrity runs SQLite's integrity and foreign-key checks.
func integrity(tb testing.TB, db *sql.DB) {
	tb.Helper()
	if got := column[string](tb, db, `PRAGMA integrity_check`); len(got) != 1 || got[0] != "ok" {
		tb.Errorf("PRAGMA integrity_check: %q", got)
	}
	rows, err := db.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			tb.Fatal(err)
		}
		tb.Errorf("PRAGMA foreign_key_check: a row of %s refers to a missing row of %s", table, parent)
	}
}

// snapshot hashes every row of every vetshare_ table, to show that a failed operation changed
// nothing. The tables are read in their key order (they are WITHOUT ROWID).
func snapshot(tb testing.TB, db *sql.DB) string {
	tb.Helper()
	tables := column[string](tb, db, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'vetshare\_%' ESCAPE '\' ORDER BY name`)
	return hashRows(tb, db, tables, func(tbl string) string { return `SELECT * FROM "` + tbl + `"` })
}

// sq returns query, written for SQLite, for this engine.
func sq(query string) string { return query }
