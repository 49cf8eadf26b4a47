package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Row-level security alone, with no owner filter in the statement, lets nothing of another
// owner through: statements without a WHERE on owner_id, run as the application role in a
// transaction whose vetshare.owner is owner A, see A's rows only and cannot write B's.
func TestRowLevelSecurityAlone(t *testing.T) {
	s := MustOpen(t)
	a, b := newWorld(t, s), newWorld(t, s)
	ctx := context.Background()
	for _, w := range []world{a, b} {
		tx, err := s.Pool().Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		vt, err := s.Tx(ctx, tx)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.addClient(ctx, vt, "Client"); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	tables := []string{"owners", "accounts", "clients", "client_entries", "counters"}
	err := pgx.BeginFunc(ctx, s.Pool(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('vetshare.owner', $1, true)", string(a.owner)); err != nil {
			return err
		}
		for _, table := range tables {
			var owners []string
			rows, err := tx.Query(ctx, "SELECT DISTINCT owner_id FROM vetshare."+table)
			if err != nil {
				return err
			}
			if owners, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
				return err
			}
			if len(owners) != 1 || owners[0] != string(a.owner) {
				t.Errorf("%s without a filter, as owner A: owners %v; want A's only", table, owners)
			}
		}
		_, err := tx.Exec(ctx, "SAVEPOINT s")
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "INSERT INTO vetshare.share_groups (owner_id, id, mode, created_at) VALUES ($1, 'g', 'full', 0)", string(b.owner))
		if err == nil {
			t.Error("a row of owner B was written in a transaction of owner A")
		}
		_, err = tx.Exec(ctx, "ROLLBACK TO SAVEPOINT s")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// With no owner set, nothing at all is seen.
	var n int
	if err := s.Pool().QueryRow(ctx, "SELECT count(*) FROM vetshare.clients").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("clients seen without vetshare.owner set: %d, want 0", n)
	}
}
