package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/txn"
)

func init() {
	Register("Billing", testBilling)
	Register("PaymentAfterRead", testPaymentAfterRead)
	Register("Contacts", testContacts)
}

// testBilling checks the contracts of [driver.BillingTx].
func testBilling(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 2)
	other := newWorld(t, s, 1)
	a, b := w.accounts[0].ID, w.accounts[1].ID
	var c vetshare.Client
	var inv1, inv2, inv3 vetshare.Invoice
	newInvoice := func(tx *vetshare.Tx, account vetshare.AccountID, at time.Time, amounts ...int64) vetshare.Invoice {
		inv := vetshare.Invoice{ID: vetshare.NewID[vetshare.InvoiceID](at), AccountID: account, ClientID: c.ID,
			Status: vetshare.InvoiceOpen, Currency: "USD", CreatedBy: w.user.ID, GivenAt: at, IssuedAt: at, Note: "n"}
		for _, n := range amounts {
			inv.Lines = append(inv.Lines, vetshare.InvoiceLine{Description: "line", Quantity: 1, UnitPrice: n, Amount: n})
			inv.Total += n
		}
		return inv
	}
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		var err error
		if c, err = w.client(ctx, tx, 0, "Rogers", "Shaggy"); err != nil {
			return err
		}
		eb := vetshare.ClientEntry{AccountID: b, ClientID: c.ID, Via: vetshare.ViaManual, CreatedAt: t0}
		if err := txn.D(tx).InsertClientEntry(ctx, &eb); err != nil {
			return err
		}
		bal, err := txn.D(tx).ClientBalance(ctx, a, c.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(vetshare.Balance{AccountID: a, ClientID: c.ID, Outstanding: vetshare.Money{Currency: "USD"}}, bal); diff != "" {
			t.Errorf("ClientBalance before any invoice (-want +got):\n%s", diff)
		}
		_, err = txn.D(tx).ClientBalance(ctx, other.accounts[0].ID, c.ID)
		wantErr(t, "ClientBalance without an entry", err, vetshare.ErrNotFound)

		inv1 = newInvoice(tx, a, t0, 1000, 250)
		inv2 = newInvoice(tx, a, t0.Add(time.Second), 500)
		inv3 = newInvoice(tx, b, t0, 700)
		inv2.GivenAt = t0.Add(-time.Hour) // R12.4: issued at the clinic before it was recorded
		for _, inv := range []*vetshare.Invoice{&inv1, &inv2, &inv3} {
			if err := txn.D(tx).InsertInvoice(ctx, inv); err != nil {
				return err
			}
		}
		if inv1.Number != 1 || inv2.Number != 2 || inv3.Number != 1 {
			t.Errorf("numbers %d, %d, %d; want 1, 2 at one account and 1 at the other", inv1.Number, inv2.Number, inv3.Number)
		}
		dup := inv1
		wantErr(t, "InsertInvoice with a taken id", txn.D(tx).InsertInvoice(ctx, &dup), vetshare.ErrConflict)
		stray := newInvoice(tx, other.accounts[0].ID, t0, 5)
		wantErr(t, "InsertInvoice without a client entry", txn.D(tx).InsertInvoice(ctx, &stray), vetshare.ErrNotFound)
		return nil
	})
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		got, err := txn.D(tx).Invoice(ctx, inv1.ID)
		if err != nil {
			return err
		}
		want := inv1
		want.Lines = nil
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Invoice (-want +got):\n%s", diff)
		}
		lines, err := txn.D(tx).InvoiceLines(ctx, inv1.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(inv1.Lines, lines); diff != "" {
			t.Errorf("InvoiceLines (-want +got):\n%s", diff)
		}
		_, err = txn.D(tx).Invoice(ctx, vetshare.NewID[vetshare.InvoiceID](t0))
		wantErr(t, "Invoice of an unknown id", err, vetshare.ErrNotFound)
		return nil
	})
	// InvoiceFor: the invoice, unscoped, for an active member of the actor's account; for
	// anyone else ErrNotPermitted, whether or not the invoice exists.
	idle := vetshare.User{ID: vetshare.NewID[vetshare.UserID](t0.Add(time.Hour)), Name: "Idle", Email: "idle@x.example", CreatedAt: t0}
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		if err := d.InsertUser(ctx, idle); err != nil {
			return err
		}
		for _, m := range []vetshare.Membership{
			{UserID: w.user.ID, AccountID: a, Role: vetshare.RoleStaff, Active: true},
			{UserID: w.user.ID, AccountID: b, Role: vetshare.RoleStaff, Active: false},
			{UserID: idle.ID, AccountID: a, Role: vetshare.RoleStaff, Active: true},
		} {
			if err := d.PutMembership(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		member := vetshare.Actor{User: w.user.ID, Account: a}
		for _, inv := range []vetshare.Invoice{inv1, inv3} {
			got, err := d.InvoiceFor(ctx, inv.ID, member)
			want := inv
			want.Lines = nil
			if diff := cmp.Diff(want, got); err != nil || diff != "" {
				t.Errorf("InvoiceFor %d at %s by a member of a: %v (-want +got):\n%s", inv.Number, inv.AccountID, err, diff)
			}
		}
		if got, err := d.Account(ctx, a); err != nil || got.ID != a {
			t.Errorf("Account after InvoiceFor = %+v, %v; want a", got, err)
		}
		unknown := vetshare.NewID[vetshare.InvoiceID](t0)
		_, err := d.InvoiceFor(ctx, unknown, member)
		wantErr(t, "InvoiceFor of an unknown id by a member", err, vetshare.ErrNotFound)
		for name, actor := range map[string]vetshare.Actor{
			"an inactive membership":      {User: w.user.ID, Account: b},
			"an inactive user":            {User: idle.ID, Account: a},
			"a user without a membership": {User: other.user.ID, Account: a},
			"an unknown account":          {User: w.user.ID, Account: vetshare.NewID[vetshare.AccountID](t0)},
		} {
			for _, id := range []vetshare.InvoiceID{inv1.ID, unknown} {
				_, err := d.InvoiceFor(ctx, id, actor)
				wantErr(t, "InvoiceFor by "+name, err, vetshare.ErrNotPermitted)
			}
		}
		return nil
	})
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		list, err := txn.D(tx).ClientInvoices(ctx, driver.InvoiceQuery{Account: a, Client: c.ID, Limit: 1})
		if err != nil || len(list) != 1 || list[0].ID != inv1.ID {
			t.Errorf("ClientInvoices first page = %v, %v; want the first invoice", list, err)
		}
		list, err = txn.D(tx).ClientInvoices(ctx, driver.InvoiceQuery{Account: a, Client: c.ID, After: inv1.ID, Limit: 10})
		if err != nil || len(list) != 1 || list[0].ID != inv2.ID {
			t.Errorf("ClientInvoices after the first = %v, %v; want the second", list, err)
		}
		list, err = txn.D(tx).ClientInvoices(ctx, driver.InvoiceQuery{Account: a, Client: c.ID, Status: vetshare.InvoicePaid})
		if err != nil || len(list) != 0 {
			t.Errorf("ClientInvoices of paid ones = %v, %v; want none", list, err)
		}
		bal, err := txn.D(tx).ClientBalance(ctx, a, c.ID)
		if err != nil {
			return err
		}
		if bal.Outstanding.Amount != 1750 || bal.OpenInvoices != 2 {
			t.Errorf("ClientBalance = %+v, want 1750 on 2 invoices", bal)
		}
		return nil
	})

	pay := func(inv vetshare.Invoice, key string, amount int64, at time.Time) vetshare.Payment {
		return vetshare.Payment{ID: vetshare.NewID[vetshare.PaymentID](at), Key: key, AccountID: inv.AccountID, InvoiceID: inv.ID,
			ClientID: inv.ClientID, Channel: vetshare.ChannelApp, Amount: amount, Currency: inv.Currency, TakenAt: b,
			UserID: w.user.ID, Method: "card", Reference: "r", GivenAt: at, CreatedAt: at}
	}
	p1, p2 := pay(inv1, "k1", 1000, t0.Add(time.Minute)), pay(inv1, "k2", 250, t0.Add(2*time.Minute))
	// R12.4: the first payment recorded was given last; the invoice is paid when its last
	// payment, by the time given, was made.
	p1.GivenAt = t0.Add(3 * time.Minute)
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		for name, p := range map[string]vetshare.Payment{
			"more than outstanding": pay(inv1, "x1", 1251, t0),
			"another account":       func() vetshare.Payment { p := pay(inv1, "x2", 1, t0); p.AccountID = b; return p }(),
			"another client": func() vetshare.Payment {
				p := pay(inv1, "x3", 1, t0)
				p.ClientID = "0C000000000000000000000000"
				return p
			}(),
			"another currency": func() vetshare.Payment { p := pay(inv1, "x4", 1, t0); p.Currency = "EUR"; return p }(),
		} {
			var ce *vetshare.ConflictError
			if err := txn.D(tx).InsertPayment(ctx, p); !errors.As(err, &ce) {
				t.Errorf("InsertPayment %s: err = %v, want a ConflictError", name, err)
			}
		}
		if err := txn.D(tx).InsertPayment(ctx, p1); err != nil {
			return err
		}
		if got, err := txn.D(tx).Invoice(ctx, inv1.ID); err != nil || got.Paid != 1000 || got.Status != vetshare.InvoiceOpen || !got.PaidAt.IsZero() {
			t.Errorf("after a part payment: %+v, %v", got, err)
		}
		same := pay(inv2, "k1", 1, t0)
		wantErr(t, "InsertPayment with a taken key", txn.D(tx).InsertPayment(ctx, same), vetshare.ErrConflict)
		if err := txn.D(tx).InsertPayment(ctx, p2); err != nil {
			return err
		}
		got, err := txn.D(tx).Invoice(ctx, inv1.ID)
		if err != nil {
			return err
		}
		if got.Paid != 1250 || got.Status != vetshare.InvoicePaid || !got.PaidAt.Equal(p1.GivenAt) {
			t.Errorf("after paying in full: %+v; want paid at %v, the latest time given", got, p1.GivenAt)
		}
		wantErr(t, "InsertPayment on a paid invoice", txn.D(tx).InsertPayment(ctx, pay(inv1, "x5", 1, t0)), vetshare.ErrConflict)
		return nil
	})
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		got, err := txn.D(tx).PaymentByKey(ctx, b, "k1") // any account of the owner finds it
		if err != nil {
			return err
		}
		if diff := cmp.Diff(p1, got); diff != "" {
			t.Errorf("PaymentByKey (-want +got):\n%s", diff)
		}
		_, err = txn.D(tx).PaymentByKey(ctx, other.accounts[0].ID, "k1")
		wantErr(t, "PaymentByKey at another owner", err, vetshare.ErrNotFound)
		ps, err := txn.D(tx).InvoicePayments(ctx, inv1.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff([]vetshare.Payment{p1, p2}, ps); diff != "" {
			t.Errorf("InvoicePayments (-want +got):\n%s", diff)
		}
		bal, err := txn.D(tx).ClientBalance(ctx, a, c.ID)
		if err != nil {
			return err
		}
		if bal.Outstanding.Amount != 500 || bal.OpenInvoices != 1 {
			t.Errorf("ClientBalance after payments = %+v, want 500 on 1 invoice", bal)
		}
		return nil
	})
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		at := t0.Add(time.Hour)
		var ce *vetshare.ConflictError
		if err := txn.D(tx).VoidInvoice(ctx, inv1.ID, at); !errors.As(err, &ce) {
			t.Errorf("VoidInvoice of a paid invoice: err = %v, want a ConflictError", err)
		}
		wantErr(t, "VoidInvoice of an unknown id", txn.D(tx).VoidInvoice(ctx, vetshare.NewID[vetshare.InvoiceID](t0), at), vetshare.ErrNotFound)
		if err := txn.D(tx).VoidInvoice(ctx, inv2.ID, at); err != nil {
			return err
		}
		got, err := txn.D(tx).Invoice(ctx, inv2.ID)
		if err != nil || got.Status != vetshare.InvoiceVoid || !got.VoidedAt.Equal(at) {
			t.Errorf("after VoidInvoice: %+v, %v", got, err)
		}
		wantErr(t, "VoidInvoice twice", txn.D(tx).VoidInvoice(ctx, inv2.ID, at), vetshare.ErrConflict)
		all, err := txn.D(tx).ClientBalances(ctx, c.ID)
		if err != nil {
			return err
		}
		want := []vetshare.LocationBalance{
			{Ref: vetshare.ClientRef{AccountID: a, AccountName: w.accounts[0].Name, Number: 1},
				Balance: vetshare.Balance{AccountID: a, ClientID: c.ID, Outstanding: vetshare.Money{Currency: "USD"}}},
			{Ref: vetshare.ClientRef{AccountID: b, AccountName: w.accounts[1].Name, Number: 1},
				Balance: vetshare.Balance{AccountID: b, ClientID: c.ID, Outstanding: vetshare.Money{Amount: 700, Currency: "USD"}, OpenInvoices: 1}},
		}
		if diff := cmp.Diff(want, all); diff != "" {
			t.Errorf("ClientBalances (-want +got):\n%s", diff)
		}
		return nil
	})
}

