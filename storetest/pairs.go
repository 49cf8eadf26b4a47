package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/txn"
)

func init() {
	Register("DuplicatePairs", testDuplicatePairs)
}

// testDuplicatePairs checks KeyedClients and the stored pairs of the duplicate scan (R13.1):
// their order and cursors, the upsert, and that decisions and merges take pairs away.
func testDuplicatePairs(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 2)
	other := newWorld(t, s, 1)
	var cs []vetshare.Client
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		for i, n := range [][2]string{{"Smith", "Ann"}, {"Smith", "Ann"}, {"Smith", "Bob"}, {"Jones", "Cy"}, {"Smith-Jones", "Di"}} {
			c, err := w.client(ctx, tx, i%2, n[0], n[1])
			if err != nil {
				return err
			}
			c.Email = "shared@x.example"
			if i >= 3 {
				c.Email = ""
			}
			if err := d.IndexClient(ctx, c); err != nil {
				return err
			}
			cs = append(cs, c)
		}
		// Another owner's Smith never shows.
		o, err := other.client(ctx, tx, 0, "Smith", "Ann")
		if err != nil {
			return err
		}
		return d.IndexClient(ctx, o)
	})
	byID := slices.Clone(cs)
	slices.SortFunc(byID, func(a, b vetshare.Client) int { return compareIDs(a.ID, b.ID) })

	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		// Every l: key of the owner, by key then client, read two at a time.
		var got []string
		var prev [2]string
		key, client := "", vetshare.ClientID("")
		for {
			ks, err := d.KeyedClients(ctx, w.owner.ID, driver.KeyLast, key, client, 2)
			if err != nil {
				return err
			}
			for _, k := range ks {
				if k.Client.OwnerID != w.owner.ID || k.Client.LastName == "" {
					t.Errorf("KeyedClients gave %+v", k.Client)
				}
				if n := len(got); n > 0 && prev[0] == k.Key && prev[1] >= string(k.Client.ID) {
					t.Errorf("KeyedClients: %s %s after %s %s, want by key then client", k.Key, k.Client.ID, prev[0], prev[1])
				}
				prev = [2]string{k.Key, string(k.Client.ID)}
				got = append(got, k.Key+" "+k.Client.LastName)
			}
			if len(ks) < 2 {
				break
			}
			key, client = ks[len(ks)-1].Key, ks[len(ks)-1].Client.ID
		}
		want := []string{"l:jones Jones", "l:jones Smith-Jones", "l:smith Smith", "l:smith Smith", "l:smith Smith", "l:smith Smith-Jones", "l:smithjones Smith-Jones"}
		slices.Sort(got) // within a key, by client id, which the loop checked
		if !slices.Equal(got, want) {
			t.Errorf("KeyedClients l: in pages of 2 = %q, want %q", got, want)
		}
		ks, err := d.KeyedClients(ctx, w.owner.ID, driver.KeyEmail, "", "", 10)
		if err != nil {
			return err
		}
		if len(ks) != 3 || ks[0].Key != "e:shared@x.example" || !ks[0].Client.CreatedAt.Equal(t0) {
			t.Errorf("KeyedClients e: = %+v, want the three clients with the shared email", ks)
		}
		_, err = d.KeyedClients(ctx, w.owner.ID, "", "", "", 10)
		wantErr(t, "KeyedClients without a prefix", err, vetshare.ErrInvalid)
		_, err = d.KeyedClients(ctx, w.owner.ID, driver.KeyLast, "", "", 0)
		wantErr(t, "KeyedClients limit 0", err, vetshare.ErrInvalid)
		ps, err := d.DuplicatePairs(ctx, w.owner.ID, nil, 10)
		if err != nil || len(ps) != 0 {
			t.Errorf("DuplicatePairs before any = %v, %v", ps, err)
		}
		return nil
	})

	pair := func(i, j, score int) driver.DuplicatePair {
		a, b := byID[i].ID, byID[j].ID
		return driver.DuplicatePair{Owner: w.owner.ID, A: a, B: b, Score: score, Grade: "possible", Agree: []string{"name", "email"}, Found: t0}
	}
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		wantErr(t, "PutDuplicatePairs with A > B", d.PutDuplicatePairs(ctx, []driver.DuplicatePair{{Owner: w.owner.ID, A: byID[1].ID, B: byID[0].ID, Score: 50, Grade: "possible", Found: t0}}), vetshare.ErrInvalid)
		if err := d.PutDuplicatePairs(ctx, []driver.DuplicatePair{pair(0, 1, 50), pair(0, 2, 90), pair(1, 2, 50), pair(2, 3, 60), pair(3, 4, 50)}); err != nil {
			return err
		}
		// The same pair again replaces it.
		p := pair(1, 2, 70)
		p.Grade = "match"
		if err := d.PutDuplicatePairs(ctx, []driver.DuplicatePair{p}); err != nil {
			return err
		}
		// A pair decided not the same is not stored, and deciding removes one stored.
		if err := d.InsertNotSame(ctx, driver.NotSame{Owner: w.owner.ID, A: byID[3].ID, B: byID[4].ID, Account: w.accounts[0].ID, User: w.user.ID, Reason: "two people", At: t0}); err != nil {
			return err
		}
		if err := d.PutDuplicatePairs(ctx, []driver.DuplicatePair{pair(3, 4, 50)}); err != nil {
			return err
		}
		if err := d.InsertNotSame(ctx, driver.NotSame{Owner: w.owner.ID, A: byID[2].ID, B: byID[3].ID, Account: w.accounts[0].ID, User: w.user.ID, Reason: "two people", At: t0}); err != nil {
			return err
		}
		return nil
	})
	read := func(ctx context.Context, d driver.Tx, limit int) []string {
		var out []string
		var after *driver.DuplicatePair
		for {
			ps, err := d.DuplicatePairs(ctx, w.owner.ID, after, limit)
			if err != nil {
				t.Errorf("DuplicatePairs: %v", err)
				return out
			}
			for _, p := range ps {
				if p.ClientA.ID != p.A || p.ClientB.ID != p.B || p.ClientA.LastName == "" || !p.Found.Equal(t0) {
					t.Errorf("DuplicatePairs gave %+v", p)
				}
				out = append(out, string(p.A)+"-"+string(p.B)+" "+p.Grade+" "+itoa(p.Score)+" "+join(p.Agree))
			}
			if len(ps) < limit {
				return out
			}
			after = &ps[len(ps)-1].DuplicatePair
		}
	}
	line := func(i, j, score int, grade string) string {
		return string(byID[i].ID) + "-" + string(byID[j].ID) + " " + grade + " " + itoa(score) + " name,email"
	}
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		want := []string{line(0, 2, 90, "possible"), line(1, 2, 70, "match"), line(0, 1, 50, "possible")}
		for _, limit := range []int{1, 2, 10} {
			if got := read(ctx, txn.D(tx), limit); !slices.Equal(got, want) {
				t.Errorf("DuplicatePairs by %d =\n%q, want\n%q", limit, got, want)
			}
		}
		_, err := txn.D(tx).DuplicatePairs(ctx, w.owner.ID, nil, 0)
		wantErr(t, "DuplicatePairs limit 0", err, vetshare.ErrInvalid)
		return nil
	})
	// A merge takes away the pairs of the merged-away client; clearing takes every pair.
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		if err := d.MergeClients(ctx, driver.ClientMerge{Owner: w.owner.ID, Survivor: byID[0].ID, Merged: byID[2].ID, At: t0}); err != nil {
			return err
		}
		if got, want := read(ctx, d, 10), []string{line(0, 1, 50, "possible")}; !slices.Equal(got, want) {
			t.Errorf("DuplicatePairs after a merge = %q, want %q", got, want)
		}
		if err := d.ClearDuplicatePairs(ctx, w.owner.ID); err != nil {
			return err
		}
		if got := read(ctx, d, 10); len(got) != 0 {
			t.Errorf("DuplicatePairs after ClearDuplicatePairs = %q", got)
		}
		return nil
	})
}

func itoa(n int) string { return fmt.Sprint(n) }

func join(s []string) string { return strings.Join(s, ",") }

// compareIDs orders ids as Go compares strings, the order of a pair's A and B.
func compareIDs(a, b vetshare.ClientID) int { return strings.Compare(string(a), string(b)) }
