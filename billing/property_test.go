package billing_test

import (
	"errors"
	"testing"

	"pgregory.net/rapid"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/internal/fixture"
)

// modelInvoice is what the property test expects of an invoice.
type modelInvoice struct {
	id          vetshare.InvoiceID
	account     int
	total, paid int64
	void        bool
}

func (m modelInvoice) outstanding() int64 {
	if m.void {
		return 0
	}
	return m.total - m.paid
}

// R4.2, R4.4, R4.5, R4.6: random invoices, payments through both channels and voids across the
// accounts of a group. After every step each account's balance equals its invoices minus its
// payments, no payment is booked at an account other than its invoice's, and no outstanding
// amount is negative; each refusal is the one the rules predict, and changes nothing.
func TestR4_PropertyBalancesAcrossGroup(t *testing.T) {
	fixture.SkipOnPostgres(t, "it checks the balances with SQL on SQLite's tables")
	const accounts = 3
	f := fixture.New(t, fixture.Options{Accounts: accounts, Mode: vetshare.ModeAutomatic})
	rapid.Check(t, func(rt *rapid.T) {
		c, _ := f.Client(t, rapid.IntRange(0, accounts-1).Draw(rt, "home"), "Rogers", "Shaggy")
		var invoices []modelInvoice
		type sent struct {
			req   billing.PaymentRequest
			actor vetshare.Actor
			id    vetshare.PaymentID
		}
		var payments []sent
		steps := rapid.IntRange(1, 25).Draw(rt, "steps")
		for range steps {
			switch action := rapid.SampledFrom([]string{"invoice", "pay", "pay", "retry", "void"}).Draw(rt, "action"); {
			case action == "invoice" || len(invoices) == 0:
				i := rapid.IntRange(0, accounts-1).Draw(rt, "account")
				amounts := rapid.SliceOfN(rapid.Int64Range(1, 100_000), 1, 3).Draw(rt, "amounts")
				inv := issue(t, f, i, c.ID, amounts...)
				invoices = append(invoices, modelInvoice{id: inv.ID, account: i, total: inv.Total})
			case action == "pay":
				k := rapid.IntRange(0, len(invoices)-1).Draw(rt, "invoice")
				m := &invoices[k]
				from := rapid.IntRange(0, accounts-1).Draw(rt, "from")
				channel := rapid.SampledFrom([]vetshare.Channel{vetshare.ChannelCounter, vetshare.ChannelApp}).Draw(rt, "channel")
				amount := rapid.OneOf(
					rapid.Int64Range(1, max(1, m.outstanding())),
					rapid.Int64Range(m.outstanding(), m.outstanding()+1),
					rapid.Int64Range(-5, 0),
				).Draw(rt, "amount")
				req := billing.PaymentRequest{Key: key(), Invoice: m.id, Amount: usd(amount), Channel: channel}
				before := snapshot(t, f)
				p, err := pay(f, f.Actor(from), req)
				var want error
				switch {
				case amount <= 0:
					want = vetshare.ErrInvalid
				case channel == vetshare.ChannelCounter && from != m.account:
					want = &billing.CounterError{Invoice: m.id, Counter: f.Accounts[from].ID, InvoiceAccount: f.Accounts[m.account].ID,
						CounterName: f.Accounts[from].Name, InvoiceAccountName: f.Accounts[m.account].Name}
				case m.void || m.paid == m.total:
					want = vetshare.ErrInvalid
				case amount > m.outstanding():
					want = vetshare.ErrInvalid
				}
				switch want := want.(type) {
				case nil:
					if err != nil {
						rt.Fatalf("paying %d of %d outstanding from %d by %s: %v", amount, m.outstanding(), from, channel, err)
					}
					m.paid += amount
					if p.AccountID != f.Accounts[m.account].ID || p.TakenAt != f.Accounts[from].ID {
						rt.Fatalf("payment booked at %s taken at %s; want %s, %s", p.AccountID, p.TakenAt, f.Accounts[m.account].ID, f.Accounts[from].ID)
					}
					payments = append(payments, sent{req, f.Actor(from), p.ID})
				case *billing.CounterError:
					var ce *billing.CounterError
					if !errors.As(err, &ce) || *ce != *want {
						rt.Fatalf("err = %v, want %v", err, want)
					}
				default:
					if !errors.Is(err, want) {
						rt.Fatalf("paying %d of %d outstanding (void %v): err = %v, want %v", amount, m.outstanding(), m.void, err, want)
					}
				}
				if err != nil && snapshot(t, f) != before {
					rt.Fatalf("a refused payment changed the tables")
				}
			case action == "retry":
				if len(payments) == 0 {
					continue
				}
				s := payments[rapid.IntRange(0, len(payments)-1).Draw(rt, "payment")]
				before := snapshot(t, f)
				p, err := pay(f, s.actor, s.req)
				if err != nil || p.ID != s.id {
					rt.Fatalf("retry: payment %s, %v; want %s", p.ID, err, s.id)
				}
				if snapshot(t, f) != before {
					rt.Fatalf("a retry changed the tables")
				}
			case action == "void":
				k := rapid.IntRange(0, len(invoices)-1).Draw(rt, "invoice")
				m := &invoices[k]
				err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
					_, err := billing.VoidInvoice(ctx, tx, f.Actor(m.account), m.id)
					return err
				})
				if ok := !m.void && m.paid == 0; ok != (err == nil) {
					rt.Fatalf("void of invoice (paid %d, void %v): %v", m.paid, m.void, err)
				}
				if err == nil {
					m.void = true
				}
			}
			checkBalances(rt, f, c.ID, invoices)
		}
	})
}