// testContacts checks the contracts of [driver.ContactsTx].
func testContacts(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 2)
	a, b := w.accounts[0].ID, w.accounts[1].ID
	entry := func(account vetshare.AccountID, kind vetshare.ContactKind, name string, i int) vetshare.Contact {
		return vetshare.Contact{ID: vetshare.NewID[vetshare.ContactID](t0.Add(time.Duration(i) * time.Millisecond)), AccountID: account,
			Kind: kind, Name: name, Category: "lab", Email: "x@lab.example", Phone: "1", Address: "2", Notes: "3",
			CreatedAt: t0, UpdatedAt: t0, Version: 1}
	}
	lab := entry(a, vetshare.ContactCompany, "Lab", 0)
	ana := entry(a, vetshare.ContactPerson, "Ána", 1)
	ana.CompanyID = lab.ID
	bob := entry(a, vetshare.ContactPerson, "Bob", 2)
	copyAtB := entry(b, vetshare.ContactPerson, "Ána", 3)
	copyAtB.CopiedFrom = ana.ID
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		for _, c := range []vetshare.Contact{lab, ana, bob, copyAtB} {
			if err := txn.D(tx).InsertContact(ctx, c); err != nil {
				return err
			}
		}
		wantErr(t, "InsertContact with a taken id", txn.D(tx).InsertContact(ctx, lab), vetshare.ErrConflict)
		stray := entry(b, vetshare.ContactPerson, "Stray", 4)
		stray.CompanyID = lab.ID // a company of another account
		wantErr(t, "InsertContact at another account's company", txn.D(tx).InsertContact(ctx, stray), vetshare.ErrNotFound)
		return nil
	})
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		got, err := txn.D(tx).Contact(ctx, a, ana.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(ana, got); diff != "" {
			t.Errorf("Contact (-want +got):\n%s", diff)
		}
		_, err = txn.D(tx).Contact(ctx, b, ana.ID)
		wantErr(t, "Contact from another account", err, vetshare.ErrNotFound)
		cp, err := txn.D(tx).Contact(ctx, b, copyAtB.ID)
		if err != nil || cp.CopiedFrom != ana.ID {
			t.Errorf("the copy = %+v, %v", cp, err)
		}

		edit := ana
		edit.Name, edit.UpdatedAt = "Ana Pérez", t0.Add(time.Hour)
		if err := txn.D(tx).UpdateContact(ctx, edit); err != nil {
			return err
		}
		got, err = txn.D(tx).Contact(ctx, a, ana.ID)
		if err != nil {
			return err
		}
		want := edit
		want.Version = 2
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("after UpdateContact (-want +got):\n%s", diff)
		}
		var ce *vetshare.ConflictError
		if err := txn.D(tx).UpdateContact(ctx, edit); !errors.As(err, &ce) || ce.Current != 2 || ce.Version != 1 {
			t.Errorf("UpdateContact from a stale version: err = %v, want a ConflictError at version 2", err)
		}
		wrong := want
		wrong.AccountID = b
		wantErr(t, "UpdateContact from another account", txn.D(tx).UpdateContact(ctx, wrong), vetshare.ErrNotFound)
		cp, err = txn.D(tx).Contact(ctx, b, copyAtB.ID)
		if err != nil || cp.Name != "Ána" {
			t.Errorf("the copy after the source's edit = %+v, %v; want it unchanged", cp, err)
		}
		return nil
	})
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		names := func(q driver.ContactQuery) []string {
			list, err := txn.D(tx).Contacts(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range list {
				out = append(out, c.Name)
			}
			return out
		}
		for _, tc := range []struct {
			name string
			q    driver.ContactQuery
			want []string
		}{
			{"All", driver.ContactQuery{Account: a}, []string{"Ana Pérez", "Bob", "Lab"}},
			{"Kind", driver.ContactQuery{Account: a, Kind: vetshare.ContactPerson}, []string{"Ana Pérez", "Bob"}},
			{"Prefix", driver.ContactQuery{Account: a, Prefix: "b"}, []string{"Bob"}},
			{"Limit", driver.ContactQuery{Account: a, Limit: 1}, []string{"Ana Pérez"}},
			{"After", driver.ContactQuery{Account: a, AfterKey: vetshare.FoldName("Ana Pérez"), AfterID: ana.ID}, []string{"Bob", "Lab"}},
			{"OtherAccount", driver.ContactQuery{Account: b}, []string{"Ána"}},
		} {
			if diff := cmp.Diff(tc.want, names(tc.q)); diff != "" {
				t.Errorf("Contacts %s (-want +got):\n%s", tc.name, diff)
			}
		}
		return nil
	})
}

