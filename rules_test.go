package vetshare_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/contacts"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
)

var ctx = context.Background()

// R3.4: billing, inventory and contacts are never shared, even between two accounts that share
// the client they concern.
func TestR3_4BillingInventoryContactsNotShared(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	p := f.Patient(t, 0, c.ID, "Scooby", "dog")
	var inv vetshare.Invoice
	var item vetshare.Item
	var contact vetshare.Contact
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		if inv, err = billing.CreateInvoice(ctx, tx, f.Actor(0), vetshare.Invoice{ClientID: c.ID,
			Lines: []vetshare.InvoiceLine{{Description: "Exam", Quantity: 1, UnitPrice: 6500}}}); err != nil {
			return err
		}
		if item, err = inventory.CreateItem(ctx, tx, f.Actor(0), vetshare.Item{Name: "Rabies vaccine", Kind: vetshare.ItemProduct, Tracked: true}); err != nil {
			return err
		}
		contact, err = contacts.Create(ctx, tx, f.Actor(0), vetshare.Contact{Kind: vetshare.ContactCompany, Name: "Northside Lab"})
		return err
	})
	f.Update(t, func(tx *vetshare.Tx) error {
		b := f.Actor(1)
		if _, err := billing.Invoice(ctx, tx, b, inv.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("A's invoice read at B: %v, want not found", err)
		}
		bal, err := billing.Balance(ctx, tx, b, c.ID)
		if err != nil || bal.Outstanding.Amount != 0 {
			t.Errorf("B's balance for the shared client: %+v %v, want 0 (A's invoice stays at A)", bal, err)
		}
		if _, err := inventory.Item(ctx, tx, b, item.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("A's item read at B: %v, want not found", err)
		}
		if _, err := records.AddUsage(ctx, tx, b, vetshare.Record{PatientID: p.ID, Kind: vetshare.RecordUsage, ItemID: item.ID, Quantity: 1}); err == nil {
			t.Error("B recorded a usage of A's item")
		}
		if _, err := contacts.Get(ctx, tx, b, contact.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("A's contact read at B: %v, want not found", err)
		}
		return nil
	})
}
