package storetest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
)

func init() { Register("ClientEntryBatches", testClientEntryBatches) }

// testClientEntryBatches checks the contract of [driver.ClientsTx.InsertClientEntries]: the
// numbers of InsertClientEntry one after the other, in one call (R2.5, R2.9).
func testClientEntryBatches(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 3)
	a, b, c := w.accounts[0].ID, w.accounts[1].ID, w.accounts[2].ID
	entry := func(acct vetshare.AccountID, client vetshare.ClientID) vetshare.ClientEntry {
		return vetshare.ClientEntry{AccountID: acct, ClientID: client, Via: vetshare.ViaBackfill, CreatedAt: t0}
	}
	numbers := func(es []vetshare.ClientEntry) []int64 {
		var out []int64
		for _, e := range es {
			out = append(out, e.Number)
		}
		return out
	}
	var ids []vetshare.ClientID
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		// Three clients of a (numbers 1 to 3), and a fourth with no entry yet.
		for _, n := range []string{"Ames", "Berg", "Cole"} {
			cl, err := w.client(ctx, tx, 0, n, "X")
			if err != nil {
				return err
			}
			ids = append(ids, cl.ID)
		}
		d := vetshare.Client{ID: vetshare.NewID[vetshare.ClientID](tx.Now()), OwnerID: w.owner.ID, LastName: "Dunn", FirstName: "X",
			OriginAccount: a, HomeAccount: a, CreatedAt: t0, UpdatedAt: t0, Version: 1}
		if err := txn.D(tx).InsertClient(ctx, d); err != nil {
			return err
		}
		ids = append(ids, d.ID)
		if err := txn.D(tx).InsertClientEntries(ctx, nil); err != nil {
			t.Errorf("InsertClientEntries of none: %v", err)
		}
		// Numbers per account in the order given, after those the transaction gave already.
		batch := []vetshare.ClientEntry{entry(b, ids[0]), entry(c, ids[0]), entry(b, ids[1]), entry(a, ids[3]), entry(b, ids[2]), entry(c, ids[2])}
		if err := txn.D(tx).InsertClientEntries(ctx, batch); err != nil {
			return err
		}
		if diff := cmp.Diff([]int64{1, 1, 2, 4, 3, 2}, numbers(batch)); diff != "" {
			t.Errorf("numbers of the batch (-want +got):\n%s", diff)
		}
		for _, e := range batch {
			got, err := txn.D(tx).ClientEntry(ctx, e.AccountID, e.ClientID)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(e, got); diff != "" {
				t.Errorf("stored entry (-want +got):\n%s", diff)
			}
		}
		// One at a time after a batch goes on from its numbers.
		one := entry(c, ids[3])
		if err := txn.D(tx).InsertClientEntry(ctx, &one); err != nil {
			return err
		}
		if one.Number != 3 {
			t.Errorf("InsertClientEntry after a batch: number %d, want 3", one.Number)
		}
		// Entries of one created time are listed in the order inserted, whatever their accounts.
		es, err := txn.D(tx).ClientEntries(ctx, ids[0])
		if err != nil {
			return err
		}
		var accts []vetshare.AccountID
		for _, e := range es {
			accts = append(accts, e.AccountID)
		}
		if diff := cmp.Diff([]vetshare.AccountID{a, b, c}, accts); diff != "" {
			t.Errorf("ClientEntries after a batch (-want +got):\n%s", diff)
		}
		return nil
	})
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		// An entry an account has already, or the same one twice: refused, nothing stored.
		wantErr(t, "InsertClientEntries of an entry stored", txn.D(tx).InsertClientEntries(ctx,
			[]vetshare.ClientEntry{entry(c, ids[1]), entry(b, ids[0])}), vetshare.ErrConflict)
		wantErr(t, "InsertClientEntries of one entry twice", txn.D(tx).InsertClientEntries(ctx,
			[]vetshare.ClientEntry{entry(c, ids[1]), entry(c, ids[1])}), vetshare.ErrConflict)
		_, err := txn.D(tx).ClientEntry(ctx, c, ids[1])
		wantErr(t, "ClientEntry of a refused batch", err, vetshare.ErrNotFound)
		// A new transaction reads the numbers stored; a refused batch took none.
		batch := []vetshare.ClientEntry{entry(c, ids[1]), entry(b, ids[3])}
		if err := txn.D(tx).InsertClientEntries(ctx, batch); err != nil {
			return err
		}
		if diff := cmp.Diff([]int64{4, 4}, numbers(batch)); diff != "" {
			t.Errorf("numbers of a later batch (-want +got):\n%s", diff)
		}
		return nil
	})
}
