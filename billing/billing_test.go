package billing_test

import (
	"errors"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/records"
)

// R4.1: an invoice belongs to the account that created it, against that account's client entry.
func TestR4_1_InvoiceBelongsToItsAccount(t *testing.T) {
	f, c := group(t, 2)
	inv := issue(t, f, 0, c.ID, 1250, 4000)
	want := vetshare.Invoice{
		ID: inv.ID, AccountID: f.Accounts[0].ID, ClientID: c.ID, Number: 1, Status: vetshare.InvoiceOpen,
		Currency: "USD", Total: 5250, Lines: []vetshare.InvoiceLine{
			{Description: "Exam 1", Quantity: 1, UnitPrice: 1250, Amount: 1250},
			{Description: "Exam 2", Quantity: 1, UnitPrice: 4000, Amount: 4000}},
		CreatedBy: f.Admin.ID, GivenAt: inv.IssuedAt, IssuedAt: inv.IssuedAt,
	}
	if diff := cmp.Diff(want, inv); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
	f.View(t, func(tx *vetshare.Tx) error {
		got, err := billing.Invoice(ctx, tx, f.Actor(0), inv.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("read back (-want +got):\n%s", diff)
		}
		// R3.4: the other account shares the client but not the invoice.
		if _, err := billing.Invoice(ctx, tx, f.Actor(1), inv.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("Invoice from B: err = %v, want ErrNotFound", err)
		}
		if _, _, err := billing.Payments(ctx, tx, f.Actor(1), inv.ID, vetshare.Page{}); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("Payments from B: err = %v, want ErrNotFound", err)
		}
		list, _, err := billing.Invoices(ctx, tx, f.Actor(1), c.ID, "", vetshare.Page{})
		if err != nil || len(list) != 0 {
			t.Errorf("Invoices from B = %v, %v; want none", list, err)
		}
		list, _, err = billing.Invoices(ctx, tx, f.Actor(0), c.ID, "", vetshare.Page{})
		if err != nil || len(list) != 1 || list[0].ID != inv.ID {
			t.Errorf("Invoices from A = %v, %v; want the invoice", list, err)
		}
		return nil
	})
	// Numbers count per account.
	second, atB := issue(t, f, 0, c.ID, 100), issue(t, f, 1, c.ID, 100)
	if second.Number != 2 || atB.Number != 1 || atB.AccountID != f.Accounts[1].ID {
		t.Errorf("numbers: second at A %d, first at B %d (account %s)", second.Number, atB.Number, atB.AccountID)
	}
	before := snapshot(t, f)
	f.Update(t, func(tx *vetshare.Tx) error {
		_, err := billing.CreateInvoice(ctx, tx, f.Actor(0), vetshare.Invoice{AccountID: f.Accounts[1].ID, ClientID: c.ID, Lines: lines(5)})
		if !errors.Is(err, vetshare.ErrNotPermitted) {
			t.Errorf("invoice for another account: err = %v, want ErrNotPermitted", err)
		}
		return nil
	})
	if diff := cmp.Diff(before, snapshot(t, f)); diff != "" {
		t.Errorf("a refused invoice changed the tables (-before +after):\n%s", diff)
	}
}

// R4.1: an account without an entry for the client cannot invoice it (R3.3: not found).
func TestR4_1_NoInvoiceWithoutClientEntry(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2}) // no share group
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	f.Update(t, func(tx *vetshare.Tx) error {
		_, err := billing.CreateInvoice(ctx, tx, f.Actor(1), vetshare.Invoice{ClientID: c.ID, Lines: lines(100)})
		if !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("invoice at B for A's unshared client: err = %v, want ErrNotFound", err)
		}
		for name, fn := range map[string]func() error{
			"Balance": func() error { _, err := billing.Balance(ctx, tx, f.Actor(1), c.ID); return err },
			"LocationBalances": func() error {
				_, err := billing.LocationBalances(ctx, tx, f.Actor(1), c.ID)
				return err
			},
			"Invoices": func() error {
				_, _, err := billing.Invoices(ctx, tx, f.Actor(1), c.ID, "", vetshare.Page{})
				return err
			},
		} {
			if err := fn(); !errors.Is(err, vetshare.ErrNotFound) {
				t.Errorf("%s at B: err = %v, want ErrNotFound", name, err)
			}
		}
		return nil
	})
	if s := snapshot(t, f); s.Invoices != 0 {
		t.Errorf("%d invoices stored, want 0", s.Invoices)
	}
}

