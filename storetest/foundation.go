package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/txn"
)

func init() {
	Register("Transactions", testTransactions)
	Register("Directory", testDirectory)
	Register("Groups", testGroups)
	Register("Clients", testClients)
	Register("Records", testRecords)
	Register("PatientNamesOf", testPatientNamesOf)
	Register("Audit", testAudit)
	Register("Concurrency", testConcurrency)
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// world is a minimal owner with accounts and a user, written with Tx methods only.
type world struct {
	owner    vetshare.Owner
	accounts []vetshare.Account
	user     vetshare.User
}

func newWorld(t *testing.T, s vetshare.Store, n int) world {
	t.Helper()
	var w world
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		w.owner = vetshare.Owner{ID: vetshare.NewID[vetshare.OwnerID](t0), Name: "Owner", CreatedAt: t0}
		if err := txn.D(tx).InsertOwner(ctx, w.owner); err != nil {
			return err
		}
		w.user = vetshare.User{ID: vetshare.NewID[vetshare.UserID](t0), Name: "U", Email: "u@x.example", EmailVerified: true, Active: true, CreatedAt: t0}
		if err := txn.D(tx).InsertUser(ctx, w.user); err != nil {
			return err
		}
		for i := range n {
			a := vetshare.Account{ID: vetshare.NewID[vetshare.AccountID](t0.Add(time.Duration(i) * time.Second)), OwnerID: w.owner.ID,
				Name: fmt.Sprintf("Clinic %d", i), Email: fmt.Sprintf("c%d@x.example", i), EmailVerified: true,
				TimeZone: "UTC", Currency: "USD", CreatedAt: t0.Add(time.Duration(i) * time.Second)}
			if err := txn.D(tx).InsertAccount(ctx, a); err != nil {
				return err
			}
			w.accounts = append(w.accounts, a)
		}
		return nil
	})
	return w
}

func (w world) client(ctx context.Context, tx *vetshare.Tx, origin int, last, first string) (vetshare.Client, error) {
	c := vetshare.Client{ID: vetshare.NewID[vetshare.ClientID](tx.Now()), OwnerID: w.owner.ID, LastName: last, FirstName: first,
		OriginAccount: w.accounts[origin].ID, HomeAccount: w.accounts[origin].ID, CreatedAt: t0, UpdatedAt: t0, Version: 1}
	if err := txn.D(tx).InsertClient(ctx, c); err != nil {
		return c, err
	}
	e := vetshare.ClientEntry{AccountID: c.OriginAccount, ClientID: c.ID, Via: vetshare.ViaCreated, CreatedAt: t0}
	return c, txn.D(tx).InsertClientEntry(ctx, &e)
}

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: got error %v, want %v", what, err, target)
	}
}

func testTransactions(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 1)
	ctx := context.Background()

	t.Run("RollbackOnError", func(t *testing.T) {
		boom := errors.New("boom")
		err := s.Update(ctx, func(tx *vetshare.Tx) error {
			o := vetshare.Owner{ID: vetshare.NewID[vetshare.OwnerID](t0), Name: "gone", CreatedAt: t0}
			if err := txn.D(tx).InsertOwner(ctx, o); err != nil {
				return err
			}
			w.owner.ID = o.ID
			return boom
		})
		wantErr(t, "Update", err, boom)
		view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := txn.D(tx).Owner(ctx, w.owner.ID)
			wantErr(t, "Owner after rollback", err, vetshare.ErrNotFound)
			return nil
		})
	})
	t.Run("RollbackOnPanic", func(t *testing.T) {
		id := vetshare.NewID[vetshare.OwnerID](t0)
		func() {
			defer func() {
				if recover() == nil {
					t.Error("Update swallowed the panic")
				}
			}()
			s.Update(ctx, func(tx *vetshare.Tx) error {
				txn.D(tx).InsertOwner(ctx, vetshare.Owner{ID: id, Name: "gone", CreatedAt: t0})
				panic("boom")
			})
		}()
		view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
			_, err := txn.D(tx).Owner(ctx, id)
			wantErr(t, "Owner after panic", err, vetshare.ErrNotFound)
			return nil
		})
	})
	t.Run("ViewIsReadOnly", func(t *testing.T) {
		err := s.View(ctx, func(tx *vetshare.Tx) error {
			return txn.D(tx).InsertOwner(ctx, vetshare.Owner{ID: vetshare.NewID[vetshare.OwnerID](t0), Name: "x", CreatedAt: t0})
		})
		if err == nil {
			t.Error("a write in View succeeded")
		}
	})
	t.Run("CancelledContext", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		called := false
		err := s.Update(cctx, func(tx *vetshare.Tx) error { called = true; return nil })
		if err == nil && called {
			t.Error("Update ran with a cancelled context and reported success")
		}
	})
	t.Run("OneNowPerTransaction", func(t *testing.T) {
		update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
			a, b := tx.Now(), tx.Now()
			if !a.Equal(b) || a.Location() != time.UTC || a != vetshare.Time(a) {
				t.Errorf("Now: %v then %v, want one UTC instant at microsecond precision", a, b)
			}
			return nil
		})
	})
}