// checkBalances checks the invariants after a step.
func checkBalances(rt *rapid.T, f *fixture.Fixture, client vetshare.ClientID, invoices []modelInvoice) {
	for i := range f.Accounts {
		var want int64
		for _, m := range invoices {
			if m.outstanding() < 0 {
				rt.Fatalf("invoice %s has %d outstanding", m.id, m.outstanding())
			}
			if m.account == i {
				want += m.outstanding()
			}
		}
		var b vetshare.Balance
		var invoiced, paid int64
		err := f.Store.View(ctx, func(tx *vetshare.Tx) error {
			var err error
			b, err = billing.Balance(ctx, tx, f.Actor(i), client)
			return err
		})
		if err == nil {
			err = f.RequireSQLite(rt).DB().QueryRowContext(ctx, `SELECT
				(SELECT coalesce(sum(total), 0) FROM vetshare_invoices WHERE account_id = ?1 AND client_id = ?2 AND status <> 'void'),
				(SELECT coalesce(sum(amount), 0) FROM vetshare_payments WHERE account_id = ?1 AND client_id = ?2)`,
				f.Accounts[i].ID, client).Scan(&invoiced, &paid)
		}
		if err != nil {
			rt.Fatal(err)
		}
		if b.Outstanding.Amount != want || b.Outstanding.Amount != invoiced-paid || b.Outstanding.Currency != "USD" {
			rt.Fatalf("balance at account %d = %v; model %d, invoices %d - payments %d", i, b.Outstanding, want, invoiced, paid)
		}
	}
	var misbooked, negative int
	err := f.RequireSQLite(rt).DB().QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM vetshare_payments p JOIN vetshare_invoices i ON i.id = p.invoice_id
			WHERE p.account_id <> i.account_id OR p.client_id <> i.client_id OR (p.channel = 'counter' AND p.taken_at <> p.account_id)),
		(SELECT count(*) FROM vetshare_invoices WHERE paid > total OR paid < 0
			OR paid <> (SELECT coalesce(sum(amount), 0) FROM vetshare_payments WHERE invoice_id = vetshare_invoices.id))`).Scan(&misbooked, &negative)
	if err != nil {
		rt.Fatal(err)
	}
	if misbooked != 0 || negative != 0 {
		rt.Fatalf("%d payments booked away from their invoice's account, %d invoices with a negative outstanding amount", misbooked, negative)
	}
}
