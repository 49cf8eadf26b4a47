package sharing_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/sharing"
)

func group(t *testing.T, f *fixture.Fixture, actor vetshare.Actor) (sharing.GroupView, error) {
	t.Helper()
	var v sharing.GroupView
	var gerr error
	f.View(t, func(tx *vetshare.Tx) error {
		v, gerr = sharing.Group(ctx, tx, actor)
		return nil
	})
	return v, gerr
}

// R1.6, R1.7: Group shows the group's mode, its members by name, and when each account joined
// and left; an account that left sees no group.
func TestGroupView(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3})
	a, b, c := f.Accounts[0], f.Accounts[1], f.Accounts[2]
	if _, err := group(t, f, f.Actor(0)); !errors.Is(err, vetshare.ErrNotFound) {
		t.Fatalf("Group before any: %v, want ErrNotFound", err)
	}
	gid := f.Enable(t, vetshare.ModeManual, a.ID, b.ID)
	f.Enable(t, vetshare.ModeAutomatic, a.ID, c.ID) // c joins a's group, which keeps its mode
	f.Update(t, func(tx *vetshare.Tx) error {
		_, err := sharing.Remove(ctx, tx, f.Request(sharing.ActionRemove, "", b.ID))
		return err
	})

	v, err := group(t, f, f.Actor(2))
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != gid || v.Mode != vetshare.ModeManual {
		t.Errorf("group %s mode %s, want %s manual", v.ID, v.Mode, gid)
	}
	type row struct {
		Account vetshare.AccountID
		Name    string
		Left    bool
	}
	var members, history []row
	for _, m := range v.Members {
		members = append(members, row{m.Account, m.Name, !m.LeftAt.IsZero()})
	}
	for _, m := range v.History {
		history = append(history, row{m.Account, m.Name, !m.LeftAt.IsZero()})
		if !m.LeftAt.IsZero() && !m.LeftAt.After(m.JoinedAt) {
			t.Errorf("%s left at %v, not after joining at %v", m.Name, m.LeftAt, m.JoinedAt)
		}
	}
	// a and b joined together (ordered by id), c later.
	ab := []row{{a.ID, "Clinic A", false}, {b.ID, "Clinic B", true}}
	if b.ID < a.ID {
		ab = []row{ab[1], ab[0]}
	}
	if diff := cmp.Diff(append(ab, row{c.ID, "Clinic C", false}), history); diff != "" {
		t.Errorf("History (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]row{{a.ID, "Clinic A", false}, {c.ID, "Clinic C", false}}, members); diff != "" {
		t.Errorf("Members (-want +got):\n%s", diff)
	}
	if !v.History[2].JoinedAt.After(v.History[0].JoinedAt) || v.CreatedAt.After(v.History[0].JoinedAt) {
		t.Errorf("joining times out of order: %+v (created %v)", v.History, v.CreatedAt)
	}
	// b left: it sees no group.
	if _, err := group(t, f, f.Actor(1)); !errors.Is(err, vetshare.ErrNotFound) {
		t.Errorf("Group of an account that left: %v, want ErrNotFound", err)
	}
	// A staff member of a member account sees the group too; a user without a membership does not.
	staff := f.User(t, "sam", vetshare.RoleStaff, 0, 0)
	if _, err := group(t, f, vetshare.Actor{User: staff.ID, Account: a.ID}); err != nil {
		t.Errorf("staff: %v", err)
	}
	if _, err := group(t, f, vetshare.Actor{User: staff.ID, Account: c.ID}); !errors.Is(err, vetshare.ErrNotPermitted) {
		t.Errorf("no membership: %v, want ErrNotPermitted", err)
	}
}

// R3.3, R1.1: the actor of another owner sees only its own group, never this owner's accounts.
func TestR3_3GroupIsolation(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	other := f.Another(t, "Hillside Animal Hospitals", fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	v, err := group(t, f, other.Actor(0))
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != other.Group || v.ID == f.Group {
		t.Errorf("the other owner's actor sees group %s, want its own %s", v.ID, other.Group)
	}
	for _, m := range v.History {
		if m.Account == f.Accounts[0].ID || m.Account == f.Accounts[1].ID {
			t.Errorf("the other owner's group shows account %s of this owner", m.Account)
		}
	}
	// This owner's admin, logged into the other owner's account, has no membership there.
	if _, err := group(t, f, vetshare.Actor{User: f.Admin.ID, Account: other.Accounts[0].ID}); err == nil {
		t.Error("an actor of another owner's account without membership read its group")
	}
}
