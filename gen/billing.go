package gen

import (
	"context"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/billing"
)

// billingVisit invoices a visit at the account visited: an exam and a line per patient seen.
// Most invoices are paid at the counter there and then, some in part, some stay open.
func billingVisit(ctx context.Context, g *generator, tx *vetshare.Tx, v *Visit, origin int) error {
	if !v.Full {
		return nil
	}
	lines := []vetshare.InvoiceLine{{Description: "Wellness exam", Quantity: 1, UnitPrice: 6500}}
	for i := range v.Patients {
		lines = append(lines, vetshare.InvoiceLine{Description: v.Species[i] + " care", Quantity: int64(1 + v.Rand.IntN(3)), UnitPrice: int64(1500 + 100*v.Rand.IntN(60))})
	}
	inv, err := billing.CreateInvoice(ctx, tx, v.Actor, vetshare.Invoice{ClientID: v.Client, Lines: lines})
	if err != nil {
		return err
	}
	g.count("invoices", 1)
	g.count("invoice lines", int64(len(lines)))
	g.m.Counts.Ops++
	amount := inv.Total
	switch x := v.Rand.IntN(100); {
	case x < 10:
		return nil // left open
	case x < 15:
		amount = inv.Total / 2
	}
	g.payments++
	_, err = billing.RecordPayment(ctx, tx, v.Actor, billing.PaymentRequest{Key: "gen-" + itoa(g.payments), Invoice: inv.ID,
		Amount: vetshare.Money{Amount: amount, Currency: inv.Currency}, Channel: vetshare.ChannelCounter, Method: "card"})
	if err != nil {
		return err
	}
	g.count("payments", 1)
	g.m.Counts.Ops++
	return nil
}

// billingWarm issues an invoice and pays it.
func billingWarm(ctx context.Context, tx *vetshare.Tx, o *Owner, c vetshare.ClientID, p vetshare.PatientID) error {
	inv, err := billing.CreateInvoice(ctx, tx, o.Actor(0), vetshare.Invoice{ClientID: c, Lines: []vetshare.InvoiceLine{{Description: "Exam", Quantity: 1, UnitPrice: 100}}})
	if err != nil {
		return err
	}
	_, err = billing.RecordPayment(ctx, tx, o.Actor(0), billing.PaymentRequest{Key: "gen-warm", Invoice: inv.ID,
		Amount: vetshare.Money{Amount: inv.Total, Currency: inv.Currency}, Channel: vetshare.ChannelCounter})
	return err
}
