package contacts_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/contacts"
	"github.com/vetshare/vetshare/internal/fixture"
)

var ctx = context.Background()

func create(t *testing.T, f *fixture.Fixture, i int, c vetshare.Contact) vetshare.Contact {
	t.Helper()
	var out vetshare.Contact
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		out, err = contacts.Create(ctx, tx, f.Actor(i), c)
		return err
	})
	return out
}

func count(t *testing.T, f *fixture.Fixture) (entries, audit int) {
	t.Helper()
	if err := f.RequireSQLite(t).DB().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM vetshare_contacts), (SELECT count(*) FROM vetshare_audit_log)`).
		Scan(&entries, &audit); err != nil {
		t.Fatal(err)
	}
	return entries, audit
}

// R6.1: contacts and companies belong to one account and are never shared, even between
// accounts of one share group.
func TestR6_1_ContactsBelongToOneAccount(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	lab := create(t, f, 0, vetshare.Contact{Kind: vetshare.ContactCompany, Name: "Idexx Lab", Category: "lab"})
	vet := create(t, f, 0, vetshare.Contact{Kind: vetshare.ContactPerson, Name: " Dr. Ana Pérez ", CompanyID: lab.ID,
		Email: `"Ana" <Ana@Idexx.Example>`, Category: "referring vet"})
	want := vetshare.Contact{ID: vet.ID, AccountID: f.Accounts[0].ID, Kind: vetshare.ContactPerson, Name: "Dr. Ana Pérez",
		CompanyID: lab.ID, Category: "referring vet", Email: "ana@idexx.example", CreatedAt: vet.CreatedAt, UpdatedAt: vet.CreatedAt, Version: 1}
	if diff := cmp.Diff(want, vet); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
	f.Update(t, func(tx *vetshare.Tx) error {
		got, err := contacts.Get(ctx, tx, f.Actor(0), vet.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("read back (-want +got):\n%s", diff)
		}
		list, _, err := contacts.List(ctx, tx, f.Actor(0), contacts.ListQuery{Prefix: "DR. ANA PEREZ"}, vetshare.Page{})
		if err != nil || len(list) != 1 || list[0].ID != vet.ID {
			t.Errorf("List at A by folded prefix = %v, %v", list, err)
		}
		if _, err := contacts.Get(ctx, tx, f.Actor(1), vet.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("Get from B: err = %v, want ErrNotFound", err)
		}
		if list, _, err := contacts.List(ctx, tx, f.Actor(1), contacts.ListQuery{}, vetshare.Page{}); err != nil || len(list) != 0 {
			t.Errorf("List at B = %v, %v; want nothing", list, err)
		}
		edit := vet
		edit.Name = "Hijacked"
		if _, err := contacts.Update(ctx, tx, f.Actor(1), edit); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("Update from B: err = %v, want ErrNotFound", err)
		}
		// A person at B cannot work at A's company.
		if _, err := contacts.Create(ctx, tx, f.Actor(1), vetshare.Contact{Kind: vetshare.ContactPerson, Name: "Bo", CompanyID: lab.ID}); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("person at B at A's company: err = %v, want ErrNotFound", err)
		}
		if _, err := contacts.Create(ctx, tx, f.Actor(0), vetshare.Contact{AccountID: f.Accounts[1].ID, Kind: vetshare.ContactCompany, Name: "X"}); !errors.Is(err, vetshare.ErrNotPermitted) {
			t.Errorf("create for another account: err = %v, want ErrNotPermitted", err)
		}
		return nil
	})
	if n, _ := count(t, f); n != 2 {
		t.Errorf("%d entries, want 2", n)
	}
}

// R6.2: an entry can be copied to another account of the same owner; the copy is independent.
func TestR6_2_CopyIsIndependent(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2})
	lab := create(t, f, 0, vetshare.Contact{Kind: vetshare.ContactCompany, Name: "Idexx Lab", Phone: "555-0101"})
	vet := create(t, f, 0, vetshare.Contact{Kind: vetshare.ContactPerson, Name: "Dr. Ana Pérez", CompanyID: lab.ID, Notes: "cardiology"})
	_, audit0 := count(t, f)
	var cp vetshare.Contact
	f.Update(t, func(tx *vetshare.Tx) error {
		var err error
		cp, err = contacts.Copy(ctx, tx, f.Actor(0), vet.ID, f.Accounts[1].ID)
		return err
	})
	want := vetshare.Contact{ID: cp.ID, AccountID: f.Accounts[1].ID, Kind: vetshare.ContactPerson, Name: "Dr. Ana Pérez",
		Notes: "cardiology", CopiedFrom: vet.ID, CreatedAt: cp.CreatedAt, UpdatedAt: cp.CreatedAt, Version: 1}
	if diff := cmp.Diff(want, cp); diff != "" {
		t.Errorf("copy (-want +got):\n%s", diff)
	}
	if cp.ID == vet.ID {
		t.Fatal("the copy has the source's id")
	}
	// R10.1: a cross-account write is audited.
	if _, audit := count(t, f); audit != audit0+1 {
		t.Errorf("%d audit entries, want %d", audit, audit0+1)
	}
	f.Update(t, func(tx *vetshare.Tx) error {
		src := vet
		src.Notes = "moved to oncology"
		if _, err := contacts.Update(ctx, tx, f.Actor(0), src); err != nil {
			return err
		}
		dst := cp
		dst.Phone = "555-0199"
		_, err := contacts.Update(ctx, tx, f.Actor(1), dst)
		return err
	})
	f.View(t, func(tx *vetshare.Tx) error {
		gotSrc, err := contacts.Get(ctx, tx, f.Actor(0), vet.ID)
		if err != nil {
			return err
		}
		gotCp, err := contacts.Get(ctx, tx, f.Actor(1), cp.ID)
		if err != nil {
			return err
		}
		if gotSrc.Notes != "moved to oncology" || gotSrc.Phone != "" || gotSrc.Version != 2 {
			t.Errorf("source = %+v; the copy's edit reached it or its own was lost", gotSrc)
		}
		if gotCp.Notes != "cardiology" || gotCp.Phone != "555-0199" || gotCp.Version != 2 {
			t.Errorf("copy = %+v; the source's edit reached it or its own was lost", gotCp)
		}
		return nil
	})
}

// R6.2: copying to an account of another owner is refused, and nothing changes.
func TestR6_2_CopyRefusedAcrossOwners(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2})
	vet := create(t, f, 0, vetshare.Contact{Kind: vetshare.ContactPerson, Name: "Dr. Ana Pérez"})
	var foreign vetshare.Account
	f.Update(t, func(tx *vetshare.Tx) error {
		o, err := accounts.CreateOwner(ctx, tx, vetshare.Owner{Name: "Other Group"})
		if err != nil {
			return err
		}
		if foreign, err = accounts.CreateAccount(ctx, tx, vetshare.Account{OwnerID: o.ID, Name: "Elsewhere",
			Email: "x@elsewhere.example", TimeZone: "UTC", Currency: "USD"}); err != nil {
			return err
		}
		return accounts.Grant(ctx, tx, vetshare.Membership{UserID: f.Admin.ID, AccountID: foreign.ID, Role: vetshare.RoleOwner, Active: true})
	})
	staffA := f.User(t, "staffa", vetshare.RoleStaff, 0, 0) // a member of A only
	n0, a0 := count(t, f)
	for _, tc := range []struct {
		name  string
		actor vetshare.Actor
		id    vetshare.ContactID
		to    vetshare.AccountID
		want  error
	}{
		{"ErrOtherOwner", f.Actor(0), vet.ID, foreign.ID, vetshare.ErrNotPermitted},
		{"ErrNoMembershipAtTarget", vetshare.Actor{User: staffA.ID, Account: f.Accounts[0].ID}, vet.ID, f.Accounts[1].ID, vetshare.ErrNotPermitted},
		{"ErrSameAccount", f.Actor(0), vet.ID, f.Accounts[0].ID, vetshare.ErrInvalid},
		{"ErrUnknownTarget", f.Actor(0), vet.ID, "0A000000000000000000000000", vetshare.ErrNotFound},
		{"ErrMalformedTarget", f.Actor(0), vet.ID, "nope\x00", vetshare.ErrInvalid},
		{"ErrNotTheActorsEntry", f.Actor(1), vet.ID, f.Accounts[0].ID, vetshare.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
				_, err := contacts.Copy(ctx, tx, tc.actor, tc.id, tc.to)
				return err
			})
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if n, a := count(t, f); n != n0 || a != a0 {
				t.Errorf("entries %d, audit %d; want %d, %d", n, a, n0, a0)
			}
		})
	}
}

func TestCopyOfAndCanCopy(t *testing.T) {
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	src := vetshare.Contact{ID: "0C000000000000000000000001", AccountID: "0A000000000000000000000001", Kind: vetshare.ContactPerson,
		Name: "Ana", CompanyID: "0C000000000000000000000002", Email: "a@x.example", Version: 7}
	got := contacts.CopyOf(src, "0A000000000000000000000002", "0C000000000000000000000003", now)
	want := vetshare.Contact{ID: "0C000000000000000000000003", AccountID: "0A000000000000000000000002", Kind: vetshare.ContactPerson,
		Name: "Ana", Email: "a@x.example", CopiedFrom: src.ID, CreatedAt: now, UpdatedAt: now, Version: 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CopyOf (-want +got):\n%s", diff)
	}
	a := vetshare.Account{ID: "0A000000000000000000000001", OwnerID: "0W000000000000000000000001"}
	b := vetshare.Account{ID: "0A000000000000000000000002", OwnerID: "0W000000000000000000000001"}
	x := vetshare.Account{ID: "0A000000000000000000000003", OwnerID: "0W000000000000000000000002"}
	if err := contacts.CanCopy(a, b); err != nil {
		t.Errorf("CanCopy(same owner) = %v", err)
	}
	if err := contacts.CanCopy(a, x); !errors.Is(err, vetshare.ErrNotPermitted) {
		t.Errorf("CanCopy(other owner) = %v, want ErrNotPermitted", err)
	}
}

// R11.1: bad entries get a typed error and change nothing.
func TestContactBadInput(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 1})
	person := create(t, f, 0, vetshare.Contact{Kind: vetshare.ContactPerson, Name: "Ana"})
	for _, tc := range []struct {
		name string
		c    vetshare.Contact
		want error
	}{
		{"ErrKind", vetshare.Contact{Kind: "robot", Name: "R2"}, vetshare.ErrInvalid},
		{"ErrNameRequired", vetshare.Contact{Kind: vetshare.ContactCompany, Name: " "}, vetshare.ErrInvalid},
		{"ErrNameTooLong", vetshare.Contact{Kind: vetshare.ContactCompany, Name: strings.Repeat("x", contacts.MaxName+1)}, vetshare.ErrInvalid},
		{"ErrEmail", vetshare.Contact{Kind: vetshare.ContactCompany, Name: "Lab", Email: "not an address"}, vetshare.ErrInvalid},
		{"ErrCompanyOnCompany", vetshare.Contact{Kind: vetshare.ContactCompany, Name: "Lab", CompanyID: person.ID}, vetshare.ErrInvalid},
		{"ErrCompanyIsAPerson", vetshare.Contact{Kind: vetshare.ContactPerson, Name: "Bo", CompanyID: person.ID}, vetshare.ErrInvalid},
		{"ErrUnknownCompany", vetshare.Contact{Kind: vetshare.ContactPerson, Name: "Bo", CompanyID: "0C000000000000000000000000"}, vetshare.ErrNotFound},
		{"ErrNotesUTF8", vetshare.Contact{Kind: vetshare.ContactPerson, Name: "Bo", Notes: "\xff"}, vetshare.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n0, _ := count(t, f)
			err := f.Store.Update(ctx, func(tx *vetshare.Tx) error {
				_, err := contacts.Create(ctx, tx, f.Actor(0), tc.c)
				return err
			})
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if n, _ := count(t, f); n != n0 {
				t.Errorf("%d entries, want %d", n, n0)
			}
		})
	}
	t.Run("ErrStaleVersion", func(t *testing.T) {
		f.Update(t, func(tx *vetshare.Tx) error {
			edit := person
			edit.Notes = "first"
			if _, err := contacts.Update(ctx, tx, f.Actor(0), edit); err != nil {
				return err
			}
			edit.Notes = "second, from a stale read"
			_, err := contacts.Update(ctx, tx, f.Actor(0), edit)
			var ce *vetshare.ConflictError
			if !errors.As(err, &ce) || ce.Version != 1 || ce.Current != 2 {
				t.Errorf("err = %v, want a ConflictError from version 1 at 2", err)
			}
			edit.Kind = vetshare.ContactCompany
			edit.Version = 2
			if _, err := contacts.Update(ctx, tx, f.Actor(0), edit); !errors.Is(err, vetshare.ErrInvalid) {
				t.Errorf("changing the kind: err = %v, want ErrInvalid", err)
			}
			return nil
		})
	})
}

func TestListPaging(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 1})
	for _, n := range []string{"Zeta Lab", "Alpha Lab", "Beta Supplies", "Alpha Lab", "Élan Vet"} {
		create(t, f, 0, vetshare.Contact{Kind: vetshare.ContactCompany, Name: n})
	}
	create(t, f, 0, vetshare.Contact{Kind: vetshare.ContactPerson, Name: "Alan"})
	f.View(t, func(tx *vetshare.Tx) error {
		var names []string
		q, p := contacts.ListQuery{Kind: vetshare.ContactCompany}, vetshare.Page{Limit: 2}
		for {
			page, next, err := contacts.List(ctx, tx, f.Actor(0), q, p)
			if err != nil {
				return err
			}
			for _, c := range page {
				names = append(names, c.Name)
			}
			if next == "" {
				break
			}
			p.After = next
		}
		if diff := cmp.Diff([]string{"Alpha Lab", "Alpha Lab", "Beta Supplies", "Élan Vet", "Zeta Lab"}, names); diff != "" {
			t.Errorf("companies by name (-want +got):\n%s", diff)
		}
		al, _, err := contacts.List(ctx, tx, f.Actor(0), contacts.ListQuery{Prefix: "al"}, vetshare.Page{})
		if err != nil || len(al) != 3 {
			t.Errorf("prefix al: %d entries, %v; want 3", len(al), err)
		}
		return nil
	})
}
