package sharing_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/vetsharetest"
)

// Authorize is a pure function: a host can decide a request on its own data, without a store.
func ExampleAuthorize() {
	north := vetshare.Account{ID: "north", Name: "North", OwnerID: "riverside", Email: "north@riverside.example", EmailVerified: true}
	south := vetshare.Account{ID: "south", Name: "South", OwnerID: "riverside", Email: "south@riverside.example", EmailVerified: true}
	ada := vetshare.User{ID: "ada", Active: true, EmailVerified: true}
	admin := func(a vetshare.AccountID) *vetshare.Membership {
		return &vetshare.Membership{UserID: "ada", AccountID: a, Role: vetshare.RoleAdmin, Active: true}
	}
	facts := sharing.Facts{Requester: ada, RequesterFound: true, Accounts: []sharing.AccountFacts{
		{Account: north, Found: true, Membership: admin("north")},
		{Account: south, Found: true, Membership: nil}, // Ada holds no role at South
	}}
	req := sharing.Request{Action: sharing.ActionEnable, Accounts: []vetshare.AccountID{"north", "south"},
		Mode: vetshare.ModeManual, Requester: "ada", Channel: sharing.ChannelPhone, From: "ada@gmail.example"}

	d := sharing.Authorize(req, facts)
	fmt.Println("approved:", d.Approved)
	for _, r := range d.Reasons {
		fmt.Println("-", r)
	}
	fmt.Println("not written:", errors.Is(d.Err(), sharing.ErrNotWritten))

	req.Channel, req.From = sharing.ChannelEmail, `"North" <North@Riverside.example>`
	facts.Accounts[1].Membership = admin("south")
	fmt.Println("approved after fixing:", sharing.Authorize(req, facts).Approved)
	// Output:
	// approved: false
	// - the request was not made in writing: channel "phone"
	// - the requester is not an admin or owner of the account (South)
	// - the request was not sent from an account's email on file: ada@gmail.example
	// not written: true
	// approved after fixing: true
}

// Enable decides a written request to share records between clinics of one owner. A rejected
// request is not an error: the decision lists every reason, and is audited either way.
func ExampleEnable() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, "") // an owner with Clinic A and Clinic B, and their admin, Ada
	ctx := context.Background()
	both := []vetshare.AccountID{p.Clinics[0].ID, p.Clinics[1].ID}

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		// By phone: rejected (R1.2).
		d, err := sharing.Enable(ctx, tx, sharing.Request{Accounts: both, Mode: vetshare.ModeAutomatic,
			Requester: p.Admin.ID, Channel: sharing.ChannelPhone, From: p.Clinics[0].Email})
		if err != nil {
			return err
		}
		fmt.Println("by phone: approved:", d.Approved, "not written:", errors.Is(d.Err(), sharing.ErrNotWritten))

		// By email from Clinic A's address on file: approved, and the group is made.
		d, err = sharing.Enable(ctx, tx, sharing.Request{Accounts: both, Mode: vetshare.ModeAutomatic,
			Requester: p.Admin.ID, Channel: sharing.ChannelEmail, From: `"Front Desk" <ClinicA@Riverside.example>`,
			Reference: "mail of 5 January"})
		if err != nil {
			return err
		}
		fmt.Println("by email: approved:", d.Approved, "group made:", d.Group != "")
		return nil
	})
	// Output:
	// by phone: approved: false not written: true
	// by email: approved: true group made: true
}

// In a manual group, Clinic B shares a client of Clinic A by choosing it: B gets its own client
// entry with its own number, and sharing again creates nothing.
func ExampleShareClient() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeManual)
	atA, atB := p.Actor(0), p.Actor(1)
	ctx := context.Background()
	s.Client(tb, atB, vetshare.Client{LastName: "Blake", FirstName: "Fred"}) // B's client #1
	shaggy, _, pets := s.Client(tb, atA, vetshare.Client{LastName: "Rogers", FirstName: "Shaggy"}, vetshare.Patient{Name: "Scooby"})

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		e, err := sharing.ShareClient(ctx, tx, atB, shaggy.ID)
		if err != nil {
			return err
		}
		fmt.Printf("Clinic B's client #%d, shared %s\n", e.Number, e.Via)
		again, err := sharing.ShareClient(ctx, tx, atB, shaggy.ID)
		if err != nil {
			return err
		}
		fmt.Printf("again: client #%d\n", again.Number)
		scooby, err := records.Patient(ctx, tx, atB, pets[0].ID) // and every patient of the client
		fmt.Println("Clinic B sees patient", scooby.Name)
		return err
	})
	// Output:
	// Clinic B's client #2, shared manual
	// again: client #2
	// Clinic B sees patient Scooby
}

// Removing a clinic from its group stops new sharing only: the clients it already shares stay
// shared (R1.7, R3.5).
func ExampleRemove() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	ctx := context.Background()
	s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}) // shared with Clinic B on creation

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		res, err := sharing.Remove(ctx, tx, sharing.Request{Accounts: []vetshare.AccountID{p.Clinics[1].ID},
			Requester: p.Admin.ID, Channel: sharing.ChannelSignedForm, From: p.Clinics[1].Email})
		if err != nil {
			return err
		}
		fmt.Printf("approved: %v; client entries that stay shared: %d\n", res.Approved, res.LiveEntries)
		return nil
	})
	// Output:
	// approved: true; client entries that stay shared: 1
}

// A client's home location defaults to the clinic that created it and can be set to any clinic
// the client is shared with.
func ExampleSetHomeLocation() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	name := map[vetshare.AccountID]string{p.Clinics[0].ID: p.Clinics[0].Name, p.Clinics[1].ID: p.Clinics[1].Name}
	ctx := context.Background()
	shaggy, _, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers", FirstName: "Shaggy"})
	fmt.Println("home:", name[shaggy.HomeAccount])

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		c, err := sharing.SetHomeLocation(ctx, tx, p.Actor(1), shaggy.ID, p.Clinics[1].ID)
		if err != nil {
			return err
		}
		fmt.Println("home:", name[c.HomeAccount], "version:", c.Version)
		return nil
	})
	// Output:
	// home: Clinic A
	// home: Clinic B version: 2
}

// Client numbers differ per clinic; CrossReference translates one clinic's number into
// another's for the same shared client.
func ExampleCrossReference() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, "")
	ctx := context.Background()
	s.Client(tb, p.Actor(1), vetshare.Client{LastName: "Blake"}) // Clinic B's client #1, before sharing
	p.Share(tb, vetshare.ModeAutomatic, p.ClinicIDs()...)
	_, e, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}) // shared with B on creation

	s.MustView(tb, func(tx *vetshare.Tx) error {
		other, err := sharing.CrossReference(ctx, tx, p.Actor(0), e.Number, p.Clinics[1].ID)
		if err != nil {
			return err
		}
		fmt.Printf("Clinic A's client #%d is Clinic B's client #%d\n", e.Number, other.Number)
		return nil
	})
	// Output:
	// Clinic A's client #1 is Clinic B's client #2
}
