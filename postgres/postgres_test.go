package postgres_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/postgres"
	"github.com/vetshare/vetshare/storetest"
)

// The tests need a PostgreSQL server: VETSHARE_PG_DSN connects as the application role (not
// the tables' owner, not BYPASSRLS) and VETSHARE_PG_OWNER_DSN as a role that may create
// databases and owns what it creates. .ci/postgres starts one and prints both.
var (
	appDSN   = os.Getenv("VETSHARE_PG_DSN")
	ownerDSN = os.Getenv("VETSHARE_PG_OWNER_DSN")
)

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
	dbCounter    atomic.Int64
)

func skipWithoutPG(tb testing.TB) {
	tb.Helper()
	if appDSN == "" || ownerDSN == "" {
		tb.Skip("SKIPPED: no PostgreSQL: set VETSHARE_PG_DSN and VETSHARE_PG_OWNER_DSN (eval \"$(.ci/postgres start)\") to run the PostgreSQL store's tests")
	}
}

// dsnFor returns dsn connecting to database db instead.
func dsnFor(tb testing.TB, dsn, db string) string {
	tb.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable", cfg.Host, cfg.Port, cfg.User, db)
}

// template makes, once per test binary, a database migrated by the owner role with the
// application role granted what it needs; each test's database is a copy of it.
func template(tb testing.TB) string {
	templateOnce.Do(func() {
		ctx := context.Background()
		templateName = fmt.Sprintf("vetshare_tmpl_%d", os.Getpid())
		admin, err := pgx.Connect(ctx, ownerDSN)
		if err != nil {
			templateErr = err
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+templateName); err != nil {
			templateErr = err
			return
		}
		s, err := postgres.Open(ctx, dsnFor(tb, ownerDSN, templateName))
		if err != nil {
			templateErr = err
			return
		}
		defer s.Close()
		app, err := pgx.ParseConfig(appDSN)
		if err != nil {
			templateErr = err
			return
		}
		role := pgx.Identifier{app.User}.Sanitize()
		for _, q := range []string{
			"GRANT USAGE ON SCHEMA vetshare TO " + role,
			"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA vetshare TO " + role,
			"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA vetshare TO " + role,
			"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA vetshare TO " + role,
		} {
			if _, err := s.Pool().Exec(ctx, q); err != nil {
				templateErr = err
				return
			}
		}
	})
	if templateErr != nil {
		tb.Fatal(templateErr)
	}
	return templateName
}

// newDB returns the name of a new database, a copy of the migrated template, dropped when the
// test ends.
func newDB(tb testing.TB) string {
	tb.Helper()
	tmpl := template(tb)
	ctx := context.Background()
	name := fmt.Sprintf("vetshare_t_%d_%d", os.Getpid(), dbCounter.Add(1))
	admin, err := pgx.Connect(ctx, ownerDSN)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+tmpl); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		admin, err := pgx.Connect(ctx, ownerDSN)
		if err != nil {
			tb.Error(err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			tb.Logf("dropping the test database %s: %v", name, err)
		}
	})
	return name
}

// MustOpen returns a store on a new database, connected as the application role.
func MustOpen(tb testing.TB, opts ...postgres.Option) *postgres.Store {
	tb.Helper()
	skipWithoutPG(tb)
	s, err := postgres.Open(context.Background(), dsnFor(tb, appDSN, newDB(tb)), opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	skipWithoutPG(t)
	storetest.Run(t, func(t *testing.T) vetshare.Store { return MustOpen(t) })
}