// R4.1: a line may bill a usage recorded at the invoice's account for a patient of the client;
// the line keeps its own description and amount.
func TestR4_1_LineLinkedToUsage(t *testing.T) {
	f, c := group(t, 2)
	other, _ := f.Client(t, 0, "Blake", "Fred")
	scooby := f.Patient(t, 0, c.ID, "Scooby", "dog")
	dino := f.Patient(t, 0, other.ID, "Dino", "dog")
	usage := func(account int, patient vetshare.PatientID, kind vetshare.RecordKind) vetshare.RecordID {
		var id vetshare.RecordID
		f.Update(t, func(tx *vetshare.Tx) error {
			id = vetshare.NewID[vetshare.RecordID](tx.Now())
			return txn.D(tx).InsertRecord(ctx, &vetshare.Record{ID: id, PatientID: patient, AccountID: f.Accounts[account].ID,
				UserID: f.Admin.ID, Kind: kind, Text: "DHPP", ItemID: "0J000000000000000000000000", Quantity: 1, CreatedAt: tx.Now()})
		})
		return id
	}
	here := usage(0, scooby.ID, vetshare.RecordUsage)
	var inv vetshare.Invoice
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		inv, err = billing.CreateInvoice(ctx, tx, f.Actor(0), vetshare.Invoice{ClientID: c.ID, Lines: []vetshare.InvoiceLine{
			{Description: "DHPP vaccine", Quantity: 1, UnitPrice: 3200, RecordID: here}}})
		return err
	})
	f.View(t, func(tx *vetshare.Tx) error {
		got, err := billing.Invoice(ctx, tx, f.Actor(0), inv.ID)
		if err != nil {
			return err
		}
		want := []vetshare.InvoiceLine{{Description: "DHPP vaccine", Quantity: 1, UnitPrice: 3200, Amount: 3200, RecordID: here}}
		if diff := cmp.Diff(want, got.Lines); diff != "" {
			t.Errorf("lines (-want +got):\n%s", diff)
		}
		return nil
	})
	for _, tc := range []struct {
		name   string
		record vetshare.RecordID
		want   error
	}{
		{"ErrUsageAtOtherAccount", usage(1, scooby.ID, vetshare.RecordUsage), vetshare.ErrInvalid},
		{"ErrNotAUsage", usage(0, scooby.ID, vetshare.RecordNote), vetshare.ErrInvalid},
		{"ErrOtherClientsPatient", usage(0, dino.ID, vetshare.RecordUsage), vetshare.ErrInvalid},
		{"ErrUnknownRecord", "0R000000000000000000000000", vetshare.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, f)
			f.Update(t, func(tx *vetshare.Tx) error {
				_, err := billing.CreateInvoice(ctx, tx, f.Actor(0), vetshare.Invoice{ClientID: c.ID, Lines: []vetshare.InvoiceLine{
					{Description: "DHPP vaccine", Quantity: 1, UnitPrice: 3200, RecordID: tc.record}}})
				if !errors.Is(err, tc.want) {
					t.Errorf("err = %v, want %v", err, tc.want)
				}
				return nil
			})
			if diff := cmp.Diff(before, snapshot(t, f)); diff != "" {
				t.Errorf("changed (-before +after):\n%s", diff)
			}
		})
	}
}

