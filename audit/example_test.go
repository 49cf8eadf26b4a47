package audit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/vetsharetest"
)

// Log reads the owner's audit log in the order it was written: a sharing request refused for
// not being in writing, the written one approved, a new client shared with the other clinic,
// and the client's home location changed, each with who did it, from which clinic, and the
// outcome.
func ExampleLog() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, "")
	clinic := map[vetshare.AccountID]string{p.Clinics[0].ID: p.Clinics[0].Name, p.Clinics[1].ID: p.Clinics[1].Name}
	user := map[vetshare.UserID]string{p.Admin.ID: p.Admin.Name}
	ctx := context.Background()
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		byPhone := p.Request(sharing.ActionEnable, vetshare.ModeAutomatic, p.ClinicIDs()...)
		byPhone.Channel = sharing.ChannelPhone
		_, err := sharing.Enable(ctx, tx, byPhone) // rejected, and audited
		return err
	})
	s.Clock.Add(time.Hour)
	p.Share(tb, vetshare.ModeAutomatic, p.ClinicIDs()...)
	s.Clock.Add(time.Hour)
	shaggy, _, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}) // shared with B: audited
	s.Clock.Add(time.Hour)
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		_, err := sharing.SetHomeLocation(ctx, tx, p.Actor(1), shaggy.ID, p.Clinics[1].ID)
		return err
	})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		rows, _, err := audit.Log(ctx, tx, p.Actor(0), vetshare.Page{})
		if err != nil {
			return err
		}
		for _, e := range rows {
			fmt.Printf("%d %s %s %s, by %s at %s\n", e.Seq, e.At.Format("15:04"), e.Action, e.Outcome, user[e.UserID], clinic[e.AccountID])
		}
		return nil
	})
	// Output:
	// 1 09:00 sharing.enable rejected, by Ada Admin at Clinic A
	// 2 10:00 sharing.enable ok, by Ada Admin at Clinic A
	// 3 11:00 client.share ok, by Ada Admin at Clinic A
	// 4 12:00 client.home ok, by Ada Admin at Clinic B
}

// Verify recomputes the owner's whole chain of entries and returns how many it checked; an
// entry changed in storage would be reported as a *BrokenError.
func ExampleVerify() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic) // the approved request is audited
	ctx := context.Background()
	shaggy, _, _ := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"})
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		_, err := sharing.SetHomeLocation(ctx, tx, p.Actor(1), shaggy.ID, p.Clinics[1].ID)
		return err
	})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		n, err := audit.Verify(ctx, tx, p.Actor(0))
		if err != nil {
			return err
		}
		fmt.Println("entries verified:", n)
		return nil
	})
	// Output:
	// entries verified: 3
}
