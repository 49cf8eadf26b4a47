package reliability_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/audit"
)

// hashRows hashes every row that query(table) returns for each table, in order.
func hashRows(tb testing.TB, db *sql.DB, tables []string, query func(table string) string) string {
	tb.Helper()
	h := sha256.New()
	for _, tbl := range tables {
		rs, err := db.Query(query(tbl))
		if err != nil {
			tb.Fatal(err)
		}
		cols, _ := rs.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rs.Next() {
			if err := rs.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			fmt.Fprintf(h, "%s%v\n", tbl, vals)
		}
		if err := rs.Close(); err != nil {
			tb.Fatal(err)
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// column returns the first column of every row of the query, as T.
func column[T any](tb testing.TB, db *sql.DB, query string, args ...any) []T {
	tb.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			tb.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// invariants are queries that return a row for each thing half done or out of balance; each
// must return none, whatever failed and wherever.
var invariants = []struct{ name, query string }{
	{"R5.4: an item's count on hand is the sum of its stock ledger", `
		SELECT i.id || ' has ' || i.on_hand || ', its ledger ' || COALESCE((SELECT SUM(m.quantity) FROM vetshare_stock_movements m WHERE m.item_id = i.id), 0)
		FROM vetshare_items i
		WHERE i.on_hand <> COALESCE((SELECT SUM(m.quantity) FROM vetshare_stock_movements m WHERE m.item_id = i.id), 0)`},
	{"R5.4: an item's ledger is numbered 1, 2, 3, ... without a gap", `
		SELECT item_id FROM vetshare_stock_movements GROUP BY item_id HAVING MAX(seq) <> COUNT(*) OR MIN(seq) <> 1`},
	{"R5.4: a usage of a tracked item has moved its stock", `
		SELECT r.id FROM vetshare_records r JOIN vetshare_items i ON i.id = r.item_id
		WHERE r.kind = 'usage' AND i.tracked
		AND NOT EXISTS (SELECT 1 FROM vetshare_stock_movements m WHERE m.record_id = r.id AND m.kind = 'used' AND m.quantity = -r.quantity)`},
	{"R5.3: a removed usage of a tracked item has returned its stock", `
		SELECT r.id FROM vetshare_records r JOIN vetshare_items i ON i.id = r.item_id
		WHERE r.kind = 'usage' AND i.tracked AND r.removed_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM vetshare_stock_movements m WHERE m.record_id = r.id AND m.kind = 'returned' AND m.quantity = r.quantity)`},
	{"R7.1: a usage has scheduled one reminder per rule of its item", `
		SELECT r.id FROM vetshare_records r JOIN vetshare_items i ON i.id = r.item_id
		WHERE r.kind = 'usage' AND (SELECT COUNT(*) FROM vetshare_reminders m WHERE m.usage_id = r.id) <> json_array_length(i.reminders)`},
	{"R7.8: a removed usage has no open reminder", `
		SELECT m.id FROM vetshare_reminders m JOIN vetshare_records r ON r.id = m.usage_id
		WHERE r.removed_at IS NOT NULL AND m.status = 'open'`},
	{"R7.4: a completed reminder names the usage that completed it", `
		SELECT id FROM vetshare_reminders WHERE (status = 'completed') <> (completed_by IS NOT NULL AND completed_at IS NOT NULL)`},
	{"R4.6: an invoice's paid is the sum of its payments", `
		SELECT v.id FROM vetshare_invoices v
		WHERE v.paid <> COALESCE((SELECT SUM(p.amount) FROM vetshare_payments p WHERE p.invoice_id = v.id), 0)`},
	{"R4.6: an invoice's total is the sum of its lines", `
		SELECT v.id FROM vetshare_invoices v
		WHERE v.total <> (SELECT COALESCE(SUM(l.amount), 0) FROM vetshare_invoice_lines l WHERE l.invoice_id = v.id)`},
	{"R4.2: a balance is what the client's open invoices there still ask for", `
		SELECT b.account_id || '/' || b.client_id FROM vetshare_balances b
		WHERE b.outstanding <> COALESCE((SELECT SUM(v.total - v.paid) FROM vetshare_invoices v WHERE v.account_id = b.account_id AND v.client_id = b.client_id AND v.status = 'open'), 0)
		OR b.open_invoices <> (SELECT COUNT(*) FROM vetshare_invoices v WHERE v.account_id = b.account_id AND v.client_id = b.client_id AND v.status = 'open')`},
	{"R4.2: an open invoice counts in a balance", `
		SELECT v.id FROM vetshare_invoices v WHERE v.status = 'open'
		AND NOT EXISTS (SELECT 1 FROM vetshare_balances b WHERE b.account_id = v.account_id AND b.client_id = v.client_id)`},
	{"R2.5: a client has its entry at the account it was created in", `
		SELECT c.id FROM vetshare_clients c
		WHERE NOT EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.client_id = c.id AND e.account_id = c.origin_account)`},
	{"R2.1: a client created in an automatic group has an entry in every member of that moment", `
		SELECT c.id || ' lacks ' || m.account_id FROM vetshare_clients c
		JOIN vetshare_group_members mo ON mo.account_id = c.origin_account AND mo.joined_at <= c.created_at AND (mo.left_at IS NULL OR mo.left_at > c.created_at)
		JOIN vetshare_share_groups g ON g.id = mo.group_id AND g.mode = 'automatic'
		JOIN vetshare_group_members m ON m.group_id = g.id AND m.joined_at <= c.created_at AND (m.left_at IS NULL OR m.left_at > c.created_at)
		WHERE NOT EXISTS (SELECT 1 FROM vetshare_client_entries e WHERE e.account_id = m.account_id AND e.client_id = c.id)`},
	{"R1.6: an account is in at most one group at a time", `
		SELECT account_id FROM vetshare_group_members WHERE left_at IS NULL GROUP BY account_id HAVING COUNT(*) > 1`},
	{"R10.2: an owner's audit chain is numbered 1, 2, 3, ... without a gap", `
		SELECT owner_id FROM vetshare_audit_log GROUP BY owner_id HAVING MAX(seq) <> COUNT(*) OR MIN(seq) <> 1`},
}

// checkDatabase runs the engine's integrity checks (SQLite's integrity and foreign-key checks;
// on PostgreSQL, that every constraint is validated) and every invariant on db, which reads
// every owner's rows, and verifies the audit chain of every owner with an admin actor of each
// (R10.2); it reports every failure, not only the first.
func checkDatabase(tb testing.TB, s vetshare.Store, db *sql.DB) {
	tb.Helper()
	integrity(tb, db)
	for _, inv := range invariants {
		if bad := column[string](tb, db, sq(inv.query)); len(bad) > 0 {
			tb.Errorf("%s: broken for %d: %.5q", inv.name, len(bad), bad)
		}
	}
	verifyAudit(tb, s, db)
}

// verifyAudit verifies the audit chain of every owner with audit.Verify, as an active admin of
// one of its accounts.
func verifyAudit(tb testing.TB, s vetshare.Store, db *sql.DB) {
	tb.Helper()
	type reader struct {
		owner vetshare.OwnerID
		actor vetshare.Actor
	}
	var readers []reader
	// The first admin membership of each owner, by account id (portable SQL: no bare column
	// beside an aggregate, which SQLite allows and PostgreSQL does not).
	rows, err := db.Query(sq(`SELECT a.owner_id, m.user_id, m.account_id FROM vetshare_accounts a
		JOIN vetshare_memberships m ON m.account_id = a.id AND m.active AND m.role IN ('owner', 'admin')
		ORDER BY a.owner_id, m.account_id, m.user_id`))
	if err != nil {
		tb.Fatal(err)
	}
	for rows.Next() {
		var r reader
		if err := rows.Scan(&r.owner, &r.actor.User, &r.actor.Account); err != nil {
			tb.Fatal(err)
		}
		if len(readers) == 0 || readers[len(readers)-1].owner != r.owner {
			readers = append(readers, r)
		}
	}
	rows.Close()
	err = s.View(context.Background(), func(tx *vetshare.Tx) error {
		for _, r := range readers {
			n, err := audit.Verify(context.Background(), tx, r.actor)
			if err != nil {
				tb.Errorf("R10.2: audit chain of owner %s after %d entries: %v", r.owner, n, err)
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}