// R4.2: a client's balance is kept per account; an invoice or payment at one account leaves the
// balance at the other as it was.
func TestR4_2_BalancePerAccount(t *testing.T) {
	f, c := group(t, 2)
	a1, _ := issue(t, f, 0, c.ID, 10000), issue(t, f, 0, c.ID, 5000)
	issue(t, f, 1, c.ID, 7000)
	if _, err := pay(f, f.Actor(0), billing.PaymentRequest{Key: key(), Invoice: a1.ID, Amount: usd(3000), Channel: vetshare.ChannelCounter}); err != nil {
		t.Fatal(err)
	}
	for i, want := range []vetshare.Balance{
		{AccountID: f.Accounts[0].ID, ClientID: c.ID, Outstanding: usd(12000), OpenInvoices: 2},
		{AccountID: f.Accounts[1].ID, ClientID: c.ID, Outstanding: usd(7000), OpenInvoices: 1},
	} {
		if diff := cmp.Diff(want, balance(t, f, i, c.ID)); diff != "" {
			t.Errorf("balance at account %d (-want +got):\n%s", i, diff)
		}
	}
	// A client with nothing invoiced has a zero balance where it is shared.
	d, _ := f.Client(t, 1, "Dinkley", "Velma")
	if diff := cmp.Diff(vetshare.Balance{AccountID: f.Accounts[0].ID, ClientID: d.ID, Outstanding: usd(0)}, balance(t, f, 0, d.ID)); diff != "" {
		t.Errorf("empty balance (-want +got):\n%s", diff)
	}
}

// R4.3: from any account sharing the client, its balance at each other account sharing it, with
// the (account, client number) reference; read-only.
func TestR4_3_LocationBalances(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3})
	f.Client(t, 1, "Blake", "Fred") // before the group, so that client numbers differ between accounts
	f.Enable(t, vetshare.ModeAutomatic, f.AccountIDs()...)
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	issue(t, f, 0, c.ID, 2500)
	issue(t, f, 0, c.ID, 1000)
	issue(t, f, 2, c.ID, 900)
	var entries []vetshare.ClientEntry
	f.View(t, func(tx *vetshare.Tx) (err error) { entries, err = txn.D(tx).ClientEntries(ctx, c.ID); return err })
	number := map[vetshare.AccountID]int64{}
	for _, e := range entries {
		number[e.AccountID] = e.Number
	}
	ref := func(i int) vetshare.ClientRef {
		a := f.Accounts[i]
		return vetshare.ClientRef{AccountID: a.ID, AccountName: a.Name, Number: number[a.ID]}
	}
	lb := func(i int, amount, open int64) vetshare.LocationBalance {
		return vetshare.LocationBalance{Ref: ref(i), Balance: vetshare.Balance{AccountID: f.Accounts[i].ID, ClientID: c.ID,
			Outstanding: usd(amount), OpenInvoices: open}}
	}
	if number[f.Accounts[1].ID] == number[f.Accounts[0].ID] {
		t.Fatalf("client numbers do not differ: %v", number)
	}
	before := snapshot(t, f)
	for _, tc := range []struct {
		from int
		want []vetshare.LocationBalance
	}{
		{1, []vetshare.LocationBalance{lb(0, 3500, 2), lb(2, 900, 1)}},
		{0, []vetshare.LocationBalance{lb(1, 0, 0), lb(2, 900, 1)}},
		{2, []vetshare.LocationBalance{lb(0, 3500, 2), lb(1, 0, 0)}},
	} {
		f.View(t, func(tx *vetshare.Tx) error {
			got, err := billing.LocationBalances(ctx, tx, f.Actor(tc.from), c.ID)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("view from account %d (-want +got):\n%s", tc.from, diff)
			}
			return nil
		})
	}
	if diff := cmp.Diff(before, snapshot(t, f)); diff != "" {
		t.Errorf("the view changed the tables (-before +after):\n%s", diff)
	}
}

// R4.4: a payment at the counter of B applies only to B's invoices; A's is refused with a typed
// error naming both accounts, and nothing changes.
func TestR4_4_CounterRefusesOtherAccountsInvoice(t *testing.T) {
	f, c := group(t, 2)
	atA := issue(t, f, 0, c.ID, 5000)
	before := snapshot(t, f)
	_, err := pay(f, f.Actor(1), billing.PaymentRequest{Key: key(), Invoice: atA.ID, Amount: usd(5000), Channel: vetshare.ChannelCounter})
	var ce *billing.CounterError
	if !errors.As(err, &ce) || !errors.Is(err, vetshare.ErrNotPermitted) {
		t.Fatalf("err = %v, want a CounterError matching ErrNotPermitted", err)
	}
	want := &billing.CounterError{Invoice: atA.ID, Counter: f.Accounts[1].ID, InvoiceAccount: f.Accounts[0].ID,
		CounterName: "Clinic B", InvoiceAccountName: "Clinic A"}
	if diff := cmp.Diff(want, ce); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, snapshot(t, f)); diff != "" {
		t.Errorf("a refused payment changed the tables (-before +after):\n%s", diff)
	}
	p, err := pay(f, f.Actor(0), billing.PaymentRequest{Key: key(), Invoice: atA.ID, Amount: usd(5000), Channel: vetshare.ChannelCounter, Method: "cash"})
	if err != nil {
		t.Fatalf("counter at A paying A's invoice: %v", err)
	}
	if p.AccountID != f.Accounts[0].ID || p.TakenAt != f.Accounts[0].ID {
		t.Errorf("booked at %s, taken at %s; want A for both", p.AccountID, p.TakenAt)
	}
}

