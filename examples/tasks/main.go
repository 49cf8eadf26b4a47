// Command tasks shows Assigned To Me across clinics: a relief vet with memberships at two
// clinics of one owner, with different permissions at each, sees her tasks at the clinic she
// is logged into, then at both; edits a task of the other clinic (Notes yes, Title no); and
// sees a warning on a task whose patient is not shared with the clinic she is logged into.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sqlite"
	"github.com/vetshare/vetshare/tasks"
)

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "vetshare-tasks")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	clock := &vetshare.FixedClock{T: time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)}
	store, err := sqlite.Open(ctx, filepath.Join(dir, "vetshare.db"), sqlite.WithClock(clock))
	if err != nil {
		return err
	}
	defer store.Close()

	var north, south vetshare.Account
	var rosa, ken vetshare.User
	var patient vetshare.Patient
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		owner, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "Lakeside Veterinary Group"})
		if err != nil {
			return err
		}
		// R1.8: task sharing is a limited release, off until enabled for the owner.
		if err := accounts.SetTaskSharing(ctx, tx, owner.ID, true); err != nil {
			return err
		}
		for _, a := range []*vetshare.Account{&north, &south} {
			name := map[*vetshare.Account]string{&north: "Lakeside North", &south: "Lakeside South"}[a]
			if *a, err = accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: owner.ID, Name: name,
				Email: "desk@lakeside.example", EmailVerified: true, TimeZone: "America/Chicago", Currency: "USD"}); err != nil {
				return err
			}
		}
		if rosa, err = accounts.CreateUser(ctx, tx, vetshare.User{Name: "Dr Rosa Diaz", Email: "rosa@lakeside.example", EmailVerified: true, Active: true}); err != nil {
			return err
		}
		if ken, err = accounts.CreateUser(ctx, tx, vetshare.User{Name: "Ken Park", Email: "ken@lakeside.example", EmailVerified: true, Active: true}); err != nil {
			return err
		}
		all := vetshare.PermTaskMarkInProgress | vetshare.PermTaskComplete | vetshare.PermTaskEdit | vetshare.PermTaskDelete | vetshare.PermTaskCreate
		grants := []vetshare.Membership{
			{UserID: rosa.ID, AccountID: north.ID, Role: vetshare.RoleStaff, Permissions: all, Active: true},
			// At South, where she covers shifts, Rosa may mark in progress, complete and edit.
			{UserID: rosa.ID, AccountID: south.ID, Role: vetshare.RoleStaff, Active: true,
				Permissions: vetshare.PermTaskMarkInProgress | vetshare.PermTaskComplete | vetshare.PermTaskEdit},
			{UserID: ken.ID, AccountID: north.ID, Role: vetshare.RoleAdmin, Permissions: all, Active: true},
			{UserID: ken.ID, AccountID: south.ID, Role: vetshare.RoleAdmin, Permissions: all, Active: true},
		}
		for _, m := range grants {
			if err := accounts.Grant(ctx, tx, m); err != nil {
				return err
			}
		}
		// A client and patient of South only: North is in no share group with it.
		atSouth := vetshare.Actor{User: ken.ID, Account: south.ID}
		client, _, err := records.CreateClient(ctx, tx, atSouth, vetshare.Client{FirstName: "Maya", LastName: "Okafor", Phone: "555-0134"})
		if err != nil {
			return err
		}
		if patient, err = records.AddPatient(ctx, tx, atSouth, vetshare.Patient{ClientID: client.ID, Name: "Biscuit", Species: "cat"}); err != nil {
			return err
		}
		atNorth := vetshare.Actor{User: ken.ID, Account: north.ID}
		drafts := []struct {
			at vetshare.Actor
			d  tasks.Draft
		}{
			{atNorth, tasks.Draft{Kind: vetshare.TaskMessage, Title: "Call back Mr Lee about Rex's diet", DueOn: "2026-03-02", Priority: vetshare.PriorityNormal}},
			{atNorth, tasks.Draft{Kind: vetshare.TaskLabResultReview, Title: "Review Rex's bloodwork", DueOn: "2026-03-04", Priority: vetshare.PriorityHigh}},
			{atSouth, tasks.Draft{Kind: vetshare.TaskPrescriptionRequest, Title: "Approve methimazole refill", DueOn: "2026-03-01", Priority: vetshare.PriorityUrgent, PatientID: patient.ID}},
			{atSouth, tasks.Draft{Kind: vetshare.TaskLabResultReview, Title: "Review Daisy's urinalysis", DueOn: "2026-03-03", Priority: vetshare.PriorityNormal}},
		}
		for _, d := range drafts {
			d.d.Assignee = rosa.ID
			if _, err := tasks.Create(ctx, tx, d.at, d.d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	rosaAtNorth := vetshare.Actor{User: rosa.ID, Account: north.ID}
	chicago, err := time.LoadLocation("America/Chicago") // both clinics' zone
	if err != nil {
		return err
	}
	show := func(title string, sel tasks.Selection) (tasks.Assigned, error) {
		var p tasks.Assigned
		err := store.View(ctx, func(tx *vetshare.Tx) error {
			var err error
			p, err = tasks.AssignedToMe(ctx, tx, rosaAtNorth, tasks.AssignedQuery{Clinics: sel}, vetshare.Page{})
			return err
		})
		if err != nil {
			return p, err
		}
		fmt.Println(title)
		for _, r := range p.Rows {
			flag := "  "
			if r.Overdue {
				flag = "! "
			}
			fmt.Printf("  %s%-34s %-15s due %s  may: %s\n", flag, r.Task.Title, r.Clinic.Name,
				r.Task.Due.In(chicago).Format("Jan 2"), actions(r.Actions))
			if r.Warning != nil {
				fmt.Printf("      warning: %s\n", r.Warning.Message)
			}
		}
		fmt.Println()
		return p, nil
	}

	fmt.Println("Dr Rosa Diaz is logged into Lakeside North; it is Mar 2, 9 am there (! is overdue).")
	fmt.Println()
	if _, err := show("Assigned To Me, default (the clinic she is logged into):", tasks.Selection{}); err != nil {
		return err
	}
	p, err := show("Assigned To Me, both clinics selected:", tasks.Selection{Accounts: []vetshare.AccountID{north.ID, south.ID}})
	if err != nil {
		return err
	}

	// Edit a South task from North: the title is refused, notes are accepted (R9.6).
	var southTask tasks.Listed
	for _, r := range p.Rows {
		if r.Clinic.ID == south.ID && r.Task.PatientID == "" {
			southTask = r.Task
		}
	}
	title, notes := "Review Daisy's urinalysis (urgent)", "Specific gravity low; recheck in 2 weeks."
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		_, err := tasks.Edit(ctx, tx, rosaAtNorth, southTask.ID, tasks.Change{Title: &title})
		return err
	})
	var refused *tasks.EditRefusedError
	if !errors.As(err, &refused) {
		return fmt.Errorf("expected the title edit to be refused, got %v", err)
	}
	fmt.Printf("Renaming %q from North is refused: fields %v may change only at Lakeside South.\n", southTask.Title, refused.Fields)
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		t, err := tasks.Edit(ctx, tx, rosaAtNorth, southTask.ID, tasks.Change{Notes: &notes})
		if err == nil {
			fmt.Printf("Adding notes from North is accepted: %q (version %d).\n", t.Notes, t.Version)
		}
		return err
	})
	return err
}

func actions(a tasks.Actions) string {
	s := ""
	for _, x := range []struct {
		ok   bool
		name string
	}{{a.MarkInProgress, "start"}, {a.Complete, "complete"}, {a.Edit, "edit"}, {a.Delete, "delete"}} {
		if x.ok {
			if s != "" {
				s += ", "
			}
			s += x.name
		}
	}
	return s
}