func testDirectory(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 2)
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		o, err := txn.D(tx).Owner(ctx, w.owner.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(w.owner, o); diff != "" {
			t.Errorf("Owner (-want +got):\n%s", diff)
		}
		wantErr(t, "InsertOwner twice", txn.D(tx).InsertOwner(ctx, w.owner), vetshare.ErrConflict)
		renamed := w.owner
		renamed.Name, renamed.TaskSharing = "Renamed owner", !w.owner.TaskSharing
		if err := txn.D(tx).UpdateOwner(ctx, renamed); err != nil {
			return err
		}
		if o, err := txn.D(tx).Owner(ctx, w.owner.ID); err != nil || o != renamed {
			t.Errorf("Owner after UpdateOwner = %+v, %v; want %+v", o, err, renamed)
		}
		wantErr(t, "UpdateOwner unknown", txn.D(tx).UpdateOwner(ctx, vetshare.Owner{ID: "nope", Name: "x"}), vetshare.ErrNotFound)
		_, err = txn.D(tx).Owner(ctx, "nope")
		wantErr(t, "Owner unknown", err, vetshare.ErrNotFound)

		as, err := txn.D(tx).Accounts(ctx, w.owner.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(w.accounts, as); diff != "" {
			t.Errorf("Accounts (-want +got):\n%s", diff)
		}
		// Oldest first whatever the ids: a host's ids need not sort by time (R12.3), and those
		// made in one transaction share its time.
		other := vetshare.Owner{ID: "host owner", Name: "Other", CreatedAt: t0}
		if err := txn.D(tx).InsertOwner(ctx, other); err != nil {
			return err
		}
		var made []vetshare.Account
		for _, id := range []vetshare.AccountID{"z", "m", "a"} {
			a := vetshare.Account{ID: id, OwnerID: other.ID, Name: "Clinic " + string(id), Email: "c@x.example", TimeZone: "UTC", Currency: "USD", CreatedAt: t0}
			if err := txn.D(tx).InsertAccount(ctx, a); err != nil {
				return err
			}
			made = append(made, a)
		}
		if as, err := txn.D(tx).Accounts(ctx, other.ID); err != nil || !cmp.Equal(made, as) {
			t.Errorf("Accounts made z, m, a at one time = %v, %v; want them in that order", as, err)
		}
		a := w.accounts[0]
		a.Name, a.EmailVerified = "Renamed", false
		if err := txn.D(tx).UpdateAccount(ctx, a); err != nil {
			return err
		}
		got, err := txn.D(tx).Account(ctx, a.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(a, got); diff != "" {
			t.Errorf("Account after update (-want +got):\n%s", diff)
		}
		wantErr(t, "UpdateAccount unknown", txn.D(tx).UpdateAccount(ctx, vetshare.Account{ID: "nope"}), vetshare.ErrNotFound)
		wantErr(t, "InsertAccount of unknown owner", txn.D(tx).InsertAccount(ctx, vetshare.Account{ID: "x", OwnerID: "nope", CreatedAt: t0}), vetshare.ErrNotFound)

		m := vetshare.Membership{UserID: w.user.ID, AccountID: a.ID, Role: vetshare.RoleStaff, Permissions: vetshare.PermTaskComplete, Active: true}
		if err := txn.D(tx).PutMembership(ctx, m); err != nil {
			return err
		}
		m.Role, m.Permissions = vetshare.RoleAdmin, vetshare.PermAll
		if err := txn.D(tx).PutMembership(ctx, m); err != nil {
			return err
		}
		gotM, err := txn.D(tx).Membership(ctx, w.user.ID, a.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(m, gotM); diff != "" {
			t.Errorf("Membership after replace (-want +got):\n%s", diff)
		}
		gotU, gotAM, err := txn.D(tx).ActorMembership(ctx, w.user.ID, a.ID)
		if err != nil || gotU != w.user || gotAM != m {
			t.Errorf("ActorMembership = %+v, %+v, %v; want %+v, %+v", gotU, gotAM, err, w.user, m)
		}
		// An engine may keep what ActorMembership read of the account (SQLite does): the
		// account read after it is the stored one, and after an update the updated one.
		if got, err := txn.D(tx).Account(ctx, a.ID); err != nil || !cmp.Equal(a, got) {
			t.Errorf("Account after ActorMembership = %+v, %v; want %+v", got, err, a)
		}
		if got, err := txn.D(tx).Account(ctx, w.accounts[1].ID); err != nil || !cmp.Equal(w.accounts[1], got) {
			t.Errorf("another Account after ActorMembership = %+v, %v; want %+v", got, err, w.accounts[1])
		}
		a.Name, a.TimeZone, a.Currency = "Renamed again", "Europe/Paris", "EUR"
		if err := txn.D(tx).UpdateAccount(ctx, a); err != nil {
			return err
		}
		if got, err := txn.D(tx).Account(ctx, a.ID); err != nil || !cmp.Equal(a, got) {
			t.Errorf("Account after ActorMembership and UpdateAccount = %+v, %v; want %+v", got, err, a)
		}
		_, _, err = txn.D(tx).ActorMembership(ctx, w.user.ID, w.accounts[1].ID)
		wantErr(t, "ActorMembership without a membership", err, vetshare.ErrNotFound)
		_, _, err = txn.D(tx).ActorMembership(ctx, "nope", a.ID)
		wantErr(t, "ActorMembership of an unknown user", err, vetshare.ErrNotFound)
		ms, err := txn.D(tx).Memberships(ctx, w.user.ID)
		if err != nil {
			return err
		}
		if len(ms) != 1 {
			t.Errorf("Memberships: %d, want 1", len(ms))
		}
		_, err = txn.D(tx).Membership(ctx, w.user.ID, w.accounts[1].ID)
		wantErr(t, "Membership absent", err, vetshare.ErrNotFound)
		u := w.user
		u.Active = false
		if err := txn.D(tx).UpdateUser(ctx, u); err != nil {
			return err
		}
		gotU, err = txn.D(tx).User(ctx, u.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(u, gotU); diff != "" {
			t.Errorf("User after update (-want +got):\n%s", diff)
		}
		return nil
	})
}

func testGroups(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 3)
	a, b, c := w.accounts[0].ID, w.accounts[1].ID, w.accounts[2].ID
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		g := vetshare.ShareGroup{ID: vetshare.NewID[vetshare.GroupID](t0), OwnerID: w.owner.ID, Mode: vetshare.ModeManual, CreatedAt: t0}
		if err := txn.D(tx).InsertGroup(ctx, g); err != nil {
			return err
		}
		got, err := txn.D(tx).Group(ctx, g.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(g, got); diff != "" {
			t.Errorf("Group (-want +got):\n%s", diff)
		}
		if ever, _ := txn.D(tx).EverInGroup(ctx, a); ever {
			t.Error("EverInGroup before joining")
		}
		for i, id := range []vetshare.AccountID{a, b} {
			if err := txn.D(tx).JoinGroup(ctx, vetshare.GroupMember{GroupID: g.ID, AccountID: id, JoinedAt: t0.Add(time.Duration(i) * time.Second)}); err != nil {
				return err
			}
		}
		gg, members, err := txn.D(tx).GroupOfAccount(ctx, b)
		if diff := cmp.Diff([]vetshare.GroupMember{{GroupID: g.ID, AccountID: a, JoinedAt: t0}, {GroupID: g.ID, AccountID: b, JoinedAt: t0.Add(time.Second)}}, members); err != nil || gg != g || diff != "" {
			t.Errorf("GroupOfAccount = %+v, %v (-want +got members):\n%s", gg, err, diff)
		}
		_, _, err = txn.D(tx).GroupOfAccount(ctx, c)
		wantErr(t, "GroupOfAccount of an account in none", err, vetshare.ErrNotFound)
		wantErr(t, "JoinGroup twice", txn.D(tx).JoinGroup(ctx, vetshare.GroupMember{GroupID: g.ID, AccountID: a, JoinedAt: t0.Add(time.Hour)}), vetshare.ErrConflict)
		ms, err := txn.D(tx).GroupMembers(ctx, g.ID)
		if err != nil {
			return err
		}
		want := []vetshare.GroupMember{{GroupID: g.ID, AccountID: a, JoinedAt: t0}, {GroupID: g.ID, AccountID: b, JoinedAt: t0.Add(time.Second)}}
		if diff := cmp.Diff(want, ms); diff != "" {
			t.Errorf("GroupMembers (-want +got):\n%s", diff)
		}
		if err := txn.D(tx).LeaveGroup(ctx, b, t0.Add(time.Minute)); err != nil {
			return err
		}
		wantErr(t, "LeaveGroup when in none", txn.D(tx).LeaveGroup(ctx, c, t0), vetshare.ErrNotFound)
		_, err = txn.D(tx).GroupOf(ctx, b)
		wantErr(t, "GroupOf after leaving", err, vetshare.ErrNotFound)
		if ever, _ := txn.D(tx).EverInGroup(ctx, b); !ever {
			t.Error("EverInGroup after leaving: false")
		}
		if ever, _ := txn.D(tx).EverInGroup(ctx, c); ever {
			t.Error("EverInGroup of an account never in a group: true")
		}
		if ms, _ := txn.D(tx).GroupMembers(ctx, g.ID); len(ms) != 1 {
			t.Errorf("GroupMembers after leaving: %v", ms)
		}
		// After leaving, it may join again (a new membership row).
		if err := txn.D(tx).JoinGroup(ctx, vetshare.GroupMember{GroupID: g.ID, AccountID: b, JoinedAt: t0.Add(time.Hour)}); err != nil {
			return err
		}
		// The history keeps every membership, the past one with its leaving time.
		hist, err := txn.D(tx).GroupHistory(ctx, g.ID)
		if err != nil {
			return err
		}
		wantHist := []vetshare.GroupMember{
			{GroupID: g.ID, AccountID: a, JoinedAt: t0},
			{GroupID: g.ID, AccountID: b, JoinedAt: t0.Add(time.Second), LeftAt: t0.Add(time.Minute)},
			{GroupID: g.ID, AccountID: b, JoinedAt: t0.Add(time.Hour)},
		}
		if diff := cmp.Diff(wantHist, hist); diff != "" {
			t.Errorf("GroupHistory (-want +got):\n%s", diff)
		}
		none, err := txn.D(tx).GroupHistory(ctx, vetshare.NewID[vetshare.GroupID](t0))
		if err != nil || len(none) != 0 {
			t.Errorf("GroupHistory of an unknown group: %v, %v; want none and no error", none, err)
		}
		return nil
	})
}

