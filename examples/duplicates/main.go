// Duplicates walks through the day two clinics of one owner start sharing and find that they
// each have the same family as a client of their own: the group's duplicate report, a "not the
// same person" decision that is kept, a merge with its preview, and the front desk's check
// before creating a client. On a fresh SQLite file in a temporary directory:
//
//	go run ./examples/duplicates
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
	"github.com/vetshare/vetshare/duplicates"
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
	dir, err := os.MkdirTemp("", "vetshare-duplicates-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store, err := sqlite.Open(ctx, filepath.Join(dir, "vetshare.db"))
	if err != nil {
		return err
	}
	defer store.Close()

	// An owner with two clinics and an owner-admin of both. Each clinic has its own clients,
	// typed by its own front desk before the group shared anything.
	var north, south vetshare.Account
	var admin vetshare.User
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
		for _, a := range []vetshare.Account{north, south} {
			if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: admin.ID, AccountID: a.ID, Role: vetshare.RoleOwner, Permissions: vetshare.PermAll, Active: true}); err != nil {
				return err
			}
		}
		atNorth, atSouth := vetshare.Actor{User: admin.ID, Account: north.ID}, vetshare.Actor{User: admin.ID, Account: south.ID}
		for _, c := range []struct {
			at  vetshare.Actor
			c   vetshare.Client
			pet string
		}{
			{atNorth, vetshare.Client{LastName: "O'Brien", FirstName: "Mary", Phone: "+1 555 123 4567", Email: "mary@example.com"}, "Rex"},
			{atNorth, vetshare.Client{LastName: "Müller", FirstName: "Hans", Phone: "555 222 0101", Address: "4 Elm Street"}, "Mia"},
			{atSouth, vetshare.Client{LastName: "OBrien", FirstName: "mary", Phone: "(555) 123-4567"}, "Rex"},
			{atSouth, vetshare.Client{LastName: "Muller", FirstName: "Hans", Phone: "555 909 7777", Address: "4 elm street"}, "Bello"},
		} {
			cl, _, err := records.CreateClient(ctx, tx, c.at, c.c)
			if err != nil {
				return err
			}
			if _, err := records.AddPatient(ctx, tx, c.at, vetshare.Patient{ClientID: cl.ID, Name: c.pet, Species: "dog"}); err != nil {
				return err
			}
		}
		// The owner writes to share the two clinics' records.
		d, err := sharing.Enable(ctx, tx, sharing.Request{Accounts: []vetshare.AccountID{north.ID, south.ID}, Mode: vetshare.ModeManual,
			Requester: admin.ID, Channel: sharing.ChannelEmail, From: "north@riverside.example", Reference: "mail 2026-11-25 #1"})
		if err != nil {
			return err
		}
		return d.Err()
	})
	if err != nil {
		return err
	}
	fmt.Printf("%s and %s now share, and each had clients of its own.\n\n", north.Name, south.Name)
	atNorth := vetshare.Actor{User: admin.ID, Account: north.ID}

	// The day the group starts sharing, a scan finds the likely pairs once (in batches, each in
	// its own transaction, resumable); the report then pages through them best first.
	scan, err := duplicates.Scan(ctx, store, atNorth, duplicates.ScanOptions{})
	if err != nil {
		return err
	}
	fmt.Printf("The duplicate scan read the %d search keys of the owner's clients.\n", scan.Keys)
	var pairs []duplicates.Pair
	err = store.View(ctx, func(tx *vetshare.Tx) error {
		pairs, _, err = duplicates.Report(ctx, tx, atNorth, vetshare.Page{})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Println("The group's duplicate report:")
	for _, p := range pairs {
		a, b := p.A, p.B
		if a.Phone > b.Phone { // a stable order to print in, whatever the ids
			a, b = b, a
		}
		fmt.Printf("  %s %s (%s) and %s %s (%s): %s, score %d; agree on %s\n", a.FirstName, a.LastName, a.Phone,
			b.FirstName, b.LastName, b.Phone, p.Grade, p.Score, strings.Join(p.Agree, ", "))
	}
	fmt.Println()

	// The two Hans Müllers live at one address, with other phones and other dogs: South's front
	// desk calls, and they are father and son. The decision is kept with who and why, and the pair is not proposed again.
	var mary, maryAgain vetshare.Client
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		for _, p := range pairs {
			if p.A.FirstName == "Hans" {
				if _, err := duplicates.DecideNotSame(ctx, tx, atNorth, p.A.ID, p.B.ID, "two people: called both, different addresses"); err != nil {
					return err
				}
				fmt.Println("Decided: the two Hans Müllers are not the same person.")
			} else {
				mary, maryAgain = p.A, p.B
				if mary.LastName != "O'Brien" {
					mary, maryAgain = maryAgain, mary
				}
			}
		}
		pairs, _, err = duplicates.Report(ctx, tx, atNorth, vetshare.Page{})
		fmt.Printf("The report now lists %d pair.\n\n", len(pairs))
		return err
	})
	if err != nil {
		return err
	}

	// Mary O'Brien is one person: preview the merge, then merge, irreversibly.
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		p, err := duplicates.PreviewMerge(ctx, tx, atNorth, mary.ID, maryAgain.ID)
		if err != nil {
			return err
		}
		fmt.Printf("Merging %s %s into %s %s will keep %d client entries and move %d patient.\n",
			p.Merged.FirstName, p.Merged.LastName, p.Survivor.FirstName, p.Survivor.LastName, len(p.Entries), len(p.Patients))
		_, err = duplicates.Merge(ctx, tx, atNorth, mary.ID, maryAgain.ID)
		return err
	})
	if err != nil {
		return err
	}
	err = store.View(ctx, func(tx *vetshare.Tx) error {
		c, e, err := records.Client(ctx, tx, vetshare.Actor{User: admin.ID, Account: south.ID}, maryAgain.ID)
		if err != nil {
			return err
		}
		fmt.Printf("At %s, the merged-away client now opens %s %s, still client number %d.\n\n", south.Name, c.FirstName, c.LastName, e.Number)
		return nil
	})
	if err != nil {
		return err
	}

	// The next day South's front desk types Mary in again: the check finds her before creating.
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		_, _, err := records.CreateClientChecked(ctx, tx, vetshare.Actor{User: admin.ID, Account: south.ID},
			vetshare.Client{LastName: "O'Brien", FirstName: "Mary", Email: "Mary@Example.com"})
		var ld *records.LikelyDuplicateError
		if !errors.As(err, &ld) {
			return fmt.Errorf("want a likely duplicate, got %v", err)
		}
		fmt.Printf("Creating Mary O'Brien again: %v\n", ld)
		for _, m := range ld.Matches {
			fmt.Printf("  %s %s, score %d; agree on %s\n", m.Client.FirstName, m.Client.LastName, m.Score, strings.Join(m.Agree, ", "))
		}
		return nil
	})
	return err
}
