package tasks_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/tasks"
	"github.com/vetshare/vetshare/vetsharetest"
)

// Assigned To Me shows a user the tasks assigned to them: by default in the clinic they are
// logged into, or, with task sharing on, in all their linked clinics at once, each task with
// its clinic, whether it is overdue, and a warning when its client is not shared with the
// clinic they are logged into.
func ExampleAssignedToMe() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, "") // Clinic A and Clinic B, sharing no records
	sam := p.User(tb, "Sam", vetshare.RoleStaff, vetshare.PermTaskMarkInProgress|vetshare.PermTaskComplete, 0, 1)
	ctx := context.Background()
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		return accounts.SetTaskSharing(ctx, tx, p.Owner.ID, true)
	})
	_, _, pets := s.Client(tb, p.Actor(0), vetshare.Client{LastName: "Rogers"}, vetshare.Patient{Name: "Scooby"})
	s.Task(tb, p.Actor(0), tasks.Draft{Title: "Call back about Scooby's X-rays", Assignee: sam.ID, DueOn: "2026-01-06", PatientID: pets[0].ID})
	s.Task(tb, p.Actor(1), tasks.Draft{Title: "Restock rabies vaccine", Assignee: sam.ID, DueOn: "2026-01-08"})
	s.Task(tb, p.Actor(0), tasks.Draft{Title: "Order gauze", DueOn: "2026-01-07"}) // Ada's

	s.Clock.Add(2 * 24 * time.Hour) // Wednesday 7 January
	local, err := time.LoadLocation(p.Clinics[0].TimeZone)
	if err != nil {
		tb.Fatal(err)
	}
	atB := vetshare.Actor{User: sam.ID, Account: p.Clinics[1].ID} // Sam is logged into Clinic B

	s.MustView(tb, func(tx *vetshare.Tx) error {
		for _, q := range []tasks.AssignedQuery{{}, {Clinics: tasks.Selection{All: true}}} {
			res, err := tasks.AssignedToMe(ctx, tx, atB, q, vetshare.Page{})
			if err != nil {
				return err
			}
			var in []string
			for _, c := range res.Clinics {
				in = append(in, c.Name)
			}
			fmt.Printf("in %s:\n", strings.Join(in, " and "))
			for _, r := range res.Rows {
				fmt.Printf("- %s at %s, due %s, overdue %v, may complete %v\n", r.Task.Title, r.Clinic.Name,
					r.Task.Due.In(local).Format("Mon 2006-01-02"), r.Overdue, r.Actions.Complete)
				if r.Warning != nil {
					fmt.Println("  warning:", r.Warning.Message)
				}
			}
		}
		return nil
	})
	// Output:
	// in Clinic B:
	// - Restock rabies vaccine at Clinic B, due Thu 2026-01-08, overdue false, may complete true
	// in Clinic B and Clinic A:
	// - Call back about Scooby's X-rays at Clinic A, due Tue 2026-01-06, overdue true, may complete true
	//   warning: The client and patient of this task are not shared with Clinic B: switch to Clinic A to see them.
	// - Restock rabies vaccine at Clinic B, due Thu 2026-01-08, overdue false, may complete true
}

// AccountTasks is one clinic's task list: every open task of the clinic, whoever it is
// assigned to, or those of one assignee, or the completed ones.
func ExampleAccountTasks() {
	tb := vetsharetest.NewExampleTB()
	defer tb.Close()
	s := vetsharetest.Open(tb)
	p := s.NewPractice(tb, 2, "")
	sam := p.User(tb, "Sam", vetshare.RoleStaff, vetshare.PermTaskComplete, 0)
	name := map[vetshare.UserID]string{p.Admin.ID: p.Admin.Name, sam.ID: sam.Name}
	priority := map[vetshare.Priority]string{vetshare.PriorityNormal: "normal", vetshare.PriorityHigh: "high"}
	ctx := context.Background()
	s.Task(tb, p.Actor(0), tasks.Draft{Title: "Order gauze", DueOn: "2026-01-07"})
	s.Task(tb, p.Actor(0), tasks.Draft{Title: "Call Shaggy back", Assignee: sam.ID, DueOn: "2026-01-06", Priority: vetshare.PriorityHigh})
	s.Task(tb, p.Actor(0), tasks.Draft{Title: "Clean the X-ray room", Assignee: sam.ID, DueOn: "2026-01-06"})
	s.Task(tb, p.Actor(0), tasks.Draft{Title: "Update the price list"})  // no due date: last
	s.Task(tb, p.Actor(1), tasks.Draft{Title: "Restock rabies vaccine"}) // Clinic B's
	done := s.Task(tb, p.Actor(0), tasks.Draft{Title: "Book the fire inspection", DueOn: "2026-01-05"})
	s.MustUpdate(tb, func(tx *vetshare.Tx) error {
		_, _, err := tasks.Complete(ctx, tx, p.Actor(0), done.ID)
		return err
	})

	s.MustView(tb, func(tx *vetshare.Tx) error {
		for _, q := range []tasks.ListQuery{{}, {Assignee: sam.ID}, {Completed: true}} {
			rows, _, err := tasks.AccountTasks(ctx, tx, p.Actor(0), q, vetshare.Page{})
			if err != nil {
				return err
			}
			fmt.Printf("assignee %q, completed %v:\n", name[q.Assignee], q.Completed)
			for _, r := range rows {
				fmt.Printf("- %s (%s, %s)\n", r.Task.Title, name[r.Task.Assignee], priority[r.Task.Priority])
			}
		}
		return nil
	})
	// Output:
	// assignee "", completed false:
	// - Call Shaggy back (Sam, high)
	// - Clean the X-ray room (Sam, normal)
	// - Order gauze (Ada Admin, normal)
	// - Update the price list (Ada Admin, normal)
	// assignee "Sam", completed false:
	// - Call Shaggy back (Sam, high)
	// - Clean the X-ray room (Sam, normal)
	// assignee "", completed true:
	// - Book the fire inspection (Ada Admin, normal)
}