func testClients(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 3)
	a, b, c := w.accounts[0].ID, w.accounts[1].ID, w.accounts[2].ID
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		var ids []vetshare.ClientID
		for _, n := range [][2]string{{"Müller", "Élodie"}, {"Muller", "Zed"}, {"Smith", "Anna"}, {"Andersen", "Mul"}} {
			cl, err := w.client(ctx, tx, 0, n[0], n[1])
			if err != nil {
				return err
			}
			ids = append(ids, cl.ID)
		}
		// Numbers are per account, in order.
		for i, id := range ids {
			e, err := txn.D(tx).ClientEntry(ctx, a, id)
			if err != nil {
				return err
			}
			if e.Number != int64(i+1) {
				t.Errorf("client %d: number %d, want %d", i, e.Number, i+1)
			}
		}
		e := vetshare.ClientEntry{AccountID: b, ClientID: ids[2], Via: vetshare.ViaManual, CreatedAt: t0}
		if err := txn.D(tx).InsertClientEntry(ctx, &e); err != nil {
			return err
		}
		if e.Number != 1 {
			t.Errorf("first entry of account b: number %d, want 1", e.Number)
		}
		dup := vetshare.ClientEntry{AccountID: b, ClientID: ids[2], Via: vetshare.ViaManual, CreatedAt: t0}
		wantErr(t, "InsertClientEntry twice", txn.D(tx).InsertClientEntry(ctx, &dup), vetshare.ErrConflict)
		return nil
	})
	var ids []vetshare.ClientID
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		rows, err := txn.D(tx).Clients(ctx, driver.ClientListQuery{Account: a, Limit: 10})
		if err != nil {
			return err
		}
		var names []string
		for _, r := range rows {
			names = append(names, r.LastName+","+r.FirstName)
			ids = append(ids, r.ID)
		}
		if diff := cmp.Diff([]string{"Andersen,Mul", "Muller,Zed", "Müller,Élodie", "Smith,Anna"}, names); diff != "" {
			// "muller, elodie" < "muller, zed" after folding.
			if diff2 := cmp.Diff([]string{"Andersen,Mul", "Müller,Élodie", "Muller,Zed", "Smith,Anna"}, names); diff2 != "" {
				t.Errorf("Clients by name key (-want +got):\n%s", diff2)
			}
		}
		// Paging.
		page, err := txn.D(tx).Clients(ctx, driver.ClientListQuery{Account: a, Limit: 2})
		if err != nil {
			return err
		}
		rest, err := txn.D(tx).Clients(ctx, driver.ClientListQuery{Account: a, AfterKey: page[1].Key, AfterID: page[1].ID, Limit: 10})
		if err != nil {
			return err
		}
		if len(page)+len(rest) != 4 || rest[0].ID == page[1].ID {
			t.Errorf("paging: %d + %d rows", len(page), len(rest))
		}
		// Scoping.
		_, err = txn.D(tx).Client(ctx, c, ids[0])
		wantErr(t, "Client from an account without an entry", err, vetshare.ErrNotFound)
		if rows, _ := txn.D(tx).Clients(ctx, driver.ClientListQuery{Account: c, Limit: 10}); len(rows) != 0 {
			t.Errorf("Clients of an account with none: %d", len(rows))
		}
		// Unshared: clients of a lacking an entry in b.
		un, err := txn.D(tx).UnsharedClients(ctx, []vetshare.AccountID{a, b}, "", 10)
		if err != nil {
			return err
		}
		if len(un) != 3 {
			t.Errorf("UnsharedClients: %d, want 3", len(un))
		}
		un2, err := txn.D(tx).UnsharedClients(ctx, []vetshare.AccountID{a, b}, un[0].ID, 10)
		if err != nil {
			return err
		}
		if len(un2) != 2 {
			t.Errorf("UnsharedClients after a cursor: %d, want 2", len(un2))
		}
		many, err := txn.D(tx).ClientEntriesOf(ctx, []vetshare.ClientID{ids[3], ids[2], "unknown"})
		if err != nil {
			return err
		}
		var want []vetshare.ClientEntry
		for _, id := range []vetshare.ClientID{ids[3], ids[2]} {
			es, err := txn.D(tx).ClientEntries(ctx, id)
			if err != nil {
				return err
			}
			want = append(want, es...)
		}
		if len(want) != 3 {
			t.Errorf("ClientEntries of the two clients: %d entries, want 3 (one shared with b)", len(want))
		}
		if diff := cmp.Diff(want, many); diff != "" {
			t.Errorf("ClientEntriesOf, by client in the order asked (-want +got):\n%s", diff)
		}
		n, err := txn.D(tx).SharedEntries(ctx, b)
		if err != nil {
			return err
		}
		if n != 1 {
			t.Errorf("SharedEntries(b) = %d, want 1", n)
		}
		return nil
	})
	// Optimistic concurrency on the profile.
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		cl, err := txn.D(tx).Client(ctx, a, ids[0])
		if err != nil {
			return err
		}
		stale := cl
		cl.Phone = "555"
		if err := txn.D(tx).UpdateClient(ctx, cl); err != nil {
			return err
		}
		got, err := txn.D(tx).Client(ctx, a, cl.ID)
		if err != nil {
			return err
		}
		if got.Version != cl.Version+1 || got.Phone != "555" {
			t.Errorf("after UpdateClient: version %d phone %q", got.Version, got.Phone)
		}
		stale.Email = "lost@x.example"
		err = txn.D(tx).UpdateClient(ctx, stale)
		var ce *vetshare.ConflictError
		if !errors.As(err, &ce) || ce.Current != got.Version {
			t.Errorf("UpdateClient from a stale version: %v", err)
		}
		wantErr(t, "UpdateClient unknown", txn.D(tx).UpdateClient(ctx, vetshare.Client{ID: "nope", Version: 1}), vetshare.ErrNotFound)
		return nil
	})
}

