package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vetshare/vetshare/internal/cli"
	"github.com/vetshare/vetshare/postgres"
)

// pgDoctor returns the checks of a PostgreSQL store: where SQLite has PRAGMA integrity_check,
// amcheck's bt_index_check on vetshare's indexes (when the extension is installed); where
// SQLite has PRAGMA foreign_key_check, the constraints PostgreSQL has not validated (it enforces
// the rest); the stock, balance and audit checks are the SQLite build's, on vetshare's tables.
func pgDoctor(pool *pgxpool.Pool) func(ctx context.Context, d *cli.Database) []cli.Check {
	return func(ctx context.Context, d *cli.Database) []cli.Check {
		var out []cli.Check
		add := func(name string, ok bool, format string, args ...any) {
			out = append(out, cli.Check{Name: name, OK: ok, Detail: fmt.Sprintf(format, args...)})
		}

		var version int
		if err := pool.QueryRow(ctx, "SELECT version FROM vetshare.schema_version").Scan(&version); err != nil {
			add("schema", false, "cannot read the version: %v", err)
		} else {
			add("schema", version == postgres.SchemaVersion(), "version %d (this vetshare knows %d)", version, postgres.SchemaVersion())
		}

		out = append(out, indexCheck(ctx, pool))

		var unvalidated []string
		if err := each(ctx, pool, `SELECT c.conrelid::regclass::text || ' ' || c.conname FROM pg_constraint c
			JOIN pg_namespace n ON n.oid = c.connamespace
			WHERE n.nspname = 'vetshare' AND NOT c.convalidated ORDER BY 1`, func(r pgx.Rows) error {
			var s string
			err := r.Scan(&s)
			unvalidated = append(unvalidated, s)
			return err
		}); err != nil {
			add("constraints", false, "%v", err)
		} else if len(unvalidated) > 0 {
			add("constraints", false, "%d constraints are NOT VALID (rows from before them are unchecked): %s", len(unvalidated), strings.Join(unvalidated, ", "))
		} else {
			add("constraints", true, "every constraint validated; PostgreSQL enforces the foreign keys")
		}

		var items int
		var bad []string
		if err := each(ctx, pool, `SELECT i.name, i.on_hand, coalesce((SELECT sum(m.quantity) FROM vetshare.stock_movements m
				WHERE m.owner_id = i.owner_id AND m.item_id = i.id), 0)
			FROM vetshare.items i ORDER BY i.owner_id, i.account_id, i.id`, func(r pgx.Rows) error {
			var name string
			var onHand, ledger int64
			if err := r.Scan(&name, &onHand, &ledger); err != nil {
				return err
			}
			items++
			if onHand != ledger {
				bad = append(bad, fmt.Sprintf("%s (%d on hand, ledger %d)", name, onHand, ledger))
			}
			return nil
		}); err != nil {
			add("stock", false, "%v", err)
		} else if len(bad) > 0 {
			add("stock", false, "%d of %d items differ from their ledger: %s", len(bad), items, strings.Join(bad, ", "))
		} else {
			add("stock", true, "%d items, each on hand equal to its ledger", items)
		}

		var balances, badBalances int
		if err := each(ctx, pool, `
			WITH owed AS (SELECT owner_id, account_id, client_id, sum(total - paid) AS outstanding, count(*) AS n
				FROM vetshare.invoices WHERE status = 'open' GROUP BY owner_id, account_id, client_id)
			SELECT coalesce(b.outstanding, 0), coalesce(b.open_invoices, 0), coalesce(o.outstanding, 0), coalesce(o.n, 0)
			FROM vetshare.balances b LEFT JOIN owed o USING (owner_id, account_id, client_id)
			UNION ALL
			SELECT 0, 0, o.outstanding, o.n FROM owed o
			WHERE NOT EXISTS (SELECT 1 FROM vetshare.balances b
				WHERE b.owner_id = o.owner_id AND b.account_id = o.account_id AND b.client_id = o.client_id)`,
			func(r pgx.Rows) error {
				var bo, bn, oo, on int64
				if err := r.Scan(&bo, &bn, &oo, &on); err != nil {
					return err
				}
				balances++
				if bo != oo || bn != on {
					badBalances++
				}
				return nil
			}); err != nil {
			add("balances", false, "%v", err)
		} else if badBalances > 0 {
			add("balances", false, "%d of %d balances differ from their open invoices", badBalances, balances)
		} else {
			add("balances", true, "%d balances, each equal to its open invoices", balances)
		}
		return append(out, cli.AuditChecks(ctx, d)...)
	}
}

// indexCheck runs amcheck's bt_index_check on every B-tree index of vetshare's tables (their
// partitions' indexes: a partitioned index has no pages of its own). Without the extension it
// passes, saying it did not check and how to make it.
func indexCheck(ctx context.Context, pool *pgxpool.Pool) cli.Check {
	var have bool
	if err := pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'amcheck')").Scan(&have); err != nil {
		return cli.Check{Name: "indexes", Detail: err.Error()}
	}
	if !have {
		return cli.Check{Name: "indexes", OK: true, Detail: "not checked: the amcheck extension is not installed (CREATE EXTENSION amcheck, as a superuser, to check them)"}
	}
	var names []string
	if err := each(ctx, pool, `SELECT c.oid::regclass::text FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam
		WHERE n.nspname = 'vetshare' AND c.relkind = 'i' AND am.amname = 'btree' ORDER BY 1`, func(r pgx.Rows) error {
		var s string
		err := r.Scan(&s)
		names = append(names, s)
		return err
	}); err != nil {
		return cli.Check{Name: "indexes", Detail: err.Error()}
	}
	var broken []string
	for _, ix := range names {
		if _, err := pool.Exec(ctx, "SELECT bt_index_check($1::regclass)", ix); err != nil {
			broken = append(broken, fmt.Sprintf("%s (%v)", ix, err))
		}
	}
	if len(broken) > 0 {
		return cli.Check{Name: "indexes", Detail: fmt.Sprintf("%d of %d indexes fail amcheck: %s", len(broken), len(names), strings.Join(broken, "; "))}
	}
	return cli.Check{Name: "indexes", OK: true, Detail: fmt.Sprintf("%d indexes pass amcheck's bt_index_check", len(names))}
}

func each(ctx context.Context, pool *pgxpool.Pool, q string, fn func(pgx.Rows) error) error {
	rows, err := pool.Query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
