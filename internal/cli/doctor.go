package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/sqlite"
)

const doctorHelp = `
Usage:

	vetshare doctor --db FILE [--json]

Checks a database's integrity and prints one line per check:

	schema        the database's schema version is the one this vetshare knows
	integrity     SQLite's PRAGMA integrity_check finds nothing wrong
	foreign keys  PRAGMA foreign_key_check finds no row pointing at nothing
	stock         every item's count on hand equals the sum of its stock ledger
	balances      every client's balance at a clinic equals what its open invoices there ask for
	audit         every owner's audit chain verifies (as an owner or admin of that owner)

On PostgreSQL, instead of integrity and foreign keys (PostgreSQL enforces those):

	indexes       amcheck's bt_index_check passes on vetshare's indexes (if amcheck is installed)
	constraints   no constraint of vetshare's is left NOT VALID

Exit 0: every check passed; 1: a check failed (it says what it found).

Example:

	$ vetshare doctor --db clinic.db
	ok      schema        version 8
	ok      integrity     ok
	ok      foreign keys  no dangling rows
	ok      stock         3 items, each on hand equal to its ledger
	ok      balances      2 balances, each equal to its open invoices
	ok      audit         Riverside Veterinary Group: 12 entries
`

// Check is one of doctor's findings: the check's name, whether it passed, and what it found,
// in words.
type Check struct {
	Name   string `json:"check"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

func runDoctor(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "doctor", doctorHelp, false)
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErr("doctor: unexpected %q", rest[0])
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	checks := db.Doctor(ctx, db)
	ok := true
	for _, c := range checks {
		ok = ok && c.OK
	}
	if f.json {
		if err := emitJSON(e.stdout, map[string]any{"ok": ok, "checks": checks}); err != nil {
			return err
		}
	} else {
		t := newTable(e.stdout)
		for _, c := range checks {
			status := "ok"
			if !c.OK {
				status = "FAILED"
			}
			t.row(status, c.Name, c.Detail)
		}
		t.flush()
	}
	if !ok {
		return silent(exitRefused)
	}
	return nil
}

// sqliteDoctor returns the checks of a SQLite store.
func sqliteDoctor(s *sqlite.Store) func(ctx context.Context, d *Database) []Check {
	return func(ctx context.Context, d *Database) []Check {
		db := s.DB()
		var out []Check
		add := func(name string, ok bool, format string, args ...any) {
			out = append(out, Check{Name: name, OK: ok, Detail: fmt.Sprintf(format, args...)})
		}
		var version int
		if err := db.QueryRowContext(ctx, "SELECT version FROM vetshare_schema").Scan(&version); err != nil {
			add("schema", false, "cannot read the version: %v", err)
		} else {
			add("schema", version == sqlite.SchemaVersion(), "version %d (this vetshare knows %d)", version, sqlite.SchemaVersion())
		}

		var lines []string
		if err := rowsOf(ctx, db, "PRAGMA integrity_check", func(r *sql.Rows) error {
			var s string
			err := r.Scan(&s)
			lines = append(lines, s)
			return err
		}); err != nil {
			add("integrity", false, "%v", err)
		} else {
			add("integrity", len(lines) == 1 && lines[0] == "ok", "%s", strings.Join(lines, "; "))
		}

		var dangling []string
		if err := rowsOf(ctx, db, "PRAGMA foreign_key_check", func(r *sql.Rows) error {
			var table, parent string
			var rowid, fkid sql.NullInt64
			err := r.Scan(&table, &rowid, &parent, &fkid)
			dangling = append(dangling, table+" → "+parent)
			return err
		}); err != nil {
			add("foreign keys", false, "%v", err)
		} else if len(dangling) > 0 {
			add("foreign keys", false, "%d rows point at nothing: %s", len(dangling), strings.Join(dangling, ", "))
		} else {
			add("foreign keys", true, "no dangling rows")
		}

		var items, badItems int
		var badNames []string
		if err := rowsOf(ctx, db, `SELECT i.name, i.on_hand, coalesce((SELECT sum(quantity) FROM vetshare_stock_movements m WHERE m.item_id = i.id), 0)
			FROM vetshare_items i ORDER BY i.account_id, i.id`, func(r *sql.Rows) error {
			var name string
			var onHand, ledger int64
			if err := r.Scan(&name, &onHand, &ledger); err != nil {
				return err
			}
			items++
			if onHand != ledger {
				badItems++
				badNames = append(badNames, fmt.Sprintf("%s (%d on hand, ledger %d)", name, onHand, ledger))
			}
			return nil
		}); err != nil {
			add("stock", false, "%v", err)
		} else if badItems > 0 {
			add("stock", false, "%d of %d items differ from their ledger: %s", badItems, items, strings.Join(badNames, ", "))
		} else {
			add("stock", true, "%d items, each on hand equal to its ledger", items)
		}

		var balances, badBalances int
		if err := rowsOf(ctx, db, `
			WITH owed AS (SELECT account_id, client_id, sum(total - paid) AS outstanding, count(*) AS n
				FROM vetshare_invoices WHERE status = 'open' GROUP BY account_id, client_id)
			SELECT coalesce(b.outstanding, 0), coalesce(b.open_invoices, 0), coalesce(o.outstanding, 0), coalesce(o.n, 0)
			FROM vetshare_balances b LEFT JOIN owed o USING (account_id, client_id)
			UNION ALL
			SELECT 0, 0, o.outstanding, o.n FROM owed o
			WHERE NOT EXISTS (SELECT 1 FROM vetshare_balances b WHERE b.account_id = o.account_id AND b.client_id = o.client_id)`,
			func(r *sql.Rows) error {
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
		return append(out, AuditChecks(ctx, d)...)
	}
}

// AuditChecks verifies every owner's chain, read as an active owner or admin of one of the
// owner's clinics (R10.3; [Directory] AuditReader finds one): the library checks the reader
// even here. An owner nobody may read is said so, and passes.
func AuditChecks(ctx context.Context, d *Database) []Check {
	owners, err := d.Directory.Owners(ctx)
	if err != nil {
		return []Check{{Name: "audit", Detail: err.Error()}}
	}
	var out []Check
	for _, o := range owners {
		actor, err := d.Directory.AuditReader(ctx, o.ID)
		if errors.Is(err, vetshare.ErrNotFound) {
			out = append(out, Check{Name: "audit", OK: true, Detail: o.Name + ": not checked, no active owner or admin may read it"})
			continue
		} else if err != nil {
			out = append(out, Check{Name: "audit", Detail: o.Name + ": " + err.Error()})
			continue
		}
		var n int64
		err = d.Store.View(ctx, func(tx *vetshare.Tx) error {
			var err error
			n, err = audit.Verify(ctx, tx, actor)
			return err
		})
		if err != nil {
			out = append(out, Check{Name: "audit", Detail: fmt.Sprintf("%s: broken after %d entries: %v", o.Name, n, err)})
			continue
		}
		out = append(out, Check{Name: "audit", OK: true, Detail: fmt.Sprintf("%s: %d entries", o.Name, n)})
	}
	return out
}

// AuditReader finds the owner's first active owner (else admin) with an active membership.
func (d sqlDirectory) AuditReader(ctx context.Context, owner vetshare.OwnerID) (vetshare.Actor, error) {
	var actor vetshare.Actor
	err := d.db.QueryRowContext(ctx, `SELECT m.user_id, m.account_id FROM vetshare_memberships m
		JOIN vetshare_accounts a ON a.id = m.account_id JOIN vetshare_users u ON u.id = m.user_id
		WHERE a.owner_id = ? AND m.active AND u.active AND m.role IN ('owner', 'admin')
		ORDER BY m.role = 'owner' DESC, m.user_id LIMIT 1`, owner).Scan(&actor.User, &actor.Account)
	if errors.Is(err, sql.ErrNoRows) {
		return actor, vetshare.NotFound("audit reader", owner)
	}
	return actor, err
}

func rowsOf(ctx context.Context, db *sql.DB, q string, fn func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, q)
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
