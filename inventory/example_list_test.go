package inventory_test

import (
	"context"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/vetsharetest"
)

// SearchItems finds the items of the logged-in clinic's catalogue whose name starts with what
// was typed, case and accents aside; another clinic's items are never listed.
func ExampleSearchItems() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	ctx := context.Background()
	for _, name := range []string{"Rabies vaccine", "DHPP vaccine", "rabies tag", "Rimadyl 75 mg"} {
		s.Item(tb, p.Actor(0), vetshare.Item{Name: name})
	}
	s.Item(tb, p.Actor(1), vetshare.Item{Name: "Rabies vaccine"}) // Clinic B's own

	s.MustView(tb, func(tx *vetshare.Tx) error {
		rows, _, err := inventory.SearchItems(ctx, tx, p.Actor(0), "RAB", vetshare.Page{})
		if err != nil {
			return err
		}
		for _, it := range rows {
			fmt.Println(it.Name)
		}
		return nil
	})
	// Output:
	// rabies tag
	// Rabies vaccine
}

// Ledger lists every movement of an item's stock, oldest first: what was received, used on a
// patient and corrected. The count on hand is their sum.
func ExampleLedger() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()
	_, _, pets := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})
	vaccine := s.Item(tb, p.Actor(0), vetshare.Item{Name: "Rabies vaccine", Tracked: true})
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		_, err := inventory.Receive(ctx, tx, p.Actor(0), vaccine.ID, 20, "order 1187")
		return err
	})
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		_, err := records.AddUsage(ctx, tx, p.Actor(0), vetshare.Record{PatientID: pets[0].ID, ItemID: vaccine.ID, Quantity: 1})
		return err
	})
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		_, err := inventory.Adjust(ctx, tx, p.Actor(0), vaccine.ID, -2, "vials broken")
		return err
	})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		rows, _, err := inventory.Ledger(ctx, tx, p.Actor(0), vaccine.ID, vetshare.Page{})
		if err != nil {
			return err
		}
		for _, m := range rows {
			fmt.Printf("%s %+d", m.Kind, m.Quantity)
			if m.Note != "" {
				fmt.Printf(" (%s)", m.Note)
			}
			fmt.Println()
		}
		it, err := inventory.Item(ctx, tx, p.Actor(0), vaccine.ID)
		fmt.Println("on hand:", it.OnHand)
		return err
	})
	// Output:
	// received +20 (order 1187)
	// used -1
	// adjusted -2 (vials broken)
	// on hand: 17
}

// SearchUsages lists what was given to the patients a clinic shares, newest first, wherever it
// was given, with the item's name in the catalogue of the clinic that gave it.
func ExampleSearchUsages() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	ctx := context.Background()
	_, _, pets := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})
	give := func(clinic int, item string) {
		it := s.Item(tb, p.Actor(clinic), vetshare.Item{Name: item})
		s.MustUpdate(tb, func(tx *vetshare.Tx) error {
			_, err := records.AddUsage(ctx, tx, p.Actor(clinic), vetshare.Record{PatientID: pets[0].ID, ItemID: it.ID, Quantity: 1})
			return err
		})
	}
	give(0, "Rabies vaccine")
	give(1, "DHPP vaccine")

	s.MustView(tb, func(tx *vetshare.Tx) error {
		rows, _, err := inventory.SearchUsages(ctx, tx, p.Actor(0), inventory.UsageSearch{Patient: pets[0].ID}, vetshare.Page{})
		if err != nil {
			return err
		}
		for _, u := range rows {
			fmt.Printf("%s: %d x %s at %s\n", u.PatientName, u.Record.Quantity, u.ItemName, u.OriginName)
		}
		return nil
	})
	// Output:
	// Scooby: 1 x DHPP vaccine at Clinic B
	// Scooby: 1 x Rabies vaccine at Clinic A
}

// BelowZero lists the tracked items whose count on hand went below zero, given before their
// stock was received: a list for a stock take.
func ExampleBelowZero() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()
	_, _, pets := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})
	vaccine := s.Item(tb, p.Actor(0), vetshare.Item{Name: "Rabies vaccine", Tracked: true})
	gauze := s.Item(tb, p.Actor(0), vetshare.Item{Name: "Gauze", Tracked: true})
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		if _, err := inventory.Receive(ctx, tx, p.Actor(0), gauze.ID, 10, "order 1188"); err != nil {
			return err
		}
		for _, it := range []vetshare.ItemID{vaccine.ID, gauze.ID} {
			if _, err := records.AddUsage(ctx, tx, p.Actor(0), vetshare.Record{PatientID: pets[0].ID, ItemID: it, Quantity: 2}); err != nil {
				return err
			}
		}
		return nil
	})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		rows, _, err := inventory.BelowZero(ctx, tx, p.Actor(0), vetshare.Page{})
		if err != nil {
			return err
		}
		for _, it := range rows {
			fmt.Println(it.Name, it.OnHand)
		}
		return nil
	})
	// Output:
	// Rabies vaccine -2
}
