package inventory_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
)

var ctx = context.Background()

func create(t *testing.T, f *fixture.Fixture, i int, it vetshare.Item) vetshare.Item {
	t.Helper()
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		it, err = inventory.CreateItem(ctx, tx, f.Actor(i), it)
		return err
	})
	return it
}

// R5.1, R3.4: each account has its own items and stock; another account's item is not found.
func TestR5_1_ItemsPerAccount(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	a := create(t, f, 0, vetshare.Item{Name: " Rabies vaccine ", Kind: vetshare.ItemProduct, Tracked: true,
		Reminders: []vetshare.ReminderRule{{Kind: " Rabies", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}})
	b := create(t, f, 1, vetshare.Item{Name: "Rabies vaccine", Kind: vetshare.ItemProduct, Tracked: true})
	want := vetshare.Item{ID: a.ID, AccountID: f.Accounts[0].ID, Name: "Rabies vaccine", Kind: vetshare.ItemProduct, Tracked: true,
		Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}, CreatedAt: a.CreatedAt}
	f.Update(t, func(tx *vetshare.Tx) error {
		if _, err := inventory.Receive(ctx, tx, f.Actor(0), a.ID, 5, "delivery"); err != nil {
			return err
		}
		got, err := inventory.Item(ctx, tx, f.Actor(0), a.ID)
		if err != nil {
			return err
		}
		want.OnHand = 5
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Item (-want +got):\n%s", diff)
		}
		if _, err := inventory.Item(ctx, tx, f.Actor(1), a.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("A's item from B = %v, want not found", err)
		}
		if _, err := inventory.Receive(ctx, tx, f.Actor(1), a.ID, 5, ""); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("receiving A's item at B = %v, want not found", err)
		}
		bi, err := inventory.Item(ctx, tx, f.Actor(1), b.ID)
		if bi.OnHand != 0 {
			t.Errorf("B's count = %d, want 0", bi.OnHand)
		}
		if _, err := inventory.UpdateItem(ctx, tx, f.Actor(1), vetshare.Item{ID: a.ID, Name: "x", Kind: vetshare.ItemService}); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("updating A's item from B = %v, want not found", err)
		}
		return err
	})
}

// R7.1, R11.1: items with bad fields or reminder rules that make no sense are refused, and
// nothing is stored.
func TestR7_1_CreateItemBadInput(t *testing.T) {
	f := fixture.New(t, fixture.Options{})
	for _, tc := range []struct {
		name  string
		it    vetshare.Item
		field string
	}{
		{"ErrNameEmpty", vetshare.Item{Name: "  ", Kind: vetshare.ItemProduct}, "Name"},
		{"ErrKind", vetshare.Item{Name: "Rabies", Kind: "gift"}, "Kind"},
		{"ErrIntervalZero", vetshare.Item{Name: "Rabies", Kind: vetshare.ItemProduct, Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Unit: vetshare.Years}}}}, "Reminders[0].Interval.Count"},
		{"ErrIntervalNegative", vetshare.Item{Name: "Rabies", Kind: vetshare.ItemProduct, Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: -1, Unit: vetshare.Days}}}}, "Reminders[0].Interval.Count"},
		{"ErrIntervalCentury", vetshare.Item{Name: "Rabies", Kind: vetshare.ItemProduct, Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 100, Unit: vetshare.Years}}}}, "Reminders[0].Interval.Count"},
		{"ErrIntervalUnit", vetshare.Item{Name: "Rabies", Kind: vetshare.ItemProduct, Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 1, Unit: "decade"}}}}, "Reminders[0].Interval.Unit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
				_, err := inventory.CreateItem(ctx, tx, f.Actor(0), tc.it)
				return err
			})
			var ie *vetshare.InvalidError
			if !errors.As(err, &ie) || ie.Field != tc.field {
				t.Fatalf("CreateItem = %v, want invalid %s", err, tc.field)
			}
		})
	}
	f.View(t, func(tx *vetshare.Tx) error {
		items, _, err := inventory.SearchItems(ctx, tx, f.Actor(0), "", vetshare.Page{})
		if len(items) != 0 {
			t.Errorf("items stored: %v", items)
		}
		return err
	})
}

