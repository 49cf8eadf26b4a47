package audit_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/internal/txn"
)

// readLog reads the whole log as actor, page by page.
func readLog(t *testing.T, f *fixture.Fixture, actor vetshare.Actor, limit int) ([]vetshare.AuditEntry, int, error) {
	t.Helper()
	var all []vetshare.AuditEntry
	pages := 0
	var lerr error
	f.View(t, func(tx *vetshare.Tx) error {
		page := vetshare.Page{Limit: limit}
		for {
			es, next, err := audit.Log(ctx, tx, actor, page)
			if err != nil {
				lerr = err
				return nil
			}
			all, pages = append(all, es...), pages+1
			if next == "" {
				return nil
			}
			page.After = next
		}
	})
	return all, pages, lerr
}

func verifyAs(t *testing.T, f *fixture.Fixture, actor vetshare.Actor) (int64, error) {
	t.Helper()
	var n int64
	var verr error
	f.View(t, func(tx *vetshare.Tx) error {
		n, verr = audit.Verify(ctx, tx, actor)
		return nil
	})
	return n, verr
}

// R10.3: an active owner or admin of an account of the owner reads and verifies the owner's log,
// from any of its accounts; a staff member, an inactive user, an inactive membership, a user
// without a membership in the account, and a member of another owner get not found.
func TestR10_3LogReaders(t *testing.T) {
	f := build(t)
	var want []vetshare.AuditEntry
	f.View(t, func(tx *vetshare.Tx) error {
		var err error
		want, err = txn.D(tx).AuditEntries(ctx, f.Owner.ID, 0, 1000)
		return err
	})
	admin := f.User(t, "adam", vetshare.RoleAdmin, 0, 1)
	staff := f.User(t, "sam", vetshare.RoleStaff, vetshare.PermAll, 0, 1)
	gone := f.User(t, "gil", vetshare.RoleAdmin, 0, 0)
	f.Update(t, func(tx *vetshare.Tx) error {
		gone.Active = false
		_, err := accounts.UpdateUser(ctx, tx, gone)
		return err
	})
	lapsed := f.User(t, "lea", vetshare.RoleAdmin, 0, 0)
	f.Update(t, func(tx *vetshare.Tx) error {
		return accounts.Grant(ctx, tx, vetshare.Membership{UserID: lapsed.ID, AccountID: f.Accounts[0].ID, Role: vetshare.RoleAdmin, Active: false})
	})
	other := f.Another(t, "Hillside Animal Hospitals", fixture.Options{Accounts: 1})

	t.Run("OK", func(t *testing.T) {
		for name, actor := range map[string]vetshare.Actor{
			"owner at A": f.Actor(0),
			"owner at B": f.Actor(1),
			"admin at B": {User: admin.ID, Account: f.Accounts[1].ID},
		} {
			got, pages, err := readLog(t, f, actor, 3)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: Log (-want +got):\n%s", name, diff)
			}
			if pages != (len(want)+2)/3 {
				t.Errorf("%s: %d entries in %d pages of 3", name, len(got), pages)
			}
			if n, err := verifyAs(t, f, actor); err != nil || n != int64(len(want)) {
				t.Errorf("%s: Verify %d, %v; want %d", name, n, err, len(want))
			}
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		for name, actor := range map[string]vetshare.Actor{
			"staff":                 {User: staff.ID, Account: f.Accounts[0].ID},
			"inactive user":         {User: gone.ID, Account: f.Accounts[0].ID},
			"inactive membership":   {User: lapsed.ID, Account: f.Accounts[0].ID},
			"no membership there":   {User: gone.ID, Account: f.Accounts[1].ID},
			"another owner's admin": {User: other.Admin.ID, Account: f.Accounts[0].ID},
			"this admin elsewhere":  {User: f.Admin.ID, Account: other.Accounts[0].ID},
		} {
			if _, _, err := readLog(t, f, actor, 0); !errors.Is(err, vetshare.ErrNotFound) {
				t.Errorf("%s: Log %v, want ErrNotFound", name, err)
			}
			if _, err := verifyAs(t, f, actor); !errors.Is(err, vetshare.ErrNotFound) {
				t.Errorf("%s: Verify %v, want ErrNotFound", name, err)
			}
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, p := range []vetshare.Page{{Limit: -1}, {Limit: vetshare.MaxLimit + 1}, {After: "made-up"}} {
			f.View(t, func(tx *vetshare.Tx) error {
				if _, _, err := audit.Log(ctx, tx, f.Actor(0), p); !errors.Is(err, vetshare.ErrInvalid) {
					t.Errorf("Log(%+v): %v, want ErrInvalid", p, err)
				}
				return nil
			})
		}
		if _, err := verifyAs(t, f, vetshare.Actor{User: "x\x00", Account: f.Accounts[0].ID}); !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("Verify with a malformed actor: %v, want ErrInvalid", err)
		}
	})
}

// R3.3, R10.3: the admin of another owner reads and verifies that owner's log only, never an
// entry of this one.
func TestR3_3LogIsolation(t *testing.T) {
	f := build(t)
	other := f.Another(t, "Hillside Animal Hospitals", fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	mine, _, err := readLog(t, f, f.Actor(0), 0)
	if err != nil {
		t.Fatal(err)
	}
	theirs, _, err := readLog(t, other, other.Actor(0), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(theirs) != 1 || theirs[0].Action != "sharing.enable" {
		t.Errorf("the other owner's log: %+v, want its one decision", theirs)
	}
	for _, e := range theirs {
		if e.OwnerID != other.Owner.ID {
			t.Errorf("the other owner reads entry %d of owner %s", e.Seq, e.OwnerID)
		}
	}
	if n, err := verifyAs(t, other, other.Actor(1)); err != nil || n != int64(len(theirs)) {
		t.Errorf("the other owner verifies %d entries, %v; want %d", n, err, len(theirs))
	}
	// A cursor of this owner's log, handed to the other's, pages the other's log only.
	var next vetshare.Cursor
	f.View(t, func(tx *vetshare.Tx) error {
		_, next, err = audit.Log(ctx, tx, f.Actor(0), vetshare.Page{Limit: 1})
		return err
	})
	f.View(t, func(tx *vetshare.Tx) error {
		es, _, err := audit.Log(ctx, tx, other.Actor(0), vetshare.Page{After: next})
		for _, e := range es {
			if e.OwnerID != other.Owner.ID {
				t.Errorf("a cursor of another log reads entry %d of owner %s", e.Seq, e.OwnerID)
			}
		}
		return err
	})
	if len(mine) < 2 {
		t.Errorf("this owner's log: %d entries", len(mine))
	}
}
