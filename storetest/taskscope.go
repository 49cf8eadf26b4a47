package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/txn"
)

func init() { Register("TaskScope", testTaskScope) }

// testTaskScope checks [driver.TasksTx.TaskScope]: the user, the membership, the account and
// its owner's task sharing in one read, with the linked clinics (the other accounts of the
// owner where the user is an active member, oldest first) only while task sharing is on.
func testTaskScope(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 4)
	acct := func(i int) vetshare.Account { return w.accounts[i] }
	// Another owner's account, where the user is a member too: never linked.
	far := vetshare.Owner{ID: vetshare.NewID[vetshare.OwnerID](t0.Add(time.Minute)), Name: "Far", CreatedAt: t0}
	farAcct := vetshare.Account{ID: vetshare.NewID[vetshare.AccountID](t0.Add(time.Minute)), OwnerID: far.ID, Name: "Far clinic",
		Email: "far@x.example", TimeZone: "UTC", Currency: "USD", CreatedAt: t0}
	idle := vetshare.User{ID: vetshare.NewID[vetshare.UserID](t0.Add(time.Minute)), Name: "Idle", Email: "idle@x.example", CreatedAt: t0}
	me := w.user.ID
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		if err := d.InsertOwner(ctx, far); err != nil {
			return err
		}
		if err := d.InsertAccount(ctx, farAcct); err != nil {
			return err
		}
		if err := d.InsertUser(ctx, idle); err != nil {
			return err
		}
		for _, m := range []vetshare.Membership{
			{UserID: me, AccountID: acct(0).ID, Role: vetshare.RoleStaff, Permissions: 3, Active: true},
			{UserID: me, AccountID: acct(1).ID, Role: vetshare.RoleAdmin, Permissions: 5, Active: true},
			{UserID: me, AccountID: acct(2).ID, Role: vetshare.RoleStaff, Permissions: 7, Active: false}, // not linked: inactive
			{UserID: me, AccountID: acct(3).ID, Role: vetshare.RoleStaff, Permissions: 9, Active: true},
			{UserID: me, AccountID: farAcct.ID, Role: vetshare.RoleOwner, Permissions: 1, Active: true}, // another owner
			{UserID: idle.ID, AccountID: acct(1).ID, Role: vetshare.RoleStaff, Permissions: 2, Active: true},
		} {
			if err := d.PutMembership(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	scope := func(user vetshare.UserID, account vetshare.AccountID) (got driver.TaskScope, err error) {
		t.Helper()
		view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
			got, err = txn.D(tx).TaskScope(ctx, user, account)
			return nil
		})
		return got, err
	}
	setSharing := func(on bool) {
		update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
			o := w.owner
			o.TaskSharing = on
			return txn.D(tx).UpdateOwner(ctx, o)
		})
	}

	clinic := func(i int, perms vetshare.Permissions) driver.LinkedClinic {
		return driver.LinkedClinic{ID: acct(i).ID, Name: acct(i).Name, Permissions: perms}
	}

	t.Run("SharingOff", func(t *testing.T) {
		got, err := scope(me, acct(1).ID)
		if err != nil {
			t.Fatal(err)
		}
		want := driver.TaskScope{Active: true, Owner: w.owner.ID, Clinics: []driver.LinkedClinic{clinic(1, 5)}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("TaskScope with task sharing off (-want +got):\n%s", diff)
		}
	})

	t.Run("SharingOn", func(t *testing.T) {
		setSharing(true)
		got, err := scope(me, acct(1).ID)
		if err != nil {
			t.Fatal(err)
		}
		want := driver.TaskScope{Active: true, Owner: w.owner.ID, TaskSharing: true,
			Clinics: []driver.LinkedClinic{clinic(1, 5), clinic(0, 3), clinic(3, 9)}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("TaskScope with task sharing on (-want +got):\n%s", diff)
		}
		// From an account where the membership is inactive: read, not active, so the
		// operation can refuse it by name; the linked clinics are the active ones.
		got, err = scope(me, acct(2).ID)
		if err != nil {
			t.Fatal(err)
		}
		want = driver.TaskScope{Owner: w.owner.ID, TaskSharing: true,
			Clinics: []driver.LinkedClinic{clinic(2, 7), clinic(0, 3), clinic(1, 5), clinic(3, 9)}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("TaskScope from an inactive membership (-want +got):\n%s", diff)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		_, err := scope(me, vetshare.NewID[vetshare.AccountID](t0.Add(time.Hour)))
		wantErr(t, "TaskScope of an unknown account", err, vetshare.ErrNotFound)
		_, err = scope(vetshare.NewID[vetshare.UserID](t0.Add(time.Hour)), acct(0).ID)
		wantErr(t, "TaskScope of an unknown user", err, vetshare.ErrNotFound)
		_, err = scope(idle.ID, acct(3).ID)
		wantErr(t, "TaskScope without a membership", err, vetshare.ErrNotFound)
		// An inactive user with an active membership is read, not active.
		got, err := scope(idle.ID, acct(1).ID)
		want := driver.TaskScope{Owner: w.owner.ID, TaskSharing: true, Clinics: []driver.LinkedClinic{clinic(1, 2)}}
		if diff := cmp.Diff(want, got); err != nil || diff != "" {
			t.Errorf("TaskScope of an inactive user: %v (-want +got):\n%s", err, diff)
		}
	})
}