// testPatientNamesOf checks that PatientNamesOf gives PatientsOf's patients in its order: by
// the clients as asked, then oldest first, whatever the ids and names.
func testPatientNamesOf(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 1)
	a := w.accounts[0].ID
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		c1, err := w.client(ctx, tx, 0, "Doo", "Scooby")
		if err != nil {
			return err
		}
		c2, err := w.client(ctx, tx, 0, "Brown", "Charlie")
		if err != nil {
			return err
		}
		// Ids in the opposite order of age, and names too, so that neither sorts by chance.
		pets := []struct {
			client  vetshare.ClientID
			name    string
			species string
			age     time.Duration
		}{{c1.ID, "Ace", "cat", 3}, {c2.ID, "Zed", "dog", 2}, {c1.ID, "Bo", "dog", 1}, {c2.ID, "Ada", "bird", 0}}
		var want []driver.PatientName
		for i, pt := range pets {
			p := vetshare.Patient{ID: vetshare.NewID[vetshare.PatientID](t0.Add(time.Duration(i) * time.Hour)), ClientID: pt.client, Name: pt.name,
				Species: pt.species, OriginAccount: a, CreatedBy: w.user.ID, CreatedAt: t0.Add(pt.age * time.Minute)}
			if err := txn.D(tx).InsertPatient(ctx, p); err != nil {
				return err
			}
			want = append(want, driver.PatientName{ID: p.ID, ClientID: p.ClientID, Name: p.Name, Species: p.Species})
		}
		want = []driver.PatientName{want[3], want[1], want[2], want[0]} // c2 then c1, each oldest first
		got, err := txn.D(tx).PatientNamesOf(ctx, []vetshare.ClientID{c2.ID, "unknown", c1.ID})
		if err != nil {
			return err
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("PatientNamesOf (-want +got):\n%s", diff)
		}
		of, err := txn.D(tx).PatientsOf(ctx, []vetshare.ClientID{c2.ID, "unknown", c1.ID})
		if err != nil {
			return err
		}
		if len(of) != len(got) {
			t.Fatalf("PatientsOf gave %d patients, PatientNamesOf %d", len(of), len(got))
		}
		for i, p := range of {
			if n := (driver.PatientName{ID: p.ID, ClientID: p.ClientID, Name: p.Name, Species: p.Species}); n != got[i] {
				t.Errorf("patient %d: PatientsOf %+v, PatientNamesOf %+v", i, n, got[i])
			}
		}
		// An unknown client first: the others are still found.
		got, err = txn.D(tx).PatientNamesOf(ctx, []vetshare.ClientID{"unknown", c1.ID})
		if err != nil {
			return err
		}
		if diff := cmp.Diff(want[2:], got); diff != "" {
			t.Errorf("PatientNamesOf with an unknown client first (-want +got):\n%s", diff)
		}
		if got, err := txn.D(tx).PatientNamesOf(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("PatientNamesOf of no client: %v, %v", got, err)
		}
		return nil
	})
}

