// Command billing shows that money stays with the clinic that created it: a client shared by
// two clinics has an unpaid invoice at each; the counter of one clinic refuses the other's
// invoice (R4.4), the client-facing app pays it, booked where it belongs (R4.5); each clinic
// keeps its own balance (R4.2), and each sees the other's in the cross-location view (R4.3).
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/billing"
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
	dir, err := os.MkdirTemp("", "vetshare-billing")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store, err := sqlite.Open(ctx, filepath.Join(dir, "vetshare.db"))
	if err != nil {
		return err
	}
	defer store.Close()

	// Two clinics of one owner share records automatically; the owner's admin works at both.
	var north, south vetshare.Account
	var admin vetshare.User
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		owner, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "Riverside Veterinary Group"})
		if err != nil {
			return err
		}
		admin, err = accounts.CreateUser(ctx, tx, vetshare.User{Name: "Ada", Email: "ada@riverside.example", EmailVerified: true, Active: true})
		if err != nil {
			return err
		}
		for _, c := range []struct {
			acct        *vetshare.Account
			name, email string
		}{{&north, "Riverside North", "desk@north.riverside.example"}, {&south, "Riverside South", "desk@south.riverside.example"}} {
			if *c.acct, err = accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: owner.ID, Name: c.name, Email: c.email,
				EmailVerified: true, TimeZone: "America/Chicago", Currency: "USD"}); err != nil {
				return err
			}
			if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: admin.ID, AccountID: c.acct.ID, Role: vetshare.RoleOwner,
				Permissions: vetshare.PermAll, Active: true}); err != nil {
				return err
			}
		}
		d, err := sharing.Enable(ctx, tx, sharing.Request{Action: sharing.ActionEnable, Accounts: []vetshare.AccountID{north.ID, south.ID},
			Mode: vetshare.ModeAutomatic, Requester: admin.ID, Channel: sharing.ChannelEmail, From: north.Email, Reference: "msg-1"})
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
	atNorth := vetshare.Actor{User: admin.ID, Account: north.ID}
	atSouth := vetshare.Actor{User: admin.ID, Account: south.ID}

	// Shaggy is created at North and shared with South; each clinic bills him for its own visit.
	var shaggy vetshare.Client
	var exam, vaccine vetshare.Invoice
	err = store.Update(ctx, func(tx *vetshare.Tx) error {
		var err error
		if shaggy, _, err = records.CreateClient(ctx, tx, atNorth, vetshare.Client{FirstName: "Shaggy", LastName: "Rogers"}); err != nil {
			return err
		}
		if exam, err = billing.CreateInvoice(ctx, tx, atNorth, vetshare.Invoice{ClientID: shaggy.ID,
			Lines: []vetshare.InvoiceLine{{Description: "Wellness exam", Quantity: 1, UnitPrice: 8500}}}); err != nil {
			return err
		}
		vaccine, err = billing.CreateInvoice(ctx, tx, atSouth, vetshare.Invoice{ClientID: shaggy.ID,
			Lines: []vetshare.InvoiceLine{{Description: "Rabies vaccine", Quantity: 1, UnitPrice: 4250}}})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("Shaggy Rogers is a client of %s and %s.\n", north.Name, south.Name)
	fmt.Printf("%s invoice #%d: %s. %s invoice #%d: %s.\n\n", north.Name, exam.Number, money(exam.Total),
		south.Name, vaccine.Number, money(vaccine.Total))
	if err := show(ctx, store, "Before any payment", atNorth, atSouth, shaggy.ID); err != nil {
		return err
	}

	// At South's counter, Shaggy offers to pay North's exam: refused, North's money is North's.
	_, err = pay(ctx, store, atSouth, billing.PaymentRequest{Key: "pos-south-0001", Invoice: exam.ID,
		Amount: vetshare.Money{Amount: 8500, Currency: "USD"}, Channel: vetshare.ChannelCounter, Method: "card"})
	var refused *billing.CounterError
	if !errors.As(err, &refused) {
		return fmt.Errorf("the counter at South should refuse North's invoice, got %v", err)
	}
	fmt.Printf("South's counter, paying North's exam: refused (R4.4): the invoice belongs to %s, the counter is %s's.\n",
		name(refused.InvoiceAccount, north, south), name(refused.Counter, north, south))

	// Through the Pet Care app, connected to South, he pays it: the payment is booked at North.
	p, err := pay(ctx, store, atSouth, billing.PaymentRequest{Key: "app-7f3a", Invoice: exam.ID,
		Amount: vetshare.Money{Amount: 8500, Currency: "USD"}, Channel: vetshare.ChannelApp, Method: "card"})
	if err != nil {
		return err
	}
	fmt.Printf("Pet Care app, paying North's exam: %s taken through %s, booked at %s (R4.5).\n",
		money(p.Amount), name(p.TakenAt, north, south), name(p.AccountID, north, south))
	// The app retries after a timeout with the same key: nothing is paid twice.
	again, err := pay(ctx, store, atSouth, billing.PaymentRequest{Key: "app-7f3a", Invoice: exam.ID,
		Amount: vetshare.Money{Amount: 8500, Currency: "USD"}, Channel: vetshare.ChannelApp, Method: "card"})
	if err != nil {
		return err
	}
	fmt.Printf("The app retries with the same key: the same payment comes back (%t), nothing is recorded twice.\n\n", again.ID == p.ID)
	return show(ctx, store, "After the app payment", atNorth, atSouth, shaggy.ID)
}

func pay(ctx context.Context, store vetshare.Store, actor vetshare.Actor, req billing.PaymentRequest) (vetshare.Payment, error) {
	var p vetshare.Payment
	err := store.Update(ctx, func(tx *vetshare.Tx) error {
		var err error
		p, err = billing.RecordPayment(ctx, tx, actor, req)
		return err
	})
	return p, err
}

// show prints each clinic's own balance and the cross-location view seen from South.
func show(ctx context.Context, store vetshare.Store, title string, atNorth, atSouth vetshare.Actor, client vetshare.ClientID) error {
	return store.View(ctx, func(tx *vetshare.Tx) error {
		fmt.Println(title + ":")
		for _, actor := range []vetshare.Actor{atNorth, atSouth} {
			b, err := billing.Balance(ctx, tx, actor, client)
			if err != nil {
				return err
			}
			a, err := accounts.Account(ctx, tx, actor, actor.Account)
			if err != nil {
				return err
			}
			fmt.Printf("  balance at %-16s %s on %d open invoice(s)\n", a.Name+":", money(b.Outstanding.Amount), b.OpenInvoices)
		}
		view, err := billing.LocationBalances(ctx, tx, atSouth, client)
		if err != nil {
			return err
		}
		for _, lb := range view {
			fmt.Printf("  seen from South: %s, client #%d, owes %s there (read-only link)\n",
				lb.Ref.AccountName, lb.Ref.Number, money(lb.Outstanding.Amount))
		}
		fmt.Println()
		return nil
	})
}

func money(cents int64) string { return billing.Format(vetshare.Money{Amount: cents, Currency: "USD"}) }

func name(id vetshare.AccountID, accts ...vetshare.Account) string {
	for _, a := range accts {
		if a.ID == id {
			return a.Name
		}
	}
	return string(id)
}
