package contacts_test

import (
	"context"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/contacts"
	"github.com/vetshare/vetshare/vetsharetest"
)

// A clinic's address book holds companies and the people who work at them; it is never shared.
func ExampleCreate() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		lab, err := contacts.Create(ctx, tx, p.Actor(0), vetshare.Contact{Kind: vetshare.ContactCompany, Name: "Prairie Diagnostics", Category: "lab", Phone: "555-0300"})
		if err != nil {
			return err
		}
		tech, err := contacts.Create(ctx, tx, p.Actor(0), vetshare.Contact{Kind: vetshare.ContactPerson, Name: "Lee Chen", CompanyID: lab.ID, Category: "lab"})
		if err != nil {
			return err
		}
		fmt.Printf("%s (%s, %s); %s works there: %v\n", lab.Name, lab.Kind, lab.Category, tech.Name, tech.CompanyID == lab.ID)
		return nil
	})
	// Output:
	// Prairie Diagnostics (company, lab); Lee Chen works there: true
}

// Copy gives another clinic of the same owner its own, independent copy of an entry (R6.2).
func ExampleCopy() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, "")
	ctx := context.Background()

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		vet, err := contacts.Create(ctx, tx, p.Actor(0), vetshare.Contact{Kind: vetshare.ContactPerson, Name: "Dr. Ruth Okafor", Category: "referring vet", Phone: "555-0410"})
		if err != nil {
			return err
		}
		cp, err := contacts.Copy(ctx, tx, p.Actor(0), vet.ID, p.Clinics[1].ID)
		if err != nil {
			return err
		}
		fmt.Printf("copied %s, %s: copied from the original: %v\n", cp.Name, cp.Phone, cp.CopiedFrom == vet.ID)

		vet.Phone = "555-0499" // an edit at Clinic A does not reach Clinic B's copy
		if _, err := contacts.Update(ctx, tx, p.Actor(0), vet); err != nil {
			return err
		}
		cp, err = contacts.Get(ctx, tx, p.Actor(1), cp.ID)
		fmt.Println("Clinic B's copy still has", cp.Phone)
		return err
	})
	// Output:
	// copied Dr. Ruth Okafor, 555-0410: copied from the original: true
	// Clinic B's copy still has 555-0410
}
