// Command reports runs the client reports of a small group of two clinics that share records:
// clients at both, one shared client whose home location moved from one clinic to the other.
// It prints the Active Client List and Lapsed Clients of each clinic, as CSV, as of 15 June
// 2026.
//
//	go run ./examples/reports
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/billing"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/reports"
	"github.com/vetshare/vetshare/sharing"
	"github.com/vetshare/vetshare/sqlite"
)

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "vetshare-reports-example-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	clock := &vetshare.FixedClock{T: time.Date(2024, 1, 8, 15, 0, 0, 0, time.UTC)}
	store, err := sqlite.Open(ctx, filepath.Join(dir, "vetshare.db"), sqlite.WithClock(clock))
	if err != nil {
		return err
	}
	defer store.Close()
	update := func(fn func(tx *vetshare.Tx) error) error { return store.Update(ctx, fn) }
	// on moves the clock to a day (at 10:00 in Chicago) before the next step.
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		return err
	}
	on := func(y int, m time.Month, d int) { clock.T = time.Date(y, m, d, 10, 0, 0, 0, chicago) }

	// The group: Northside and Lakeside, both in Chicago, sharing records on request.
	var north, lake vetshare.Account
	var admin vetshare.User
	err = update(func(tx *vetshare.Tx) error {
		owner, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "Riverside Veterinary Group"})
		if err != nil {
			return err
		}
		if admin, err = accounts.CreateUser(ctx, tx, vetshare.User{Name: "Ada", Email: "ada@riverside.example", EmailVerified: true, Active: true}); err != nil {
			return err
		}
		for _, a := range []*vetshare.Account{&north, &lake} {
			name := map[*vetshare.Account]string{&north: "Northside", &lake: "Lakeside"}[a]
			if *a, err = accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: owner.ID, Name: name,
				Email: name + "@riverside.example", EmailVerified: true, TimeZone: "America/Chicago", Currency: "USD"}); err != nil {
				return err
			}
			if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: admin.ID, AccountID: a.ID, Role: vetshare.RoleOwner,
				Permissions: vetshare.PermAll, Active: true}); err != nil {
				return err
			}
		}
		d, err := sharing.Enable(ctx, tx, sharing.Request{Action: sharing.ActionEnable, Accounts: []vetshare.AccountID{north.ID, lake.ID},
			Mode: vetshare.ModeManual, Requester: admin.ID, Channel: sharing.ChannelEmail, From: north.Email, Reference: "letter-1"})
		if err != nil {
			return err
		}
		if !d.Approved {
			return d.Err()
		}
		return nil
	})
	if err != nil {
		return err
	}
	at := func(a vetshare.Account) vetshare.Actor { return vetshare.Actor{User: admin.ID, Account: a.ID} }
	fmt.Println("Northside and Lakeside share records (manual mode).")

	// newClient creates a client with one patient at a clinic.
	newClient := func(a vetshare.Account, first, last, pet string) (vetshare.ClientID, vetshare.PatientID, error) {
		var c vetshare.Client
		var p vetshare.Patient
		err := update(func(tx *vetshare.Tx) error {
			var err error
			if c, _, err = records.CreateClient(ctx, tx, at(a), vetshare.Client{FirstName: first, LastName: last,
				Email: first + "@mail.example", Phone: "555-0100"}); err != nil {
				return err
			}
			p, err = records.AddPatient(ctx, tx, at(a), vetshare.Patient{ClientID: c.ID, Name: pet, Species: "dog"})
			return err
		})
		fmt.Printf("%s: new client %s %s with %s.\n", clock.T.In(chicago).Format(time.DateOnly), first, last, pet)
		return c.ID, p.ID, err
	}
	// visit records an exam at a clinic and bills it; paid says whether it is paid at once.
	visit := func(a vetshare.Account, c vetshare.ClientID, p vetshare.PatientID, paid bool) error {
		return update(func(tx *vetshare.Tx) error {
			if _, err := records.AddRecord(ctx, tx, at(a), vetshare.Record{PatientID: p, Kind: vetshare.RecordNote, Text: "annual exam"}); err != nil {
				return err
			}
			inv, err := billing.CreateInvoice(ctx, tx, at(a), vetshare.Invoice{ClientID: c,
				Lines: []vetshare.InvoiceLine{{Description: "Exam", Quantity: 1, UnitPrice: 6500}}})
			if err != nil || !paid {
				return err
			}
			_, err = billing.RecordPayment(ctx, tx, at(a), billing.PaymentRequest{Key: string(inv.ID), Invoice: inv.ID,
				Amount: vetshare.Money{Amount: inv.Total, Currency: inv.Currency}, Channel: vetshare.ChannelCounter, Method: "card"})
			return err
		})
	}

	// The story, in order. Each step returns its error; the first one stops it.
	var ava, cleo, ben vetshare.ClientID
	var rex, bo, maxPet vetshare.PatientID
	steps := []func() error{
		func() (err error) {
			on(2024, 2, 12)
			ava, rex, err = newClient(north, "Ava", "Brooks", "Rex")
			return err
		},
		func() error {
			on(2025, 1, 20)
			fmt.Println("2025-01-20: Ava brings Rex to Northside; paid.")
			return visit(north, ava, rex, true)
		},
		func() (err error) {
			on(2025, 2, 10)
			if cleo, bo, err = newClient(lake, "Cleo", "Diaz", "Bo"); err != nil {
				return err
			}
			fmt.Println("2025-02-10: Bo's first visit at Lakeside; not paid yet.")
			return visit(lake, cleo, bo, false)
		},
		func() error {
			on(2025, 3, 3)
			fmt.Println("2025-03-03: Ava moves; Lakeside shares her profile and becomes her home location.")
			return update(func(tx *vetshare.Tx) error {
				if _, err := sharing.ShareClient(ctx, tx, at(lake), ava); err != nil {
					return err
				}
				_, err := sharing.SetHomeLocation(ctx, tx, at(lake), ava, lake.ID)
				return err
			})
		},
		func() (err error) {
			on(2026, 3, 5)
			if ben, maxPet, err = newClient(north, "Ben", "Carter", "Max"); err != nil {
				return err
			}
			fmt.Println("2026-03-05: Max's first visit at Northside; paid.")
			return visit(north, ben, maxPet, true)
		},
		func() error {
			on(2026, 5, 4)
			fmt.Println("2026-05-04: Ava brings Rex to Lakeside; paid.")
			return visit(lake, ava, rex, true)
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	fmt.Println("\nAva is a client of both clinics, with her home at Lakeside in both; Ben is Northside's, Cleo Lakeside's.")

	// The CSV carries the home location's account id, which is new at every run; it is shown
	// here as <id of NAME> so that the output reads the same every time.
	ids := strings.NewReplacer(string(north.ID), "<id of "+north.Name+">", string(lake.ID), "<id of "+lake.Name+">")
	asOf := vetshare.Date{Year: 2026, Month: 6, Day: 15}
	for _, a := range []vetshare.Account{north, lake} {
		for _, kind := range []vetshare.ReportKind{vetshare.ReportActiveClients, vetshare.ReportLapsedClients} {
			fmt.Printf("\n%s, %s as of %v:\n", a.Name, kind.Title(), asOf)
			err := store.View(ctx, func(tx *vetshare.Tx) error {
				var csv strings.Builder
				_, err := reports.WriteCSV(ctx, tx, at(a), vetshare.ReportParams{Kind: kind, AsOf: asOf}, &csv)
				fmt.Print(ids.Replace(csv.String()))
				return err
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}
