package duplicates_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/duplicates"
	"github.com/vetshare/vetshare/internal/fixture"
	"github.com/vetshare/vetshare/records"
)

// TestR13_5MergePatients, R13.5: two patients of one client that are the same animal merge
// into one history; the merged-away id resolves to the survivor; staff cannot merge, nor can
// patients of two clients be merged; the audit chain verifies.
func TestR13_5MergePatients(t *testing.T) {
	ctx := context.Background()
	fx := fixture.New(t, fixture.Options{Accounts: 2, Mode: vetshare.ModeManual})
	c, _ := fx.Client(t, 0, "O'Brien", "Mary")
	other, _ := fx.Client(t, 0, "Lee", "Ann")
	rex := fx.Patient(t, 0, c.ID, "Rex", "dog")
	rex2 := fx.Patient(t, 0, c.ID, "Rex", "dog")
	bella := fx.Patient(t, 0, other.ID, "Bella", "cat")
	fx.Note(t, 0, rex.ID, "first visit")
	fx.Note(t, 0, rex2.ID, "second visit, typed as a new patient")
	staff := fx.User(t, "sam", vetshare.RoleStaff, vetshare.PermAll, 0)
	fx.Update(t, func(tx *vetshare.Tx) error {
		if _, err := duplicates.MergePatients(ctx, tx, vetshare.Actor{User: staff.ID, Account: fx.AccountIDs()[0]}, rex.ID, rex2.ID); !errors.Is(err, vetshare.ErrNotPermitted) {
			t.Errorf("staff: %v, want ErrNotPermitted", err)
		}
		if _, err := duplicates.MergePatients(ctx, tx, fx.Actor(0), rex.ID, bella.ID); !errors.Is(err, vetshare.ErrInvalid) {
			t.Errorf("two clients: %v, want ErrInvalid", err)
		}
		if _, err := duplicates.MergePatients(ctx, tx, fx.Actor(1), rex.ID, rex2.ID); !errors.Is(err, vetshare.ErrNotFound) {
			t.Errorf("from a clinic without the client: %v, want ErrNotFound", err)
		}
		p, err := duplicates.PreviewPatientMerge(ctx, tx, fx.Actor(0), rex.ID, rex2.ID)
		if err != nil || p.Merged.ID != rex2.ID || p.Survivor.ID != rex.ID {
			t.Errorf("preview: %+v %v", p, err)
		}
		_, err = duplicates.MergePatients(ctx, tx, fx.Actor(0), rex.ID, rex2.ID)
		return err
	})
	fx.View(t, func(tx *vetshare.Tx) error {
		h, _, err := records.History(ctx, tx, fx.Actor(0), records.HistoryQuery{Patient: rex.ID}, vetshare.Page{})
		if err != nil {
			return err
		}
		if len(h) != 2 {
			t.Errorf("history of the survivor: %d records, want 2", len(h))
		}
		if p, err := records.Patient(ctx, tx, fx.Actor(0), rex2.ID); err != nil || p.ID != rex.ID {
			t.Errorf("merged-away id: %v %v", p.ID, err)
		}
		ps, _, err := records.Patients(ctx, tx, fx.Actor(0), c.ID, vetshare.Page{})
		if err != nil || len(ps) != 1 {
			t.Errorf("patients of the client: %+v %v", ps, err)
		}
		if _, err := audit.Verify(ctx, tx, fx.Actor(0)); err != nil {
			t.Errorf("audit.Verify: %v", err)
		}
		return nil
	})
}
