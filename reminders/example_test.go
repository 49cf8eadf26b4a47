package reminders_test

import (
	"context"
	"fmt"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
	"github.com/vetshare/vetshare/vetsharetest"
)

// The Scooby story of R7.4: Scooby got Rabies at Clinic B; Clinic A then gives its own Rabies
// vaccine, and A has a disable action for B's item, so B's reminder is completed and A's new
// one is the one open.
func ExampleAddDisableAction() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	atA, atB := p.Actor(0), p.Actor(1)
	name := map[vetshare.AccountID]string{p.Clinics[0].ID: p.Clinics[0].Name, p.Clinics[1].ID: p.Clinics[1].Name}
	ctx := context.Background()
	yearly := []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}
	rabiesA := s.Item(tb, atA, vetshare.Item{Name: "Rabies vaccine", Reminders: yearly})
	rabiesB := s.Item(tb, atB, vetshare.Item{Name: "Imrab 1yr", Reminders: yearly})
	_, _, pets := s.Client(tb, atA, vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})
	scooby := pets[0].ID

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		a, err := reminders.AddDisableAction(ctx, tx, atA, rabiesA.ID, rabiesB.ID)
		if err != nil {
			return err
		}
		fmt.Printf("at %s, giving %s completes %s's %s reminders\n", name[a.AccountID], rabiesA.Name, name[a.TargetAccountID], rabiesB.Name)
		return nil
	})
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		_, err := records.AddUsage(ctx, tx, atB, vetshare.Record{PatientID: scooby, ItemID: rabiesB.ID, Quantity: 1})
		return err
	})
	s.Clock.Add(7 * 24 * time.Hour)
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		ch, err := records.AddUsage(ctx, tx, atA, vetshare.Record{PatientID: scooby, ItemID: rabiesA.ID, Quantity: 1})
		for _, r := range ch.Changed {
			fmt.Printf("%s reminder from %s: %s\n", r.Kind, name[r.AccountID], r.Status)
		}
		for _, r := range ch.Scheduled {
			fmt.Printf("%s reminder from %s: %s, due %s\n", r.Kind, name[r.AccountID], r.Status, r.Due.Format("2006-01-02"))
		}
		return err
	})
	// Output:
	// at Clinic A, giving Rabies vaccine completes Clinic B's Imrab 1yr reminders
	// Rabies reminder from Clinic B: completed
	// Rabies reminder from Clinic A: open, due 2027-01-12
}

// ReminderSource is a pure rule: a reminder comes from the clinic where the item was given,
// whatever the client's home (R7.2).
func ExampleReminderSource() {
	dhpp := vetshare.Record{Kind: vetshare.RecordUsage, AccountID: "clinic-a", ItemID: "dhpp"}
	rabies := vetshare.Record{Kind: vetshare.RecordUsage, AccountID: "clinic-b", ItemID: "imrab"}
	fmt.Println("DHPP reminder from", reminders.ReminderSource(dhpp))
	fmt.Println("Rabies reminder from", reminders.ReminderSource(rabies))
	// Output:
	// DHPP reminder from clinic-a
	// Rabies reminder from clinic-b
}

// ResolveDisableActions is a pure rule: given a new usage, the patient's open reminders and the
// disable actions configured, it returns the reminders the usage completes (R7.4). A host can
// run it on its own data to preview what recording a usage would do.
func ExampleResolveDisableActions() {
	at := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	open := []vetshare.Reminder{
		{ID: "r1", PatientID: "scooby", AccountID: "clinic-b", ItemID: "imrab", Kind: "Rabies", Status: vetshare.ReminderOpen},
		{ID: "r2", PatientID: "scooby", AccountID: "clinic-a", ItemID: "dhpp", Kind: "DHPP", Status: vetshare.ReminderOpen},
	}
	actions := []vetshare.DisableAction{
		{AccountID: "clinic-a", ItemID: "rabies-a", TargetAccountID: "clinic-b", TargetItemID: "imrab"},
	}
	usage := vetshare.Record{ID: "u1", Kind: vetshare.RecordUsage, PatientID: "scooby", AccountID: "clinic-a", ItemID: "rabies-a", CreatedAt: at}

	for _, r := range reminders.ResolveDisableActions(usage, open, actions) {
		fmt.Println(r.ID, r.Kind, r.Status, "by", r.CompletedBy)
	}
	// Without the action, Clinic B's reminder stays open: a duplicate (R7.5).
	fmt.Println("without the action:", len(reminders.ResolveDisableActions(usage, open, nil)))
	// Output:
	// r1 Rabies completed by u1
	// without the action: 0
}
