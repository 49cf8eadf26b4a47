package sharing_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/internal/txn"
	"github.com/vetshare/vetshare/records"
	"github.com/vetshare/vetshare/sharing"
)

func historical(t *testing.T, n int) *fixture.Fixture {
	t.Helper()
	f := fixture.New(t, fixture.Options{Accounts: 3})
	f.Update(t, func(tx *vetshare.Tx) error {
		for i := range n {
			if _, _, err := records.CreateClient(ctx, tx, f.Actor(i%2), vetshare.Client{LastName: fmt.Sprintf("Client%03d", i), FirstName: "H"}); err != nil {
				return err
			}
		}
		return nil
	})
	f.Enable(t, vetshare.ModeAutomatic, f.AccountIDs()...)
	return f
}

func entryCount(t *testing.T, f *fixture.Fixture, i int) int {
	t.Helper()
	var n int
	f.View(t, func(tx *vetshare.Tx) error {
		rows, err := txn.D(tx).Clients(ctx, driver.ClientListQuery{Account: f.Accounts[i].ID, Limit: 100000})
		n = len(rows)
		return err
	})
	return n
}

// R2.9: historical clients are shared in bulk with progress, without duplicates, resumable
// after an interruption.
func TestR2_9Backfill(t *testing.T) {
	f := historical(t, 45)
	var reports []sharing.BackfillProgress
	p, err := sharing.Backfill(ctx, f.Store, f.Actor(2), sharing.BackfillOptions{BatchSize: 10, Progress: func(p sharing.BackfillProgress) {
		reports = append(reports, p)
	}})
	if err != nil {
		t.Fatal(err)
	}
	// 45 clients, each lacking two of the three accounts.
	if !p.Done || p.Clients != 45 || p.Shared != 90 {
		t.Errorf("final progress %+v, want 45 clients, 90 entries, done", p)
	}
	if len(reports) != 5 || reports[0].Clients != 10 {
		t.Errorf("progress reports: %+v", reports)
	}
	for i := range 3 {
		if n := entryCount(t, f, i); n != 45 {
			t.Errorf("account %d has %d clients, want 45", i, n)
		}
	}
	// Idempotent: again shares nothing.
	p, err = sharing.Backfill(ctx, f.Store, f.Actor(0), sharing.BackfillOptions{})
	if err != nil || p.Shared != 0 {
		t.Errorf("second backfill: %+v %v", p, err)
	}
}

func TestR2_9BackfillResumesAfterInterruption(t *testing.T) {
	f := historical(t, 30)
	cctx, cancel := context.WithCancel(ctx)
	p, err := sharing.Backfill(cctx, f.Store, f.Actor(0), sharing.BackfillOptions{BatchSize: 7, Progress: func(p sharing.BackfillProgress) {
		if p.Clients >= 14 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || p.Clients != 14 || p.Done {
		t.Fatalf("interrupted backfill: %+v %v", p, err)
	}
	if n := entryCount(t, f, 2); n != 14 {
		t.Errorf("after interruption C has %d clients, want the 14 of the committed batches", n)
	}
	rest, err := sharing.Backfill(ctx, f.Store, f.Actor(0), sharing.BackfillOptions{BatchSize: 7, After: p.Cursor})
	if err != nil || rest.Clients != 16 {
		t.Errorf("resumed: %+v %v, want the 16 left", rest, err)
	}
	for i := range 3 {
		if n := entryCount(t, f, i); n != 30 {
			t.Errorf("account %d has %d clients, want 30", i, n)
		}
	}
}

func TestR2_9BackfillFilterAndPermissions(t *testing.T) {
	f := historical(t, 20)
	p, err := sharing.Backfill(ctx, f.Store, f.Actor(0), sharing.BackfillOptions{Filter: func(c vetshare.Client) bool {
		return c.LastName < "Client005"
	}})
	if err != nil || p.Shared != 10 {
		t.Errorf("filtered backfill: %+v %v, want 5 clients × 2 entries", p, err)
	}
	staff := f.User(t, "staffer", vetshare.RoleStaff, vetshare.PermAll, 0)
	_, err = sharing.Backfill(ctx, f.Store, vetshare.Actor{User: staff.ID, Account: f.Accounts[0].ID}, sharing.BackfillOptions{})
	if !errors.Is(err, vetshare.ErrNotPermitted) {
		t.Errorf("backfill by staff: %v, want ErrNotPermitted", err)
	}
	_, err = sharing.Backfill(ctx, f.Store, f.Actor(0), sharing.BackfillOptions{BatchSize: -1})
	if !errors.Is(err, vetshare.ErrInvalid) {
		t.Errorf("negative batch: %v, want ErrInvalid", err)
	}
}
