// Package pgtest gives tests a PostgreSQL [postgres.Store] on a database of their own: a copy of
// a template database that was migrated once per test binary, dropped when the test ends.
//
// It needs two environment variables, which .ci/postgres prints:
//
//   - VETSHARE_PG_DSN connects as the application role: not the tables' owner and not
//     BYPASSRLS, so that row-level security applies to it as it does in production.
//   - VETSHARE_PG_OWNER_DSN connects as a role that may create databases; it migrates the
//     template and owns the tables.
//
// [Open] fails the test when they are not set: a test that asked for PostgreSQL must not pass
// on nothing. [Available] tells whether they are.
//
// vetshare's own domain tests reach this package through package vetsharetest when they are
// built with -tags vetshare_pg (see vetsharetest's documentation).
package pgtest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare/postgres"
)

// Available reports whether VETSHARE_PG_DSN and VETSHARE_PG_OWNER_DSN are both set.
func Available() bool {
	return os.Getenv("VETSHARE_PG_DSN") != "" && os.Getenv("VETSHARE_PG_OWNER_DSN") != ""
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
	dbCounter    atomic.Int64
)

// dsnFor returns dsn connecting to database db instead.
func dsnFor(dsn, db string) (string, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable", cfg.Host, cfg.Port, cfg.User, db), nil
}

// template makes, once per process, a database migrated by the owner role with the
// application role granted what it needs.
func template() (string, error) {
	templateOnce.Do(func() { templateName, templateErr = makeTemplate() })
	return templateName, templateErr
}

func makeTemplate() (string, error) {
	ctx := context.Background()
	ownerDSN := os.Getenv("VETSHARE_PG_OWNER_DSN")
	name := fmt.Sprintf("vetshare_pgtest_tmpl_%d", os.Getpid())
	admin, err := pgx.Connect(ctx, ownerDSN)
	if err != nil {
		return "", err
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	dsn, err := dsnFor(ownerDSN, name)
	if err != nil {
		return "", err
	}
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer s.Close()
	app, err := pgx.ParseConfig(os.Getenv("VETSHARE_PG_DSN"))
	if err != nil {
		return "", err
	}
	role := pgx.Identifier{app.User}.Sanitize()
	for _, q := range []string{
		"GRANT USAGE ON SCHEMA vetshare TO " + role,
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA vetshare TO " + role,
		"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA vetshare TO " + role,
		"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA vetshare TO " + role,
	} {
		if _, err := s.Pool().Exec(ctx, q); err != nil {
			return "", err
		}
	}
	return name, nil
}

// NewDatabase makes a new database, a copy of the migrated template, dropped when the test
// ends, and returns the connection strings of the application role and of the owner role to
// it. It fails the test when PostgreSQL is not configured (see [Available]) or the database
// cannot be made.
func NewDatabase(tb testing.TB) (appDSN, ownerDSN string) {
	tb.Helper()
	if !Available() {
		tb.Fatal("pgtest: no PostgreSQL: set VETSHARE_PG_DSN and VETSHARE_PG_OWNER_DSN (eval \"$(.ci/postgres start)\")")
	}
	tmpl, err := template()
	if err != nil {
		tb.Fatalf("pgtest: making the template database: %v", err)
	}
	ctx := context.Background()
	owner := os.Getenv("VETSHARE_PG_OWNER_DSN")
	name := fmt.Sprintf("vetshare_pgtest_%d_%d", os.Getpid(), dbCounter.Add(1))
	admin, err := pgx.Connect(ctx, owner)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+tmpl); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		admin, err := pgx.Connect(ctx, owner)
		if err != nil {
			tb.Logf("pgtest: dropping the test database %s: %v", name, err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			tb.Logf("pgtest: dropping the test database %s: %v", name, err)
		}
	})
	if appDSN, err = dsnFor(os.Getenv("VETSHARE_PG_DSN"), name); err != nil {
		tb.Fatal(err)
	}
	if ownerDSN, err = dsnFor(owner, name); err != nil {
		tb.Fatal(err)
	}
	return appDSN, ownerDSN
}

// Open returns a store on a new database (see [NewDatabase]), connected as the application
// role, closed when the test ends.
func Open(tb testing.TB, opts ...postgres.Option) *postgres.Store {
	tb.Helper()
	dsn, _ := NewDatabase(tb)
	s, err := postgres.Open(context.Background(), dsn, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}
