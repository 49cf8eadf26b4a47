package duplicates

import (
	"context"

	"github.com/vetshare/vetshare"
	"github.com/vetshare/vetshare/audit"
	"github.com/vetshare/vetshare/driver"
	"github.com/vetshare/vetshare/internal/auditlog"
	"github.com/vetshare/vetshare/internal/txn"
)

// PatientMergePreview is what a patient merge will do, shown before it is done (R13.5).
type PatientMergePreview struct {
	Survivor vetshare.Patient // the patient that stays, as it is
	Merged   vetshare.Patient // the patient merged away, kept as replaced by Survivor
}

// PreviewPatientMerge shows what [MergePatients] of merged into survivor would do, changing
// nothing. It needs what MergePatients needs.
func PreviewPatientMerge(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, survivor, merged vetshare.PatientID) (PatientMergePreview, error) {
	const op = "duplicates.PreviewPatientMerge"
	p, _, err := previewPatients(ctx, tx, actor, survivor, merged)
	return p, vetshare.Op(op, err)
}

func previewPatients(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, survivor, merged vetshare.PatientID) (PatientMergePreview, vetshare.OwnerID, error) {
	var p PatientMergePreview
	for _, id := range []vetshare.PatientID{survivor, merged} {
		if err := vetshare.CheckID("patient", id); err != nil {
			return p, "", err
		}
	}
	if survivor == merged {
		return p, "", vetshare.Invalid("merged", "a patient cannot be merged into itself")
	}
	owner, _, err := visible(ctx, tx, actor)
	if err != nil {
		return p, "", err
	}
	d := txn.D(tx)
	if p.Survivor, err = d.Patient(ctx, actor.Account, survivor); err != nil {
		return p, "", err
	}
	if p.Merged, err = d.Patient(ctx, actor.Account, merged); err != nil {
		return p, "", err
	}
	if p.Survivor.ClientID != p.Merged.ClientID {
		return p, "", vetshare.Invalid("merged", "only two patients of one client can be merged: merge the clients first")
	}
	entries, err := d.ClientEntries(ctx, p.Survivor.ClientID)
	if err != nil {
		return p, "", err
	}
	// R13.4, R13.5: an active admin or owner of every account that holds the client.
	for _, e := range entries {
		m, err := d.Membership(ctx, actor.User, e.AccountID)
		if err != nil || !m.Active || (m.Role != vetshare.RoleAdmin && m.Role != vetshare.RoleOwner) {
			a, _ := d.Account(ctx, e.AccountID)
			return p, "", &vetshare.NotPermittedError{User: actor.User, Account: e.AccountID,
				Reason: "merging patients needs an admin or owner of every clinic that has their client, and you are not one at " + a.Name}
		}
	}
	return p, owner, nil
}

// MergePatients merges patient merged into patient survivor, two patients of one client that
// are the same animal, irreversibly (R13.5): records (usages among them), reminders and tasks
// follow the survivor, in one history (an open reminder of the merged-away patient for what
// the survivor has open too is withdrawn); the merged-away patient is kept as replaced by the
// survivor, and its id resolves to it in records.Patient. It needs an active admin or owner of
// every account that holds the client ([vetshare.ErrNotPermitted]); both must be seen from the
// actor's account ([vetshare.ErrNotFound]); patients of two clients are [vetshare.ErrInvalid].
// It is audited with both patients and returns the preview of what it did.
func MergePatients(ctx context.Context, tx *vetshare.Tx, actor vetshare.Actor, survivor, merged vetshare.PatientID) (PatientMergePreview, error) {
	const op = "duplicates.MergePatients"
	defer txn.Begin(tx)()
	p, owner, err := previewPatients(ctx, tx, actor, survivor, merged)
	if err != nil {
		return p, vetshare.Op(op, err)
	}
	if err := txn.D(tx).MergePatients(ctx, driver.PatientMerge{Owner: owner, Survivor: survivor, Merged: merged, At: tx.Now()}); err != nil {
		return p, vetshare.Op(op, err)
	}
	err = auditlog.Write(ctx, tx, owner, actor, "patient.merge", "patient:"+string(survivor), audit.OK,
		map[string]any{"survivor": p.Survivor, "merged": p.Merged})
	return p, vetshare.Op(op, err)
}
