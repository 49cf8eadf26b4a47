package inventory_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/vetsharetest"
)

// An item belongs to the catalogue of the clinic the user is logged into, with its own stock
// and, optionally, reminder rules. Items are never shared.
func ExampleCreateItem() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	ctx := context.Background()

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		dhpp, err := inventory.CreateItem(ctx, tx, p.Actor(0), vetshare.Item{Name: "DHPP vaccine", Kind: vetshare.ItemProduct, Tracked: true,
			Reminders: []vetshare.ReminderRule{{Kind: "DHPP", Interval: vetshare.Interval{Count: 3, Unit: vetshare.Weeks}}}})
		if err != nil {
			return err
		}
		fmt.Printf("%s (%s), tracked %v, on hand %d, reminder %s after %d %ss\n", dhpp.Name, dhpp.Kind, dhpp.Tracked, dhpp.OnHand,
			dhpp.Reminders[0].Kind, dhpp.Reminders[0].Interval.Count, dhpp.Reminders[0].Interval.Unit)
		_, err = inventory.Item(ctx, tx, p.Actor(1), dhpp.ID)
		fmt.Println("Clinic B finds it:", !errors.Is(err, vetshare.ErrNotFound))
		return nil
	})
	// Output:
	// DHPP vaccine (product), tracked true, on hand 0, reminder DHPP after 3 weeks
	// Clinic B finds it: false
}

// Receive puts stock of a tracked item in the ledger; the count on hand is the ledger's sum.
func ExampleReceive() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()
	vaccine := s.Item(tb, p.Actor(0), vetshare.Item{Name: "Rabies vaccine", Tracked: true})

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		m, err := inventory.Receive(ctx, tx, p.Actor(0), vaccine.ID, 20, "order 1187")
		if err != nil {
			return err
		}
		fmt.Printf("%s %+d (%s)\n", m.Kind, m.Quantity, m.Note)
		it, err := inventory.Item(ctx, tx, p.Actor(0), vaccine.ID)
		fmt.Println("on hand:", it.OnHand)
		return err
	})
	// Output:
	// received +20 (order 1187)
	// on hand: 20
}

// Adjust corrects the count after a stock take or a breakage, with a note saying why.
func ExampleAdjust() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()
	vaccine := s.Item(tb, p.Actor(0), vetshare.Item{Name: "Rabies vaccine", Tracked: true})

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		if _, err := inventory.Receive(ctx, tx, p.Actor(0), vaccine.ID, 20, "order 1187"); err != nil {
			return err
		}
		m, err := inventory.Adjust(ctx, tx, p.Actor(0), vaccine.ID, -2, "two vials broken")
		if err != nil {
			return err
		}
		fmt.Printf("%s %+d (%s)\n", m.Kind, m.Quantity, m.Note)
		it, err := inventory.Item(ctx, tx, p.Actor(0), vaccine.ID)
		fmt.Println("on hand:", it.OnHand)
		return err
	})
	// Output:
	// adjusted -2 (two vials broken)
	// on hand: 18
}
