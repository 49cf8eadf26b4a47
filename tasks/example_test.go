package tasks_test

import (
	"context"
	"fmt"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/tasks"
	"github.com/vetshare/vetshare/vetsharetest"
)

// A task belongs to the clinic it is created in, assigned to a user with a membership there; a
// due date can be given as a local day, read in the clinic's time zone: due by the day's end.
func ExampleCreate() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	sam := p.User(tb, "sam", vetshare.RoleStaff, vetshare.PermTaskComplete, 0)
	ctx := context.Background()
	_, _, pets := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		t, err := tasks.Create(ctx, tx, p.Actor(0), tasks.Draft{Kind: vetshare.TaskLabResultReview, Title: "Review Scooby's bloodwork",
			Assignee: sam.ID, DueOn: "2026-01-07", Priority: vetshare.PriorityHigh, PatientID: pets[0].ID})
		if err != nil {
			return err
		}
		local, err := time.LoadLocation(p.Clinics[0].TimeZone)
		if err != nil {
			return err
		}
		fmt.Printf("%q (%s), %s, due %s, assigned to Sam: %v\n", t.Title, t.Kind, t.Status, t.Due.In(local).Format("2006-01-02 15:04 MST"), t.Assignee == sam.ID)
		return nil
	})
	// Output:
	// "Review Scooby's bloodwork" (lab-result-review), open, due 2026-01-07 23:59 CST, assigned to Sam: true
}

// Completing a repeating task creates its next occurrence in the task's clinic (R9.8).
func ExampleComplete() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 1, "")
	ctx := context.Background()
	weekly := s.Task(tb, p.Actor(0), tasks.Draft{Title: "Check the controlled-drugs log", DueOn: "2026-01-09",
		Repeat: vetshare.RepeatRule{Every: 1, Unit: vetshare.RepeatWeek}})

	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		done, next, err := tasks.Complete(ctx, tx, p.Actor(0), weekly.ID)
		if err != nil {
			return err
		}
		local, err := time.LoadLocation(p.Clinics[0].TimeZone)
		if err != nil {
			return err
		}
		fmt.Printf("%q %s; next %s, due %s\n", done.Title, done.Status, next.Status, next.Due.In(local).Format("Mon 2006-01-02"))
		return nil
	})
	// Output:
	// "Check the controlled-drugs log" completed; next open, due Fri 2026-01-16
}
