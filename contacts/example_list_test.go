package contacts_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/contacts"
	"github.com/vetshare/vetshare/vetsharetest"
)

// List shows a clinic's address book by name: all of it, or the entries of one kind whose name
// starts with what was typed.
func ExampleList() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		for _, c := range []vetshare.Contact{
			{Kind: vetshare.ContactCompany, Name: "Prairie Diagnostics", Category: "lab"},
			{Kind: vetshare.ContactPerson, Name: "Dr. Ruth Okafor", Category: "referring vet"},
			{Kind: vetshare.ContactCompany, Name: "Plains Pharma Supply", Category: "supplier"},
			{Kind: vetshare.ContactPerson, Name: "Pat Lindqvist", Category: "farrier"},
		} {
			if _, err := contacts.Create(ctx, tx, p.Actor(0), c); err != nil {
				return err
			}
		}
		return nil
	})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		for _, q := range []contacts.ListQuery{{}, {Kind: vetshare.ContactCompany, Prefix: "p"}} {
			rows, _, err := contacts.List(ctx, tx, p.Actor(0), q, vetshare.Page{})
			if err != nil {
				return err
			}
			fmt.Printf("kind %q, prefix %q:\n", q.Kind, q.Prefix)
			for _, c := range rows {
				fmt.Printf("- %s (%s, %s)\n", c.Name, c.Kind, c.Category)
			}
		}
		return nil
	})
	// Output:
	// kind "", prefix "":
	// - Dr. Ruth Okafor (person, referring vet)
	// - Pat Lindqvist (person, farrier)
	// - Plains Pharma Supply (company, supplier)
	// - Prairie Diagnostics (company, lab)
	// kind "company", prefix "p":
	// - Plains Pharma Supply (company, supplier)
	// - Prairie Diagnostics (company, lab)
}

// Get reads one entry of the logged-in clinic's address book; another clinic's entry is not
// found, even of the same owner.
func ExampleGet() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	ctx := context.Background()
	var lab vetshare.Contact
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		var err error
		lab, err = contacts.Create(ctx, tx, p.Actor(0), vetshare.Contact{Kind: vetshare.ContactCompany,
			Name: "Prairie Diagnostics", Category: "lab", Phone: "555-0300", Email: "results@prairie.example"})
		return err
	})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		c, err := contacts.Get(ctx, tx, p.Actor(0), lab.ID)
		if err != nil {
			return err
		}
		fmt.Println(c.Name, c.Phone, c.Email, "version", c.Version)
		_, err = contacts.Get(ctx, tx, p.Actor(1), lab.ID)
		fmt.Println("Clinic B finds it:", !errors.Is(err, vetshare.ErrNotFound))
		return nil
	})
	// Output:
	// Prairie Diagnostics 555-0300 results@prairie.example version 1
	// Clinic B finds it: false
}
