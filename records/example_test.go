package records_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/vetsharetest"
)

// rabies is an item with one reminder rule: a Rabies reminder a year after it is given.
func rabies(name string) vetshare.Item {
	return vetshare.Item{Name: name, Kind: vetshare.ItemProduct, Tracked: true,
		Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}}
}

// A client created at Clinic A of an automatic share group reaches Clinic B in the same
// transaction, with B's own client number.
func ExampleCreateClient() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic) // Clinic A and Clinic B share automatically
	ctx := context.Background()

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		c, entries, err := records.CreateClient(ctx, tx, p.Actor(0), vetshare.Client{
			LastName: "Rogers", FirstName: "Shaggy", Phone: "555-0142", Email: "shaggy@mystery.example"})
		if err != nil {
			return err
		}
		fmt.Printf("Clinic A: %s %s, client #%d\n", c.FirstName, c.LastName, entries[0].Number)
		atB := entries[1] // made by automatic sharing, in the same transaction
		fmt.Printf("Clinic B: client #%d, shared %s\n", atB.Number, atB.Via)
		return nil
	})
	// Output:
	// Clinic A: Shaggy Rogers, client #1
	// Clinic B: client #1, shared automatic
}

// An edit names the version it is based on: one clinic's edit is seen by the other, and an edit
// based on a stale version is refused with a conflict, to be re-read and retried (R2.6).
func ExampleUpdateClient() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	ctx := context.Background()
	shaggy, _, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers", FirstName: "Shaggy", Phone: "555-0142"})

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		c := shaggy
		c.Phone = "555-0199"
		c, err := records.UpdateClient(ctx, tx, p.Actor(1), c) // from Clinic B
		if err != nil {
			return err
		}
		fmt.Println("phone:", c.Phone, "version:", c.Version)

		stale := shaggy // still version 1
		stale.Email = "shaggy@mystery.example"
		_, err = records.UpdateClient(ctx, tx, p.Actor(0), stale)
		fmt.Println("stale edit refused:", errors.Is(err, vetshare.ErrConflict))
		return nil
	})
	// Output:
	// phone: 555-0199 version: 2
	// stale edit refused: true
}

// A patient belongs to a client and is seen by every clinic that shares the client.
func ExampleAddPatient() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	ctx := context.Background()
	shaggy, _, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers", FirstName: "Shaggy"})

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		scooby, err := records.AddPatient(ctx, tx, p.Actor(0), vetshare.Patient{ClientID: shaggy.ID,
			Name: "Scooby", Species: "dog", Breed: "Great Dane", BirthDate: time.Date(2019, 9, 13, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		atB, err := records.Patient(ctx, tx, p.Actor(1), scooby.ID)
		if err != nil {
			return err
		}
		fmt.Printf("Clinic B sees %s, a %s %s born %s\n", atB.Name, atB.Breed, atB.Species, atB.BirthDate.Format("2006-01-02"))
		return nil
	})
	// Output:
	// Clinic B sees Scooby, a Great Dane dog born 2019-09-13
}

// A record is stamped with the clinic and the user that added it, and read the same from every
// clinic that shares the patient (R3.2).
func ExampleAddRecord() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	name := map[vetshare.AccountID]string{p.Clinics[0].ID: p.Clinics[0].Name, p.Clinics[1].ID: p.Clinics[1].Name}
	ctx := context.Background()
	_, _, pets := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		r, err := records.AddRecord(ctx, tx, p.Actor(1), vetshare.Record{PatientID: pets[0].ID,
			Kind: vetshare.RecordNote, Text: "Limping on the left foreleg; rest for a week."})
		if err != nil {
			return err
		}
		atA, err := records.Record(ctx, tx, p.Actor(0), r.ID)
		if err != nil {
			return err
		}
		fmt.Printf("%s: %q (added at %s by the admin: %v)\n", atA.Kind, atA.Text, name[atA.AccountID], atA.UserID == p.Admin.ID)
		return nil
	})
	// Output:
	// note: "Limping on the left foreleg; rest for a week." (added at Clinic B by the admin: true)
}

