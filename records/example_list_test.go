package records_test

import (
	"context"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/vetsharetest"
)

// Clients lists a clinic's clients by name, those whose name starts with what was typed, a
// page at a time: the next cursor is handed back for the next page, and is empty at the end.
func ExampleClients() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()
	for _, c := range []vetshare.Client{
		{LastName: "Rogers", FirstName: "Shaggy"}, // #1
		{LastName: "Jones", FirstName: "Fred"},    // #2
		{LastName: "Robinson", FirstName: "Ann"},  // #3
		{LastName: "Rogers", FirstName: "Velma"},  // #4
	} {
		s.Client(tb, p.Actor(0), c)
	}

	s.MustView(tb, func(tx *vetshare.Tx) error {
		page := vetshare.Page{Limit: 2}
		for {
			rows, next, err := records.Clients(ctx, tx, p.Actor(0), "RO", page)
			if err != nil {
				return err
			}
			for _, c := range rows {
				fmt.Printf("#%d %s, %s\n", c.Entry.Number, c.LastName, c.FirstName)
			}
			if next == "" {
				return nil
			}
			fmt.Println("next page")
			page.After = next
		}
	})
	// Output:
	// #3 Robinson, Ann
	// #1 Rogers, Shaggy
	// next page
	// #4 Rogers, Velma
}

// History lists a patient's records as any clinic that shares the patient sees them, each
// stamped with the clinic that added it; a removed record is left out.
func ExampleHistory() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	name := map[vetshare.AccountID]string{p.Clinics[0].ID: p.Clinics[0].Name, p.Clinics[1].ID: p.Clinics[1].Name}
	ctx := context.Background()
	_, _, pets := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})
	scooby := pets[0].ID
	add := func(clinic int, kind vetshare.RecordKind, text string) (r vetshare.Record) {
		s.MustUpdate(tb, func(tx *vetshare.Tx) error {
			var err error
			r, err = records.AddRecord(ctx, tx, p.Actor(clinic), vetshare.Record{PatientID: scooby, Kind: kind, Text: text})
			return err
		})
		return r
	}
	add(0, vetshare.RecordNote, "Annual check: healthy.")
	wrong := add(0, vetshare.RecordNote, "Meant for another patient.")
	add(1, vetshare.RecordLab, "Bloods normal.")
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		_, err := records.RemoveRecord(ctx, tx, p.Actor(0), wrong.ID, "wrong patient")
		return err
	})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		rows, _, err := records.History(ctx, tx, p.Actor(1), records.HistoryQuery{Patient: scooby}, vetshare.Page{})
		if err != nil {
			return err
		}
		for _, r := range rows {
			fmt.Printf("%s, %s: %s\n", name[r.AccountID], r.Kind, r.Text)
		}
		return nil
	})
	// Output:
	// Clinic A, note: Annual check: healthy.
	// Clinic B, lab: Bloods normal.
}

// Patients lists a client's patients in the order they were added; a clinic that shares the
// client sees the same list.
func ExamplePatients() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	ctx := context.Background()
	shaggy, _, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"},
		vetshare.Patient{Name: "Scooby", Breed: "Great Dane"}, vetshare.Patient{Name: "Scrappy", Breed: "Great Dane"})
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		_, err := records.AddPatient(ctx, tx, p.Actor(1), vetshare.Patient{ClientID: shaggy.ID, Name: "Tom", Species: "cat"})
		return err
	})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		rows, _, err := records.Patients(ctx, tx, p.Actor(0), shaggy.ID, vetshare.Page{})
		if err != nil {
			return err
		}
		for _, pet := range rows {
			fmt.Println(pet.Name, pet.Species, pet.Breed)
		}
		return nil
	})
	// Output:
	// Scooby dog Great Dane
	// Scrappy dog Great Dane
	// Tom cat
}

// Client reads one client as the logged-in clinic sees it: the shared profile, and the
// clinic's own entry with its client number.
func ExampleClient() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	ctx := context.Background()
	s.Client(tb, p.Actor(1), vetshare.Client{LastName: "Jones", FirstName: "Fred"}) // B's #1, reaching A as its #1
	shaggy, _, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers", FirstName: "Shaggy", Phone: "555-0142"})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		c, e, err := records.Client(ctx, tx, p.Actor(1), shaggy.ID) // at Clinic B
		if err != nil {
			return err
		}
		fmt.Printf("%s %s, %s: Clinic B's client #%d, shared %s\n", c.FirstName, c.LastName, c.Phone, e.Number, e.Via)
		return nil
	})
	// Output:
	// Shaggy Rogers, 555-0142: Clinic B's client #2, shared automatic
}

// ClientByNumber finds a client by the number the logged-in clinic gave it; the same number
// at another clinic is another client.
func ExampleClientByNumber() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeManual) // nothing shared unless asked
	ctx := context.Background()
	s.Client(tb, p.Actor(1), vetshare.Client{LastName: "Jones", FirstName: "Fred"})    // B's #1
	s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers", FirstName: "Shaggy"}) // A's #1

	s.MustView(tb, func(tx *vetshare.Tx) error {
		for i, clinic := range p.Clinics {
			c, _, err := records.ClientByNumber(ctx, tx, p.Actor(i), 1)
			if err != nil {
				return err
			}
			fmt.Printf("%s's client #1: %s %s\n", clinic.Name, c.FirstName, c.LastName)
		}
		return nil
	})
	// Output:
	// Clinic A's client #1: Shaggy Rogers
	// Clinic B's client #1: Fred Jones
}
