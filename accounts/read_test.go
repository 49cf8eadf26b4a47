package accounts_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/accounts"
	"github.com/vetshare/vetshare/internal/fixture"
)

// oldestFirst returns the ids of the fixture's accounts in the order lists give them: by
// creation time, then in the order they were made (a fixture makes them in one transaction).
func oldestFirst(f *fixture.Fixture) []vetshare.AccountID {
	// f.Accounts are in the order they were created: those of one transaction keep it, whatever
	// their ids (R12.3).
	as := slices.Clone(f.Accounts)
	slices.SortStableFunc(as, func(a, b vetshare.Account) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return ids(as)
}

func ids(as []vetshare.Account) []vetshare.AccountID {
	var out []vetshare.AccountID
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

// Account, Owner and Clinics read the actor's owner: its clinics, paged oldest first.
func TestReadAccounts(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 3})
	staff := f.User(t, "sam", vetshare.RoleStaff, 0, 2)
	at := vetshare.Actor{User: staff.ID, Account: f.Accounts[2].ID}
	f.View(t, func(tx *vetshare.Tx) error {
		t.Run("OK", func(t *testing.T) {
			a, err := accounts.Account(ctx, tx, at, f.Accounts[1].ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(f.Accounts[1], a); diff != "" {
				t.Errorf("Account (-want +got):\n%s", diff)
			}
			o, err := accounts.Owner(ctx, tx, at)
			if err != nil || o.ID != f.Owner.ID || o.Name != f.Owner.Name {
				t.Errorf("Owner: %+v, %v; want %+v", o, err, f.Owner)
			}
		})
		t.Run("Clinics", func(t *testing.T) {
			var got []vetshare.AccountID
			var pages int
			page := vetshare.Page{Limit: 2}
			for {
				rows, next, err := accounts.Clinics(ctx, tx, at, page)
				if err != nil {
					t.Fatal(err)
				}
				got, pages = append(got, ids(rows)...), pages+1
				if next == "" {
					break
				}
				page.After = next
			}
			if diff := cmp.Diff(oldestFirst(f), got); diff != "" || pages != 2 {
				t.Errorf("Clinics in %d pages (-want +got):\n%s", pages, diff)
			}
			rows, next, err := accounts.Clinics(ctx, tx, at, vetshare.Page{})
			if err != nil || next != "" || len(rows) != 3 {
				t.Errorf("Clinics with the default limit: %d rows, next %q, %v", len(rows), next, err)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			if _, err := accounts.Account(ctx, tx, at, "nope\x00"); !errors.Is(err, vetshare.ErrInvalid) {
				t.Errorf("malformed id: %v", err)
			}
			for _, p := range []vetshare.Page{{Limit: -1}, {Limit: vetshare.MaxLimit + 1}, {After: "made-up"}} {
				if _, _, err := accounts.Clinics(ctx, tx, at, p); !errors.Is(err, vetshare.ErrInvalid) {
					t.Errorf("Clinics(%+v): %v, want ErrInvalid", p, err)
				}
			}
		})
		t.Run("ErrNotPermitted", func(t *testing.T) {
			// sam has no membership in account 1.
			away := vetshare.Actor{User: staff.ID, Account: f.Accounts[1].ID}
			if _, err := accounts.Owner(ctx, tx, away); !errors.Is(err, vetshare.ErrNotPermitted) {
				t.Errorf("Owner from an account without membership: %v", err)
			}
		})
		return nil
	})
}

// R3.3: an account of another owner is not found, exactly as one that does not exist; the
// other owner's actor sees only its own owner and clinics; a cursor of one owner's list does not
// page another's.
func TestR3_3ReadAccountsIsolation(t *testing.T) {
	f := fixture.New(t, fixture.Options{Accounts: 2})
	other := f.Another(t, "Hillside Animal Hospitals", fixture.Options{Accounts: 2})
	f.View(t, func(tx *vetshare.Tx) error {
		_, errOther := accounts.Account(ctx, tx, f.Actor(0), other.Accounts[0].ID)
		_, errNone := accounts.Account(ctx, tx, f.Actor(0), vetshare.NewID[vetshare.AccountID](f.Clock.Now()))
		if !errors.Is(errOther, vetshare.ErrNotFound) || !errors.Is(errNone, vetshare.ErrNotFound) {
			t.Errorf("another owner's account: %v; an unknown one: %v; want ErrNotFound for both", errOther, errNone)
		}
		var nf1, nf2 *vetshare.NotFoundError
		if errors.As(errOther, &nf1) && errors.As(errNone, &nf2) && nf1.Kind != nf2.Kind {
			t.Errorf("another owner's account is told apart from a missing one: %q vs %q", nf1.Kind, nf2.Kind)
		}
		o, err := accounts.Owner(ctx, tx, other.Actor(1))
		if err != nil || o.ID != other.Owner.ID {
			t.Errorf("Owner of the other actor: %+v, %v", o, err)
		}
		rows, _, err := accounts.Clinics(ctx, tx, other.Actor(0), vetshare.Page{})
		if diff := cmp.Diff(oldestFirst(other), ids(rows)); err != nil || diff != "" {
			t.Errorf("Clinics of the other owner (-want +got):\n%s%v", diff, err)
		}
		_, next, err := accounts.Clinics(ctx, tx, f.Actor(0), vetshare.Page{Limit: 1})
		if err != nil || next == "" {
			t.Fatalf("first page: %q, %v", next, err)
		}
		if rows, _, err := accounts.Clinics(ctx, tx, other.Actor(0), vetshare.Page{Limit: 1, After: next}); !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("another owner's cursor: %v, %v; want ErrInvalid", ids(rows), err)
		}
		return nil
	})
}