// testPaymentAfterRead checks InsertPayment right after InvoiceFor read its invoice, as
// RecordPayment calls them (a store may decide the payment on that read): the same refusals as
// without the read, a second payment decided on the invoice as the first left it, a payment of
// another invoice than the one read, and each payment stored under its owner.
func testPaymentAfterRead(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 2)
	a, b := w.accounts[0].ID, w.accounts[1].ID
	actor := vetshare.Actor{User: w.user.ID, Account: a}
	var invs [3]vetshare.Invoice
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		c, err := w.client(ctx, tx, 0, "Rogers", "Shaggy")
		if err != nil {
			return err
		}
		if err := d.PutMembership(ctx, vetshare.Membership{UserID: w.user.ID, AccountID: a, Role: vetshare.RoleStaff, Active: true}); err != nil {
			return err
		}
		for i := range invs {
			at := t0.Add(time.Duration(i) * time.Second)
			invs[i] = vetshare.Invoice{ID: vetshare.NewID[vetshare.InvoiceID](at), AccountID: a, ClientID: c.ID, Status: vetshare.InvoiceOpen,
				Currency: "USD", Total: 100, CreatedBy: w.user.ID, GivenAt: at, IssuedAt: at,
				Lines: []vetshare.InvoiceLine{{Description: "line", Quantity: 1, UnitPrice: 100, Amount: 100}}}
			if err := d.InsertInvoice(ctx, &invs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	n := 0
	pay := func(inv vetshare.Invoice, amount int64) vetshare.Payment {
		n++
		at := t0.Add(time.Duration(n) * time.Minute)
		return vetshare.Payment{ID: vetshare.NewID[vetshare.PaymentID](at), Key: fmt.Sprint("k", n), AccountID: inv.AccountID, InvoiceID: inv.ID,
			ClientID: inv.ClientID, Channel: vetshare.ChannelCounter, Amount: amount, Currency: inv.Currency, TakenAt: a,
			UserID: w.user.ID, Method: "card", GivenAt: at, CreatedAt: at}
	}
	var stored []vetshare.Payment
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		// readThenPay reads the invoice read as InvoiceFor, then inserts p.
		readThenPay := func(read vetshare.InvoiceID, p vetshare.Payment) error {
			if _, err := d.InvoiceFor(ctx, read, actor); err != nil {
				return err
			}
			return d.InsertPayment(ctx, p)
		}
		refused := func(name string, err error) {
			var ce *vetshare.ConflictError
			if !errors.As(err, &ce) {
				t.Errorf("InsertPayment after InvoiceFor, %s: err = %v, want a ConflictError", name, err)
			}
		}
		inv := invs[0]
		refused("more than outstanding", readThenPay(inv.ID, pay(inv, 101)))
		p := pay(inv, 1)
		p.AccountID = b
		refused("another account", readThenPay(inv.ID, p))
		p = pay(inv, 1)
		p.ClientID = vetshare.NewID[vetshare.ClientID](t0)
		refused("another client", readThenPay(inv.ID, p))
		p = pay(inv, 1)
		p.Currency = "EUR"
		refused("another currency", readThenPay(inv.ID, p))
		// Two payments after one read: the second is decided on the invoice as the first left it.
		first := pay(inv, 60)
		if err := readThenPay(inv.ID, first); err != nil {
			return err
		}
		refused("a second payment of more than the first left", d.InsertPayment(ctx, pay(inv, 41)))
		stored = append(stored, first)
		// The invoice read is not the one paid: invs[1] is paid in full first, then a payment
		// of it after a read of invs[2] is refused.
		full := pay(invs[1], 100)
		if err := readThenPay(invs[1].ID, full); err != nil {
			return err
		}
		stored = append(stored, full)
		refused("another invoice than the one read, paid", readThenPay(invs[2].ID, pay(invs[1], 1)))
		refused("an invoice paid, read", readThenPay(invs[1].ID, pay(invs[1], 1)))
		return nil
	})
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		for i, want := range []struct {
			paid   int64
			status vetshare.InvoiceStatus
		}{{60, vetshare.InvoiceOpen}, {100, vetshare.InvoicePaid}, {0, vetshare.InvoiceOpen}} {
			got, err := d.Invoice(ctx, invs[i].ID)
			if err != nil || got.Paid != want.paid || got.Status != want.status {
				t.Errorf("invoice %d after the payments: paid %d, %s, %v; want %d, %s", i, got.Paid, got.Status, err, want.paid, want.status)
			}
		}
		for _, p := range stored {
			got, err := d.PaymentByKey(ctx, a, p.Key)
			if err != nil || got.ID != p.ID || got.Amount != p.Amount {
				t.Errorf("PaymentByKey %s = %+v, %v; want the payment %s of %d", p.Key, got, err, p.ID, p.Amount)
			}
		}
		bal, err := d.ClientBalance(ctx, a, invs[0].ClientID)
		if err != nil || bal.Outstanding.Amount != 140 || bal.OpenInvoices != 2 {
			t.Errorf("ClientBalance = %+v, %v; want 140 on 2 invoices", bal, err)
		}
		return nil
	})
}
