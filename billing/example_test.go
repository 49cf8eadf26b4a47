package billing_test

import (
	"context"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/vetsharetest"
)

// An invoice belongs to the clinic that issues it, numbered in that clinic, with its lines
// priced in minor units of the clinic's currency.
func ExampleCreateInvoice() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()
	shaggy, _, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers", FirstName: "Shaggy"})

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		inv, err := billing.CreateInvoice(ctx, tx, p.Actor(0), vetshare.Invoice{ClientID: shaggy.ID, Lines: []vetshare.InvoiceLine{
			{Description: "Wellness exam", Quantity: 1, UnitPrice: 6500},
			{Description: "Rabies vaccine", Quantity: 1, UnitPrice: 2000},
		}})
		if err != nil {
			return err
		}
		fmt.Printf("invoice #%d, %s, total %s\n", inv.Number, inv.Status, billing.Format(vetshare.Money{Amount: inv.Total, Currency: inv.Currency}))
		return nil
	})
	// Output:
	// invoice #1, open, total USD 85.00
}

// A payment taken at the counter pays the clinic's own invoice; its key makes a retry record
// nothing twice.
func ExampleRecordPayment() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()
	shaggy, _, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"})

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		inv, err := billing.CreateInvoice(ctx, tx, p.Actor(0), vetshare.Invoice{ClientID: shaggy.ID,
			Lines: []vetshare.InvoiceLine{{Description: "Wellness exam", Quantity: 1, UnitPrice: 8500}}})
		if err != nil {
			return err
		}
		req := billing.PaymentRequest{Key: "pos-2026-01-05-0001", Invoice: inv.ID, Amount: vetshare.Money{Amount: 5000, Currency: "USD"},
			Channel: vetshare.ChannelCounter, Method: "card"}
		pay, err := billing.RecordPayment(ctx, tx, p.Actor(0), req)
		if err != nil {
			return err
		}
		again, err := billing.RecordPayment(ctx, tx, p.Actor(0), req) // the terminal retried
		if err != nil {
			return err
		}
		inv, err = billing.Invoice(ctx, tx, p.Actor(0), inv.ID)
		fmt.Printf("paid %s by %s; retry is the same payment: %v\n", billing.Format(vetshare.Money{Amount: pay.Amount, Currency: pay.Currency}), pay.Method, again.ID == pay.ID)
		fmt.Printf("invoice #%d: %s, outstanding %s\n", inv.Number, inv.Status, billing.Format(vetshare.Money{Amount: inv.Outstanding(), Currency: inv.Currency}))
		return err
	})
	// Output:
	// paid USD 50.00 by card; retry is the same payment: true
	// invoice #1: open, outstanding USD 35.00
}

// A balance is per clinic: what the client's open invoices there still ask for.
func ExampleBalance() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()
	shaggy, _, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"})

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		for _, price := range []int64{8500, 2500} {
			_, err := billing.CreateInvoice(ctx, tx, p.Actor(0), vetshare.Invoice{ClientID: shaggy.ID,
				Lines: []vetshare.InvoiceLine{{Description: "Exam", Quantity: 1, UnitPrice: price}}})
			if err != nil {
				return err
			}
		}
		b, err := billing.Balance(ctx, tx, p.Actor(0), shaggy.ID)
		fmt.Printf("%s outstanding on %d open invoices\n", billing.Format(b.Outstanding), b.OpenInvoices)
		return err
	})
	// Output:
	// USD 110.00 outstanding on 2 open invoices
}

// From one clinic, the client's balance at each other clinic that shares the client, with the
// reference a host renders as a link; nothing is added up across clinics (R4.3).
func ExampleLocationBalances() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	ctx := context.Background()
	s.Client(tb, p.Actor(1), vetshare.Client{LastName: "Blake"}) // Clinic B's client #1
	shaggy, _, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"})

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		_, err := billing.CreateInvoice(ctx, tx, p.Actor(1), vetshare.Invoice{ClientID: shaggy.ID,
			Lines: []vetshare.InvoiceLine{{Description: "Dental cleaning", Quantity: 1, UnitPrice: 24000}}})
		if err != nil {
			return err
		}
		lbs, err := billing.LocationBalances(ctx, tx, p.Actor(0), shaggy.ID)
		for _, lb := range lbs {
			fmt.Printf("%s (client #%d there): %s\n", lb.Ref.AccountName, lb.Ref.Number, billing.Format(lb.Outstanding))
		}
		return err
	})
	// Output:
	// Clinic B (client #2 there): USD 240.00
}
