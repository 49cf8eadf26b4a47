package billing_test

import (
	"context"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/vetsharetest"
)

// Invoices lists a client's invoices at the logged-in clinic, oldest first: all of them, or
// those of one status, such as the open ones a front desk asks to be paid.
func ExampleInvoices() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()
	shaggy, _, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"})
	var first vetshare.Invoice
	for i, price := range []int64{8500, 2000, 4500} {
		s.MustUpdate(tb, func(tx *vetshare.Tx) error {
			inv, err := billing.CreateInvoice(ctx, tx, p.Actor(0), vetshare.Invoice{ClientID: shaggy.ID,
				Lines: []vetshare.InvoiceLine{{Description: "Visit", Quantity: 1, UnitPrice: price}}})
			if i == 0 {
				first = inv
			}
			return err
		})
	}
	s.MustUpdate(tb, func(tx *vetshare.Tx) error { // the first is paid in full
		_, err := billing.RecordPayment(ctx, tx, p.Actor(0), billing.PaymentRequest{Key: "pos-0001", Invoice: first.ID,
			Amount: vetshare.Money{Amount: first.Total, Currency: first.Currency}, Channel: vetshare.ChannelCounter, Method: "cash"})
		return err
	})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		for _, status := range []vetshare.InvoiceStatus{"", vetshare.InvoiceOpen} { // "": any status
			rows, _, err := billing.Invoices(ctx, tx, p.Actor(0), shaggy.ID, status, vetshare.Page{})
			if err != nil {
				return err
			}
			fmt.Printf("status %q:\n", status)
			for _, inv := range rows {
				fmt.Printf("- #%d %s, total %s, outstanding %s\n", inv.Number, inv.Status,
					billing.Format(vetshare.Money{Amount: inv.Total, Currency: inv.Currency}),
					billing.Format(vetshare.Money{Amount: inv.Outstanding(), Currency: inv.Currency}))
			}
		}
		return nil
	})
	// Output:
	// status "":
	// - #1 paid, total USD 85.00, outstanding USD 0.00
	// - #2 open, total USD 20.00, outstanding USD 20.00
	// - #3 open, total USD 45.00, outstanding USD 45.00
	// status "open":
	// - #2 open, total USD 20.00, outstanding USD 20.00
	// - #3 open, total USD 45.00, outstanding USD 45.00
}

// Payments lists what was paid against an invoice, oldest first: here part at Clinic A's
// counter, and the rest through the app while the client was logged into Clinic B, booked at A
// all the same.
func ExamplePayments() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	name := map[vetshare.AccountID]string{p.Clinics[0].ID: p.Clinics[0].Name, p.Clinics[1].ID: p.Clinics[1].Name}
	ctx := context.Background()
	shaggy, _, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"})
	var inv vetshare.Invoice
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		var err error
		inv, err = billing.CreateInvoice(ctx, tx, p.Actor(0), vetshare.Invoice{ClientID: shaggy.ID,
			Lines: []vetshare.InvoiceLine{{Description: "Wellness exam", Quantity: 1, UnitPrice: 8500}}})
		return err
	})
	pay := func(clinic int, key string, amount int64, channel vetshare.Channel, method string) {
		s.MustUpdate(tb, func(tx *vetshare.Tx) error {
			_, err := billing.RecordPayment(ctx, tx, p.Actor(clinic), billing.PaymentRequest{Key: key, Invoice: inv.ID,
				Amount: vetshare.Money{Amount: amount, Currency: "USD"}, Channel: channel, Method: method})
			return err
		})
	}
	pay(0, "pos-0001", 5000, vetshare.ChannelCounter, "cash")
	pay(1, "app-0001", 3500, vetshare.ChannelApp, "card")

	s.MustView(tb, func(tx *vetshare.Tx) error {
		rows, _, err := billing.Payments(ctx, tx, p.Actor(0), inv.ID, vetshare.Page{})
		if err != nil {
			return err
		}
		for _, pm := range rows {
			fmt.Printf("%s by %s through the %s, taken at %s, booked at %s\n", billing.Format(vetshare.Money{Amount: pm.Amount, Currency: pm.Currency}),
				pm.Method, pm.Channel, name[pm.TakenAt], name[pm.AccountID])
		}
		return nil
	})
	// Output:
	// USD 50.00 by cash through the counter, taken at Clinic A, booked at Clinic A
	// USD 35.00 by card through the app, taken at Clinic B, booked at Clinic A
}
