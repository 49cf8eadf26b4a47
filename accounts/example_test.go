package accounts_test

import (
	"context"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/vetsharetest"
)

// An owner is created first: every clinic account belongs to one, and sharing only ever happens
// inside one owner.
func ExampleCreateOwner() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	ctx := context.Background()

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		owner, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "  Riverside Veterinary Group "})
		if err != nil {
			return err
		}
		fmt.Printf("%q, task sharing %v, created %s\n", owner.Name, owner.TaskSharing, owner.CreatedAt.Format("2006-01-02 15:04"))
		return nil
	})
	// Output:
	// "Riverside Veterinary Group", task sharing false, created 2026-01-05 09:00
}

// A clinic account is created for an owner, with the email address on file that sharing
// requests must come from, its time zone and its currency.
func ExampleCreateAccount() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	ctx := context.Background()

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		owner, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "Riverside Veterinary Group"})
		if err != nil {
			return err
		}
		north, err := accounts.CreateAccount(ctx, tx, vetshare.Account{
			OwnerID:       owner.ID,
			Name:          "Riverside North",
			Email:         `"Front Desk" <North@Riverside.example>`,
			EmailVerified: true,
			TimeZone:      "America/Chicago",
			Currency:      "USD",
		})
		if err != nil {
			return err
		}
		fmt.Println(north.Name, north.Email, north.TimeZone, north.Currency)
		return nil
	})
	// Output:
	// Riverside North north@riverside.example America/Chicago USD
}

// A user is a staff member; what they may do is decided per account by their memberships.
func ExampleCreateUser() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	ctx := context.Background()

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		ada, err := accounts.CreateUser(ctx, tx, vetshare.User{Name: "Dr. Ada Park", Email: "Ada@Riverside.example", EmailVerified: true, Active: true})
		if err != nil {
			return err
		}
		fmt.Println(ada.Name, ada.Email, "active:", ada.Active, "verified:", ada.EmailVerified)
		return nil
	})
	// Output:
	// Dr. Ada Park ada@riverside.example active: true verified: true
}

// Grant gives a user a role and permissions in one account. Operations then take an actor, the
// user and the account they are logged into, and [accounts.Check] finds the membership.
func ExampleGrant() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, "") // an owner with Clinic A and Clinic B
	ctx := context.Background()

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		sam, err := accounts.CreateUser(ctx, tx, vetshare.User{Name: "Sam Front", Email: "sam@riverside.example", Active: true})
		if err != nil {
			return err
		}
		err = accounts.Grant(ctx, tx, vetshare.Membership{UserID: sam.ID, AccountID: p.Clinics[0].ID,
			Role: vetshare.RoleStaff, Permissions: vetshare.PermTaskCreate | vetshare.PermTaskComplete, Active: true})
		if err != nil {
			return err
		}
		m, err := accounts.Check(ctx, tx, vetshare.Actor{User: sam.ID, Account: p.Clinics[0].ID})
		if err != nil {
			return err
		}
		fmt.Printf("at %s: %s, may complete tasks: %v, may delete tasks: %v\n", p.Clinics[0].Name, m.Role,
			m.Permissions.Has(vetshare.PermTaskComplete), m.Permissions.Has(vetshare.PermTaskDelete))
		_, err = accounts.Check(ctx, tx, vetshare.Actor{User: sam.ID, Account: p.Clinics[1].ID})
		fmt.Printf("at %s: a membership: %v\n", p.Clinics[1].Name, err == nil)
		return nil
	})
	// Output:
	// at Clinic A: staff, may complete tasks: true, may delete tasks: false
	// at Clinic B: a membership: false
}