// R4.5: through the app, an invoice of any account sharing the client is paid, booked at the
// invoice's account; R10.1: the cross-account write is audited.
func TestR4_5_AppPaysAnySharingAccount(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3})
	f.Enable(t, vetshare.ModeAutomatic, f.Accounts[0].ID, f.Accounts[1].ID) // C is outside the group
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	atA := issue(t, f, 0, c.ID, 5000)
	issue(t, f, 1, c.ID, 700)
	audit0 := snapshot(t, f).Audit

	p, err := pay(f, f.Actor(1), billing.PaymentRequest{Key: key(), Invoice: atA.ID, Amount: usd(2000), Channel: vetshare.ChannelApp, Reference: "app-1"})
	if err != nil {
		t.Fatal(err)
	}
	if p.AccountID != f.Accounts[0].ID || p.TakenAt != f.Accounts[1].ID || p.Channel != vetshare.ChannelApp {
		t.Errorf("payment booked at %s, taken at %s, channel %s; want A, B, app", p.AccountID, p.TakenAt, p.Channel)
	}
	if got := balance(t, f, 0, c.ID).Outstanding; got != usd(3000) {
		t.Errorf("balance at A = %v, want 3000", got)
	}
	if got := balance(t, f, 1, c.ID).Outstanding; got != usd(700) {
		t.Errorf("balance at B = %v, want 700 (untouched)", got)
	}
	f.View(t, func(tx *vetshare.Tx) error {
		ps, _, err := billing.Payments(ctx, tx, f.Actor(0), atA.ID, vetshare.Page{})
		if err != nil {
			return err
		}
		if diff := cmp.Diff([]vetshare.Payment{p}, ps); diff != "" {
			t.Errorf("payments at A (-want +got):\n%s", diff)
		}
		entries, err := txn.D(tx).AuditEntries(ctx, f.Owner.ID, audit0, 10)
		if err != nil {
			return err
		}
		if len(entries) != 1 {
			t.Fatalf("%d audit entries, want 1", len(entries))
		}
		e := entries[0]
		if e.Action != "billing.payment" || e.AccountID != f.Accounts[1].ID || e.UserID != f.Admin.ID ||
			e.Subject != "invoice:"+string(atA.ID) || e.Outcome != "ok" || !strings.Contains(e.Detail, string(f.Accounts[0].ID)) {
			t.Errorf("audit entry = %+v", e)
		}
		return nil
	})
	// An app payment at the invoice's own account is not a cross-account write.
	if _, err := pay(f, f.Actor(0), billing.PaymentRequest{Key: key(), Invoice: atA.ID, Amount: usd(1000), Channel: vetshare.ChannelApp}); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, f).Audit; got != audit0+1 {
		t.Errorf("%d audit entries after a same-account app payment, want %d", got, audit0+1)
	}
	// C does not share the client: to it, A's invoice does not exist (R3.3).
	f.Update(t, func(tx *vetshare.Tx) error {
		return accounts.Grant(ctx, tx, vetshare.Membership{UserID: f.Admin.ID, AccountID: f.Accounts[2].ID, Role: vetshare.RoleStaff, Active: true})
	})
	before := snapshot(t, f)
	if _, err := pay(f, f.Actor(2), billing.PaymentRequest{Key: key(), Invoice: atA.ID, Amount: usd(100), Channel: vetshare.ChannelApp}); !errors.Is(err, vetshare.ErrNotFound) {
		t.Errorf("app payment from C: err = %v, want ErrNotFound", err)
	}
	if diff := cmp.Diff(before, snapshot(t, f)); diff != "" {
		t.Errorf("changed (-before +after):\n%s", diff)
	}
}

