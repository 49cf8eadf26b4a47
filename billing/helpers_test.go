package billing_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/internal/fixture"
)

var ctx = context.Background()

// group returns a fixture of n accounts in an automatic share group and a client created at
// account 0, shared with every account.
func group(tb testing.TB, n int) (*fixture.Fixture, vetshare.Client) {
	tb.Helper()
	f := fixture.New(tb, fixture.Options{Accounts: n, Mode: vetshare.ModeAutomatic})
	c, _ := f.Client(tb, 0, "Rogers", "Shaggy")
	return f, c
}

// issue creates an invoice at account i for the client with one line per amount.
func issue(tb testing.TB, f *fixture.Fixture, i int, client vetshare.ClientID, amounts ...int64) vetshare.Invoice {
	tb.Helper()
	var inv vetshare.Invoice
	f.Update(tb, func(tx *vetshare.Tx) error {
		var err error
		inv, err = billing.CreateInvoice(ctx, tx, f.Actor(i), vetshare.Invoice{ClientID: client, Lines: lines(amounts...)})
		return err
	})
	return inv
}

func lines(amounts ...int64) []vetshare.InvoiceLine {
	out := make([]vetshare.InvoiceLine, len(amounts))
	for i, a := range amounts {
		out[i] = vetshare.InvoiceLine{Description: "Exam " + strconv.Itoa(i+1), Quantity: 1, UnitPrice: a}
	}
	return out
}

var keys atomic.Int64

// key returns a new idempotency key.
func key() string { return "key-" + strconv.FormatInt(keys.Add(1), 10) }

// pay records a payment from account i in its own transaction.
func pay(f *fixture.Fixture, actor vetshare.Actor, req billing.PaymentRequest) (vetshare.Payment, error) {
	var p vetshare.Payment
	err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
		var err error
		p, err = billing.RecordPayment(ctx, tx, actor, req)
		return err
	})
	return p, err
}

func usd(n int64) vetshare.Money { return vetshare.Money{Amount: n, Currency: "USD"} }

// balance returns the client's balance at account i.
func balance(tb testing.TB, f *fixture.Fixture, i int, client vetshare.ClientID) vetshare.Balance {
	tb.Helper()
	var b vetshare.Balance
	f.View(tb, func(tx *vetshare.Tx) error {
		var err error
		b, err = billing.Balance(ctx, tx, f.Actor(i), client)
		return err
	})
	return b
}

// state is what the billing tables hold, to show that a refused call changed nothing.
type state struct {
	Invoices, Lines, Payments, Audit int64
	Paid, Outstanding, Open          int64
	Statuses                         string
}

func snapshot(tb testing.TB, f *fixture.Fixture) state {
	tb.Helper()
	var s state
	err := f.RequireSQLite(tb).DB().QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM vetshare_invoices), (SELECT count(*) FROM vetshare_invoice_lines), (SELECT count(*) FROM vetshare_payments),
		(SELECT count(*) FROM vetshare_audit_log), (SELECT coalesce(sum(paid), 0) FROM vetshare_invoices),
		(SELECT coalesce(sum(outstanding), 0) FROM vetshare_balances), (SELECT coalesce(sum(open_invoices), 0) FROM vetshare_balances),
		(SELECT coalesce(group_concat(status, ','), '') FROM (SELECT status FROM vetshare_invoices ORDER BY id))`).
		Scan(&s.Invoices, &s.Lines, &s.Payments, &s.Audit, &s.Paid, &s.Outstanding, &s.Open, &s.Statuses)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