func testRecords(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 2)
	a, b := w.accounts[0].ID, w.accounts[1].ID
	var p vetshare.Patient
	var recs []vetshare.Record
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		cl, err := w.client(ctx, tx, 0, "Doo", "Scooby")
		if err != nil {
			return err
		}
		p = vetshare.Patient{ID: vetshare.NewID[vetshare.PatientID](t0), ClientID: cl.ID, Name: "Scooby", Species: "dog",
			BirthDate: time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC), OriginAccount: a, CreatedBy: w.user.ID, CreatedAt: t0}
		if err := txn.D(tx).InsertPatient(ctx, p); err != nil {
			return err
		}
		for i := range 5 {
			r := vetshare.Record{ID: vetshare.NewID[vetshare.RecordID](t0.Add(time.Duration(i) * time.Second)), PatientID: p.ID, AccountID: a,
				UserID: w.user.ID, Kind: vetshare.RecordNote, Text: fmt.Sprint("note ", i), CreatedAt: t0.Add(time.Duration(i) * time.Second)}
			if i == 3 { // R12.4: charted late, given a week before it was recorded
				r.GivenAt = t0.AddDate(0, 0, -7)
			}
			if err := txn.D(tx).InsertRecord(ctx, &r); err != nil {
				return err
			}
			// R12.4: the store counts the recording order; a zero GivenAt is the recording time.
			switch {
			case len(recs) > 0 && r.Seq <= recs[len(recs)-1].Seq:
				t.Errorf("InsertRecord: Seq %d after Seq %d; want a larger one", r.Seq, recs[len(recs)-1].Seq)
			case i != 3 && !r.GivenAt.Equal(r.CreatedAt):
				t.Errorf("InsertRecord without GivenAt: GivenAt = %v, want the recording time %v", r.GivenAt, r.CreatedAt)
			}
			recs = append(recs, r)
		}
		wantErr(t, "InsertRecord of unknown patient", txn.D(tx).InsertRecord(ctx, &vetshare.Record{ID: "r", PatientID: "nope", AccountID: a, UserID: w.user.ID, Kind: vetshare.RecordNote, CreatedAt: t0}), vetshare.ErrNotFound)
		rm := vetshare.Removal{At: t0.Add(time.Hour), UserID: w.user.ID, AccountID: a, Reason: "wrong clinic"}
		if err := txn.D(tx).RemoveRecord(ctx, recs[1].ID, rm); err != nil {
			return err
		}
		wantErr(t, "RemoveRecord twice", txn.D(tx).RemoveRecord(ctx, recs[1].ID, rm), vetshare.ErrConflict)
		wantErr(t, "RemoveRecord unknown", txn.D(tx).RemoveRecord(ctx, "nope", rm), vetshare.ErrNotFound)
		recs[1].Removed = &rm
		return nil
	})
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		got, err := txn.D(tx).Patient(ctx, a, p.ID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(p, got); diff != "" {
			t.Errorf("Patient (-want +got):\n%s", diff)
		}
		_, err = txn.D(tx).Patient(ctx, b, p.ID)
		wantErr(t, "Patient from an account without the client", err, vetshare.ErrNotFound)
		gotP, gotC, err := txn.D(tx).PatientWithClient(ctx, a, p.ID, "")
		if err != nil {
			return err
		}
		wantC, err := txn.D(tx).Client(ctx, a, p.ClientID)
		if err != nil {
			return err
		}
		if diff := cmp.Diff(p, gotP); diff != "" {
			t.Errorf("PatientWithClient's patient (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantC, gotC); diff != "" {
			t.Errorf("PatientWithClient's client (-Client +got):\n%s", diff)
		}
		_, _, err = txn.D(tx).PatientWithClient(ctx, b, p.ID, "")
		wantErr(t, "PatientWithClient from an account without the client", err, vetshare.ErrNotFound)
		_, _, err = txn.D(tx).PatientWithClient(ctx, a, vetshare.NewID[vetshare.PatientID](t0), "")
		wantErr(t, "PatientWithClient unknown", err, vetshare.ErrNotFound)
		of, err := txn.D(tx).PatientsOf(ctx, []vetshare.ClientID{p.ClientID, "unknown"})
		if err != nil {
			return err
		}
		if diff := cmp.Diff([]vetshare.Patient{p}, of); diff != "" {
			t.Errorf("PatientsOf (-want +got):\n%s", diff)
		}
		names, err := txn.D(tx).PatientNamesOf(ctx, []vetshare.ClientID{p.ClientID, "unknown"})
		if err != nil {
			return err
		}
		if diff := cmp.Diff([]driver.PatientName{{ID: p.ID, ClientID: p.ClientID, Name: "Scooby", Species: "dog"}}, names); diff != "" {
			t.Errorf("PatientNamesOf (-want +got):\n%s", diff)
		}
		if ps, _ := txn.D(tx).Patients(ctx, b, p.ClientID); len(ps) != 0 {
			t.Errorf("Patients from an account without the client: %v", ps)
		}
		all, err := txn.D(tx).Records(ctx, driver.RecordQuery{Account: a, Patient: p.ID, IncludeRemoved: true, Limit: 10})
		if err != nil {
			return err
		}
		// R12.4: by the time given, then the recording order: note 3, charted late, comes first.
		byGiven := []vetshare.Record{recs[3], recs[0], recs[1], recs[2], recs[4]}
		if diff := cmp.Diff(byGiven, all); diff != "" {
			t.Errorf("Records with removed (-want +got):\n%s", diff)
		}
		live, err := txn.D(tx).Records(ctx, driver.RecordQuery{Account: a, Patient: p.ID, Limit: 2})
		if err != nil {
			return err
		}
		if diff := cmp.Diff([]vetshare.Record{recs[3], recs[0]}, live); diff != "" {
			t.Errorf("Records without removed, page 1 (-want +got):\n%s", diff)
		}
		next, err := txn.D(tx).Records(ctx, driver.RecordQuery{Account: a, Patient: p.ID, AfterID: live[1].ID, Limit: 10})
		if err != nil {
			return err
		}
		if diff := cmp.Diff([]vetshare.Record{recs[2], recs[4]}, next); diff != "" {
			t.Errorf("Records page 2 (-want +got):\n%s", diff)
		}
		if rs, _ := txn.D(tx).Records(ctx, driver.RecordQuery{Account: b, Patient: p.ID, Limit: 10}); len(rs) != 0 {
			t.Errorf("Records from an account without the client: %d", len(rs))
		}
		_, err = txn.D(tx).Record(ctx, b, recs[0].ID)
		wantErr(t, "Record from an account without the client", err, vetshare.ErrNotFound)
		return nil
	})

	// PatientWithClient with a member: the same answers for an active member of the account,
	// ErrNotPermitted for anyone else, whether or not the patient is there.
	reader := vetshare.User{ID: vetshare.NewID[vetshare.UserID](t0.Add(5 * time.Hour)), Name: "Reader", Email: "reader@x.example", Active: true, CreatedAt: t0}
	idle := vetshare.User{ID: vetshare.NewID[vetshare.UserID](t0.Add(6 * time.Hour)), Name: "Idle", Email: "idle@x.example", CreatedAt: t0}
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		for _, u := range []vetshare.User{reader, idle} {
			if err := d.InsertUser(ctx, u); err != nil {
				return err
			}
		}
		for _, m := range []vetshare.Membership{
			{UserID: reader.ID, AccountID: a, Role: vetshare.RoleStaff, Active: true},
			{UserID: reader.ID, AccountID: b, Role: vetshare.RoleStaff, Active: true},
			{UserID: idle.ID, AccountID: a, Role: vetshare.RoleStaff, Active: true},
			{UserID: w.user.ID, AccountID: a, Role: vetshare.RoleStaff, Active: false},
		} {
			if err := d.PutMembership(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		d := txn.D(tx)
		wantP, wantC, err := d.PatientWithClient(ctx, a, p.ID, "")
		if err != nil {
			return err
		}
		gotP, gotC, err := d.PatientWithClient(ctx, a, p.ID, reader.ID)
		if diff := cmp.Diff([]any{wantP, wantC}, []any{gotP, gotC}); err != nil || diff != "" {
			t.Errorf("PatientWithClient by a member: %v (-without a member +with):\n%s", err, diff)
		}
		if got, err := d.Account(ctx, a); err != nil || got.ID != a {
			t.Errorf("Account after PatientWithClient by a member = %+v, %v; want a", got, err)
		}
		_, _, err = d.PatientWithClient(ctx, b, p.ID, reader.ID)
		wantErr(t, "PatientWithClient by a member of an account without the client", err, vetshare.ErrNotFound)
		_, _, err = d.PatientWithClient(ctx, a, vetshare.NewID[vetshare.PatientID](t0), reader.ID)
		wantErr(t, "PatientWithClient unknown, by a member", err, vetshare.ErrNotFound)
		for name, m := range map[string]vetshare.UserID{
			"an inactive user":            idle.ID,
			"an inactive membership":      w.user.ID,
			"a user without a membership": vetshare.NewID[vetshare.UserID](t0.Add(7 * time.Hour)),
		} {
			for _, id := range []vetshare.PatientID{p.ID, vetshare.NewID[vetshare.PatientID](t0)} {
				_, _, err := d.PatientWithClient(ctx, a, id, m)
				wantErr(t, "PatientWithClient by "+name, err, vetshare.ErrNotPermitted)
			}
		}
		return nil
	})
}