// R4.6: a payment never exceeds what is outstanding; paying it exactly marks the invoice paid.
func TestR4_6_NeverMoreThanOutstanding(t *testing.T) {
	f, c := group(t, 2)
	inv := issue(t, f, 0, c.ID, 10000)
	if _, err := pay(f, f.Actor(0), billing.PaymentRequest{Key: key(), Invoice: inv.ID, Amount: usd(4000), Channel: vetshare.ChannelCounter}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, f)
	_, err := pay(f, f.Actor(1), billing.PaymentRequest{Key: key(), Invoice: inv.ID, Amount: usd(6001), Channel: vetshare.ChannelApp})
	var oe *billing.OverpaymentError
	if !errors.As(err, &oe) || !errors.Is(err, vetshare.ErrInvalid) || oe.Outstanding != usd(6000) {
		t.Fatalf("err = %v, want an OverpaymentError with 6000 outstanding", err)
	}
	if diff := cmp.Diff(before, snapshot(t, f)); diff != "" {
		t.Errorf("changed (-before +after):\n%s", diff)
	}
	if _, err := pay(f, f.Actor(1), billing.PaymentRequest{Key: key(), Invoice: inv.ID, Amount: usd(6000), Channel: vetshare.ChannelApp}); err != nil {
		t.Fatal(err)
	}
	f.View(t, func(tx *vetshare.Tx) error {
		got, err := billing.Invoice(ctx, tx, f.Actor(0), inv.ID)
		if err != nil {
			return err
		}
		if got.Status != vetshare.InvoicePaid || got.Paid != 10000 || got.PaidAt.IsZero() || got.Outstanding() != 0 {
			t.Errorf("invoice = %+v, want paid in full with PaidAt", got)
		}
		return nil
	})
	if b := balance(t, f, 0, c.ID); b.Outstanding != usd(0) || b.OpenInvoices != 0 {
		t.Errorf("balance = %+v, want zero", b)
	}
}

// R4.6: an invoice is in its account's currency.
func TestR4_6_InvoiceCurrency(t *testing.T) {
	f, c := group(t, 2)
	f.Update(t, func(tx *vetshare.Tx) error {
		_, err := billing.CreateInvoice(ctx, tx, f.Actor(0), vetshare.Invoice{ClientID: c.ID, Currency: "EUR", Lines: lines(100)})
		var ce *billing.CurrencyError
		if !errors.As(err, &ce) || ce.Want != "USD" || ce.Got != "EUR" {
			t.Errorf("err = %v, want a CurrencyError USD/EUR", err)
		}
		inv, err := billing.CreateInvoice(ctx, tx, f.Actor(0), vetshare.Invoice{ClientID: c.ID, Currency: "USD", Lines: lines(100)})
		if err != nil || inv.Currency != "USD" {
			t.Errorf("invoice in USD: %+v, %v", inv, err)
		}
		return nil
	})
}

