package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/txn"
)

func init() {
	Register("GroupCandidates", testGroupCandidates)
}

// testGroupCandidates checks the two reads of a page of share candidates: SearchClients with
// To alone, which searches the other accounts now in To's share group and takes the owner from
// To, and GroupEntriesOf, which gives the page's entries in the group's accounts with their
// names. The group is a, b and c; c has left it; d is in none. Then ShareClientEntry, the
// share's one write.
func testGroupCandidates(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 4)
	a, b, c, d := w.accounts[0].ID, w.accounts[1].ID, w.accounts[2].ID, w.accounts[3].ID
	var x, y, z, v vetshare.Client // x in a and d; y in d; z in a and b; v in c
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		dt := txn.D(tx)
		g := vetshare.ShareGroup{ID: vetshare.NewID[vetshare.GroupID](t0), OwnerID: w.owner.ID, Mode: vetshare.ModeManual, CreatedAt: t0}
		if err := dt.InsertGroup(ctx, g); err != nil {
			return err
		}
		for i, id := range []vetshare.AccountID{a, b, c} {
			if err := dt.JoinGroup(ctx, vetshare.GroupMember{GroupID: g.ID, AccountID: id, JoinedAt: t0.Add(time.Duration(i) * time.Second)}); err != nil {
				return err
			}
		}
		if err := dt.LeaveGroup(ctx, c, t0.Add(time.Minute)); err != nil {
			return err
		}
		if err := dt.PutMembership(ctx, vetshare.Membership{UserID: w.user.ID, AccountID: b, Role: vetshare.RoleStaff, Active: true}); err != nil {
			return err
		}
		var err error
		for _, n := range []struct {
			c           *vetshare.Client
			origin      int
			first       string
			alsoIn      vetshare.AccountID
			alsoInLater time.Duration
		}{{&x, 0, "Xena", d, time.Second}, {&y, 3, "Yves", "", 0}, {&z, 0, "Zoe", b, 2 * time.Second}, {&v, 2, "Vic", "", 0}} {
			if *n.c, err = w.client(ctx, tx, n.origin, "Cand", n.first); err != nil {
				return err
			}
			if err := dt.IndexClient(ctx, *n.c); err != nil {
				return err
			}
			if n.alsoIn != "" {
				e := vetshare.ClientEntry{AccountID: n.alsoIn, ClientID: n.c.ID, Via: vetshare.ViaManual, CreatedAt: t0.Add(n.alsoInLater)}
				if err := dt.InsertClientEntry(ctx, &e); err != nil {
					return err
				}
			}
		}
		return nil
	})
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		dt := txn.D(tx)
		for _, tc := range []struct {
			name string
			q    driver.ClientSearch
			want []vetshare.ClientID
		}{
			{"to b, from its group", driver.ClientSearch{To: b, Probe: "l:cand"}, []vetshare.ClientID{x.ID}},
			{"to b, from its group, with tiers", driver.ClientSearch{To: b, Tiers: []driver.SearchTier{{Probe: "n:cand z"}, {Probe: "l:"}}}, []vetshare.ClientID{x.ID}},
			{"to b, by a member", driver.ClientSearch{To: b, Member: w.user.ID, Probe: "l:cand"}, []vetshare.ClientID{x.ID}},
			{"to b, by a user without a membership of b", driver.ClientSearch{To: b, Member: "nope", Probe: "l:cand"}, nil},
			{"to a, from its group", driver.ClientSearch{To: a, Probe: "l:cand"}, nil},
			{"to c, which left the group", driver.ClientSearch{To: c, Probe: "l:cand"}, nil},
			{"to d, in no group", driver.ClientSearch{To: d, Probe: "l:cand"}, nil},
			{"to an unknown account", driver.ClientSearch{To: "nope", Probe: "l:cand"}, nil},
			{"to d, from a named", driver.ClientSearch{To: d, From: []vetshare.AccountID{a}, Probe: "l:cand"}, []vetshare.ClientID{z.ID}},
		} {
			q := tc.q
			q.Limit = 10
			rows, err := dt.SearchClients(ctx, q)
			if err != nil {
				t.Errorf("SearchClients %s: %v", tc.name, err)
				continue
			}
			if got := rowIDs(rows); !slices.Equal(got, tc.want) {
				t.Errorf("SearchClients %s: got %v, want %v", tc.name, got, tc.want)
			}
			// With To, the rows are the stored clients, without an entry.
			for _, r := range rows {
				want, err := dt.Client(ctx, a, r.ID)
				if err != nil {
					return err
				}
				if diff := cmp.Diff(driver.ClientRow{Client: want}, r); diff != "" {
					t.Errorf("SearchClients %s: row (-want +got):\n%s", tc.name, diff)
				}
			}
		}

		entry := func(acct vetshare.AccountID, name string, cl vetshare.ClientID) driver.GroupEntry {
			e, err := dt.ClientEntry(ctx, acct, cl)
			if err != nil {
				t.Errorf("ClientEntry: %v", err)
			}
			return driver.GroupEntry{ClientEntry: e, AccountName: name}
		}
		asked := []vetshare.ClientID{z.ID, v.ID, y.ID, "unknown", x.ID}
		got, err := dt.GroupEntriesOf(ctx, b, asked)
		if err != nil {
			return err
		}
		// By client in the order asked, then age; c (left) and d (no group) not shown.
		want := []driver.GroupEntry{entry(a, "Clinic 0", z.ID), entry(b, "Clinic 1", z.ID), entry(a, "Clinic 0", x.ID)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("GroupEntriesOf b (-want +got):\n%s", diff)
		}
		for name, acct := range map[string]vetshare.AccountID{"c, which left": c, "d, in none": d, "an unknown account": "nope"} {
			if got, err := dt.GroupEntriesOf(ctx, acct, asked); err != nil || len(got) != 0 {
				t.Errorf("GroupEntriesOf %s: %+v, %v; want none", name, got, err)
			}
		}
		if got, err := dt.GroupEntriesOf(ctx, b, nil); err != nil || len(got) != 0 {
			t.Errorf("GroupEntriesOf no client: %+v, %v; want none", got, err)
		}
		return nil
	})

	// ShareClientEntry stores the entry only when the client is in another account now in
	// the group and not in the account; a refused share takes no number.
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		dt := txn.D(tx)
		// A failed check returns its error (ending the transaction) rather than t.Fatal, which
		// would leave it open.
		share := func(acct vetshare.AccountID, cl vetshare.ClientID) (vetshare.ClientEntry, bool) {
			t.Helper()
			e := vetshare.ClientEntry{AccountID: acct, ClientID: cl, Via: vetshare.ViaManual, CreatedAt: t0.Add(time.Hour)}
			ok, err := dt.ShareClientEntry(ctx, &e, "")
			if err != nil {
				t.Errorf("ShareClientEntry %s into %s: %v", cl, acct, err)
			}
			return e, ok
		}
		e, ok := share(b, x.ID)
		if !ok {
			return errors.New("ShareClientEntry of a client of a into b: not shared")
		}
		stored, err := dt.ClientEntry(ctx, b, x.ID)
		if err != nil {
			return err
		}
		if stored != e || e.Number != 2 { // z holds number 1 in b
			t.Errorf("ShareClientEntry into b = %+v, stored %+v; want number 2", e, stored)
		}
		for name, c := range map[string]struct {
			acct vetshare.AccountID
			cl   vetshare.ClientID
		}{
			"a client b holds":           {b, x.ID},
			"a client of c, which left":  {b, v.ID},
			"a client of d, in no group": {b, y.ID},
			"into d, in no group":        {d, z.ID},
			"into c, which left":         {c, x.ID},
			"an unknown client":          {b, "nope"},
			"into an unknown account":    {"nope", x.ID},
		} {
			if e, ok := share(c.acct, c.cl); ok || e.Number != 0 {
				t.Errorf("ShareClientEntry %s: shared as %+v", name, e)
			}
		}
		u, err := w.client(ctx, tx, 0, "Cand", "Uma")
		if err != nil {
			return err
		}
		if e, ok := share(b, u.ID); !ok || e.Number != 3 {
			t.Errorf("ShareClientEntry after refused shares = %+v, %v; want number 3 (a refused share takes none)", e, ok)
		}
		entries, err := dt.ClientEntries(ctx, x.ID)
		if err != nil {
			return err
		}
		if len(entries) != 3 || entries[2].AccountID != b {
			t.Errorf("ClientEntries after a share: %+v; want a's, d's, then b's", entries)
		}
		return nil
	})

	// With a member, the share checks the member first: an active user with an active
	// membership of the account, or ErrNotPermitted and nothing stored, no number taken.
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		dt := txn.D(tx)
		idle := vetshare.User{ID: vetshare.NewID[vetshare.UserID](t0.Add(time.Hour)), Name: "Idle", Email: "idle@x.example", Active: false, CreatedAt: t0}
		left := vetshare.User{ID: vetshare.NewID[vetshare.UserID](t0.Add(2 * time.Hour)), Name: "Left", Email: "left@x.example", Active: true, CreatedAt: t0}
		for _, u := range []vetshare.User{idle, left} {
			if err := dt.InsertUser(ctx, u); err != nil {
				return err
			}
			if err := dt.PutMembership(ctx, vetshare.Membership{UserID: u.ID, AccountID: b, Role: vetshare.RoleStaff, Active: u.ID == idle.ID}); err != nil {
				return err
			}
		}
		q, err := w.client(ctx, tx, 0, "Cand", "Quinn")
		if err != nil {
			return err
		}
		for name, m := range map[string]vetshare.UserID{
			"an inactive user":                idle.ID,
			"an inactive membership":          left.ID,
			"a user without a membership":     vetshare.NewID[vetshare.UserID](t0.Add(3 * time.Hour)),
			"a user of another account alone": "nope",
		} {
			e := vetshare.ClientEntry{AccountID: b, ClientID: q.ID, Via: vetshare.ViaManual, CreatedAt: t0.Add(time.Hour)}
			ok, err := dt.ShareClientEntry(ctx, &e, m)
			if ok || e.Number != 0 || !errors.Is(err, vetshare.ErrNotPermitted) {
				t.Errorf("ShareClientEntry by %s = %v, number %d, %v; want ErrNotPermitted and nothing stored", name, ok, e.Number, err)
			}
		}
		if _, err := dt.ClientEntry(ctx, b, q.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("ClientEntry after refused members: %v; want ErrNotFound", err)
		}
		e := vetshare.ClientEntry{AccountID: b, ClientID: q.ID, Via: vetshare.ViaManual, CreatedAt: t0.Add(time.Hour)}
		ok, err := dt.ShareClientEntry(ctx, &e, w.user.ID)
		if err != nil || !ok || e.Number != 4 {
			t.Errorf("ShareClientEntry by an active member = %+v, %v, %v; want number 4 (refused members take none)", e, ok, err)
		}
		// An active member whose share the condition refuses: false, no error.
		again := vetshare.ClientEntry{AccountID: b, ClientID: q.ID, Via: vetshare.ViaManual, CreatedAt: t0.Add(time.Hour)}
		if ok, err := dt.ShareClientEntry(ctx, &again, w.user.ID); ok || err != nil || again.Number != 0 {
			t.Errorf("ShareClientEntry of a client b holds, by an active member = %v, number %d, %v; want false", ok, again.Number, err)
		}
		if got, err := dt.Account(ctx, b); err != nil || got.ID != b || got.OwnerID != w.owner.ID {
			t.Errorf("Account after a member's share = %+v, %v; want b", got, err)
		}
		return nil
	})
}
