// Host shows vetshare living inside a practice-management program's own SQLite file: the
// program keeps its appointments in its own table, under its own ids, and in one of its own
// transactions books an appointment and records, through vetshare, a rabies vaccine given
// yesterday. A second transaction is rolled back and leaves nothing of either. The reminder is
// due a year from the day the vaccine was given, not from the day it was charted.
//
//	go run ./examples/host
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/inventory"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reminders"
	"github.com/vetshare/vetshare/sqlite"
)

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

// The host's own ids, as its database already has them.
const (
	ownerID  vetshare.OwnerID   = "grp-17"
	clinicID vetshare.AccountID = "clinic-north"
	vetID    vetshare.UserID    = "staff-0042"
	clientID vetshare.ClientID  = "cust-88310"
	petID    vetshare.PatientID = "pet-88310-1"
	rabiesID vetshare.ItemID    = "sku-RAB-1Y"
)

func run(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "vetshare-host-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "practice.db")

	// The host's database: its own table and its own user_version, before vetshare arrives.
	db, err := sql.Open("sqlite", sqlite.DSN(path, true)) // write transactions begin IMMEDIATE
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `PRAGMA user_version = 7;
		CREATE TABLE appointments (id TEXT PRIMARY KEY, pet TEXT NOT NULL, at TEXT NOT NULL, reason TEXT NOT NULL)`); err != nil {
		return err
	}

	// vetshare moves in beside it, in tables of its own (vetshare_...).
	clock := &vetshare.FixedClock{T: time.Date(2026, 4, 15, 16, 30, 0, 0, time.UTC)}
	store, err := sqlite.OpenDB(ctx, db, sqlite.WithClock(clock))
	if err != nil {
		return err
	}
	defer store.Close()
	vet := vetshare.Actor{User: vetID, Account: clinicID, RequestID: "req-1"}
	if err := setUp(ctx, db, store, vet); err != nil {
		return err
	}

	// One transaction of the host's: its appointment row and vetshare's usage commit together.
	yesterday := clock.T.AddDate(0, 0, -1)
	err = inHostTx(ctx, db, store, func(sqlTx *sql.Tx, tx *vetshare.Tx) error {
		if _, err := sqlTx.ExecContext(ctx, `INSERT INTO appointments VALUES ('appt-501', ?, '2026-04-14 10:00', 'vaccination')`, string(petID)); err != nil {
			return err
		}
		_, err := records.AddUsage(ctx, tx, vet, vetshare.Record{PatientID: petID, ItemID: rabiesID, Quantity: 1,
			GivenAt: yesterday, Text: "charted the next day"})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Println("Committed: appointment appt-501 and the rabies vaccine given yesterday, in one transaction.")

	// Another one fails after both writes: the host rolls back, and neither is kept.
	err = inHostTx(ctx, db, store, func(sqlTx *sql.Tx, tx *vetshare.Tx) error {
		if _, err := sqlTx.ExecContext(ctx, `INSERT INTO appointments VALUES ('appt-502', ?, '2026-04-16 09:00', 'booster')`, string(petID)); err != nil {
			return err
		}
		if _, err := records.AddUsage(ctx, tx, vet, vetshare.Record{PatientID: petID, ItemID: rabiesID, Quantity: 1}); err != nil {
			return err
		}
		return errors.New("the card reader declined")
	})
	fmt.Printf("Rolled back (%v): appointment appt-502 and its usage are not kept.\n\n", err)

	var appointments int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM appointments").Scan(&appointments); err != nil {
		return err
	}
	fmt.Printf("The host's appointments: %d.\n", appointments)
	return store.View(ctx, func(tx *vetshare.Tx) error {
		item, err := inventory.Item(ctx, tx, vet, rabiesID)
		if err != nil {
			return err
		}
		fmt.Printf("%s on hand: %d.\n", item.Name, item.OnHand)
		due, _, err := reminders.PatientReminders(ctx, tx, vet, petID, vetshare.ReminderOpen, vetshare.Page{})
		if err != nil {
			return err
		}
		for _, r := range due {
			fmt.Printf("Open reminder: %s for %s, due %s (a year after it was given, not charted).\n",
				r.Kind, petID, r.Due.Format("2 January 2006"))
		}
		var version int
		if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			return err
		}
		fmt.Printf("The host's user_version is still %d.\n", version)
		return nil
	})
}

// inHostTx runs fn in a write transaction of the host's own, with vetshare's *Tx for it, and
// commits when fn succeeds; vetshare never commits or rolls back the host's transaction.
func inHostTx(ctx context.Context, db *sql.DB, store *sqlite.Store, fn func(*sql.Tx, *vetshare.Tx) error) error {
	sqlTx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer sqlTx.Rollback() // a no-op after Commit
	tx, err := store.Tx(ctx, sqlTx)
	if err != nil {
		return err
	}
	if err := fn(sqlTx, tx); err != nil {
		return err
	}
	return sqlTx.Commit()
}

// setUp gives vetshare the host's clinic, vet, client, pet and vaccine, under the host's ids.
func setUp(ctx context.Context, db *sql.DB, store *sqlite.Store, vet vetshare.Actor) error {
	return inHostTx(ctx, db, store, func(_ *sql.Tx, tx *vetshare.Tx) error {
		if _, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{ID: ownerID, Name: "Lakeside Animal Hospitals"}); err != nil {
			return err
		}
		if _, err := accounts.CreateAccount(ctx, tx, vetshare.Account{ID: clinicID, OwnerID: ownerID, Name: "Lakeside North",
			Email: "north@lakeside.example", EmailVerified: true, TimeZone: "America/Chicago", Currency: "USD"}); err != nil {
			return err
		}
		if _, err := accounts.CreateUser(ctx, tx, vetshare.User{ID: vetID, Name: "Dr. Rosa Diaz", Email: "rosa@lakeside.example", EmailVerified: true, Active: true}); err != nil {
			return err
		}
		if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: vetID, AccountID: clinicID, Role: vetshare.RoleAdmin, Permissions: vetshare.PermAll, Active: true}); err != nil {
			return err
		}
		if _, _, err := records.CreateClient(ctx, tx, vet, vetshare.Client{ID: clientID, LastName: "Okafor", FirstName: "Ada"}); err != nil {
			return err
		}
		if _, err := records.AddPatient(ctx, tx, vet, vetshare.Patient{ID: petID, ClientID: clientID, Name: "Biscuit", Species: "dog"}); err != nil {
			return err
		}
		rabies, err := inventory.CreateItem(ctx, tx, vet, vetshare.Item{ID: rabiesID, Name: "Rabies vaccine (1 year)", Kind: vetshare.ItemProduct, Tracked: true,
			Reminders: []vetshare.ReminderRule{{Kind: "Rabies", Interval: vetshare.Interval{Count: 1, Unit: vetshare.Years}}}})
		if err != nil {
			return err
		}
		_, err = inventory.Receive(ctx, tx, vet, rabies.ID, 10, "delivery 2026-04-01")
		return err
	})
}
