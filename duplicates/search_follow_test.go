package duplicates_test

import (
	"context"
	"slices"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/duplicates"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
)

// TestR2_3TypeAheadFollowsSharesRenamesAndMerges, R2.3 with R3.3 and R13.3: what an account
// finds by name is exactly the clients it has an entry for, as they are now: a share makes a
// client findable in the account it is shared with, a rename finds the new name and not the old
// one, and a merge leaves the survivor alone under both names' accounts. (The SQLite store
// keeps the name keys a second time by account; this is what keeps it honest.)
func TestR2_3TypeAheadFollowsSharesRenamesAndMerges(t *testing.T) {
	ctx := context.Background()
	fx := fixture.New(t, fixture.Options{Accounts: 3, Mode: vetshare.ModeManual})
	find := func(i int, typed string) []vetshare.ClientID {
		t.Helper()
		var ids []vetshare.ClientID
		fx.View(t, func(tx *vetshare.Tx) error {
			rows, _, err := records.Clients(ctx, tx, fx.Actor(i), typed, vetshare.Page{Limit: 10})
			for _, r := range rows {
				ids = append(ids, r.Client.ID)
			}
			return err
		})
		return ids
	}
	expect := func(step string, i int, typed string, want ...vetshare.ClientID) {
		t.Helper()
		if got := find(i, typed); !slices.Equal(got, want) {
			t.Errorf("%s: account %d typing %q found %v, want %v", step, i, typed, got, want)
		}
	}
	a, _ := fx.Client(t, 0, "Smith", "Joan")
	expect("created", 0, "smith, jo", a.ID)
	expect("created", 0, "joan smi", a.ID)
	expect("not shared", 1, "smith, jo")
	expect("not shared", 1, "smi")

	fx.Update(t, func(tx *vetshare.Tx) error {
		_, err := sharing.ShareClient(ctx, tx, fx.Actor(1), a.ID)
		return err
	})
	expect("shared", 1, "smith, jo", a.ID)
	expect("shared", 1, "jo smith", a.ID)

	fx.EditClient(t, 1, a.ID, func(c *vetshare.Client) { c.LastName = "Smythe" })
	for i := range 2 {
		expect("renamed", i, "smith, jo")
		expect("renamed", i, "smythe, jo", a.ID)
		expect("renamed", i, "joan smy", a.ID)
	}

	// b is in account 2, shared to account 1, which then holds both: the merge drops b's entry
	// there and gives the one of account 2 to a.
	b, _ := fx.Client(t, 2, "Smythe", "Joanie")
	fx.Update(t, func(tx *vetshare.Tx) error {
		_, err := sharing.ShareClient(ctx, tx, fx.Actor(1), b.ID)
		return err
	})
	expect("second client", 0, "smythe, jo", a.ID)
	expect("second client", 1, "smythe, jo", a.ID, b.ID)
	expect("second client", 2, "smythe, jo", b.ID)
	fx.Update(t, func(tx *vetshare.Tx) error {
		_, err := duplicates.Merge(ctx, tx, fx.Actor(0), a.ID, b.ID)
		return err
	})
	for i := range 3 {
		expect("merged", i, "smythe, jo", a.ID)
		expect("merged", i, "joanie smythe", a.ID) // by its surname alone: Joanie is gone
	}
}
