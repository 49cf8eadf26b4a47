package billing_test

import (
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/sqlite"
)

// BenchmarkRecordPayment records a counter payment through billing.RecordPayment, each in its
// own transaction, and, interleaved in the same run, the same rows written by plain SQL in a
// transaction of their own: insert the payment, add it to the invoice, take it off the balance.
// The plain SQL writes to copies of the three tables with the same columns, keys and indexes
// but without the triggers that keep the balances, which would apply it twice. It reports both
// times per payment and their ratio (x-baseline).
func BenchmarkRecordPayment(b *testing.B) {
	f, c := group(b, 2)
	big := []int64{vetshare.MaxAmount} // never paid off, whatever b.N
	viaOp, viaSQL := issue(b, f, 0, c.ID, big...), issue(b, f, 0, c.ID, big...)
	db := f.RequireSQLite(b).DB()
	plainTables(b, db, viaSQL.ID)
	prep := func(q string) *sql.Stmt {
		st, err := db.Prepare(q)
		if err != nil {
			b.Fatal(err)
		}
		return st
	}
	insert := prep(`INSERT INTO plain_payments (id, owner_id, key, account_id, invoice_id, client_id, channel, amount, currency,
		taken_at, user_id, method, reference, created_at) VALUES (?, ?, ?, ?, ?, ?, 'counter', 1, 'USD', ?, ?, 'cash', '', ?)`)
	paid := prep(`UPDATE plain_invoices SET paid = paid + 1 WHERE id = ?`)
	balance := prep(`UPDATE plain_balances SET outstanding = outstanding - 1 WHERE account_id = ? AND client_id = ?`)
	actor, acct := f.Actor(0), f.Accounts[0].ID
	plain := func(i int) {
		now := f.Clock.Now() // ids from the store's clock, so that both insert at the same end of the tree
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		_, err = tx.Stmt(insert).Exec(vetshare.NewID[vetshare.PaymentID](now), f.Owner.ID, "sql-"+strconv.Itoa(i), acct, viaSQL.ID,
			c.ID, acct, f.Admin.ID, now.UnixMicro())
		if err == nil {
			_, err = tx.Stmt(paid).Exec(viaSQL.ID)
		}
		if err == nil {
			_, err = tx.Stmt(balance).Exec(acct, c.ID)
		}
		if err == nil {
			err = tx.Commit()
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	op := func(i int) {
		if _, err := pay(f, actor, billing.PaymentRequest{Key: "op-" + strconv.Itoa(i), Invoice: viaOp.ID, Amount: usd(1),
			Channel: vetshare.ChannelCounter, Method: "cash"}); err != nil {
			b.Fatal(err)
		}
	}
	var ops, sqls []time.Duration
	i := 0
	for b.Loop() {
		i++
		// Alternate which goes first, so that neither always pays for the WAL checkpoint the
		// other's commit made due.
		first, second, t1, t2 := op, plain, &ops, &sqls
		if i%2 == 0 {
			first, second, t1, t2 = plain, op, &sqls, &ops
		}
		start := time.Now()
		first(i)
		mid := time.Now()
		second(i)
		*t1, *t2 = append(*t1, mid.Sub(start)), append(*t2, time.Since(mid))
	}
	reportRatio(b, ops, sqls, "payment")
}

// plainTables makes plain_invoices, plain_payments and plain_balances: copies of the tables
// with their keys and indexes but without triggers, holding the invoice id and its balance.
func plainTables(b *testing.B, db *sql.DB, id vetshare.InvoiceID) {
	rows, err := db.Query(`SELECT sql FROM sqlite_schema WHERE tbl_name IN ('vetshare_invoices', 'vetshare_payments', 'vetshare_balances')
		AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC, tbl_name`)
	if err != nil {
		b.Fatal(err)
	}
	var ddl []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			b.Fatal(err)
		}
		ddl = append(ddl, s)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	rename := strings.NewReplacer(
		"TABLE vetshare_invoices", "TABLE plain_invoices", "TABLE vetshare_payments", "TABLE plain_payments", "TABLE vetshare_balances", "TABLE plain_balances",
		"ON vetshare_invoices", "ON plain_invoices", "ON vetshare_payments", "ON plain_payments", "REFERENCES vetshare_invoices", "REFERENCES plain_invoices",
		"INDEX invoices_", "INDEX plain_invoices_", "INDEX payments_", "INDEX plain_payments_",
		"INDEX vetshare_invoices_", "INDEX plain_invoices_", "INDEX vetshare_payments_", "INDEX plain_payments_",
		"INDEX vetshare_balances_", "INDEX plain_balances_")
	for _, s := range append(ddl,
		`INSERT INTO plain_invoices SELECT * FROM vetshare_invoices WHERE id = '`+string(id)+`'`,
		`INSERT INTO plain_balances SELECT * FROM vetshare_balances`) {
		if _, err := db.Exec(rename.Replace(s)); err != nil {
			b.Fatalf("%s: %v", s, err)
		}
	}
}

// reportRatio reports the mean times of the operation and of its plain-SQL baseline, the ratio
// of the means (x-baseline) and the ratio of the medians (x-baseline-p50), which the occasional
// WAL checkpoint does not sway.
func reportRatio(b *testing.B, ops, sqls []time.Duration, unit string) {
	mean := func(d []time.Duration) float64 {
		var sum time.Duration
		for _, x := range d {
			sum += x
		}
		return float64(sum.Nanoseconds()) / float64(len(d))
	}
	median := func(d []time.Duration) float64 {
		d = slices.Clone(d)
		slices.Sort(d)
		return float64(d[len(d)/2].Nanoseconds())
	}
	b.ReportMetric(mean(ops), "op-ns/"+unit)
	b.ReportMetric(mean(sqls), "sql-ns/"+unit)
	b.ReportMetric(mean(ops)/mean(sqls), "x-baseline")
	b.ReportMetric(median(ops)/median(sqls), "x-baseline-p50")
}

// BenchmarkLocationBalances reads the cross-location balance view of a client shared by 10
// accounts with 1,000 invoices at each, from one of them. The baseline, in the same run, adds
// up the same balances from the invoices table by plain SQL, which is what the view would cost
// without the balances table.
func BenchmarkLocationBalances(b *testing.B) {
	const accounts, perAccount = 10, 1000
	f, c := group(b, accounts)
	for i := range accounts {
		f.Update(b, func(tx *vetshare.Tx) error {
			for n := range perAccount {
				inv := vetshare.Invoice{ID: vetshare.NewID[vetshare.InvoiceID](tx.Now()), AccountID: f.Accounts[i].ID, ClientID: c.ID,
					Status: vetshare.InvoiceOpen, Currency: "USD", Total: int64(1000 + n), CreatedBy: f.Admin.ID, IssuedAt: tx.Now(),
					Lines: []vetshare.InvoiceLine{{Description: "Exam", Quantity: 1, UnitPrice: int64(1000 + n), Amount: int64(1000 + n)}}}
				if err := txn.D(tx).InsertInvoice(ctx, &inv); err != nil {
					return err
				}
				if n%2 == 0 { // half of them paid in full
					err := txn.D(tx).InsertPayment(ctx, vetshare.Payment{ID: vetshare.NewID[vetshare.PaymentID](tx.Now()), Key: string(inv.ID),
						AccountID: inv.AccountID, InvoiceID: inv.ID, ClientID: c.ID, Channel: vetshare.ChannelCounter, Amount: inv.Total,
						Currency: "USD", TakenAt: inv.AccountID, UserID: f.Admin.ID, CreatedAt: tx.Now()})
					if err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	read, err := sql.Open("sqlite", sqlite.DSN(f.Path, false))
	if err != nil {
		b.Fatal(err)
	}
	defer read.Close()
	sum, err := read.Prepare(`SELECT e.account_id, a.name, e.number, a.currency,
		coalesce(sum(i.total - i.paid), 0), count(i.id)
		FROM vetshare_client_entries e JOIN vetshare_accounts a ON a.id = e.account_id
		LEFT JOIN vetshare_invoices i ON i.account_id = e.account_id AND i.client_id = e.client_id AND i.status = 'open'
		WHERE e.client_id = ? AND e.account_id <> ? GROUP BY e.account_id ORDER BY a.name`)
	if err != nil {
		b.Fatal(err)
	}
	baseline := func() []vetshare.LocationBalance {
		tx, err := read.Begin()
		if err != nil {
			b.Fatal(err)
		}
		defer tx.Rollback()
		rows, err := tx.Stmt(sum).Query(c.ID, f.Accounts[0].ID)
		if err != nil {
			b.Fatal(err)
		}
		var out []vetshare.LocationBalance
		for rows.Next() {
			var lb vetshare.LocationBalance
			if err := rows.Scan(&lb.Ref.AccountID, &lb.Ref.AccountName, &lb.Ref.Number, &lb.Outstanding.Currency,
				&lb.Outstanding.Amount, &lb.OpenInvoices); err != nil {
				b.Fatal(err)
			}
			out = append(out, lb)
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
		return out
	}
	var ops, sqls []time.Duration
	for b.Loop() {
		start := time.Now()
		var view []vetshare.LocationBalance
		f.View(b, func(tx *vetshare.Tx) (err error) {
			view, err = billing.LocationBalances(ctx, tx, f.Actor(0), c.ID)
			return err
		})
		mid := time.Now()
		base := baseline()
		ops, sqls = append(ops, mid.Sub(start)), append(sqls, time.Since(mid))
		if len(view) != accounts-1 || len(base) != accounts-1 || view[0].Outstanding != base[0].Outstanding || view[0].OpenInvoices != perAccount/2 {
			b.Fatalf("view %v, baseline %v", view, base)
		}
	}
	reportRatio(b, ops, sqls, "view")
}