// Idempotency: the same payment key sent 5 times in a row and 8 times concurrently records one
// payment each time.
func TestRecordPaymentIdempotent(t *testing.T) {
	f, c := group(t, 2)
	t.Run("Sequential", func(t *testing.T) {
		inv := issue(t, f, 0, c.ID, 10000)
		req := billing.PaymentRequest{Key: key(), Invoice: inv.ID, Amount: usd(10000), Channel: vetshare.ChannelCounter}
		var first vetshare.Payment
		for i := range 5 {
			p, err := pay(f, f.Actor(0), req)
			if err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
			if i == 0 {
				first = p
			} else if diff := cmp.Diff(first, p); diff != "" {
				t.Errorf("attempt %d (-first +got):\n%s", i+1, diff)
			}
		}
		checkOnePayment(t, f, inv.ID, 10000)
	})
	t.Run("Concurrent", func(t *testing.T) {
		inv := issue(t, f, 1, c.ID, 10000)
		req := billing.PaymentRequest{Key: key(), Invoice: inv.ID, Amount: usd(2500), Channel: vetshare.ChannelApp}
		var wg sync.WaitGroup
		ids := make([]vetshare.PaymentID, 8)
		errs := make([]error, 8)
		for i := range 8 {
			wg.Go(func() {
				p, err := pay(f, f.Actor(0), req)
				ids[i], errs[i] = p.ID, err
			})
		}
		wg.Wait()
		for i := range 8 {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Errorf("attempt %d: payment %s, %v; want payment %s", i, ids[i], errs[i], ids[0])
			}
		}
		checkOnePayment(t, f, inv.ID, 2500)
	})
	t.Run("ErrDifferentPaymentSameKey", func(t *testing.T) {
		inv := issue(t, f, 0, c.ID, 10000)
		req := billing.PaymentRequest{Key: key(), Invoice: inv.ID, Amount: usd(100), Channel: vetshare.ChannelCounter}
		if _, err := pay(f, f.Actor(0), req); err != nil {
			t.Fatal(err)
		}
		for name, r := range map[string]billing.PaymentRequest{
			"Amount":  {Key: req.Key, Invoice: inv.ID, Amount: usd(200), Channel: vetshare.ChannelCounter},
			"Channel": {Key: req.Key, Invoice: inv.ID, Amount: usd(100), Channel: vetshare.ChannelApp},
			"Invoice": {Key: req.Key, Invoice: issue(t, f, 0, c.ID, 500).ID, Amount: usd(100), Channel: vetshare.ChannelCounter},
		} {
			before := snapshot(t, f)
			_, err := pay(f, f.Actor(0), r)
			var ce *vetshare.ConflictError
			if !errors.As(err, &ce) || ce.ID != req.Key {
				t.Errorf("%s: err = %v, want a ConflictError on the key", name, err)
			}
			if diff := cmp.Diff(before, snapshot(t, f)); diff != "" {
				t.Errorf("%s: changed (-before +after):\n%s", name, diff)
			}
		}
		checkOnePayment(t, f, inv.ID, 100)
	})
}