func testAudit(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 1)
	w2 := newWorld(t, s, 1)
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		for i := range 3 {
			for _, o := range []vetshare.OwnerID{w.owner.ID, w2.owner.ID} {
				e := &vetshare.AuditEntry{OwnerID: o, At: t0, UserID: w.user.ID, AccountID: w.accounts[0].ID, Action: "test", Subject: fmt.Sprint(i), Outcome: "ok", Detail: "{}"}
				if i > 0 {
					// R10.1: the operation id and the host's request id are kept (entry 1 has
					// neither, as entries written before they existed).
					e.OperationID, e.RequestID = vetshare.OperationID(fmt.Sprint("op-", i)), fmt.Sprint("req-", i)
				}
				if err := txn.D(tx).AppendAudit(ctx, e); err != nil {
					return err
				}
				if e.Seq != int64(i+1) {
					t.Errorf("Seq = %d, want %d (chains are per owner)", e.Seq, i+1)
				}
				if string(e.Hash) != string(vetshare.AuditHash(*e)) {
					t.Error("AppendAudit set a Hash that is not AuditHash of the entry")
				}
			}
		}
		return nil
	})
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		es, err := txn.D(tx).AuditEntries(ctx, w.owner.ID, 0, 10)
		if err != nil {
			return err
		}
		if len(es) != 3 {
			t.Fatalf("AuditEntries: %d, want 3", len(es))
		}
		for i, e := range es {
			wantOp, wantReq := vetshare.OperationID(""), ""
			if i > 0 {
				wantOp, wantReq = vetshare.OperationID(fmt.Sprint("op-", i)), fmt.Sprint("req-", i)
			}
			if e.OperationID != wantOp || e.RequestID != wantReq {
				t.Errorf("entry %d read back with OperationID %q, RequestID %q; want %q, %q", e.Seq, e.OperationID, e.RequestID, wantOp, wantReq)
			}
			if i > 0 && string(e.PrevHash) != string(es[i-1].Hash) {
				t.Errorf("entry %d does not carry the previous hash", e.Seq)
			}
			if string(e.Hash) != string(vetshare.AuditHash(e)) {
				t.Errorf("entry %d read back does not hash to its Hash", e.Seq)
			}
		}
		rest, err := txn.D(tx).AuditEntries(ctx, w.owner.ID, 2, 10)
		if err != nil {
			return err
		}
		if len(rest) != 1 || rest[0].Seq != 3 {
			t.Errorf("AuditEntries after 2: %v", rest)
		}
		return nil
	})
	// A write that checks its actor first, as every operation does, then appends to its own
	// owner's chain twice, to another's, and to its own again: each entry follows the last, whatever
	// an engine keeps from the actor's read (the SQLite store reads the owner's last entry there).
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		return txn.D(tx).PutMembership(ctx, vetshare.Membership{UserID: w.user.ID, AccountID: w.accounts[0].ID, Role: vetshare.RoleAdmin, Active: true})
	})
	update(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		if _, _, err := txn.D(tx).ActorMembership(ctx, w.user.ID, w.accounts[0].ID); err != nil {
			return err
		}
		for i, o := range []vetshare.OwnerID{w.owner.ID, w.owner.ID, w2.owner.ID, w.owner.ID} {
			e := &vetshare.AuditEntry{OwnerID: o, At: t0, UserID: w.user.ID, AccountID: w.accounts[0].ID, Action: "test", Subject: fmt.Sprint("after-actor-", i), Outcome: "ok", Detail: "{}"}
			if err := txn.D(tx).AppendAudit(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		for o, want := range map[vetshare.OwnerID]int{w.owner.ID: 6, w2.owner.ID: 4} {
			es, err := txn.D(tx).AuditEntries(ctx, o, 0, 10)
			if err != nil {
				return err
			}
			if len(es) != want {
				t.Fatalf("owner %s: %d audit entries, want %d", o, len(es), want)
			}
			for i, e := range es {
				if e.Seq != int64(i+1) || i > 0 && string(e.PrevHash) != string(es[i-1].Hash) || string(e.Hash) != string(vetshare.AuditHash(e)) {
					t.Errorf("owner %s: entry %d (seq %d) does not follow the one before", o, i+1, e.Seq)
				}
			}
		}
		return nil
	})
}

// R11.3: concurrent writers all succeed, waiting for each other; none sees a spurious busy error.
func testConcurrency(t *testing.T, h Harness) {
	s := open(t, h)
	w := newWorld(t, s, 1)
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.Update(context.Background(), func(tx *vetshare.Tx) error {
				_, err := w.client(context.Background(), tx, 0, "Concurrent", "C")
				return err
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Update: %v", err)
		}
	}
	view(t, s, func(ctx context.Context, tx *vetshare.Tx) error {
		seen := map[int64]bool{}
		for i := int64(1); i <= n; i++ {
			e, err := txn.D(tx).ClientEntryByNumber(ctx, w.accounts[0].ID, i)
			if err != nil {
				t.Errorf("number %d: %v", i, err)
				continue
			}
			seen[e.Number] = true
		}
		if len(seen) != n {
			t.Errorf("%d distinct numbers, want %d", len(seen), n)
		}
		return nil
	})
}
