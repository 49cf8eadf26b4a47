package sharing_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/vetsharetest"
)

// Group shows a clinic its share group: the mode, the clinics in it now and every membership it
// has had, with when each clinic joined and left.
func ExampleGroup() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 3, "") // Clinic A, Clinic B and Clinic C, sharing nothing yet
	a, b, c := p.Clinics[0].ID, p.Clinics[1].ID, p.Clinics[2].ID
	ctx := context.Background()
	p.Share(tb, vetshare.ModeManual, a, b)
	s.Clock.Add(7 * 24 * time.Hour)
	p.Share(tb, vetshare.ModeManual, a, c) // C joins the group A is in
	s.Clock.Add(7 * 24 * time.Hour)
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		res, err := sharing.Remove(ctx, tx, p.Request(sharing.ActionRemove, "", b)) // B leaves
		if err != nil {
			return err
		}
		return res.Err()
	})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		g, err := sharing.Group(ctx, tx, p.Actor(0)) // as Clinic A sees it
		if err != nil {
			return err
		}
		// Clinics that joined in one transaction joined at the same time; show them by name.
		byJoined := func(x, y sharing.Member) int {
			return cmp.Or(x.JoinedAt.Compare(y.JoinedAt), strings.Compare(x.Name, y.Name))
		}
		slices.SortFunc(g.Members, byJoined)
		slices.SortFunc(g.History, byJoined)

		fmt.Println("mode:", g.Mode)
		for _, m := range g.Members {
			fmt.Println("member:", m.Name)
		}
		for _, m := range g.History {
			fmt.Printf("%s joined %s", m.Name, m.JoinedAt.Format("2006-01-02"))
			if !m.LeftAt.IsZero() {
				fmt.Printf(", left %s", m.LeftAt.Format("2006-01-02"))
			}
			fmt.Println()
		}
		return nil
	})
	// Output:
	// mode: manual
	// member: Clinic A
	// member: Clinic C
	// Clinic A joined 2026-01-05
	// Clinic B joined 2026-01-05, left 2026-01-19
	// Clinic C joined 2026-01-12
}

// In a manual group, a front desk at Clinic B types the first letters of a name and is offered
// the clients of the other clinics that B does not share yet, with their numbers there and their
// patients, to pick one and share it with [sharing.ShareClient].
func ExampleCandidates() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeManual)
	atA, atB := p.Actor(0), p.Actor(1)
	ctx := context.Background()
	s.Client(tb, atA, vetshare.Client{LastName: "Rogers", FirstName: "Shaggy"}, vetshare.Patient{Name: "Scooby"})
	velma, _, _ := s.Client(tb, atA, vetshare.Client{LastName: "Rogers", FirstName: "Velma"})
	s.Client(tb, atA, vetshare.Client{LastName: "Jones", FirstName: "Fred"})
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		_, err := sharing.ShareClient(ctx, tx, atB, velma.ID) // B shares Velma already
		return err
	})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		rows, next, err := sharing.Candidates(ctx, tx, atB, "rog", vetshare.Page{Limit: 10})
		if err != nil {
			return err
		}
		for _, c := range rows {
			fmt.Printf("%s, %s", c.Client.LastName, c.Client.FirstName)
			for _, a := range c.Accounts {
				fmt.Printf(" (%s #%d)", a.Name, a.Number)
			}
			for _, pet := range c.Patients {
				fmt.Printf(" %s the %s", pet.Name, pet.Species)
			}
			fmt.Println()
		}
		fmt.Println("more:", next != "")
		return nil
	})
	// Output:
	// Rogers, Shaggy (Clinic A #1) Scooby the dog
	// more: false
}

// HomeLocation gives a client's primary clinic as the logged-in clinic shows it: only a clinic
// that takes part in record sharing shows one.
func ExampleHomeLocation() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 3, "")
	p.Share(tb, vetshare.ModeAutomatic, p.Clinics[0].ID, p.Clinics[1].ID) // Clinic C shares nothing
	name := map[vetshare.AccountID]string{p.Clinics[0].ID: p.Clinics[0].Name}
	ctx := context.Background()
	shaggy, _, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers", FirstName: "Shaggy"}) // reaches B
	fred, _, _ := s.Client(tb, p.Actor(2), vetshare.Client{LastName: "Jones", FirstName: "Fred"})      // C's own

	s.MustView(tb, func(tx *vetshare.Tx) error {
		home, shown, err := sharing.HomeLocation(ctx, tx, p.Actor(1), shaggy.ID)
		if err != nil {
			return err
		}
		fmt.Printf("at Clinic B: shown %v, home %s\n", shown, name[home])
		_, shown, err = sharing.HomeLocation(ctx, tx, p.Actor(2), fred.ID)
		fmt.Printf("at Clinic C: shown %v\n", shown)
		return err
	})
	// Output:
	// at Clinic B: shown true, home Clinic A
	// at Clinic C: shown false
}