func checkOnePayment(t *testing.T, f *fixture.Fixture, id vetshare.InvoiceID, amount int64) {
	t.Helper()
	var n, paid int64
	if err := f.RequireSQLite(t).DB().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM vetshare_payments WHERE invoice_id = ?1),
		(SELECT paid FROM vetshare_invoices WHERE id = ?1)`, id).Scan(&n, &paid); err != nil {
		t.Fatal(err)
	}
	if n != 1 || paid != amount {
		t.Errorf("%d payments, %d paid; want 1 payment of %d", n, paid, amount)
	}
}

// R11.1: bad input gets a typed error and changes nothing.
func TestRecordPaymentBadInput(t *testing.T) {
	f, c := group(t, 2)
	open := issue(t, f, 0, c.ID, 10000)
	paid := issue(t, f, 0, c.ID, 500)
	void := issue(t, f, 0, c.ID, 700)
	if _, err := pay(f, f.Actor(0), billing.PaymentRequest{Key: key(), Invoice: paid.ID, Amount: usd(500), Channel: vetshare.ChannelCounter}); err != nil {
		t.Fatal(err)
	}
	f.Update(t, func(tx *vetshare.Tx) error { _, err := billing.VoidInvoice(ctx, tx, f.Actor(0), void.ID); return err })

	// Another owner in the same store, whose clinic the admin also works at.
	var foreign vetshare.Actor
	var foreignInv vetshare.Invoice
	f.Update(t, func(tx *vetshare.Tx) error {
		o, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "Other Group"})
		if err != nil {
			return err
		}
		a, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: o.ID, Name: "Elsewhere", Email: "x@elsewhere.example",
			TimeZone: "UTC", Currency: "USD"})
		if err != nil {
			return err
		}
		if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: f.Admin.ID, AccountID: a.ID, Role: vetshare.RoleOwner, Active: true}); err != nil {
			return err
		}
		foreign = vetshare.Actor{User: f.Admin.ID, Account: a.ID}
		fc, _, err := records.CreateClient(ctx, tx, foreign, vetshare.Client{LastName: "Other"})
		if err != nil {
			return err
		}
		foreignInv, err = billing.CreateInvoice(ctx, tx, foreign, vetshare.Invoice{ClientID: fc.ID, Lines: lines(100)})
		return err
	})
	stranger := f.User(t, "stranger", vetshare.RoleStaff, 0, 1) // a member of B only

	req := func(mod func(*billing.PaymentRequest)) billing.PaymentRequest {
		r := billing.PaymentRequest{Key: key(), Invoice: open.ID, Amount: usd(100), Channel: vetshare.ChannelApp}
		mod(&r)
		return r
	}
	for _, tc := range []struct {
		name  string
		actor vetshare.Actor
		req   billing.PaymentRequest
		want  error
	}{
		{"ErrNegativeAmount", f.Actor(0), req(func(r *billing.PaymentRequest) { r.Amount.Amount = -100 }), vetshare.ErrInvalid},
		{"ErrZeroAmount", f.Actor(0), req(func(r *billing.PaymentRequest) { r.Amount.Amount = 0 }), vetshare.ErrInvalid},
		{"ErrOverflowingAmount", f.Actor(0), req(func(r *billing.PaymentRequest) { r.Amount.Amount = math.MaxInt64 }), vetshare.ErrInvalid},
		{"ErrAboveMaxAmount", f.Actor(0), req(func(r *billing.PaymentRequest) { r.Amount.Amount = vetshare.MaxAmount + 1 }), vetshare.ErrInvalid},
		{"ErrCurrencyMismatch", f.Actor(1), req(func(r *billing.PaymentRequest) { r.Amount.Currency = "EUR" }), vetshare.ErrInvalid},
		{"ErrCurrencyMalformed", f.Actor(0), req(func(r *billing.PaymentRequest) { r.Amount.Currency = "usd" }), vetshare.ErrInvalid},
		{"ErrPaidInvoice", f.Actor(0), req(func(r *billing.PaymentRequest) { r.Invoice = paid.ID }), vetshare.ErrInvalid},
		{"ErrVoidInvoice", f.Actor(1), req(func(r *billing.PaymentRequest) { r.Invoice = void.ID }), vetshare.ErrInvalid},
		{"ErrUnknownInvoice", f.Actor(0), req(func(r *billing.PaymentRequest) { r.Invoice = "01ZZZZZZZZZZZZZZZZZZZZZZZZ" }), vetshare.ErrNotFound},
		{"ErrMalformedInvoice", f.Actor(0), req(func(r *billing.PaymentRequest) { r.Invoice = "1' OR 1=1\n" }), vetshare.ErrInvalid},
		{"ErrForeignInvoice", f.Actor(0), req(func(r *billing.PaymentRequest) { r.Invoice = foreignInv.ID }), vetshare.ErrNotFound},
		{"ErrFromForeignAccount", foreign, req(func(*billing.PaymentRequest) {}), vetshare.ErrNotFound},
		{"ErrNoKey", f.Actor(0), req(func(r *billing.PaymentRequest) { r.Key = " " }), vetshare.ErrInvalid},
		{"ErrLongKey", f.Actor(0), req(func(r *billing.PaymentRequest) { r.Key = strings.Repeat("k", billing.MaxKey+1) }), vetshare.ErrInvalid},
		{"ErrChannel", f.Actor(0), req(func(r *billing.PaymentRequest) { r.Channel = "phone" }), vetshare.ErrInvalid},
		{"ErrNotAMember", vetshare.Actor{User: stranger.ID, Account: f.Accounts[0].ID}, req(func(*billing.PaymentRequest) {}), vetshare.ErrNotPermitted},
		{"ErrUnknownUser", vetshare.Actor{User: "0V000000000000000000000000", Account: f.Accounts[0].ID}, req(func(*billing.PaymentRequest) {}), vetshare.ErrNotPermitted},
		{"ErrMalformedActor", vetshare.Actor{User: "x\x00", Account: f.Accounts[0].ID}, req(func(*billing.PaymentRequest) {}), vetshare.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, f)
			_, err := pay(f, tc.actor, tc.req)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !typed(err) {
				t.Errorf("err = %v carries no typed error", err)
			}
			if diff := cmp.Diff(before, snapshot(t, f)); diff != "" {
				t.Errorf("changed (-before +after):\n%s", diff)
			}
		})
	}
}

// R11.1: bad invoices get a typed error and change nothing.
func TestCreateInvoiceBadInput(t *testing.T) {
	f, c := group(t, 2)
	issue(t, f, 0, c.ID, vetshare.MaxAmount) // a balance near the limit is still fine
	for _, tc := range []struct {
		name string
		inv  vetshare.Invoice
		want error
	}{
		{"ErrNoLines", vetshare.Invoice{ClientID: c.ID}, vetshare.ErrInvalid},
		{"ErrNegativePrice", vetshare.Invoice{ClientID: c.ID, Lines: lines(-5)}, vetshare.ErrInvalid},
		{"ErrOverflow", vetshare.Invoice{ClientID: c.ID, Lines: lines(math.MaxInt64, 1)}, vetshare.ErrInvalid},
		{"ErrCurrency", vetshare.Invoice{ClientID: c.ID, Currency: "GBP", Lines: lines(5)}, vetshare.ErrInvalid},
		{"ErrMalformedClient", vetshare.Invoice{ClientID: "nope\x00", Lines: lines(5)}, vetshare.ErrInvalid},
		{"ErrUnknownClient", vetshare.Invoice{ClientID: "0C000000000000000000000000", Lines: lines(5)}, vetshare.ErrNotFound},
		{"ErrNoteUTF8", vetshare.Invoice{ClientID: c.ID, Note: "\xc3", Lines: lines(5)}, vetshare.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, f)
			f.Update(t, func(tx *vetshare.Tx) error {
				_, err := billing.CreateInvoice(ctx, tx, f.Actor(0), tc.inv)
				if !errors.Is(err, tc.want) {
					t.Errorf("err = %v, want %v", err, tc.want)
				}
				return nil
			})
			if diff := cmp.Diff(before, snapshot(t, f)); diff != "" {
				t.Errorf("changed (-before +after):\n%s", diff)
			}
		})
	}
}

func TestVoidInvoice(t *testing.T) {
	f, c := group(t, 2)
	inv, part := issue(t, f, 0, c.ID, 1000), issue(t, f, 0, c.ID, 3000)
	if _, err := pay(f, f.Actor(0), billing.PaymentRequest{Key: key(), Invoice: part.ID, Amount: usd(1), Channel: vetshare.ChannelCounter}); err != nil {
		t.Fatal(err)
	}
	f.Update(t, func(tx *vetshare.Tx) error {
		if _, err := billing.VoidInvoice(ctx, tx, f.Actor(1), inv.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("void from B: err = %v, want ErrNotFound", err)
		}
		got, err := billing.VoidInvoice(ctx, tx, f.Actor(0), inv.ID)
		if err != nil || got.Status != vetshare.InvoiceVoid || got.VoidedAt.IsZero() {
			t.Errorf("void = %+v, %v", got, err)
		}
		var se *billing.StatusError
		if _, err := billing.VoidInvoice(ctx, tx, f.Actor(0), inv.ID); !errors.As(err, &se) {
			t.Errorf("void again: err = %v, want a StatusError", err)
		}
		if _, err := billing.VoidInvoice(ctx, tx, f.Actor(0), part.ID); !errors.As(err, &se) {
			t.Errorf("void partly paid: err = %v, want a StatusError", err)
		}
		return nil
	})
	if b := balance(t, f, 0, c.ID); b.Outstanding != usd(2999) || b.OpenInvoices != 1 {
		t.Errorf("balance = %+v, want 2999 on 1 invoice", b)
	}
}

// typed reports whether err carries one of the library's typed errors.
func typed(err error) bool {
	var (
		ie  *vetshare.InvalidError
		nf  *vetshare.NotFoundError
		np  *vetshare.NotPermittedError
		ce  *vetshare.ConflictError
		cte *billing.CounterError
		cue *billing.CurrencyError
		se  *billing.StatusError
		oe  *billing.OverpaymentError
	)
	return errors.As(err, &ie) || errors.As(err, &nf) || errors.As(err, &np) || errors.As(err, &ce) ||
		errors.As(err, &cte) || errors.As(err, &cue) || errors.As(err, &se) || errors.As(err, &oe)
}