// A usage moves the stock of the clinic where the item is given and schedules the item's
// reminders from that clinic.
func ExampleAddUsage() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()
	_, _, pets := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})
	vaccine := s.Item(tb, p.Actor(0), rabies("Rabies vaccine"))

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		ch, err := records.AddUsage(ctx, tx, p.Actor(0), vetshare.Record{PatientID: pets[0].ID, ItemID: vaccine.ID, Quantity: 1})
		if err != nil {
			return err
		}
		fmt.Println("stock moved:", ch.Movement.Kind, ch.Movement.Quantity)
		for _, r := range ch.Scheduled {
			fmt.Println("reminder:", r.Kind, "due", r.Due.Format("2006-01-02"))
		}
		return nil
	})
	// Output:
	// stock moved: used -1
	// reminder: Rabies due 2027-01-05
}

// A usage recorded by mistake is removed: it is kept, marked removed, its stock comes back and
// its reminders are withdrawn (R5.3, R7.8).
func ExampleRemoveUsage() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()
	_, _, pets := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})
	vaccine := s.Item(tb, p.Actor(0), rabies("Rabies vaccine"))
	var usage vetshare.RecordID
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		ch, err := records.AddUsage(ctx, tx, p.Actor(0), vetshare.Record{PatientID: pets[0].ID, ItemID: vaccine.ID, Quantity: 1})
		usage = ch.Record.ID
		return err
	})

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		ch, err := records.RemoveUsage(ctx, tx, p.Actor(0), usage, "given to the wrong patient")
		if err != nil {
			return err
		}
		fmt.Printf("removed because %q\n", ch.Record.Removed.Reason)
		fmt.Println("stock moved:", ch.Movement.Kind, ch.Movement.Quantity)
		for _, r := range ch.Changed {
			fmt.Println("reminder:", r.Kind, r.Status)
		}
		it, err := inventory.Item(ctx, tx, p.Actor(0), vaccine.ID)
		fmt.Println("on hand:", it.OnHand)
		return err
	})
	// Output:
	// removed because "given to the wrong patient"
	// stock moved: returned 1
	// reminder: Rabies withdrawn
	// on hand: 0
}

// A usage recorded at the wrong clinic is moved in one call: removed there, with its stock
// returned, and recorded at the right clinic with that clinic's item, whose reminders then come
// from the right clinic (R5.3, R7.2).
func ExampleMoveUsage() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	name := map[vetshare.AccountID]string{p.Clinics[0].ID: p.Clinics[0].Name, p.Clinics[1].ID: p.Clinics[1].Name}
	ctx := context.Background()
	_, _, pets := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})
	atA := s.Item(tb, p.Actor(0), rabies("Rabies vaccine"))
	atB := s.Item(tb, p.Actor(1), rabies("Imrab 1yr"))
	var usage vetshare.RecordID
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		ch, err := records.AddUsage(ctx, tx, p.Actor(0), vetshare.Record{PatientID: pets[0].ID, ItemID: atA.ID, Quantity: 1})
		usage = ch.Record.ID
		return err
	})

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		removed, added, err := records.MoveUsage(ctx, tx, p.Actor(0), usage, "given at Clinic B", p.Clinics[1].ID, atB.ID)
		if err != nil {
			return err
		}
		fmt.Printf("%s: stock %s %+d\n", name[removed.Movement.AccountID], removed.Movement.Kind, removed.Movement.Quantity)
		fmt.Printf("%s: stock %s %+d\n", name[added.Movement.AccountID], added.Movement.Kind, added.Movement.Quantity)
		for _, r := range added.Scheduled {
			fmt.Println("reminder:", r.Kind, "from", name[r.AccountID])
		}
		return nil
	})
	// Output:
	// Clinic A: stock returned +1
	// Clinic B: stock used -1
	// reminder: Rabies from Clinic B
}
