package records_test

import (
	"errors"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
)

// R3.3, R1.1: the automatic share of R2.1 is no public door. It was exported as
// sharing.ShareOnCreate and, given an actor of account A and another owner's client, gave A's
// group entries for that client. Now only CreateClient reaches it, and it still refuses a client
// that was not created in the actor's account or belongs to another owner.
func TestR3_3AutomaticShareRefusesForeignClient(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	var foreign vetshare.Client
	f.Update(t, func(tx *vetshare.Tx) error {
		o, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "Other Group"})
		if err != nil {
			return err
		}
		a, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: o.ID, Name: "Elsewhere", Email: "x@else.example", EmailVerified: true, TimeZone: "UTC", Currency: "EUR"})
		if err != nil {
			return err
		}
		u, err := accounts.CreateUser(ctx, tx, vetshare.User{Name: "Eve", Email: "eve@else.example", EmailVerified: true, Active: true})
		if err != nil {
			return err
		}
		if err := accounts.Grant(ctx, tx, vetshare.Membership{UserID: u.ID, AccountID: a.ID, Role: vetshare.RoleOwner, Active: true}); err != nil {
			return err
		}
		foreign, _, err = records.CreateClient(ctx, tx, vetshare.Actor{User: u.ID, Account: a.ID}, vetshare.Client{LastName: "Secret"})
		return err
	})
	historical, _ := f.Client(t, 1, "Earlier", "")
	lied := foreign
	lied.OriginAccount, lied.OwnerID = f.Accounts[0].ID, f.Owner.ID // a caller lying about the client
	for name, c := range map[string]vetshare.Client{"other owner": foreign, "other account": historical, "lied origin": lied} {
		t.Run(name, func(t *testing.T) {
			err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
				_, err := records.ShareOnCreate(ctx, tx, f.Actor(0), c)
				return err
			})
			if !errors.Is(err, vetshare.ErrNotFound) {
				t.Errorf("automatic share of a client not created here: %v, want not found", err)
			}
			f.View(t, func(tx *vetshare.Tx) error {
				for i := range f.Accounts {
					if _, _, err := records.Client(ctx, tx, f.Actor(i), foreign.ID); !errors.Is(err, vetshare.ErrNotFound) {
						t.Errorf("the other owner's client is readable from account %d: %v", i, err)
					}
				}
				return nil
			})
		})
	}
}
