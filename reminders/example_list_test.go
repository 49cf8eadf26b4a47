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

// rule is one reminder rule: a reminder of kind, count units after the item is given.
func rule(kind string, count int, unit vetshare.IntervalUnit) []vetshare.ReminderRule {
	return []vetshare.ReminderRule{{Kind: kind, Interval: vetshare.Interval{Count: count, Unit: unit}}}
}

// give records a usage of a new item with the rules at the clinic of actor, for the patient.
func give(tb *vetsharetest.ExampleTB, s *vetsharetest.Store, actor vetshare.Actor, patient vetshare.PatientID, name string, rules []vetshare.ReminderRule) vetshare.Item {
	it := s.Item(tb, actor, vetshare.Item{Name: name, Reminders: rules})
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		_, err := records.AddUsage(context.Background(), tx, actor, vetshare.Record{PatientID: patient, ItemID: it.ID, Quantity: 1})
		return err
	})
	return it
}

// Due lists the reminders a clinic sends in a window of dates, each with the patient's and the
// clinic's names: only the reminders that come from that clinic, though the patient is shared.
func ExampleDue() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	ctx := context.Background()
	_, _, pets := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})
	give(tb, s, p.Actor(0), pets[0].ID, "DHPP vaccine", rule("DHPP", 3, vetshare.Weeks))
	give(tb, s, p.Actor(0), pets[0].ID, "Rabies vaccine", rule("Rabies", 1, vetshare.Years))
	give(tb, s, p.Actor(1), pets[0].ID, "Bordetella", rule("Kennel cough", 2, vetshare.Weeks)) // Clinic B sends this one

	from := vetsharetest.Start() // Monday 5 January 2026
	s.MustView(tb, func(tx *vetshare.Tx) error {
		rows, _, err := reminders.Due(ctx, tx, p.Actor(0), from, from.AddDate(0, 1, 0), vetshare.Page{})
		if err != nil {
			return err
		}
		for _, r := range rows {
			fmt.Printf("%s: %s's %s reminder, due %s\n", r.AccountName, r.PatientName, r.Kind, r.Due.Format("2006-01-02"))
		}
		return nil
	})
	// Output:
	// Clinic A: Scooby's DHPP reminder, due 2026-01-26
}

// PatientReminders lists all of a patient's reminders, from every clinic that gave the patient
// something, by due date, each with the clinic it comes from.
func ExamplePatientReminders() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	name := map[vetshare.AccountID]string{p.Clinics[0].ID: p.Clinics[0].Name, p.Clinics[1].ID: p.Clinics[1].Name}
	ctx := context.Background()
	_, _, pets := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})
	give(tb, s, p.Actor(0), pets[0].ID, "Rabies vaccine", rule("Rabies", 1, vetshare.Years))
	give(tb, s, p.Actor(1), pets[0].ID, "Bordetella", rule("Kennel cough", 6, vetshare.Months))

	s.MustView(tb, func(tx *vetshare.Tx) error {
		rows, _, err := reminders.PatientReminders(ctx, tx, p.Actor(1), pets[0].ID, "", vetshare.Page{}) // "": any status
		if err != nil {
			return err
		}
		for _, r := range rows {
			fmt.Printf("%s due %s, %s, from %s\n", r.Kind, r.Due.Format("2006-01-02"), r.Status, name[r.AccountID])
		}
		return nil
	})
	// Output:
	// Kennel cough due 2026-07-05, open, from Clinic B
	// Rabies due 2027-01-05, open, from Clinic A
}

// DuplicateReport finds what makes a client reminded twice: an item of one clinic whose
// reminders another clinic's item of the same kind does not complete, and the patients who have
// such duplicates now.
func ExampleDuplicateReport() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, vetshare.ModeAutomatic)
	atA, atB := p.Actor(0), p.Actor(1)
	name := map[vetshare.AccountID]string{p.Clinics[0].ID: p.Clinics[0].Name, p.Clinics[1].ID: p.Clinics[1].Name}
	ctx := context.Background()
	_, _, pets := s.Client(tb, atA, vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})
	rabiesA := give(tb, s, atA, pets[0].ID, "Rabies vaccine", rule("Rabies", 1, vetshare.Years))
	s.Clock.Add(7 * 24 * time.Hour)
	rabiesB := give(tb, s, atB, pets[0].ID, "Imrab 1yr", rule("Rabies", 1, vetshare.Years)) // A's stays open
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		// Clinic A's vaccine completes B's reminders; B has no such action for A's.
		_, err := reminders.AddDisableAction(ctx, tx, atA, rabiesA.ID, rabiesB.ID)
		return err
	})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		rep, err := reminders.DuplicateReport(ctx, tx, atA)
		if err != nil {
			return err
		}
		for _, g := range rep.Gaps {
			fmt.Printf("gap: %s reminders of %s's %s stay open when %s gives %s\n",
				g.Kind, name[g.Item.AccountID], g.Item.Name, name[g.GivenBy.AccountID], g.GivenBy.Name)
		}
		for _, d := range rep.Duplicates {
			fmt.Printf("duplicate: %d open %s reminders for one patient\n", len(d.Reminders), d.Kind)
			for _, r := range d.Reminders {
				fmt.Printf("- from %s, due %s\n", name[r.AccountID], r.Due.Format("2006-01-02"))
			}
		}
		return nil
	})
	// Output:
	// gap: Rabies reminders of Clinic A's Rabies vaccine stay open when Clinic B gives Imrab 1yr
	// duplicate: 2 open Rabies reminders for one patient
	// - from Clinic A, due 2027-01-05
	// - from Clinic B, due 2027-01-12
}
