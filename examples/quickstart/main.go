// Quickstart walks through record sharing between two clinics of one owner, on a fresh SQLite
// file in a temporary directory:
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/sqlite"
)

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "vetshare-quickstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store, err := sqlite.Open(ctx, filepath.Join(dir, "vetshare.db"))
	if err != nil {
		return err
	}
	defer store.Close()

	// An owner with two clinics, an owner-admin and a front-desk staff member.
	var north, south vetshare.Account
	var admin, desk vetshare.User
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		owner, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "Riverside Veterinary Group"})
		if err != nil {
			return err
		}
		if north, err = accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: owner.ID, Name: "Riverside North",
			Email: "north@riverside.example", EmailVerified: true, TimeZone: "America/Chicago", Currency: "USD"}); err != nil {
			return err
		}
		if south, err = accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: owner.ID, Name: "Riverside South",
			Email: "south@riverside.example", EmailVerified: true, TimeZone: "America/Chicago", Currency: "USD"}); err != nil {
			return err
		}
		if admin, err = accounts.CreateUser(ctx, tx, vetshare.User{Name: "Dr. Ada Park", Email: "ada@riverside.example", EmailVerified: true, Active: true}); err != nil {
			return err
		}
		if desk, err = accounts.CreateUser(ctx, tx, vetshare.User{Name: "Sam Front", Email: "sam@riverside.example", Active: true}); err != nil {
			return err
		}
		for _, a := range []vetshare.Account{north, south} {
			if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: admin.ID, AccountID: a.ID, Role: vetshare.RoleOwner, Permissions: vetshare.PermAll, Active: true}); err != nil {
				return err
			}
			if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: desk.ID, AccountID: a.ID, Role: vetshare.RoleStaff, Active: true}); err != nil {
				return err
			}
		}
		// South already has a client of its own, so its numbers run ahead of North's.
		_, _, err = records.CreateClient(ctx, tx, vetshare.Actor{User: desk.ID, Account: south.ID}, vetshare.Client{LastName: "Blake", FirstName: "Fred"})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("%s and %s are two clinics of one owner.\n\n", north.Name, south.Name)

	// A request by phone from a staff member with an unverified email is rejected, with every reason.
	both := []vetshare.AccountID{north.ID, south.ID}
	var d sharing.Decision
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		d, err = sharing.Enable(ctx, tx, sharing.Request{Accounts: both, Mode: vetshare.ModeAutomatic,
			Requester: desk.ID, Channel: sharing.ChannelPhone, From: "sam@riverside.example"})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Println("Sam phones in a request to share records. Rejected:")
	// A reason may carry an account's id, new at every run; it is shown by the clinic's name.
	named := strings.NewReplacer(string(north.ID), north.Name, string(south.ID), south.Name)
	for _, r := range d.Reasons {
		fmt.Println("  -", named.Replace(r.Error()))
	}
	fmt.Printf("  (errors.Is(d.Err(), sharing.ErrNotWritten) = %v)\n", errors.Is(d.Err(), sharing.ErrNotWritten))

	// Dr. Park writes from North's address on file: approved, automatic sharing.
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		d, err = sharing.Enable(ctx, tx, sharing.Request{Accounts: both, Mode: vetshare.ModeAutomatic,
			Requester: admin.ID, Channel: sharing.ChannelEmail, From: `"North Front Desk" <North@Riverside.example>`, Reference: "mail 2026-11-25 #1"})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("\nDr. Park emails the request from North's address on file. Approved: %v.\n\n", d.Approved)

	atNorth := vetshare.Actor{User: admin.ID, Account: north.ID}
	atSouth := vetshare.Actor{User: admin.ID, Account: south.ID}

	// A client with two patients, created at North, reaches South in the same transaction.
	var shaggy vetshare.Client
	var scooby vetshare.Patient
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		var es []vetshare.ClientEntry
		if shaggy, es, err = records.CreateClient(ctx, tx, atNorth, vetshare.Client{LastName: "Rogers", FirstName: "Shaggy", Phone: "555-0142"}); err != nil {
			return err
		}
		fmt.Printf("North creates client %s %s, North's client #%d.\n", shaggy.FirstName, shaggy.LastName, es[0].Number)
		if scooby, err = records.AddPatient(ctx, tx, atNorth, vetshare.Patient{ClientID: shaggy.ID, Name: "Scooby", Species: "dog", Breed: "Great Dane"}); err != nil {
			return err
		}
		_, err = records.AddPatient(ctx, tx, atNorth, vetshare.Patient{ClientID: shaggy.ID, Name: "Scrappy", Species: "dog"})
		return err
	})
	if err != nil {
		return err
	}
	err = store.View(ctx, func(tx *vetshare.Tx) error {
		c, e, err := records.Client(ctx, tx, atSouth, shaggy.ID)
		if err != nil {
			return err
		}
		ps, _, err := records.Patients(ctx, tx, atSouth, c.ID, vetshare.Page{})
		if err != nil {
			return err
		}
		fmt.Printf("South sees %s %s as its own client #%d, with %d patients:", c.FirstName, c.LastName, e.Number, len(ps))
		for _, p := range ps {
			fmt.Printf(" %s (%s)", p.Name, p.Species)
		}
		fmt.Println(".")
		return nil
	})
	if err != nil {
		return err
	}

	// A record added at South shows at North, stamped with the location that added it.
	names := map[vetshare.AccountID]string{north.ID: north.Name, south.ID: south.Name}
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		_, err := records.AddRecord(ctx, tx, atSouth, vetshare.Record{PatientID: scooby.ID, Kind: vetshare.RecordNote, Text: "Limping on the left foreleg; rest for a week."})
		return err
	})
	if err != nil {
		return err
	}
	printHistory := func(at vetshare.Actor, where string) error {
		return store.View(ctx, func(tx *vetshare.Tx) error {
			rs, _, err := records.History(ctx, tx, at, records.HistoryQuery{Patient: scooby.ID}, vetshare.Page{})
			if err != nil {
				return err
			}
			fmt.Printf("Scooby's history as %s shows it:\n", where)
			for _, r := range rs {
				fmt.Printf("  - %q (added at %s)\n", r.Text, names[r.AccountID])
			}
			return nil
		})
	}
	fmt.Println()
	if err := printHistory(atNorth, "North"); err != nil {
		return err
	}

	// South leaves the group. Nothing is unshared: Shaggy keeps syncing both ways.
	var res sharing.RemoveResult
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		res, err = sharing.Remove(ctx, tx, sharing.Request{Accounts: []vetshare.AccountID{south.ID}, Requester: admin.ID,
			Channel: sharing.ChannelSignedForm, From: "south@riverside.example"})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("\nSouth leaves the share group (approved: %v); %d client stays shared.\n", res.Approved, res.LiveEntries)
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		c, _, err := records.Client(ctx, tx, atNorth, shaggy.ID)
		if err != nil {
			return err
		}
		c.Phone = "555-0199"
		if _, err := records.UpdateClient(ctx, tx, atNorth, c); err != nil {
			return err
		}
		_, err = records.AddRecord(ctx, tx, atNorth, vetshare.Record{PatientID: scooby.ID, Kind: vetshare.RecordNote, Text: "Recheck: walking normally."})
		return err
	})
	if err != nil {
		return err
	}
	err = store.View(ctx, func(tx *vetshare.Tx) error {
		c, _, err := records.Client(ctx, tx, atSouth, shaggy.ID)
		if err != nil {
			return err
		}
		fmt.Printf("North updates Shaggy's phone; South sees %s.\n", c.Phone)
		return nil
	})
	if err != nil {
		return err
	}
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		_, _, err := records.CreateClient(ctx, tx, atNorth, vetshare.Client{LastName: "Dinkley", FirstName: "Velma"})
		return err
	})
	if err != nil {
		return err
	}
	err = store.View(ctx, func(tx *vetshare.Tx) error {
		rows, _, err := records.Clients(ctx, tx, atSouth, "dink", vetshare.Page{})
		fmt.Printf("A client created at North after the removal does not reach South (%d found).\n\n", len(rows))
		return err
	})
	if err != nil {
		return err
	}
	return printHistory(atSouth, "South")
}
