package audit_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/internal/fixture"
)

var ctx = context.Background()

func build(t *testing.T) *fixture.Fixture {
	f := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeAutomatic})
	c, _ := f.Client(t, 0, "Rogers", "Shaggy")
	p := f.Patient(t, 1, c.ID, "Scooby", "dog")
	f.Note(t, 1, p.ID, "cross-account")
	return f
}

func verify(t *testing.T, f *fixture.Fixture) (int64, error) {
	var n int64
	var verr error
	f.View(t, func(tx *vetshare.Tx) error {
		n, verr = audit.Verify(ctx, tx, f.Actor(0))
		return nil
	})
	return n, verr
}

// R10.2: the chain verifies, and any change to a stored entry, or a removed one, is found.
func TestR10_2TamperEvident(t *testing.T) {
	f := build(t)
	n, err := verify(t, f)
	if err != nil || n != 4 {
		t.Fatalf("Verify: %d entries, %v; want 4 and no error", n, err)
	}
	db := f.RequireSQLite(t).DB()
	// The store itself refuses to change the log.
	if _, err := db.Exec(`UPDATE vetshare_audit_log SET outcome = 'rejected' WHERE seq = 2`); err == nil {
		t.Error("the store let the audit log be updated")
	}
	if _, err := db.Exec(`DELETE FROM vetshare_audit_log WHERE seq = 2`); err == nil {
		t.Error("the store let an audit entry be deleted")
	}
	// Someone with the file drops the guards and edits an entry: Verify finds it.
	if _, err := db.Exec(`DROP TRIGGER vetshare_audit_log_no_update; DROP TRIGGER vetshare_audit_log_no_delete`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE vetshare_audit_log SET detail = '{"forged":true}' WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	_, err = verify(t, f)
	var broken *audit.BrokenError
	if !errors.As(err, &broken) || broken.Seq != 3 || !errors.Is(err, vetshare.ErrConflict) {
		t.Errorf("after editing entry 3: %v, want a BrokenError at 3", err)
	}
}

func TestR10_2GapFound(t *testing.T) {
	f := build(t)
	db := f.RequireSQLite(t).DB()
	if _, err := db.Exec(`DROP TRIGGER vetshare_audit_log_no_delete; DELETE FROM vetshare_audit_log WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	_, err := verify(t, f)
	var broken *audit.BrokenError
	if !errors.As(err, &broken) || broken.Seq != 2 {
		t.Errorf("after deleting entry 2: %v, want a BrokenError at 2", err)
	}
	f2 := build(t)
	// Rewriting an entry and its hash is still found: the next entry carries the old hash.
	db2 := f2.RequireSQLite(t).DB()
	if _, err := db2.Exec(`DROP TRIGGER vetshare_audit_log_no_update; UPDATE vetshare_audit_log SET hash = zeroblob(32) WHERE seq = 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := verify(t, f2); !errors.As(err, &broken) || broken.Seq != 1 {
		t.Errorf("after rewriting entry 1's hash: %v, want a BrokenError at 1", err)
	}
}
