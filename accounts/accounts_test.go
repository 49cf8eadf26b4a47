package accounts_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/internal/txn"
)

var ctx = context.Background()

// R1.8: task sharing is off unless enabled for the owner.
func TestR1_8TaskSharingOffByDefault(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 1})
	if f.Owner.TaskSharing {
		t.Fatal("a new owner has task sharing on")
	}
	f.Update(t, func(tx *vetshare.Tx) error { return accounts.SetTaskSharing(ctx, tx, f.Owner.ID, true) })
	f.View(t, func(tx *vetshare.Tx) error {
		o, err := txn.D(tx).Owner(ctx, f.Owner.ID)
		if err != nil || !o.TaskSharing {
			t.Errorf("after enabling: %+v %v", o, err)
		}
		return nil
	})
}

func TestCheck(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2})
	staff := f.User(t, "staff", vetshare.RoleStaff, 0, 0)
	f.View(t, func(tx *vetshare.Tx) error {
		m, err := accounts.Check(ctx, tx, vetshare.Actor{User: staff.ID, Account: f.Accounts[0].ID})
		if err != nil || m.Role != vetshare.RoleStaff {
			t.Errorf("member: %+v %v", m, err)
		}
		if _, err := accounts.Check(ctx, tx, vetshare.Actor{User: staff.ID, Account: f.Accounts[1].ID}); !errors.Is(err, vetshare.ErrNotPermitted) {
			t.Errorf("non-member: %v", err)
		}
		return nil
	})
	f.Update(t, func(tx *vetshare.Tx) error {
		staff.Active = false
		_, err := accounts.UpdateUser(ctx, tx, staff)
		return err
	})
	f.View(t, func(tx *vetshare.Tx) error {
		if _, err := accounts.Check(ctx, tx, vetshare.Actor{User: staff.ID, Account: f.Accounts[0].ID}); !errors.Is(err, vetshare.ErrNotPermitted) {
			t.Errorf("inactive user: %v", err)
		}
		return nil
	})
}

func TestCreateAccountNormalizes(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 1})
	f.Update(t, func(tx *vetshare.Tx) error {
		a, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: f.Owner.ID, Name: "  North  ", Email: `"Desk" <Desk@North.Example>`, TimeZone: "Asia/Kolkata", Currency: "INR"})
		if err != nil {
			return err
		}
		if a.Name != "North" || a.Email != "desk@north.example" {
			t.Errorf("account: %+v", a)
		}
		for _, tz := range []string{"", "Local", "Nowhere/City", "+05:00"} {
			_, err := accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: f.Owner.ID, Name: "X", Email: "x@x.example", TimeZone: tz, Currency: "USD"})
			var ie *vetshare.InvalidError
			if !errors.As(err, &ie) || ie.Field != "TimeZone" {
				t.Errorf("time zone %q: %v", tz, err)
			}
		}
		return nil
	})
}
