package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/internal/txn"
)

// In a write of the store's own, the audit entries an operation appends are stored together
// before the commit, or before anything reads the log in the same transaction; they chain as
// if each had been stored when appended (R10.1).
func TestAuditEntriesKeptUntilCommit(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	entry := func(owner vetshare.OwnerID, i int) *vetshare.AuditEntry {
		return &vetshare.AuditEntry{OwnerID: owner, At: at, UserID: "U", AccountID: "A", Action: "test",
			Subject: fmt.Sprint(i), Outcome: "ok", Detail: "{}"}
	}
	stored := func(tx *vetshare.Tx) int {
		t.Helper()
		var n int
		if err := txn.D(tx).(*dtx).tx.QueryRowContext(ctx, `SELECT count(*) FROM vetshare_audit_log`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	err = s.Update(ctx, func(tx *vetshare.Tx) error {
		d := txn.D(tx)
		for i := range 2 {
			if err := d.AppendAudit(ctx, entry("O1", i)); err != nil {
				return err
			}
		}
		if n := stored(tx); n != 0 {
			t.Errorf("%d entries stored before the transaction read the log or committed, want them kept", n)
		}
		es, err := d.AuditEntries(ctx, "O1", 0, 10)
		if err != nil {
			return err
		}
		if len(es) != 2 {
			t.Errorf("AuditEntries in the transaction that appended two: %d", len(es))
		}
		// Another owner's chain, then the first again: each follows its own last entry.
		for _, o := range []vetshare.OwnerID{"O1", "O2", "O1"} {
			if err := d.AppendAudit(ctx, entry(o, 9)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(ctx, func(tx *vetshare.Tx) error {
		for o, want := range map[vetshare.OwnerID]int{"O1": 4, "O2": 1} {
			es, err := txn.D(tx).AuditEntries(ctx, o, 0, 10)
			if err != nil {
				return err
			}
			if len(es) != want {
				t.Errorf("owner %s: %d entries stored, want %d", o, len(es), want)
			}
			for i, e := range es {
				if e.Seq != int64(i+1) || i > 0 && string(e.PrevHash) != string(es[i-1].Hash) || string(e.Hash) != string(vetshare.AuditHash(e)) {
					t.Errorf("owner %s: entry %d does not follow the one before", o, e.Seq)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// When the kept audit entries cannot be stored, Update returns the error and commits nothing
// of the transaction: the entries are part of it, stored late or not.
func TestAuditEntriesFailingAtCommitCommitNothing(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.DB().ExecContext(ctx, `CREATE TRIGGER test_refuse BEFORE INSERT ON vetshare_audit_log
		WHEN NEW.action = 'refused' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`); err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx *vetshare.Tx) error {
		d := txn.D(tx)
		if err := d.InsertOwner(ctx, vetshare.Owner{ID: "O1", Name: "Group", CreatedAt: time.Now()}); err != nil {
			return err
		}
		for _, action := range []string{"ok", "refused"} {
			e := &vetshare.AuditEntry{OwnerID: "O1", At: time.Now(), UserID: "U", AccountID: "A", Action: action, Subject: "s", Outcome: "ok", Detail: "{}"}
			if err := d.AppendAudit(ctx, e); err != nil {
				return fmt.Errorf("AppendAudit returned %w before the commit", err)
			}
		}
		return nil
	})
	if err == nil {
		t.Fatal("Update committed a transaction whose audit entry could not be stored")
	}
	var owners, entries int
	if err := s.DB().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM vetshare_owners), (SELECT count(*) FROM vetshare_audit_log)`).Scan(&owners, &entries); err != nil {
		t.Fatal(err)
	}
	if owners != 0 || entries != 0 {
		t.Errorf("after the failed commit: %d owners, %d audit entries stored, want none (err %v)", owners, entries, err)
	}
	if errors.Is(err, vetshare.ErrNotFound) {
		t.Errorf("error %v reads as not found", err)
	}
}
