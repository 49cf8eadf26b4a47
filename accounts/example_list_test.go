package accounts_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/vetsharetest"
)

// Account reads another clinic of the same owner, as a screen that names the clinic a client or
// a record came from does; a clinic of another owner is not found, as if it did not exist.
func ExampleAccount() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, "") // Clinic A and Clinic B
	other := s.NewPracticeNamed(tb, "Hillside Animal Hospital", 1, "")
	ctx := context.Background()

	s.MustView(tb, func(tx *vetshare.Tx) error {
		b, err := accounts.Account(ctx, tx, p.Actor(0), p.Clinics[1].ID) // from Clinic A
		if err != nil {
			return err
		}
		fmt.Println(b.Name, b.Email, b.TimeZone, b.Currency)

		_, err = accounts.Account(ctx, tx, p.Actor(0), other.Clinics[0].ID)
		fmt.Println("another owner's clinic found:", !errors.Is(err, vetshare.ErrNotFound))
		return nil
	})
	// Output:
	// Clinic B clinicb@riverside.example America/Chicago USD
	// another owner's clinic found: false
}

// Owner reads the owner of the clinic the actor is logged into, with its task-sharing switch.
func ExampleOwner() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, "")
	ctx := context.Background()

	s.MustView(tb, func(tx *vetshare.Tx) error {
		o, err := accounts.Owner(ctx, tx, p.Actor(1))
		if err != nil {
			return err
		}
		fmt.Printf("%s, task sharing %v, created %s\n", o.Name, o.TaskSharing, o.CreatedAt.Format("2006-01-02"))
		return nil
	})
	// Output:
	// Riverside Veterinary Group, task sharing false, created 2026-01-05
}

// Clinics lists the owner's clinics, oldest first, a page at a time: the next cursor is handed
// back unchanged for the next page, and an empty one says there is no more.
func ExampleClinics() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "") // Clinic A
	ctx := context.Background()
	// Clinics opened later, each in a transaction of its own: clinics created in one
	// transaction are equally old, and their order among themselves is not given.
	for _, name := range []string{"Clinic B", "Clinic C"} {
		s.MustUpdate(tb, func(tx *vetshare.Tx) error {
			_, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: p.Owner.ID, Name: name,
				Email: "desk@riverside.example", TimeZone: "America/Chicago", Currency: "USD"})
			return err
		})
	}

	s.MustView(tb, func(tx *vetshare.Tx) error {
		page := vetshare.Page{Limit: 2}
		for {
			rows, next, err := accounts.Clinics(ctx, tx, p.Actor(0), page)
			if err != nil {
				return err
			}
			for _, a := range rows {
				fmt.Println(a.Name)
			}
			if next == "" {
				fmt.Println("end")
				return nil
			}
			fmt.Println("next page")
			page.After = next
		}
	})
	// Output:
	// Clinic A
	// Clinic B
	// next page
	// Clinic C
	// end
}
