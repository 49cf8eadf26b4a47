package tasks_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/sqlite"
)

// world is a real SQLite store with helpers that insert what the tests need directly.
type world struct {
	tb    testing.TB
	ctx   context.Context
	store *sqlite.Store
	clock *vetshare.FixedClock
}

var t0 = time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC) // a Monday

func newWorld(tb testing.TB) *world {
	tb.Helper()
	clock := &vetshare.FixedClock{T: t0}
	s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "vetshare.db"), sqlite.WithClock(clock))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return &world{tb: tb, ctx: context.Background(), store: s, clock: clock}
}

// update runs fn in a write transaction and fails the test on error.
func (w *world) update(fn func(tx *vetshare.Tx) error) {
	w.tb.Helper()
	if err := w.store.Update(w.ctx, fn); err != nil {
		w.tb.Fatal(err)
	}
}

// try runs fn in a write transaction and returns its error.
func (w *world) try(fn func(tx *vetshare.Tx) error) error { return w.store.Update(w.ctx, fn) }

func (w *world) owner(name string, sharing bool) vetshare.OwnerID {
	w.tb.Helper()
	id := vetshare.NewID[vetshare.OwnerID](w.clock.Now())
	w.update(func(tx *vetshare.Tx) error {
		return txn.D(tx).InsertOwner(w.ctx, vetshare.Owner{ID: id, Name: name, TaskSharing: sharing, CreatedAt: tx.Now()})
	})
	return id
}

func (w *world) account(owner vetshare.OwnerID, name, tz string) vetshare.AccountID {
	w.tb.Helper()
	id := vetshare.NewID[vetshare.AccountID](w.clock.Now())
	w.update(func(tx *vetshare.Tx) error {
		return txn.D(tx).InsertAccount(w.ctx, vetshare.Account{ID: id, OwnerID: owner, Name: name, Email: "desk@example.com",
			EmailVerified: true, TimeZone: tz, Currency: "USD", CreatedAt: tx.Now()})
	})
	w.clock.Add(time.Millisecond) // accounts list by creation time
	return id
}

func (w *world) user(name string) vetshare.UserID {
	w.tb.Helper()
	id := vetshare.NewID[vetshare.UserID](w.clock.Now())
	w.update(func(tx *vetshare.Tx) error {
		return txn.D(tx).InsertUser(w.ctx, vetshare.User{ID: id, Name: name, Email: name + "@example.com", EmailVerified: true,
			Active: true, CreatedAt: tx.Now()})
	})
	return id
}

func (w *world) grant(user vetshare.UserID, account vetshare.AccountID, perms vetshare.Permissions) {
	w.tb.Helper()
	w.update(func(tx *vetshare.Tx) error {
		return txn.D(tx).PutMembership(w.ctx, vetshare.Membership{UserID: user, AccountID: account, Role: vetshare.RoleStaff,
			Permissions: perms, Active: true})
	})
}

// client creates a client in account, with an entry in every account of also.
func (w *world) client(owner vetshare.OwnerID, account vetshare.AccountID, last string, also ...vetshare.AccountID) vetshare.ClientID {
	w.tb.Helper()
	id := vetshare.NewID[vetshare.ClientID](w.clock.Now())
	w.update(func(tx *vetshare.Tx) error {
		if err := txn.D(tx).InsertClient(w.ctx, vetshare.Client{ID: id, OwnerID: owner, FirstName: "Pat", LastName: last,
			OriginAccount: account, HomeAccount: account, CreatedAt: tx.Now(), UpdatedAt: tx.Now(), Version: 1}); err != nil {
			return err
		}
		for _, a := range append([]vetshare.AccountID{account}, also...) {
			if err := txn.D(tx).InsertClientEntry(w.ctx, &vetshare.ClientEntry{AccountID: a, ClientID: id, Via: vetshare.ViaCreated, CreatedAt: tx.Now()}); err != nil {
				return err
			}
		}
		return nil
	})
	return id
}

func (w *world) patient(client vetshare.ClientID, account vetshare.AccountID, by vetshare.UserID, name string) vetshare.PatientID {
	w.tb.Helper()
	id := vetshare.NewID[vetshare.PatientID](w.clock.Now())
	w.update(func(tx *vetshare.Tx) error {
		return txn.D(tx).InsertPatient(w.ctx, vetshare.Patient{ID: id, ClientID: client, Name: name, Species: "dog",
			OriginAccount: account, CreatedBy: by, CreatedAt: tx.Now()})
	})
	return id
}

// task reads a task straight from the store.
func (w *world) task(id vetshare.TaskID) vetshare.Task {
	w.tb.Helper()
	var t vetshare.Task
	w.update(func(tx *vetshare.Tx) error {
		var err error
		t, err = txn.D(tx).Task(w.ctx, id)
		return err
	})
	return t
}

// audit returns the owner's audit log.
func (w *world) audit(owner vetshare.OwnerID) []vetshare.AuditEntry {
	w.tb.Helper()
	var out []vetshare.AuditEntry
	w.update(func(tx *vetshare.Tx) error {
		var err error
		out, err = txn.D(tx).AuditEntries(w.ctx, owner, 0, 1000)
		return err
	})
	return out
}