// R5.4, R11.1: received and adjusted stock go through the ledger; bad quantities are refused
// and change nothing.
func TestR5_4_StockLedger(t *testing.T) {
	f := fixture.New(t, fixture.Options{})
	it := create(t, f, 0, vetshare.Item{Name: "Carprofen 75mg", Kind: vetshare.ItemProduct, Tracked: true})
	exam := create(t, f, 0, vetshare.Item{Name: "Exam", Kind: vetshare.ItemService})
	f.Update(t, func(tx *vetshare.Tx) error {
		if _, err := inventory.Receive(ctx, tx, f.Actor(0), it.ID, 30, "PO 17"); err != nil {
			return err
		}
		_, err := inventory.Adjust(ctx, tx, f.Actor(0), it.ID, -32, "stock take")
		return err
	})
	for _, tc := range []struct {
		name string
		run  func(tx *vetshare.Tx) error
		is   error
	}{
		{"ErrReceiveZero", func(tx *vetshare.Tx) error {
			_, err := inventory.Receive(ctx, tx, f.Actor(0), it.ID, 0, "")
			return err
		}, vetshare.ErrInvalid},
		{"ErrReceiveNegative", func(tx *vetshare.Tx) error {
			_, err := inventory.Receive(ctx, tx, f.Actor(0), it.ID, -4, "")
			return err
		}, vetshare.ErrInvalid},
		{"ErrAdjustZero", func(tx *vetshare.Tx) error {
			_, err := inventory.Adjust(ctx, tx, f.Actor(0), it.ID, 0, "x")
			return err
		}, vetshare.ErrInvalid},
		{"ErrAdjustNoNote", func(tx *vetshare.Tx) error {
			_, err := inventory.Adjust(ctx, tx, f.Actor(0), it.ID, 3, " ")
			return err
		}, vetshare.ErrInvalid},
		{"ErrUntracked", func(tx *vetshare.Tx) error {
			_, err := inventory.Receive(ctx, tx, f.Actor(0), exam.ID, 3, "")
			return err
		}, vetshare.ErrInvalid},
		{"ErrUnknownItem", func(tx *vetshare.Tx) error {
			_, err := inventory.Receive(ctx, tx, f.Actor(0), vetshare.NewID[vetshare.ItemID](tx.Now()), 3, "")
			return err
		}, vetshare.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := f.Store.Update(ctx, func(tx *vetshare.Tx) error { return tc.run(tx) }); !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
		})
	}
	f.View(t, func(tx *vetshare.Tx) error {
		got, err := inventory.Item(ctx, tx, f.Actor(0), it.ID)
		if err != nil {
			return err
		}
		ledger, _, err := inventory.Ledger(ctx, tx, f.Actor(0), it.ID, vetshare.Page{})
		if err != nil {
			return err
		}
		var sum int64
		var kinds []vetshare.MovementKind
		for _, m := range ledger {
			sum += m.Quantity
			kinds = append(kinds, m.Kind)
		}
		if got.OnHand != -2 || sum != -2 {
			t.Errorf("on hand %d, ledger sum %d, want -2 and -2", got.OnHand, sum)
		}
		if diff := cmp.Diff([]vetshare.MovementKind{vetshare.MoveReceived, vetshare.MoveAdjusted}, kinds); diff != "" {
			t.Errorf("ledger kinds (-want +got):\n%s", diff)
		}
		below, _, err := inventory.BelowZero(ctx, tx, f.Actor(0), vetshare.Page{})
		if len(below) != 1 || below[0].ID != it.ID {
			t.Errorf("below zero = %v, want Carprofen", below)
		}
		return err
	})
}

// R7.6: a search of usages in an account shows, for every usage, the account it originated
// from; a search of items finds the account's own items by folded name.
func TestR7_6_SearchShowsOrigin(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	p := f.Patient(t, 0, c.ID, "Scooby", "dog")
	ra := create(t, f, 0, vetshare.Item{Name: "Rabies vaccine", Kind: vetshare.ItemProduct})
	rb := create(t, f, 1, vetshare.Item{Name: "Rábies 3yr", Kind: vetshare.ItemProduct})
	create(t, f, 1, vetshare.Item{Name: "Lepto", Kind: vetshare.ItemProduct})
	var ua, ub records.UsageChange
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		ua, err = records.AddUsage(ctx, tx, f.Actor(0), vetshare.Record{PatientID: p.ID, ItemID: ra.ID, Quantity: 1})
		return err
	})
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		ub, err = records.AddUsage(ctx, tx, f.Actor(1), vetshare.Record{PatientID: p.ID, ItemID: rb.ID, Quantity: 2})
		return err
	})
	f.View(t, func(tx *vetshare.Tx) error {
		rows, _, err := inventory.SearchUsages(ctx, tx, f.Actor(1), inventory.UsageSearch{Prefix: "rab"}, vetshare.Page{})
		if err != nil {
			return err
		}
		want := []vetshare.UsageRow{
			{Record: ub.Record, ItemName: "Rábies 3yr", Origin: f.Accounts[1].ID, OriginName: f.Accounts[1].Name, PatientName: "Scooby"},
			{Record: ua.Record, ItemName: "Rabies vaccine", Origin: f.Accounts[0].ID, OriginName: f.Accounts[0].Name, PatientName: "Scooby"},
		}
		if diff := cmp.Diff(want, rows); diff != "" {
			t.Errorf("SearchUsages (-want +got):\n%s", diff)
		}
		items, _, err := inventory.SearchItems(ctx, tx, f.Actor(1), "RAB", vetshare.Page{})
		if len(items) != 1 || items[0].ID != rb.ID {
			t.Errorf("SearchItems = %v, want B's Rábies alone", items)
		}
		return err
	})
}

// R3.3: usages of a patient not shared with the account are not found.
func TestR7_6_SearchUsagesScoped(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	p := f.Patient(t, 0, c.ID, "Scooby", "dog")
	f.View(t, func(tx *vetshare.Tx) error {
		_, _, err := inventory.SearchUsages(ctx, tx, f.Actor(1), inventory.UsageSearch{Patient: p.ID}, vetshare.Page{})
		if !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("SearchUsages from an account that does not share = %v, want not found", err)
		}
		return nil
	})
}
